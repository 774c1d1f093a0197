"""The notices outbox: written inside a transition's unit of work, claimed before sending.

The caller owns the unit of work and passes every timestamp in.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

import sqlite_utils

from bot.domain.notices import MAX_ATTEMPTS, Notice

_COLUMNS = (
    "n.id, n.kind, n.recipient, n.assessment_id, n.action_id, n.payload, ifnull(u.lang, 'zh'),"
    " n.status, n.error"
)


def _notice(row: Any) -> Notice:
    nid, kind, to, aid, action, payload, lang, status, error = row
    return Notice(int(nid), str(kind), int(to), aid, action, json.loads(payload), str(lang),
                  str(status), error)  # fmt: skip


def add(
    db: sqlite_utils.Database,
    kind: str,
    to: Iterable[int],
    target: tuple[int | None, int | None],
    payload: dict[str, Any],
    at: str,
) -> None:
    """One pending notice per recipient (each once) of `target` (check id, action id)."""
    body = json.dumps(payload, ensure_ascii=False)
    db.conn.executemany(
        "INSERT INTO notices (kind, recipient, assessment_id, action_id, payload, created_at)"
        " VALUES (?, ?, ?, ?, ?, ?)",
        [(kind, uid, *target, body, at) for uid in dict.fromkeys(to)],
    )


def claim(db: sqlite_utils.Database, at: str, limit: int) -> list[Notice]:
    """Take the oldest pending notices (and failed ones with attempts left) for sending."""
    rows = db.conn.execute(
        "UPDATE notices SET status = 'sending', attempts = attempts + 1, at = ?1 WHERE id IN"
        " (SELECT id FROM notices WHERE status = 'pending' OR (status = 'failed' AND"
        f" attempts < {MAX_ATTEMPTS}) ORDER BY id LIMIT ?2) RETURNING id",
        [at, limit],
    ).fetchall()
    return by_ids(db, [int(r[0]) for r in rows])


def by_ids(db: sqlite_utils.Database, ids: list[int]) -> list[Notice]:
    rows = db.conn.execute(
        f"SELECT {_COLUMNS} FROM notices n LEFT JOIN users u ON u.id = n.recipient"
        " WHERE n.id IN (SELECT value FROM json_each(?)) ORDER BY n.id",
        [json.dumps(ids)],
    )
    return [_notice(r) for r in rows]


def finish(db: sqlite_utils.Database, nid: int, status: str, error: str | None, at: str) -> None:
    db.conn.execute(
        "UPDATE notices SET status = ?, error = ?, at = ? WHERE id = ? AND status = 'sending'",
        [status, error, at, nid],
    )


def sweep(db: sqlite_utils.Database, before: str) -> int:
    """Notices left 'sending' by a crash: they may have left, so they are 'uncertain'."""
    return db.conn.execute(
        "UPDATE notices SET status = 'uncertain' WHERE status = 'sending' AND at < ?", [before]
    ).rowcount


def undelivered(db: sqlite_utils.Database) -> list[Notice]:
    """Notices that did not surely arrive: uncertain, unreachable, or failed for good."""
    rows = db.conn.execute(
        f"SELECT {_COLUMNS} FROM notices n LEFT JOIN users u ON u.id = n.recipient"
        " WHERE n.status IN ('uncertain', 'unreachable')"
        f" OR (n.status = 'failed' AND n.attempts >= {MAX_ATTEMPTS}) ORDER BY n.id"
    )
    return [_notice(r) for r in rows]


def take_resend(db: sqlite_utils.Database, nid: int, at: str) -> Notice | None:
    """An admin resends one that did not surely arrive: claimed again (None: taken already)."""
    cur = db.conn.execute(
        "UPDATE notices SET status = 'sending', attempts = attempts + 1, at = ? WHERE id = ?"
        " AND status IN ('uncertain', 'unreachable', 'failed')",
        [at, nid],
    )
    return by_ids(db, [nid])[0] if cur.rowcount else None
