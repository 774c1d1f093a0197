"""Structural checks of every file the project writes, runnable anywhere (no LibreOffice):
seed titles, notes and stamp rows; A4 setup, header rows repeated, page x / y; rows tall enough
for their wrapped text; one named CJK font (bold included); zh-CN DOCX; percentages as numbers
with a % format; dates as 2026年11月28日; no formula cell, whatever users typed."""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from docx import Document
from docx.oxml.ns import qn
from openpyxl import load_workbook
from openpyxl.worksheet.worksheet import Worksheet

from bot.catalog import catalog
from bot.domain.text import clean
from bot.files import answers as answers_mod
from bot.files import safe, xlsx
from bot.files.charts import NO_DATA, chart_png, select
from bot.files.exports import KINDS, PROGRESS_NOTE, SUMMARY_NOTE, export_xlsx
from bot.files.forms import FONT as DOC_FONT
from bot.files.forms import FORM_NOTES, form
from bot.services import form_fields
from bot.services.reports import county_status_as_of
from tests.files.sample_dbs import HOSTILE, build_db
from tests.harness import checks_of

TZ = ZoneInfo("Asia/Shanghai")
NOW = dt.datetime(2026, 11, 28, 10, 0, tzinfo=TZ)
DATE = re.compile(r"(19|20)\d\d年[1-9]\d?月[1-9]\d?日")
PROGRAMS = ("heyuan-2021", "chuxiong-2021", "qinhuangdao-etdz-2021")


@pytest.fixture(scope="module", params=PROGRAMS)
def case(request, tmp_path_factory) -> tuple[Any, Any]:
    pid = request.param
    counties = 0 if pid == "heyuan-2021" else 30
    db = build_db(tmp_path_factory.mktemp(pid) / "gc.db", pid, counties, 6, long_names=True)
    return db, catalog().program(pid)


def _book(db: Any, program: Any, kind: str, year: int = 2022) -> Any:
    return load_workbook(io.BytesIO(export_xlsx(kind, db, program, year, tz=TZ, now=NOW)))


def _texts(ws: Worksheet) -> list[str]:
    return [c for row in ws.iter_rows(values_only=True) for c in row if isinstance(c, str)]


def test_no_cell_of_any_file_is_a_formula(case):
    db, program = case
    for kind in KINDS:
        data = export_xlsx(kind, db, program, 2022, tz=TZ, now=NOW, all_standards=True)
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            for name in z.namelist():
                if name.startswith("xl/worksheets/"):
                    assert "<f>" not in z.read(name).decode(), (kind, name)
        for ws in load_workbook(io.BytesIO(data)).worksheets:
            assert all(c.data_type != "f" for row in ws.iter_rows() for c in row), kind


def test_hostile_notes_and_names_are_kept_as_text(case):
    db, program = case
    ws = _book(db, program, "answers").worksheets[0]
    notes = {r[9] for r in ws.iter_rows(min_row=3, values_only=True)}
    names = {r[11] for r in ws.iter_rows(min_row=3, values_only=True)}
    for hostile in map(clean, HOSTILE):  # a carriage return is cleaned away, the rest kept
        assert hostile in notes and hostile in names, hostile


def test_safe_helper_covers_every_formula_start():
    for text in ("=1", "+1", "-1", "@x", "\t=1", "\r=1"):
        assert safe.is_risky(text)
    assert not safe.is_risky("社区") and not safe.is_risky(3) and not safe.is_risky(None)


def test_tables_print_on_a4_with_header_rows_repeated_and_page_numbers(case):
    db, program = case
    for kind in KINDS:
        ws = _book(db, program, kind).worksheets[0]
        assert str(ws.page_setup.paperSize) == str(ws.PAPERSIZE_A4), kind
        assert ws.page_setup.fitToWidth == 1 and ws.sheet_properties.pageSetUpPr.fitToPage
        assert ws.print_title_rows, kind
        first = int(ws.print_title_rows.split(":")[0].lstrip("$"))
        assert ws.cell(row=first, column=1).value in (
            "县（区）",
            "县市",
            "开发区",
            "序号",
            "县（市、区）",
            "县区",
        )
        footer = ws.oddFooter.center.text or ""
        assert "&P" in footer and "&N" in footer, kind


def test_wrapped_cells_have_rows_tall_enough(case):
    db, program = case
    for kind in ("progress", "plan", "summary"):
        ws = _book(db, program, kind).worksheets[0]
        merged = {r.min_row: r for r in ws.merged_cells.ranges if r.min_row == r.max_row}
        for row in ws.iter_rows():
            for c in row:
                if not isinstance(c.value, str) or not c.alignment.wrap_text:
                    continue
                rng = merged.get(c.row)
                cols = (
                    range(rng.min_col, rng.max_col + 1)
                    if rng and rng.min_col == c.column
                    else [c.column]
                )
                width = sum(
                    ws.column_dimensions[ws.cell(1, k).column_letter].width or 8.43 for k in cols
                )
                need = xlsx.lines_for(c.value, width) * xlsx.LINE_PT * 0.6
                assert (ws.row_dimensions[c.row].height or 15) >= need, (
                    kind,
                    c.coordinate,
                    c.value,
                )


