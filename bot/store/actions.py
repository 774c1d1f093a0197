"""The SQL of corrective actions (整改): actions, their events, the evidence that closes them.

The caller (bot.services.actions) owns the unit of work and passes every timestamp in.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Any, NamedTuple

import sqlite_utils


class ActionRow(NamedTuple):
    id: int
    community_id: int
    community: str
    county_id: int
    assessment_id: int
    question_id: str
    problem: str
    owner_id: int | None
    owner: str | None
    due: str
    status: str
    opened_at: str
    closed_at: str | None
    evidence_id: int | None
    evidence: str | None  # the closing file's name (or kind)
    lang: str | None  # the owner's language
    opened_by: int | None  # the reviewer who opened it (who confirms its close)


_SELECT = """
SELECT x.id, x.community_id, c.name, c.county_id, x.assessment_id, x.question_id, x.problem,
       x.owner_id, coalesce(u.name, u.username, CAST(x.owner_id AS TEXT)), x.due, x.status, x.opened_at, x.closed_at, x.evidence_id,
       coalesce(e.file_name, e.kind), u.lang, x.opened_by
FROM actions x JOIN communities c ON c.id = x.community_id
LEFT JOIN users u ON u.id = x.owner_id
LEFT JOIN evidence e ON e.id = x.evidence_id
"""


def get(db: sqlite_utils.Database, action_id: int) -> ActionRow | None:
    row = db.conn.execute(_SELECT + " WHERE x.id = ?", [action_id]).fetchone()
    return ActionRow(*row) if row else None


def listing(
    db: sqlite_utils.Database,
    *,
    owner: int | None = None,
    counties: Collection[int] | None = None,
    communities: Collection[int] | None = None,
    community: int | None = None,
) -> list[ActionRow]:
    """Actions, by due day: of an owner, in counties or communities (None: no limit)."""
    where, params = [], []
    if owner is not None:
        where.append("x.owner_id = ?")
        params.append(owner)
    if community is not None:
        where.append("x.community_id = ?")
        params.append(community)
    scope = []
    if counties is not None:
        scope.append(f"c.county_id IN ({','.join(str(int(i)) for i in counties) or 'NULL'})")
    if communities is not None:
        scope.append(f"x.community_id IN ({','.join(str(int(i)) for i in communities) or 'NULL'})")
    if scope:
        where.append("(" + " OR ".join(scope) + ")")
    sql = _SELECT + (" WHERE " + " AND ".join(where) if where else "") + " ORDER BY x.due, x.id"
    return [ActionRow(*r) for r in db.conn.execute(sql, params)]


def insert(db: sqlite_utils.Database, values: dict[str, Any]) -> int:
    cur = db.conn.execute(
        "INSERT INTO actions (community_id, assessment_id, question_id, problem, owner_id, due,"
        " status, opened_by, opened_at) VALUES (:community_id, :assessment_id, :question_id,"
        " :problem, :owner_id, :due, 'open', :opened_by, :opened_at)",
        values,
    )
    return int(cur.lastrowid or 0)


def set_state(
    db: sqlite_utils.Database, action_id: int, status: str, before: str, fields: dict[str, Any]
) -> bool:
    """Move an action from `before` to `status` (with `fields`); False when it was not there."""
    sets = ", ".join(f"{k} = :{k}" for k in fields)
    cur = db.conn.execute(
        f"UPDATE actions SET status = :status{', ' + sets if sets else ''}"
        " WHERE id = :id AND status = :before",
        {**fields, "status": status, "id": action_id, "before": before},
    )
    return cur.rowcount == 1


def event(
    db: sqlite_utils.Database,
    action_id: int,
    action: str,
    user_id: int | None,
    at: str,
    change: tuple[str | None, str | None] = (None, None),
    comment: str | None = None,
) -> None:
    db.conn.execute(
        "INSERT INTO action_events (action_id, action, user_id, at, before, after, comment)"
        " VALUES (?, ?, ?, ?, ?, ?, ?)",
        [action_id, action, user_id, at, change[0], change[1], comment],
    )


def events(db: sqlite_utils.Database, action_id: int) -> list[tuple[Any, ...]]:
    return list(
        db.conn.execute(
            "SELECT action, user_id, at, before, after, comment FROM action_events"
            " WHERE action_id = ? ORDER BY id",
            [action_id],
        )
    )


def evidence_since(db: sqlite_utils.Database, row: ActionRow) -> int | None:
    """The newest file of the action: attached to it, or to its item (any check of the
    community) since it opened."""
    found = db.conn.execute(
        "SELECT e.id FROM evidence e JOIN assessments a ON a.id = e.assessment_id"
        " WHERE e.action_id = ?1 OR (a.community_id = ?2 AND e.question_id = ?3"
        " AND e.created_at >= ?4 AND e.action_id IS NULL) ORDER BY e.id DESC LIMIT 1",
        [row.id, row.community_id, row.question_id, row.opened_at],
    ).fetchone()
    return int(found[0]) if found else None


def set_owner(db: sqlite_utils.Database, action_id: int, owner_id: int) -> None:
    db.conn.execute("UPDATE actions SET owner_id = ? WHERE id = ?", [owner_id, action_id])


def unassign(
    db: sqlite_utils.Database, owner_id: int, community_id: int
) -> list[tuple[int, int | None, str, str]]:
    """Take an owner off the community's unfinished actions: (id, opened by, item, community)."""
    rows = db.conn.execute(
        "UPDATE actions SET owner_id = NULL WHERE owner_id = ? AND community_id = ?"
        " AND status IN ('open', 'closing')"
        " RETURNING id, opened_by, question_id,"
        " (SELECT name FROM communities WHERE id = community_id)",
        [owner_id, community_id],
    ).fetchall()
    return [(int(i), by, str(q), str(c)) for i, by, q, c in rows]


