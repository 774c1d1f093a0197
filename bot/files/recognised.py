"""The review chain's files: the list of recognised communities for public notice (公示) with
the whole review history on a second sheet; the answers export's verified sheet; the chart of
the stages. Data from bot.services.reviews; dates in `tz`.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from zoneinfo import ZoneInfo

from openpyxl import Workbook
from openpyxl.styles import Font

from bot.clock import local_day, local_naive
from bot.domain.reviews import Event
from bot.files.safe import safe_row
from bot.services.reviews import Recognised, Summary

HEAD = (
    "序号",
    "社区",
    "街道",
    "县（区）",
    "自评结果",
    "核定结果",
    "认定日期",
    "公示期",
    "公布日期",
)
HISTORY_HEAD = ("社区", "时间", "环节", "操作", "条目", "原值", "新值", "操作人", "角色", "意见")


def _day(at: str | None, tz: ZoneInfo) -> str:
    return local_day(at, tz).isoformat() if at else ""


def recognised_xlsx(
    title: str,
    rows: Sequence[Recognised],
    history: Sequence[tuple[str, Event]],
    tz: ZoneInfo,
) -> bytes:
    """Sheet 1: 社区, 街道, 县区, self and verified results, dates; sheet 2: the history."""
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "认定名单"
    ws.append(safe_row(ws, [title]))  # every row through the one helper: no formula from data
    ws["A1"].font = Font(bold=True, size=14)
    ws.append(safe_row(ws, [*HEAD]))
    for i, r in enumerate(rows, 1):
        period = (
            f"{r.publicity[0].isoformat()} 至 {r.publicity[1].isoformat()}" if r.publicity else ""
        )
        ws.append(safe_row(ws, [i, r.community, r.street or "", r.county, r.self_score,
                   r.verified_score, _day(r.recognised_at, tz), period,
                   _day(r.published_at, tz)]))  # fmt: skip
    hs = wb.create_sheet("审核记录")
    hs.append(safe_row(hs, [*HISTORY_HEAD]))
    for community, e in history:
        hs.append(safe_row(hs, [community, local_naive(e.at, tz), e.stage or "", e.action, e.question_id or "",
                   e.before or "", e.after or "", e.user_name or e.user_id, e.role or "",
                   e.comment or ""]))  # fmt: skip
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _status(st: str | None) -> str:
    from bot.texts import t

    return t("zh", f"rp_status_{st}") if st else ""


def stage_chart_png(region: str, s: Summary, size: tuple[int, int] = (1000, 500)) -> bytes:
    """The review chain as a bar chart: checks waiting at each stage, sent back, recognised."""
    from matplotlib import rc_context
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    from bot.files.charts import DPI, rc_params

    labels = [name for name, _ in s.waiting] + ["退回修改", "已认定"]
    values = [n for _, n in s.waiting] + [s.returned, s.recognised]
    with rc_context(rc_params(11)):
        fig = Figure(figsize=(size[0] / DPI, size[1] / DPI), dpi=DPI)
        FigureCanvasAgg(fig)
        ax = fig.add_subplot(1, 1, 1)
        bars = ax.barh(labels[::-1], values[::-1], color="#2E7D32")
        ax.bar_label(bars, fmt="%d", padding=3)
        ax.set_xlabel("社区数")
        ax.set_title(f"{region}绿色社区审核进度", fontsize=14, loc="left")
        fig.subplots_adjust(left=0.22, right=0.96, top=0.88, bottom=0.12)
        buf = io.BytesIO()
        fig.savefig(buf, format="png", dpi=DPI)
    return buf.getvalue()
