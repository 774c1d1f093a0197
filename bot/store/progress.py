"""Read models for status reports: the county table, a county's communities, the communities not
started, one community's answers and history, and the rows of the official exports.

Every function takes plain values (ids, the standard, the year, the id sets a caller may see:
`None` means every row) and returns tuples; bot/services/reports.py turns them into rows.

The county table reads the roster counts with one GROUP BY over a covering index on
`communities` and the check counts from `county_progress`, a per-county summary that triggers keep
current (`PROGRESS_SUMMARY_SQL`, installed by migration 3). `use_summary=False` computes them with
one GROUP BY over communities joined to assessments: exact but slower on a national roster.
"""

from __future__ import annotations

import json
from collections.abc import Collection, Iterator
from typing import Any

import sqlite_utils

from bot.domain.workflow import SUBMITTED

# -- the county table ---------------------------------------------------------------------------

# One statement: counties, the roster counts (one GROUP BY over the covering index
# idx_communities_county_cover) and the check counts, from county_progress or, with
# use_summary=False, from one GROUP BY over communities joined to assessments. Which communities
# count as done (达标) is not here: bot.services.reports takes it from their verdicts.
_STATUS_SQL = """
SELECT co.id, co.name, ifnull(r.n, 0), ifnull(r.livable, 0), ifnull(r.green, 0),
       ifnull(r.planned, 0), ifnull(p.started, 0), ifnull(p.submitted, 0), ifnull(w.n, 0)
FROM counties co
LEFT JOIN (
    SELECT county_id, count(*) AS n, sum(former_livable) AS livable,
           sum(former_green) AS green, sum(planned_year = :year) AS planned
    FROM communities {roster_where} GROUP BY county_id
) r ON r.county_id = co.id
LEFT JOIN {progress} p ON p.county_id = co.id AND p.standard_id = :standard
LEFT JOIN ({awaiting}) w ON w.county_id = co.id
{where}
ORDER BY co.id
"""
_PROGRESS_JOINED = """(
    SELECT c.county_id, a.standard_id, sum(ifnull(a.answered, 0) > 0) AS started,
           sum(a.status IS '{submitted}') AS submitted
    FROM communities c JOIN assessments a ON a.community_id = c.id AND a.standard_id = :standard
    {where} GROUP BY c.county_id
)""".replace("{submitted}", SUBMITTED)


def _in(column: str, ids: Collection[int] | None) -> str:
    if ids is None:
        return ""
    return f"WHERE {column} IN ({','.join(str(int(i)) for i in sorted(ids))})"


def county_counts(
    db: sqlite_utils.Database,
    standard: str,
    year: int,
    counties: Collection[int] | None,
    done: Collection[int],
    use_summary: bool = True,
) -> list[tuple[Any, ...]]:
    """(id, name, communities, formerly livable, formerly green, planned, started, submitted,
    awaiting) per county in `counties` (None: all), in roster order; `done`: the communities
    done, whom awaiting leaves out."""
    progress = (
        "county_progress"
        if use_summary
        else _PROGRESS_JOINED.format(where=_in("c.county_id", counties))
    )
    sql = _STATUS_SQL.format(
        roster_where=_in("county_id", counties),
        progress=progress,
        awaiting=_AWAITING_SQL,
        where=_in("co.id", counties),
    )
    params = {"year": year, "standard": standard, "end": None, "done": json.dumps(sorted(done))}
    return list(db.conn.execute(sql, params))


# Communities whose own result passes in a check submitted by `end` (None: any time), leaving out
# the ones done (their ids, as JSON): what waits for a reviewer's verdict (自评达标，待审核).
_AWAITING_SQL = f"""
SELECT c.county_id, count(DISTINCT a.community_id) AS n FROM assessments a
JOIN communities c ON c.id = a.community_id
WHERE a.standard_id = :standard AND a.status = '{SUBMITTED}' AND a.passed = 1
  AND (:end IS NULL OR a.submitted_at <= :end)
  AND a.community_id NOT IN (SELECT value FROM json_each(:done))
GROUP BY c.county_id
"""


