"""All SQL of 公示 periods and objections (异议). The caller owns the unit of work and passes
every timestamp in; days are local ISO dates (`YYYY-MM-DD`)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import sqlite_utils

from bot.domain.publicity import Objection, Period

_PERIOD = """
SELECT p.id, p.assessment_id, p.stage, p.start, p.end, p.days,
       (SELECT count(*) FROM objections o WHERE o.publicity_id = p.id AND o.outcome IS NULL)
FROM publicity p
"""

_OBJECTION = """
SELECT o.id, o.publicity_id, o.assessment_id, o.received_at, ifnull(u.name, o.user_id),
       o.source, o.body, o.outcome, o.reason, o.resolved_at
FROM objections o LEFT JOIN users u ON u.id = o.user_id
"""


def _period(row: tuple[Any, ...]) -> Period:
    i, aid, stage, start, end, days, n = row
    first, last = dt.date.fromisoformat(start), dt.date.fromisoformat(end)
    return Period(int(i), int(aid), str(stage), first, last, int(days), int(n))


def _objection(row: tuple[Any, ...]) -> Objection:
    i, pid, aid, at, by, *rest = row
    return Objection(int(i), int(pid), int(aid), str(at), None if by is None else str(by), *rest)


def start(
    db: sqlite_utils.Database,
    aid: int,
    stage: str,
    days: tuple[dt.date, dt.date, int],
    user_id: int,
    at: str,
) -> int:
    first, last, n = days
    cur = db.conn.execute(
        "INSERT INTO publicity (assessment_id, stage, start, end, days, user_id, at)"
        " VALUES (?,?,?,?,?,?,?)",
        [aid, stage, first.isoformat(), last.isoformat(), n, user_id, at],
    )
    return int(cur.lastrowid or 0)


def current(db: sqlite_utils.Database, aid: int) -> Period | None:
    """A check's latest 公示 period (None: never publicised)."""
    row = db.conn.execute(_PERIOD + " WHERE p.assessment_id = ? ORDER BY p.id DESC LIMIT 1", [aid])
    found = row.fetchone()
    return _period(found) if found else None


def latest_of_community(db: sqlite_utils.Database, community_id: int) -> Period | None:
    """The latest 公示 period of any check of a community."""
    row = db.conn.execute(
        _PERIOD + " JOIN assessments a ON a.id = p.assessment_id WHERE a.community_id = ?"
        " ORDER BY p.id DESC LIMIT 1",
        [community_id],
    ).fetchone()
    return _period(row) if row else None


def periods(db: sqlite_utils.Database, aids: list[int]) -> dict[int, Period]:
    """The latest period of each of these checks that has one."""
    marks = ",".join(str(int(a)) for a in aids) or "NULL"
    rows = db.conn.execute(
        _PERIOD + f" WHERE p.id IN (SELECT max(id) FROM publicity WHERE assessment_id IN ({marks})"
        " GROUP BY assessment_id)"
    )
    return {p.assessment_id: p for p in map(_period, rows)}


def objections(db: sqlite_utils.Database, publicity_id: int) -> list[Objection]:
    rows = db.conn.execute(_OBJECTION + " WHERE o.publicity_id = ? ORDER BY o.id", [publicity_id])
    return [_objection(r) for r in rows]


def objection(db: sqlite_utils.Database, objection_id: int) -> Objection | None:
    row = db.conn.execute(_OBJECTION + " WHERE o.id = ?", [objection_id]).fetchone()
    return _objection(row) if row else None


def add_objection(
    db: sqlite_utils.Database, period: Period, said: tuple[str, str], user_id: int, at: str
) -> int:
    source, body = said
    cur = db.conn.execute(
        "INSERT INTO objections (publicity_id, assessment_id, received_at, user_id, source, body)"
        " VALUES (?,?,?,?,?,?)",
        [period.id, period.assessment_id, at, user_id, source, body],
    )
    return int(cur.lastrowid or 0)


def resolve(
    db: sqlite_utils.Database, objection_id: int, outcome: str, reason: str, by: int, at: str
) -> bool:
    """Close an open objection; False when it was resolved meanwhile."""
    cur = db.conn.execute(
        "UPDATE objections SET outcome = ?, reason = ?, resolved_by = ?, resolved_at = ?"
        " WHERE id = ? AND outcome IS NULL",
        [outcome, reason, by, at, objection_id],
    )
    return cur.rowcount == 1
