"""The 整改台账 (corrective actions ledger): one row per action, overdue first, in the one table
layout (bot/files/xlsx.py), with the 填报单位（盖章） and 填报日期 lines an office signs. A pure
function of the actions bot.services.actions lists; every code shown as its label.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import IO, Any
from zoneinfo import ZoneInfo

from bot.clock import local_day
from bot.domain.programs import Program
from bot.domain.standards import Standard
from bot.files import xlsx
from bot.files.recognised import day_text
from bot.files.xlsx import Col
from bot.services.actions import Listed
from bot.texts import TEXTS, t

EVIDENCE_KINDS = ("photo", "document", "video")  # a closing file without a name shows its kind


def _item(qid: str, std: Standard | None) -> str:
    """1.1 and the item's own words (the standard's, never translated)."""
    if std is None or qid not in std.question_index:
        return qid
    return f"{qid} {std.question(qid).text}"


def _evidence(name: str | None, lang: str) -> str:
    if name in EVIDENCE_KINDS:
        return t(lang, f"fl_kind_{name}")
    return name or ""


def _rows(rows: Sequence[Listed], std: Standard | None, tz: ZoneInfo, lang: str) -> list[list[Any]]:
    out = []
    for k, x in enumerate(rows, 1):
        r = x.row
        problem = "" if r.problem == r.question_id else r.problem  # no text given: the item says it
        state = t(lang, f"fl_ax_{x.state}") if f"fl_ax_{x.state}" in TEXTS else x.state
        closed = local_day(r.closed_at, tz) if r.closed_at else None
        out.append([k, r.community, _item(r.question_id, std), problem, r.owner or "",
                    dt.date.fromisoformat(r.due), state, closed, _evidence(r.evidence, lang)])  # fmt: skip
    return out


def _cols(lang: str) -> list[Col]:
    h = lambda key: t(lang, f"fl_h_{key}")  # noqa: E731
    return [
        Col(h("no"), "int"), Col(h("community"), "name", cap=24), Col(h("item"), "text", cap=34),
        Col(h("problem"), "text", cap=30), Col(h("owner"), "name", cap=16),
        Col(h("due"), "date"), Col(h("state"), "text", cap=10), Col(h("closed"), "date"),
        Col(h("evidence"), "text", cap=18),
    ]  # fmt: skip


def write_actions(
    out: IO[bytes], rows: Sequence[Listed], program: Program, std: Standard | None,
    tz: ZoneInfo, today: dt.date, lang: str = "zh",
) -> None:  # fmt: skip
    """The ledger: title, 填报单位（盖章）and 填报日期, then the actions."""
    cols, values = _cols(lang), _rows(rows, std, tz, lang)
    wb = xlsx.workbook()
    ws = xlsx.sheet(wb, t(lang, "fl_actions_sheet"))
    ws_widths = xlsx.widths(cols, values)
    xlsx.set_widths(ws, ws_widths)
    xlsx.finish(ws, ws_widths)
    n = len(cols)
    r = xlsx.title_rows(ws, n, None, t(lang, "fl_actions_title", region=program.region))
    parts = [t(lang, "fl_filler"), t(lang, "fl_filled_on", date=day_text(lang, today))]
    r = xlsx.label_line(ws, r, xlsx.spread(ws, n, parts))
    xlsx.tabulate(ws, r, cols, values)
    wb.save(out)