def awaiting_by_county(
    db: sqlite_utils.Database, standard: str, end: str, done: Collection[int]
) -> dict[int, int]:
    """{county id: communities passing by their own result, submitted by `end`, not done}."""
    params = {"standard": standard, "end": end, "done": json.dumps(sorted(done))}
    return {int(co): int(n) for co, n in db.conn.execute(_AWAITING_SQL, params)}


# -- one county's communities -------------------------------------------------------------------

_COMMUNITY_SQL = """
SELECT c.id, c.name, c.county_id, s.name, a.id, a.status, a.answered, a.total, a.score,
       a.gap_count, a.passed, a.updated_at,
       (SELECT count(*) FROM answers q WHERE q.assessment_id = a.id AND q.status = 'met'),
       ifnull((SELECT max(v.at) FROM verdicts v WHERE v.community_id = c.id
               AND v.standard_id = ?1), '') >
       ifnull((SELECT max(w.at) FROM withdrawals w WHERE w.community_id = c.id), '')
FROM communities c
LEFT JOIN streets s ON s.id = c.street_id
LEFT JOIN assessments a ON a.community_id = c.id AND a.standard_id = ?1
WHERE c.county_id = ?2 {extra}
ORDER BY c.street_id IS NULL, c.street_id, c.id
"""


def community_progress(
    db: sqlite_utils.Database, standard: str, county_id: int, only: Collection[int] | None
) -> list[tuple[Any, ...]]:
    """One county's communities (or those of them in `only`) with their check's cached summary:
    (id, name, county, street, check id, status, answered, total, score, gaps, its own result
    passes, updated, met answers, done now: a verdict later than any withdrawal)."""
    extra, params = "", []
    if only is not None:
        params = sorted(only)
        extra = f"AND c.id IN ({','.join('?' * len(params))})"
    sql = _COMMUNITY_SQL.format(extra=extra)
    return list(db.conn.execute(sql, [standard, county_id, *params]))


# -- communities not started -----------------------------------------------------------------

_MISSING_SQL = """
SELECT c.id, c.name, c.county_id, co.name, s.name, a.id
FROM communities c JOIN counties co ON co.id = c.county_id
LEFT JOIN streets s ON s.id = c.street_id
LEFT JOIN assessments a ON a.community_id = c.id {std}
WHERE ifnull(a.answered, 0) = 0 {where}
ORDER BY co.id, c.street_id IS NULL, c.street_id, c.id
"""
_BEST_CHECK = (
    "AND a.id = (SELECT b.id FROM assessments b WHERE b.community_id = c.id"
    " ORDER BY b.answered DESC LIMIT 1)"
)


def _scope(counties: Collection[int] | None, communities: Collection[int]) -> tuple[str, list[int]]:
    """A condition limiting `c` to the counties (None: all) or the communities given."""
    if counties is None:
        return "", []
    ors, params = [], []
    if counties:
        ors.append(f"c.county_id IN ({','.join('?' * len(counties))})")
        params += sorted(counties)
    if communities:
        ors.append(f"c.id IN ({','.join('?' * len(communities))})")
        params += sorted(communities)
    return "(" + (" OR ".join(ors) or "0") + ")", params


def not_started(
    db: sqlite_utils.Database,
    standard: str | None,
    county_id: int | None,
    counties: Collection[int] | None,
    communities: Collection[int] = (),
) -> list[tuple[Any, ...]]:
    """Communities without an answer: (id, name, county id, county, street, check id or None).

    With a standard only its check counts; without, the community's best check does. Limited to
    the `counties` (None: all) or the `communities` given."""
    params: list[Any] = [standard] if standard is not None else []
    std = "AND a.standard_id = ?" if standard is not None else _BEST_CHECK
    conds: list[str] = []
    if county_id is not None:
        conds.append("c.county_id = ?")
        params.append(county_id)
    scope, more = _scope(counties, communities)
    if scope:
        conds.append(scope)
        params += more
    where = "".join(f" AND {c}" for c in conds)
    return list(db.conn.execute(_MISSING_SQL.format(std=std, where=where), params))


