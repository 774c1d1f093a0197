"""DOCX building blocks for the forms: one CJK family in every run, exact line spacing (so a
box's height is known before Word, WPS or LibreOffice lays it out), rows that never split across
pages, and the arithmetic that says how many lines a text takes in a box of a given width.

python-docx is imported lazily: the bot only needs it when a form is asked for.
"""

from __future__ import annotations

import io
import math
from collections.abc import Sequence
from typing import Any

from bot.domain.text import clean
from bot.texts.layout import char_width, even_lines

FONT = "仿宋_GB2312"  # the 说明's own font (三、本表使用仿宋_GB2312小四号字填报)
SIZE = 12.0  # 小四
LANG = "zh-CN"
LINE = 1.3  # exact line spacing, in em: the same height in every office suite
CELL_PAD_CM = 0.19 * 2  # a cell's left and right margins (the Table Grid style's)
PT_PER_CM = 72 / 2.54
PAGE_W, PAGE_H = 21.0, 29.7  # A4, cm


def line_pt(size: float) -> float:
    return round(size * LINE * 2) / 2  # half points: what the file stores


def per_line(width_cm: float, size: float) -> float:
    """Half-width characters that fit one line of a box `width_cm` wide (a CJK one counts 2;
    one is kept in reserve for punctuation that may not start a line)."""
    return max(2.0, (width_cm - CELL_PAD_CM) * PT_PER_CM / size * 2 - 2)


def lines_in(text: str, width_cm: float, size: float) -> int:
    """Lines `text` takes in a box `width_cm` wide at `size` pt (each paragraph at least one)."""
    room = per_line(width_cm, size)
    return sum(max(1, math.ceil(sum(map(char_width, p)) / room)) for p in text.split("\n"))


def cut(text: str, width_cm: float, size: float, lines: int) -> int:
    """The length of the longest start of `text` that takes at most `lines` lines."""
    room, used, col = per_line(width_cm, size), 1, 0.0
    for k, ch in enumerate(text):
        if ch == "\n":
            used, col = used + 1, 0.0
        elif col + char_width(ch) > room:
            used, col = used + 1, float(char_width(ch))
        else:
            col += char_width(ch)
        if used > lines:
            return k
    return len(text)


def balance(text: str, width_cm: float, size: float) -> str:
    """A short value that wraps, broken into as few lines as it needs of equal length (no
    orphan character on a line of its own, no line starting with a comma); else as it is."""
    n = lines_in(text, width_cm, size)
    if n < 2 or "\n" in text:
        return text
    lines = even_lines(text, n)
    room = per_line(width_cm, size)
    if len(lines) < n or any(sum(map(char_width, line)) > room for line in lines):
        return text
    return "\n".join(lines)


def cm_of(pt: float) -> float:
    return pt / PT_PER_CM


def pt(v: float) -> Any:
    from docx.shared import Pt

    return Pt(v)


# -- python-docx ---------------------------------------------------------------------------------


def fonts(rpr: Any) -> None:
    """One family for every script of a run's properties, and the zh-CN language."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    rfonts = rpr.get_or_add_rFonts()
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        rfonts.set(qn(attr), FONT)
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr.append(lang)
    lang.set(qn("w:val"), LANG)
    lang.set(qn("w:eastAsia"), LANG)


def document(margins: tuple[float, float, float, float]) -> Any:
    """An A4 portrait document, margins (top, right, bottom, left) in cm, Normal in the font."""
    from docx import Document
    from docx.enum.section import WD_ORIENT
    from docx.shared import Cm, Pt

    doc = Document()
    sec = doc.sections[0]
    sec.orientation = WD_ORIENT.PORTRAIT
    sec.page_width, sec.page_height = Cm(PAGE_W), Cm(PAGE_H)
    sec.top_margin, sec.right_margin = Cm(margins[0]), Cm(margins[1])
    sec.bottom_margin, sec.left_margin = Cm(margins[2]), Cm(margins[3])
    for name in ("Normal", "Table Grid"):
        style = doc.styles[name]
        style.font.name = FONT
        style.font.size = Pt(SIZE)
        fonts(style.element.get_or_add_rPr())
    normal = doc.styles["Normal"].paragraph_format
    normal.space_before = normal.space_after = Pt(0)
    doc.core_properties.language = LANG
    return doc


def paragraph(par: Any, text: str, size: float = SIZE, bold: bool = False,
              align: str = "left", indent: bool = False) -> Any:  # fmt: skip
    """Fill `par` with one run: exact line spacing, no space around, aligned as asked."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
    from docx.shared import Pt

    fmt = par.paragraph_format
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = Pt(line_pt(size))
    fmt.space_before = fmt.space_after = Pt(0)
    if indent:
        fmt.first_line_indent = Pt(size * 2)
    par.alignment = {
        "left": WD_ALIGN_PARAGRAPH.LEFT,
        "center": WD_ALIGN_PARAGRAPH.CENTER,
        "right": WD_ALIGN_PARAGRAPH.RIGHT,
    }[align]
    run = par.add_run(clean(text))  # every text of a form passes here (bot.domain.text)
    run.font.size = Pt(size)
    run.bold = bold
    run.font.name = FONT
    fonts(run._element.get_or_add_rPr())
    return par


