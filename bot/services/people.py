"""People: who is asking, registration by invite, languages, group bindings, admins.

One function per intent; each returns data (never text). The time comes in as `now` (an aware
datetime from the container's clock); nothing here reads the clock.
"""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass
from typing import Any, Literal, cast

import sqlite_utils

from bot.clock import stamp
from bot.domain.access import MAX_INVITE_DAYS, Principal, Role, invite_days_ok, roles
from bot.domain.errors import InviteError, RevokeError
from bot.domain.text import given
from bot.services.notices import tell
from bot.services.roster import community_name, county_name
from bot.store import actions as action_store
from bot.store import people as store
from bot.store.db import transaction

LANGS = ("zh", "en")
NAME_MAX = 128  # characters of a stored Telegram name or group title (Telegram's own cap)


Mode = Literal["move", "add"]  # a worker's second community: instead of, or as well as


@dataclass(frozen=True)
class Redeemed:
    role: Role
    community_id: int | None
    county_id: int | None
    again: bool  # the same user redeemed it before (a redelivered update)
    scope: str = ""  # the community's or county's name ("" for admins)
    ask: bool = False  # a worker of another community: move or add? Nothing changed yet.
    moved_from: tuple[str, ...] = ()  # the communities left (mode "move")
    kept: tuple[str, ...] = ()  # the other communities or counties kept


@dataclass(frozen=True)
class RoleLine:
    """One role of one user, for `users list` and /users."""

    role: Role
    scope: str
    source: str  # env (GREENCHECK_ADMINS), invite, chat, cli
    granted_at: str


@dataclass(frozen=True)
class UserRoles:
    user_id: int
    name: str
    username: str | None
    roles: tuple[RoleLine, ...]


@dataclass(frozen=True)
class RoleEvent:
    """A grant or a revoke: who, what, when, by whom (None: the system or the CLI)."""

    at: str
    action: Literal["grant", "revoke"]
    user_id: int
    role: Role
    scope: str
    source: str
    by: int | None


@dataclass(frozen=True)
class RoleView:
    """One of a user's roles with its scope's name: rendered as the catalogue's `role_<role>`."""

    role: Role
    scope: str = ""


def load_principal(db: sqlite_utils.Database, user_id: int) -> Principal:
    """The caller's language, roles and scopes (one query; on every update)."""
    return store.load_principal(db, user_id)


def _upsert_user(
    db: sqlite_utils.Database, user_id: int, name: str, username: str | None, at: str
) -> None:
    """Telegram's names as given (bot.domain.text): cleaned and cut, never refused."""
    store.upsert_user(db, user_id, given(name, NAME_MAX) or "", given(username, NAME_MAX), at)


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
    """Give a user a role (idempotent; the grant is recorded)."""
    store.insert_role(db, user_id, role, community_id, county_id, stamp(now), "cli")


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
        _upsert_user(db, user_id, name, username, stamp(now))
        store.set_lang(db, user_id, lang)


def ensure_admins(db: sqlite_utils.Database, user_ids: list[int], now: dt.datetime) -> list[int]:
    """Make the admins follow GREENCHECK_ADMINS (at each start); return the ids demoted.

    Listed ids get the admin role (source 'env'); an id no longer listed loses the admin role
    the variable gave it. Roles granted otherwise (an admin invite) stay. Each change is
    recorded as a grant or revoke by nobody (the system).
    """
    at = stamp(now)
    removed: list[int] = []
    with transaction(db):
        for uid in user_ids:
            store.insert_user_if_missing(db, uid, f"admin {uid}", at)
            store.insert_role(db, uid, "admin", None, None, at, "env")
        for uid in store.env_admin_ids(db):
            if uid not in user_ids:
                store.delete_roles(db, uid, "admin", at, "env", None, only_source="env")
                removed.append(uid)
    return removed


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
        raise InviteError("days", days=days, max=MAX_INVITE_DAYS)
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
    mode: Mode | None = None,
) -> Redeemed:
    """Register the user with the invite's role and scope, once (one transaction).

    A worker of another community must choose (`mode`): "move" leaves the other communities,
    "add" keeps them. Without a mode such an invite is not used: the result has `ask` set.
    A second county for a contact, or admin, simply adds.
    """
    at = stamp(now)
    with transaction(db):
        row = _usable_invite(db, code, user_id, now)
        role, community_id, county_id = row["role"], row["community_id"], row["county_id"]
        scope = _scope_name(db, community_id, county_id)
        if row["used_by"] == user_id:
            return Redeemed(role, community_id, county_id, again=True, scope=scope)
        others = _other_scopes(db, user_id, role, community_id, county_id)
        names = tuple(_scope_name(db, *o) for o in others)
        if role == "worker" and others and mode is None:
            return Redeemed(role, community_id, county_id, False, scope, ask=True, kept=names)
        _upsert_user(db, user_id, name, username, at)
        store.mark_invite_used(db, code, user_id, at)
        if role == "worker" and others and mode == "move":
            by = row["created_by"]
            left = store.delete_roles(
                db, user_id, "worker", at, "invite", by, keep_community=community_id
            )
            _leave(db, user_id, left, at)
        store.insert_role(
            db, user_id, role, community_id, county_id, at, "invite", row["created_by"]
        )
    moved = names if role == "worker" and mode == "move" else ()
    return Redeemed(
        role,
        community_id,
        county_id,
        False,
        scope,
        moved_from=moved,
        kept=names if not moved else (),
    )