def test_every_cell_has_the_one_cjk_font_bold_included(case):
    db, program = case
    for kind in ("progress", "plan", "summary"):
        ws = _book(db, program, kind).worksheets[0]
        bold = 0
        for row in ws.iter_rows():
            for c in row:
                if c.value is not None:
                    assert c.font.name == xlsx.FONT, (kind, c.coordinate)
                    bold += bool(c.font.b)
        assert bold, kind
    z = zipfile.ZipFile(io.BytesIO(export_xlsx("answers", db, program, 2022, tz=TZ, now=NOW)))
    styles = z.read("xl/styles.xml").decode()
    assert styles.count(f'<name val="{xlsx.FONT}"/>') == 3  # regular, bold, title


def test_percentages_are_numbers_with_a_percent_format(case):
    db, program = case
    for kind, title in (("progress", "完成率(%)"), ("summary", "合计完成比例")):
        ws = _book(db, program, kind).worksheets[0]
        head = next(r for r in range(1, 12) if title in [c.value for c in ws[r]])
        col = [c.value for c in ws[head]].index(title) + 1
        cells = [ws.cell(row=r, column=col) for r in range(head + 1, ws.max_row + 1)]
        cells = [c for c in cells if c.value is not None and c.border.left.style]
        assert cells
        for c in cells:
            assert isinstance(c.value, (int, float)) and 0 <= c.value <= 1
            assert c.number_format == "0.0%"


def test_dates_are_written_as_offices_write_them(case):
    db, program = case
    for kind in ("progress", "summary"):
        texts = _texts(_book(db, program, kind).worksheets[0])
        dated = [t for t in texts if t.startswith(("填报日期：", "填报时间："))]
        assert dated and all(DATE.search(t) and "2026年11月28日" in t for t in dated), dated
    ws = _book(db, program, "answers").worksheets[0]
    assert isinstance(ws.cell(row=3, column=13).value, dt.datetime)  # a real date-time


def test_each_seed_note_and_line_is_present(case):
    db, program = case
    forms = {f.kind for f in program.forms}
    progress = _texts(_book(db, program, "progress").worksheets[0])
    summary = _texts(_book(db, program, "summary").worksheets[0])
    assert any(t.startswith("说明：达标：") for t in progress)  # which verdict 达标 counts
    for line in ("填表人：", "联系电话："):
        assert line in progress
    if "progress" in forms:
        assert PROGRESS_NOTE in progress
        assert (
            "请于2021年8月30日、11月15日以及2022年的6月30日、11月15日前报送至市住房城乡建设局"
            in progress
        )
    assert not any("GreenCheck" in t for t in progress + summary)
    for line in ("填报单位：（盖章）", "联系人及联系电话："):
        assert line in summary
    assert "地区" in summary and "合计" not in summary
    assert (SUMMARY_NOTE in summary) == ("summary" in forms)
    assert not any(t.startswith("填报日期") for t in summary)  # no footer beside 填报时间


def test_year_columns_are_the_programs_and_year_counts_by_its_end(case):
    db, program = case
    ws = _book(db, program, "summary", 2022).worksheets[0]
    heads = " ".join(_texts(ws))
    assert "2026 年" not in heads and "2021 年绿色社区名单" in heads
    early = county_status_as_of(db, program, 2021, tz=TZ)[-1].passed
    late = county_status_as_of(db, program, 2026, tz=TZ)[-1].passed
    assert early < late  # the sample has passes in 2021, 2022 and 2026


def test_answers_are_the_active_standard_unless_all(case):
    db, program = case
    mine = _book(db, program, "answers").worksheets[0]
    titles = {r[3] for r in mine.iter_rows(min_row=3, values_only=True)}
    assert titles == {catalog().standard(program.standard).title}


