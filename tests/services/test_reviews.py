"""The review chain service (bot.services.reviews) without Telegram."""

from __future__ import annotations

import datetime as dt

import pytest

from bot.domain.access import Principal
from bot.domain.errors import CheckError, ReviewError
from bot.services.reviews import Reviews, figure
from bot.store.people import insert_role, insert_user_if_missing, load_principal
from tests.harness import NOW, checks_of, people_of, sample_roster

ADMIN = Principal(1, admin=True)
WORKER = Principal(2, communities=frozenset({1}))


def _service(db, program: str) -> Reviews:
    sample_roster(db)
    checks = checks_of(db, program)
    reviews = Reviews(checks)
    return reviews


def _answer(r: Reviews, community_id: int = 1, **odd: str) -> int:
    """Answer every item met (full marks), `odd` items with the given status."""
    checks = r.checks
    a = checks.start(community_id)
    for q in checks.standard_for(a).questions:
        status = odd.get(q.id.replace(".", "_"), "met")
        checks.answer(ADMIN, a.id, q.id, status)  # type: ignore[arg-type]
    return a.id


def _submitted(r: Reviews, community_id: int = 1, **odd: str) -> int:
    aid = _answer(r, community_id, **odd)
    r.submit(Principal(2, communities=frozenset({community_id})), aid)
    return aid


def _stage(r: Reviews, aid: int) -> int:
    row = r.store.review(aid)
    stage = r.chain_of(aid).named(row.stage)
    assert stage is not None
    return stage.index


def _approve_up_to(r: Reviews, aid: int, name: str) -> None:
    """Approve every stage before the one named `name` (a 公示 of one day, 公布 the next)."""
    while (stage := r.chain_of(aid).named(r.store.review(aid).stage)).name != name:
        if stage.act == "publish":
            r.checks.clock.advance(dt.timedelta(days=1))
        r.approve(ADMIN, aid, _stage(r, aid), days=1)


def _told(db) -> list[str]:
    """The kinds of notice written to the outbox, oldest first."""
    return [k for (k,) in db.execute("SELECT kind FROM notices ORDER BY id")]


def _recipients(db) -> list[int]:
    return [u for (u,) in db.execute("SELECT recipient FROM notices ORDER BY id")]


def _county(db, community_id: int = 1) -> int:
    return int(
        db.execute("SELECT county_id FROM communities WHERE id = ?", [community_id]).fetchone()[0]
    )


def test_a_submit_hands_the_check_over_in_the_same_unit_of_work(fresh_db):
    r = _service(fresh_db, "heyuan-2021")
    people_of(fresh_db).grant_street(9, 1)
    aid = _answer(r)
    handed = r.submit(WORKER, aid)
    assert handed.stage is not None and handed.stage.name == "街道推荐"
    assert r.store.review(aid).state == "waiting"
    assert [e.action for e in r.store.events(aid)] == ["submit"]
    assert _told(fresh_db) == ["submitted"] and _recipients(fresh_db) == [9]
    again = r.submit(WORKER, aid)  # a second submit changes nothing and tells no one
    assert not again.submitted.done and _told(fresh_db) == ["submitted"]


def test_a_program_without_a_chain_records_the_submit_and_its_verdict(fresh_db):
    r = _service(fresh_db, "national-2020")
    aid = _submitted(r)
    assert r.store.review(aid) is None
    assert [e.action for e in r.store.events(aid)] == ["submit"]
    kinds = fresh_db.execute("SELECT kind FROM verdicts WHERE assessment_id = ?", [aid])
    assert [k for (k,) in kinds] == ["self"]


