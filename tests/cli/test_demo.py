"""The demo console: switching who you are, saved files, replies, the program's sample roster,
the console's language. Scripted through piped stdin, as a user would."""

from __future__ import annotations

import csv
import io
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from bot.catalog import STANDARDS_DIR, catalog
from bot.clock import FixedClock
from bot.services.roster import SAMPLE_ROSTERS
from bot.store.db import connect
from handlers.demo import PERSONAS, run_demo
from tests.harness import NOW, ZONE, people_of

CLOCK = FixedClock(ZONE, NOW)  # the demo on a clock that stands still

GREENCHECK = [sys.executable, "-m", "bot"]


@pytest.fixture(autouse=True)
def clean_env(monkeypatch):
    for k in list(os.environ):
        if k.startswith(("GREENCHECK_", "TELEGRAM_")):
            monkeypatch.delenv(k)


async def demo(tmp_path: Path, script: str, db: Path | None = None) -> str:
    out = io.StringIO()
    path = str(db) if db else None
    assert await run_demo(io.StringIO(script), out, path, str(tmp_path / "files"), CLOCK) == 0
    return out.getvalue()


def test_issue_walk_worker_contact_admin_saves_the_export(tmp_path):
    script = "/as worker\n/check\n7\n/as contact\n/status\n/as admin\n/export progress\nquit\n"
    env = {k: v for k, v in os.environ.items() if not k.startswith("GREENCHECK_")}
    run = subprocess.run(
        [*GREENCHECK, "demo"], input=script, cwd=tmp_path, env=env, capture_output=True, text=True
    )
    assert run.returncode == 0, run.stderr
    out = run.stdout
    assert "已答 1/42" in out  # the worker answered
    assert "你现在是县区联系人（源城区）" in out
    assert "📊 源城区 · 社区 44 · 已开始 1" in out  # the contact's county view
    saved = list((tmp_path / "demo-files").glob("*.xlsx"))
    assert len(saved) == 1 and saved[0].stat().st_size > 1000
    assert f"已保存：demo-files/{saved[0].name}" in out
    assert "Traceback" not in out + run.stderr and out.rstrip().endswith("再见！")


async def test_each_role_is_its_own_user_with_its_own_view(tmp_path):
    db = tmp_path / "d.db"
    out = await demo(tmp_path, "/me\n/as contact\n/me\n/as worker\n/export progress\n", db)
    rows = sqlite3.connect(db).execute("SELECT user_id, role FROM roles ORDER BY 1").fetchall()
    assert (PERSONAS["worker"].uid, "worker") in rows
    assert (PERSONAS["contact"].uid, "contact") in rows
    assert {r for u, r in rows if u == PERSONAS["worker"].uid} == {"worker"}  # not admin too
    assert str(PERSONAS["worker"].uid) in out and str(PERSONAS["contact"].uid) in out
    assert not (tmp_path / "files").exists()  # a worker-only user gets no county export


async def test_a_new_user_redeems_a_contact_invite(tmp_path):
    db = tmp_path / "d.db"
    await demo(tmp_path, "", db)  # prepare the roster and the users
    conn = connect(db)
    county = conn.execute("SELECT id FROM counties ORDER BY id LIMIT 1").fetchone()[0]
    code = people_of(conn, CLOCK.now()).create_invite("contact", None, None, county, 7)
    conn.close()
    out = await demo(tmp_path, f"/as new\n/join {code}\n/status\n", db)
    rows = sqlite3.connect(db).execute(
        "SELECT role, county_id FROM roles WHERE user_id = ?", [PERSONAS["new"].uid]
    )
    assert rows.fetchall() == [("contact", county)]
    assert "📊 源城区" in out
    admin = sqlite3.connect(db).execute(
        "SELECT role FROM roles WHERE user_id = ?", [PERSONAS["admin"].uid]
    )
    assert admin.fetchall() == [("admin",)]  # the admin did not become the contact


async def test_reply_syntax_sends_a_number_as_a_note_and_replies_by_number(tmp_path):
    db = tmp_path / "d.db"
    out = await demo(tmp_path, "/check\n6\n>3\n/check\n", db)
    assert "✏️ 备注 3" in out
    note = sqlite3.connect(db).execute("SELECT note FROM answers WHERE question_id = '1.1'")
    assert note.fetchone() == ("3",)
    out = await demo(tmp_path, "/check\n6\n>1003 42 棵树\n/check\n", tmp_path / "e.db")
    assert "✏️ 备注 42 棵树" in out  # #1003 is the note prompt (1001 /start, 1002 the card)


