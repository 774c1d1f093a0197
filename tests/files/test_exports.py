"""The tables and forms an office receives: each program offers its seed's own, under the seed's
titles, holding the figures the services give; GreenCheck's own files say they are GreenCheck's;
every export follows `--year`; the 申报表 never loses a character (box or 附页)."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import sqlite_utils
from docx import Document
from openpyxl import load_workbook
from openpyxl.worksheet.worksheet import Worksheet

from bot.catalog import catalog
from bot.domain.access import SYSTEM, Principal
from bot.domain.errors import ReportError
from bot.files.exports import SEED_PROGRESS
from bot.files.forms import MORE, application_form
from bot.files.selfcheck import selfcheck_docx
from bot.services import exports, form_fields
from bot.services.roster import Roster
from bot.store.db import connect
from tests.files.sample_dbs import build_db
from tests.harness import cli, exports_of, form_fields_of, reports_of, xlsx_of

TZ = ZoneInfo("Asia/Shanghai")
NOW = dt.datetime(2026, 11, 28, 10, 0, tzinfo=TZ)
ROSTERS = Path(__file__).resolve().parents[2] / "standards" / "rosters"


@pytest.fixture(scope="module")
def heyuan(tmp_path_factory) -> sqlite_utils.Database:
    return build_db(tmp_path_factory.mktemp("hy") / "gc.db", "heyuan-2021", 0, checks=30)


@pytest.fixture(scope="module")
def qinhuangdao(tmp_path_factory) -> sqlite_utils.Database:
    return build_db(tmp_path_factory.mktemp("qhd") / "gc.db", "qinhuangdao-etdz-2021", 5, 4)


@pytest.fixture(scope="module")
def chuxiong(tmp_path_factory) -> sqlite_utils.Database:
    return build_db(tmp_path_factory.mktemp("cx") / "gc.db", "chuxiong-2021", 6, 6, checks=24)


def _program(pid: str) -> Any:
    return catalog().program(pid)


def _book(db: Any, pid: str, kind: str, year: int | None = 2022, p: Principal = SYSTEM) -> Any:
    req = exports.Request(kind, p, year, TZ, NOW)
    data = exports_of(db, pid, NOW).gather(req)
    return load_workbook(io.BytesIO(xlsx_of(data, _program(pid), TZ, NOW)))


def _under(ws: Worksheet, first: str) -> tuple[list[Any], list[list[Any]]]:
    """(the header row whose first cell is `first`, the rows under it)."""
    rows = [list(r) for r in ws.iter_rows(values_only=True)]
    k = next(k for k, r in enumerate(rows) if r[0] == first)
    return rows[k], [r for r in rows[k + 1 :] if any(v not in (None, "") for v in r)]


def _texts(ws: Worksheet) -> list[str]:
    return [c for row in ws.iter_rows(values_only=True) for c in row if isinstance(c, str)]


# -- which files each program offers -------------------------------------------------------------


def test_each_program_offers_its_seeds_tables_then_greenchecks_own():
    offered = {pid: exports.offered(_program(pid)) for pid in catalog().programs}
    assert offered["heyuan-2021"] == (
        "progress", "plan", "contacts", "answers", "actions", "recognised",
    )  # fmt: skip
    assert offered["chuxiong-2021"] == ("progress", "summary", "answers", "actions")  # no 认定
    assert offered["qinhuangdao-etdz-2021"] == ("progress", "answers", "actions", "recognised")
    assert offered["national-2020"] == ("progress", "answers", "actions")  # no review chain


def test_a_table_the_program_lacks_is_refused(chuxiong):
    req = exports.Request("contacts", SYSTEM, None, TZ, NOW)
    with pytest.raises(ReportError) as exc:
        exports_of(chuxiong, "chuxiong-2021", NOW).gather(req)
    assert exc.value.code == "export_not_offered"


# -- the seed's tables, with the services' figures ---------------------------------------------


def test_heyuans_progress_table_is_its_附件3_with_the_figures_as_of_the_years_end(heyuan):
    ws = _book(heyuan, "heyuan-2021", "progress").worksheets[0]
    assert (ws["A1"].value, ws["A2"].value) == ("附件3", "绿色社区创建工作计划及进度表")
    head, rows = _under(ws, "县（区）")
    assert head == ["县（区）", *SEED_PROGRESS]
    want = reports_of(heyuan, "heyuan-2021").county_status_as_of(2022, tz=TZ)
    body = rows[: len(want)]
    assert [r[0] for r in body] == [w.county or "合计" for w in want]  # the total row, named
    for r, w in zip(body, want, strict=True):
        assert r[1:6] == [w.communities, w.former_livable, w.former_green, w.planned, w.passed]
        assert r[6] == pytest.approx(w.passed / w.communities)
    assert any(t.startswith("填报日期：2026年11月28日") for t in _texts(ws))


def test_a_program_without_the_form_gets_greenchecks_own_progress_table(chuxiong):
    ws = _book(chuxiong, "chuxiong-2021", "progress").worksheets[0]
    texts = _texts(ws)
    assert "GreenCheck" in ws["A1"].value and not any(t.startswith("附件") for t in texts)
    head, _ = _under(ws, "县市")
    assert not any("广东" in h or "原" in h for h in head[1:])  # no categories it lacks
    assert "本表由各县绿色社区创建工作牵头部门直接报送。" not in texts


def test_the_plan_table_keeps_the_sample_rosters_附件5_totals(heyuan):
    ws = _book(heyuan, "heyuan-2021", "plan").worksheets[0]
    assert ws["A2"].value == "河源市绿色社区创建计划表"
    _, rows = _under(ws, "序号")
    assert rows[0][5:7] == ["2021年", "2022年"]
    assert rows[-1][1] == "总计" and rows[-1][2:7] == [95, 92, 0, 13, 26]


def test_the_summary_lists_each_years_names_whole_one_per_line_break(chuxiong):
    ws = _book(chuxiong, "chuxiong-2021", "summary").worksheets[0]
    head, rows = _under(ws, "县（市、区）")
    assert head[1] == "2021 年绿色社区名单" and ["地区", "/"] in [r[:2] for r in rows]
    reports = reports_of(chuxiong, "chuxiong-2021")
    names = reports.done_by_year(SYSTEM, TZ, 2022)
    counties = [r for r in reports.county_status_as_of(2022, tz=TZ) if not r.is_total]
    for r, c in zip(rows, counties, strict=False):
        listed = [n for n in r[1].replace("\n", "").split("、") if n]
        assert listed == names.get(c.county_id or 0, {}).get(2021, [])
        assert r[2] == len(listed)


def test_the_contact_list_is_附件4_one_table_for_the_city_the_form_for_a_county(heyuan):
    ws = _book(heyuan, "heyuan-2021", "contacts").worksheets[0]
    assert (ws["A1"].value, ws["A2"].value) == ("附件4", "河源市绿色社区创建工作联系人名单")
    head, rows = _under(ws, "县（区）")
    assert head[:3] == ["县（区）", "牵头部门", "姓　名"]
    assert rows[-1][0] == "连平县" and rows[-1][2] in (None, "")  # no list sent yet: a row to fill
    county = heyuan.execute("SELECT id FROM counties ORDER BY id LIMIT 1").fetchone()[0]
    contact = Principal(5, counties=frozenset({county}))
    ws = _book(heyuan, "heyuan-2021", "contacts", p=contact).worksheets[0]
    assert "牵头部门：" in _texts(ws)[2] and "源城区" in _texts(ws)[2]
    head, rows = _under(ws, "姓　名")
    assert head == ["姓　名", "单　位", "股　室", "手　机", "固定电话"] and rows


# -- GreenCheck's own lists: labels, real dates, the year asked --------------------------------


def test_the_recognised_list_is_for_public_notice_only_where_the_chain_has_公示(
    heyuan, qinhuangdao
):
    hy = _book(heyuan, "heyuan-2021", "recognised", None)
    assert hy["认定名单"]["A1"].value == "河源市绿色社区认定名单（公示）"
    qhd = _book(qinhuangdao, "qinhuangdao-etdz-2021", "recognised", None)
    assert qhd["认定名单"]["A1"].value == "秦皇岛经济技术开发区绿色社区认定名单"
    _, rows = _under(hy["认定名单"], "序号")
    assert rows and all(r[4].startswith("符合 ") and r[4].endswith(" 项") for r in rows)
    assert all(isinstance(r[6], dt.datetime) for r in rows)  # 认定日期: a date
    _, history = _under(hy["审核记录"], "社区")
    codes = {"submit", "approve", "verify", "publish", "worker", "street", "county", "city"}
    assert not codes & {v for r in history for v in r if isinstance(v, str)}


def test_lists_follow_the_year_asked(heyuan):
    every = _under(_book(heyuan, "heyuan-2021", "recognised", None)["认定名单"], "序号")[1]
    y2021 = _under(_book(heyuan, "heyuan-2021", "recognised", 2021)["认定名单"], "序号")[1]
    assert y2021 and len(y2021) < len(every) and all(r[6].year == 2021 for r in y2021)
    ws = _book(heyuan, "heyuan-2021", "actions", 2022).worksheets[0]
    _, rows = _under(ws, "序号")
    all_rows = _under(_book(heyuan, "heyuan-2021", "actions", None).worksheets[0], "序号")[1]
    assert len(rows) < len(all_rows)


def test_the_ledger_shows_labels_and_an_action_closed_in_time_awaits_confirmation(heyuan):
    ws = _book(heyuan, "heyuan-2021", "actions", None).worksheets[0]
    texts = _texts(ws)
    assert "填报单位：（盖章）" in texts and "填报日期：2026年11月28日" in texts
    _, rows = _under(ws, "序号")
    states = {r[6] for r in rows}
    assert states <= {"待整改", "已逾期", "待确认", "已完成"} and "待确认" in states
    waiting = [r for r in rows if r[6] == "待确认"]
    assert all(isinstance(r[7], dt.datetime) for r in waiting)  # closed on a real date
    assert not any(r[8] in ("photo", "document") for r in rows)  # a file's kind as a word


def test_export_answers_year_2021_holds_only_2021_checks(heyuan, tmp_path, monkeypatch, capsys):
    db_path = Path(heyuan.conn.execute("PRAGMA database_list").fetchone()[2])
    monkeypatch.setenv("GREENCHECK_DB", str(db_path))
    monkeypatch.setenv("GREENCHECK_PROGRAM", "heyuan-2021")
    monkeypatch.chdir(tmp_path)
    years = {}
    for flag in ([], ["--year", "2021"], ["--year", "2022"]):
        out = tmp_path / f"a{len(flag)}{flag[-1] if flag else ''}.xlsx"
        assert cli(["export", "answers", "--out", str(out), *flag], at=NOW) == 0
        head, rows = _under(load_workbook(out).worksheets[0], "县区")
        assert head[3] == "年度"
        years[tuple(flag)] = [r[3] for r in rows]
    assert set(years[("--year", "2021")]) == {2021}
    assert set(years[("--year", "2022")]) == {2022}
    assert len(years[()]) == len(years[("--year", "2021")]) + len(years[("--year", "2022")])
    capsys.readouterr()


def test_export_offers_every_kind_the_chat_offers(heyuan, tmp_path, monkeypatch, capsys):
    db_path = Path(heyuan.conn.execute("PRAGMA database_list").fetchone()[2])
    monkeypatch.setenv("GREENCHECK_DB", str(db_path))
    monkeypatch.setenv("GREENCHECK_PROGRAM", "heyuan-2021")
    monkeypatch.chdir(tmp_path)
    for kind in exports.offered(_program("heyuan-2021")):
        assert cli(["export", kind, "--out", f"{kind}.xlsx", "--year", "2022"], at=NOW) == 0
        assert load_workbook(tmp_path / f"{kind}.xlsx").worksheets[0].max_row > 2
    assert cli(["export", "summary", "--out", "s.xlsx"], at=NOW) == 1
    assert "summary" in capsys.readouterr().err


# -- the 申报表 ----------------------------------------------------------------------------------


def _docx_text(data: bytes) -> str:
    doc = Document(io.BytesIO(data))
    parts = [p.text for p in doc.paragraphs]
    parts += [c.text for t in doc.tables for r in t.rows for c in r.cells]
    return "\n".join(parts)


def _form(db: Any, pid: str, cid: int, year: int = 2022) -> bytes:
    data = exports_of(db, pid, NOW).form_data(SYSTEM, cid, year)
    return application_form(data, _program(pid))


def _annex(doc: Any) -> dict[str, str]:
    """The 附页's sections: {box name: its continued text}."""
    out: dict[str, str] = {}
    current = None
    for p in doc.paragraphs:
        if p.text.endswith("（续）"):
            current = p.text.removesuffix("（续）")
            out[current] = ""
        elif current is not None:
            out[current] += p.text
    return out


