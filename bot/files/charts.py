"""PNG charts: participation and completion by county (horizontal bars, names never clipped),
with the program's target as a line; many counties: the started ones furthest below target;
no data: a 暂无数据 image. Words in the reader's language (county names are data).

The image is as tall as its counties need (every one legible: a row is two bars, each at least
as tall as its value label) unless a size is asked for; the legend sits on its own line, measured
after drawing, so the plot never crosses it; value labels sit on a white ground above the
target line; a bar at 0 has no label (the axis says 0).

Rendered off-screen (matplotlib's Agg canvas, no pyplot state) in a CJK font so that county names
never come out as empty boxes. The font is looked up in this order and registered with
matplotlib's font_manager at render time:

1. `$GREENCHECK_CJK_FONT` (a font file path), if set;
2. a font shipped by a pip package: `pylopdf-fonts-zh-cn` (Noto Sans SC, OFL), or `mplfonts`;
3. a system font that covers Simplified Chinese (Noto Sans CJK SC, WenQuanYi, Source Han …).

With none of them the chart still renders, in matplotlib's default font (`font_path()` is None).
"""

from __future__ import annotations

import io
import os
import subprocess
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from bot.domain.programs import Program
from bot.domain.reports import CountyRow
from bot.texts import t

DEFAULT_WIDTH = 1200  # pixels
DPI = 100
MAX_BARS = 40
PARTICIPATION_COLOR = "#8FBC8F"
COMPLETION_COLOR = "#2E7D32"
TARGET_COLOR = "#C62828"

_SYSTEM_FAMILIES = (
    "Noto Sans CJK SC",
    "Noto Sans SC",
    "Source Han Sans SC",
    "Source Han Sans CN",
    "WenQuanYi Zen Hei",
    "WenQuanYi Micro Hei",
    "Droid Sans Fallback",
    "AR PL UMing CN",
    "SimHei",
    "Microsoft YaHei",
    "PingFang SC",
)
_PROBE = "绿色社区创建进度县区参与率完成率目标"


def _package_fonts() -> list[Path]:
    """Font files that pip packages ship (the set-up installs one of them)."""
    out: list[Path] = []
    try:
        import pylopdf_fonts_zh_cn

        out.append(Path(pylopdf_fonts_zh_cn.sans_path()))
    except ImportError:
        pass
    try:
        import mplfonts

        root = Path(mplfonts.__file__).parent / "fonts"
        out += [root / "NotoSansCJKsc-Regular.otf", root / "SourceHanSerifSC-Regular.otf"]
    except ImportError:
        pass
    return out


def _covers(path: Path, text: str = _PROBE) -> bool:
    """True when the font file has a glyph for every character of `text`."""
    try:
        from matplotlib.ft2font import FT2Font

        font = FT2Font(str(path))
        return all(font.get_char_index(ord(c)) for c in text)
    except (OSError, RuntimeError, ValueError):
        return False


def _system_fonts() -> list[Path]:
    from matplotlib import font_manager

    found: list[Path] = []
    by_name = {f.name: f.fname for f in font_manager.fontManager.ttflist}
    found += [Path(by_name[n]) for n in _SYSTEM_FAMILIES if n in by_name]
    try:  # fontconfig knows fonts that matplotlib's cache may not
        res = subprocess.run(
            ["fc-list", ":lang=zh-cn", "file"], capture_output=True, text=True, timeout=5
        )
        for line in res.stdout.splitlines():
            f = line.split(":")[0].strip()
            if f:
                found.append(Path(f))
    except (OSError, subprocess.SubprocessError):
        pass
    return found


@lru_cache(maxsize=1)
def font_path() -> Path | None:
    """Return a font file that renders Simplified Chinese, or None if the machine has none."""
    env = os.environ.get("GREENCHECK_CJK_FONT")
    candidates = [Path(env)] if env else []
    candidates += _package_fonts()
    for path in candidates:
        if path.is_file() and _covers(path):
            return path
    for path in _system_fonts():
        if path.is_file() and path.suffix.lower() in (".ttf", ".otf") and _covers(path):
            return path
    return None


@lru_cache(maxsize=1)
def font_family() -> str | None:
    """Register the CJK font with matplotlib (once) and return its family name."""
    path = font_path()
    if path is None:
        return None
    from matplotlib import font_manager

    font_manager.fontManager.addfont(str(path))
    return str(font_manager.FontProperties(fname=str(path)).get_name())


