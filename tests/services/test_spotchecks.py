"""Spot checks (bot.services.spotchecks) without Telegram: the draw, re-verification, outcomes
and the agreement figures, on 40 recognised Heyuan communities."""

from __future__ import annotations

import datetime as dt

import pytest

from bot.domain.access import Principal
from bot.domain.errors import Refused
from bot.services.notices import Notices
from bot.services.reviews import Reviews
from bot.services.roster import Roster
from bot.services.spotchecks import SpotChecks
from bot.store.people import load_principal
from tests.harness import NOW, actions_of, checks_of, people_of, sample_roster

ADMIN = Principal(1, admin=True)
SECOND_ADMIN = Principal(5, admin=True)
EXPERT_ID = 7
ITEMS = ("1.1", "4.1", "7.1", "11.1", "17.1")  # what the inspectors re-verify
# 40 communities, by county: 源城区 20, the other four 5 each.
PICK = {"源城区": 20, "江东新区": 5, "龙川县": 5, "和平县": 5, "紫金县": 5}


def _spots(db) -> SpotChecks:
    checks = checks_of(db, "heyuan-2021")
    reviews = Reviews(checks)
    return SpotChecks(reviews)


def _recognise(s: SpotChecks, community_id: int, partial_41: bool) -> None:
    """Answer every item met (4.1 partly met where `partial_41`, which the street verifies as
    met), submit, and approve up to and including 市级认定."""
    r, checks = s.reviews, s.checks
    a = checks.start(community_id)
    for q in checks.standard_for(a).questions:
        status = "partial" if partial_41 and q.id == "4.1" else "met"
        checks.answer(ADMIN, a.id, q.id, status)  # type: ignore[arg-type]
    r.submit(Principal(2, communities=frozenset({community_id})), a.id)
    for name in ("街道推荐", "县（区）初审", "市级认定"):
        stage = r.chain_of(a.id).named(name)
        assert stage is not None
        if partial_41 and name == "街道推荐":
            r.verify(ADMIN, a.id, stage.index, "4.1", "y")
        r.approve(ADMIN, a.id, stage.index)


def _forty(db, s: SpotChecks) -> dict[str, str]:
    """Recognise 40 communities; {community: county}. Every fifth self-assessed 4.1 as partly
    met and had it verified as met."""

    chosen: dict[str, str] = {}
    for county, n in PICK.items():
        for row in [r for r in Roster(db).roster() if r["county"] == county][:n]:
            chosen[row["community"]] = county
    for i, name in enumerate(chosen):
        _recognise(s, Roster(db).find_community(name)[0][0], partial_41=i % 5 == 0)
    return chosen


@pytest.fixture
def forty(fresh_db):
    sample_roster(fresh_db)
    s = _spots(fresh_db)
    people_of(fresh_db).grant_expert(EXPERT_ID, NOW.year)
    people_of(fresh_db, NOW).ensure_admins([ADMIN.user_id, SECOND_ADMIN.user_id])
    return s, _forty(fresh_db, s)


def test_a_seeded_stratified_draw_is_reproducible_and_proportional(forty):
    s, chosen = forty
    assert {c.community for c in s.population(NOW.year)} == set(chosen)
    first = s.draw(ADMIN, NOW.year, 8, 20261120, {})
    again = s.draw(ADMIN, NOW.year, 8, 20261120, {})
    assert [c.community for c in first.drawn] == [c.community for c in again.drawn]
    assert first.population == 40 and first.added == 8 and again.added == 0
    per: dict[str, int] = {}
    for c in first.drawn:
        per[c.county] = per.get(c.county, 0) + 1
    assert per == {"源城区": 4, "江东新区": 1, "龙川县": 1, "和平县": 1, "紫金县": 1}
    other = s.draw(ADMIN, NOW.year, 8, 7, {})
    assert [c.community for c in other.drawn] != [c.community for c in first.drawn]


