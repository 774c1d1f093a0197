"""People: who is asking, registration by invite, languages, group bindings, admins.

`People` is the service over one database and the container's clock (built once in
`Services.open`): one method per intent, each returning data (never text).
"""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass
from typing import Any, Literal, cast

import sqlite_utils

from bot.clock import Clock, stamp
from bot.domain.access import MAX_INVITE_DAYS, Principal, Role, invite_days_ok, roles
from bot.domain.errors import InviteError, RevokeError, SpotError
from bot.domain.text import given
from bot.services.notices import tell
from bot.services.roster import Roster
from bot.store import actions as action_store
from bot.store import people as store
from bot.store.db import transaction
from bot.store.reviews import ReviewStore
from bot.store.spotchecks import SpotStore

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


class People:
    """Registration, roles, invites, languages and group bindings over one database; the time
    of every grant, revoke and invite is the clock's."""

    def __init__(self, db: sqlite_utils.Database, clock: Clock, roster: Roster) -> None:
        self.db = db
        self.clock = clock
        self.roster = roster  # scope names

    def load_principal(self, user_id: int) -> Principal:
        """The caller's language, roles and scopes (one query; on every update)."""
        return store.load_principal(self.db, user_id)

    def _upsert_user(self, user_id: int, name: str, username: str | None, at: str) -> None:
        """Telegram's names as given (bot.domain.text): cleaned and cut, never refused."""
        store.upsert_user(
            self.db, user_id, given(name, NAME_MAX) or "", given(username, NAME_MAX), at
        )

    def mark_reachable(self, user_id: int) -> None:
        """A known user opened the chat: reminders can reach them again (after a 403)."""
        with transaction(self.db):
            store.mark_reachable(self.db, user_id)

    def grant(
        self,
        user_id: int,
        role: Role,
        community_id: int | None = None,
        county_id: int | None = None,
    ) -> None:
        """Give a user a role (idempotent; the grant is recorded)."""
        with transaction(self.db):
            store.insert_role(
                self.db, user_id, role, community_id, county_id, self.clock.stamp(), "cli"
            )

    def set_language(self, user_id: int, lang: str, name: str, username: str | None) -> None:
        """Switch a user's interface language (creating the user's row if needed)."""
        if lang not in LANGS:
            raise ValueError(f"unknown language {lang!r}")
        with transaction(self.db):
            self._upsert_user(user_id, name, username, self.clock.stamp())
            store.set_lang(self.db, user_id, lang)

    def grant_street(self, user_id: int, community_id: int) -> int | None:
        """Make a user the street reviewer of a community's street (the demo's role table, the
        tests); return the street id (None: the community has no street in the roster). The role
        is recorded like an invite's ('street' for the county, in roles), so /revoke removes it."""
        reviews = ReviewStore(self.db)
        street = reviews.street_of(community_id)
        if street is not None:
            at = self.clock.stamp()
            with transaction(self.db):
                reviews.grant_street(user_id, street, at)
                county = reviews.street_county(street)
                store.insert_user_if_missing(self.db, user_id, f"user {user_id}", at)
                store.insert_role(self.db, user_id, "street", None, county, at, "cli")
        return street

    def grant_expert(self, user_id: int, year: int) -> None:
        """Make a user an expert of program year `year` (the demo, the tests), recorded like an
        invite's grant, so /revoke removes it."""
        at = self.clock.stamp()
        with transaction(self.db):
            store.insert_user_if_missing(self.db, user_id, f"user {user_id}", at)
            store.insert_role(self.db, user_id, "expert", None, None, at, "cli")
            SpotStore(self.db).grant_expert(user_id, year, at)

    def ensure_admins(self, user_ids: list[int]) -> list[int]:
        """Make the admins follow GREENCHECK_ADMINS (at each start); return the ids demoted.

        Listed ids get the admin role (source 'env'); an id no longer listed loses the admin
        role the variable gave it. Roles granted otherwise (an admin invite) stay. Each change
        is recorded as a grant or revoke by nobody (the system).
        """
        at = self.clock.stamp()
        removed: list[int] = []
        with transaction(self.db):
            for uid in user_ids:
                store.insert_user_if_missing(self.db, uid, f"admin {uid}", at)
                store.insert_role(self.db, uid, "admin", None, None, at, "env")
            for uid in store.env_admin_ids(self.db):
                if uid not in user_ids:
                    store.delete_roles(self.db, uid, "admin", at, "env", None, only_source="env")
                    removed.append(uid)
        return removed

    # -- invites ----------------------------------------------------------------------------

    def create_invite(
        self,
        role: Role,
        created_by: int | None,
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
        now = self.clock.now()
        row = {"code": code, "role": role, "community_id": community_id, "county_id": county_id}
        expires = stamp(now + dt.timedelta(days=days))
        with transaction(self.db):
            store.insert_invite(
                self.db,
                row | {"created_by": created_by, "created_at": stamp(now), "expires_at": expires},
            )
        return code

    def find_streets(self, name: str) -> list[tuple[int, str, int]]:
        """Streets matching `name` (an exact name alone when there is one): (id, name, county)."""
        found = ReviewStore(self.db).find_street(name)
        exact = [f for f in found if f[1] == name]
        return exact or found

    def street_invite(self, street: tuple[int, str, int], created_by: int | None, days: int) -> str:
        """A single-use invite for a street reviewer; redeeming it grants the street (trigger)."""
        street_id, _, county_id = street
        with transaction(self.db):
            code = self.create_invite("street", created_by, None, county_id, days)
            ReviewStore(self.db).set_invite_street(code, street_id)
        return code

    def expert_invite(self, year: int, created_by: int | None, days: int) -> str:
        """A single-use invite for an expert of program year `year` (组织专家): redeeming it
        grants the role and the year (trigger)."""
        if not 2000 <= year <= 2100:
            raise SpotError("bad_year", year=year)
        with transaction(self.db):
            code = self.create_invite("expert", created_by, None, None, days)
            SpotStore(self.db).set_invite_year(code, year)
        return code

    def _scope_name(self, community_id: int | None, county_id: int | None) -> str:
        if community_id is not None:
            return self.roster.community_name(community_id)
        return self.roster.county_name(county_id) if county_id is not None else ""

    def redeem_invite(
        self,
        code: str,
        user_id: int,
        name: str,
        username: str | None,
        mode: Mode | None = None,
    ) -> Redeemed:
        """Register the user with the invite's role and scope, once (one transaction).

        A worker of another community must choose (`mode`): "move" leaves the other
        communities, "add" keeps them. Without a mode such an invite is not used: the result
        has `ask` set. A second county for a contact, or admin, simply adds.
        """
        db, now = self.db, self.clock.now()
        at = stamp(now)
        with transaction(db):
            row = self._usable_invite(code, user_id, now)
            role, community_id, county_id = row["role"], row["community_id"], row["county_id"]
            scope = self._scope_name(community_id, county_id)
            if row["used_by"] == user_id:
                return Redeemed(role, community_id, county_id, again=True, scope=scope)
            others = self._other_scopes(user_id, role, community_id, county_id)
            names = tuple(self._scope_name(*o) for o in others)
            if role == "worker" and others and mode is None:
                return Redeemed(role, community_id, county_id, False, scope, ask=True, kept=names)
            self._upsert_user(user_id, name, username, at)
            store.mark_invite_used(db, code, user_id, at)
            if role == "worker" and others and mode == "move":
                by = row["created_by"]
                left = store.delete_roles(
                    db, user_id, "worker", at, "invite", by, keep_community=community_id
                )
                self._leave(user_id, left, at)
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

    def _usable_invite(self, code: str, user_id: int, now: dt.datetime) -> dict[str, Any]:
        row = store.invite(self.db, code)
        if row is None:
            raise InviteError("unknown")
        if row["used_by"] is not None and row["used_by"] != user_id:
            raise InviteError("used")
        if row["used_by"] is None and row["expires_at"] <= stamp(now):
            raise InviteError("expired")
        return row

    def _other_scopes(
        self, user_id: int, role: str, community_id: int | None, county_id: int | None
    ) -> list[tuple[int | None, int | None]]:
        """The user's other communities (a worker invite) or counties (a contact invite)."""
        p = store.load_principal(self.db, user_id)
        if role == "worker":
            return [(c, None) for c in sorted(p.communities) if c != community_id]
        if role == "contact":
            return [(None, c) for c in sorted(p.counties) if c != county_id]
        return []

    # -- groups and listings ----------------------------------------------------------------

    def bind_group(
        self,
        chat_id: int,
        title: str,
        by: int,
        community_id: int | None = None,
        county_id: int | None = None,
    ) -> None:
        """Tie a group chat to one community or one county (rebinding replaces the old tie)."""
        title = given(title, NAME_MAX) or ""
        with transaction(self.db):
            store.upsert_group(self.db, chat_id, title, by, community_id, county_id)

    def group_binding(self, chat_id: int) -> tuple[int | None, int | None]:
        """Return (community_id, county_id) a group is bound to."""
        return store.group_binding(self.db, chat_id)

    def role_views(self, p: Principal) -> list[RoleView]:
        """The principal's roles with their scopes' names (for /me)."""
        out = []
        for role, scope_id in roles(p):
            if role == "worker" and scope_id is not None:
                out.append(RoleView(role, self.roster.community_name(scope_id)))
            elif role == "contact" and scope_id is not None:
                out.append(RoleView(role, self.roster.county_name(scope_id)))
            elif role == "street" and scope_id is not None:
                out.append(RoleView(role, store.street_name(self.db, scope_id)))
            elif role == "expert":  # its scope is the program year
                out.append(RoleView(role, str(scope_id)))
            else:
                out.append(RoleView(role))
        return out

    def staff_ids(self) -> list[int]:
        """Admins, county contacts and street reviewers: each gets their own command menu."""
        return store.staff_ids(self.db)

    def user_names(self) -> dict[int, str]:
        """Every known user's display name, by id (for listings)."""
        return store.user_names(self.db)

    # -- revocation and the record of roles ---------------------------------------------------

    def find_user(self, text: str) -> int | None:
        """A user by id ("123456") or username ("@name"); None if unknown."""
        text = text.strip()
        if text.isascii() and text.isdigit():
            uid = int(text)
            return uid if store.user_names(self.db).get(uid) is not None else None
        return store.user_by_username(self.db, text.removeprefix("@")) if text else None

    def revoke(
        self, user_id: int, role: Role | None, by: int | None, source: str = "chat"
    ) -> list[RoleView]:
        """Remove a user's role (all their roles with None); return what was removed.

        Refuses to remove the last admin. Each removal is recorded (who, when, by whom).
        """
        db, at = self.db, self.clock.stamp()
        with transaction(db):
            p = store.load_principal(db, user_id)
            if not p.registered:
                raise RevokeError("unknown_user", who=user_id)
            if p.admin and role in (None, "admin") and store.admin_count(db) <= 1:
                raise RevokeError("last_admin")
            gone = store.delete_roles(db, user_id, role, at, source, by)
            if not gone:
                raise RevokeError("no_role")
            self._leave(user_id, gone, at)
            return [RoleView(cast(Role, k[1]), self._scope_name(k[2], k[3])) for k in gone]

    def _leave(self, user_id: int, gone: list[store.RoleKey], at: str) -> None:
        """A worker who leaves a community leaves its unfinished actions: they lose their owner
        (so no reminder goes to them and their old buttons are refused) and whoever opened each
        is told to reassign it."""
        for _, role, community_id, _ in gone:
            if role != "worker" or community_id is None:
                continue
            for action_id, opener, item, community in action_store.unassign(
                self.db, user_id, community_id
            ):
                tell(self.db, "action_unassigned", [opener or 0], at, None, action_id,
                     community=community, item=item)  # fmt: skip

    def list_users(self) -> list[UserRoles]:
        """Every user holding a role, with each role's scope, source and grant time."""
        users: dict[int, tuple[str, str | None, list[RoleLine]]] = {}
        for uid, name, username, role, comm, county, source, at in store.all_roles(self.db):
            entry = users.setdefault(int(uid), (name or "", username, []))
            entry[2].append(RoleLine(role, self._scope_name(comm, county), source, at or ""))
        return [UserRoles(uid, n, u, tuple(lines)) for uid, (n, u, lines) in users.items()]

    def role_history(self, limit: int = 1000) -> list[RoleEvent]:
        """The grants and revokes, oldest first (the newest `limit`)."""
        return [
            RoleEvent(at, action, int(uid), role, self._scope_name(comm, county), source, by)
            for at, action, uid, role, comm, county, source, by in store.role_events(self.db, limit)
        ]
