"""Users, roles, invites and group bindings: the SQL (timestamps come in as ISO text)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import sqlite_utils

from bot.domain.access import Principal, Role


def stamp(at: dt.datetime) -> str:
    """The ISO UTC text every *_at column holds."""
    return at.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


_PRINCIPAL_SQL = """
SELECT r.role, r.community_id, r.county_id, u.lang
FROM (SELECT ? AS id) k LEFT JOIN users u ON u.id = k.id
LEFT JOIN roles r ON r.user_id = k.id
"""


def load_principal(db: sqlite_utils.Database, user_id: int) -> Principal:
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


def upsert_user(
    db: sqlite_utils.Database, user_id: int, name: str, username: str | None, at: str
) -> None:
    """Create or refresh a user row; a user who writes to the bot is reachable."""
    db.conn.execute(
        "INSERT INTO users (id, name, username, lang, reachable, created_at)"
        " VALUES (?, ?, ?, 'zh', 1, ?)"
        " ON CONFLICT (id) DO UPDATE SET name = excluded.name, username = excluded.username,"
        " reachable = 1",
        [user_id, name, username, at],
    )


def insert_user_if_missing(db: sqlite_utils.Database, user_id: int, name: str, at: str) -> None:
    db.conn.execute(
        "INSERT OR IGNORE INTO users (id, name, lang, reachable, created_at)"
        " VALUES (?, ?, 'zh', 1, ?)",
        [user_id, name, at],
    )


def mark_reachable(db: sqlite_utils.Database, user_id: int) -> None:
    db.conn.execute("UPDATE users SET reachable = 1 WHERE id = ? AND reachable = 0", [user_id])


def set_lang(db: sqlite_utils.Database, user_id: int, lang: str) -> None:
    db.conn.execute("UPDATE users SET lang = ? WHERE id = ?", [lang, user_id])


def insert_role(
    db: sqlite_utils.Database,
    user_id: int,
    role: Role,
    community_id: int | None,
    county_id: int | None,
    at: str,
) -> None:
    """Give a user a role (idempotent)."""
    db.conn.execute(
        "INSERT OR IGNORE INTO roles (user_id, role, community_id, county_id, granted_at)"
        " VALUES (?, ?, ?, ?, ?)",
        [user_id, role, community_id, county_id, at],
    )


def staff_ids(db: sqlite_utils.Database) -> list[int]:
    """Users with an admin or contact role (they get their own command menu)."""
    sql = "SELECT DISTINCT user_id FROM roles WHERE role IN ('admin', 'contact') ORDER BY 1"
    return [int(uid) for (uid,) in db.conn.execute(sql)]


def user_names(db: sqlite_utils.Database) -> dict[int, str]:
    return {int(i): str(n) for i, n in db.conn.execute("SELECT id, name FROM users")}


# -- invites --------------------------------------------------------------------------------


def insert_invite(db: sqlite_utils.Database, row: dict[str, Any]) -> None:
    """Store an invite: code, role, community_id, county_id, created_by, created_at, expires_at."""
    db.conn.execute(
        "INSERT INTO invites (code, role, community_id, county_id, created_by, created_at,"
        " expires_at) VALUES (:code, :role, :community_id, :county_id, :created_by,"
        " :created_at, :expires_at)",
        row,
    )


def invite(db: sqlite_utils.Database, code: str) -> dict[str, Any] | None:
    row = db.conn.execute(
        "SELECT role, community_id, county_id, expires_at, used_by FROM invites WHERE code = ?",
        [code],
    ).fetchone()
    if row is None:
        return None
    keys = ("role", "community_id", "county_id", "expires_at", "used_by")
    return dict(zip(keys, row, strict=True))


def mark_invite_used(db: sqlite_utils.Database, code: str, user_id: int, at: str) -> None:
    db.conn.execute(
        "UPDATE invites SET used_by = ?, used_at = ? WHERE code = ?", [user_id, at, code]
    )


# -- groups ---------------------------------------------------------------------------------


def upsert_group(
    db: sqlite_utils.Database,
    chat_id: int,
    title: str,
    by: int,
    community_id: int | None,
    county_id: int | None,
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