def test_only_admins_draw_and_assign_and_only_to_admins_or_the_years_experts(forty):
    s, _ = forty
    with pytest.raises(Refused):
        s.draw(Principal(3, counties=frozenset({1})), NOW.year, 8, 1, {})
    drawn = s.draw(ADMIN, NOW.year, 2, 1, {})
    spot = s.find(NOW.year, drawn.drawn[0].community_id)
    assert spot is not None
    with pytest.raises(Refused) as exc:
        s.assign(ADMIN, spot.id, 99)  # nobody
    assert exc.value.code == "not_inspector"
    people_of(s.db).grant_expert(8, NOW.year - 1)  # last year's expert
    with pytest.raises(Refused):
        s.assign(ADMIN, spot.id, 8)
    _queued(s)  # what came before
    row = s.assign(ADMIN, spot.id, EXPERT_ID)
    assert row.state == "assigned" and _queued(s) == [("spot_assigned", EXPERT_ID)]


def _queued(s: SpotChecks) -> list[tuple[str, int]]:
    """(kind, recipient) of the notices queued since the last call (taken from the outbox)."""
    return [(n.kind, n.recipient) for n in Notices(s.db, s.clock).take(1000)]


def _inspect(s: SpotChecks, p: Principal, spot_id: int, codes: dict[str, str]) -> None:
    for qid in ITEMS:
        s.verify(p, spot_id, qid, codes.get(qid, "k"))


def _own(s: SpotChecks, spot_id: int) -> tuple[dict[str, str], dict[str, str]]:
    """The community's own and the verified status of each re-verified item."""
    d = s.detail(ADMIN, spot_id)
    own = {q: str(d.view.rows[q].status) for q in ITEMS}
    ver = {q: str((d.verified.get(q) or d.view.rows[q]).status) for q in ITEMS}
    return own, ver


STATUS = {"k": None, "y": "met", "p": "partial", "n": "not_met"}


def test_forty_communities_eight_drawn_two_inspectors_and_the_figures_equal_a_hand_count(forty):
    s, _ = forty
    expert = load_principal(s.db, EXPERT_ID)
    drawn = s.draw(ADMIN, NOW.year, 8, 20261120, {}).drawn
    spots = [s.find(NOW.year, c.community_id) for c in drawn]
    assert all(spots)
    plans: list[dict[str, str]] = [{} for _ in drawn]
    plans[0] = {"1.1": "n", "7.1": "n", "11.1": "p"}  # three items found failing
    plans[1] = {"4.1": "n", "17.1": "n"}  # proposed for withdrawal
    for i, sp in enumerate(spots):
        if sp is not None and _own(s, sp.id)[0]["4.1"] == "partial" and i > 1:
            plans[i] = {"4.1": "y"}  # the inspector finds it met, as the county verified
    hand: dict[str, list[int]] = {}
    item_differs: dict[str, int] = {}
    for i, (c, sp) in enumerate(zip(drawn, spots, strict=True)):
        assert sp is not None
        inspector = expert if i % 2 == 0 else SECOND_ADMIN
        s.assign(ADMIN, sp.id, inspector.user_id)
        _inspect(s, inspector, sp.id, plans[i])
        own, ver = _own(s, sp.id)
        row = hand.setdefault(c.county, [0, 0, 0, 0])
        row[0] += 1
        for q in ITEMS:
            found = STATUS[plans[i].get(q, "k")] or own[q]
            row[1] += 1
            row[2] += found == own[q]
            row[3] += found == ver[q]
            if found != own[q]:
                item_differs[q] = item_differs.get(q, 0) + 1
    # outcomes: three actions; a withdrawal the city confirms; the rest confirmed
    due = dt.date(2026, 12, 31)
    rectified = s.decide(expert, spots[0].id, "rectify", due=due)  # type: ignore[union-attr]
    assert len(rectified.actions) == 3 and rectified.spot.state == "rectify"
    proposed = s.decide(SECOND_ADMIN, spots[1].id, "propose", reason="公共空间私搭乱建")  # type: ignore[union-attr]
    assert proposed.spot.state == "proposed"
    assert ("spot_proposed", ADMIN.user_id) in _queued(s)  # the city is asked to confirm
    done = s.confirm_withdrawal(ADMIN, spots[1].id)  # type: ignore[union-attr]
    assert done.spot.state == "withdrawn"
    for i, sp in enumerate(spots[2:], 2):
        assert sp is not None
        s.decide(expert if i % 2 == 0 else SECOND_ADMIN, sp.id, "confirm")
    report = s.report(ADMIN, NOW.year)
    figures = {
        f.county: [f.communities, f.items, f.agree_self, f.agree_verified] for f in report.counties
    }
    assert figures == hand
    assert any(row[2] != row[3] for row in hand.values())  # self and verified differ somewhere
    assert dict(report.items) == item_differs
    assert report.items[0][1] == max(item_differs.values())
    # the withdrawn community no longer counts as recognised, with the inspector's reason
    assert drawn[1].community_id not in {c.community_id for c in s.population(NOW.year)}
    history = s.reviews.store.events(drawn[1].aid)
    assert history[-1].action == "withdraw" and history[-1].comment == "公共空间私搭乱建"


