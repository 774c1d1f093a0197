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
from bot.services.checks import Checks
from tests.harness import actions_of, people_of, sample_roster

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
    actions = actions_of(fresh_db, NOW)
    with pytest.raises(ActionError) as exc:  # a worker may not open one
        actions.open(worker, (a.id, qid), WORKER_ID, NOW.date())
    assert exc.value.code == "no_permission"
    met = checks.standard_for(a).questions[1].id
    checks.answer(worker, a.id, met, "met")
    with pytest.raises(ActionError):  # a met item is no action
        actions.open(reviewer, (a.id, met), WORKER_ID, NOW.date())
    due = NOW.date() + dt.timedelta(days=10)
    aid = actions.open(reviewer, (a.id, qid), WORKER_ID, due, "整改")
    with pytest.raises(ActionError) as exc:
        actions.close(worker, aid)
    assert exc.value.code == "needs_evidence"
    checks.attach(worker, a.id, qid, _file(1))
    actions.clock.set(NOW + dt.timedelta(days=1))
    row = actions.close(worker, aid)
    assert row.status == "closing" and row.evidence == "p1.jpg"
    row = actions.review(reviewer, aid, False, "照片不清楚")
    assert row.status == "open" and row.evidence is None
    with pytest.raises(ActionError):  # nothing to confirm while it is open
        actions.review(reviewer, aid, True)
    actions.close(worker, aid)
    row = actions.review(reviewer, aid, True)
    assert row.status == "closed"
    steps = [e[0] for e in actions.history(aid)]
    assert steps == ["open", "close", "reopen", "close", "confirm"]
    listed = actions.listing(reviewer, status="closed")
    assert [x.as_dict()["status"] for x in listed] == ["closed"]
    assert set(listed[0].as_dict()) == {"id", "community", "item", "problem", "owner", "due",
                                        "status", "closed_at", "evidence"}  # fmt: skip


def test_overdue_first_and_owners_reminded_before_and_after_the_due_day(fresh_db):
    checks, a, qid, reviewer, worker = _setup(fresh_db)
    q2 = checks.standard_for(a).questions[2].id
    checks.answer(worker, a.id, q2, "partial")
    actions = actions_of(fresh_db, NOW)
    late = actions.open(reviewer, (a.id, qid), WORKER_ID, dt.date(2022, 3, 5))
    soon = actions.open(reviewer, (a.id, q2), WORKER_ID, dt.date(2022, 3, 20))
    today = dt.date(2022, 3, 6)
    actions.clock.set(dt.datetime.combine(today, NOW.timetz()))
    mine = actions.listing(worker, mine=True)
    assert [(x.row.id, x.state) for x in mine] == [(late, "overdue"), (soon, "open")]
    due = actions.due_reminders(today)
    assert [(d.recipient, d.deadline, d.lead) for d, _ in due] == [
        (WORKER_ID, f"action-{late}", -1)
    ]
    before = actions.due_reminders(dt.date(2022, 3, 17))
    assert [(d.deadline, d.lead) for d, _ in before] == [(f"action-{soon}", 3)]
    assert actions.listing(Principal(99)) == []  # strangers see nothing


def test_an_over_long_problem_is_refused_with_its_limit_and_controls_are_cleaned(fresh_db):
    _, a, qid, reviewer, _ = _setup(fresh_db)
    actions = actions_of(fresh_db, NOW)
    due = NOW.date() + dt.timedelta(days=10)
    with pytest.raises(ActionError) as exc:
        actions.open(reviewer, (a.id, qid), WORKER_ID, due, "长" * 501)
    assert exc.value.code == "too_long" and exc.value.info == {"length": 501, "limit": 500}
    aid = actions.open(reviewer, (a.id, qid), WORKER_ID, due, "\x07补拍\uffff")
    assert actions.get(aid).problem == "补拍"


def test_an_action_goes_to_the_named_worker_else_the_first_and_needs_one(fresh_db):
    _, a, qid, reviewer, _ = _setup(fresh_db)
    actions = actions_of(fresh_db, NOW)
    due = NOW.date() + dt.timedelta(days=10)
    first = actions.open(reviewer, (a.id, qid), None, due)  # none named: the first worker
    assert actions.get(first).owner_id == WORKER_ID
    with pytest.raises(ActionError) as exc:  # a name that is no worker of the community
        actions.open(reviewer, (a.id, qid), "@nobody", due)
    assert exc.value.code == "owner_not_worker"
    people_of(fresh_db, NOW).revoke(WORKER_ID, "worker", 3)
    with pytest.raises(ActionError) as exc:  # nobody left to own it
        actions.open(reviewer, (a.id, qid), None, due)
    assert exc.value.code == "no_check_or_worker" and exc.value.info["community"]
