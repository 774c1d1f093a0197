"""Status reports as data: where every county and community stands against the program's targets.

`Reports` holds one method per question a user asks (the county table, one county's
communities, the communities not started, one community's check, a name); each takes the asking
`Principal` (bot/domain/access.py; the CLI passes `access.SYSTEM`) and returns rows, never text.
It reads through the check service (one community's check is shown as its cards score it) and
writes nothing. The SQL is in
bot/store/progress.py; the chat and CLI texts in bot/texts/report_views.py.

Definitions (for the active program's standard):

- started: the community has an assessment with `answered > 0`;
- submitted: its assessment has status 'submitted';
- passed: submitted and `passed = 1`;
- participation % = started / communities × 100; completion % = passed / communities × 100;
  target % = the program's target for the year; planned = communities with `planned_year == year`.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import replace
from typing import Any
from zoneinfo import ZoneInfo

from bot.clock import local, year_end_stamp
from bot.domain.access import SYSTEM, Principal, visible_counties
from bot.domain.answers import Assessment
from bot.domain.cycles import TargetInForce
from bot.domain.errors import ReportError
from bot.domain.programs import Program
from bot.domain.reports import (
    DEFAULT_TZ,
    AnswerLine,
    CheckState,
    CommunityDetail,
    CommunityRow,
    CountyRow,
    HistoryLine,
    MissingRow,
    Person,
)
from bot.domain.scoring import Result, score
from bot.domain.standards import Standard, StandardError
from bot.domain.workflow import SUBMITTED
from bot.services.checks import Checks
from bot.services.roster import Roster
from bot.store import cycles as cycle_store
from bot.store import progress

CANDIDATES_SHOWN = 10


class Reports:
    """The reports of one program over the check service's database, for its standard."""

    def __init__(self, checks: Checks, standard: Standard) -> None:
        self.checks = checks
        self.db = checks.db
        self.program = checks.program
        self.targets = checks.targets
        self.standard = standard  # the program's standard
        self.names = Roster(self.db)  # the name matching every lookup shares

    # -- the county table ------------------------------------------------------------------------

    def county_status(
        self,
        year: int,
        principal: Principal = SYSTEM,
        *,
        counties: Collection[int] | None = None,
        use_summary: bool = True,
    ) -> list[CountyRow]:
        """One row per county (roster order) and a last total row, for the program's standard.

        `principal` limits the rows to the counties it may see; `counties` narrows further. The
        check counts come from the county_progress summary; `use_summary=False` computes them
        with a GROUP BY instead (the benchmark's reference).
        """
        db, program = self.db, self.program
        allowed = visible_counties(principal)
        if counties is not None:
            wanted = frozenset(int(c) for c in counties)
            allowed = wanted if allowed is None else allowed & wanted
        target = self.targets.in_force(year)
        if allowed is not None and not allowed:
            return [_total([], year, target)]
        standing = self.targets.standing(None)
        found = progress.county_counts(db, program.standard, year, allowed, standing, use_summary)
        done = self._per_county(standing)
        rows = [_county_row((*r[:8], done.get(r[0], 0), r[8]), year, target) for r in found]
        rows.append(_total(rows, year, target))
        return rows

    def _per_county(self, communities: Collection[int]) -> dict[int, int]:
        out: dict[int, int] = {}
        for county in cycle_store.counties(self.db, communities).values():
            out[county] = out.get(county, 0) + 1
        return out

    def verdict_counts(self, end: str) -> tuple[dict[int, int], dict[int, int]]:
        """Per county, at `end` (a stamp): the communities done (达标) by the program's verdict,
        and those passing by their own submitted result that wait for one."""
        found = self.targets.standing(end)
        waiting = progress.awaiting_by_county(self.db, self.program.standard, end, found)
        return self._per_county(found), waiting

    def county_status_as_of(
        self, year: int, principal: Principal = SYSTEM, tz: ZoneInfo = DEFAULT_TZ
    ) -> list[CountyRow]:
        """county_status by the end of `year`: planned for it or before, done by a verdict dated
        by then and not withdrawn since, waiting for one then (so a later year is not 0 planned,
        and an earlier one not this year's verdicts)."""
        db, program = self.db, self.program
        every = self.county_status(year, principal)
        rows = [r for r in every if not r.is_total]
        done, awaiting = self.verdict_counts(year_end_stamp(year, tz))
        planned = progress.planned_by(db, year)
        active = self.targets.activity_by_county(year, tz)  # each community once (cycles)
        rows = [
            replace(r, passed=done.get(r.county_id or 0, 0),
                    planned=planned.get(r.county_id or 0, 0),
                    awaiting=awaiting.get(r.county_id or 0, 0),
                    started=active.get(r.county_id or 0, (0, 0))[0],
                    submitted=active.get(r.county_id or 0, (0, 0))[1])
            for r in rows
        ]  # fmt: skip
        return [*rows, _total(rows, year, _target_of(every, year, program))]

    # -- one county's communities ----------------------------------------------------------------

    def community_status(self, county_id: int, principal: Principal = SYSTEM) -> list[CommunityRow]:
        """One row per community of a county: progress, score or met count, gaps, last activity.

        A principal who may not see the whole county gets only its own communities there.
        """
        only: frozenset[int] | None = None
        if not principal.can_view_county(county_id):
            only = principal.communities
            if not only:
                return []
        full = len(self.standard.questions)
        found = progress.community_progress(self.db, self.standard.id, county_id, only)
        return [_community_row(r, full) for r in found]

    def county_view(self, county_id: int, principal: Principal) -> tuple[str, list[CommunityRow]]:
        """A county's name and the communities of it the principal sees (ReportError: none)."""
        name = progress.county_name(self.db, county_id)
        if name is None:
            raise ReportError("county_unknown", county=county_id)
        rows = self.community_status(county_id, principal)
        if not rows and not principal.can_view_county(county_id):
            raise ReportError("forbidden", name=name)
        return name, rows

    # -- communities not started -----------------------------------------------------------------

    def missing(
        self, county_id: int | None = None, principal: Principal = SYSTEM
    ) -> list[MissingRow]:
        """Communities that have not started (no answer of the program's standard yet),
        optionally in one county.

        A county the principal may not see raises ReportError (an empty list would read "all
        have started"): a contact sees their counties, a worker only their own community's
        county (and there only their own community).
        """
        if county_id is not None:
            self.check_county_visible(county_id, principal)
        if not principal.registered:
            return []
        if not (principal.admin or principal.counties or principal.communities):
            raise ReportError("no_scope")  # a street reviewer only: no progress of theirs to show
        found = progress.not_started(
            self.db,
            self.program.standard,
            county_id,
            visible_counties(principal),
            principal.communities,
        )
        return [
            MissingRow(int(r[0]), str(r[1]), int(r[2]), str(r[3]), r[4], r[5] is not None)
            for r in found
        ]

    def check_county_visible(self, county_id: int, principal: Principal) -> str:
        """The county's name; ReportError unless it exists and the principal sees some of it."""
        name = progress.county_name(self.db, county_id)
        if name is None:
            raise ReportError("county_unknown", county=county_id)
        if principal.can_view_county(county_id):
            return name
        if progress.county_holds_any(self.db, county_id, principal.communities):
            return name
        raise ReportError("forbidden", name=name)

    # -- one community in detail -----------------------------------------------------------------

    def community_detail(
        self,
        community_id: int,
        principal: Principal = SYSTEM,
        history_limit: int = 30,
        year: int | None = None,
    ) -> CommunityDetail:
        """A community's check: gaps (scored afresh), evidence counts, who answered what and when.

        `year`: that year's check instead of the current one.

        The check is read through bot.services.checks, so it is shown against the standard
        version it began on, exactly as the worker's cards score it.
        """
        checks = self.checks
        base = self._visible_place(community_id, principal)
        a = (
            checks.for_community(community_id)
            if year is None
            else checks.in_year(community_id, year)
        )
        if a is None:
            result = score(self.standard, {})
            none: dict[str, Any] = {"assessment_id": None, "submitted_at": None, "updated_at": None}
            return CommunityDetail(
                **base, **none, standard=self.standard, state="not_started", result=result
            )
        return self._detail_of(a, base, history_limit)

    def _visible_place(self, community_id: int, principal: Principal) -> dict[str, Any]:
        """The community's place (CommunityDetail's first fields); ReportError if unknown or
        hidden."""
        place = progress.community_place(self.db, community_id)
        if place is None:
            raise ReportError("community_unknown", community=community_id)
        cid, name, county_id, county, street, address = place
        if not principal.can_view(int(cid), int(county_id)):
            raise ReportError("forbidden", name=name)
        return {
            "community_id": int(cid),
            "community": str(name),
            "county_id": int(county_id),
            "county": str(county),
            "street": street,
            "address": address,
        }

    def _detail_of(self, a: Assessment, base: dict[str, Any], limit: int) -> CommunityDetail:
        db = self.db
        std = _check_standard(self.checks, a)
        updated = progress.check_updated_at(db, a.id)
        stored = self.checks.rows(a.id)  # answers and evidence counts, by question
        lines, contributors = _answer_lines(progress.answer_authors(db, a.id), stored, std)
        result = _score(std, stored, lines)
        state: CheckState = "submitted" if a.locked else "open"
        if state == "open" and not any(r.status is not None for r in stored.values()):
            state = "not_started"
        return CommunityDetail(
            **base,
            standard=std,
            assessment_id=a.id,
            state=state,
            submitted_at=a.submitted_at,
            updated_at=updated,
            result=result,
            answers=lines,
            evidence_total=sum(r.evidence for r in stored.values()),
            history=_history(progress.answer_history(db, a.id, limit)),
            contributors=contributors,
        )

    def community_label(self, community_id: int) -> str:
        """A community's name ('?' when unknown)."""
        place = progress.community_place(self.db, community_id)
        return str(place[1]) if place else "?"

    # -- names -----------------------------------------------------------------------------------

    def resolve_county(self, query: str) -> tuple[int, str]:
        """Return the one county a name means; ReportError lists candidates otherwise."""
        return _one("county", query, self.names.find_county(query))

    def resolve_community(self, query: str) -> tuple[int, str]:
        """The one community a name means; a generic word ("社区") lists names containing it."""
        found = self.names.find_community(query)
        if not found and query.strip():
            n, some = progress.communities_containing(self.db, query.strip(), CANDIDATES_SHOWN)
            if n == 1:
                return some[0]
            if n > 1:
                names = tuple(name for _, name in some)
                raise ReportError("community_generic", query=query.strip(), n=n, names=names)
        return _one("community", query, found)

    # -- exports (data for bot/files/exports.py) -------------------------------------------------

    def plan_years(self) -> list[int]:
        """The program's target years, or else the roster's planned years."""
        return sorted({t.year for t in self.program.targets}) or progress.planned_years(self.db)

    def done_by_year(
        self, principal: Principal, tz: ZoneInfo, last: int
    ) -> dict[int, dict[int, list[str]]]:
        """{county id: {year: [community names]}}: the communities that became done (达标) in
        each year up to `last`, by the date of the verdict that made them so (local time), still
        done at that year's end; each community in the year its standing began."""
        allowed = visible_counties(principal)
        out: dict[int, dict[int, list[str]]] = {}
        first = min([t.year for t in self.program.targets] + [last])
        for year in range(first, last + 1):
            found = self.targets.standing(year_end_stamp(year, tz))
            began = [c for c, s in found.items() if local(s.since, tz).year == year]
            for county, name in progress.places(self.db, began).values():
                if allowed is None or county in allowed:
                    out.setdefault(county, {}).setdefault(year, []).append(name)
        return out

    def answer_records(
        self, principal: Principal, standard: str | None = None, year: int | None = None
    ) -> Any:
        """Every stored answer the principal may see (of `standard` only, unless None; of the
        checks of `year` only, unless None), streamed in roster order (store tuples)."""
        return progress.every_answer(
            self.db, visible_counties(principal), principal.communities, standard, year
        )


