"""Roles can be revoked; GREENCHECK_ADMINS is followed at each start; a
second worker invite moves or adds, asked; every grant and revoke is recorded."""

from __future__ import annotations

import datetime as dt

import pytest

from bot.domain.errors import RevokeError
from bot.services.roster import Roster
from tests.harness import people_of, sample_roster

T0 = dt.datetime(2022, 3, 1, 9, 0, tzinfo=dt.UTC)
T1 = T0 + dt.timedelta(hours=1)


@pytest.fixture
def db(fresh_db):
    sample_roster(fresh_db)
    return fresh_db


@pytest.fixture
def people(db):
    return people_of(db, T0)


def community(db, name: str) -> int:
    return Roster(db).find_community(name)[0][0]


def events(people) -> list[tuple[str, int, str, str, int | None]]:
    return [(e.action, e.user_id, e.role, e.source, e.by) for e in people.role_history()]


def test_an_id_removed_from_greencheck_admins_loses_the_admin_role_at_the_next_start(db, people):
    people.ensure_admins([1, 2])
    assert people.load_principal(2).admin
    people.clock.set(T1)
    assert people.ensure_admins([1]) == [2]
    assert not people.load_principal(2).admin and people.load_principal(1).admin
    assert events(people) == [
        ("grant", 1, "admin", "env", None),
        ("grant", 2, "admin", "env", None),
        ("revoke", 2, "admin", "env", None),
    ]
    people.ensure_admins([1])  # idempotent: nothing more recorded
    assert len(events(people)) == 3


def test_an_admin_by_invite_stays_when_the_variable_changes(db, people):
    people.ensure_admins([1, 3])
    code = people.create_invite("admin", 1)
    people.redeem_invite(code, 3, "三", None)  # 3 is now admin by invite as well
    people.clock.set(T1)
    people.ensure_admins([1])
    assert people.load_principal(3).admin
    people.clock.set(T0)
    code = people.create_invite("admin", 1)
    people.redeem_invite(code, 4, "四", None)
    people.clock.set(T1)
    people.ensure_admins([])
    assert people.load_principal(4).admin  # never in the variable: untouched
    assert not people.load_principal(1).admin


def test_revoke_removes_a_role_and_records_who_did_it(db, people):
    people.ensure_admins([1])
    code = people.create_invite("worker", 1, community_id=community(db, "江滨社区"))
    people.redeem_invite(code, 7, "王五", "wangwu")
    assert people.find_user("@WangWu") == 7 and people.find_user("7") == 7
    people.clock.set(T1)
    gone = people.revoke(7, "worker", 1)
    assert [(v.role, v.scope) for v in gone] == [("worker", "江滨社区")]
    assert not people.load_principal(7).registered
    assert events(people)[-2:] == [
        ("grant", 7, "worker", "invite", 1),
        ("revoke", 7, "worker", "chat", 1),
    ]
    with pytest.raises(RevokeError) as err:
        people.revoke(7, None, 1)
    assert err.value.code == "unknown_user"


def test_the_last_admin_cannot_be_revoked_and_a_missing_role_changes_nothing(db, people):
    people.ensure_admins([1])
    people.clock.set(T1)
    with pytest.raises(RevokeError) as err:
        people.revoke(1, None, 1)
    assert err.value.code == "last_admin"
    county = Roster(db).find_county("源城区")[0][0]
    people.clock.set(T0)
    code = people.create_invite("contact", 1, county_id=county)
    people.redeem_invite(code, 8, "赵六", None)
    people.clock.set(T1)
    with pytest.raises(RevokeError) as err:
        people.revoke(8, "worker", 1)
    assert err.value.code == "no_role"
    assert people.load_principal(8).counties == {county}


def test_a_second_worker_invite_asks_then_moves_or_adds(db, people):
    a, b, c = (community(db, n) for n in ("江滨社区", "河畔社区", "东岸社区"))
    first = people.create_invite("worker", 1, community_id=a)
    people.redeem_invite(first, 7, "王五", None)
    second = people.create_invite("worker", 1, community_id=b)
    asked = people.redeem_invite(second, 7, "王五", None)
    assert asked.ask and asked.kept == ("江滨社区",) and asked.scope == "河畔社区"
    assert people.load_principal(7).communities == {a}  # nothing changed yet
    moved = people.redeem_invite(second, 7, "王五", None, mode="move")
    assert moved.moved_from == ("江滨社区",)
    assert people.load_principal(7).communities == {b}
    third = people.create_invite("worker", 1, community_id=c)
    added = people.redeem_invite(third, 7, "王五", None, mode="add")
    assert added.kept == ("河畔社区",) and not added.moved_from
    assert people.load_principal(7).communities == {b, c}
    assert [e for e in events(people) if e[0] == "revoke"] == [("revoke", 7, "worker", "invite", 1)]


def test_list_users_shows_each_role_with_its_source(db, people):
    people.ensure_admins([1])
    code = people.create_invite("worker", 1, community_id=community(db, "江滨社区"))
    people.redeem_invite(code, 7, "王五", "wangwu")
    rows = {u.user_id: u for u in people.list_users()}
    assert [(r.role, r.source) for r in rows[1].roles] == [("admin", "env")]
    assert [(r.role, r.scope, r.source) for r in rows[7].roles] == [
        ("worker", "江滨社区", "invite")
    ]
    assert rows[7].username == "wangwu"