def county_name(db: sqlite_utils.Database, county_id: int) -> str | None:
    row = db.conn.execute("SELECT name FROM counties WHERE id = ?", [county_id]).fetchone()
    return str(row[0]) if row else None


def county_holds_any(
    db: sqlite_utils.Database, county_id: int, communities: Collection[int]
) -> bool:
    """Whether one of `communities` lies in the county."""
    mine = sorted(communities)
    if not mine:
        return False
    row = db.conn.execute(
        f"SELECT 1 FROM communities WHERE county_id = ? AND id IN ({','.join('?' * len(mine))})"
        " LIMIT 1",
        [county_id, *mine],
    ).fetchone()
    return row is not None


# -- one community in detail -----------------------------------------------------------------


def community_place(db: sqlite_utils.Database, community_id: int) -> tuple[Any, ...] | None:
    """(id, name, county id, county, street, address) of a community, None if unknown."""
    row = db.conn.execute(
        "SELECT c.id, c.name, c.county_id, co.name, s.name, c.address FROM communities c"
        " JOIN counties co ON co.id = c.county_id LEFT JOIN streets s ON s.id = c.street_id"
        " WHERE c.id = ?",
        [community_id],
    ).fetchone()
    return tuple(row) if row else None


def check_updated_at(db: sqlite_utils.Database, assessment_id: int) -> str | None:
    row = db.conn.execute(
        "SELECT updated_at FROM assessments WHERE id = ?", [assessment_id]
    ).fetchone()
    return row[0] if row else None


def answer_authors(db: sqlite_utils.Database, assessment_id: int) -> list[tuple[Any, ...]]:
    """(question, deductions, user id, at, user name, username) of each answer or note."""
    return list(
        db.conn.execute(
            "SELECT q.question_id, q.deductions, coalesce(q.user_id, q.note_by),"
            " coalesce(q.updated_at, q.note_at), u.name, u.username FROM answers q"
            " LEFT JOIN users u ON u.id = coalesce(q.user_id, q.note_by)"
            " WHERE q.assessment_id = ?",
            [assessment_id],
        )
    )


def answer_history(
    db: sqlite_utils.Database, assessment_id: int, limit: int
) -> list[tuple[Any, ...]]:
    """The newest `limit` answer records: (at, user id, name, username, question, status,
    points, note)."""
    return list(
        db.conn.execute(
            "SELECT h.at, h.user_id, u.name, u.username, h.question_id, h.status, h.points,"
            " h.note FROM answer_history h LEFT JOIN users u ON u.id = h.user_id"
            " WHERE h.assessment_id = ? ORDER BY h.id DESC LIMIT ?",
            [assessment_id, limit],
        )
    )


# -- the official exports ----------------------------------------------------------------------


def places(db: sqlite_utils.Database, community_ids: Collection[int]) -> dict[int, tuple[int, str]]:
    """{community id: (county id, name)}, in roster order."""
    rows = db.conn.execute(
        "SELECT id, county_id, name FROM communities WHERE id IN (SELECT value FROM json_each(?))"
        " ORDER BY county_id, id",
        [json.dumps(sorted(community_ids))],
    )
    return {int(c): (int(co), str(n)) for c, co, n in rows}


def planned_years(db: sqlite_utils.Database) -> list[int]:
    """The roster's planned years, ascending."""
    found = db.conn.execute(
        "SELECT DISTINCT planned_year FROM communities WHERE planned_year IS NOT NULL ORDER BY 1"
    ).fetchall()
    return [int(y[0]) for y in found]


