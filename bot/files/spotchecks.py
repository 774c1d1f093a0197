"""The spot-check agreement figures as XLSX: per county (with the city's total), per community,
and the items that disagree most — a pure function of the report
(bot.domain.spotchecks.SpotReport) in the reader's language, laid out with the one table
layout (bot.files.xlsx: A4, widths from the content, rows tall enough, header repeated, every
cell through the formula-safe helper)."""

from __future__ import annotations

from typing import IO, Any

from bot.domain.spotchecks import CountyFigures, SpotReport, rate
from bot.files import xlsx
from bot.files.xlsx import Col
from bot.texts import t


def _sheet(ws: Any, title: str, cols: list[Col], rows: list[list[Any]], lang: str) -> None:
    """Title, the table (a bold total when its last row is one), what the rates mean."""
    ws_widths = xlsx.widths(cols, rows)
    xlsx.set_widths(ws, ws_widths)
    xlsx.finish(ws, ws_widths)
    top = xlsx.title_rows(ws, len(cols), None, title)
    total = bool(rows) and rows[-1][1] == t(lang, "sp_x_total")
    end = xlsx.tabulate(ws, top, cols, rows, bold_last=total)
    xlsx.note_row(ws, end, len(cols), t(lang, "sp_x_meaning"))


def _h(lang: str, key: str) -> str:
    return t(lang, f"sp_x_h_{key}")


def _county_cols(lang: str) -> list[Col]:
    return [
        Col(t(lang, "fl_h_no"), "int"), Col(_h(lang, "county"), "name", cap=16),
        Col(_h(lang, "communities"), "int"), Col(_h(lang, "items"), "int"),
        Col(_h(lang, "agree_self"), "int"), Col(_h(lang, "rate_self"), "pct"),
        Col(_h(lang, "agree_verified"), "int"), Col(_h(lang, "rate_verified"), "pct"),
    ]  # fmt: skip


def _county_rows(counties: list[CountyFigures], lang: str) -> list[list[Any]]:
    rows: list[list[Any]] = [
        [i, f.county, f.communities, f.items, f.agree_self, f.rate_self, f.agree_verified,
         f.rate_verified]
        for i, f in enumerate(counties, 1)
    ]  # fmt: skip
    n, items, own, ver = (sum(getattr(f, k) for f in counties)
                          for k in ("communities", "items", "agree_self", "agree_verified"))  # fmt: skip
    return [*rows, ["", t(lang, "sp_x_total"), n, items, own, rate(own, items), ver,
                    rate(ver, items)]]  # fmt: skip


def _community_cols(lang: str) -> list[Col]:
    return [
        Col(t(lang, "fl_h_no"), "int"),
        Col(t(lang, "fl_h_community"), "name", cap=20),
        Col(_h(lang, "county"), "name", cap=14),
        Col(_h(lang, "outcome"), "text", cap=14),
        *_county_cols(lang)[3:],
    ]


def _community_rows(r: SpotReport, lang: str) -> list[list[Any]]:
    return [
        [i, s.community, s.county, t(lang, f"sp_state_{s.state}"), tl.items, tl.agree_self,
         rate(tl.agree_self, tl.items), tl.agree_verified, rate(tl.agree_verified, tl.items)]
        for i, (s, tl) in enumerate(r.communities, 1)
    ]  # fmt: skip


def _item_cols(lang: str) -> list[Col]:
    return [
        Col(t(lang, "fl_h_no"), "int"), Col(t(lang, "fl_h_item"), "text", cap=8),
        Col(_h(lang, "wording"), "text", cap=48), Col(_h(lang, "disagree"), "int"),
    ]  # fmt: skip


def agreement_xlsx(region: str, r: SpotReport, out: IO[bytes], lang: str = "zh") -> None:
    """Three sheets: per county, per community, the items that disagree most."""
    wb = xlsx.workbook()
    title = t(lang, "sp_x_title", region=region, year=r.year)
    _sheet(xlsx.sheet(wb, t(lang, "sp_x_counties")), title, _county_cols(lang),
           _county_rows(r.counties, lang), lang)  # fmt: skip
    _sheet(xlsx.sheet(wb, t(lang, "sp_x_communities"), first=False),
           t(lang, "sp_x_detail_title", region=region, year=r.year), _community_cols(lang),
           _community_rows(r, lang), lang)  # fmt: skip
    items = [[i, q, r.wording.get(q, ""), n] for i, (q, n) in enumerate(r.items, 1)]
    _sheet(xlsx.sheet(wb, t(lang, "sp_x_items"), first=False),
           t(lang, "sp_x_items_title", region=region, year=r.year), _item_cols(lang), items,
           lang)  # fmt: skip
    wb.save(out)