def test_chuxiong_hands_over_to_the_county_which_lists_it(fresh_db):
    r = _service(fresh_db, "chuxiong-2021")
    aid = _submitted(r)
    assert r.store.review(aid).stage == "县市自评并列入创建成果名单"
    contact = Principal(3, counties=frozenset({_county(fresh_db)}))
    other = Principal(4, counties=frozenset({_county(fresh_db) + 1}))
    assert [w.assessment_id for w in r.queue(contact)] == [aid]
    assert r.queue(other) == []
    with pytest.raises(ReviewError):
        r.approve(other, aid, 1)
    moved = r.approve(contact, aid, 1)
    assert moved.next is None and r.store.review(aid).state == "done"
    kinds = fresh_db.execute("SELECT kind FROM verdicts WHERE assessment_id = ?", [aid])
    assert [k for (k,) in kinds] == ["verified"]


def test_send_back_keeps_every_answer_and_reopens_only_commented_items(fresh_db):
    r = _service(fresh_db, "heyuan-2021")
    insert_user_if_missing(fresh_db, 2, "worker", "2026-11-20T02:00:00Z")
    insert_role(fresh_db, 2, "worker", 1, None, "2026-11-20T02:00:00Z")
    aid = _submitted(r)
    before = fresh_db.execute("SELECT question_id, status FROM answers ORDER BY 1").fetchall()
    r.comment(ADMIN, aid, 1, "4.2", "照片不清")
    back = r.send_back(ADMIN, aid, 1, "补充材料")
    assert back.reopened == ["4.2"] and _told(fresh_db)[-1] == "sent_back"
    assert _recipients(fresh_db)[-1] == WORKER.user_id
    assert (
        fresh_db.execute("SELECT question_id, status FROM answers ORDER BY 1").fetchall() == before
    )
    with pytest.raises(CheckError) as exc:
        r.checks.answer(WORKER, aid, "1.1", "not_met")
    assert exc.value.code == "not_reopened"
    r.checks.answer(WORKER, aid, "4.2", "partial")
    handed = r.submit(WORKER, aid)
    assert handed.stage is not None and handed.stage.name == "街道推荐"
    assert _told(fresh_db)[-1] == "resubmitted" and _recipients(fresh_db)[-1] == ADMIN.user_id


def test_verified_answers_change_the_verified_figure_and_conclusion_only(fresh_db):
    r = _service(fresh_db, "heyuan-2021")
    aid = _submitted(r)
    d = r.verify(ADMIN, aid, 1, "1.1", "n")
    assert figure(d.merged) == figure(d.view.result) - 1
    assert d.view.result.passed and not d.merged.passed and d.failing == ["1.1"]
    verify = r.store.events(aid)[1]
    assert (verify.question_id, verify.before, verify.after) == ("1.1", "met", "not_met")


def test_a_failing_check_cannot_be_recognised_and_earlier_stages_ask_to_confirm(fresh_db):
    r = _service(fresh_db, "heyuan-2021")
    aid = _submitted(r, **{"1_3": "partial"})
    with pytest.raises(ReviewError) as exc:
        r.approve(ADMIN, aid, 1)  # 街道推荐 of a failing check: asks first
    assert exc.value.code == "confirm_failing" and exc.value.info["ids"] == ["1.3"]
    r.approve(ADMIN, aid, 1, confirmed=True)
    r.approve(ADMIN, aid, 2, confirmed=True)
    with pytest.raises(ReviewError) as exc:
        r.approve(ADMIN, aid, 3, confirmed=True)  # 市级认定 refuses, confirmed or not
    assert exc.value.code == "fails_standard" and exc.value.info["ids"] == ["1.3"]
    assert r.store.review(aid).recognised_at is None and r.recognised(ADMIN) == []
    assert fresh_db.execute("SELECT count(*) FROM verdicts").fetchone()[0] == 0


def test_a_vetoed_qinhuangdao_check_never_reaches_the_plaque(fresh_db):
    r = _service(fresh_db, "qinhuangdao-etdz-2021")
    aid = _submitted(r, V1="not_met")
    r.approve(ADMIN, aid, 1, confirmed=True)
    r.approve(ADMIN, aid, 2, confirmed=True)
    with pytest.raises(ReviewError) as exc:
        r.approve(ADMIN, aid, 3)
    assert exc.value.code == "fails_standard" and "V1" in exc.value.info["ids"]
    assert r.store.review(aid).stage == "市级认定"


