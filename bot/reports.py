"""Status reports: where every county and community stands against the program's targets.

Pure data and text, no Telegram: the handlers and the CLI call these and send what they return.

Definitions (for the active program's standard):

- started: the community has an assessment with `answered > 0`;
- submitted: its assessment has status 'submitted';
- passed (达标): submitted and `passed = 1`;
- participation % = started / communities × 100; completion % = passed / communities × 100;
  target % = the program's target for the year; planned = communities with `planned_year == year`.

Scale: the county table reads the roster counts with one GROUP BY over a covering index on
`communities` and the check counts from `county_progress`, a per-county summary that triggers keep
current (`PROGRESS_SUMMARY_SQL`, installed by migration 3 in bot/db.py). `use_summary=False`
computes them instead with one GROUP BY over communities joined to assessments: exact but slower
on a national roster (the benchmark compares the two).

Chat texts stay within TEXT_LIMIT characters (Telegram allows 4096 per message); times are shown
in GREENCHECK_TZ (`tz` parameters; by default `default_zone()`).
"""

from __future__ import annotations

import datetime as dt
import html
from collections.abc import Callable, Collection, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any, Literal, Protocol
from zoneinfo import ZoneInfo

import sqlite_utils
from pydantic import ValidationError

from bot.config import Settings
from bot.domain.answers import Assessment
from bot.domain.programs import Program
from bot.domain.scoring import Gap, Result, score
from bot.domain.standards import Catalog, Standard, StandardError, catalog
from bot.roster import RosterError, find_community, find_county
from bot.services.checks import Checks
from bot.texts.layout import paginate, table, truncate

DEFAULT_TZ = ZoneInfo("Asia/Shanghai")  # GREENCHECK_TZ's default
TOTAL_LABEL = "合计"
PAGE_SIZE = 20
TEXT_LIMIT = 4000  # characters per chat text; Telegram allows 4096
NOTE_SHOWN = 40  # characters of a note shown in a gap line (as handlers/cards.gap_list)

STATUS_ZH = {"met": "符合", "partial": "部分符合", "not_met": "不符合", "na": "不适用"}
GAP_ZH = {
    "unanswered": "未作答",
    "not_met": "不符合",
    "partial": "部分符合",
    "evidence_missing": "缺材料",
    "veto": "否决项",
}

# -- the per-county summary the status table reads (migration 3 in bot/db.py) -----------------
# Signed deltas through one UPSERT keep each trigger a single statement. The flags use `IS`, so a
# NULL never reaches a NOT NULL column. The update trigger fires only when a flag or a key
# changes, so the tap path (which rewrites the cached summary on every answer) pays nothing.

_FLAGS = {
    "started": "(ifnull({r}.answered, 0) > 0)",
    "submitted": "({r}.status IS 'submitted')",
    "passed": "({r}.status IS 'submitted' AND {r}.passed IS 1)",
}


def _delta(ref: str, sign: str, county: str, where: str) -> str:
    flags = ", ".join(f"{sign}{e.format(r=ref)}" for e in _FLAGS.values())
    return (
        "INSERT INTO county_progress (county_id, standard_id, started, submitted, passed)"
        f" SELECT {county}, {ref}.standard_id, {flags} {where}"
        " ON CONFLICT (county_id, standard_id) DO UPDATE SET"
        " started = started + excluded.started, submitted = submitted + excluded.submitted,"
        " passed = passed + excluded.passed;"
    )


def _changed(a: str, b: str) -> str:
    parts = [f"{a}.community_id IS NOT {b}.community_id", f"{a}.standard_id IS NOT {b}.standard_id"]
    parts += [f"{e.format(r=a)} IS NOT {e.format(r=b)}" for e in _FLAGS.values()]
    return " OR ".join(parts)


