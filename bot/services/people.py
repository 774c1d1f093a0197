"""People: who is asking, registration by invite, languages, group bindings, admins.

One function per intent; each returns data (never text). The time comes in as `now` (an aware
datetime from the container's clock); nothing here reads the clock.
"""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass
from typing import Literal

import sqlite_utils

from bot.domain.access import Principal, Role, invite_days_ok, roles
from bot.services.roster import community_name, county_name
from bot.store import people as store
from bot.store.db import transaction
from bot.store.people import stamp

LANGS = ("zh", "en")


class InviteError(ValueError):
    """An invite that cannot be redeemed or made; `reason` selects the catalogue text."""

    def __init__(self, reason: Literal["unknown", "used", "expired", "scope", "days"]) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class Redeemed:
    role: Role
    community_id: int | None
    county_id: int | None
    again: bool  # the same user redeemed it before (a redelivered update)
    scope: str = ""  # the community's or county's name ("" for admins)


@dataclass(frozen=True)
class RoleView:
    """One of a user's roles with its scope's name: rendered as the catalogue's `role_<role>`."""

    role: Role
    scope: str = ""


def load_principal(db: sqlite_utils.Database, user_id: int) -> Principal:
    """The caller's language, roles and scopes (one query; on every update)."""
    return store.load_principal(db, user_id)


def touch_user(
    db: sqlite_utils.Database, user_id: int, name: str, username: str | None, now: dt.datetime
) -> None:
    """Create or refresh a user's row (on /start, /join, /lang and registration)."""
    store.upsert_user(db, user_id, name, username, stamp(now))


def mark_reachable(db: sqlite_utils.Database, user_id: int) -> None:
    """A known user opened the chat: reminders can reach them again (after a 403)."""
    store.mark_reachable(db, user_id)


def grant(
    db: sqlite_utils.Database,
    user_id: int,
    role: Role,
    now: dt.datetime,
    community_id: int | None = None,
    county_id: int | None = None,
) -> None:
    """Give a user a role (idempotent)."""
    store.insert_role(db, user_id, role, community_id, county_id, stamp(now))


def set_language(
    db: sqlite_utils.Database,
    user_id: int,
    lang: str,
    name: str,
    username: str | None,
    now: dt.datetime,
) -> None:
    """Switch a user's interface language (creating the user's row if needed)."""
    if lang not in LANGS:
        raise ValueError(f"unknown language {lang!r}")
    with transaction(db):
        store.upsert_user(db, user_id, name, username, stamp(now))
        store.set_lang(db, user_id, lang)


def ensure_admins(db: sqlite_utils.Database, user_ids: list[int], now: dt.datetime) -> None:
    """Register GREENCHECK_ADMINS as admins (idempotent)."""
    at = stamp(now)
    for uid in user_ids:
        store.insert_user_if_missing(db, uid, f"admin {uid}", at)
        store.insert_role(db, uid, "admin", None, None, at)


def create_invite(
    db: sqlite_utils.Database,
    role: Role,
    created_by: int | None,
    now: dt.datetime,
    community_id: int | None = None,
    county_id: int | None = None,
    days: int = 7,
) -> str:
    """Create a single-use invite; return its code (deep-link safe: A-Z a-z 0-9 _ -).

    `days` must be 1..365 (`InviteError("days")`): never an invite that is already expired.
    """
    if not invite_days_ok(days):
        raise InviteError("days")
    if (role == "worker" and community_id is None) or (role == "contact" and county_id is None):
        raise InviteError("scope")
    code = secrets.token_urlsafe(9)  # 12 characters
    row = {"code": code, "role": role, "community_id": community_id, "county_id": county_id}
    expires = stamp(now + dt.timedelta(days=days))
    store.insert_invite(
        db, row | {"created_by": created_by, "created_at": stamp(now), "expires_at": expires}
    )
    return code


def _scope_name(db: sqlite_utils.Database, community_id: int | None, county_id: int | None) -> str:
    if community_id is not None:
        return community_name(db, community_id)
    return county_name(db, county_id) if county_id is not None else ""


def redeem_invite(
    db: sqlite_utils.Database,
    code: str,
    user_id: int,
    name: str,
    username: str | None,
    now: dt.datetime,
) -> Redeemed:
    """Register the user with the invite's role and scope, once (one transaction)."""
    with transaction(db):
        row = store.invite(db, code)
        if row is None:
            raise InviteError("unknown")
        role, community_id, county_id = row["role"], row["community_id"], row["county_id"]
        scope = _scope_name(db, community_id, county_id)
        if row["used_by"] is not None:
            if row["used_by"] == user_id:
                return Redeemed(role, community_id, county_id, again=True, scope=scope)
            raise InviteError("used")
        if row["expires_at"] <= stamp(now):
            raise InviteError("expired")
        store.upsert_user(db, user_id, name, username, stamp(now))
        store.mark_invite_used(db, code, user_id, stamp(now))
        store.insert_role(db, user_id, role, community_id, county_id, stamp(now))
    return Redeemed(role, community_id, county_id, again=False, scope=scope)


def bind_group(
    db: sqlite_utils.Database,
    chat_id: int,
    title: str,
    by: int,
    community_id: int | None = None,
    county_id: int | None = None,
) -> None:
    """Tie a group chat to one community or one county (rebinding replaces the old tie)."""
    store.upsert_group(db, chat_id, title, by, community_id, county_id)


def group_binding(db: sqlite_utils.Database, chat_id: int) -> tuple[int | None, int | None]:
    """Return (community_id, county_id) a group is bound to."""
    return store.group_binding(db, chat_id)


def role_views(db: sqlite_utils.Database, p: Principal) -> list[RoleView]:
    """The principal's roles with their scopes' names (for /me)."""
    out = []
    for role, scope_id in roles(p):
        if role == "worker" and scope_id is not None:
            out.append(RoleView(role, community_name(db, scope_id)))
        elif role == "contact" and scope_id is not None:
            out.append(RoleView(role, county_name(db, scope_id)))
        else:
            out.append(RoleView(role))
    return out


def staff_ids(db: sqlite_utils.Database) -> list[int]:
    """Admins and county contacts: each gets their own command menu."""
    return store.staff_ids(db)


def user_names(db: sqlite_utils.Database) -> dict[int, str]:
    """Every known user's display name, by id (for listings)."""
    return store.user_names(db)
