"""The 整改台账 (corrective actions ledger, issue 13): one row per action, through the one
cell guard (bot.files.safe), so no user text becomes a formula.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from zoneinfo import ZoneInfo

from openpyxl import Workbook
from openpyxl.styles import Font

from bot.clock import local_day
from bot.files.safe import safe_row
from bot.services.actions import Listed

HEAD = ("社区", "项目", "问题", "责任人", "期限", "状态", "完成日期", "佐证")
STATE_ZH = {"open": "待整改", "overdue": "已逾期", "closing": "待确认", "closed": "已完成"}


def _day(at: str | None, tz: ZoneInfo) -> str:
    return local_day(at, tz).isoformat() if at else ""


def actions_xlsx(title: str, rows: Sequence[Listed], tz: ZoneInfo) -> bytes:
    """The ledger: a title row, the header, then 社区, 项目, 问题, 责任人, 期限, 状态, 完成日期, 佐证."""
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "整改台账"
    ws.append(safe_row(ws, [title]))
    ws["A1"].font = Font(bold=True, size=14)
    ws.append(safe_row(ws, [*HEAD]))
    for x in rows:
        r = x.row
        ws.append(safe_row(ws, [r.community, r.question_id, r.problem, r.owner or "", r.due,
                   STATE_ZH.get(x.state, x.state), _day(r.closed_at, tz), r.evidence or ""]))  # fmt: skip
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