_IN_COUNTY = "FROM communities c WHERE c.id = {r}.community_id"
PROGRESS_SUMMARY_SQL: tuple[str, ...] = (
    """CREATE TABLE IF NOT EXISTS county_progress (
        county_id INTEGER NOT NULL,
        standard_id TEXT NOT NULL,
        started INTEGER NOT NULL DEFAULT 0,
        submitted INTEGER NOT NULL DEFAULT 0,
        passed INTEGER NOT NULL DEFAULT 0,
        PRIMARY KEY (county_id, standard_id)
    ) WITHOUT ROWID""",
    "CREATE TRIGGER IF NOT EXISTS county_progress_assessment_insert AFTER INSERT ON assessments"
    f" BEGIN {_delta('NEW', '+', 'c.county_id', _IN_COUNTY.format(r='NEW'))} END",
    "CREATE TRIGGER IF NOT EXISTS county_progress_assessment_delete AFTER DELETE ON assessments"
    f" BEGIN {_delta('OLD', '-', 'c.county_id', _IN_COUNTY.format(r='OLD'))} END",
    "CREATE TRIGGER IF NOT EXISTS county_progress_assessment_update AFTER UPDATE OF"
    " community_id, standard_id, answered, status, passed ON assessments"
    f" WHEN {_changed('OLD', 'NEW')} BEGIN"
    f" {_delta('OLD', '-', 'c.county_id', _IN_COUNTY.format(r='OLD'))}"
    f" {_delta('NEW', '+', 'c.county_id', _IN_COUNTY.format(r='NEW'))} END",
    "CREATE TRIGGER IF NOT EXISTS county_progress_community_move AFTER UPDATE OF county_id"
    " ON communities WHEN OLD.county_id IS NOT NEW.county_id BEGIN"
    f" {_delta('a', '-', 'OLD.county_id', 'FROM assessments a WHERE a.community_id = NEW.id')}"
    f" {_delta('a', '+', 'NEW.county_id', 'FROM assessments a WHERE a.community_id = NEW.id')}"
    " END",
)
PROGRESS_BACKFILL_SQL = """
INSERT INTO county_progress (county_id, standard_id, started, submitted, passed)
SELECT c.county_id, a.standard_id, sum(ifnull(a.answered, 0) > 0),
       sum(a.status IS 'submitted'), sum(a.status IS 'submitted' AND a.passed IS 1)
FROM assessments a JOIN communities c ON c.id = a.community_id
GROUP BY c.county_id, a.standard_id
"""
# The covering index the roster half of the county table scans.
ROSTER_INDEX_SQL = (
    "CREATE INDEX IF NOT EXISTS idx_communities_county_cover ON communities"
    " (county_id, former_livable, former_green, planned_year)"
)


def install_progress_summary(db: sqlite_utils.Database) -> None:
    """Create `county_progress`, its triggers and the roster index; backfill once (idempotent).

    Migration 3 in bot/db.py calls it, so every database opened with bot.db.connect has the
    summary. Calling it again is harmless; it counts from scratch only when the table or one of
    its triggers is missing (e.g. a bulk loader dropped the triggers for speed).
    """
    conn = db.conn
    fresh = not has_progress_summary(db)
    began = not conn.in_transaction
    if began:
        conn.execute("BEGIN IMMEDIATE")
    try:
        for sql in PROGRESS_SUMMARY_SQL:
            conn.execute(sql)
        conn.execute(ROSTER_INDEX_SQL)
        if fresh:  # a partial install may have left rows behind: count from scratch
            conn.execute("DELETE FROM county_progress")
            conn.execute(PROGRESS_BACKFILL_SQL)
    except BaseException:
        if began:
            conn.execute("ROLLBACK")
        raise
    if began:
        conn.execute("COMMIT")


def has_progress_summary(db: sqlite_utils.Database) -> bool:
    """Whether the summary table and its four triggers exist (a schema query: not per report)."""
    row = db.conn.execute(
        "SELECT count(*) FROM sqlite_master WHERE type IN ('table', 'trigger')"
        " AND name LIKE 'county\\_progress%' ESCAPE '\\'"
    ).fetchone()
    return bool(row and int(row[0]) >= 1 + 4)


# -- access ----------------------------------------------------------------------------------


class Viewer(Protocol):
    """Who is asking: bot.people.Principal fits (admin, or county and community scopes)."""

    @property
    def admin(self) -> bool: ...

    @property
    def counties(self) -> frozenset[int]: ...

    @property
    def communities(self) -> frozenset[int]: ...


@dataclass(frozen=True)
class Scope:
    """A plain Viewer for the CLI and tests."""

    admin: bool = False
    counties: frozenset[int] = frozenset()
    communities: frozenset[int] = frozenset()


ADMIN = Scope(admin=True)


class ReportError(ValueError):
    """A report that cannot be made: unknown or ambiguous name, or not visible to the viewer."""


def _county_filter(viewer: Viewer | None) -> frozenset[int] | None:
    """Counties whose every row the viewer sees (None: all of them)."""
    if viewer is None or viewer.admin:
        return None
    return frozenset(viewer.counties)


def can_view_community(viewer: Viewer | None, community_id: int, county_id: int) -> bool:
    if viewer is None or viewer.admin:
        return True
    return county_id in viewer.counties or community_id in viewer.communities


# -- rows --------------------------------------------------------------------------------------


def pct(part: int, whole: int) -> float:
    """Return part/whole as a percentage with one decimal (0.0 for an empty whole)."""
    return round(100.0 * part / whole, 1) if whole else 0.0


