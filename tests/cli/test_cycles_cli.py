"""`greencheck target set|show`, `actions list`, `status --year`."""

from __future__ import annotations

import datetime as dt
import json
from zoneinfo import ZoneInfo

from bot.catalog import catalog
from bot.clock import FixedClock
from bot.domain.access import Principal
from bot.services.checks import Checks
from bot.store.db import connect
from tests.harness import actions_of, people_of, sample_roster

KEYS = {"id", "community", "item", "problem", "owner", "due", "status", "closed_at", "evidence"}
NOW = dt.datetime(2022, 3, 1, 9, tzinfo=ZoneInfo("Asia/Shanghai"))


def _env(tmp_path, monkeypatch):
    monkeypatch.setenv("GREENCHECK_DB", str(tmp_path / "gc.db"))
    monkeypatch.setenv("GREENCHECK_PROGRAM", "heyuan-2021")
    monkeypatch.chdir(tmp_path)
    db = connect(tmp_path / "gc.db")
    sample_roster(db)
    return db


def test_target_set_is_recorded_with_who_and_shown_with_its_source_year(
    tmp_path, monkeypatch, capsys
):
    from tests.harness import cli

    db = _env(tmp_path, monkeypatch)
    assert cli(["target", "show", "--year", "2026", "--json"]) == 0
    shown = json.loads(capsys.readouterr().out)
    assert shown == {
        "year": 2026,
        "pct": 60,
        "source_year": 2022,
        "set_by": None,
        "participation": {"pct": 100, "source_year": 2025},
    }
    assert cli(["target", "set", "--year", "2026", "--pct", "70", "--by", "张三"]) == 0
    assert "70%" in capsys.readouterr().out
    assert cli(["target", "show", "--year", "2027", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["set_by"] == "张三"
    assert cli(["target", "set", "--year", "2026", "--pct", "170"]) == 1
    assert cli(["status", "--year", "2026", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert rows and all(r["year"] == 2026 and r["target_pct"] == 70 for r in rows)
    assert all(r["target_year"] == 2026 and r["target_by"] == "张三" for r in rows)
    assert cli(["status", "--year", "2025"]) == 0
    assert "目标 60%（2022 年方案）" in capsys.readouterr().out
    db.close()


def test_no_target_is_borrowed_before_the_programs_first_target_year(tmp_path, monkeypatch, capsys):
    from tests.harness import cli

    db = _env(tmp_path, monkeypatch)
    assert cli(["target", "show", "--year", "2020", "--json"]) == 0
    shown = json.loads(capsys.readouterr().out)
    assert shown == {
        "year": 2020,
        "pct": None,
        "source_year": None,
        "set_by": None,
        "participation": None,
    }
    assert cli(["target", "show", "--year", "2020"]) == 0
    out = capsys.readouterr().out
    assert "2020 年没有目标：方案的第一个目标年份是 2021 年" in out
    assert "30%" not in out
    assert cli(["status", "--year", "2019"]) == 0
    title = capsys.readouterr().out.splitlines()[0]
    assert "2019 年无目标（方案目标始于 2021 年）" in title
    assert "30%" not in title
    assert cli(["status", "--year", "2019", "--json"]) == 0
    assert {r["target_pct"] for r in json.loads(capsys.readouterr().out)} == {None}
    db.close()


def test_heyuans_2025_goal_is_shown_as_taking_part_beside_the_2022_done_target(
    tmp_path, monkeypatch, capsys
):
    from tests.harness import cli

    db = _env(tmp_path, monkeypatch)
    assert cli(["target", "show", "--year", "2025"]) == 0
    out = capsys.readouterr().out
    assert "2025 年的目标：60%（来自 2022 年方案）" in out
    assert "参与目标：100% 的城市社区参与创建行动（来自 2025 年方案；只要求参与" in out
    assert cli(["target", "show", "--year", "2024"]) == 0
    assert "参与目标" not in capsys.readouterr().out
    assert cli(["status", "--year", "2025"]) == 0
    title = capsys.readouterr().out.splitlines()[0]
    assert "目标 60%（2022 年方案） · 参与目标 100%（2025 年方案）" in title
    db.close()


def test_a_target_year_the_seed_does_not_print_is_shown_as_inferred(tmp_path, monkeypatch, capsys):
    from tests.harness import cli

    db = _env(tmp_path, monkeypatch)
    monkeypatch.setenv("GREENCHECK_PROGRAM", "qinhuangdao-etdz-2021")  # "年底前30%", no year
    assert cli(["target", "show", "--year", "2021"]) == 0
    assert "2021 年的目标：30%（来自 2021 年方案，年份为推定）" in capsys.readouterr().out
    assert cli(["status", "--year", "2021"]) == 0
    assert "目标 30%（2021 年方案，年份推定）" in capsys.readouterr().out.splitlines()[0]
    monkeypatch.setenv("GREENCHECK_PROGRAM", "chuxiong-2021")  # "2021年，…20%": printed
    assert cli(["target", "show", "--year", "2021"]) == 0
    assert "2021 年的目标：20%（来自 2021 年方案）" in capsys.readouterr().out
    db.close()


def test_actions_list_follows_the_contract(tmp_path, monkeypatch, capsys):
    from tests.harness import cli

    db = _env(tmp_path, monkeypatch)
    cat = catalog()
    checks = Checks(
        db, cat, cat.programs["heyuan-2021"], clock=FixedClock(NOW.tzinfo or dt.UTC, NOW)
    )
    people = people_of(db, NOW)
    people.set_language(2001, "zh", "王五", None)
    people.grant(2001, "worker", community_id=1)
    a = checks.start(1)
    qid = checks.standard_for(a).questions[0].id
    checks.answer(Principal(1, admin=True), a.id, qid, "not_met")
    admin = Principal(1, admin=True)
    actions_of(db, NOW).open(admin, (a.id, qid), 2001, dt.date(2022, 3, 5), "缺少记录")
    assert cli(["actions", "list", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert len(rows) == 1 and set(rows[0]) == KEYS
    assert rows[0]["owner"] == "王五" and rows[0]["problem"] == "缺少记录"
    assert rows[0]["status"] == "overdue"  # the wall clock is long after 2022-03-05
    assert cli(["actions", "list", "--status", "closed", "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == []
    community = rows[0]["community"]
    assert cli(["actions", "list", "--community", community, "--status", "overdue"]) == 0
    assert community in capsys.readouterr().out
    db.close()
