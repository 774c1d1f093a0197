"""Roles can be revoked; GREENCHECK_ADMINS is followed at each start; a
second worker invite moves or adds, asked; every grant and revoke is recorded."""

from __future__ import annotations

import datetime as dt

import pytest

from bot.domain.errors import RevokeError
from bot.services import people
from bot.services.roster import find_community, find_county
from tests.harness import sample_roster

T0 = dt.datetime(2022, 3, 1, 9, 0, tzinfo=dt.UTC)
T1 = T0 + dt.timedelta(hours=1)


@pytest.fixture
def db(fresh_db):
    sample_roster(fresh_db)
    return fresh_db


def community(db, name: str) -> int:
    return find_community(db, name)[0][0]


def events(db) -> list[tuple[str, int, str, str, int | None]]:
    return [(e.action, e.user_id, e.role, e.source, e.by) for e in people.role_history(db)]


def test_an_id_removed_from_greencheck_admins_loses_the_admin_role_at_the_next_start(db):
    people.ensure_admins(db, [1, 2], T0)
    assert people.load_principal(db, 2).admin
    assert people.ensure_admins(db, [1], T1) == [2]
    assert not people.load_principal(db, 2).admin and people.load_principal(db, 1).admin
    assert events(db) == [
        ("grant", 1, "admin", "env", None),
        ("grant", 2, "admin", "env", None),
        ("revoke", 2, "admin", "env", None),
    ]
    people.ensure_admins(db, [1], T1)  # idempotent: nothing more recorded
    assert len(events(db)) == 3


def test_an_admin_by_invite_stays_when_the_variable_changes(db):
    people.ensure_admins(db, [1, 3], T0)
    code = people.create_invite(db, "admin", 1, T0)
    people.redeem_invite(db, code, 3, "三", None, T0)  # 3 is now admin by invite as well
    people.ensure_admins(db, [1], T1)
    assert people.load_principal(db, 3).admin
    code = people.create_invite(db, "admin", 1, T0)
    people.redeem_invite(db, code, 4, "四", None, T0)
    people.ensure_admins(db, [], T1)
    assert people.load_principal(db, 4).admin  # never in the variable: untouched
    assert not people.load_principal(db, 1).admin


def test_revoke_removes_a_role_and_records_who_did_it(db):
    people.ensure_admins(db, [1], T0)
    code = people.create_invite(db, "worker", 1, T0, community_id=community(db, "江滨社区"))
    people.redeem_invite(db, code, 7, "王五", "wangwu", T0)
    assert people.find_user(db, "@WangWu") == 7 and people.find_user(db, "7") == 7
    gone = people.revoke(db, 7, "worker", 1, T1)
    assert [(v.role, v.scope) for v in gone] == [("worker", "江滨社区")]
    assert not people.load_principal(db, 7).registered
    assert events(db)[-2:] == [
        ("grant", 7, "worker", "invite", 1),
        ("revoke", 7, "worker", "chat", 1),
    ]
    with pytest.raises(RevokeError) as err:
        people.revoke(db, 7, None, 1, T1)
    assert err.value.code == "unknown_user"


def test_the_last_admin_cannot_be_revoked_and_a_missing_role_changes_nothing(db):
    people.ensure_admins(db, [1], T0)
    with pytest.raises(RevokeError) as err:
        people.revoke(db, 1, None, 1, T1)
    assert err.value.code == "last_admin"
    county = find_county(db, "源城区")[0][0]
    code = people.create_invite(db, "contact", 1, T0, county_id=county)
    people.redeem_invite(db, code, 8, "赵六", None, T0)
    with pytest.raises(RevokeError) as err:
        people.revoke(db, 8, "worker", 1, T1)
    assert err.value.code == "no_role"
    assert people.load_principal(db, 8).counties == {county}


def test_a_second_worker_invite_asks_then_moves_or_adds(db):
    a, b, c = (community(db, n) for n in ("江滨社区", "河畔社区", "东岸社区"))
    first = people.create_invite(db, "worker", 1, T0, community_id=a)
    people.redeem_invite(db, first, 7, "王五", None, T0)
    second = people.create_invite(db, "worker", 1, T0, community_id=b)
    asked = people.redeem_invite(db, second, 7, "王五", None, T0)
    assert asked.ask and asked.kept == ("江滨社区",) and asked.scope == "河畔社区"
    assert people.load_principal(db, 7).communities == {a}  # nothing changed yet
    moved = people.redeem_invite(db, second, 7, "王五", None, T0, mode="move")
    assert moved.moved_from == ("江滨社区",)
    assert people.load_principal(db, 7).communities == {b}
    third = people.create_invite(db, "worker", 1, T0, community_id=c)
    added = people.redeem_invite(db, third, 7, "王五", None, T0, mode="add")
    assert added.kept == ("河畔社区",) and not added.moved_from
    assert people.load_principal(db, 7).communities == {b, c}
    assert [e for e in events(db) if e[0] == "revoke"] == [("revoke", 7, "worker", "invite", 1)]


def test_list_users_shows_each_role_with_its_source(db):
    people.ensure_admins(db, [1], T0)
    code = people.create_invite(db, "worker", 1, T0, community_id=community(db, "江滨社区"))
    people.redeem_invite(db, code, 7, "王五", "wangwu", T0)
    rows = {u.user_id: u for u in people.list_users(db)}
    assert [(r.role, r.source) for r in rows[1].roles] == [("admin", "env")]
    assert [(r.role, r.scope, r.source) for r in rows[7].roles] == [
        ("worker", "江滨社区", "invite")
    ]
    assert rows[7].username == "wangwu"
