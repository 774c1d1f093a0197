"""Corrective actions: opened on a failed item, reminded, closed with evidence,
confirmed or reopened by a reviewer; listed overdue first."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from bot.catalog import catalog
from bot.clock import FixedClock
from bot.domain.access import Principal
from bot.domain.errors import ActionError
from bot.services import actions
from bot.services.checks import Checks
from tests.harness import people_of, sample_roster

TZ = ZoneInfo("Asia/Shanghai")
NOW = dt.datetime(2022, 3, 1, 9, tzinfo=TZ)
WORKER_ID = 2001


def _setup(db):
    sample_roster(db)
    cat = catalog()
    checks = Checks(
        db, cat, cat.programs["heyuan-2021"], clock=FixedClock(NOW.tzinfo or dt.UTC, NOW)
    )
    people = people_of(db, NOW)
    people.set_language(WORKER_ID, "zh", "王五", None)
    people.grant(WORKER_ID, "worker", community_id=1)
    a = checks.start(1)
    county = a.county_id
    reviewer = Principal(3, counties=frozenset({county}))
    worker = Principal(WORKER_ID, communities=frozenset({1}))
    qid = checks.standard_for(a).questions[0].id
    checks.answer(worker, a.id, qid, "not_met")
    return checks, a, qid, reviewer, worker


def _file(n: int) -> dict:
    return {
        "kind": "photo",
        "file_id": f"f{n}",
        "file_unique_id": f"u{n}",
        "file_name": f"p{n}.jpg",
    }


def test_an_action_closes_only_with_new_evidence_and_a_reviewer_confirms_or_reopens(fresh_db):
    checks, a, qid, reviewer, worker = _setup(fresh_db)
    with pytest.raises(ActionError) as exc:  # a worker may not open one
        actions.open_action(fresh_db, worker, (a.id, qid), WORKER_ID, NOW.date(), NOW)
    assert exc.value.code == "no_permission"
    met = checks.standard_for(a).questions[1].id
    checks.answer(worker, a.id, met, "met")
    with pytest.raises(ActionError):  # a met item is no action
        actions.open_action(fresh_db, reviewer, (a.id, met), WORKER_ID, NOW.date(), NOW)
    due = NOW.date() + dt.timedelta(days=10)
    aid = actions.open_action(fresh_db, reviewer, (a.id, qid), WORKER_ID, due, NOW, "整改")
    with pytest.raises(ActionError) as exc:
        actions.close(fresh_db, worker, aid, NOW)
    assert exc.value.code == "needs_evidence"
    checks.attach(worker, a.id, qid, _file(1))
    later = NOW + dt.timedelta(days=1)
    row = actions.close(fresh_db, worker, aid, later)
    assert row.status == "closing" and row.evidence == "p1.jpg"
    row = actions.review(fresh_db, reviewer, aid, False, later, "照片不清楚")
    assert row.status == "open" and row.evidence is None
    with pytest.raises(ActionError):  # nothing to confirm while it is open
        actions.review(fresh_db, reviewer, aid, True, later)
    actions.close(fresh_db, worker, aid, later)
    row = actions.review(fresh_db, reviewer, aid, True, later)
    assert row.status == "closed"
    steps = [e[0] for e in actions.history(fresh_db, aid)]
    assert steps == ["open", "close", "reopen", "close", "confirm"]
    listed = actions.listing(fresh_db, reviewer, later.date(), status="closed")
    assert [x.as_dict()["status"] for x in listed] == ["closed"]
    assert set(listed[0].as_dict()) == {"id", "community", "item", "problem", "owner", "due",
                                        "status", "closed_at", "evidence"}  # fmt: skip


def test_overdue_first_and_owners_reminded_before_and_after_the_due_day(fresh_db):
    checks, a, qid, reviewer, worker = _setup(fresh_db)
    q2 = checks.standard_for(a).questions[2].id
    checks.answer(worker, a.id, q2, "partial")
    late = actions.open_action(fresh_db, reviewer, (a.id, qid), WORKER_ID, dt.date(2022, 3, 5), NOW)
    soon = actions.open_action(fresh_db, reviewer, (a.id, q2), WORKER_ID, dt.date(2022, 3, 20), NOW)
    today = dt.date(2022, 3, 6)
    mine = actions.listing(fresh_db, worker, today, mine=True)
    assert [(x.row.id, x.state) for x in mine] == [(late, "overdue"), (soon, "open")]
    due = actions.due_reminders(fresh_db, today)
    assert [(d.recipient, d.deadline, d.lead) for d, _ in due] == [
        (WORKER_ID, f"action-{late}", -1)
    ]
    before = actions.due_reminders(fresh_db, dt.date(2022, 3, 17))
    assert [(d.deadline, d.lead) for d, _ in before] == [(f"action-{soon}", 3)]
    assert actions.listing(fresh_db, Principal(99), today) == []  # strangers see nothing


def test_an_over_long_problem_is_refused_with_its_limit_and_controls_are_cleaned(fresh_db):
    _, a, qid, reviewer, _ = _setup(fresh_db)
    due = NOW.date() + dt.timedelta(days=10)
    with pytest.raises(ActionError) as exc:
        actions.open_action(fresh_db, reviewer, (a.id, qid), WORKER_ID, due, NOW, "长" * 501)
    assert exc.value.code == "too_long" and exc.value.info == {"length": 501, "limit": 500}
    aid = actions.open_action(
        fresh_db, reviewer, (a.id, qid), WORKER_ID, due, NOW, "\x07补拍\uffff"
    )
    assert actions.get(fresh_db, aid).problem == "补拍"