@dataclass(frozen=True)
class CountyRow:
    county_id: int | None  # None on the total row
    county: str
    communities: int
    former_livable: int
    former_green: int
    planned: int
    started: int
    submitted: int
    passed: int
    year: int
    target_pct: float | None

    @property
    def is_total(self) -> bool:
        return self.county_id is None

    @property
    def participation_pct(self) -> float:
        return pct(self.started, self.communities)

    @property
    def completion_pct(self) -> float:
        return pct(self.passed, self.communities)

    def as_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["participation_pct"] = self.participation_pct
        d["completion_pct"] = self.completion_pct
        return d


# One statement: counties, the roster counts (one GROUP BY over the covering index
# idx_communities_county_cover) and the check counts, from county_progress (migration 3) or, with
# use_summary=False, from one GROUP BY over communities joined to assessments.
_STATUS_SQL = """
SELECT co.id, co.name, ifnull(r.n, 0), ifnull(r.livable, 0), ifnull(r.green, 0),
       ifnull(r.planned, 0), ifnull(p.started, 0), ifnull(p.submitted, 0), ifnull(p.passed, 0)
FROM counties co
LEFT JOIN (
    SELECT county_id, count(*) AS n, sum(former_livable) AS livable,
           sum(former_green) AS green, sum(planned_year = :year) AS planned
    FROM communities {roster_where} GROUP BY county_id
) r ON r.county_id = co.id
LEFT JOIN {progress} p ON p.county_id = co.id AND p.standard_id = :standard
{where}
ORDER BY co.id
"""
_PROGRESS_JOINED = """(
    SELECT c.county_id, a.standard_id, sum(ifnull(a.answered, 0) > 0) AS started,
           sum(a.status IS 'submitted') AS submitted,
           sum(a.status IS 'submitted' AND a.passed IS 1) AS passed
    FROM communities c JOIN assessments a ON a.community_id = c.id AND a.standard_id = :standard
    {where} GROUP BY c.county_id
)"""


def _in(column: str, ids: frozenset[int] | None) -> str:
    if ids is None:
        return ""
    return f"WHERE {column} IN ({','.join(str(int(i)) for i in sorted(ids))})"


def county_status(
    db: sqlite_utils.Database,
    program: Program,
    year: int,
    viewer: Viewer | None = None,
    *,
    counties: Collection[int] | None = None,
    use_summary: bool = True,
) -> list[CountyRow]:
    """One row per county (roster order) and a last total row, for the program's standard.

    `viewer` limits the rows to the counties it may see; `counties` narrows further.
    The check counts come from the county_progress summary, which migration 3 installs (no schema
    query per call); `use_summary=False` computes them with a GROUP BY instead (the benchmark's
    reference, and for a database not opened through bot.db.connect).
    """
    allowed = _county_filter(viewer)
    if counties is not None:
        wanted = frozenset(int(c) for c in counties)
        allowed = wanted if allowed is None else allowed & wanted
    if allowed is not None and not allowed:
        return [_total([], year, program)]
    progress = (
        "county_progress"
        if use_summary
        else _PROGRESS_JOINED.format(where=_in("c.county_id", allowed))
    )
    sql = _STATUS_SQL.format(
        roster_where=_in("county_id", allowed), progress=progress, where=_in("co.id", allowed)
    )
    target = program.target_for(year)
    tpct = target.pct if target else None
    rows = [
        CountyRow(cid, name, n, liv, grn, plan, st, su, pa, year, tpct)
        for cid, name, n, liv, grn, plan, st, su, pa in db.conn.execute(
            sql, {"year": year, "standard": program.standard}
        )
    ]
    rows.append(_total(rows, year, program))
    return rows


def _total(rows: Sequence[CountyRow], year: int, program: Program) -> CountyRow:
    target = program.target_for(year)
    return CountyRow(
        None,
        TOTAL_LABEL,
        sum(r.communities for r in rows),
        sum(r.former_livable for r in rows),
        sum(r.former_green for r in rows),
        sum(r.planned for r in rows),
        sum(r.started for r in rows),
        sum(r.submitted for r in rows),
        sum(r.passed for r in rows),
        year,
        target.pct if target else None,
    )


CheckState = Literal["not_started", "open", "submitted"]


@dataclass(frozen=True)
class CommunityRow:
    community_id: int
    community: str
    county_id: int
    street: str | None
    state: CheckState
    answered: int
    total: int
    score: float | None  # points standards
    met: int  # answers marked 符合
    gap_count: int
    passed: bool
    last_activity: str | None  # ISO UTC

    @property
    def started(self) -> bool:
        return self.answered > 0

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


_COMMUNITY_SQL = """
SELECT c.id, c.name, c.county_id, s.name, a.id, a.status, a.answered, a.total, a.score,
       a.gap_count, a.passed, a.updated_at,
       (SELECT count(*) FROM answers q WHERE q.assessment_id = a.id AND q.status = 'met')
FROM communities c
LEFT JOIN streets s ON s.id = c.street_id
LEFT JOIN assessments a ON a.community_id = c.id AND a.standard_id = ?
WHERE c.county_id = ? {extra}
ORDER BY c.street_id IS NULL, c.street_id, c.id
"""