def _kept(doc: Any, value: str) -> bool:
    """Every character of `value` is in the form: whole in a box, or the start in its box
    (ending 续见附页) and the rest under the box's name on the 附页."""
    flat = value.replace("\n", "")
    cells = [c.text.replace("\n", "") for t in doc.tables for r in t.rows for c in r.cells]
    if any(flat in c for c in cells):
        return True
    rest = _annex(doc).values()
    return any((c.removesuffix(MORE) + r).endswith(flat) for c in cells if c.endswith(MORE)
               for r in rest)  # fmt: skip


def test_a_qinhuangdao_form_with_every_field_at_its_limit_loses_no_character(qinhuangdao):
    cid = qinhuangdao.execute("SELECT min(id) FROM communities").fetchone()[0]
    doc = Document(io.BytesIO(_form(qinhuangdao, "qinhuangdao-etdz-2021", cid)))
    filled = form_fields_of(qinhuangdao).read(cid, 2022)
    assert set(filled) == set(form_fields.FIELDS)
    for key, value in filled.items():
        assert len(value) == form_fields.LIMITS[key]
        assert _kept(doc, value), key
    assert {"社区地址", "创建绿色社区工作情况"} <= set(_annex(doc))


def test_the_qinhuangdao_form_puts_the_开发区_and_the_乡街_in_their_boxes(tmp_path):
    """Seed 004: the 县（区） box holds the 开发区, the 街道 box the 乡街, as the sample roster
    has them; the people's 职务 and the 创建联系人 are what the community wrote."""
    pid = "qinhuangdao-etdz-2021"
    db = connect(tmp_path / "gc.db")
    Roster(db).import_roster(ROSTERS / "qinhuangdao-etdz-sample.csv", region=_program(pid).region)
    cid, county, street = db.execute(
        "SELECT c.id, co.name, s.name FROM communities c JOIN counties co ON co.id = c.county_id"
        " JOIN streets s ON s.id = c.street_id ORDER BY c.id LIMIT 1"
    ).fetchone()
    for key, value in (("leader_title", "社区党委书记"), ("contact", "刘晓燕")):
        form_fields_of(db, NOW).write(cid, 2022, key, value, None)
    doc = Document(io.BytesIO(_form(db, pid, cid)))
    assert county == "秦皇岛经济技术开发区" and street.endswith("街道")
    boxes = [c.text.replace("\n", "") for c in doc.tables[0].rows[1].cells]  # lines balanced
    assert boxes[2:6] == ["县（区）", county, "街道", street]
    people = {r.cells[0].text: [c.text for c in r.cells] for r in doc.tables[0].rows[4:7]}
    assert people["社区负责人"][3] == "社区党委书记"  # its 职务, as written
    assert people["创建联系人"][1] == "刘晓燕"  # the person written, not a Telegram name
    assert "附页（" not in _docx_text(_form(db, pid, cid))


