"""Structural checks of every file the project writes, runnable anywhere (no LibreOffice): every
table a person prints has A4 page setup, print titles, page x / y, one named CJK font, rows
tall enough for their wrapped text and no text-typed date; no formula cell, whatever users
typed; the DOCX is zh-CN in one family; the charts say what they show, in the reader's
language. What these files look like printed: tests/visual/render_files.py."""

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
from bot.domain.access import SYSTEM
from bot.files import safe, xlsx
from bot.files.charts import chart_png, height_for, select
from bot.files.docx_layout import FONT as DOC_FONT
from bot.files.forms import application_form
from bot.files.pack import index_xlsx
from bot.files.recognised import stage_chart_png
from bot.files.selfcheck import selfcheck_docx
from bot.services import exports
from bot.services.reviews import Reviews
from tests.files.sample_dbs import HOSTILE, build_db
from tests.harness import checks_of, exports_of, reports_of, xlsx_of

TZ = ZoneInfo("Asia/Shanghai")
NOW = dt.datetime(2026, 11, 28, 10, 0, tzinfo=TZ)
PROGRAMS = ("heyuan-2021", "chuxiong-2021", "qinhuangdao-etdz-2021")
DATE_TEXT = re.compile(r"^\d{4}-\d\d-\d\d")  # a date written as text


@pytest.fixture(scope="module", params=PROGRAMS)
def case(request, tmp_path_factory) -> tuple[Any, Any]:
    pid = request.param
    counties = 0 if pid == "heyuan-2021" else 12
    db = build_db(tmp_path_factory.mktemp(pid) / "gc.db", pid, counties, 4, long_names=True)
    return db, catalog().program(pid)


def _bytes(db: Any, program: Any, kind: str, year: int | None = None) -> bytes:
    req = exports.Request(kind, SYSTEM, year, TZ, NOW, all_standards=True)
    data = exports_of(db, program, NOW).gather(req)
    return xlsx_of(data, program, TZ, NOW)


def _sheets(db: Any, program: Any) -> list[tuple[str, Worksheet]]:
    """Every sheet of every table the program offers, and the evidence pack's 目录."""
    out = []
    for kind in exports.offered(program):
        out += [
            (kind, ws) for ws in load_workbook(io.BytesIO(_bytes(db, program, kind))).worksheets
        ]
    entries = [{"item": "1.1", "answer": "met", "note": HOSTILE[0], "name": "a.jpg", "size": 9,
                "sha256": "0" * 64, "taken_at": "2022-05-01T10:00:00", "flags": []}]  # fmt: skip
    index = index_xlsx(entries, ["1.1-1-a.jpg"], lambda flags: "")
    return [*out, ("index", load_workbook(io.BytesIO(index)).worksheets[0])]


def test_no_cell_of_any_file_is_a_formula(case):
    db, program = case
    for kind in exports.offered(program):
        data = _bytes(db, program, kind)
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            for name in z.namelist():
                if name.startswith("xl/worksheets/"):
                    assert "<f>" not in z.read(name).decode(), (kind, name)
        for ws in load_workbook(io.BytesIO(data)).worksheets:
            assert all(c.data_type != "f" for row in ws.iter_rows() for c in row), kind


def test_hostile_notes_and_names_are_kept_as_text(case):
    db, program = case
    ws = load_workbook(io.BytesIO(_bytes(db, program, "answers"))).worksheets[0]
    rows = list(ws.iter_rows(min_row=3, values_only=True))
    notes, names = {r[10] for r in rows}, {r[12] for r in rows}
    assert HOSTILE[0] in notes and any(h in names for h in HOSTILE)


def test_safe_helper_covers_every_formula_start():
    for text in ("=1", "+1", "-1", "@x", "\t=1", "\r=1"):
        assert safe.is_risky(text)
    assert not safe.is_risky("社区") and not safe.is_risky(3) and not safe.is_risky(None)


def test_every_table_prints_on_a4_with_print_titles_and_page_numbers(case):
    db, program = case
    for kind, ws in _sheets(db, program):
        assert str(ws.page_setup.paperSize) == str(ws.PAPERSIZE_A4), kind
        assert ws.page_setup.fitToWidth == 1 and ws.sheet_properties.pageSetUpPr.fitToPage, kind
        assert ws.print_title_rows, (kind, ws.title)
        footer = ws.oddFooter.center.text or ""
        assert "&P" in footer and "&N" in footer, kind


def test_no_table_holds_a_date_as_text(case):
    db, program = case
    for kind, ws in _sheets(db, program):
        for row in ws.iter_rows(values_only=True):
            for v in row:
                assert not (isinstance(v, str) and DATE_TEXT.match(v)), (kind, v)


def test_every_cell_is_in_the_one_cjk_font_bold_included(case):
    db, program = case
    for kind, ws in _sheets(db, program):
        if kind == "answers":  # streamed: its style sheet holds the fonts
            continue
        bold = 0
        for row in ws.iter_rows():
            for c in row:
                if c.value is not None:
                    assert c.font.name == xlsx.FONT, (kind, c.coordinate)
                    bold += bool(c.font.b)
        assert bold, kind
    styles = zipfile.ZipFile(io.BytesIO(_bytes(db, program, "answers"))).read("xl/styles.xml")
    assert styles.decode().count(f'<name val="{xlsx.FONT}"/>') == 3  # regular, bold, title


