"""自查作答明细: every answer of the active standard (all standards when asked), of one year's
checks or of every year (the 年度 column says whose), as a printable XLSX streamed straight into a
zip (bounded memory, well over 50,000 rows/s). A pure function of the records
bot/services/exports.py gathers (bot.store.progress.every_answer's rows, streamed).

openpyxl's write-only mode is too slow for a national database (6,000,000 answers), so the sheet
XML is written here by hand: A4 landscape, fit to width, wrapped text with row heights from the
text's display width, the header row repeated on every page, an autofilter, page x / y in the
footer, times as real date-times. Over Excel's 1,048,576 rows the answers continue on a new sheet.
Every value is an inline string or a number: no cell is ever a formula (see bot/files/safe.py).
"""

from __future__ import annotations

import datetime as dt
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from functools import lru_cache
from typing import IO, Any
from xml.sax.saxutils import escape
from zoneinfo import ZoneInfo

from openpyxl.utils import get_column_letter

from bot.clock import local_naive
from bot.domain.answers import decode_deductions
from bot.domain.catalog import Catalog
from bot.domain.programs import Program
from bot.domain.standards import Standard, StandardError
from bot.domain.text import clean
from bot.files.xlsx import FONT, LINE_EM, PAD_PT, lines_for
from bot.services.exports import Answers
from bot.texts import t
from bot.texts.layout import user_label

ANSWER_COLUMNS = (  # "\n": where a title breaks in its narrow column
    "县区",
    "街道",
    "社区",
    "年度",  # the check's year (its cycle)
    "标准",
    "项目\n编号",
    "项目内容",
    "状态",
    "得分",
    "扣分",
    "备注",
    "材料\n数",
    "作答人",
    "时间",
    "核定\n状态",  # the review chain's verified result: blank until a reviewer acts
    "核定\n得分",
    "核定环节",
)
# Notes (500 characters) in at most 24 lines: Excel keeps rows up to 409 pt.
WIDTHS = (10, 12, 16, 6, 20, 7, 40, 9, 6, 6, 46, 6, 12, 17, 9, 6, 12)
EXCEL_ROWS = 1_048_576
SIZE_PT = 10  # the sheet's font size (styles below)
NOTE_ONLY = "仅备注"
_EPOCH = dt.datetime(1899, 12, 30)


def _deduction_total(text: str | None) -> float | None:
    """Total of stored deductions (bot.domain.answers' 'a:2,c:1'); None when none or unreadable."""
    try:
        return float(sum(decode_deductions(text).values())) if text else None
    except ValueError:
        return None


def _standard_of(cat: Catalog, sid: str, cache: dict[str, Standard | None]) -> Standard | None:
    if sid not in cache:
        try:
            cache[sid] = cat.standard(sid)
        except StandardError:
            cache[sid] = None
    return cache[sid]


@lru_cache(maxsize=65536)
def _when(iso: str | None, tz: ZoneInfo) -> dt.datetime | None:
    """A stored UTC ISO time as a naive local date-time (what a spreadsheet cell holds)."""
    if not iso:
        return None
    try:
        return local_naive(iso, tz)
    except ValueError:
        return None


@lru_cache(maxsize=64)
def _status(st: str | None) -> str:
    return t("zh", f"rp_status_{st}") if st else NOTE_ONLY


Items = dict[tuple[str, str], tuple[int, str, str]]


def _item(std: Standard | None, sid: str, qid: str, cache: Items) -> tuple[int, str, str]:
    """(the item's place in its standard, its text, the standard's title), cached per export."""
    found = cache.get((sid, qid))
    if found is None:
        found = cache[(sid, qid)] = _item_of(std, sid, qid)
    return found


def _item_of(std: Standard | None, sid: str, qid: str) -> tuple[int, str, str]:
    if std is None:
        return 10**6, "", sid
    if qid not in std.question_index:
        return 10**6, "", std.title
    return std.question_index[qid], std.question(qid).text, std.title


