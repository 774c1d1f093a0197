"""The one print layout of every XLSX table a person prints: A4, one CJK font, widths from the
content, wrapped text in rows tall enough for it, borders, the header rows repeated on every
page, page x / y in the footer, dates as real dates.

Measured, not guessed (LibreOffice 7 and Excel agree once the workbook's default font is the
table's own: a column `w` wide holds `w` half-width or `w / 2` CJK characters, less a little
padding): `workbook()` makes 宋体 the default font; `lines_for` counts wrapped lines; a line of
11 pt CJK text needs `LINE_EM` em (Noto/宋体 ascent + descent), so `fit_height` never clips.
LibreOffice and WPS do not autofit row heights written by openpyxl, so every row gets its
height here. Every value goes through bot.files.safe.put: user text is never a formula.
"""

from __future__ import annotations

import datetime as dt
import math
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Literal

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, NamedStyle, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.utils.indexed_list import IndexedList
from openpyxl.worksheet.page import PageMargins
from openpyxl.worksheet.worksheet import Worksheet

from bot.files.safe import put
from bot.texts.layout import even_lines

FONT = "宋体"  # one CJK family for every cell, bold included
SIZE = 11
LINE_EM = 1.45  # one line of CJK text, in em (measured in LibreOffice with Noto Serif CJK)
PAD_PT = 4.0  # a row's top and bottom padding
LINE_PT = SIZE * LINE_EM
PCT_FORMAT = "0.0%"
DATE_FORMAT = "yyyy-mm-dd"
TIME_FORMAT = "yyyy-mm-dd hh:mm"
FOOTER = "第 &P 页 / 共 &N 页"
PORTRAIT_UNITS = 92  # column units that print across A4 portrait at these margins
MAX_ROW_PT = 409  # the tallest row Excel keeps: a text column widens until its text fits it
WIDEST = 120

_THIN = Side(style="thin", color="000000")
BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
HEAD_FILL = PatternFill("solid", fgColor="E2EFDA")
CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)
LEFT = Alignment(horizontal="left", vertical="center", wrap_text=True)
TOP_LEFT = Alignment(horizontal="left", vertical="top", wrap_text=True)

Kind = Literal["text", "name", "int", "pct", "score", "date", "datetime"]
_FORMATS = {"pct": PCT_FORMAT, "date": DATE_FORMAT, "datetime": TIME_FORMAT, "score": "0.##"}
_VALUE_WIDTH = {"int": 6, "pct": 7, "score": 6, "date": 11, "datetime": 17}


@lru_cache(maxsize=32)
def font(size: float = SIZE, bold: bool = False) -> Font:
    """The one family at a size (shared: a sheet of thousands of cells builds a handful)."""
    return Font(name=FONT, size=size, bold=bold)


def workbook() -> Workbook:
    """A workbook whose default font (the unit of column widths) is the tables' own."""
    wb = Workbook()
    default = font()
    wb._fonts = IndexedList([default])  # fonts[0] sizes the columns in every spreadsheet app
    wb._named_styles["Normal"].font = default
    return wb


def sheet(wb: Workbook, title: str, first: bool = True) -> Worksheet:
    """The workbook's first sheet (renamed) or a new one; at most 31 characters, as Excel asks."""
    ws = wb.active if first else wb.create_sheet()
    assert ws is not None
    ws.title = _sheet_title(title)
    return ws


def _sheet_title(title: str) -> str:
    bad = str.maketrans({c: "_" for c in "[]:*?/\\"})
    return title.translate(bad)[:31] or "Sheet"


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


def display_width(text: str) -> int:
    """Columns `text` takes in a CJK font: full-width and the punctuation CJK fonts draw full
    width (“ ” · …, east-asian "ambiguous") count 2."""
    return sum(2 if unicodedata.east_asian_width(c) in "WFA" else 1 for c in text)


def lines_for(text: str, width: float) -> int:
    """How many lines `text` wraps to in a column `width` units wide (CJK counts double)."""
    usable = max(1.0, width - 1.0)
    return sum(max(1, math.ceil(display_width(part) / usable)) for part in str(text).split("\n"))


def height_for(lines: int, size: float = SIZE) -> float:
    return lines * size * LINE_EM + PAD_PT


def fit_height(
    ws: Worksheet, row: int, minimum: float = 0.0, size: float = SIZE, last: int | None = None
) -> None:
    """Set the row's height for its tallest wrapped cell (merged cells use their full width);
    `last`: the row's last column (else the sheet's, which openpyxl counts cell by cell)."""
    spans = _merged_widths(ws, row)
    most = 1
    cells = next(ws.iter_rows(min_row=row, max_row=row, max_col=last or ws.max_column))
    for cell in cells:
        if cell.value is None or not isinstance(cell.value, str):
            continue
        width = spans.get(cell.column) or col_width(ws, cell.column)
        most = max(most, lines_for(cell.value, width * SIZE / size))  # larger text: fewer a line
    ws.row_dimensions[row].height = max(minimum, height_for(most, size))