_COUNTS: tuple[str, ...] = ("communities", "former_livable", "former_green", "planned")
_COUNTS += ("started", "submitted", "passed", "awaiting")


def _total(rows: Sequence[CountyRow], year: int, target: TargetInForce | None) -> CountyRow:
    sums = [sum(getattr(r, k) for r in rows) for k in _COUNTS]
    return _county_row((None, "", *sums), year, target)  # named where shown (is_total)


def _county_row(r: Sequence[Any], year: int, target: TargetInForce | None) -> CountyRow:
    """A CountyRow from (id, name, the _COUNTS in order)."""
    cid, name, n, liv, grn, plan, started, submitted, passed, awaiting = r
    counts = (int(n), int(liv), int(grn), int(plan), int(started), int(submitted), int(passed))
    pct_, by, source = (target.pct, target.by, target.year) if target else (None, None, None)
    return CountyRow(cid, str(name), *counts, year, pct_, int(awaiting), source, by)


def _target_of(rows: Sequence[CountyRow], year: int, program: Program) -> TargetInForce | None:
    """The target the rows carry (else the program's own for `year`)."""
    for r in rows:
        if r.target_pct is not None and r.target_year is not None:
            return TargetInForce(r.target_pct, r.target_year, r.target_by)
    own = program.target_for(year)
    return TargetInForce(own.pct, own.year, None) if own else None


