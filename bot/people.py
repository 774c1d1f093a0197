"""Users, roles, invites and group bindings: who may do what, read from the database."""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass
from typing import Literal

import sqlite_utils

from bot.domain.access import Principal
from bot.store.db import now, transaction

Role = Literal["worker", "contact", "admin"]
ROLES: tuple[Role, ...] = ("worker", "contact", "admin")


class InviteError(ValueError):
    """An invite that cannot be redeemed; `code` is unknown, used or expired."""

    def __init__(self, reason: Literal["unknown", "used", "expired"]) -> None:
        super().__init__(reason)
        self.reason = reason


_PRINCIPAL_SQL = """
SELECT r.role, r.community_id, r.county_id, u.lang
FROM (SELECT ? AS id) k LEFT JOIN users u ON u.id = k.id
LEFT JOIN roles r ON r.user_id = k.id
"""


def principal(db: sqlite_utils.Database, user_id: int) -> Principal:
    """Load a user's language, roles and scopes in one indexed query."""
    admin = False
    lang = "zh"
    comms: set[int] = set()
    counties: set[int] = set()
    for role, community_id, county_id, user_lang in db.conn.execute(_PRINCIPAL_SQL, [user_id]):
        lang = user_lang or lang
        if role == "admin":
            admin = True
        elif role == "worker" and community_id is not None:
            comms.add(int(community_id))
        elif role == "contact" and county_id is not None:
            counties.add(int(county_id))
    return Principal(user_id, lang, admin, frozenset(comms), frozenset(counties))


def touch_user(
    db: sqlite_utils.Database, user_id: int, name: str, username: str | None = None
) -> None:
    """Create or refresh a user row (on /start, /join and registration)."""
    db.conn.execute(
        "INSERT INTO users (id, name, username, lang, reachable, created_at)"
        " VALUES (?, ?, ?, 'zh', 1, ?)"
        " ON CONFLICT (id) DO UPDATE SET name = excluded.name, username = excluded.username,"
        " reachable = 1",
        [user_id, name, username, now()],
    )


def mark_reachable(db: sqlite_utils.Database, user_id: int) -> None:
    """Record that a known user has opened the chat (after a 403, /start makes them reachable)."""
    db.conn.execute("UPDATE users SET reachable = 1 WHERE id = ? AND reachable = 0", [user_id])


def grant(
    db: sqlite_utils.Database,
    user_id: int,
    role: Role,
    community_id: int | None = None,
    county_id: int | None = None,
) -> None:
    """Give a user a role (idempotent)."""
    db.conn.execute(
        "INSERT OR IGNORE INTO roles (user_id, role, community_id, county_id, granted_at)"
        " VALUES (?, ?, ?, ?, ?)",
        [user_id, role, community_id, county_id, now()],
    )


def set_lang(db: sqlite_utils.Database, user_id: int, lang: str) -> None:
    db.conn.execute("UPDATE users SET lang = ? WHERE id = ?", [lang, user_id])


def ensure_admins(db: sqlite_utils.Database, user_ids: list[int]) -> None:
    """Register GREENCHECK_ADMINS as admins (idempotent)."""
    for uid in user_ids:
        db.conn.execute(
            "INSERT OR IGNORE INTO users (id, name, lang, reachable, created_at)"
            " VALUES (?, ?, 'zh', 1, ?)",
            [uid, f"admin {uid}", now()],
        )
        grant(db, uid, "admin")


def create_invite(
    db: sqlite_utils.Database,
    role: Role,
    created_by: int | None,
    community_id: int | None = None,
    county_id: int | None = None,
    days: int = 7,
) -> str:
    """Create a single-use invite; return its code (deep-link safe: A-Z a-z 0-9 _ -)."""
    if role == "worker" and community_id is None:
        raise ValueError("a worker invite needs a community")
    if role == "contact" and county_id is None:
        raise ValueError("a contact invite needs a county")
    code = secrets.token_urlsafe(9)  # 12 characters
    expires = dt.datetime.now(dt.UTC) + dt.timedelta(days=days)
    db.conn.execute(
        "INSERT INTO invites (code, role, community_id, county_id, created_by, created_at,"
        " expires_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
        [
            code,
            role,
            community_id,
            county_id,
            created_by,
            now(),
            expires.strftime("%Y-%m-%dT%H:%M:%S.%fZ"),
        ],
    )
    return code


@dataclass(frozen=True)
class Redeemed:
    role: Role
    community_id: int | None
    county_id: int | None
    again: bool  # the same user redeemed it before (a redelivered update)


def redeem_invite(
    db: sqlite_utils.Database, code: str, user_id: int, name: str, username: str | None
) -> Redeemed:
    """Register the user with the invite's role and scope, once."""
    with transaction(db):
        row = db.conn.execute(
            "SELECT role, community_id, county_id, expires_at, used_by FROM invites WHERE code = ?",
            [code],
        ).fetchone()
        if row is None:
            raise InviteError("unknown")
        role, community_id, county_id, expires_at, used_by = row
        if used_by is not None:
            if used_by == user_id:
                return Redeemed(role, community_id, county_id, again=True)
            raise InviteError("used")
        if expires_at <= now():
            raise InviteError("expired")
        touch_user(db, user_id, name, username)
        db.conn.execute(
            "UPDATE invites SET used_by = ?, used_at = ? WHERE code = ?", [user_id, now(), code]
        )
        grant(db, user_id, role, community_id, county_id)
    return Redeemed(role, community_id, county_id, again=False)


def bind_group(
    db: sqlite_utils.Database,
    chat_id: int,
    title: str,
    by: int,
    community_id: int | None = None,
    county_id: int | None = None,
) -> None:
    db.conn.execute(
        "INSERT INTO groups (chat_id, title, community_id, county_id, bound_by)"
        " VALUES (?, ?, ?, ?, ?) ON CONFLICT (chat_id) DO UPDATE SET title = excluded.title,"
        " community_id = excluded.community_id, county_id = excluded.county_id,"
        " bound_by = excluded.bound_by",
        [chat_id, title, community_id, county_id, by],
    )


def group_binding(db: sqlite_utils.Database, chat_id: int) -> tuple[int | None, int | None]:
    """Return (community_id, county_id) a group is bound to."""
    row = db.conn.execute(
        "SELECT community_id, county_id FROM groups WHERE chat_id = ?", [chat_id]
    ).fetchone()
    return (row[0], row[1]) if row else (None, None)


def community_name(db: sqlite_utils.Database, community_id: int) -> str:
    row = db.conn.execute("SELECT name FROM communities WHERE id = ?", [community_id]).fetchone()
    return str(row[0]) if row else "?"


def county_name(db: sqlite_utils.Database, county_id: int) -> str:
    row = db.conn.execute("SELECT name FROM counties WHERE id = ?", [county_id]).fetchone()
    return str(row[0]) if row else "?"