def test_wrapped_cells_have_rows_tall_enough(case):
    db, program = case
    for kind, ws in _sheets(db, program):
        if kind == "answers":
            continue
        merged = {(r.min_row, r.min_col): r for r in ws.merged_cells.ranges}
        for row in ws.iter_rows():
            for c in row:
                if not isinstance(c.value, str) or not c.alignment.wrap_text:
                    continue
                rng = merged.get((c.row, c.column))
                if rng is not None and rng.max_row > rng.min_row:
                    continue  # a title over two header rows: their heights together
                cols = range(rng.min_col, rng.max_col + 1) if rng else [c.column]
                width = sum(xlsx.col_width(ws, k) for k in cols)
                size = c.font.sz or xlsx.SIZE  # larger text: fewer characters a line
                need = xlsx.height_for(xlsx.lines_for(c.value, width * xlsx.SIZE / size), size)
                assert (ws.row_dimensions[c.row].height or 15) >= need - 0.01, (kind, c.coordinate)
                assert need <= xlsx.MAX_ROW_PT + 1, (kind, c.coordinate)  # Excel keeps it whole


def test_a_name_breaks_into_even_lines_and_a_list_only_between_names():
    lines = xlsx.balanced("甲" * 21, 12).split("\n")  # 5 characters a line at most
    assert [len(x) for x in lines] == [5, 4, 4, 4, 4]  # not 5, 5, 5, 5 and an orphan
    assert xlsx.balanced("江滨社区", 12) == "江滨社区"
    names = ["江滨社区", "河畔社区", "新风社区", "育才社区", "长安社区"]
    lines = xlsx.packed(names, 20).split("\n")
    assert len(lines) > 1 and [n for x in lines for n in x.split("、") if n] == names


def test_the_forms_and_the_summary_are_zh_cn_in_one_family(case):
    db, program = case
    files = exports_of(db, program, NOW)
    docs = [selfcheck_docx(files.self_check(SYSTEM, 1, None), TZ)]
    if any(f.kind == "application" for f in program.forms):
        docs.append(application_form(files.form_data(SYSTEM, 1, 2022), program))
    for data in docs:
        doc = Document(io.BytesIO(data))
        lang = doc.styles["Normal"].element.rPr.find(qn("w:lang"))
        assert lang.get(qn("w:eastAsia")) == "zh-CN" and lang.get(qn("w:val")) == "zh-CN"
        runs = [r for p in doc.paragraphs for r in p.runs]
        runs += [r for t in doc.tables for row in t.rows for c in row.cells
                 for p in c.paragraphs for r in p.runs]  # fmt: skip
        for r in runs:
            if r.text:
                fonts = r._element.rPr.rFonts
                assert fonts.get(qn("w:eastAsia")) == DOC_FONT == fonts.get(qn("w:ascii"))


def test_the_chart_shows_every_county_it_has_room_for_and_says_what_it_leaves_out(case):
    db, program = case
    rows = reports_of(db, program).county_status_as_of(2022, tz=TZ)
    counties = len(rows) - 1
    assert height_for(counties, 1200) > height_for(4, 1200)  # the default grows with them
    sel = select(rows, 5)
    if counties > 5:
        assert len(sel.rows) == 5 and "显示已开展自查" in sel.note
        pcts = [r.completion_pct for r in sel.rows]
        assert pcts == sorted(pcts)
    assert "started ones" in select(rows, 5, "en").note or counties <= 5
    for width in (600, 1600):
        assert chart_png(rows, program, size=(width, None))[:4] == b"\x89PNG"
    assert chart_png(rows[-1:], program, size=(600, 400), lang="en")[:4] == b"\x89PNG"
    s = Reviews(checks_of(db, program.id, at=NOW)).summary(SYSTEM)
    assert stage_chart_png(program.region, s, NOW.date(), "en")[:4] == b"\x89PNG"


def test_render_script_runs_without_libreoffice(tmp_path, monkeypatch):
    from tests.visual import render_files

    monkeypatch.setattr(render_files.shutil, "which", lambda name: None)
    monkeypatch.setattr(render_files, "PROGRAMS", ("qinhuangdao-etdz-2021",))
    monkeypatch.setitem(render_files.SIZES, "7", (3, 3, False, 6))
    assert render_files.main(["--out", str(tmp_path), "--quick"]) == 0
    assert (tmp_path / "qinhuangdao-etdz-2021-7-form-limits.docx").exists()
    assert (tmp_path / "qinhuangdao-etdz-2021-7-pack-index.xlsx").exists()
    assert Path(tmp_path / "qinhuangdao-etdz-2021-7-chart-600-zh.png").exists()


def test_every_xlsx_writer_goes_through_the_safe_helper():
    """The one helper: in bot/files, a cell is only ever written with safe.put (the
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
            assert ".value =" not in code and "append(list(" not in code, f"{path.name}:{n}"
    assert "<f>" not in (root / "answers.py").read_text()