def col_width(ws: Worksheet, col: int) -> float:
    w = ws.column_dimensions[get_column_letter(col)].width
    return float(w or 8.43)


def _merged_widths(ws: Worksheet, row: int) -> dict[int, float]:
    out: dict[int, float] = {}
    for rng in ws.merged_cells.ranges:
        if rng.min_row == row == rng.max_row:
            cols = range(rng.min_col, rng.max_col + 1)
            out[rng.min_col] = sum(col_width(ws, c) for c in cols)
    return out


def balanced(text: str, width: float) -> str:
    """A name too wide for its column, broken into as few lines as it needs, of equal length
    (no orphan character on a line of its own); names that fit are returned as they are."""
    usable = max(2.0, width - 1.0)
    if "\n" in text or display_width(text) <= usable:
        return text
    lines = even_lines(text, len(_greedy(text, usable)))
    if any(display_width(line) > usable for line in lines):  # mixed widths: fill each line
        lines = _greedy(text, usable)
    return "\n".join(lines)


def _greedy(text: str, usable: float) -> list[str]:
    lines = [""]
    for ch in text:
        if lines[-1] and display_width(lines[-1] + ch) > usable:
            lines.append("")
        lines[-1] += ch
    return lines


def packed(items: Sequence[str], width: float, sep: str = "、") -> str:
    """Items joined with `sep`, a line break only between two items (never inside a name)."""
    usable = max(1.0, width - 1.0)
    lines: list[str] = []
    for item in items:
        if lines and display_width(lines[-1] + sep + item) <= usable:
            lines[-1] += sep + item
        else:
            if lines:
                lines[-1] += sep
            lines.append(balanced(item, width))
    return "\n".join(lines)


# -- the one table layout ------------------------------------------------------------------------


@dataclass(frozen=True)
class Col:
    """A column: its title ("\\n" where the title may break), what it holds, how wide it may grow.

    text: wrapped, left; name: a place or person, kept on balanced lines; int, score: centred
    numbers; pct: a fraction shown 0.0%; date, datetime: real dates, shown yyyy-mm-dd (hh:mm).
    """

    title: str
    kind: Kind = "text"
    cap: int = 30
    floor: int = 4


def widths(cols: Sequence[Col], rows: Sequence[Sequence[Any]]) -> list[float]:
    """Each column's width: its widest value (plus padding) within floor..cap, and never less
    than its title's widest line (a title breaks only where its "\n" says)."""
    out = [0.0] * len(cols)
    for r in rows:
        for k, v in enumerate(r[: len(cols)]):
            if v is None or v == "":
                continue
            kind = cols[k].kind
            need = _VALUE_WIDTH.get(kind) or max(display_width(p) for p in str(v).split("\n"))
            out[k] = max(out[k], float(need + 2))
    heads = [float(max(display_width(p) for p in c.title.split("\n")) + 2) for c in cols]
    return [
        max(head, min(float(c.cap), max(float(c.floor), w)), tall)
        for c, w, head, tall in zip(cols, out, heads, _tallest(cols, rows), strict=True)
    ]


def _tallest(cols: Sequence[Col], rows: Sequence[Sequence[Any]]) -> list[float]:
    """The width each text column needs so that its longest text fits the tallest row a
    spreadsheet keeps (MAX_ROW_PT) at its cap, or more (up to WIDEST)."""
    most = max(1, int((MAX_ROW_PT - PAD_PT) / LINE_PT))
    out = [0.0] * len(cols)
    for r in rows:
        for k, v in enumerate(r[: len(cols)]):
            if isinstance(v, str) and cols[k].kind in ("text", "name"):
                w = float(max(cols[k].cap, out[k]))
                while lines_for(v, w) > most and w < WIDEST:
                    w += 2
                out[k] = max(out[k], min(float(WIDEST), w)) if w > cols[k].cap else out[k]
    return out


def set_widths(ws: Worksheet, ws_widths: Sequence[float], first: int = 1) -> None:
    for k, w in enumerate(ws_widths):
        ws.column_dimensions[get_column_letter(first + k)].width = w


def landscape_for(ws_widths: Sequence[float]) -> bool:
    return sum(ws_widths) > PORTRAIT_UNITS


def header(ws: Worksheet, row: int, titles: Sequence[str], col: int = 1) -> None:
    for k, title in enumerate(titles):
        c = put(ws.cell(row=row, column=col + k), title)
        c.font = font(bold=True)
        c.alignment = CENTER
        c.border = BORDER
        c.fill = HEAD_FILL


def _shown(v: Any, col: Col, width: float) -> Any:
    if isinstance(v, str) and col.kind == "name":
        return balanced(v, width)
    return v


