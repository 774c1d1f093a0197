"""The agreement figures as XLSX (bot.files.spotchecks): a pure function of the report."""

from __future__ import annotations

import io

from openpyxl import load_workbook

from bot.domain.spotchecks import CountyFigures, Tally
from bot.files.spotchecks import agreement_xlsx
from bot.services.spotchecks import SpotReport
from bot.store.spotchecks import SpotRow


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
    wb = load_workbook(io.BytesIO(agreement_xlsx("河源市", report)))
    rows = list(wb["县区一致率"].iter_rows(min_row=4, max_row=6, values_only=True))
    assert rows[0][1] == "=1+1" and wb["县区一致率"]["B4"].data_type == "s"  # text, not a formula
    assert rows[2][1:] == ("合计", 3, 15, 12, 12 / 15, 13, 13 / 15)
    detail = next(wb["社区明细"].iter_rows(min_row=4, max_row=4, values_only=True))
    assert detail[1] == "=HYPERLINK(1)" and detail[3] == "已撤销称号" and detail[6] == 3 / 5
    item = next(wb["分歧条目"].iter_rows(min_row=4, max_row=4, values_only=True))
    assert item == (1, "4.1", "社区内供水、排水……", 2)
    for ws in wb.worksheets:  # A4, fitted to one page wide
        assert int(ws.page_setup.paperSize) == int(ws.PAPERSIZE_A4)
        assert ws.sheet_properties.pageSetUpPr.fitToPage
