"""The review chain's files: the list of recognised communities (for public notice where the
program has a 公示 stage) with the whole review history on a second sheet, and the chart of the
stages. Pure functions of what bot.services.reviews returns (gathered by
bot/services/exports.py); dates in local time, every code shown as its label.
"""

from __future__ import annotations

import datetime as dt
import io
from typing import IO, Any
from zoneinfo import ZoneInfo

from bot.clock import local_day, local_naive
from bot.domain.exports import RecognisedList
from bot.domain.programs import Program
from bot.domain.reviews import Recognised, Summary
from bot.domain.standards import Standard
from bot.files import xlsx
from bot.files.xlsx import Col
from bot.texts import TEXTS, t
from bot.texts.layout import user_label

STATUSES = ("met", "partial", "not_met", "na")


def day_text(lang: str, day: dt.date) -> str:
    """2026年11月28日 in Chinese, 2026-11-28 in English."""
    return xlsx.zh_date(day) if lang == "zh" else day.isoformat()


def _day(at: str | None, tz: ZoneInfo) -> dt.date | None:
    return local_day(at, tz) if at else None


def result(value: float | None, std: Standard | None, lang: str) -> str:
    """A check's figure as it reads: 85 分 (points) or 符合 36/42 项 (a checklist)."""
    if value is None:
        return ""
    if std is not None and std.mode == "points":
        return t(lang, "fl_score", score=f"{value:g}")
    total = len(std.questions) if std is not None else 0
    return t(lang, "fl_met_of", met=f"{value:g}", total=total)


def label(value: str | None, lang: str) -> str:
    """A recorded value as its label: an answer (符合（3 分）), a state (已认定) or a stage name."""
    if not value:
        return ""
    head, _, points = value.partition(" ")
    if head in STATUSES:
        status = t(lang, f"rp_status_{head}")
        return t(lang, "fl_points", status=status, points=points) if points else status
    return t(lang, f"fl_state_{value}") if f"fl_state_{value}" in TEXTS else value


def _code(prefix: str, value: str | None, lang: str) -> str:
    key = f"{prefix}_{value}"
    return t(lang, key) if key in TEXTS else (value or "")


def _list_rows(data: RecognisedList, tz: ZoneInfo, lang: str) -> list[list[Any]]:
    rows: list[Recognised] = data.rows
    std = data.standard
    out = [
        [k, r.community, r.street or "", r.county, result(r.self_score, std, lang),
         result(r.verified_score, std, lang), _day(r.recognised_at, tz),
         *(_period(r) if data.public_notice else []), _day(r.published_at, tz)]
        for k, r in enumerate(rows, 1)
    ]  # fmt: skip
    return out if data.published else [r[:-1] for r in out]


def _period(r: Recognised) -> list[dt.date | str]:
    """The 公示 period's first and last day, as dates ("" before it is recorded)."""
    return list(r.publicity) if r.publicity is not None else ["", ""]


def _list_cols(program: Program, data: RecognisedList, lang: str) -> list[Col]:
    """The list's columns; the 公示 period's first and last day where the chain has a 公示,
    公布日期 only where it has a 公布 stage to date it."""
    h = lambda key: t(lang, f"fl_h_{key}")  # noqa: E731
    cols = [
        Col(h("no"), "int"), Col(h("community"), "name", cap=26), Col(h("street"), "name", cap=16),
        Col(program.unit or t(lang, "rv_role_county"), "name", cap=16),
        Col(h("self"), "text", cap=16), Col(h("verified"), "text", cap=16),
        Col(h("recognised"), "date"),
    ]  # fmt: skip
    if data.public_notice:
        cols += [Col(h("publicity_from"), "date"), Col(h("publicity_to"), "date")]
    return [*cols, Col(h("published"), "date")] if data.published else cols


