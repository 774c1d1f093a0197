"""The SQL of what changed on a check since a moment (its send-back): the answer history (kept by
trigger, bot.store.schema) and the evidence rows and their events."""

from __future__ import annotations

import sqlite_utils

from bot.domain.outcome import Then


def touched(db: sqlite_utils.Database, aid: int, since: str) -> frozenset[str]:
    """Items whose answer or note was written after `since`."""
    rows = db.conn.execute(
        "SELECT DISTINCT question_id FROM answer_history WHERE assessment_id = ? AND at > ?",
        [aid, since],
    )
    return frozenset(str(r[0]) for r in rows)


def answers_at(db: sqlite_utils.Database, aid: int, since: str) -> dict[str, Then]:
    """Each item written after `since`, as it stood then: its last history row at or before
    `since` (absent: it had no row yet)."""
    rows = db.conn.execute(
        "SELECT h.question_id, h.status, h.points, h.deductions, h.note FROM answer_history h"
        " WHERE h.id IN (SELECT max(x.id) FROM answer_history x WHERE x.assessment_id = ?1"
        "  AND x.at <= ?2 AND x.question_id IN (SELECT question_id FROM answer_history"
        "  WHERE assessment_id = ?1 AND at > ?2) GROUP BY x.question_id)",
        [aid, since],
    )
    return {str(q): (s, p, d, n) for q, s, p, d, n in rows}


def files_touched(db: sqlite_utils.Database, aid: int, since: str) -> frozenset[str]:
    """Items a file of the check's answers was added to, removed from or moved to or from
    after `since` (a corrective action's files are not the answers')."""
    rows = db.conn.execute(
        "SELECT question_id FROM evidence WHERE assessment_id = ?1 AND action_id IS NULL"
        " AND created_at > ?2"
        " UNION SELECT before FROM evidence_events WHERE assessment_id = ?1 AND at > ?2"
        " UNION SELECT question_id FROM evidence_events WHERE assessment_id = ?1 AND at > ?2",
        [aid, since],
    )
    return frozenset(str(r[0]) for r in rows if r[0] is not None)