def _state(aid: int | None, status: str | None, answered: int) -> CheckState:
    if aid is None:
        return "not_started"
    if status == SUBMITTED:
        return "submitted"
    return "open" if answered else "not_started"


def _community_row(r: Sequence[Any], full: int) -> CommunityRow:
    cid, name, county, street, aid, status, answered, total, sc, gaps, own, upd, met, done = r
    done = bool(done)
    answered = int(answered or 0)
    state = _state(aid, status, answered)
    return CommunityRow(
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
        done,
        not done and state == "submitted" and own == 1,
        upd if aid is not None else None,
    )


def _check_standard(checks: Checks, a: Assessment) -> Standard | None:
    """The standard version the check began on (bot.services.checks: its snapshot, cached), if
    known."""
    try:
        return checks.standard_for(a)
    except StandardError:
        return None


def _answer_lines(
    authors: Sequence[Any], stored: dict[str, Any], std: Standard | None
) -> tuple[list[AnswerLine], list[tuple[Person, int, str]]]:
    """The check's answers with who gave them (`authors`: bot.store.progress.answer_authors),
    and per person (answers, last time)."""
    lines: list[AnswerLine] = []
    contrib: dict[Person, list[Any]] = {}
    for qid, deds, uid, at, uname, uuser in authors:
        r = stored.get(qid)
        if r is None:  # written between the two reads: shown next time
            continue
        who = Person(uname or None, uuser or None, uid) if uid is not None else None
        text = std.question(qid).text if std and qid in std.question_index else ""
        lines.append(AnswerLine(qid, text, r.status, r.points, deds, r.note, r.evidence, who, at))
        if who is not None and r.status is not None:
            c = contrib.setdefault(who, [who, 0, ""])
            c[1] += 1
            c[2] = max(c[2], at or "")
    people = sorted(((c[0], int(c[1]), str(c[2])) for c in contrib.values()),
                    key=lambda x: (-x[1], x[0].id or 0))  # fmt: skip
    return lines, people


def _score(std: Standard | None, stored: dict[str, Any], lines: list[AnswerLine]) -> Result | None:
    """Sort the lines in the standard's order and score the stored answers afresh."""
    if std is None:
        return None
    order = std.question_index
    lines.sort(key=lambda x: order.get(x.question_id, len(order)))
    try:  # rows on questions the standard lacks are shown, never scored
        return score(std, {q: r for q, r in stored.items() if q in order})
    except ValueError:  # a stored answer the scorer rejects: report without a result
        return None


def _history(found: Sequence[Any]) -> list[HistoryLine]:
    """HistoryLines of bot.store.progress.answer_history's rows."""
    return [
        HistoryLine(at, Person(un or None, uu or None, uid), qid, st, pts, note)
        for at, uid, un, uu, qid, st, pts, note in found
    ]


def _one(kind: str, query: str, found: list[tuple[int, str]]) -> tuple[int, str]:
    if not found:
        raise ReportError(f"{kind}_not_found", query=query)
    if len(found) > 1:
        names = tuple(n for _, n in found[:CANDIDATES_SHOWN])
        shown = min(len(found), CANDIDATES_SHOWN)
        raise ReportError(f"{kind}_ambiguous", query=query, names=names, n=len(found), shown=shown)
    return found[0]