def _history_rows(data: RecognisedList, tz: ZoneInfo, lang: str) -> list[list[Any]]:
    out = []
    for community, e in data.history:
        by = user_label(e.user_name, None, e.user_id, lang) or ""
        out.append([community, local_naive(e.at, tz), e.stage or "", _code("rv_action", e.action, lang),
                    e.question_id or "", label(e.before, lang), label(e.after, lang), by,
                    _code("rv_role", e.role, lang), e.comment or ""])  # fmt: skip
    return out


def _history_cols(lang: str) -> list[Col]:
    h = lambda key: t(lang, f"fl_h_{key}")  # noqa: E731
    return [
        Col(h("community"), "name", cap=20), Col(h("time"), "datetime"),
        Col(h("stage"), "text", cap=16), Col(h("action"), "text", cap=12),
        Col(h("item"), "text", cap=8), Col(h("before"), "text", cap=16),
        Col(h("after"), "text", cap=16), Col(h("by"), "name", cap=18),
        Col(h("role"), "text", cap=10), Col(h("comment"), "text", cap=36),
    ]  # fmt: skip


def _sheet(ws: Any, title: str, sub: str, cols: list[Col], rows: list[list[Any]]) -> None:
    ws_widths = xlsx.widths(cols, rows)
    xlsx.set_widths(ws, ws_widths)
    xlsx.finish(ws, ws_widths)
    r = xlsx.title_rows(ws, len(cols), None, title)
    r = xlsx.label_line(ws, r, [(1, len(cols), sub)])
    xlsx.tabulate(ws, r, cols, rows)


def write_recognised(
    out: IO[bytes], data: RecognisedList, program: Program, tz: ZoneInfo, today: dt.date,
    lang: str = "zh",
) -> None:  # fmt: skip
    """Sheet 1: 序号, 社区, 街道, 县区, self and verified results, dates; sheet 2: the history."""
    wb = xlsx.workbook()
    key = "fl_recognised_notice" if data.public_notice else "fl_recognised_title"
    sub = t(lang, "fl_as_of", date=day_text(lang, today))
    ws = xlsx.sheet(wb, t(lang, "fl_list_sheet"))
    _sheet(ws, t(lang, key, region=program.region), sub, _list_cols(program, data, lang),
           _list_rows(data, tz, lang))  # fmt: skip
    hs = xlsx.sheet(wb, t(lang, "fl_history_sheet"), first=False)
    _sheet(hs, t(lang, "fl_history_title", region=program.region), sub, _history_cols(lang),
           _history_rows(data, tz, lang))  # fmt: skip
    wb.save(out)


def stage_chart_png(
    region: str, s: Summary, today: dt.date, lang: str = "zh", size: tuple[int, int] = (1000, 500)
) -> bytes:
    """The review chain as a bar chart: checks waiting at each stage, sent back, recognised;
    dated (截至 …) and in the reader's language (stage names are the program's own)."""
    from matplotlib import rc_context
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.ticker import MaxNLocator

    from bot.files.charts import DPI, rc_params

    labels = [name for name, _ in s.waiting]
    labels += [t(lang, "fl_stage_returned"), t(lang, "fl_stage_recognised")]
    values = [n for _, n in s.waiting] + [s.returned, s.recognised]
    title = t(lang, "fl_stage_title", region=region, date=day_text(lang, today))
    with rc_context(rc_params(11)):
        fig = Figure(figsize=(size[0] / DPI, size[1] / DPI), dpi=DPI)
        FigureCanvasAgg(fig)
        ax = fig.add_subplot(1, 1, 1)
        bars = ax.barh(labels[::-1], values[::-1], color="#2E7D32")
        ax.bar_label(bars, labels=[str(v) if v else "" for v in values[::-1]], padding=3)
        ax.set_xlabel(t(lang, "fl_stage_axis"))
        ax.set_xlim(0, max([*values, 1]) * 1.15)
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        fig.text(0.01, 0.97, title, fontsize=14, va="top")
        fig.subplots_adjust(left=0.22, right=0.96, top=0.86, bottom=0.12)
        buf = io.BytesIO()
        fig.savefig(buf, format="png", dpi=DPI)
    return buf.getvalue()