def test_a_second_tap_on_an_old_button_moves_nothing_and_says_who_decided(fresh_db):
    r = _service(fresh_db, "heyuan-2021")
    aid = _submitted(r)
    r.approve(ADMIN, aid, 1)
    for _ in range(2):  # the same admin again, and a second admin
        with pytest.raises(ReviewError) as exc:
            r.approve(Principal(5, admin=True), aid, 1)
        assert exc.value.code == "decided" and exc.value.info["stage"] == "街道推荐"
    assert r.store.review(aid).stage == "县（区）初审"
    assert [e.action for e in r.store.events(aid)] == ["submit", "approve"]


def test_recognition_is_recorded_then_publicity_publication_and_the_plaque(fresh_db):
    r = _service(fresh_db, "heyuan-2021")
    aid = _submitted(r)
    _approve_up_to(r, aid, "市级认定")
    moved = r.approve(ADMIN, aid, 3)
    assert moved.recognised and moved.next is not None and moved.next.name == "公示"
    with pytest.raises(ReviewError) as exc:
        r.verify(ADMIN, aid, 4, "1.1", "n")  # nothing is verified after recognition
    assert exc.value.code == "not_verifying"
    r.approve(ADMIN, aid, 4, days=10)  # 公示: ten days (the seed prints no length)
    r.checks.clock.advance(dt.timedelta(days=10))
    for index in (5, 6):
        r.approve(ADMIN, aid, index)
    row = r.store.review(aid)
    assert row.state == "done" and row.published_at and row.recognised_at
    assert [x.community for x in r.recognised(ADMIN)] == [r.checks.get(aid).community]


def test_grant_street_makes_a_street_reviewer_of_the_communitys_street(fresh_db):
    r = _service(fresh_db, "heyuan-2021")
    aid = _submitted(r)
    assert people_of(fresh_db).grant_street(9, 1) is not None
    reviewer = load_principal(fresh_db, 9)
    assert reviewer.streets and reviewer.registered
    assert [w.assessment_id for w in r.queue(reviewer)] == [aid]


def test_a_worker_cannot_review_their_own_check(fresh_db):
    r = _service(fresh_db, "heyuan-2021")
    aid = _submitted(r)
    for act in (
        lambda: r.approve(WORKER, aid, 1),
        lambda: r.send_back(WORKER, aid, 1, "x"),
        lambda: r.verify(WORKER, aid, 1, "1.1", "n"),
        lambda: r.comment(WORKER, aid, 1, "1.1", "x"),
    ):
        with pytest.raises(ReviewError):
            act()
    assert r.queue(WORKER) == []


def test_a_check_an_admin_reopened_leaves_the_chain_and_the_reopen_is_recorded(fresh_db):
    r = _service(fresh_db, "heyuan-2021")
    aid = _submitted(r)
    assert [w.assessment_id for w in r.queue(ADMIN)] == [aid]
    r.reopen(ADMIN, 1)
    assert r.queue(ADMIN) == [] and r.store.review(aid) is None
    assert [e.action for e in r.store.events(aid)] == ["submit", "reopen"]
    with pytest.raises(ReviewError) as exc:
        r.approve(ADMIN, aid, 1)
    assert exc.value.code == "stale"


def test_a_recognised_community_is_withdrawn_not_reopened(fresh_db):
    r = _service(fresh_db, "heyuan-2021")
    aid = _submitted(r)
    _approve_up_to(r, aid, "公示")
    with pytest.raises(ReviewError) as exc:
        r.reopen(ADMIN, 1)
    assert exc.value.code == "reopen_recognised"
    r.withdraw(ADMIN, 1, "现场核查发现问题")
    assert r.recognised(ADMIN) == []
    assert r.store.events(aid)[-1].action == "withdraw"