def data_row(
    ws: Worksheet, row: int, values: Sequence[Any], cols: Sequence[Col], bold: bool = False
) -> None:
    """One bordered table row, each cell formatted as its column says; the row's height fits."""
    for k, (v, col) in enumerate(zip(values, cols, strict=False)):
        c = put(ws.cell(row=row, column=1 + k), _shown(v, col, col_width(ws, 1 + k)))
        dated = col.kind in _FORMATS and isinstance(v, (int, float, dt.date))
        c.style = _style(ws.parent, col.kind if dated else "", col.kind in ("text", "name"), bold)
    fit_height(ws, row, last=len(cols))


def _style(wb: Workbook, fmt: str, left: bool, bold: bool) -> str:
    """The named cell style of a table cell (border, font, alignment, number format), added to
    the workbook once: one assignment a cell, where four would each re-index the styles."""
    name = f"gc-{fmt or 'plain'}-{'left' if left else 'centre'}{'-bold' if bold else ''}"
    if name not in wb.named_styles:
        style = NamedStyle(name=name, font=font(bold=bold), border=BORDER)
        style.alignment = LEFT if left else CENTER
        style.number_format = _FORMATS.get(fmt, "General")
        wb.add_named_style(style)
    return name


def tabulate(
    ws: Worksheet,
    top: int,
    cols: Sequence[Col],
    rows: Sequence[Sequence[Any]],
    *,
    bold_last: bool = False,
    groups: Sequence[tuple[str, int, int]] = (),
) -> int:
    """The header at row `top` (with `groups`, a row above it that spans columns a..b, 1-based;
    the other titles span both rows), then the rows; header rows print on every page, panes
    freeze below them. Widths must be set first (`set_widths`). Return the next free row."""
    first = top
    if groups:  # styled first, merged after: a merge keeps its first cell's borders
        grouped = {k for _, a, b in groups for k in range(a, b + 1)}
        header(ws, top, [c.title if k + 1 not in grouped else "" for k, c in enumerate(cols)])
        header(ws, top + 1, [c.title if k + 1 in grouped else "" for k, c in enumerate(cols)])
        for text, a, b in groups:
            put(ws.cell(row=top, column=a), text)
            ws.merge_cells(start_row=top, start_column=a, end_row=top, end_column=b)
        for k in range(1, len(cols) + 1):
            if k not in grouped:
                ws.merge_cells(start_row=top, start_column=k, end_row=top + 1, end_column=k)
        fit_height(ws, top, last=len(cols))
        top += 1
    else:
        header(ws, top, [c.title for c in cols])
    fit_height(ws, top, last=len(cols))
    repeat_header(ws, first, top)
    ws.freeze_panes = ws.cell(row=top + 1, column=1)
    for k, v in enumerate(rows):
        data_row(ws, top + 1 + k, v, cols, bold=bold_last and k == len(rows) - 1)
    return top + 1 + len(rows)


def title_rows(ws: Worksheet, ncols: int, attach: str | None, title: str) -> int:
    """The attachment id (when the program's form has one) and the merged title; next row."""
    row = 1
    if attach:
        put(ws.cell(row=1, column=1), attach).font = font(12, bold=True)
        row = 2
    ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=max(1, ncols))
    c = put(ws.cell(row=row, column=1), title)
    c.font = font(16, bold=True)
    c.alignment = CENTER
    fit_height(ws, row, minimum=28, size=16, last=max(1, ncols))
    return row + 1


def note_row(ws: Worksheet, row: int, ncols: int, text: str, size: float = 10) -> int:
    """A merged, wrapped line of text across the table's width; return the next row."""
    ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=ncols)
    c = put(ws.cell(row=row, column=1), text)
    c.alignment = TOP_LEFT
    c.font = font(size)
    fit_height(ws, row, size=size, last=ncols)
    return row + 1


def label_line(ws: Worksheet, row: int, parts: Sequence[tuple[int, int, str]]) -> int:
    """A line of labels, each merged over columns [a, b] so that none is cut; next row."""
    for a, b, text in parts:
        if b > a:
            ws.merge_cells(start_row=row, start_column=a, end_row=row, end_column=b)
        c = put(ws.cell(row=row, column=a), text)
        c.font = font()
        c.alignment = LEFT
    fit_height(ws, row, last=max(b for _, b, _ in parts))
    return row + 1


def spread(ws: Worksheet, ncols: int, texts: Sequence[str]) -> list[tuple[int, int, str]]:
    """`texts` side by side on one line, each over as many columns as it needs (the last to the
    table's edge); all in the first column's span when they do not fit side by side."""
    out, start = [], 1
    for k, text in enumerate(texts):
        end, room = start, col_width(ws, start)
        while room < display_width(text) + 3 and end < ncols:
            end += 1
            room += col_width(ws, end)
        if k == len(texts) - 1:
            end = ncols
        out.append((start, end, text))
        start = end + 1
        if start > ncols and k < len(texts) - 1:
            return [(1, ncols, "　　".join(texts))]
    return out


def finish(ws: Worksheet, ws_widths: Sequence[float]) -> None:
    """Page setup for a sheet `ws_widths` wide: portrait unless it prints better across."""
    page_setup(ws, landscape_for(ws_widths))
