"""Files: every XLSX reopens with the seeds' titles and the database's numbers; the DOCX form
reopens and names the community; the PNG chart is valid and has the size asked for."""

from __future__ import annotations

import datetime as dt
import io
import random
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import sqlite_utils
from openpyxl import load_workbook
from openpyxl.worksheet.worksheet import Worksheet

from bot.catalog import catalog
from bot.config import Settings
from bot.domain.access import Principal
from bot.domain.programs import Program
from bot.files.exports import (
    ANSWER_COLUMNS,
    KINDS,
    PROGRESS_COLUMNS,
    auto_summary,
    export_xlsx,
    form,
    write_xlsx,
)
from bot.services.reports import ReportError, community_detail, county_status
from bot.store.db import connect, transaction
from tests.harness import NOW, checks_of, sample_roster

TZ = ZoneInfo("Asia/Shanghai")
STATUS_ZH = {"met": "符合", "partial": "部分符合", "not_met": "不符合", "na": "不适用"}
STAMPS = (
    "2021-06-01T02:00:00.000000Z",
    "2021-12-31T17:00:00.000000Z",  # 2022-01-01 01:00 in Asia/Shanghai
    "2022-08-08T08:08:00.000000Z",
)


def populate(db: sqlite_utils.Database, seed: int = 11) -> None:
    """Checks in every state on the sample roster, inserted with plain SQL."""
    rng = random.Random(seed)
    std = catalog().standard("guangdong-2021")
    qs = [q.id for q in std.questions]
    db.conn.executemany(
        "INSERT INTO users (id, name, username) VALUES (?, ?, ?)",
        [(21, "陈一", None), (22, None, "wang2")],
    )
    for (cid,) in db.conn.execute("SELECT id FROM communities ORDER BY id").fetchall():
        kind = rng.choice(("none", "partial", "passed", "passed", "failed"))
        if kind == "none":
            continue
        n = rng.randint(1, len(qs) - 1) if kind == "partial" else len(qs)
        at = rng.choice(STAMPS)
        submitted = kind != "partial"
        aid = db.conn.execute(
            "INSERT INTO assessments (community_id, program_id, standard_id, status, updated_at,"
            " submitted_at, answered, total, gap_count, passed)"
            " VALUES (?, 'heyuan-2021', 'guangdong-2021', ?, ?, ?, ?, ?, ?, ?)",
            [
                cid,
                "submitted" if submitted else "open",
                at,
                at if submitted else None,
                n,
                len(qs),
                len(qs) - n,
                int(kind == "passed"),
            ],
        ).lastrowid
        if kind == "passed":  # recognised on the day it was submitted
            db.conn.execute(
                "INSERT INTO verdicts (community_id, assessment_id, standard_id, kind, at)"
                " VALUES (?, ?, 'guangdong-2021', 'recognised', ?)",
                [cid, aid, at],
            )
        for qid in qs[:n]:
            status = rng.choice(("met", "met", "partial", "not_met", "na"))
            if status == "na" and not std.question(qid).na_allowed:
                status = "not_met"  # issue 9: N.A. only where the standard allows it
            points = rng.choice((None, 1.5))
            deds = rng.choice((None, "a:1,b:0.5"))
            db.conn.execute(
                "INSERT INTO answers (assessment_id, question_id, status, points, deductions,"
                " note, user_id, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    aid,
                    qid,
                    status,
                    points,
                    deds,
                    rng.choice((None, "备注")),
                    rng.choice((21, 22)),
                    at,
                ],
            )
            for e in range(rng.choice((0, 1, 3))):
                db.conn.execute(
                    "INSERT INTO evidence (assessment_id, question_id, kind, file_id,"
                    " file_unique_id) VALUES (?, ?, 'document', 'x', ?)",
                    [aid, qid, f"{aid}-{qid}-{e}"],
                )


@pytest.fixture
def db(tmp_path: Path) -> sqlite_utils.Database:
    d = connect(tmp_path / "gc.db")
    sample_roster(d)
    with transaction(d):
        populate(d)
    return d


@pytest.fixture
def program() -> Program:
    return catalog().programs["heyuan-2021"]


