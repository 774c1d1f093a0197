"""PNG charts: participation and completion by county, with the year's target as a line.

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
from functools import lru_cache
from pathlib import Path
from typing import Any

from bot.domain.programs import Program
from bot.services.reports import CountyRow

DEFAULT_SIZE = (1200, 700)  # pixels
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


def _shown(rows: Sequence[CountyRow], max_bars: int) -> tuple[list[CountyRow], str]:
    """The bars to draw (the counties furthest behind beyond `max_bars`, then 合计) and a note."""
    counties = [r for r in rows if not r.is_total]
    total = next((r for r in rows if r.is_total), None)
    note = ""
    if len(counties) > max_bars:
        counties = sorted(counties, key=lambda r: (r.completion_pct, r.participation_pct))
        counties = counties[:max_bars]
        note = f"（完成率最低的 {max_bars} 个，共 {len(rows) - 1} 个）"
    return counties + ([total] if total is not None else []), note


def _rc() -> dict[Any, Any]:
    family = font_family()
    rc: dict[Any, Any] = {"font.family": "sans-serif", "axes.unicode_minus": False}
    if family:
        rc["font.sans-serif"] = [family, "DejaVu Sans"]
    return rc


def _bars(ax: Any, shown: list[CountyRow]) -> None:
    """Participation and completion bars side by side, labelled when there are few."""
    xs = list(range(len(shown)))
    w = 0.38
    part = [r.participation_pct for r in shown]
    comp = [r.completion_pct for r in shown]
    b1 = ax.bar([x - w / 2 for x in xs], part, w, label="参与率", color=PARTICIPATION_COLOR)
    b2 = ax.bar([x + w / 2 for x in xs], comp, w, label="完成率（达标）", color=COMPLETION_COLOR)
    if len(shown) <= 20:
        ax.bar_label(b1, fmt="%.1f", fontsize=8, padding=2)
        ax.bar_label(b2, fmt="%.1f", fontsize=8, padding=2)


def _axes(ax: Any, shown: list[CountyRow], has_total: bool) -> int:
    """Ticks, limits and grid; return the tick labels' rotation."""
    xs = list(range(len(shown)))
    ax.set_xticks(xs)
    labels = [r.county for r in shown]
    rotate = 45 if len(shown) > 10 or any(len(s) > 5 for s in labels) else 0
    ax.set_xticklabels(labels, rotation=rotate, ha="right" if rotate else "center")
    if has_total and shown:
        ax.get_xticklabels()[-1].set_color(COMPLETION_COLOR)
    ax.set_ylim(0, 112)
    ax.set_ylabel("%")
    ax.yaxis.grid(True, linestyle=":", alpha=0.6)
    ax.set_axisbelow(True)
    return rotate


def chart_png(
    rows: Sequence[CountyRow],
    program: Program,
    size: tuple[int, int] = DEFAULT_SIZE,
    max_bars: int = MAX_BARS,
) -> bytes:
    """A grouped bar chart of participation and completion % by county (and 合计), as PNG.

    The image is exactly `size` pixels. Beyond `max_bars` counties, the ones furthest behind
    (lowest completion) are shown and the title says so.
    """
    from matplotlib import rc_context
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    shown, note = _shown(rows, max_bars)
    year = shown[0].year if shown else None
    target = shown[0].target_pct if shown else None
    width, height = size
    with rc_context(_rc()):
        fig = Figure(figsize=(width / DPI, height / DPI), dpi=DPI)
        FigureCanvasAgg(fig)
        ax = fig.add_subplot(1, 1, 1)
        _bars(ax, shown)
        if target is not None:
            label = f"{year} 年目标 {target:g}%"
            ax.axhline(target, color=TARGET_COLOR, linestyle="--", linewidth=1.5, label=label)
        rotate = _axes(ax, shown, any(r.is_total for r in rows))
        ax.legend(loc="lower right", bbox_to_anchor=(1.0, 1.0), frameon=False, ncol=3)
        when = f"{year} 年" if year else ""
        ax.set_title(f"{program.region}绿色社区创建进度 {when}{note}", fontsize=14, loc="left")
        fig.subplots_adjust(left=0.06, right=0.98, top=0.9, bottom=0.22 if rotate else 0.12)
        buf = io.BytesIO()
        fig.savefig(buf, format="png", dpi=DPI)
    return buf.getvalue()


def write_chart(
    rows: Sequence[CountyRow], program: Program, out: Path, size: tuple[int, int] = DEFAULT_SIZE
) -> Path:
    out.write_bytes(chart_png(rows, program, size=size))
    return out