def _answer_row(
    r: Sequence[Any], std: Standard | None, tz: ZoneInfo, items: Items
) -> tuple[int, list[Any]]:
    """(the item's place in its standard, the ANSWER_COLUMNS row) of one stored answer."""
    _, sid, county, street, name, qid, st, pts, deds, note, ev, un, uu, uid, at = r[:15]
    vst, vpts, stage, year = r[15:19]
    order, text, title = _item(std, sid, qid, items)
    deduction = _deduction_total(deds) if deds else None
    row = [county, street or "", name, year, title, qid, text, _status(st), pts, deduction]
    row += [note or "", int(ev), user_label(un, uu, uid) or "", _when(at, tz)]
    row += [_status(vst) if vst else "", vpts, stage or ""]
    return order, row


def answer_rows(
    records: Iterable[Sequence[Any]], cat: Catalog, tz: ZoneInfo
) -> Iterator[list[Any]]:
    """One row per stored answer (ANSWER_COLUMNS), in roster order and, within a check, in its
    standard's question order."""
    stds: dict[str, Standard | None] = {}
    items: Items = {}
    batch: list[tuple[int, list[Any]]] = []
    current = None
    for r in records:
        if r[0] != current:
            yield from (row for _, row in sorted(batch, key=lambda x: x[0]))
            batch, current = [], r[0]
        batch.append(_answer_row(r, _standard_of(cat, r[1], stds), tz, items))
    yield from (row for _, row in sorted(batch, key=lambda x: x[0]))


def _title(program: Program, year: int | None, tz: ZoneInfo, now: dt.datetime) -> str:
    stamp = now.astimezone(tz)
    when = f"{stamp.year}年{stamp.month}月{stamp.day}日 {stamp:%H:%M}"
    which = f"{year} 年度" if year else "各年度"
    return f"{program.region}绿色社区自查作答明细（{which}，导出于 {when}）"


# -- the streaming writer -------------------------------------------------------------------------


def _xml_text(value: str) -> str:
    """Cleaned (bot.domain.text: what XML forbids never reaches the sheet), then escaped."""
    return escape(clean(value))


_LETTERS = [get_column_letter(k + 1) for k in range(len(ANSWER_COLUMNS))]
# cellXfs: 0 default · 1 header · 2 wrapped text · 3 number · 4 date-time · 5 title
_STYLE = (2, 2, 2, 3, 2, 3, 2, 3, 3, 3, 2, 3, 2, 4, 3, 3, 2)


_EMPTY = [f'<c s="{st}"/>' for st in _STYLE]
_NOTE_COL = 10
_CACHE_MAX = 50_000


def _cell(k: int, v: Any) -> str:
    """One cell without its reference (optional in SpreadsheetML: cells follow in order)."""
    if v is None or v == "":
        return _EMPTY[k]
    if isinstance(v, dt.datetime):
        serial = (v - _EPOCH).total_seconds() / 86400
        return f'<c s="4"><v>{serial!r}</v></c>'
    if isinstance(v, (int, float)) and not isinstance(v, bool):
        return f'<c s="{_STYLE[k]}"><v>{v}</v></c>'
    text = _xml_text(str(v))
    return f'<c s="{_STYLE[k]}" t="inlineStr"><is><t xml:space="preserve">{text}</t></is></c>'


class _Rows:
    """Row XML with repeated runs of cells cached: the place, year and standard (columns 1–5, the
    same for a whole check), the item (6–8), the person and the time; notes are never cached."""

    def __init__(self) -> None:
        self.runs: dict[tuple[Any, ...], str] = {}
        self.lines: dict[tuple[Any, ...], int] = {}

    def run(self, first: int, values: tuple[Any, ...]) -> str:
        key = (first, *values)
        found = self.runs.get(key)
        if found is None:
            if len(self.runs) > _CACHE_MAX:
                self.runs.clear()
            found = self.runs[key] = "".join(_cell(first + k, v) for k, v in enumerate(values))
        return found

    def height(self, v: Sequence[Any]) -> float:
        """The row height (pt) for the wrapped standard, item text, name and note."""
        key = (v[4], v[6], v[12])
        lines = self.lines.get(key)
        if lines is None:
            lines = max(lines_for(str(v[k] or ""), WIDTHS[k]) for k in (2, 4, 6, 12))
            if len(self.lines) < _CACHE_MAX:
                self.lines[key] = lines
        if v[_NOTE_COL]:
            lines = max(lines, lines_for(v[_NOTE_COL], WIDTHS[_NOTE_COL]))
        return lines * SIZE_PT * LINE_EM + PAD_PT

    def xml(self, row: int, v: Sequence[Any]) -> str:
        cells = (
            self.run(0, (v[0], v[1], v[2], v[3], v[4]))
            + self.run(5, (v[5], v[6], v[7]))
            + _cell(8, v[8])
            + _cell(9, v[9])
            + _cell(10, v[10])
            + _cell(11, v[11])
            + self.run(12, (v[12], v[13]))
            + self.run(14, (v[14], v[15], v[16]))
        )
        return f'<row r="{row}" ht="{self.height(v):g}" customHeight="1">{cells}</row>'