def _usable_invite(
    db: sqlite_utils.Database, code: str, user_id: int, now: dt.datetime
) -> dict[str, Any]:
    row = store.invite(db, code)
    if row is None:
        raise InviteError("unknown")
    if row["used_by"] is not None and row["used_by"] != user_id:
        raise InviteError("used")
    if row["used_by"] is None and row["expires_at"] <= stamp(now):
        raise InviteError("expired")
    return row


def _other_scopes(
    db: sqlite_utils.Database,
    user_id: int,
    role: str,
    community_id: int | None,
    county_id: int | None,
) -> list[tuple[int | None, int | None]]:
    """The user's other communities (a worker invite) or counties (a contact invite)."""
    p = store.load_principal(db, user_id)
    if role == "worker":
        return [(c, None) for c in sorted(p.communities) if c != community_id]
    if role == "contact":
        return [(None, c) for c in sorted(p.counties) if c != county_id]
    return []


def bind_group(
    db: sqlite_utils.Database,
    chat_id: int,
    title: str,
    by: int,
    community_id: int | None = None,
    county_id: int | None = None,
) -> None:
    """Tie a group chat to one community or one county (rebinding replaces the old tie)."""
    store.upsert_group(db, chat_id, given(title, NAME_MAX) or "", by, community_id, county_id)


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
        elif role == "street" and scope_id is not None:
            out.append(RoleView(role, store.street_name(db, scope_id)))
        elif role == "expert":  # its scope is the program year
            out.append(RoleView(role, str(scope_id)))
        else:
            out.append(RoleView(role))
    return out


def staff_ids(db: sqlite_utils.Database) -> list[int]:
    """Admins, county contacts and street reviewers: each gets their own command menu."""
    return store.staff_ids(db)


def user_names(db: sqlite_utils.Database) -> dict[int, str]:
    """Every known user's display name, by id (for listings)."""
    return store.user_names(db)


# -- revocation and the record of roles ------------------------------------------------------


def find_user(db: sqlite_utils.Database, text: str) -> int | None:
    """A user by id ("123456") or username ("@name"); None if unknown."""
    text = text.strip()
    if text.isascii() and text.isdigit():
        uid = int(text)
        return uid if store.user_names(db).get(uid) is not None else None
    return store.user_by_username(db, text.removeprefix("@")) if text else None


def revoke(
    db: sqlite_utils.Database,
    user_id: int,
    role: Role | None,
    by: int | None,
    now: dt.datetime,
    source: str = "chat",
) -> list[RoleView]:
    """Remove a user's role (all their roles with None); return what was removed.

    Refuses to remove the last admin. Each removal is recorded (who, when, by whom).
    """
    with transaction(db):
        p = store.load_principal(db, user_id)
        if not p.registered:
            raise RevokeError("unknown_user", who=user_id)
        if p.admin and role in (None, "admin") and store.admin_count(db) <= 1:
            raise RevokeError("last_admin")
        gone = store.delete_roles(db, user_id, role, stamp(now), source, by)
        if not gone:
            raise RevokeError("no_role")
        _leave(db, user_id, gone, stamp(now))
        return [_view(db, k[1], k[2], k[3]) for k in gone]


def _leave(db: sqlite_utils.Database, user_id: int, gone: list[store.RoleKey], at: str) -> None:
    """A worker who leaves a community leaves its unfinished actions: they lose their owner
    (so no reminder goes to them and their old buttons are refused) and whoever opened each is
    told to reassign it."""
    for _, role, community_id, _ in gone:
        if role != "worker" or community_id is None:
            continue
        for action_id, opener, item, community in action_store.unassign(db, user_id, community_id):
            tell(db, "action_unassigned", [opener or 0], at, None, action_id, community=community,
                 item=item)  # fmt: skip


def _view(
    db: sqlite_utils.Database, role: str, community_id: int | None, county_id: int | None
) -> RoleView:
    return RoleView(cast(Role, role), _scope_name(db, community_id, county_id))


def list_users(db: sqlite_utils.Database) -> list[UserRoles]:
    """Every user holding a role, with each role's scope, source and grant time."""
    users: dict[int, tuple[str, str | None, list[RoleLine]]] = {}
    for uid, name, username, role, comm, county, source, at in store.all_roles(db):
        entry = users.setdefault(int(uid), (name or "", username, []))
        entry[2].append(RoleLine(role, _scope_name(db, comm, county), source, at or ""))
    return [UserRoles(uid, n, u, tuple(lines)) for uid, (n, u, lines) in users.items()]


def role_history(db: sqlite_utils.Database, limit: int = 1000) -> list[RoleEvent]:
    """The grants and revokes, oldest first (the newest `limit`)."""
    return [
        RoleEvent(at, action, int(uid), role, _scope_name(db, comm, county), source, by)
        for at, action, uid, role, comm, county, source, by in store.role_events(db, limit)
    ]