def community_status(
    db: sqlite_utils.Database,
    county_id: int,
    program: Program,
    viewer: Viewer | None = None,
    standard: Standard | None = None,
) -> list[CommunityRow]:
    """One row per community of a county: progress, score or met count, gaps, last activity.

    A viewer who may not see the whole county gets only its own communities there.
    """
    extra, params = "", []
    if viewer is not None and not viewer.admin and county_id not in viewer.counties:
        mine = sorted(viewer.communities)
        if not mine:
            return []
        extra = f"AND c.id IN ({','.join('?' * len(mine))})"
        params = mine
    std = standard or _standard(program)
    full = len(std.questions) if std else 0
    out: list[CommunityRow] = []
    sql = _COMMUNITY_SQL.format(extra=extra)
    for r in db.conn.execute(sql, [program.standard, county_id, *params]):
        cid, name, county, street, aid, status, answered, total, sc, gaps, passed, upd, met = r
        answered = int(answered or 0)
        if aid is None:
            state: CheckState = "not_started"
        elif status == "submitted":
            state = "submitted"
        else:
            state = "open" if answered else "not_started"
        out.append(
            CommunityRow(
                int(cid),
                str(name),
                int(county),
                street,
                state,
                answered,
                int(total) if total else full,
                float(sc) if sc is not None else None,
                int(met or 0),
                int(gaps) if aid is not None and gaps is not None else full,
                state == "submitted" and passed == 1,
                upd if aid is not None else None,
            )
        )
    return out


@dataclass(frozen=True)
class MissingRow:
    community_id: int
    community: str
    county_id: int
    county: str
    street: str | None
    opened: bool  # an assessment exists but nothing is answered yet


_MISSING_SQL = """
SELECT c.id, c.name, c.county_id, co.name, s.name, a.id
FROM communities c JOIN counties co ON co.id = c.county_id
LEFT JOIN streets s ON s.id = c.street_id
LEFT JOIN assessments a ON a.community_id = c.id {std}
WHERE ifnull(a.answered, 0) = 0 {where}
ORDER BY co.id, c.street_id IS NULL, c.street_id, c.id
"""


def missing(
    db: sqlite_utils.Database,
    county_id: int | None = None,
    program: Program | None = None,
    viewer: Viewer | None = None,
) -> list[MissingRow]:
    """Communities that have not started (no answer yet), optionally in one county.

    With a program, only its standard's check counts; without, any check does. A county the
    viewer may not see raises ReportError (an empty list would read "all have started"): a
    contact sees their counties, a worker only their own community's county (and there only
    their own community).
    """
    if county_id is not None:
        _check_county_visible(db, county_id, viewer)
    conds: list[str] = []
    params: list[Any] = []
    std = ""
    if program is not None:
        std = "AND a.standard_id = ?"
        params.append(program.standard)
    else:  # any started check counts: keep a community once, by its best check
        std = "AND a.id = (SELECT b.id FROM assessments b WHERE b.community_id = c.id"
        std += " ORDER BY b.answered DESC LIMIT 1)"
    if county_id is not None:
        conds.append("c.county_id = ?")
        params.append(county_id)
    if viewer is not None and not viewer.admin:
        counties = sorted(viewer.counties)
        comms = sorted(viewer.communities)
        ors = []
        if counties:
            ors.append(f"c.county_id IN ({','.join('?' * len(counties))})")
        if comms:
            ors.append(f"c.id IN ({','.join('?' * len(comms))})")
        if not ors:
            return []
        conds.append("(" + " OR ".join(ors) + ")")
        params += counties + comms
    where = "".join(f" AND {c}" for c in conds)
    sql = _MISSING_SQL.format(std=std, where=where)
    return [
        MissingRow(int(r[0]), str(r[1]), int(r[2]), str(r[3]), r[4], r[5] is not None)
        for r in db.conn.execute(sql, params)
    ]


def _check_county_visible(db: sqlite_utils.Database, county_id: int, viewer: Viewer | None) -> None:
    """Raise ReportError unless the county exists and the viewer sees some of it."""
    row = db.conn.execute("SELECT name FROM counties WHERE id = ?", [county_id]).fetchone()
    if row is None:
        raise ReportError(f"县区 {county_id} 不存在")
    if viewer is None or viewer.admin or county_id in viewer.counties:
        return
    mine = sorted(viewer.communities)
    if (
        mine
        and db.conn.execute(
            f"SELECT 1 FROM communities WHERE county_id = ? AND id IN ({','.join('?' * len(mine))})"
            " LIMIT 1",
            [county_id, *mine],
        ).fetchone()
    ):
        return
    raise ReportError(f"无权查看 {row[0]}")


