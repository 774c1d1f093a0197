"""The self-check service (bot.services.checks) without Telegram."""

from __future__ import annotations

import pytest

from bot.catalog import catalog, read_catalog
from bot.clock import FixedClock
from bot.domain.access import Principal
from bot.domain.errors import CheckError
from bot.services.checks import Checks
from tests.harness import NOW, ZONE, sample_roster

CLOCK = FixedClock(ZONE, NOW)
W = Principal(7, admin=True)  # user 7 answers (any community)


@pytest.fixture
def checks(fresh_db):
    sample_roster(fresh_db)
    cat = catalog()
    return Checks(fresh_db, cat, cat.programs["chuxiong-2021"], CLOCK)


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
    sample_roster(fresh_db)
    cat = catalog()
    qhd = Checks(fresh_db, cat, cat.programs["qinhuangdao-etdz-2021"], CLOCK)
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
    assert exc.value.info["ids"][0] == "1" and len(exc.value.info["ids"]) == 16  # not the bonus
    for q in checks.standard_for(a).questions:
        checks.answer(W, a.id, q.id, "met", points=4 if q.role == "bonus" else None)
    view = checks.submit(W, a.id).view
    assert view.assessment.locked and view.result.score == 100 and view.result.passed
    with pytest.raises(CheckError):
        checks.answer(W, view.assessment.id, "1", "not_met")


def test_started_check_keeps_its_standard_version(fresh_db, monkeypatch):
    sample_roster(fresh_db)
    cat = catalog()
    a = Checks(fresh_db, cat, cat.programs["chuxiong-2021"], CLOCK).start(1)
    # The standard file changes after the check began: new text, new hash.
    changed = read_catalog()
    std = changed.standards["chuxiong-2021"]
    first = std.areas[0].items[0].model_copy(update={"text": "改过的条文"})
    area = std.areas[0].model_copy(update={"items": [first, *std.areas[0].items[1:]]})
    changed.standards["chuxiong-2021"] = std.model_copy(update={"areas": [area, *std.areas[1:]]})
    changed.hashes["chuxiong-2021"] = "0" * 16
    later = Checks(fresh_db, changed, changed.programs["chuxiong-2021"], CLOCK)
    kept = later.standard_for(later.get(a.id))
    assert kept.areas[0].items[0].text.startswith("坚持美好环境与幸福生活共同缔造理念")
    fresh = later.start(2)  # a new check starts on the new version
    assert later.standard_for(fresh).areas[0].items[0].text == "改过的条文"


def test_every_stored_answer_is_one_the_rules_produce(checks):
    """Chuxiong (seed 003): item 11 扣6分 only; item 10 in whole points; item 3 floor 3."""
    a = checks.start(1)
    for qid, kwargs in [
        ("11", {"points": 3.0}),
        ("10", {"points": 4.5}),
        ("1", {"points": float("nan")}),
        ("3", {"points": -1.0}),
    ]:
        with pytest.raises(CheckError) as exc:
            checks.answer(W, a.id, qid, "partial", **kwargs)
        assert exc.value.code == "bad_answer" and exc.value.info["qid"] == qid
    assert checks.answer(W, a.id, "3", "not_met").view.rows["3"].points == 3.0  # 扣1-3分: floor
    with pytest.raises(CheckError):
        checks.tap(W, a.id, "17", "f")  # a bonus item takes b<k> only
    assert checks.tap(W, a.id, "17", "b4").view.rows["17"].points == 4.0
    assert checks.db.execute("SELECT count(*) FROM answers").fetchone()[0] == 2


def test_part_caps_apply_to_taps_and_the_capped_points_are_stored(fresh_db):
    sample_roster(fresh_db)
    cat = catalog()
    qhd = Checks(fresh_db, cat, cat.programs["qinhuangdao-etdz-2021"], CLOCK)
    a = qhd.start(1)
    qhd.tap(W, a.id, "15", "db2")
    done = qhd.tap(W, a.id, "15", "dc2")  # b and c share the 养护 part (计2分)
    assert done.view.rows["15"].points == 2.0 and done.next_qid == "15"
    stored = fresh_db.execute("SELECT points, status, deductions FROM answers").fetchone()
    assert stored == (2.0, "partial", "b:2,c:2")
    for code in ("p", "x", "f", "b1", "da1"):  # a veto takes y / n only
        with pytest.raises(CheckError):
            qhd.tap(W, a.id, "V1", code)
    assert qhd.tap(W, a.id, "V1", "n").view.result.triggered == ["V1"]


def test_a_note_can_be_replaced_and_cleared(checks):
    a = checks.start(1)
    assert checks.note(W, a.id, "1", "东门") == (True, None)
    assert checks.note(W, a.id, "1", "西门") == (True, "东门")
    assert checks.note(W, a.id, "1", None) == (True, "西门")
    assert checks.note(W, a.id, "1", None) == (False, None)
    assert checks.rows(a.id)["1"].note is None


def test_a_county_contact_may_look_but_not_answer(checks):
    a = checks.start(1)
    county = checks.db.execute("SELECT county_id FROM communities WHERE id = 1").fetchone()[0]
    contact = Principal(9, counties=frozenset({county}))
    assert checks.look(contact, a.id).view.assessment.id == a.id
    opened = checks.browse(contact, 1)
    assert opened is not None and opened.qid == "1"
    with pytest.raises(CheckError) as exc:
        checks.tap(contact, a.id, "1", "f")
    assert exc.value.code == "no_permission"
    stranger = Principal(10, counties=frozenset({county + 100}))
    with pytest.raises(CheckError):
        checks.look(stranger, a.id)


def test_an_unanswered_bonus_never_keeps_a_check_from_being_submitted(checks):
    a = checks.start(1)
    std = checks.standard_for(a)
    bonus = [q.id for q in std.questions if q.role == "bonus"]
    assert bonus == ["17"]  # Chuxiong's bonus item is numbered like any other
    for q in std.questions:
        if q.role != "bonus":
            checks.answer(W, a.id, q.id, "met")
    assert checks.submit(W, a.id).done