def sheet(data: bytes) -> Worksheet:
    ws = load_workbook(io.BytesIO(data)).worksheets[0]
    assert isinstance(ws, Worksheet)
    return ws


def rows_after(ws: Worksheet, first_title: str) -> tuple[int, list[tuple[Any, ...]]]:
    """Return (header row number, the rows below it up to the first empty one)."""
    values = list(ws.iter_rows(values_only=True))
    head = next(i for i, r in enumerate(values) if r[0] == first_title or first_title in r)
    out = []
    for r in values[head + 1 :]:
        if all(v is None for v in r):
            break
        out.append(r)
    return head + 1, out


def per_county(db: sqlite_utils.Database, year: int) -> dict[str, dict[str, int]]:
    passed = {
        r[0]
        for r in db.conn.execute(
            "SELECT community_id FROM assessments WHERE standard_id = 'guangdong-2021'"
            " AND status = 'submitted' AND passed = 1"
        )
    }
    out: dict[str, dict[str, int]] = {}
    for cid, county, liv, grn, planned in db.conn.execute(
        "SELECT c.id, co.name, c.former_livable, c.former_green, c.planned_year"
        " FROM communities c JOIN counties co ON co.id = c.county_id ORDER BY co.id"
    ):
        e = out.setdefault(
            county, dict.fromkeys(("n", "liv", "grn", "plan", "plan_by", "passed"), 0)
        )
        e["n"] += 1
        e["liv"] += liv
        e["grn"] += grn
        e["plan"] += planned == year
        e["plan_by"] += planned is not None and planned <= year  # planned by the year's end
        e["passed"] += cid in passed
    return out


def test_progress_table_has_the_seed_titles_and_the_database_numbers(db, program):
    ws = sheet(export_xlsx("progress", db, program, 2022, tz=TZ, now=NOW))
    assert ws["A2"].value == "绿色社区创建工作计划及进度表"
    assert ws["A1"].value == "附件3"
    head, rows = rows_after(ws, "县（区）")
    titles = [c.value for c in ws[head]]
    assert titles == ["县（区）", *PROGRESS_COLUMNS]
    assert ws.freeze_panes == f"B{head + 1}"
    want = per_county(db, 2022)
    assert [r[0] for r in rows] == [*want, "合计"]
    for r in rows[:-1]:
        e = want[r[0]]
        assert list(r[1:6]) == [e["n"], e["liv"], e["grn"], e["plan_by"], e["passed"]]
        assert r[6] == pytest.approx(e["passed"] / e["n"], abs=1e-9)
    total = rows[-1]
    assert total[1] == sum(e["n"] for e in want.values()) == 95
    assert total[5] == sum(e["passed"] for e in want.values())
    assert total[6] == pytest.approx(total[5] / total[1])
    text = [c for r in ws.iter_rows(values_only=True) for c in r if isinstance(c, str)]
    assert any(t.startswith("填报日期：") for t in text)
    assert "填表人：" in text and "联系电话：" in text
    assert any(t.startswith("说明：") for t in text)
    assert ws.column_dimensions["C"].width > 10


def test_plan_table_counts_communities_planned_per_year(db, program):
    ws = sheet(export_xlsx("plan", db, program, 2022, tz=TZ, now=NOW))
    assert ws["A2"].value == "河源市绿色社区创建计划表"
    head, rows = rows_after(ws, "序号")
    assert [c.value for c in ws[head]][:6] == [
        "序号",
        "县（区）",
        "社区总数量(个)",
        "原“广东省宜居社区”数量(个)",
        "原“广东省绿色社区”数量(个)",
        "计划创建绿色社区数量(个)",
    ]
    assert [c.value for c in ws[head + 1]][5:7] == ["2021年", "2022年"]
    y21, y22 = per_county(db, 2021), per_county(db, 2022)
    body = rows[1:]  # the year sub-header comes first
    assert [r[1] for r in body] == [*y21, "总计"]
    for k, r in enumerate(body[:-1], start=1):
        assert r[0] == k
        e = y21[r[1]]
        assert list(r[2:7]) == [e["n"], e["liv"], e["grn"], e["plan"], y22[r[1]]["plan"]]
    assert list(body[-1][2:7]) == [95, 92, 0, 13, 26]  # the sample roster's 附件5 totals