# -- one community in detail -----------------------------------------------------------------


@dataclass(frozen=True)
class AnswerLine:
    question_id: str
    text: str
    status: str | None
    points: float | None
    deductions: str | None
    note: str | None
    evidence: int
    user: str | None
    at: str | None


@dataclass(frozen=True)
class HistoryLine:
    at: str
    user: str | None
    question_id: str
    status: str | None
    points: float | None
    note: str | None


@dataclass(frozen=True)
class CommunityDetail:
    community_id: int
    community: str
    county_id: int
    county: str
    street: str | None
    address: str | None
    standard: Standard | None
    assessment_id: int | None
    state: CheckState
    submitted_at: str | None
    updated_at: str | None
    result: Result | None
    answers: list[AnswerLine] = field(default_factory=list)
    evidence_total: int = 0
    history: list[HistoryLine] = field(default_factory=list)
    contributors: list[tuple[str, int, str]] = field(default_factory=list)  # name, answers, last

    @property
    def gaps(self) -> list[Gap]:
        return list(self.result.gaps) if self.result else []


def user_label(name: str | None, username: str | None, uid: int | None) -> str | None:
    if name:
        return str(name)
    if username:
        return f"@{username}"
    return f"用户{uid}" if uid is not None else None


def _standard(program: Program, cat: Catalog | None = None) -> Standard | None:
    try:
        return (cat or catalog()).standard(program.standard)
    except StandardError:
        return None


def _check_standard(checks: Checks, a: Assessment) -> Standard | None:
    """The standard version the check began on (bot.checks: its snapshot, cached), if known."""
    try:
        return checks.standard_for(a)
    except StandardError:
        return None


def community_detail(
    db: sqlite_utils.Database,
    community_id: int,
    program: Program,
    cat: Catalog | None = None,
    viewer: Viewer | None = None,
    history_limit: int = 30,
    checks: Checks | None = None,
) -> CommunityDetail:
    """A community's check: gaps (scored afresh), evidence counts, who answered what and when.

    The check is read through bot.checks (`checks`, e.g. the bot's shared service, or one made
    for this call), so it is shown against the standard version it began on, exactly as the
    worker's cards score it.
    """
    conn = db.conn
    row = conn.execute(
        "SELECT c.id, c.name, c.county_id, co.name, s.name, c.address FROM communities c"
        " JOIN counties co ON co.id = c.county_id LEFT JOIN streets s ON s.id = c.street_id"
        " WHERE c.id = ?",
        [community_id],
    ).fetchone()
    if row is None:
        raise ReportError(f"社区 {community_id} 不存在")
    cid, name, county_id, county, street, address = row
    if not can_view_community(viewer, int(cid), int(county_id)):
        raise ReportError(f"无权查看 {name}")
    if checks is None or checks.db is not db or checks.program.standard != program.standard:
        checks = Checks(db, cat or catalog(), program)
    a = checks.for_community(community_id)
    base = {
        "community_id": int(cid),
        "community": str(name),
        "county_id": int(county_id),
        "county": str(county),
        "street": street,
        "address": address,
    }
    if a is None:
        std = _standard(program, checks.catalog)
        return CommunityDetail(
            **base,
            standard=std,
            assessment_id=None,
            state="not_started",
            submitted_at=None,
            updated_at=None,
            result=score(std, {}) if std else None,
        )
    std = _check_standard(checks, a)
    updated = conn.execute("SELECT updated_at FROM assessments WHERE id = ?", [a.id]).fetchone()
    stored = checks.rows(a.id)  # answers and evidence counts, by question
    lines: list[AnswerLine] = []
    contrib: dict[str, list[Any]] = {}
    for qid, deds, uid, at, uname, uuser in conn.execute(
        "SELECT q.question_id, q.deductions, coalesce(q.user_id, q.note_by),"
        " coalesce(q.updated_at, q.note_at), u.name, u.username FROM answers q"
        " LEFT JOIN users u ON u.id = coalesce(q.user_id, q.note_by) WHERE q.assessment_id = ?",
        [a.id],
    ):
        r = stored.get(qid)
        if r is None:  # written between the two reads: shown next time
            continue
        who = user_label(uname, uuser, uid)
        text = std.question(qid).text if std and qid in std.question_index else ""
        lines.append(AnswerLine(qid, text, r.status, r.points, deds, r.note, r.evidence, who, at))
        if who is not None and r.status is not None:
            c = contrib.setdefault(who, [who, 0, ""])
            c[1] += 1
            c[2] = max(c[2], at or "")
    result: Result | None = None
    if std:
        order = std.question_index
        lines.sort(key=lambda x: order.get(x.question_id, len(order)))
        try:  # rows on questions the standard lacks are shown, never scored
            result = score(std, {q: r for q, r in stored.items() if q in order})
        except ValueError:  # a stored answer the scorer rejects: report without a result
            result = None
    hist = [
        HistoryLine(at, user_label(un, uu, uid), qid, st, pts, note)
        for at, uid, un, uu, qid, st, pts, note in conn.execute(
            "SELECT h.at, h.user_id, u.name, u.username, h.question_id, h.status, h.points,"
            " h.note FROM answer_history h LEFT JOIN users u ON u.id = h.user_id"
            " WHERE h.assessment_id = ? ORDER BY h.id DESC LIMIT ?",
            [a.id, history_limit],
        )
    ]
    state: CheckState = "submitted" if a.locked else "open"
    if state == "open" and not any(r.status is not None for r in stored.values()):
        state = "not_started"
    return CommunityDetail(
        **base,
        standard=std,
        assessment_id=a.id,
        state=state,
        submitted_at=a.submitted_at,
        updated_at=updated[0] if updated else None,
        result=result,
        answers=lines,
        evidence_total=sum(r.evidence for r in stored.values()),
        history=hist,
        contributors=sorted(
            ((str(c[0]), int(c[1]), str(c[2])) for c in contrib.values()),
            key=lambda t: (-t[1], t[0]),
        ),
    )


