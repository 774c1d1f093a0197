"""Sheet helpers shared by every XLSX table: A4 page setup, one CJK font, wrapped rows that grow.

LibreOffice and WPS do not autofit row heights written by openpyxl, so each helper that writes
wrapped text sets the row height from the text's display width (CJK counts double) and the
column widths. Every value goes through bot.files.safe.put: user text is never a formula.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Sequence
from typing import Any

from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.page import PageMargins
from openpyxl.worksheet.worksheet import Worksheet

from bot.files.safe import put
from bot.texts.layout import display_width

FONT = "宋体"  # one CJK family for every cell, bold included
SIZE = 11
LINE_PT = 15.0  # the height of one line of 11 pt text
PCT_FORMAT = "0.0%"
FOOTER = "第 &P 页 / 共 &N 页"

_THIN = Side(style="thin", color="000000")
BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
HEAD_FILL = PatternFill("solid", fgColor="E2EFDA")
CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)
LEFT = Alignment(horizontal="left", vertical="center", wrap_text=True)
TOP_LEFT = Alignment(horizontal="left", vertical="top", wrap_text=True)


def font(size: float = SIZE, bold: bool = False) -> Font:
    return Font(name=FONT, size=size, bold=bold)


def zh_date(day: dt.date) -> str:
    """A date as offices write it: 2026年11月28日 (no zero padding)."""
    return f"{day.year}年{day.month}月{day.day}日"


def page_setup(ws: Worksheet, landscape: bool) -> None:
    """A4, fit to one page wide, centred, page x / y in the footer."""
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape" if landscape else "portrait"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.horizontalCentered = True
    ws.page_margins = PageMargins(left=0.5, right=0.5, top=0.6, bottom=0.7, footer=0.3)
    ws.oddFooter.center.text = FOOTER
    ws.oddFooter.center.font = FONT
    ws.oddFooter.center.size = 10


def repeat_header(ws: Worksheet, first: int, last: int | None = None) -> None:
    """Print rows first..last on every page."""
    ws.print_title_rows = f"{first}:{last or first}"


def lines_for(text: str, width: float) -> int:
    """How many lines `text` wraps to in a column `width` characters wide (CJK counts double)."""
    usable = max(1.0, width - 1.5)
    return sum(max(1, math.ceil(display_width(part) / usable)) for part in str(text).split("\n"))


def fit_height(ws: Worksheet, row: int, minimum: float = 0.0, size: float = SIZE) -> None:
    """Set the row's height for its tallest wrapped cell (merged cells use their full width)."""
    spans = _merged_widths(ws, row)
    most = 1
    for cell in ws[row]:
        if cell.value is None or isinstance(cell.value, (int, float)):
            continue
        width = spans.get(cell.column) or _width(ws, cell.column)
        most = max(most, lines_for(str(cell.value), width))
    ws.row_dimensions[row].height = max(minimum, most * LINE_PT * size / SIZE + 4)


def _width(ws: Worksheet, col: int) -> float:
    w = ws.column_dimensions[get_column_letter(col)].width
    return float(w or 8.43)


def _merged_widths(ws: Worksheet, row: int) -> dict[int, float]:
    out: dict[int, float] = {}
    for rng in ws.merged_cells.ranges:
        if rng.min_row == row == rng.max_row:
            cols = range(rng.min_col, rng.max_col + 1)
            out[rng.min_col] = sum(_width(ws, c) for c in cols)
    return out


def title_rows(ws: Worksheet, ncols: int, attach: str | None, title: str) -> int:
    """The attachment id (when the program's form has one) and the merged title; next row."""
    page_setup(ws, landscape=ncols > 7)
    put(ws.cell(row=1, column=1), attach or "").font = font(12, bold=True)
    ws.merge_cells(start_row=2, start_column=1, end_row=2, end_column=ncols)
    c = put(ws.cell(row=2, column=1), title)
    c.font = font(18, bold=True)
    c.alignment = Alignment(horizontal="center", vertical="center")
    ws.row_dimensions[2].height = 32
    return 3


def note_row(ws: Worksheet, row: int, ncols: int, text: str, size: float = 10) -> int:
    """A merged, wrapped line of text across the table's width; return the next row."""
    ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=ncols)
    c = put(ws.cell(row=row, column=1), text)
    c.alignment = TOP_LEFT
    c.font = font(size)
    fit_height(ws, row, size=size)
    return row + 1


def header(ws: Worksheet, row: int, titles: Sequence[str], col: int = 1) -> None:
    for k, title in enumerate(titles):
        c = put(ws.cell(row=row, column=col + k), title)
        c.font = font(bold=True)
        c.alignment = CENTER
        c.border = BORDER
        c.fill = HEAD_FILL


def data_row(
    ws: Worksheet, row: int, values: Sequence[Any], bold: bool = False, pct: Iterable[int] = ()
) -> None:
    """One bordered table row; columns in `pct` (0-based) hold fractions shown as 0.0%."""
    pcts = set(pct)
    for k, v in enumerate(values):
        c = put(ws.cell(row=row, column=1 + k), v)
        c.border = BORDER
        c.alignment = LEFT if isinstance(v, str) and k and len(v) > 4 else CENTER
        c.font = font(bold=bold)
        if k in pcts and isinstance(v, (int, float)):
            c.number_format = PCT_FORMAT
    fit_height(ws, row)


def widths(ws: Worksheet, titles: Sequence[str], rows: Iterable[Sequence[Any]], cap: int) -> None:
    """Column widths from titles (wrapped to about two lines) and values, at most `cap`."""
    ws_widths = [min(cap, max(6, display_width(t) // 2 + 3)) for t in titles]
    for r in rows:
        for k, v in enumerate(r):
            if k < len(ws_widths) and v is not None and not isinstance(v, float):
                ws_widths[k] = min(cap, max(ws_widths[k], display_width(str(v)) + 2))
    for k, w in enumerate(ws_widths):
        ws.column_dimensions[get_column_letter(k + 1)].width = w


def label_line(ws: Worksheet, row: int, parts: Sequence[tuple[int, int, str]]) -> int:
    """A line of labels, each merged over columns [a, b] so that none is cut; next row."""
    for a, b, text in parts:
        if b > a:
            ws.merge_cells(start_row=row, start_column=a, end_row=row, end_column=b)
        c = put(ws.cell(row=row, column=a), text)
        c.font = font()
        c.alignment = Alignment(horizontal="left", vertical="center", wrap_text=True)
    fit_height(ws, row)
    return row + 1