def test_summary_table_lists_passed_communities_by_the_year_they_were_submitted(db, program):
    ws = sheet(export_xlsx("summary", db, program, 2022, tz=TZ, now=NOW))
    assert ws["A2"].value == "绿色社区建设任务完成情况汇总表"
    head, rows = rows_after(ws, "县（市、区）")
    titles = [c.value for c in ws[head]]
    assert titles == [
        "县（市、区）",
        "2021 年绿色社区名单",
        "2021 年完成数量",
        "2021 年完成比例",
        "2022 年绿色社区名单",
        "2022 年完成数量",
        "2022 年完成比例",
        "合计完成比例",
    ]
    names: dict[tuple[str, int], list[str]] = {}
    for county, name, at in db.conn.execute(
        "SELECT co.name, c.name, a.submitted_at FROM assessments a JOIN communities c"
        " ON c.id = a.community_id JOIN counties co ON co.id = c.county_id"
        " WHERE a.status = 'submitted' AND a.passed = 1"
    ):
        year = dt.datetime.fromisoformat(at.replace("Z", "+00:00")).astimezone(TZ).year
        names.setdefault((county, year), []).append(name)
    want = per_county(db, 2022)
    for r in rows[:-1]:
        e = want[r[0]]
        for col, year in ((1, 2021), (4, 2022)):
            got = sorted(x for x in (r[col] or "").split("、") if x)
            assert got == sorted(names.get((r[0], year), []))
            assert r[col + 1] == len(got)
            assert r[col + 2] == pytest.approx(len(got) / e["n"])
        assert r[7] == pytest.approx(e["passed"] / e["n"])
    total = rows[-1]
    assert total[0] == "地区" and total[1] == "/"  # the seed's last row
    assert total[2] == sum(len(v) for (_, y), v in names.items() if y == 2021)
    assert total[5] == sum(len(v) for (_, y), v in names.items() if y == 2022)


def test_answers_export_has_every_answer_row(db, program):
    ws = load_workbook(
        io.BytesIO(export_xlsx("answers", db, program, 2022, tz=TZ, now=NOW))
    ).worksheets[0]
    values = list(ws.iter_rows(values_only=True))
    assert list(values[1]) == list(ANSWER_COLUMNS)
    assert ws.freeze_panes == "A3"
    body = values[2:]
    assert len(body) == db.conn.execute("SELECT count(*) FROM answers").fetchone()[0]
    std = catalog().standard("guangdong-2021")
    got = {(r[2], r[4]): r for r in body}
    users = {21: "陈一", 22: "@wang2"}
    for community, qid, status, pts, deds, note, ev, uid, at in db.conn.execute(
        "SELECT c.name, q.question_id, q.status, q.points, q.deductions, q.note,"
        " (SELECT count(*) FROM evidence e WHERE e.assessment_id = q.assessment_id"
        "  AND e.question_id = q.question_id), q.user_id, q.updated_at"
        " FROM answers q JOIN assessments a ON a.id = q.assessment_id"
        " JOIN communities c ON c.id = a.community_id"
    ):
        r = got[(community, qid)]
        assert r[3] == std.title and r[5] == std.question(qid).text
        assert r[6] == STATUS_ZH[status]
        assert r[7] == pts
        assert r[8] == (1.5 if deds else None)
        assert (r[9] or None) == note
        assert r[10] == ev
        assert r[11] == users[uid]
        when = dt.datetime.fromisoformat(at.replace("Z", "+00:00")).astimezone(TZ)
        assert r[12] == when.replace(tzinfo=None, microsecond=0)  # a real date-time
    # question order within a community follows the standard
    first = [r[4] for r in body if r[2] == body[0][2]]
    assert first == sorted(first, key=std.question_index.__getitem__)


