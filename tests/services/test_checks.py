"""The self-check service (bot.services.checks) without Telegram."""

from __future__ import annotations

import pytest

from bot.domain.access import Principal
from bot.domain.answers import CheckError
from bot.domain.standards import Catalog, catalog
from bot.services.checks import Checks
from bot.services.roster import load_sample

W = Principal(7, admin=True)  # user 7 answers (any community)


@pytest.fixture
def checks(fresh_db):
    load_sample(fresh_db)
    cat = catalog()
    return Checks(fresh_db, cat, cat.programs["chuxiong-2021"])


def test_same_answer_twice_changes_nothing_and_logs_once(checks):
    a = checks.start(1)
    first = checks.answer(W, a.id, "1", "met")
    second = checks.answer(W, a.id, "1", "met")
    assert first.changed and not second.changed
    assert checks.db.execute("SELECT count(*) FROM answer_history").fetchone()[0] == 1


def test_answer_refreshes_the_cached_summary(checks):
    a = checks.start(1)
    checks.answer(W, a.id, "8", "met", deductions={"a": 2, "b": 1})
    row = checks.db.execute("SELECT answered, total, gap_count, score FROM assessments").fetchone()
    assert row == (1, 17, 17, 3.0)  # 16 unanswered + item 8 partly met


def test_deduction_outside_the_rule_choices_is_refused(checks):
    a = checks.start(1)
    with pytest.raises(CheckError):
        checks.answer(W, a.id, "8", "met", deductions={"a": 5})
    with pytest.raises(CheckError):
        checks.answer(W, a.id, "8", "met", deductions={"z": 1})
    assert checks.db.execute("SELECT count(*) FROM answers").fetchone()[0] == 0


def test_na_only_where_the_seed_allows_it(fresh_db):
    load_sample(fresh_db)
    cat = catalog()
    qhd = Checks(fresh_db, cat, cat.programs["qinhuangdao-etdz-2021"])
    a = qhd.start(1)
    assert qhd.answer(W, a.id, "11", "na").view.rows["11"].points == 4
    with pytest.raises(CheckError):
        qhd.answer(W, a.id, "12", "na")


def test_note_longer_than_the_limit_is_refused(checks):
    a = checks.start(1)
    with pytest.raises(CheckError) as exc:
        checks.note(W, a.id, "1", "很" * 501)
    assert exc.value.code == "note_too_long" and exc.value.info["length"] == 501


def test_same_file_twice_is_attached_once(checks):
    a = checks.start(1)
    file = {"kind": "photo", "file_id": "f", "file_unique_id": "u1"}
    assert checks.attach(W, a.id, "1", file).added
    assert not checks.attach(W, a.id, "1", file).added
    assert checks.rows(a.id)["1"].evidence == 1


def test_submit_names_unanswered_and_locks_when_complete(checks):
    a = checks.start(1)
    with pytest.raises(CheckError) as exc:
        checks.submit(W, a.id)
    assert exc.value.info["ids"][0] == "1" and len(exc.value.info["ids"]) == 17
    for q in checks.standard_for(a).questions:
        checks.answer(W, a.id, q.id, "met", points=4 if q.role == "bonus" else None)
    view = checks.submit(W, a.id).view
    assert view.assessment.locked and view.result.score == 100 and view.result.passed
    with pytest.raises(CheckError):
        checks.answer(W, view.assessment.id, "1", "not_met")


def test_started_check_keeps_its_standard_version(fresh_db, monkeypatch):
    load_sample(fresh_db)
    cat = catalog()
    a = Checks(fresh_db, cat, cat.programs["chuxiong-2021"]).start(1)
    # The standard file changes after the check began: new text, new hash.
    changed = Catalog()
    std = changed.standards["chuxiong-2021"]
    first = std.areas[0].items[0].model_copy(update={"text": "改过的条文"})
    area = std.areas[0].model_copy(update={"items": [first, *std.areas[0].items[1:]]})
    changed.standards["chuxiong-2021"] = std.model_copy(update={"areas": [area, *std.areas[1:]]})
    changed.hashes["chuxiong-2021"] = "0" * 16
    later = Checks(fresh_db, changed, changed.programs["chuxiong-2021"])
    kept = later.standard_for(later.get(a.id))
    assert kept.areas[0].items[0].text.startswith("坚持美好环境与幸福生活共同缔造理念")
    fresh = later.start(2)  # a new check starts on the new version
    assert later.standard_for(fresh).areas[0].items[0].text == "改过的条文"
