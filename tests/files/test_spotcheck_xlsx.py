"""The agreement figures as XLSX (bot.files.spotchecks): a pure function of the report."""

from __future__ import annotations

import io
from typing import Any

from openpyxl import load_workbook

from bot.domain.spotchecks import CountyFigures, SpotReport, SpotRow, Tally
from bot.files.spotchecks import agreement_xlsx


def _spot(community: str, county: str, state: str) -> SpotRow:
    return SpotRow(1, 2026, 1, community, 1, county, 9, state, 5, "专家", "x", None, None, None)


def test_the_workbook_holds_the_figures_a_total_and_no_formula_from_data():
    counties = [CountyFigures("=1+1", 2, 10, 7, 9), CountyFigures("源城区", 1, 5, 5, 4)]
    report = SpotReport(
        2026,
        counties,
        [("4.1", 2)],
        [(_spot("=HYPERLINK(1)", "=1+1", "withdrawn"), Tally(5, 3, 4, ("4.1",)))],
        {"4.1": "社区内供水、排水……"},
    )
    out = io.BytesIO()
    agreement_xlsx("河源市", report, out)
    wb = load_workbook(io.BytesIO(out.getvalue()))
    counties = _table(wb["县区一致率"])
    assert counties[0][1] == "=1+1"  # text, not a formula
    assert counties[2][1:] == ["合计", 3, 15, 12, 12 / 15, 13, 13 / 15]
    detail = _table(wb["社区明细"])[0]
    assert detail[1] == "=HYPERLINK(1)" and detail[3] == "已撤销称号" and detail[6] == 3 / 5
    assert _table(wb["分歧条目"]) == [[1, "4.1", "社区内供水、排水……", 2]]
    for ws in wb.worksheets:  # A4, fitted to one page wide, no formula anywhere
        assert int(ws.page_setup.paperSize) == int(ws.PAPERSIZE_A4)
        assert ws.sheet_properties.pageSetUpPr.fitToPage
        assert all(c.data_type != "f" for row in ws.iter_rows() for c in row)


def test_the_workbook_speaks_the_readers_language():
    report = SpotReport(2026, [CountyFigures("源城区", 1, 2, 1, 2)], [], [], {})
    out = io.BytesIO()
    agreement_xlsx("Heyuan", report, out, "en")
    wb = load_workbook(io.BytesIO(out.getvalue()))
    assert wb.sheetnames == ["Counties", "Communities", "Items"]
    assert _table(wb["Counties"])[-1][1] == "Total"


def _table(ws: Any) -> list[list[Any]]:
    """The rows under the header (the row whose first cell is 序号 / No.), the note left out."""
    rows = [list(r) for r in ws.iter_rows(values_only=True)]
    head = next(k for k, r in enumerate(rows) if r[0] in ("序号", "No."))
    return [r for r in rows[head + 1 :] if r[1] is not None]
