"""All SQL of evidence files: download state, provenance, listings, history, the online backup."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

import sqlite_utils

from bot.store.db import transaction

_ROW = """
SELECT e.id, e.assessment_id, e.question_id, e.kind, e.file_id, e.file_name, e.mime_type,
       e.file_size, e.created_at, a.community_id, a.cycle, e.sha256, e.stored_at, e.attempts, e.chat_id, e.user_id
FROM evidence e JOIN assessments a ON a.id = e.assessment_id
"""
_ROW_KEYS = ("id", "aid", "qid", "kind", "file_id", "name", "mime", "size", "created_at",
             "community_id", "cycle", "sha256", "stored_at", "attempts", "chat_id", "user_id")  # fmt: skip

_STORED = """
UPDATE evidence SET sha256 = ?, file_size = ?, stored_at = ?, taken_at = ?, gps = ?, phash = ?,
    flags = ?, error = NULL WHERE id = ?
"""

_LIST = """
SELECT e.id, e.question_id, e.sha256, e.file_size, e.file_name, e.mime_type, e.kind,
       e.taken_at, e.gps, e.flags, e.stored_at, e.created_at, a.cycle, a.id, e.file_id,
       e.attempts
FROM evidence e JOIN assessments a ON a.id = e.assessment_id
JOIN communities c ON c.id = a.community_id
WHERE c.name = ? ORDER BY a.cycle, a.id, e.question_id, e.id
"""
_LIST_KEYS = ("id", "item", "sha256", "size", "name", "mime", "kind", "taken_at", "gps",
              "flags", "stored_at", "created_at", "cycle", "aid", "file_id", "attempts")  # fmt: skip


def evidence(db: sqlite_utils.Database, eid: int) -> dict[str, Any] | None:
    row = db.conn.execute(_ROW + " WHERE e.id = ?", [eid]).fetchone()
    return dict(zip(_ROW_KEYS, row, strict=True)) if row else None


def pending(db: sqlite_utils.Database, max_attempts: int, limit: int) -> list[dict[str, Any]]:
    """Files not in the store yet and not given up, oldest first."""
    rows = db.conn.execute(
        _ROW + " WHERE e.stored_at IS NULL AND e.attempts < ? ORDER BY e.id LIMIT ?",
        [max_attempts, limit],
    ).fetchall()
    return [dict(zip(_ROW_KEYS, r, strict=True)) for r in rows]


def count_attempt(db: sqlite_utils.Database, eid: int, max_attempts: int) -> bool:
    """Count one attempt of a pending file; False when it is stored or out of attempts."""
    with transaction(db):
        cur = db.conn.execute(
            "UPDATE evidence SET attempts = attempts + 1"
            " WHERE id = ? AND stored_at IS NULL AND attempts < ?",
            [eid, max_attempts],
        )
    return cur.rowcount > 0


def given_up(db: sqlite_utils.Database, max_attempts: int) -> list[dict[str, Any]]:
    """Files no longer tried: community, item, name, attempts, error (oldest first)."""
    rows = db.conn.execute(
        "SELECT c.name, e.question_id, coalesce(e.file_name, e.kind), e.attempts, e.error"
        " FROM evidence e JOIN assessments a ON a.id = e.assessment_id"
        " JOIN communities c ON c.id = a.community_id"
        " WHERE e.stored_at IS NULL AND e.attempts >= ? ORDER BY e.id",
        [max_attempts],
    ).fetchall()
    keys = ("community", "item", "name", "attempts", "error")
    return [dict(zip(keys, r, strict=True)) for r in rows]


def record_stored(db: sqlite_utils.Database, eid: int, at: str, **v: Any) -> None:
    with transaction(db):
        db.conn.execute(
            _STORED,
            [v["sha256"], v["size"], at, v.get("taken_at"), v.get("gps"), v.get("phash"),
             v.get("flags"), eid],
        )  # fmt: skip


def record_failure(
    db: sqlite_utils.Database, eid: int, error: str, attempts: int | None = None
) -> None:
    """Why the last attempt failed; `attempts`: set the count (to stop the retries)."""
    with transaction(db):
        db.conn.execute(
            "UPDATE evidence SET error = ?, attempts = coalesce(?, attempts) WHERE id = ?",
            [error, attempts, eid],
        )


def others(db: sqlite_utils.Database, eid: int) -> list[dict[str, Any]]:
    """Every other stored file with its sha256 and perceptual hash (for provenance)."""
    rows = db.conn.execute(
        "SELECT e.id, e.assessment_id, e.question_id, a.community_id, a.cycle, e.sha256, e.phash"
        " FROM evidence e JOIN assessments a ON a.id = e.assessment_id"
        " WHERE e.id != ? AND e.sha256 IS NOT NULL",
        [eid],
    ).fetchall()
    keys = ("id", "aid", "qid", "community_id", "cycle", "sha256", "phash")
    return [dict(zip(keys, r, strict=True)) for r in rows]


def listing(db: sqlite_utils.Database, community: str) -> list[dict[str, Any]]:
    rows = db.conn.execute(_LIST, [community]).fetchall()
    return [dict(zip(_LIST_KEYS, r, strict=True)) for r in rows]


def item_files(db: sqlite_utils.Database, aid: int, qid: str) -> list[dict[str, Any]]:
    rows = db.conn.execute(
        "SELECT e.id, e.question_id, e.sha256, e.file_size, e.file_name, e.mime_type, e.kind,"
        " e.taken_at, e.gps, e.flags, e.stored_at, e.created_at, a.cycle, a.id, e.file_id,"
        " e.attempts FROM evidence e JOIN assessments a ON a.id = e.assessment_id"
        " WHERE e.assessment_id = ? AND e.question_id = ? ORDER BY e.id",
        [aid, qid],
    ).fetchall()
    return [dict(zip(_LIST_KEYS, r, strict=True)) for r in rows]


def remove(db: sqlite_utils.Database, eid: int, user_id: int, at: str) -> bool:
    """Delete one file row and record it in evidence_events (one transaction)."""
    with transaction(db):
        row = db.conn.execute(
            "SELECT assessment_id, question_id FROM evidence WHERE id = ?", [eid]
        ).fetchone()
        if row is None:
            return False
        db.conn.execute(
            "INSERT INTO evidence_events (evidence_id, assessment_id, action, question_id,"
            " before, user_id, at) VALUES (?, ?, 'remove', NULL, ?, ?, ?)",
            [eid, row[0], row[1], user_id, at],
        )
        db.conn.execute("DELETE FROM evidence WHERE id = ?", [eid])
    return True


def move(db: sqlite_utils.Database, eid: int, qid: str, user_id: int, at: str) -> bool:
    """Move one file to another item of its check, recorded in evidence_events."""
    with transaction(db):
        row = db.conn.execute(
            "SELECT assessment_id, question_id FROM evidence WHERE id = ?", [eid]
        ).fetchone()
        if row is None or row[1] == qid:
            return False
        db.conn.execute("UPDATE evidence SET question_id = ? WHERE id = ?", [qid, eid])
        db.conn.execute(
            "INSERT INTO evidence_events (evidence_id, assessment_id, action, question_id,"
            " before, user_id, at) VALUES (?, ?, 'move', ?, ?, ?, ?)",
            [eid, row[0], qid, row[1], user_id, at],
        )
    return True


def snapshot(db: sqlite_utils.Database, dest: Path) -> None:
    """A consistent copy of the live database (SQLite's online backup API), safe while it runs,
    then compacted: no free pages (zeroed by secure_delete), so an archive holds no long run of
    zeros a ZIP-bomb check would take for one (bot/services/backup.py)."""
    target = sqlite3.connect(dest, isolation_level=None)
    try:
        db.conn.backup(target)
        target.execute("VACUUM")
    finally:
        target.close()


def counts(path: Path) -> dict[str, int]:
    """Rows of answers and evidence in a database file (to report a restore)."""
    conn = sqlite3.connect(path)
    try:
        return {
            t: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
            for t in ("answers", "evidence")
        }
    finally:
        conn.close()


def counts_of(db: sqlite_utils.Database) -> dict[str, int]:
    return {
        t: db.conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
        for t in ("answers", "evidence")
    }


def find(db: sqlite_utils.Database, aid: int, qid: str, file_unique_id: str) -> int | None:
    row = db.conn.execute(
        "SELECT id FROM evidence WHERE assessment_id = ? AND question_id = ? AND file_unique_id = ?",
        [aid, qid, file_unique_id],
    ).fetchone()
    return int(row[0]) if row else None


def told_no_exif(db: sqlite_utils.Database, user_id: int, eid: int) -> bool:
    """Whether an earlier file of this user was already flagged no_exif (the tip is said once)."""
    row = db.conn.execute(
        "SELECT 1 FROM evidence WHERE user_id = ? AND id < ? AND flags LIKE '%no_exif%' LIMIT 1",
        [user_id, eid],
    ).fetchone()
    return row is not None


def flagged(db: sqlite_utils.Database, community_id: int) -> list[tuple[str, str, str, str]]:
    """(question id, file name, kind, flags JSON) of a community's flagged files, newest check."""
    return db.conn.execute(
        "SELECT e.question_id, ifnull(e.file_name, ''), e.kind, e.flags FROM evidence e"
        " JOIN assessments a ON a.id = e.assessment_id WHERE a.community_id = ?"
        " AND e.flags IS NOT NULL AND e.flags != '[]' AND a.id = (SELECT max(id) FROM"
        " assessments WHERE community_id = ?) ORDER BY e.question_id, e.id",
        [community_id, community_id],
    ).fetchall()


_PACK = """
SELECT x.question_id, x.status, x.note, e.file_name, e.kind, e.mime_type, e.file_size,
       e.sha256, e.taken_at, e.flags, e.id
FROM answers x LEFT JOIN evidence e
  ON e.assessment_id = x.assessment_id AND e.question_id = x.question_id
WHERE x.assessment_id = ?1
UNION ALL
SELECT e.question_id, NULL, NULL, e.file_name, e.kind, e.mime_type, e.file_size, e.sha256,
       e.taken_at, e.flags, e.id
FROM evidence e WHERE e.assessment_id = ?1 AND NOT EXISTS
  (SELECT 1 FROM answers x WHERE x.assessment_id = ?1 AND x.question_id = e.question_id)
"""
_PACK_KEYS = ("item", "answer", "note", "name", "kind", "mime", "size", "sha256", "taken_at",
              "flags", "id")  # fmt: skip


def pack_rows(db: sqlite_utils.Database, community_id: int) -> list[dict[str, Any]]:
    """Answers and files of the community's latest check (unsorted)."""
    row = db.conn.execute(
        "SELECT max(id) FROM assessments WHERE community_id = ?", [community_id]
    ).fetchone()
    if row is None or row[0] is None:
        return []
    rows = db.conn.execute(_PACK, [row[0]]).fetchall()
    return [dict(zip(_PACK_KEYS, r, strict=True)) for r in rows]


def community_id(db: sqlite_utils.Database, name: str) -> int | None:
    row = db.conn.execute("SELECT id FROM communities WHERE name = ?", [name]).fetchone()
    return int(row[0]) if row else None


def latest_card(db: sqlite_utils.Database, chat_id: int, aid: int) -> tuple[int, str] | None:
    """(message id, question id) of the newest card of a check in a chat."""
    row = db.conn.execute(
        "SELECT message_id, question_id FROM cards WHERE chat_id = ? AND assessment_id = ?"
        " ORDER BY message_id DESC LIMIT 1",
        [chat_id, aid],
    ).fetchone()
    return (int(row[0]), str(row[1])) if row else None


def chat_card(db: sqlite_utils.Database, chat_id: int) -> tuple[int, str] | None:
    """(check id, question id) of the newest card in a chat: the item the worker looks at."""
    row = db.conn.execute(
        "SELECT assessment_id, question_id FROM cards WHERE chat_id = ?"
        " ORDER BY message_id DESC LIMIT 1",
        [chat_id],
    ).fetchone()
    return (int(row[0]), str(row[1])) if row else None