# Every answer, check by check in roster order: the checks (a small sort), then each check's
# answers by primary key and its evidence counts by index, users from one read. No sort over
# millions of answer rows, so rows stream from the first check on.
_CHECKS_SQL = """
SELECT a.id, a.standard_id, co.name, s.name, c.name, a.cycle
FROM communities c
JOIN counties co ON co.id = c.county_id
LEFT JOIN streets s ON s.id = c.street_id
JOIN assessments a ON a.community_id = c.id
{where}
ORDER BY co.id, c.street_id IS NULL, c.street_id, c.id, a.id
"""
_CHECK_ANSWERS_SQL = (
    "SELECT question_id, status, points, deductions, note, coalesce(user_id, note_by),"
    " coalesce(updated_at, note_at) FROM answers WHERE assessment_id = ?"
)
_CHECK_VERIFIED_SQL = (  # the review chain's verified answers
    "SELECT question_id, status, points, stage FROM review_items WHERE assessment_id = ?"
)
_CHECK_EVIDENCE_SQL = (
    "SELECT question_id, count(*) FROM evidence WHERE assessment_id = ? GROUP BY question_id"
)


def every_answer(
    db: sqlite_utils.Database,
    counties: Collection[int] | None,
    communities: Collection[int] = (),
    standard: str | None = None,
    year: int | None = None,
) -> Iterator[tuple[Any, ...]]:
    """Stream every stored answer in roster order: (check, standard, county, street, community,
    question, status, points, deductions, note, evidence, name, username, user id, at, verified
    status, verified points, the stage that verified it, the check's year); only the checks of
    `standard` unless it is None, of the year `year` (its cycle) unless it is None."""
    scope, ids = _scope(counties, communities)
    params: list[Any] = list(ids)
    conds = [scope] if scope else []
    if standard is not None:
        conds.append("a.standard_id = ?")
        params.append(standard)
    if year is not None:
        conds.append("a.cycle = ?")
        params.append(year)
    where = f"WHERE {' AND '.join(conds)}" if conds else ""
    users = {
        int(u): (n, un) for u, n, un in db.conn.execute("SELECT id, name, username FROM users")
    }
    none = (None, None)
    conn = db.conn
    for aid, sid, county, street, name, cycle in conn.execute(
        _CHECKS_SQL.format(where=where), params
    ):
        ev = dict(conn.execute(_CHECK_EVIDENCE_SQL, (aid,)).fetchall())
        verified = {q: (vs, vp, vg) for q, vs, vp, vg in conn.execute(_CHECK_VERIFIED_SQL, (aid,))}
        head = (aid, sid, county, street, name)
        for qid, st, pts, deds, note, uid, at in conn.execute(_CHECK_ANSWERS_SQL, (aid,)):
            un, uu = users.get(uid, none) if uid is not None else none
            v = verified.get(qid, (None, None, None))
            yield (*head, qid, st, pts, deds, note, ev.get(qid, 0), un, uu, uid, at, *v, cycle)


def communities_containing(
    db: sqlite_utils.Database, text: str, limit: int
) -> tuple[int, list[tuple[int, str]]]:
    """(how many community names contain `text`, the first `limit` of them as (id, name))."""
    like = "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
    where = "FROM communities WHERE name LIKE ? ESCAPE '\\'"
    n = int(db.conn.execute(f"SELECT count(*) {where}", [like]).fetchone()[0])
    rows = db.conn.execute(f"SELECT id, name {where} ORDER BY id LIMIT ?", [like, limit])
    return n, [(int(i), str(nm)) for i, nm in rows]


def planned_by(db: sqlite_utils.Database, year: int) -> dict[int, int]:
    """{county id: communities planned for `year` or before} (the roster's planned years)."""
    rows = db.conn.execute(
        "SELECT county_id, count(*) FROM communities WHERE planned_year <= ? GROUP BY county_id",
        [year],
    )
    return {int(c): int(n) for c, n in rows}
