"""The SQL of years: carried drafts (上年), admins' year targets, withdrawn recognitions.

The caller (bot.services) owns the unit of work and passes every timestamp in.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

import sqlite_utils

from bot.domain.workflow import SUBMITTED

_CARRY = """
INSERT OR IGNORE INTO carried (assessment_id, question_id, status, points, deductions, note,
    from_assessment)
SELECT ?1, question_id, status, points, deductions, note, assessment_id FROM answers
WHERE assessment_id = ?2 AND status IS NOT NULL
"""


def carry(db: sqlite_utils.Database, into: int, source: int) -> int:
    """Copy `source`'s answered items into `into`'s draft; the number carried."""
    return db.conn.execute(_CARRY, [into, source]).rowcount


def carried(db: sqlite_utils.Database, aid: int) -> dict[str, tuple[Any, ...]]:
    """{question id: (status, points, deductions, note)} of a check's draft from last year."""
    rows = db.conn.execute(
        "SELECT question_id, status, points, deductions, note FROM carried WHERE assessment_id = ?",
        [aid],
    )
    return {str(r[0]): tuple(r[1:]) for r in rows}


def carried_one(db: sqlite_utils.Database, aid: int, qid: str) -> tuple[Any, ...] | None:
    """(status, points, deductions, note) carried into one item, or None."""
    row = db.conn.execute(
        "SELECT status, points, deductions, note FROM carried"
        " WHERE assessment_id = ? AND question_id = ?",
        [aid, qid],
    ).fetchone()
    return tuple(row) if row else None


def cycles(db: sqlite_utils.Database, community_id: int, standard: str) -> list[tuple[Any, ...]]:
    """(id, cycle, kind, status) of every check of a community, newest first."""
    return list(
        db.conn.execute(
            "SELECT id, cycle, kind, status FROM assessments WHERE community_id = ?"
            " AND standard_id = ? ORDER BY ifnull(cycle, 0) DESC",
            [community_id, standard],
        )
    )


def in_cycle(db: sqlite_utils.Database, community_id: int, standard: str, year: int) -> int | None:
    row = db.conn.execute(
        "SELECT id FROM assessments WHERE community_id = ? AND standard_id = ? AND cycle = ?",
        [community_id, standard, year],
    ).fetchone()
    return int(row[0]) if row else None


def kind(db: sqlite_utils.Database, aid: int) -> str | None:
    row = db.conn.execute("SELECT kind FROM assessments WHERE id = ?", [aid]).fetchone()
    return str(row[0]) if row else None


def set_kind(db: sqlite_utils.Database, aid: int, value: str) -> None:
    db.conn.execute("UPDATE assessments SET kind = ? WHERE id = ?", [value, aid])


# -- targets -------------------------------------------------------------------------------------


def year_targets(db: sqlite_utils.Database, program_id: str) -> list[tuple[int, float, str]]:
    """(year, pct, set by) of every target admins set for the program."""
    return [
        (int(y), float(p), str(b))
        for y, p, b in db.conn.execute(
            "SELECT year, pct, set_by FROM year_targets WHERE program_id = ? ORDER BY year",
            [program_id],
        )
    ]


def set_target(
    db: sqlite_utils.Database, program_id: str, year: int, pct: float, by: str, at: str
) -> float | None:
    """Set a year's target (and record the change); return the one it replaced."""
    row = db.conn.execute(
        "SELECT pct FROM year_targets WHERE program_id = ? AND year = ?", [program_id, year]
    ).fetchone()
    db.conn.execute(
        "INSERT OR REPLACE INTO year_targets (program_id, year, pct, set_by, set_at)"
        " VALUES (?, ?, ?, ?, ?)",
        [program_id, year, pct, by, at],
    )
    before = float(row[0]) if row else None
    db.conn.execute(
        "INSERT INTO target_events (program_id, year, before, after, set_by, at)"
        " VALUES (?, ?, ?, ?, ?, ?)",
        [program_id, year, before, pct, by, at],
    )
    return before


def target_events(db: sqlite_utils.Database, program_id: str) -> list[tuple[Any, ...]]:
    return list(
        db.conn.execute(
            "SELECT year, before, after, set_by, at FROM target_events WHERE program_id = ?"
            " ORDER BY id",
            [program_id],
        )
    )


def set_planned(db: sqlite_utils.Database, community_id: int, year: int) -> None:
    db.conn.execute("UPDATE communities SET planned_year = ? WHERE id = ?", [year, community_id])


# -- recognition ---------------------------------------------------------------------------------


def verdicts(
    db: sqlite_utils.Database, standard: str, kinds: tuple[str, ...] | None = None
) -> list[tuple[int, int, str]]:
    """(community id, check id, at) of every verdict of the standard (of `kinds` only)."""
    rows = db.conn.execute(
        "SELECT community_id, assessment_id, kind, at FROM verdicts WHERE standard_id = ?"
        " ORDER BY at, id",
        [standard],
    )
    return [(int(c), int(a), str(at)) for c, a, k, at in rows if kinds is None or k in kinds]


def counties(db: sqlite_utils.Database, community_ids: Collection[int]) -> dict[int, int]:
    """{community id: county id}."""
    marks = ",".join(str(int(c)) for c in community_ids)
    rows = db.conn.execute(f"SELECT id, county_id FROM communities WHERE id IN ({marks})")
    return {int(c): int(co) for c, co in rows}


def activity_by(db: sqlite_utils.Database, standard: str, end: str) -> dict[int, tuple[int, int]]:
    """{county id: (communities started, communities with a submitted check)} by `end` (ISO
    UTC text), each community once whatever its number of cycles."""
    rows = db.conn.execute(
        "SELECT c.county_id,"
        " count(DISTINCT CASE WHEN a.answered > 0 AND a.created_at <= :end"
        "  THEN a.community_id END),"
        f" count(DISTINCT CASE WHEN a.status = '{SUBMITTED}' AND a.submitted_at <= :end"
        "  THEN a.community_id END)"
        " FROM assessments a JOIN communities c ON c.id = a.community_id"
        " WHERE a.standard_id = :standard GROUP BY c.county_id",
        {"end": end, "standard": standard},
    )
    return {int(co): (int(st), int(sub)) for co, st, sub in rows}


def withdrawals(db: sqlite_utils.Database) -> list[tuple[int, str, str]]:
    """(community id, at, reason) of every withdrawn recognition."""
    return [
        (int(c), str(at), str(r))
        for c, at, r in db.conn.execute(
            "SELECT community_id, at, reason FROM withdrawals ORDER BY id"
        )
    ]


def withdraw(
    db: sqlite_utils.Database,
    aid: int,
    cause: str,
    reason: str,
    uid: int,
    at: str,
) -> None:
    """Withdraw the recognition of a check's community (cause: admin | rereview_failed |
    reopened; `reason`: an admin's words, else '')."""
    db.conn.execute(
        "INSERT INTO withdrawals (community_id, assessment_id, reason, user_id, at, cause)"
        " SELECT community_id, id, ?, ?, ?, ? FROM assessments WHERE id = ?",
        [reason, uid, at, cause, aid],
    )
