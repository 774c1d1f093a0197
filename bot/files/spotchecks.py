"""The spot-check agreement figures as XLSX: per county, per community, and the items that
disagree most — a pure function of the report (bot.services.spotchecks.SpotReport), laid out
with the shared table helpers (bot.files.xlsx: A4, one CJK font, wrapped rows that grow; every
cell through the formula-safe helper)."""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import Any

from openpyxl import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from bot.domain.spotchecks import CountyFigures, rate
from bot.files.xlsx import data_row, fit_height, header, note_row, repeat_header, title_rows, widths
from bot.services.spotchecks import SpotReport

COUNTY_HEAD = ("序号", "县（区）", "抽查社区数", "抽查条目数", "与自评一致", "自评一致率",
               "与核定一致", "核定一致率")  # fmt: skip
COMMUNITY_HEAD = ("序号", "社区", "县（区）", "抽查结论", "抽查条目数", "与自评一致",
                  "自评一致率", "与核定一致", "核定一致率")  # fmt: skip
ITEM_HEAD = ("序号", "条目", "内容", "与自评不一致的社区数")
MEANING = (
    "说明：抽查人员到现场逐项重新核查。“与自评一致”指抽查结果与社区自评相同（状态和分值均相同）的条目数，"
    "“与核定一致”指与此前审核核定的结果相同的条目数（未经核定的条目以社区自评为准）；一致率 = 一致条目数 ÷ "
    "抽查条目数。只计入抽查人员已作出结论的抽查。"
)


def _table(
    ws: Worksheet, title: str, head: Sequence[str], rows: list[list[Any]], pct: tuple[int, ...],
    cap: int = 24,
) -> None:  # fmt: skip
    """Title, header and bordered rows, widths fitted (at most `cap` characters, then the text
    wraps), the header repeated on every page."""
    start = title_rows(ws, len(head), None, title)
    header(ws, start, head)
    repeat_header(ws, start)
    widths(ws, head, rows, cap=cap)
    fit_height(ws, start)  # the titles wrap to about two lines: the row grows to show them
    for k, values in enumerate(rows, start + 1):
        data_row(ws, k, values, bold=values[1] == "合计", pct=pct)
    note_row(ws, start + len(rows) + 1, len(head), MEANING)


def _county_rows(counties: list[CountyFigures]) -> list[list[Any]]:
    rows: list[list[Any]] = [
        [i, f.county, f.communities, f.items, f.agree_self, f.rate_self, f.agree_verified,
         f.rate_verified]
        for i, f in enumerate(counties, 1)
    ]  # fmt: skip
    n, items, own, ver = (sum(getattr(f, k) for f in counties)
                          for k in ("communities", "items", "agree_self", "agree_verified"))  # fmt: skip
    rows.append(["", "合计", n, items, own, rate(own, items), ver, rate(ver, items)])
    return rows


def _label(state: str) -> str:
    from bot.texts import t

    return t("zh", f"sp_state_{state}")


def agreement_xlsx(region: str, r: SpotReport) -> bytes:
    """Three sheets: 县区一致率, 社区明细, 分歧条目."""
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "县区一致率"
    _table(ws, f"{region}{r.year}年绿色社区抽查一致率", COUNTY_HEAD, _county_rows(r.counties),
           (5, 7))  # fmt: skip
    cs = wb.create_sheet("社区明细")
    rows = [
        [i, s.community, s.county, _label(s.state), tl.items, tl.agree_self,
         rate(tl.agree_self, tl.items), tl.agree_verified, rate(tl.agree_verified, tl.items)]
        for i, (s, tl) in enumerate(r.communities, 1)
    ]  # fmt: skip
    _table(cs, f"{region}{r.year}年绿色社区抽查明细", COMMUNITY_HEAD, rows, (6, 8))
    items = wb.create_sheet("分歧条目")
    _table(items, f"{region}{r.year}年抽查分歧最多的条目", ITEM_HEAD,
           [[i, q, r.wording.get(q, ""), n] for i, (q, n) in enumerate(r.items, 1)], (),
           cap=40)  # fmt: skip
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