def test_every_form_row_is_kept_whole_on_its_page(qinhuangdao, heyuan):
    from docx.oxml.ns import qn

    for db, pid in ((qinhuangdao, "qinhuangdao-etdz-2021"), (heyuan, "heyuan-2021")):
        doc = Document(io.BytesIO(_form(db, pid, 1)))
        for table in doc.tables:
            for row in table.rows:
                assert row._tr.trPr.find(qn("w:cantSplit")) is not None


def test_heyuans_form_is_its_附件2_alone_with_a_1000_character_简介(heyuan):
    cid = heyuan.execute("SELECT min(id) FROM communities").fetchone()[0]
    data = _form(heyuan, "heyuan-2021", cid)
    text = _docx_text(data)
    assert text.startswith("附件2") and "负责人\n联系电话" in text
    assert "自查情况" not in text and "GreenCheck" not in text
    work = form_fields_of(heyuan).read(cid, 2022)["work"]
    assert len(work) == 1000 and _kept(Document(io.BytesIO(data)), work)
    first, second = Document(io.BytesIO(data)).tables[:2]  # page 1, page 2
    assert "社区基本情况及申报创建特色简介" in first.rows[4].cells[0].text
    assert second.rows[0].cells[0].text == "各级\n审核\n意见"


def test_the_form_prints_the_latest_year_filled_when_none_is_asked(heyuan):
    cid = heyuan.execute("SELECT min(id) FROM communities").fetchone()[0]
    files = exports_of(heyuan, "heyuan-2021")
    assert files.form_year(cid, None, 2026) == 2022  # filled for 2022 only
    assert files.form_year(cid, 2024, 2026) == 2024