# -- name lookup -------------------------------------------------------------------------------


def _one(kind: str, query: str, found: list[tuple[int, str]]) -> tuple[int, str]:
    if not found:
        raise RosterError(f"找不到{kind}“{query}”")
    if len(found) > 1:
        names = "、".join(n for _, n in found[:10])
        more = f" 等 {len(found)} 个" if len(found) > 10 else ""
        raise RosterError(f"{kind}“{query}”不唯一，候选：{names}{more}")
    return found[0]


def resolve_county(db: sqlite_utils.Database, query: str) -> tuple[int, str]:
    """Return the one county a name means; RosterError lists candidates otherwise."""
    return _one("县区", query, find_county(db, query))


def resolve_community(db: sqlite_utils.Database, query: str) -> tuple[int, str]:
    return _one("社区", query, find_community(db, query))


# -- text: display width and tables ------------------------------------------------------------


def default_zone() -> ZoneInfo:
    """The zone of GREENCHECK_TZ (bot.config.Settings: the environment or `.env`).

    Asia/Shanghai when the settings cannot be read. Callers holding Settings pass
    `settings.zone` as `tz` instead (and spare the read).
    """
    try:
        return Settings().zone
    except ValidationError:
        return DEFAULT_TZ


def resolve_zone(tz: ZoneInfo | None = None) -> ZoneInfo:
    """`tz`, or GREENCHECK_TZ when None (resolve once, outside a loop)."""
    return default_zone() if tz is None else tz


def local_time(iso: str | None, fmt: str = "%m-%d %H:%M", tz: ZoneInfo | None = None) -> str:
    """Format a stored UTC ISO time in `tz` (default GREENCHECK_TZ); '' when unset.

    In a loop, pass `tz` (resolving the default reads the settings each call).
    """
    if not iso:
        return ""
    try:
        t = dt.datetime.fromisoformat(iso.replace("Z", "+00:00"))
    except ValueError:
        return iso
    if t.tzinfo is None:
        t = t.replace(tzinfo=dt.UTC)
    return t.astimezone(resolve_zone(tz)).strftime(fmt)


def fmt_pct(v: float | None) -> str:
    return "—" if v is None else f"{v:.1f}%"


def fmt_num(v: float | None) -> str:
    return "" if v is None else f"{v:g}"


def _pre(text: str) -> str:
    return f"<pre>{html.escape(text)}</pre>"


def one_line(text: str, n: int = NOTE_SHOWN) -> str:
    """Collapse whitespace (a note may hold line breaks) and cut to `n` characters with '…'."""
    text = " ".join(text.split())
    return text if len(text) <= n else text[: n - 1] + "…"


def _fit(render: Callable[[int], str], n: int, limit: int | None) -> str:
    """Return render(k) for the largest k ≤ n found whose text is within `limit` characters.

    render(k) shows the first k of n items and says how many are left out. Every unbounded part
    besides the items (names, titles) is truncated, so render(0) always fits: only whole item
    lines are dropped, never part of a line or of an HTML tag.
    """
    text = render(n)
    if limit is None or len(text) <= limit:
        return text
    lo, hi = 0, n - 1
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if len(render(mid)) <= limit:
            lo = mid
        else:
            hi = mid - 1
    return render(lo)


def _more(n: int, hint: str = "") -> str:
    return f"…（本页另 {n} 项未显示{hint}）"