LABEL_CHARS = 12  # a county name longer than this is shortened with "…" (never clipped)
HEAD_PX = 150  # title, note and legend above the plot, the axis and its label below (at 12 pt)
ROW_LINES = 2.6  # a county's row: two bars, each a value label tall, and a gap


@dataclass(frozen=True)
class Selection:
    """The bars to draw (top to bottom), the total row, and a line that says what is shown."""

    rows: list[CountyRow]
    total: CountyRow | None
    note: str


def _row_px(fs: float) -> float:
    """Pixels one county's row needs: its two bars, each as tall as a value label."""
    return fs * 0.85 * DPI / 72 * ROW_LINES


def bars_that_fit(height: int, fs: float = 12.0) -> int:
    """How many county bars stay legible in an image `height` pixels tall (text at `fs` pt)."""
    return max(4, min(MAX_BARS, int((height - HEAD_PX * fs / 12) / _row_px(fs)) - 1))


def height_for(counties: int, width: int) -> int:
    """The image height that shows every county legibly (the total row too), up to MAX_BARS."""
    fs = _font_size(width)
    return int(HEAD_PX * fs / 12 + _row_px(fs) * (min(counties, MAX_BARS) + 2))


def select(rows: Sequence[CountyRow], max_bars: int, lang: str = "zh") -> Selection:
    """Every county when they fit; else the started counties furthest below target, with a note
    saying how many there are in all and how many have not started."""
    counties = [r for r in rows if not r.is_total]
    total = next((r for r in rows if r.is_total), None)
    if len(counties) <= max_bars:
        return Selection(counties, total, "")
    started = [r for r in counties if r.started]
    started.sort(key=lambda r: (r.completion_pct, -r.communities))
    idle = len(counties) - len(started)
    note = t(lang, "fl_chart_some", n=len(counties), shown=min(max_bars, len(started)), idle=idle)
    return Selection(started[:max_bars], total, note)


def short(name: str, chars: int = LABEL_CHARS) -> str:
    """The name, or its start and its end around "…" (the end tells similar names apart)."""
    if len(name) <= chars:
        return name
    head = (chars - 1) // 2
    return name[:head] + "…" + name[-(chars - 1 - head) :]


def rc_params(size: float) -> dict[Any, Any]:
    family = font_family()
    rc: dict[Any, Any] = {"font.family": "sans-serif", "axes.unicode_minus": False}
    rc["font.size"] = size
    if family:
        rc["font.sans-serif"] = [family, "DejaVu Sans"]
    return rc


def _labels(ax: Any, bars: Any, values: Sequence[float], size: float) -> None:
    """Each bar's value beside it on a white ground (above the target line); none for 0."""
    texts = [f"{v:.1f}" if v else "" for v in values]
    for label in ax.bar_label(bars, labels=texts, fontsize=size, padding=3):
        label.set_bbox({"facecolor": "white", "edgecolor": "none", "pad": 0.5, "alpha": 0.85})
        label.set_zorder(4)


def _bars(ax: Any, shown: list[CountyRow], size: float, lang: str) -> None:
    """Horizontal participation and completion bars, each labelled with its value."""
    ys = list(range(len(shown)))
    h = 0.4
    part = [r.participation_pct for r in shown]
    comp = [r.completion_pct for r in shown]
    b1 = ax.barh([y - h / 2 for y in ys], part, h, color=PARTICIPATION_COLOR,
                 label=t(lang, "fl_chart_participation"))  # fmt: skip
    b2 = ax.barh([y + h / 2 for y in ys], comp, h, color=COMPLETION_COLOR,
                 label=t(lang, "fl_chart_completion"))  # fmt: skip
    _labels(ax, b1, part, size * 0.85)
    _labels(ax, b2, comp, size * 0.85)
    ax.set_yticks(ys)
    ax.set_yticklabels([t(lang, "rp_total") if r.is_total else short(r.county) for r in shown])
    for label, r in zip(ax.get_yticklabels(), shown, strict=True):
        if r.is_total:
            label.set_color(COMPLETION_COLOR)
    ax.invert_yaxis()
    ax.set_xlim(0, 115)
    ax.set_ylim(len(shown) - 0.4, -0.6)
    ax.set_xlabel(t(lang, "fl_chart_axis"))
    ax.xaxis.grid(True, linestyle=":", alpha=0.6)
    ax.set_axisbelow(True)