def lines(doc_or_cell: Any, text: str, size: float = SIZE, bold: bool = False,
          align: str = "left", indent: bool = False, first: bool = False) -> None:  # fmt: skip
    """One paragraph per line of `text`; `first`: the cell's own empty first paragraph is used."""
    for k, line in enumerate(text.split("\n")):
        par = doc_or_cell.paragraphs[0] if first and k == 0 else doc_or_cell.add_paragraph()
        paragraph(par, line, size, bold, align, indent)


def cell(c: Any, text: str = "", size: float = SIZE, align: str = "center",
         valign: str = "center", bold: bool = False) -> Any:  # fmt: skip
    """A box with `text` (one paragraph per line) aligned as asked."""
    from docx.enum.table import WD_ALIGN_VERTICAL

    c.vertical_alignment = {
        "center": WD_ALIGN_VERTICAL.CENTER,
        "top": WD_ALIGN_VERTICAL.TOP,
        "bottom": WD_ALIGN_VERTICAL.BOTTOM,
    }[valign]
    lines(c, text, size, bold, align, first=True)
    return c


def grid(doc: Any, rows: int, widths_cm: Sequence[float]) -> Any:
    """A bordered table with fixed column widths (the grid, which LibreOffice and WPS lay out
    by, and each cell, which Word reads); no row may break across a page."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Cm

    tb = doc.add_table(rows=rows, cols=len(widths_cm))
    tb.style = "Table Grid"
    tb.autofit = False
    for k, w in enumerate(widths_cm):
        tb.columns[k].width = Cm(w)
    for row in tb.rows:
        for k, w in enumerate(widths_cm):
            row.cells[k].width = Cm(w)
        tr_pr = row._tr.get_or_add_trPr()
        tr_pr.append(OxmlElement("w:cantSplit"))
        tr_pr.find(qn("w:cantSplit")).set(qn("w:val"), "1")
    return tb


def height(row: Any, cm: float) -> None:
    """The row is at least `cm` tall (it grows with its text, never clips it)."""
    from docx.enum.table import WD_ROW_HEIGHT_RULE
    from docx.shared import Cm

    row.height = Cm(cm)
    row.height_rule = WD_ROW_HEIGHT_RULE.AT_LEAST


def no_border(c: Any, side: str) -> None:
    """Hide one border of a cell (a box drawn over two rows: text above, stamp below)."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    tc_pr = c._tc.get_or_add_tcPr()
    borders = tc_pr.find(qn("w:tcBorders"))
    if borders is None:
        borders = OxmlElement("w:tcBorders")
        tc_pr.append(borders)
    edge = OxmlElement(f"w:{side}")
    edge.set(qn("w:val"), "nil")
    borders.append(edge)


def heading(doc: Any, attach: str | None, title: str, size: float = 20) -> float:
    """The 附件 line (when the form has one) and the centred title; return their height (cm)."""
    used = 0.0
    if attach:
        paragraph(doc.add_paragraph(), attach, 16, bold=True)
        used += line_pt(16)
    paragraph(doc.add_paragraph(), title, size, bold=True, align="center")
    spacer = doc.add_paragraph()
    paragraph(spacer, "", 8)
    return cm_of(used + line_pt(size) + line_pt(8))


def save(doc: Any) -> bytes:
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()
