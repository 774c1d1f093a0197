"""Users, roles, invites and group bindings: the SQL (timestamps come in as ISO text)."""

from __future__ import annotations

from typing import Any

import sqlite_utils

from bot.domain.access import Principal, Role

_PRINCIPAL_SQL = """
SELECT r.role, r.community_id, r.county_id, u.lang
FROM (SELECT ?1 AS id) k LEFT JOIN users u ON u.id = k.id
LEFT JOIN roles r ON r.user_id = k.id
UNION ALL SELECT 'street_id', s.street_id, NULL, NULL FROM street_roles s WHERE s.user_id = ?1
UNION ALL SELECT 'expert_year', e.year, NULL, NULL FROM expert_years e WHERE e.user_id = ?1
"""


def load_principal(db: sqlite_utils.Database, user_id: int) -> Principal:
    """Load a user's language, roles and scopes in one indexed query (the streets a street
    reviewer acts for come from `street_roles`, an expert's program years from
    `expert_years`, in the same statement)."""
    admin = False
    lang = "zh"
    comms: set[int] = set()
    counties: set[int] = set()
    streets: set[int] = set()
    years: set[int] = set()
    for role, community_id, county_id, user_lang in db.conn.execute(_PRINCIPAL_SQL, [user_id]):
        lang = user_lang or lang
        if role == "admin":
            admin = True
        elif role == "worker" and community_id is not None:
            comms.add(int(community_id))
        elif role == "contact" and county_id is not None:
            counties.add(int(county_id))
        elif role == "street_id":  # a street_roles row: its street id rides in community_id
            streets.add(int(community_id))
        elif role == "expert_year":  # an expert_years row: its year rides in community_id
            years.add(int(community_id))
    return Principal(
        user_id,
        lang,
        admin,
        frozenset(comms),
        frozenset(counties),
        frozenset(streets),
        frozenset(years),
    )


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
    source: str = "invite",
    by: int | None = None,
) -> bool:
    """Give a user a role (idempotent) and record the grant; True if it is new.

    A role held through GREENCHECK_ADMINS ('env') that is granted again another way keeps
    the new source: it then survives the variable's change.
    """
    cur = db.conn.execute(
        "INSERT OR IGNORE INTO roles (user_id, role, community_id, county_id, granted_at, source)"
        " VALUES (?, ?, ?, ?, ?, ?)",
        [user_id, role, community_id, county_id, at, source],
    )
    if cur.rowcount == 0:
        if source == "env":
            return False
        cur = db.conn.execute(
            f"UPDATE roles SET source = ? WHERE {_SAME_ROLE} AND source = 'env'",
            [source, user_id, role, community_id, county_id],
        )
        if cur.rowcount == 0:
            return False
    _event(db, (user_id, role, community_id, county_id), "grant", source, by, at)
    return True


_SAME_ROLE = (
    "user_id = ? AND role = ? AND ifnull(community_id, 0) = ifnull(?, 0)"
    " AND ifnull(county_id, 0) = ifnull(?, 0)"
)
RoleKey = tuple[int, str, int | None, int | None]  # user_id, role, community_id, county_id


def _event(
    db: sqlite_utils.Database, key: RoleKey, action: str, source: str, by: int | None, at: str
) -> None:
    db.conn.execute(
        "INSERT INTO role_events (user_id, role, community_id, county_id, action, source,"
        " by_user, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        [*key, action, source, by, at],
    )


def delete_roles(
    db: sqlite_utils.Database,
    user_id: int,
    role: str | None,
    at: str,
    source: str,
    by: int | None,
    only_source: str | None = None,
    keep_community: int | None = None,
) -> list[RoleKey]:
    """Remove a user's roles (one role, or all with None) and record each revoke.

    `only_source` limits it to roles of that source ('env'); `keep_community` keeps that one.
    """
    sql = "SELECT user_id, role, community_id, county_id FROM roles WHERE user_id = ?"
    params: list[Any] = [user_id]
    if role is not None:
        sql, params = sql + " AND role = ?", [*params, role]
    if only_source is not None:
        sql, params = sql + " AND source = ?", [*params, only_source]
    gone: list[RoleKey] = []
    for key in db.conn.execute(sql, params).fetchall():
        if keep_community is not None and key[2] == keep_community:
            continue
        db.conn.execute(f"DELETE FROM roles WHERE {_SAME_ROLE}", list(key))
        if key[1] == "street":  # the streets of that county it gave (street_roles)
            db.conn.execute(_DROP_STREETS, [user_id, key[3]])
        _event(db, key, "revoke", source, by, at)
        gone.append(key)
    return gone


_DROP_STREETS = (
    "DELETE FROM street_roles WHERE user_id = ?"
    " AND street_id IN (SELECT id FROM streets WHERE county_id = ?)"
)


def env_admin_ids(db: sqlite_utils.Database) -> list[int]:
    """Users whose admin role comes from GREENCHECK_ADMINS."""
    sql = "SELECT user_id FROM roles WHERE role = 'admin' AND source = 'env' ORDER BY 1"
    return [int(uid) for (uid,) in db.conn.execute(sql)]


def all_roles(db: sqlite_utils.Database) -> list[tuple[Any, ...]]:
    """Every role: (user_id, name, username, role, community_id, county_id, source, granted_at)."""
    return db.conn.execute(
        "SELECT r.user_id, u.name, u.username, r.role, r.community_id, r.county_id, r.source,"
        " r.granted_at FROM roles r LEFT JOIN users u ON u.id = r.user_id"
        " ORDER BY r.user_id, r.role, r.community_id, r.county_id"
    ).fetchall()


def role_events(db: sqlite_utils.Database, limit: int = 1000) -> list[tuple[Any, ...]]:
    """The newest grants and revokes, oldest first: (at, action, user_id, role, community_id,
    county_id, source, by_user)."""
    rows = db.conn.execute(
        "SELECT at, action, user_id, role, community_id, county_id, source, by_user"
        " FROM role_events ORDER BY id DESC LIMIT ?",
        [limit],
    ).fetchall()
    return rows[::-1]


def user_by_username(db: sqlite_utils.Database, username: str) -> int | None:
    row = db.conn.execute(
        "SELECT id FROM users WHERE lower(username) = lower(?)", [username]
    ).fetchone()
    return int(row[0]) if row else None


def admin_count(db: sqlite_utils.Database) -> int:
    return int(db.conn.execute("SELECT count(*) FROM roles WHERE role = 'admin'").fetchone()[0])


def staff_ids(db: sqlite_utils.Database) -> list[int]:
    """Users with an admin, contact, street reviewer or expert role (they get their own
    command menu)."""
    sql = (
        "SELECT user_id FROM roles WHERE role IN ('admin', 'contact')"
        " UNION SELECT user_id FROM street_roles UNION SELECT user_id FROM expert_years ORDER BY 1"
    )
    return [int(uid) for (uid,) in db.conn.execute(sql)]


def street_name(db: sqlite_utils.Database, street_id: int) -> str:
    row = db.conn.execute("SELECT name FROM streets WHERE id = ?", [street_id]).fetchone()
    return str(row[0]) if row else ""


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
        "SELECT role, community_id, county_id, expires_at, used_by, created_by FROM invites"
        " WHERE code = ?",
        [code],
    ).fetchone()
    if row is None:
        return None
    keys = ("role", "community_id", "county_id", "expires_at", "used_by", "created_by")
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