def test_exports_hold_only_what_the_viewer_may_see(db, program):
    contact = Principal(0, counties=frozenset({4}))
    _, rows = rows_after(
        sheet(export_xlsx("progress", db, program, 2022, contact, tz=TZ, now=NOW)), "县（区）"
    )
    assert [r[0] for r in rows] == ["和平县", "合计"]
    answers = load_workbook(
        io.BytesIO(export_xlsx("answers", db, program, 2022, contact, tz=TZ, now=NOW))
    )
    body = list(answers.worksheets[0].iter_rows(values_only=True))[2:]
    assert body and {r[0] for r in body} == {"和平县"}
    nobody = Principal(0)
    empty = load_workbook(
        io.BytesIO(export_xlsx("answers", db, program, 2022, nobody, tz=TZ, now=NOW))
    )
    assert len(list(empty.worksheets[0].iter_rows(values_only=True))) == 2


def test_every_export_kind_writes_a_file_that_reopens(db, program, tmp_path):
    for kind in KINDS:
        out = write_xlsx(kind, db, program, 2022, tmp_path / f"{kind}.xlsx", tz=TZ, now=NOW)
        wb = load_workbook(out)
        assert wb.worksheets[0].max_row > 2
    with pytest.raises(ReportError):
        export_xlsx("nonsense", db, program, 2022, tz=TZ, now=NOW)


def docx_text(data: bytes) -> str:
    from docx import Document

    doc = Document(io.BytesIO(data))
    parts = [p.text for p in doc.paragraphs]
    for t in doc.tables:
        for row in t.rows:
            parts += [c.text for c in row.cells]
    return "\n".join(parts)


def docx_cells(data: bytes) -> str:
    from docx import Document

    doc = Document(io.BytesIO(data))
    return "\n".join(c.text for t in doc.tables for row in t.rows for c in row.cells)


def test_application_form_reopens_with_the_community_and_its_check(db, program, tmp_path):
    cid, name = db.conn.execute(
        "SELECT c.id, c.name FROM communities c JOIN assessments a ON a.community_id = c.id"
        " WHERE a.answered < a.total LIMIT 1"
    ).fetchone()
    out = tmp_path / "form.docx"
    data = form(checks_of(db, program), cid, out)
    assert out.read_bytes() == data
    text = docx_text(data)
    assert name in text and "绿色社区申报表" in text and "附件2" in text
    for label in ("社区地址", "社区负责人", "联系电话", "社区面积", "社区人口", "各级审核意见"):
        assert label in text
    for level in ("街　道", "县（市、区）", "地级市", "（盖　章）", "年　　月　　日"):
        assert level in text
    assert "社区基本情况及申报创建特色简介" in text
    assert "一、本表为创建绿色社区申请用表。" in text and "九、各级审核意见" in text
    d = community_detail(checks_of(db, program), cid)
    summary = auto_summary(d)
    assert summary in text and len(summary) <= 1000
    assert d.result is not None
    assert f"已答 {d.result.answered} 个" in summary and f"缺项 {len(d.result.gaps)} 个" in summary
    # the generated text is on its own 自查情况 page, never in the form's 简介 box
    assert "自查情况" in text and "GreenCheck" not in docx_cells(data)


def test_qinhuangdao_program_uses_its_own_form(db):
    qhd = catalog().programs["qinhuangdao-etdz-2021"]
    name = db.conn.execute("SELECT name FROM communities WHERE id = 1").fetchone()[0]
    text = docx_text(form(checks_of(db, qhd), 1))
    assert "秦皇岛经济技术开发区绿色社区申报表" in text and name in text
    for label in ("社区户数（户）", "街道负责人", "创建联系人", "县（区）住建局意见（盖章）"):
        assert label in text
    assert "秦皇岛经济技术开发区“绿色社区”评审标准" in text or "尚未开展自查" in text


def test_chart_is_a_png_of_the_requested_size(db, program, tmp_path):
    from PIL import Image

    from bot.files.charts import chart_png, write_chart

    rows = county_status(db, program, 2022)
    data = chart_png(rows, program, size=(900, 500))
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    img = Image.open(io.BytesIO(data))
    img.load()
    assert img.size == (900, 500)
    out = write_chart(rows, program, tmp_path / "c.png")
    assert Image.open(out).size == (1200, 700)
    many = [*rows[:-1] * 10, rows[-1]]  # more counties than bars: still renders
    assert Image.open(io.BytesIO(chart_png(many, program))).size == (1200, 700)