async def test_files_are_saved_under_the_folder_with_their_paths(tmp_path):
    out = await demo(tmp_path, "/as admin\n/chart\n/chart\n/form 江滨社区\n")
    files = sorted(p.name for p in (tmp_path / "files").iterdir())
    assert files == ["photo-2.png", "photo.png", "绿色社区申报表-江滨社区.docx"]
    for name in files:
        assert str(tmp_path / "files" / name) in out
    assert (tmp_path / "files" / "photo.png").read_bytes().startswith(b"\x89PNG")


async def test_unknown_role_lists_the_roles(tmp_path):
    out = await demo(tmp_path, "/as mayor\n/as\n")
    assert out.count("用法：/as worker | contact | admin | street | new") == 2


async def test_program_loads_its_own_sample_roster(tmp_path, monkeypatch):
    monkeypatch.setenv("GREENCHECK_PROGRAM", "chuxiong-2021")
    out = await demo(tmp_path, "/as contact\n/status\n")
    assert "📊 楚雄市" in out and "源城区" not in out


async def test_console_texts_follow_greencheck_lang_and_lang(tmp_path, monkeypatch):
    out = await demo(tmp_path, "/lang en\n/as admin\n")
    assert "你现在是" in out.split("/lang en")[0]  # the banner in Chinese
    assert "you are now an admin" in out and out.rstrip().endswith("Bye!")
    monkeypatch.setenv("GREENCHECK_LANG", "en")
    out = await demo(tmp_path, "/check\n")
    assert out.startswith("🌿 GreenCheck local demo") and "Answered 0/42" in out


def test_every_program_has_a_sample_roster_marked_as_sample_data():
    assert set(SAMPLE_ROSTERS) == set(catalog().programs)
    for program, name in SAMPLE_ROSTERS.items():
        with (STANDARDS_DIR / "rosters" / name).open(encoding="utf-8") as f:
            rows = list(csv.DictReader(f))
        assert 5 <= len(rows) <= 100, program
        assert all("样例数据" in r["note"] for r in rows), program


def _answer_everything(db_path: Path) -> None:
    """The worker's 42 answers (typing them into the console is a test of its own)."""
    from bot.domain.access import Principal
    from bot.services.checks import Checks

    conn = connect(db_path)
    cat = catalog()
    checks = Checks(conn, cat, cat.programs["heyuan-2021"], CLOCK)
    uid = PERSONAS["worker"].uid
    cid = conn.execute("SELECT community_id FROM roles WHERE user_id = ?", [uid]).fetchone()[0]
    a = checks.start(cid)
    for q in checks.standard_for(a).questions:
        checks.answer(Principal(uid, communities=frozenset({cid})), a.id, q.id, "met")
    conn.close()


async def test_the_demo_walks_the_chain_worker_submits_street_reviews_and_approves(tmp_path):
    db = tmp_path / "d.db"
    await demo(tmp_path, "/as street\n/me\n/review\n", db)  # prepare; the street is a role
    street = sqlite3.connect(db).execute(
        "SELECT s.name FROM street_roles r JOIN streets s ON s.id = r.street_id"
        " WHERE r.user_id = ?",
        [PERSONAS["street"].uid],
    )
    assert street.fetchall() == [("新江街道",)]  # the worker's community's street
    _answer_everything(db)
    # worker: /submit, [1] confirms; street: /review, [1] opens the check, [11] 通过
    script = "/as worker\n/submit\n1\n/as street\n/review\n1\n11\n/review\n/as contact\n/review\n"
    out = await demo(tmp_path, script, db)
    worker, street_part = out.split("/as street", 1)
    assert "已提交" in worker and "→ 发给 街道审核员" in worker  # handed over to the street
    seen, after = street_part.split("👤 街道审核员: 11", 1)
    assert "新江街道" in seen and "1. 江滨社区 · 街道推荐" in seen  # /review lists it
    assert "[11] ✅ 通过" in seen  # the button the script presses
    assert "转入「县（区）初审」" in after and "→ 发给 县区联系人" in after
    assert "目前没有待您审核的社区" in after.split("/as contact")[0]  # the street is done
    assert "1. 江滨社区 · 县（区）初审" in after.split("/as contact")[1]  # the county's turn
    stage = sqlite3.connect(db).execute("SELECT stage, state FROM reviews").fetchall()
    assert stage == [("县（区）初审", "waiting")]
    actions = sqlite3.connect(db).execute(
        "SELECT action, role, user_id FROM review_events ORDER BY id"
    )
    assert actions.fetchall() == [
        ("submit", "community", PERSONAS["worker"].uid),
        ("approve", "street", PERSONAS["street"].uid),
    ]