def render_county_status(
    rows: Sequence[CountyRow],
    program: Program,
    page: int = 1,
    size: int = PAGE_SIZE,
    wide: bool = False,
    html_out: bool = True,
    limit: int | None = TEXT_LIMIT,
) -> str:
    """The /status message: a title line and a padded table (one page of counties + total).

    `wide` adds the former 宜居/绿色 and planned columns (for a desktop or the CLI). The text stays
    within `limit` characters (None: no limit, for the CLI), dropping the page's last rows if not.
    """
    counties = [r for r in rows if not r.is_total]
    total = next((r for r in rows if r.is_total), None) or _total(
        counties, rows[0].year if rows else dt.date.today().year, program
    )
    pg = paginate(counties, page, size)
    target = f" · {total.year} 年目标 {total.target_pct:g}%" if total.target_pct else ""
    title = f"📊 {truncate(program.region, 40)}绿色社区创建进度{target}"
    if wide:
        headers = ["县区", "社区", "原宜居", "原绿色", "计划", "开始", "提交", "达标"]
        headers += ["参与率", "完成率"]
    else:
        headers = ["县区", "社区", "开始", "提交", "达标", "完成率"]

    def cells(r: CountyRow) -> list[str]:
        name = r.county if wide and limit is None else truncate(r.county, 40 if wide else 10)
        mid = [str(r.former_livable), str(r.former_green), str(r.planned)] if wide else []
        counts = [str(r.started), str(r.submitted), str(r.passed)]
        pcts = [fmt_pct(r.participation_pct)] if wide else []
        return [name, str(r.communities), *mid, *counts, *pcts, fmt_pct(r.completion_pct)]

    def render(k: int) -> str:
        body = [cells(r) for r in pg.items[:k]]
        if counties and pg.items:
            body.append(cells(total))
        text = table(headers, body)
        foot = (
            [_more(len(pg.items) - k, "，完整内容请用 /export progress")]
            if k < len(pg.items)
            else []
        )
        if pg.label():
            foot.append(pg.label())
        if not wide:
            foot.append(
                f"参与率 {fmt_pct(total.participation_pct)} · 原宜居 {total.former_livable}"
                f" · 原绿色 {total.former_green} · {total.year} 年计划 {total.planned}"
            )
        if not counties:
            text = "（没有可显示的县区）"
        block = _pre(text) if html_out else text
        parts = [html.escape(title) if html_out else title, "", block, *foot]
        return "\n".join(parts).rstrip()

    return _fit(render, len(pg.items), limit)


STATE_ZH = {"not_started": "未开始", "open": "进行中", "submitted": "已提交"}


def render_community_status(
    rows: Sequence[CommunityRow],
    county: str,
    program: Program,
    page: int = 1,
    size: int = PAGE_SIZE,
    points: bool | None = None,
    html_out: bool = True,
    limit: int | None = TEXT_LIMIT,
    tz: ZoneInfo | None = None,
) -> str:
    """The /status <县区> message: one line per community of one page.

    Within `limit` characters (None: no limit); dates in `tz` (default GREENCHECK_TZ).
    """
    zone = resolve_zone(tz)
    std = _standard(program)
    points = (std is not None and std.mode == "points") if points is None else points
    pg = paginate(list(rows), page, size)
    started = sum(1 for r in rows if r.started)
    passed = sum(1 for r in rows if r.passed)
    title = f"📊 {truncate(county, 40)} · 社区 {len(rows)} · 已开始 {started} · 达标 {passed}"
    headers = ["社区", "进度", "得分" if points else "符合", "缺项", "最近"]
    body = []
    for r in pg.items:
        if r.state == "not_started":
            prog = "未开始"
        else:
            prog = f"{r.answered}/{r.total}" + ("✓" if r.state == "submitted" else "")
        mark = (fmt_num(r.score) or "—") if points else str(r.met)
        body.append(
            [
                truncate(r.community, 10),
                prog,
                mark,
                str(r.gap_count),
                local_time(r.last_activity, "%m-%d", zone),
            ]
        )

    def render(k: int) -> str:
        aligns: list[Literal["left", "right"]] = ["left", "right", "right", "right", "right"]
        text = table(headers, body[:k], aligns) if rows else "（无）"
        parts = [html.escape(title) if html_out else title, "", _pre(text) if html_out else text]
        if k < len(body):
            parts.append(_more(len(body) - k))
        if pg.label():
            parts.append(pg.label())
        parts.append("✓ 已提交")
        return "\n".join(parts)

    return _fit(render, len(body), limit)