def test_answers_continue_on_a_new_sheet_past_the_row_limit(case, tmp_path):
    db, program = case
    buf = io.BytesIO()
    rows = answers_mod.write_answers(buf, db, program, tz=TZ, now=NOW, per_sheet=100)
    wb = load_workbook(io.BytesIO(buf.getvalue()))
    assert len(wb.worksheets) == -(-rows // 100)
    assert sum(ws.max_row - 2 for ws in wb.worksheets) == rows
    for ws in wb.worksheets:
        assert [c.value for c in ws[2]][:3] == ["县区", "街道", "社区"] and ws.auto_filter.ref


def _docx(db: Any, program: Any, cid: int = 1) -> Any:
    return Document(io.BytesIO(form(checks_of(db, program), cid, tz=TZ, year=2022)))


def _cells(doc: Any) -> str:
    return "\n".join(c.text for t in doc.tables for r in t.rows for c in r.cells)


def test_the_form_is_zh_cn_in_one_font_family(case):
    db, program = case
    doc = _docx(db, program)
    lang = doc.styles["Normal"].element.rPr.find(qn("w:lang"))
    assert lang.get(qn("w:eastAsia")) == "zh-CN" and lang.get(qn("w:val")) == "zh-CN"
    runs = [r for p in doc.paragraphs for r in p.runs]
    runs += [
        r
        for t in doc.tables
        for row in t.rows
        for c in row.cells
        for p in c.paragraphs
        for r in p.runs
    ]
    assert runs
    for r in runs:
        if not r.text:
            continue
        fonts = r._element.rPr.rFonts
        assert fonts.get(qn("w:eastAsia")) == DOC_FONT and fonts.get(qn("w:ascii")) == DOC_FONT
    for p in doc.paragraphs:
        assert p.alignment is None or p.alignment != 3  # never justified


def test_each_form_has_its_fields_and_stamp_rows(case):
    db, program = case
    doc = _docx(db, program)
    cells, body = _cells(doc), "\n".join(p.text for p in doc.paragraphs)
    if program.id == "qinhuangdao-etdz-2021":
        assert body.startswith("附件3") and "秦皇岛经济技术开发区绿色社区申报表" in body
        for label in (
            "社区户数（户）",
            "街道负责人",
            "创建联系人",
            "社区公共服务机构（设施）配置情况（数量）",
            "县（区）创建机构推荐意见",
            "县（区）生态环境局意见（盖章）",
            "县（区）住建局意见（盖章）",
            "市创建机构审核意见",
            "市生态环境局意见（盖章）",
            "市住建局意见（盖章）",
        ):
            assert label in cells, label
        assert "陈一" in cells  # 创建联系人: who submitted
    else:
        for label in (
            "社区名称",
            "社区地址",
            "社区负责人",
            "社区面积",
            "社区人口",
            "各级审核意见",
            "社区基本情况及申报创建特色简介",
            "（创建单位盖章）",
            "街　道",
            "县（市、区）",
        ):
            assert label in cells, label
    if program.id == "heyuan-2021":
        assert body.startswith("附件2") and "地级市" in cells
        assert all(note in body for note in FORM_NOTES)
    if program.id == "chuxiong-2021":
        assert "附件" not in body and "地级市" not in cells and FORM_NOTES[0] not in body
    assert "自查情况" in body and "GreenCheck" not in cells


def test_form_boxes_hold_what_the_community_wrote(case):
    db, program = case
    for key, value in (
        ("work", "=HYPERLINK(1) 我们的工作"),
        ("address", "某路1号"),
        ("population", "1200人"),
    ):
        form_fields.write(db, 2, 2022, key, value, None, NOW)
    cells = _cells(_docx(db, program, 2))
    assert "=HYPERLINK(1) 我们的工作" in cells and "某路1号" in cells and "1200人" in cells
    assert form_fields.read(db, 2, 2021) == {}  # per year


def test_chart_selection_says_what_it_shows_and_no_data_is_an_image(case):
    db, program = case
    rows = county_status_as_of(db, program, 2022, tz=TZ)
    sel = select(rows, 5)
    if len(rows) - 1 > 5:
        assert (
            len(sel.rows) == 5 and "显示已开展自查" in sel.note and all(r.started for r in sel.rows)
        )
        pcts = [r.completion_pct for r in sel.rows]
        assert pcts == sorted(pcts)
    empty = chart_png(rows[-1:], program, size=(600, 400))
    assert empty[:4] == b"\x89PNG" and NO_DATA == "暂无数据"
    for width in (600, 1600):
        assert chart_png(rows, program, size=(width, 700))[:4] == b"\x89PNG"


def test_render_script_runs_without_libreoffice(tmp_path, monkeypatch):
    from tests.visual import render_files

    monkeypatch.setattr(render_files.shutil, "which", lambda name: None)
    monkeypatch.setattr(render_files, "PROGRAMS", ("chuxiong-2021",))
    assert render_files.main(["--out", str(tmp_path), "--quick"]) == 0
    assert (tmp_path / "chuxiong-2021-7-form.docx").exists()
    assert Path(tmp_path / "chuxiong-2021-7-chart-600.png").exists()


def test_every_xlsx_writer_goes_through_the_safe_helper():
    """The one helper: in bot/files, a cell is only ever written with safe.put / safe_row (the
    streaming writer writes inline strings only, never <f>)."""
    root = Path(__file__).resolve().parents[2] / "bot" / "files"
    for path in root.glob("*.py"):
        if path.name in ("rosters.py", "safe.py"):
            continue
        for n, line in enumerate(path.read_text().splitlines(), start=1):
            code = line.split("#")[0]
            reads = "freeze_panes" in code or ".column_letter" in code
            if ".cell(" in code and "ws." in code and not reads:
                assert "put(" in code, f"{path.name}:{n}: {line.strip()}"
            assert (
                ".value =" not in code and "append(list(" not in code
            ) or "ANSWER_COLUMNS" in code, f"{path.name}:{n}"
    assert "<f>" not in (root / "answers.py").read_text()