def test_rectify_opens_one_action_per_item_found_failing_owned_by_a_worker(forty):
    s, _ = forty
    c = s.draw(ADMIN, NOW.year, 1, 3, {}).drawn[0]
    sp = s.find(NOW.year, c.community_id)
    assert sp is not None
    s.assign(ADMIN, sp.id, ADMIN.user_id)
    _inspect(s, ADMIN, sp.id, {"1.1": "n", "4.1": "p", "7.1": "n"})
    s.comment(ADMIN, sp.id, "7.1", "垃圾分类设施缺失")
    with pytest.raises(Refused) as exc:
        s.decide(ADMIN, sp.id, "rectify")
    assert exc.value.code == "due_needed"
    got = s.decide(ADMIN, sp.id, "rectify", due=dt.date(2026, 12, 31))
    listed = actions_of(s.db, NOW).listing(ADMIN, community=c.community_id)
    assert sorted(x.row.question_id for x in listed) == ["1.1", "4.1", "7.1"]
    assert {x.row.problem for x in listed if x.row.question_id == "7.1"} == {"垃圾分类设施缺失"}
    assert len(got.actions) == 3
    with pytest.raises(Refused):  # decided: nothing changes any more
        s.verify(ADMIN, sp.id, "1.1", "y")


def test_confirm_needs_an_item_checked_and_a_stranger_cannot_re_verify(forty):
    s, _ = forty
    c = s.draw(ADMIN, NOW.year, 1, 3, {}).drawn[0]
    sp = s.find(NOW.year, c.community_id)
    assert sp is not None
    s.assign(ADMIN, sp.id, EXPERT_ID)
    expert = load_principal(s.db, EXPERT_ID)
    with pytest.raises(Refused) as exc:
        s.decide(expert, sp.id, "confirm")
    assert exc.value.code == "nothing_checked"
    with pytest.raises(Refused):
        s.verify(SECOND_ADMIN, sp.id, "1.1", "y")  # not the inspector
    s.verify(expert, sp.id, "1.1", "k")
    assert s.decide(expert, sp.id, "confirm").spot.state == "confirmed"


def test_a_county_contact_sees_only_their_countys_figures(forty):
    s, _ = forty
    drawn = s.draw(ADMIN, NOW.year, 8, 20261120, {}).drawn
    for c in drawn:
        sp = s.find(NOW.year, c.community_id)
        assert sp is not None
        s.assign(ADMIN, sp.id, ADMIN.user_id)
        s.verify(ADMIN, sp.id, "1.1", "k")
        s.decide(ADMIN, sp.id, "confirm")
    county = s.find(NOW.year, drawn[0].community_id)
    assert county is not None
    contact = Principal(3, counties=frozenset({county.county_id}))
    report = s.report(contact, NOW.year)
    assert [f.county for f in report.counties] == [county.county]
    with pytest.raises(Refused):
        s.report(Principal(2, communities=frozenset({1})), NOW.year)