def render_missing(
    rows: Sequence[MissingRow],
    page: int = 1,
    size: int = PAGE_SIZE,
    html_out: bool = True,
    limit: int | None = TEXT_LIMIT,
) -> str:
    """The /missing message: communities not started, grouped by county (within `limit`)."""
    pg = paginate(list(rows), page, size)
    title = f"⏳ 尚未开始自查的社区（{len(rows)}）"
    esc = (lambda s: html.escape(s)) if html_out else (lambda s: s)

    def render(k: int) -> str:
        lines: list[str] = []
        county = None
        for r in pg.items[:k]:
            if r.county != county:
                county = r.county
                lines.append(truncate(county, 40))
            street = f"{truncate(r.street, 30)} · " if r.street else ""
            opened = "（已打开）" if r.opened else ""
            lines.append(f"  {street}{truncate(r.community, 40)}{opened}")
        text = "\n".join(lines) if lines else "全部社区都已开始自查 🎉"
        parts = [esc(title), "", esc(text)]
        if k < len(pg.items):
            parts.append(_more(len(pg.items) - k))
        if pg.label():
            parts.append(pg.label())
        return "\n".join(parts)

    return _fit(render, len(pg.items), limit)


def render_community_detail(
    d: CommunityDetail,
    gap_limit: int = 15,
    history_limit: int = 10,
    html_out: bool = True,
    limit: int | None = TEXT_LIMIT,
    tz: ZoneInfo | None = None,
    contributor_limit: int = 10,
) -> str:
    """The /community message: the check's summary, gaps, evidence and recent answers.

    At most `gap_limit` gaps (notes cut to NOTE_SHOWN characters), `contributor_limit` people and
    `history_limit` records; then, if still over `limit` characters, the last lines give way to
    one saying how many items are left out. Times in `tz` (default GREENCHECK_TZ).
    """
    zone = resolve_zone(tz)
    esc = (lambda s: html.escape(s)) if html_out else (lambda s: s)
    std = d.standard
    r = d.result
    head = f"🌿 {truncate(d.community, 40)} · {truncate(d.county, 30)}"
    head += f" {truncate(d.street, 30)}" if d.street else ""
    lines = [esc(head)]
    if std:
        lines.append(esc(f"标准：{truncate(std.title, 80)}"))
    state = STATE_ZH[d.state]
    if d.state == "submitted" and d.submitted_at:
        state += f"（{local_time(d.submitted_at, '%Y-%m-%d', zone)}）"
    if r:
        sc = f" · 得分 {r.score:g}/{r.max_score:g}" if r.score is not None and r.max_score else ""
        verdict = " · 达标" if r.passed else ""
        lines.append(
            esc(f"{state} · 已答 {r.answered}/{r.total} · 符合 {r.met} · 缺项 {len(r.gaps)}")
            + esc(sc + verdict)
        )
    else:
        lines.append(esc(state))
    lines.append(
        esc(
            f"材料 {d.evidence_total} 份"
            + (f" · 最近 {local_time(d.updated_at, tz=zone)}" if d.updated_at else "")
        )
    )
    # The rest as (line, items it stands for): only these give way to the length limit.
    items: list[tuple[str, int]] = []
    if d.gaps:
        items += [("", 0), (esc(f"缺项（{len(d.gaps)}）"), 0)]
        for g in d.gaps[:gap_limit]:
            note = f" — 备注：{one_line(g.note)}" if g.note else ""
            why = GAP_ZH.get(g.reason, g.reason)
            items.append((esc(f"  {g.id} [{why}] {truncate(one_line(g.text, 80), 40)}{note}"), 1))
        if len(d.gaps) > gap_limit:
            n = len(d.gaps) - gap_limit
            items.append((esc(f"  …（另 {n} 项）"), n))
    if d.contributors:
        items += [("", 0), (esc("作答人"), 0)]
        for name, n, last in d.contributors[:contributor_limit]:
            who = truncate(one_line(name, 60), 20)
            items.append((esc(f"  {who}：{n} 项，最近 {local_time(last, tz=zone)}"), 1))
        if len(d.contributors) > contributor_limit:
            n = len(d.contributors) - contributor_limit
            items.append((esc(f"  …（另 {n} 人）"), n))
    if d.history:
        items += [("", 0), (esc("最近记录"), 0)]
        for h in d.history[:history_limit]:
            what = STATUS_ZH.get(h.status or "", "备注") if h.status else "备注"
            who = truncate(one_line(h.user or "?", 60), 20)
            at = local_time(h.at, tz=zone)
            items.append((esc(f"  {at} {who} · {h.question_id} {what}"), 1))

    def render(k: int) -> str:
        kept = items[:k]
        left = sum(w for _, w in items[k:])
        while kept and kept[-1][1] == 0:  # no heading without lines under it
            kept.pop()
        out = lines + [text for text, _ in kept]
        if left:
            out.append(esc(f"…（另 {left} 项，完整内容请用 /export answers）"))
        return "\n".join(out)

    return _fit(render, len(items), limit)