def _head_xml(title: str) -> str:
    cols = "".join(
        f'<col min="{k}" max="{k}" width="{w}" customWidth="1"/>'
        for k, w in enumerate(WIDTHS, start=1)
    )
    heads = "".join(
        f'<c r="{_LETTERS[k]}2" s="1" t="inlineStr"><is><t xml:space="preserve">{_xml_text(h)}</t></is></c>'
        for k, h in enumerate(ANSWER_COLUMNS)
    )
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<worksheet xmlns="{_NS}" xmlns:r="{_RNS}">'
        '<sheetPr><pageSetUpPr fitToPage="1"/></sheetPr>'
        '<sheetViews><sheetView workbookViewId="0"><pane ySplit="2" topLeftCell="A3"'
        ' activePane="bottomLeft" state="frozen"/></sheetView></sheetViews>'
        f'<sheetFormatPr defaultRowHeight="15"/><cols>{cols}</cols><sheetData>'
        f'<row r="1" ht="24" customHeight="1"><c r="A1" s="5" t="inlineStr"><is><t>'
        f"{_xml_text(title)}</t></is></c></row>"
        f'<row r="2" ht="34" customHeight="1">{heads}</row>'
    )


def _tail_xml(last: int) -> str:
    return (
        f'</sheetData><autoFilter ref="A2:{_LETTERS[-1]}{max(2, last)}"/>'
        '<printOptions horizontalCentered="1"/>'
        '<pageMargins left="0.4" right="0.4" top="0.5" bottom="0.6" header="0.3" footer="0.3"/>'
        '<pageSetup paperSize="9" orientation="landscape" fitToWidth="1" fitToHeight="0"/>'
        "<headerFooter><oddFooter>&amp;C第 &amp;P 页 / 共 &amp;N 页</oddFooter></headerFooter>"
        "</worksheet>"
    )


_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_RNS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


def _sheets(
    zf: zipfile.ZipFile, rows: Iterable[list[Any]], title: str, per_sheet: int
) -> list[int]:
    """Write sheet1.xml, sheet2.xml …; return each sheet's last row."""
    lasts: list[int] = []
    it = iter(rows)
    pending = next(it, None)
    rows_xml = _Rows()
    while pending is not None or not lasts:
        with zf.open(f"xl/worksheets/sheet{len(lasts) + 1}.xml", "w") as fh:
            fh.write(_head_xml(title).encode())
            row, chunk = 2, []
            while pending is not None and row - 2 < per_sheet:
                row += 1
                chunk.append(rows_xml.xml(row, pending))
                if len(chunk) >= 2000:
                    fh.write("".join(chunk).encode())
                    chunk = []
                pending = next(it, None)
            fh.write(("".join(chunk) + _tail_xml(row)).encode())
        lasts.append(row)
    return lasts


def write_answers(
    out: IO[bytes],
    data: Answers,
    program: Program,
    *,
    tz: ZoneInfo,
    now: dt.datetime,
    per_sheet: int = EXCEL_ROWS - 2,
) -> int:
    """Stream the answers workbook into `out`; return the number of answer rows written."""
    count = 0

    def counted() -> Iterator[list[Any]]:
        nonlocal count
        for row in answer_rows(data.records, data.catalog, tz):
            count += 1
            yield row

    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as zf:
        lasts = _sheets(zf, counted(), _title(program, data.year, tz, now), per_sheet)
        _package(zf, lasts)
    return count


