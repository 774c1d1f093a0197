"""The people service: invites, registration, languages, admins, roles, groups (clock injected)."""

from __future__ import annotations

import datetime as dt

import pytest

from bot.domain.access import Principal
from bot.domain.errors import InviteError
from bot.services.people import RoleView
from bot.services.roster import Roster
from tests.harness import people_of, sample_roster

T0 = dt.datetime(2022, 3, 1, 9, 0, tzinfo=dt.UTC)


@pytest.fixture
def db(fresh_db):
    sample_roster(fresh_db)
    return fresh_db


@pytest.fixture
def people(db):
    return people_of(db, T0)


def jiangbin(db) -> int:
    return Roster(db).find_community("江滨社区")[0][0]


def test_a_worker_invite_registers_once_with_its_scope(db, people):
    code = people.create_invite("worker", None, community_id=jiangbin(db))
    people.clock.set(T0 + dt.timedelta(hours=1))
    r = people.redeem_invite(code, 7, "王五", "wangwu")
    assert (r.role, r.community_id, r.county_id, r.again, r.scope) == (
        "worker", jiangbin(db), None, False, "江滨社区"
    )  # fmt: skip
    p = people.load_principal(7)
    assert p.communities == {jiangbin(db)} and p.registered and not p.staff
    people.clock.set(T0 + dt.timedelta(hours=2))
    again = people.redeem_invite(code, 7, "王五", "wangwu")
    assert again.again and again.scope == "江滨社区"


def test_a_used_unknown_or_expired_invite_is_refused(people):
    code = people.create_invite("admin", 1, days=7)
    people.redeem_invite(code, 7, "a", None)
    with pytest.raises(InviteError) as used:
        people.redeem_invite(code, 8, "b", None)
    assert used.value.code == "used"
    with pytest.raises(InviteError) as unknown:
        people.redeem_invite("nosuchcode", 8, "b", None)
    assert unknown.value.code == "unknown"
    late = people.create_invite("admin", 1, days=7)
    people.clock.set(T0 + dt.timedelta(days=7, seconds=1))
    with pytest.raises(InviteError) as expired:
        people.redeem_invite(late, 8, "b", None)
    assert expired.value.code == "expired"
    assert not people.load_principal(8).registered
    people.clock.set(T0 + dt.timedelta(days=6))
    ok = people.redeem_invite(late, 8, "b", None)
    assert ok.role == "admin" and people.load_principal(8).admin


@pytest.mark.parametrize(("role", "scope"), [("worker", {}), ("contact", {"community_id": 1})])
def test_an_invite_without_its_scope_is_refused(people, role, scope):
    with pytest.raises(InviteError) as err:
        people.create_invite(role, None, **scope)
    assert err.value.code == "scope"


def test_invite_codes_are_deep_link_safe_and_distinct(people):
    codes = {people.create_invite("admin", None) for _ in range(50)}
    assert len(codes) == 50
    assert all(len(c) == 12 and c.replace("-", "").replace("_", "").isalnum() for c in codes)


def test_language_is_stored_and_validated(people):
    people.set_language(9, "en", "n", None)
    assert people.load_principal(9).lang == "en"
    with pytest.raises(ValueError):
        people.set_language(9, "fr", "n", None)
    assert people.load_principal(9).lang == "en"


def test_an_unknown_user_is_a_principal_with_no_roles(people):
    assert people.load_principal(404) == Principal(404)


def test_ensure_admins_is_idempotent(people):
    people.ensure_admins([1, 2])
    people.clock.set(T0 + dt.timedelta(days=1))
    people.ensure_admins([1, 2])
    assert people.load_principal(1).admin and people.load_principal(2).admin
    assert people.staff_ids() == [1, 2]
    assert people.user_names()[1] == "admin 1"


def test_role_views_name_every_scope_strongest_first(db, people):
    county = Roster(db).find_county("源城区")[0][0]
    people.set_language(5, "zh", "n", None)
    people.grant(5, "contact", county_id=county)
    people.grant(5, "worker", community_id=jiangbin(db))
    people.grant(5, "admin")
    views = people.role_views(people.load_principal(5))
    assert views == [
        RoleView("admin"),
        RoleView("worker", "江滨社区"),
        RoleView("contact", "源城区"),
    ]


def test_a_group_binds_to_one_community_or_county(db, people):
    assert people.group_binding(-1) == (None, None)
    people.bind_group(-1, "群", 1, community_id=jiangbin(db))
    assert people.group_binding(-1) == (jiangbin(db), None)
    people.bind_group(-1, "群", 1, county_id=3)
    assert people.group_binding(-1) == (None, 3)
