"""The people service: invites, registration, languages, admins, roles, groups (clock injected)."""

from __future__ import annotations

import datetime as dt

import pytest

from bot.domain.access import Principal
from bot.domain.errors import InviteError
from bot.services import people
from bot.services.people import RoleView
from bot.services.roster import find_community, find_county
from tests.harness import sample_roster

T0 = dt.datetime(2022, 3, 1, 9, 0, tzinfo=dt.UTC)


@pytest.fixture
def db(fresh_db):
    sample_roster(fresh_db)
    return fresh_db


def jiangbin(db) -> int:
    return find_community(db, "江滨社区")[0][0]


def test_a_worker_invite_registers_once_with_its_scope(db):
    code = people.create_invite(db, "worker", None, T0, community_id=jiangbin(db))
    r = people.redeem_invite(db, code, 7, "王五", "wangwu", T0 + dt.timedelta(hours=1))
    assert (r.role, r.community_id, r.county_id, r.again, r.scope) == (
        "worker", jiangbin(db), None, False, "江滨社区"
    )  # fmt: skip
    p = people.load_principal(db, 7)
    assert p.communities == {jiangbin(db)} and p.registered and not p.staff
    again = people.redeem_invite(db, code, 7, "王五", "wangwu", T0 + dt.timedelta(hours=2))
    assert again.again and again.scope == "江滨社区"


def test_a_used_unknown_or_expired_invite_is_refused(db):
    code = people.create_invite(db, "admin", 1, T0, days=7)
    people.redeem_invite(db, code, 7, "a", None, T0)
    with pytest.raises(InviteError) as used:
        people.redeem_invite(db, code, 8, "b", None, T0)
    assert used.value.code == "used"
    with pytest.raises(InviteError) as unknown:
        people.redeem_invite(db, "nosuchcode", 8, "b", None, T0)
    assert unknown.value.code == "unknown"
    late = people.create_invite(db, "admin", 1, T0, days=7)
    with pytest.raises(InviteError) as expired:
        people.redeem_invite(db, late, 8, "b", None, T0 + dt.timedelta(days=7, seconds=1))
    assert expired.value.code == "expired"
    assert not people.load_principal(db, 8).registered
    ok = people.redeem_invite(db, late, 8, "b", None, T0 + dt.timedelta(days=6))
    assert ok.role == "admin" and people.load_principal(db, 8).admin


@pytest.mark.parametrize(("role", "scope"), [("worker", {}), ("contact", {"community_id": 1})])
def test_an_invite_without_its_scope_is_refused(db, role, scope):
    with pytest.raises(InviteError) as err:
        people.create_invite(db, role, None, T0, **scope)
    assert err.value.code == "scope"


def test_invite_codes_are_deep_link_safe_and_distinct(db):
    codes = {people.create_invite(db, "admin", None, T0) for _ in range(50)}
    assert len(codes) == 50
    assert all(len(c) == 12 and c.replace("-", "").replace("_", "").isalnum() for c in codes)


def test_language_is_stored_and_validated(db):
    people.set_language(db, 9, "en", "n", None, T0)
    assert people.load_principal(db, 9).lang == "en"
    with pytest.raises(ValueError):
        people.set_language(db, 9, "fr", "n", None, T0)
    assert people.load_principal(db, 9).lang == "en"


def test_an_unknown_user_is_a_principal_with_no_roles(db):
    assert people.load_principal(db, 404) == Principal(404)


def test_ensure_admins_is_idempotent(db):
    people.ensure_admins(db, [1, 2], T0)
    people.ensure_admins(db, [1, 2], T0 + dt.timedelta(days=1))
    assert people.load_principal(db, 1).admin and people.load_principal(db, 2).admin
    assert people.staff_ids(db) == [1, 2]
    assert people.user_names(db)[1] == "admin 1"


def test_role_views_name_every_scope_strongest_first(db):
    county = find_county(db, "源城区")[0][0]
    people.set_language(db, 5, "zh", "n", None, T0)
    people.grant(db, 5, "contact", T0, county_id=county)
    people.grant(db, 5, "worker", T0, community_id=jiangbin(db))
    people.grant(db, 5, "admin", T0)
    views = people.role_views(db, people.load_principal(db, 5))
    assert views == [
        RoleView("admin"),
        RoleView("worker", "江滨社区"),
        RoleView("contact", "源城区"),
    ]


def test_a_group_binds_to_one_community_or_county(db):
    assert people.group_binding(db, -1) == (None, None)
    people.bind_group(db, -1, "群", 1, community_id=jiangbin(db))
    assert people.group_binding(db, -1) == (jiangbin(db), None)
    people.bind_group(db, -1, "群", 1, county_id=3)
    assert people.group_binding(db, -1) == (None, 3)