def _rereview(r: Reviews, **odd: str) -> int:
    """Recognise community 1 this year; next year, submit its 复审 check (`odd` answers)."""
    aid = _submitted(r)
    _approve_up_to(r, aid, "授牌")
    r.approve(ADMIN, aid, 4)
    r.checks.clock.set(NOW + dt.timedelta(days=365))
    [again] = r.checks.open_rereviews()
    assert r.checks.kind(again) == "rereview"
    assert [s.name for s in r.chain_of(again).stages] == ["社区复审自查", "市级复审"]
    for q in r.checks.standard_for(r.checks.get(again)).questions:
        status = odd.get(q.id, "met")
        r.checks.answer(ADMIN, again, q.id, status)  # type: ignore[arg-type]
    r.submit(WORKER, again)
    return again


def test_a_passed_qinhuangdao_rereview_keeps_the_title_and_lists_the_community_once(fresh_db):
    r = _service(fresh_db, "qinhuangdao-etdz-2021")
    again = _rereview(r)
    moved = r.approve(ADMIN, again, 1)
    assert moved.next is None and not moved.withdrawn  # no second 授牌
    listed = r.recognised(ADMIN)
    assert len(listed) == 1 and listed[0].recognised_at.startswith(str(NOW.year))


def test_a_failed_qinhuangdao_rereview_withdraws_the_title(fresh_db):
    r = _service(fresh_db, "qinhuangdao-etdz-2021")
    again = _rereview(r, V1="not_met")
    moved = r.approve(ADMIN, again, 1)
    assert moved.withdrawn and r.recognised(ADMIN) == []
    cause = fresh_db.execute("SELECT cause FROM withdrawals").fetchone()[0]
    assert cause == "rereview_failed"


def test_an_approval_is_one_short_unit_of_work_and_hands_back_what_it_shows(fresh_db):
    """BEGIN, where the check is, its rows, the verified answers, the review row's one update,
    the event, COMMIT (7) — then who must be told, in the same unit: the county's contacts, the
    groups bound to it and the community's workers (3; this roster has none of them, so no notice
    is written). It was 14 statements, and the handler read the check again (6 more)."""
    r = _service(fresh_db, "heyuan-2021")
    aid = _submitted(r)
    seen: list[str] = []
    fresh_db.conn.set_trace_callback(seen.append)
    try:
        moved = r.approve(ADMIN, aid, 1)
    finally:
        fresh_db.conn.set_trace_callback(None)
    assert len(seen) <= 10, seen
    assert seen[0] == "BEGIN IMMEDIATE" and "COMMIT" in seen
    assert moved.detail.stage is not None and moved.detail.stage.name == "县（区）初审"
    assert moved.detail.view.assessment.community == r.checks.get(aid).community


def test_an_approval_is_one_transaction_of_a_few_statements(fresh_db):
    """One read of where the check stands, its rows and verifications, one update, its event,
    the notices' recipients: the handler then renders what it returns, reading nothing more."""
    r = _service(fresh_db, "heyuan-2021")
    aid = _submitted(r)
    r.approve(ADMIN, aid, _stage(r, aid))  # the street recommends
    county, seen = _stage(r, aid), list[str]()
    fresh_db.conn.set_trace_callback(seen.append)
    moved = r.approve(ADMIN, aid, county)  # the county reviews
    fresh_db.conn.set_trace_callback(None)
    assert seen[0] == "BEGIN IMMEDIATE" and seen[-1] == "COMMIT"
    writes = [s for s in seen if s.lstrip().startswith(("INSERT", "UPDATE", "DELETE"))]
    assert len(seen) <= 10 and len(writes) <= 3, seen
    assert moved.next is not None and moved.detail.view.assessment.id == aid