def _package(zf: zipfile.ZipFile, lasts: list[int]) -> None:
    """The workbook parts around the sheets: content types, relations, styles, print titles."""
    n = len(lasts)
    names = ["作答明细"] + [f"作答明细{k}" for k in range(2, n + 1)]
    sheets = "".join(
        f'<sheet name="{nm}" sheetId="{k}" r:id="rId{k}"/>' for k, nm in enumerate(names, 1)
    )
    defined = "".join(
        f'<definedName name="_xlnm._FilterDatabase" localSheetId="{k}" hidden="1">'
        f"'{nm}'!$A$2:${_LETTERS[-1]}${max(2, lasts[k])}</definedName>"
        f'<definedName name="_xlnm.Print_Titles" localSheetId="{k}">\'{nm}\'!$2:$2</definedName>'
        for k, nm in enumerate(names)
    )
    zf.writestr(
        "xl/workbook.xml",
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<workbook xmlns="{_NS}"'
        f' xmlns:r="{_RNS}"><sheets>{sheets}</sheets><definedNames>{defined}</definedNames>'
        "</workbook>",
    )
    rels = "".join(
        f'<Relationship Id="rId{k}" Type="{_RNS}/worksheet" Target="worksheets/sheet{k}.xml"/>'
        for k in range(1, n + 1)
    )
    rels += f'<Relationship Id="rId{n + 1}" Type="{_RNS}/styles" Target="styles.xml"/>'
    zf.writestr("xl/_rels/workbook.xml.rels", _RELS.format(rels))
    zf.writestr("_rels/.rels", _RELS.format(_ROOT_REL))
    over = "".join(
        f'<Override PartName="/xl/worksheets/sheet{k}.xml" ContentType="{_CT}worksheet+xml"/>'
        for k in range(1, n + 1)
    )
    zf.writestr("[Content_Types].xml", _TYPES.format(over=over, ct=_CT))
    zf.writestr("xl/styles.xml", _STYLES.replace("{font}", FONT))


_CT = "application/vnd.openxmlformats-officedocument.spreadsheetml."
_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns='
    '"http://schemas.openxmlformats.org/package/2006/relationships">{}</Relationships>'
)
_ROOT_REL = f'<Relationship Id="rId1" Type="{_RNS}/officeDocument" Target="xl/workbook.xml"/>'
_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Types xmlns='
    '"http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" ContentType="{ct}sheet.main+xml"/>'
    '<Override PartName="/xl/styles.xml" ContentType="{ct}styles+xml"/>{over}</Types>'
)
_STYLES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    f'<styleSheet xmlns="{_NS}">'
    '<numFmts count="1"><numFmt numFmtId="164" formatCode="yyyy-mm-dd hh:mm"/></numFmts>'
    '<fonts count="3"><font><sz val="10"/><name val="{font}"/></font>'
    '<font><b/><sz val="10"/><name val="{font}"/></font>'
    '<font><b/><sz val="14"/><name val="{font}"/></font></fonts>'
    '<fills count="3"><fill><patternFill patternType="none"/></fill>'
    '<fill><patternFill patternType="gray125"/></fill>'
    '<fill><patternFill patternType="solid"><fgColor rgb="FFE2EFDA"/></patternFill></fill></fills>'
    '<borders count="2"><border/><border><left style="thin"/><right style="thin"/>'
    '<top style="thin"/><bottom style="thin"/></border></borders>'
    '<cellStyleXfs count="1"><xf/></cellStyleXfs><cellXfs count="6">'
    '<xf fontId="0"/>'
    '<xf fontId="1" fillId="2" borderId="1" applyAlignment="1"><alignment horizontal="center"'
    ' vertical="center" wrapText="1"/></xf>'
    '<xf fontId="0" borderId="1" applyAlignment="1"><alignment vertical="top" wrapText="1"/></xf>'
    '<xf fontId="0" borderId="1" applyAlignment="1"><alignment horizontal="center"'
    ' vertical="top"/></xf>'
    '<xf fontId="0" borderId="1" numFmtId="164" applyNumberFormat="1" applyAlignment="1">'
    '<alignment horizontal="center" vertical="top"/></xf>'
    '<xf fontId="2"/></cellXfs><cellStyles count="1"><cellStyle name="Normal" xfId="0"'
    ' builtinId="0"/></cellStyles></styleSheet>'
)
