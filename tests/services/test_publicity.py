"""公示 as a period with objections (bot.services.publicity, Reviews.approve) without Telegram."""

from __future__ import annotations

import datetime as dt

import pytest

from bot.domain.access import Principal
from bot.domain.errors import Refused
from bot.services.notices import Notices
from bot.services.publicity import Publicity
from bot.services.reviews import Reviews
from bot.services.targets import RECOGNITIONS
from tests.harness import NOW, checks_of, people_of, sample_roster

ADMIN = Principal(1, admin=True)
WORKER_ID = 2


def _publicity(db) -> Publicity:
    sample_roster(db)
    people = people_of(db, NOW)
    people.ensure_admins([ADMIN.user_id])
    people.set_language(WORKER_ID, "zh", "worker", None)
    people.grant(WORKER_ID, "worker", community_id=1)
    checks = checks_of(db, "heyuan-2021")
    reviews = Reviews(checks)
    return Publicity(reviews)


def _index(r: Reviews, aid: int, name: str) -> int:
    stage = r.chain_of(aid).named(name)
    assert stage is not None
    return stage.index


def _recognised(r: Reviews, community_id: int = 1) -> int:
    """A check submitted and approved up to 公示 (recognised)."""
    a = r.checks.start(community_id)
    for q in r.checks.standard_for(a).questions:
        r.checks.answer(ADMIN, a.id, q.id, "met")
    r.submit(Principal(2, communities=frozenset({community_id})), a.id)
    for name in ("街道推荐", "县（区）初审", "市级认定"):
        r.approve(ADMIN, a.id, _index(r, a.id, name))
    return a.id


def _recognised_now(r: Reviews) -> set[int]:
    return set(r.targets.standing(r.clock.stamp(), RECOGNITIONS))


def test_recording_publicity_asks_for_its_days_and_publish_waits_for_the_end(fresh_db):
    pb = _publicity(fresh_db)
    r = pb.reviews
    aid = _recognised(r)
    with pytest.raises(Refused) as exc:
        r.approve(ADMIN, aid, _index(r, aid, "公示"))  # the seed prints no length
    assert exc.value.code == "publicity_days"
    with pytest.raises(Refused):
        r.approve(ADMIN, aid, _index(r, aid, "公示"), days=0)
    r.approve(ADMIN, aid, _index(r, aid, "公示"), days=7)
    period, objections = pb.show(ADMIN, 1) or (None, [])
    assert period is not None and (period.start, period.end) == (
        dt.date(2026, 11, 20), dt.date(2026, 11, 26))  # fmt: skip
    assert objections == []
    r.clock.set(dt.datetime(2026, 11, 26, 23, 59, tzinfo=NOW.tzinfo))  # type: ignore[attr-defined]
    with pytest.raises(Refused) as exc:
        r.approve(ADMIN, aid, _index(r, aid, "公布"))
    assert exc.value.code == "publicity_running"
    r.clock.set(dt.datetime(2026, 11, 27, 0, 1, tzinfo=NOW.tzinfo))  # type: ignore[attr-defined]
    moved = r.approve(ADMIN, aid, _index(r, aid, "公布"))
    assert moved.done.name == "公布" and moved.next is not None and moved.next.name == "授牌"


def test_an_upheld_objection_sends_the_check_back_and_withdraws_the_recognition(fresh_db):
    pb = _publicity(fresh_db)
    r = pb.reviews
    aid = _recognised(r)
    r.approve(ADMIN, aid, _index(r, aid, "公示"), days=5)
    assert 1 in _recognised_now(r)
    o = pb.object(ADMIN, 1, "市民来信", "小区内仍有私搭乱建\x00")
    assert o.body == "小区内仍有私搭乱建" and o.outcome is None  # cleaned before it is stored
    with pytest.raises(Refused):
        pb.object(Principal(3, counties=frozenset({1})), 1, "电话", "x")  # the city records them
    r.clock.advance(dt.timedelta(days=1))  # type: ignore[attr-defined]
    done = pb.resolve(ADMIN, o.id, "upheld", "核实属实")
    assert done.objection.outcome == "upheld" and done.sent_back is not None
    told = [(n.kind, n.recipient, n.payload["reason"]) for n in Notices(r.db, r.clock).take()
            if n.kind == "sent_back"]  # fmt: skip
    assert told == [("sent_back", WORKER_ID, "核实属实")]  # the community hears why
    row = r.store.review(aid)
    assert row is not None and (row.stage, row.state) == ("市级认定", "returned")
    assert r.checks.get(aid).status == "open"  # type: ignore[union-attr]
    assert 1 not in _recognised_now(r)
    with pytest.raises(Refused):
        pb.resolve(ADMIN, o.id, "dismissed", "again")  # resolved once
    handed = r.submit(Principal(2, communities=frozenset({1})), aid)
    assert handed.stage is not None and handed.stage.name == "市级认定"


def test_a_dismissed_objection_lets_publish_proceed_after_the_end(fresh_db):
    pb = _publicity(fresh_db)
    r = pb.reviews
    aid = _recognised(r)
    r.approve(ADMIN, aid, _index(r, aid, "公示"), days=3)
    o = pb.object(ADMIN, 1, "网站留言", "材料存疑")
    r.clock.set(dt.datetime(2026, 11, 23, 9, 0, tzinfo=NOW.tzinfo))  # type: ignore[attr-defined]
    with pytest.raises(Refused) as exc:
        pb.object(ADMIN, 1, "电话", "过期的异议")  # received after the period
    assert exc.value.code == "not_in_publicity"
    with pytest.raises(Refused) as exc:
        r.approve(ADMIN, aid, _index(r, aid, "公布"))
    assert exc.value.code == "objection_open"
    with pytest.raises(Refused) as exc:
        pb.resolve(ADMIN, o.id, "dismissed", "  ")
    assert exc.value.code == "reason_needed"
    pb.resolve(ADMIN, o.id, "dismissed", "经核实材料真实")
    r.approve(ADMIN, aid, _index(r, aid, "公布"))
    shown = pb.as_dict("江滨社区", pb.show(ADMIN, 1))
    assert shown["start"] == "2026-11-20" and shown["end"] == "2026-11-22"
    assert shown["objections"] == [{"at": "2026-11-20T10:00:00+08:00", "by": "admin 1",
                                    "text": "材料存疑", "source": "网站留言",
                                    "outcome": "dismissed"}]  # fmt: skip
