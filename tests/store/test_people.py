"""The people store: rows in, rows out (timestamps are given, never read from the clock)."""

from __future__ import annotations

import datetime as dt

from bot.clock import stamp
from bot.domain.access import Principal
from bot.store import people as store
from bot.store import roster

AT = "2022-03-01T09:00:00.000000Z"


def test_stamp_is_utc_iso_text():
    cst = dt.timezone(dt.timedelta(hours=8))
    assert stamp(dt.datetime(2022, 3, 1, 17, 0, tzinfo=cst)) == AT


def test_principal_of_a_stranger_and_of_a_user_with_roles(fresh_db):
    assert store.load_principal(fresh_db, 3) == Principal(3)
    store.upsert_user(fresh_db, 3, "n", None, AT)
    store.set_lang(fresh_db, 3, "en")
    store.insert_role(fresh_db, 3, "admin", None, None, AT)
    store.insert_role(fresh_db, 3, "admin", None, None, AT)  # idempotent
    county = roster.insert_county(fresh_db, "c", None)
    store.insert_role(fresh_db, 3, "contact", None, county, AT)
    want = Principal(3, "en", True, frozenset(), frozenset({county}))
    assert store.load_principal(fresh_db, 3) == want
    assert store.staff_ids(fresh_db) == [3]


def test_upsert_user_keeps_language_and_makes_reachable(fresh_db):
    store.upsert_user(fresh_db, 3, "old", None, AT)
    store.set_lang(fresh_db, 3, "en")
    fresh_db.execute("UPDATE users SET reachable = 0")
    store.upsert_user(fresh_db, 3, "new", "u", AT)
    row = fresh_db.execute(
        "SELECT name, username, lang, reachable, created_at FROM users"
    ).fetchone()
    assert tuple(row) == ("new", "u", "en", 1, AT)
    store.insert_user_if_missing(fresh_db, 3, "ignored", AT)
    assert store.user_names(fresh_db) == {3: "new"}


def test_invites_round_trip(fresh_db):
    assert store.invite(fresh_db, "c") is None
    row = {"code": "c", "role": "admin", "community_id": None, "county_id": None}
    store.insert_invite(fresh_db, row | {"created_by": None, "created_at": AT, "expires_at": AT})
    assert store.invite(fresh_db, "c") == {
        "role": "admin", "community_id": None, "county_id": None, "expires_at": AT, "used_by": None,
        "created_by": None,
    }  # fmt: skip
    store.upsert_user(fresh_db, 9, "n", None, AT)
    store.mark_invite_used(fresh_db, "c", 9, AT)
    assert store.invite(fresh_db, "c")["used_by"] == 9  # type: ignore[index]


def test_group_binding_is_replaced(fresh_db):
    county = roster.insert_county(fresh_db, "c", None)
    store.upsert_group(fresh_db, -5, "t", 1, None, county)
    assert store.group_binding(fresh_db, -5) == (None, county)
    store.upsert_group(fresh_db, -5, "t2", 1, None, None)
    assert store.group_binding(fresh_db, -5) == (None, None)
    assert store.group_binding(fresh_db, -6) == (None, None)