def test_chart_font_draws_simplified_chinese():
    from matplotlib.ft2font import FT2Font

    from bot.files.charts import font_family, font_path

    path = font_path()
    assert path is not None, "the CJK font dependency (pylopdf-fonts-zh-cn) is not installed"
    font = FT2Font(str(path))
    for ch in "河源市绿色社区创建进度源城区江东新区龙川县紫金县连平县参与率完成率目标合计":
        assert font.get_char_index(ord(ch)), ch
    assert font_family()


def test_cli_writes_each_file(db, tmp_path, monkeypatch, capsys):
    from tests.harness import cli

    monkeypatch.setenv("GREENCHECK_DB", str(tmp_path / "gc.db"))
    monkeypatch.setenv("GREENCHECK_PROGRAM", "heyuan-2021")
    monkeypatch.chdir(tmp_path)
    for kind in KINDS:
        assert cli(["export", kind, "--out", f"{kind}.xlsx", "--year", "2022"]) == 0
        assert load_workbook(tmp_path / f"{kind}.xlsx").worksheets[0].max_row > 2
    assert cli(["form", "--community", "江滨", "--out", "f.docx"]) == 0
    assert "江滨社区" in docx_text((tmp_path / "f.docx").read_bytes())
    assert cli(["chart", "--out", "c.png", "--width", "640", "--height", "400"]) == 0
    from PIL import Image

    assert Image.open(tmp_path / "c.png").size == (640, 400)
    capsys.readouterr()


def _answer_times(data: bytes) -> list[Any]:
    ws = load_workbook(io.BytesIO(data)).worksheets[0]
    return sorted(
        r[12].strftime("%Y-%m-%d %H:%M") for r in list(ws.iter_rows(values_only=True))[2:]
    )


def _passed_in(db: sqlite_utils.Database, year: int, tz: ZoneInfo) -> int:
    return sum(
        dt.datetime.fromisoformat(at.replace("Z", "+00:00")).astimezone(tz).year == year
        for (at,) in db.conn.execute(
            "SELECT submitted_at FROM assessments WHERE status = 'submitted' AND passed = 1"
        )
    )


def test_exports_follow_greencheck_tz(db, program, tmp_path, monkeypatch, capsys):
    """Times and the year a check counts for are in GREENCHECK_TZ, or in the zone passed."""
    from tests.harness import cli

    utc = ZoneInfo("UTC")
    want_utc = sorted(
        dt.datetime.fromisoformat(at.replace("Z", "+00:00")).strftime("%Y-%m-%d %H:%M")
        for (at,) in db.conn.execute("SELECT updated_at FROM answers")
    )
    assert _passed_in(db, 2021, utc) != _passed_in(db, 2021, TZ)  # the fixture tells them apart
    monkeypatch.chdir(tmp_path)  # no stray .env
    monkeypatch.setenv("GREENCHECK_TZ", "UTC")
    zone = Settings().zone  # the bot and the CLI pass settings.zone
    assert _answer_times(export_xlsx("answers", db, program, 2022, tz=zone, now=NOW)) == want_utc
    _, rows = rows_after(
        sheet(export_xlsx("summary", db, program, 2022, tz=zone, now=NOW)), "县（市、区）"
    )
    assert rows[-1][2] == _passed_in(db, 2021, utc)
    # An explicit zone wins over the environment.
    shanghai = export_xlsx("answers", db, program, 2022, tz=TZ, now=NOW)
    assert _answer_times(shanghai) != want_utc
    # The CLI reads GREENCHECK_TZ through its settings.
    monkeypatch.setenv("GREENCHECK_DB", str(tmp_path / "gc.db"))
    monkeypatch.setenv("GREENCHECK_PROGRAM", "heyuan-2021")
    assert cli(["export", "answers", "--out", "a.xlsx"]) == 0
    assert _answer_times((tmp_path / "a.xlsx").read_bytes()) == want_utc
    capsys.readouterr()
