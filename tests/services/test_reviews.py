"""The review chain service (bot.services.reviews) without Telegram."""

from __future__ import annotations

import datetime as dt

import pytest

from bot.clock import FixedClock
from bot.domain.access import Principal
from bot.domain.answers import CheckError
from bot.domain.standards import catalog
from bot.services.checks import Checks
from bot.services.reviews import Reviews, figure, grant_street
from bot.services.roster import load_sample
from bot.store.people import load_principal

NOW = dt.datetime(2026, 5, 1, 9, tzinfo=dt.UTC)
ADMIN = Principal(1, admin=True)


def _service(db, program: str) -> Reviews:
    load_sample(db)
    cat = catalog()
    checks = Checks(db, cat, cat.programs[program], clock=FixedClock(NOW.tzinfo or dt.UTC, NOW))
    reviews = Reviews(checks)
    checks.gate = reviews.editable
    return reviews


def _submitted(r: Reviews, community_id: int = 1) -> int:
    checks = r.checks
    worker = Principal(2, communities=frozenset({community_id}))
    a = checks.start(community_id)
    for q in checks.standard_for(a).questions:
        checks.answer(ADMIN, a.id, q.id, "met")
    checks.submit(worker, a.id)
    r.handover(worker, a.id, NOW)
    return a.id


def _county(db, community_id: int = 1) -> int:
    return int(
        db.execute("SELECT county_id FROM communities WHERE id = ?", [community_id]).fetchone()[0]
    )


def test_a_program_without_a_street_stage_hands_over_to_the_county(fresh_db):
    r = _service(fresh_db, "chuxiong-2021")
    aid = _submitted(r)
    assert r.store.review(aid).stage == "县市自评"
    contact = Principal(3, counties=frozenset({_county(fresh_db)}))
    other = Principal(4, counties=frozenset({_county(fresh_db) + 1}))
    assert [w.assessment_id for w in r.queue(contact)] == [aid]
    assert r.queue(other) == []
    with pytest.raises(CheckError):
        r.approve(other, aid, NOW)


def test_send_back_keeps_every_answer_and_reopens_only_commented_items(fresh_db):
    r = _service(fresh_db, "heyuan-2021")
    aid = _submitted(r)
    before = fresh_db.execute("SELECT question_id, status FROM answers ORDER BY 1").fetchall()
    r.comment(ADMIN, aid, "4.2", "照片不清", NOW)
    back = r.send_back(ADMIN, aid, "补充材料", NOW)
    assert back.reopened == ["4.2"]
    assert (
        fresh_db.execute("SELECT question_id, status FROM answers ORDER BY 1").fetchall() == before
    )
    worker = Principal(2, communities=frozenset({1}))
    with pytest.raises(CheckError) as exc:
        r.checks.answer(worker, aid, "1.1", "not_met")
    assert exc.value.code == "not_reopened"
    r.checks.answer(worker, aid, "4.2", "partial")
    r.checks.submit(worker, aid)
    handed = r.handover(worker, aid, NOW)
    assert handed is not None and handed.again and handed.reviewers == [ADMIN.user_id]


def test_verified_answers_change_the_verified_figure_only(fresh_db):
    r = _service(fresh_db, "heyuan-2021")
    aid = _submitted(r)
    d = r.verify(ADMIN, aid, "1.1", "n", NOW)
    assert figure(d.merged) == figure(d.view.result) - 1
    assert r.passed_delta(ADMIN) == {}  # verified, not yet vouched for by an approval
    r.approve(ADMIN, aid, NOW)
    assert r.passed_delta(ADMIN) == {_county(fresh_db): -1}  # self 达标, verified not
    s = r.summary(ADMIN)
    assert s.verified == 1 and dict(s.waiting)["县（区）初审"] == 1
    kinds = [e.action for e in r.store.events(aid)]
    assert kinds == ["submit", "verify", "approve"]
    verify = r.store.events(aid)[1]
    assert (verify.question_id, verify.before, verify.after) == ("1.1", "met", "not_met")


def test_a_worker_cannot_review_their_own_check(fresh_db):
    r = _service(fresh_db, "heyuan-2021")
    aid = _submitted(r)
    worker = Principal(2, communities=frozenset({1}))
    for act in (
        lambda: r.approve(worker, aid, NOW),
        lambda: r.send_back(worker, aid, "x", NOW),
        lambda: r.verify(worker, aid, "1.1", "n", NOW),
        lambda: r.comment(worker, aid, "1.1", "x", NOW),
    ):
        with pytest.raises(CheckError):
            act()
    assert r.queue(worker) == []


def test_publish_needs_a_recognised_check(fresh_db):
    r = _service(fresh_db, "heyuan-2021")
    aid = _submitted(r)
    with pytest.raises(CheckError) as exc:
        r.publish(ADMIN, aid, NOW)
    assert exc.value.code == "not_recognised"
    for _ in range(3):  # street, county, city
        r.approve(ADMIN, aid, NOW)
    assert r.store.review(aid).state == "recognised"
    r.publish(ADMIN, aid, NOW)
    r.publish(ADMIN, aid, NOW)
    row = r.store.review(aid)
    assert row.state == "published" and row.published_at and row.recognised_at
    assert [x.community for x in r.recognised(ADMIN)] == [r.checks.get(aid).community]


def test_grant_street_makes_a_street_reviewer_of_the_communitys_street(fresh_db):
    r = _service(fresh_db, "heyuan-2021")
    aid = _submitted(r)
    assert grant_street(fresh_db, 9, 1, NOW) is not None
    reviewer = load_principal(fresh_db, 9)
    assert reviewer.streets and reviewer.registered
    assert r.is_reviewer(reviewer) and [w.assessment_id for w in r.queue(reviewer)] == [aid]


def test_a_check_an_admin_reopened_leaves_the_reviewers_queue(fresh_db):
    r = _service(fresh_db, "heyuan-2021")
    aid = _submitted(r)
    assert [w.assessment_id for w in r.queue(ADMIN)] == [aid]
    r.checks.reopen(ADMIN, 1)
    assert r.queue(ADMIN) == []
    with pytest.raises(CheckError) as exc:
        r.approve(ADMIN, aid, NOW)
    assert exc.value.code == "locked"