def test_a_program_without_a_申报表_has_none(chuxiong, tmp_path, monkeypatch, capsys):
    db_path = Path(chuxiong.conn.execute("PRAGMA database_list").fetchone()[2])
    monkeypatch.setenv("GREENCHECK_DB", str(db_path))
    monkeypatch.setenv("GREENCHECK_PROGRAM", "chuxiong-2021")
    monkeypatch.chdir(tmp_path)
    name = chuxiong.execute("SELECT name FROM communities ORDER BY id LIMIT 1").fetchone()[0]
    assert cli(["form", "--community", name, "--out", "f.docx"], at=NOW) == 1
    assert "--self-check" in capsys.readouterr().err
    assert cli(["form", "--community", name, "--self-check", "--out", "s.docx"], at=NOW) == 0
    assert _docx_text((tmp_path / "s.docx").read_bytes()).startswith("GreenCheck 自查结果表")


# -- GreenCheck's 自查结果表 --------------------------------------------------------------------


def test_the_self_check_summary_follows_the_year_and_the_verified_result(heyuan):
    files = exports_of(heyuan, "heyuan-2021", NOW)
    cid, years = heyuan.execute(
        "SELECT community_id, count(*) FROM assessments a JOIN reviews r ON r.assessment_id = a.id"
        " WHERE r.verified_by IS NOT NULL GROUP BY 1 HAVING count(*) = 2 LIMIT 1"
    ).fetchone()
    assert years == 2
    for year in (2021, 2022):
        s = files.self_check(SYSTEM, cid, year)
        assert s.year == year and s.verified is not None
        text = _docx_text(selfcheck_docx(s, TZ))
        assert f"年度\n{year}" in text and "审核通过" in text
        submitted = s.detail.submitted_at
        assert submitted is not None and f"已提交（{year}年" in text


async def test_in_chat_a_program_without_a_申报表_sends_greenchecks_summary(tmp_path):
    from tests.harness import ADMIN_ID, Harness

    async with Harness(tmp_path / "gc.db", program="chuxiong-2021", roster="chuxiong-2021") as h:
        await h.send(ADMIN_ID, "/form 龙川社区")
        [doc] = h.api.sent("sendDocument")
        assert doc.file_names["document"].startswith("GreenCheck自查结果表-龙川社区")
        assert "没有申报表" in h.last_text(ADMIN_ID)
        await h.send(ADMIN_ID, "/export answers 2021")  # a year: only that year's checks
        assert len(h.api.sent("sendDocument")) == 2
        await h.send(ADMIN_ID, "/export plan")  # Chuxiong's seed has no 计划表
        assert "progress | summary" in h.last_text(ADMIN_ID)