def attach(db: sqlite_utils.Database, row: ActionRow, user_id: int, at: str,
           f: dict[str, Any]) -> bool:  # fmt: skip
    """Attach a file to the action (evidence of its item, kept apart from the check's answers);
    False when this file is attached already."""
    cur = db.conn.execute(
        "INSERT OR IGNORE INTO evidence (assessment_id, question_id, kind, file_id,"
        " file_unique_id, file_name, mime_type, file_size, chat_id, message_id, user_id,"
        " created_at, action_id) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
        [row.assessment_id, row.question_id, f["kind"], f["file_id"], f["file_unique_id"],
         f.get("file_name"), f.get("mime_type"), f.get("file_size"), f.get("chat_id"),
         f.get("message_id"), user_id, at, row.id],
    )  # fmt: skip
    return cur.rowcount > 0


def item_state(db: sqlite_utils.Database, aid: int, qid: str) -> tuple[Any, ...]:
    """(the worker's status, the verified status, the latest review comment) of an item."""
    row = db.conn.execute(
        "SELECT (SELECT status FROM answers WHERE assessment_id = ?1 AND question_id = ?2),"
        " (SELECT status FROM review_items WHERE assessment_id = ?1 AND question_id = ?2),"
        " (SELECT body FROM review_comments WHERE assessment_id = ?1 AND question_id = ?2"
        "  ORDER BY id DESC LIMIT 1)",
        [aid, qid],
    ).fetchone()
    return tuple(row)


def is_worker(db: sqlite_utils.Database, user_id: int, community_id: int) -> bool:
    row = db.conn.execute(
        "SELECT 1 FROM roles WHERE user_id = ? AND role = 'worker' AND community_id = ?",
        [user_id, community_id],
    ).fetchone()
    return row is not None


def workers(db: sqlite_utils.Database, community_id: int) -> list[int]:
    """The community's workers, longest-standing first."""
    return [
        int(r[0])
        for r in db.conn.execute(
            "SELECT user_id FROM roles WHERE role = 'worker' AND community_id = ?"
            " ORDER BY granted_at, user_id",
            [community_id],
        )
    ]


def worker_named(db: sqlite_utils.Database, community_id: int, token: str) -> int | None:
    """A worker of the community by @username (any case) or user id; None: no such worker."""
    row = db.conn.execute(
        "SELECT r.user_id FROM roles r JOIN users u ON u.id = r.user_id WHERE r.role = 'worker'"
        " AND r.community_id = ? AND (lower(u.username) = lower(?) OR CAST(u.id AS TEXT) = ?)",
        [community_id, token.removeprefix("@"), token],
    ).fetchone()
    return int(row[0]) if row else None