def _font_size(width: int) -> float:
    """Text size (pt at 100 dpi) that reads on a phone at 600 px and is not huge at 1600 px."""
    return max(10.0, min(14.0, width / 100))


def _no_data(fig: Any, title: str, size: float, lang: str) -> None:
    fig.text(0.02, 0.95, title, fontsize=size * 1.2, va="top")
    fig.text(0.5, 0.5, t(lang, "fl_chart_no_data"), fontsize=size * 2.4, ha="center",
             va="center", color="#777777")  # fmt: skip


def _left_margin(shown: list[CountyRow], width: int, size: float) -> float:
    longest = max((len(short(r.county)) for r in shown), default=4)
    return min(0.45, (longest * size * 1.45 + 24) / width)


def chart_png(
    rows: Sequence[CountyRow],
    program: Program,
    size: tuple[int, int | None] = (DEFAULT_WIDTH, None),
    max_bars: int | None = None,
    lang: str = "zh",
) -> bytes:
    """A horizontal bar chart of participation and completion % by county (and 合计), as PNG.

    The image is `size` pixels (a height of None: as tall as the counties need, see
    `height_for`). Beyond the bars that fit, the started counties furthest below target are
    shown and a line under the title says so; no data gives a 暂无数据 image.
    """
    from matplotlib import rc_context
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    width = size[0]
    counties = sum(1 for r in rows if not r.is_total)
    height = size[1] or height_for(counties, width)
    fs = _font_size(width)
    sel = select(rows, max_bars or bars_that_fit(height, fs), lang)
    shown = sel.rows + ([sel.total] if sel.total is not None and sel.rows else [])
    ref = sel.total or (rows[0] if rows else None)
    title = t(lang, "fl_chart_title", region=program.region, year=ref.year if ref else "")
    with rc_context(rc_params(fs)):
        fig = Figure(figsize=(width / DPI, height / DPI), dpi=DPI)
        FigureCanvasAgg(fig)
        if not sel.rows or not any(r.started or r.passed for r in shown):
            _no_data(fig, title, fs, lang)
        else:
            _draw(fig, shown, sel.note, title, program, ref, fs, lang)
        buf = io.BytesIO()
        fig.savefig(buf, format="png", dpi=DPI)
    return buf.getvalue()


def _draw(
    fig: Any,
    shown: list[CountyRow],
    note: str,
    title: str,
    program: Program,
    ref: CountyRow | None,
    fs: float,
    lang: str,
) -> None:
    """Title, the note, the legend on its own line (measured), then the bars below it."""
    ax = fig.add_subplot(1, 1, 1)
    _bars(ax, shown, fs, lang)
    target = program.target_for(ref.year) if ref else None
    if target is not None:
        label = t(lang, "fl_chart_target", pct=f"{target.pct:g}", year=target.year)
        ax.axvline(target.pct, color=TARGET_COLOR, linestyle="--", linewidth=1.5, label=label,
                   zorder=3)  # fmt: skip
    px_h = fig.get_figheight() * DPI
    width = fig.get_figwidth() * DPI
    top = 1 - 8 / px_h
    head = fig.text(0.01, top, title, fontsize=fs * 1.25, va="top")
    top = _below(fig, head, px_h)
    if note:
        text = fig.text(0.01, top, note, fontsize=fs * 0.9, va="top", wrap=True)
        top = _below(fig, text, px_h)
    legend = fig.legend(loc="upper left", bbox_to_anchor=(0.01, top), ncol=3, frameon=False)
    top = _below(fig, legend, px_h)
    bottom = (fs * 4.2) / px_h
    fig.subplots_adjust(left=_left_margin(shown, int(width), fs), right=0.97, top=top,
                        bottom=bottom)  # fmt: skip


def _below(fig: Any, artist: Any, px_h: float) -> float:
    """The figure fraction just under an artist as drawn (its real height, wrapped or not)."""
    box = artist.get_window_extent(renderer=fig.canvas.get_renderer())
    return float(box.y0 / px_h) - 6 / px_h


def write_chart(
    rows: Sequence[CountyRow],
    program: Program,
    out: Path,
    width: int = DEFAULT_WIDTH,
    height: int | None = None,
    lang: str = "zh",
) -> tuple[int, int]:
    """Write the chart to `out`; return its size in pixels."""
    counties = sum(1 for r in rows if not r.is_total)
    size = (width, height or height_for(counties, width))
    out.write_bytes(chart_png(rows, program, size=size, lang=lang))
    return size
