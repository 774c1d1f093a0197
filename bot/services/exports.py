"""The data of every table an office receives, gathered for bot/files (which never reads the
database): `Exports.gather` returns one payload per kind, the caller (the bot's handlers, the
command line) hands it to `bot.files.exports.write`. The bot builds files off its event loop,
so it also builds this service over a connection of its own (bot.services.container).

Which kinds a program offers (`offered`) follows its seed: the seed's own forms (`forms` of the
program file: 进度表 附件3, 计划表 附件5, 汇总表, 联系人名单 附件4), and GreenCheck's own tables,
titled as such: the progress figures of a program whose seed has no 进度表, every answer, the
corrective actions, and the recognised communities where the program's review chain recognises
(titled for public notice where it has a 公示 stage).
`year` narrows every kind: tables count by its end, lists keep what happened in it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from bot.clock import Clock, local_day
from bot.domain.access import Principal, visible_counties
from bot.domain.errors import ReportError
from bot.domain.exports import (
    SEED_TABLES,
    ActionList,
    Answers,
    Contacts,
    FormData,
    Names,
    Payload,
    Person,
    Plan,
    Progress,
    RecognisedList,
    SelfCheck,
    Summary,
)
from bot.domain.programs import Program
from bot.domain.standards import Standard
from bot.services.actions import Actions
from bot.services.form_fields import FormFields
from bot.services.reports import Reports
from bot.services.reviews import Reviews
from bot.store import roster as roster_store


@dataclass(frozen=True)
class Request:
    """Who asks for which kind, for which year (None: the current one for tables, every year
    for lists), and the clock's reading that dates the file."""

    kind: str
    principal: Principal
    year: int | None
    zone: ZoneInfo
    now: dt.datetime
    all_standards: bool = False

    @property
    def as_of(self) -> int:
        return self.year or self.now.astimezone(self.zone).year


def offered(program: Program) -> tuple[str, ...]:
    """The kinds this program offers: its seed's tables, then GreenCheck's own."""
    seed = {f.kind for f in program.forms}
    own = ["answers", "actions"] + (["recognised"] if program.chain.recognising else [])
    return ("progress", *(k for k in SEED_TABLES[1:] if k in seed), *own)


def public_notice(program: Program) -> bool:
    """The chain puts its recognitions before the public (a 公示 stage: does publicise)."""
    return any(stage.act == "publicise" for stage in program.chain.stages)


class Exports:
    """The data of the tables and forms, over the reports, the review chain and the forms'
    fields of one database (their checks service's)."""

    def __init__(
        self, reports: Reports, reviews: Reviews, form_fields: FormFields, clock: Clock
    ) -> None:
        self.reports = reports
        self.reviews = reviews
        self.form_fields = form_fields
        self.clock = clock
        self.db = reports.db
        self.program = reports.program
        self.catalog = reports.checks.catalog
        # the 整改 list's rows, over this database (exports_apart opens one of its own)
        self.actions = Actions(self.db, clock)

    def gather(self, req: Request) -> Payload:
        """The payload of `req.kind` for `req.principal` (ReportError: a kind the program
        lacks)."""
        program = self.program
        if req.kind not in offered(program):
            kinds = ", ".join(offered(program))
            raise ReportError("export_not_offered", kind=req.kind, kinds=kinds)
        if req.kind == "answers":
            only = None if req.all_standards else program.standard
            records = self.reports.answer_records(req.principal, only, req.year)
            return Answers(records, self.catalog, req.year)
        std = self.reports.standard
        if req.kind == "actions":
            return self._actions(req, std)
        if req.kind == "recognised":
            return _recognised(self.reviews, program, req, std)
        if req.kind == "contacts":
            return self._contacts(req.principal)
        return self._table(req)

    def _table(self, req: Request) -> Payload:
        reports, program = self.reports, self.program
        year, p, zone = req.as_of, req.principal, req.zone
        if req.kind == "plan":
            years = [y for y in reports.plan_years() if y <= year] or reports.plan_years()[:1]
            years = years or [year]
            planned = {y: {r.county_id: r.planned for r in reports.county_status(y, p)}
                       for y in years}  # fmt: skip
            return Plan(years, reports.county_status_as_of(years[0], p, zone), planned)
        rows = reports.county_status_as_of(year, p, zone)
        if req.kind == "summary":
            names = reports.done_by_year(p, zone, year)
            return Summary(summary_years(program, names, year), rows, names)
        return Progress(rows, "progress" in {f.kind for f in program.forms})

    def _contacts(self, p: Principal) -> Contacts:
        out: dict[str, list[Person]] = {}
        for _, county, *person in roster_store.county_contacts(self.db, visible_counties(p)):
            people = out.setdefault(county, [])
            if any(person):
                people.append((person[0], person[1], person[2], person[3], person[4]))
        return Contacts(list(out.items()))

    def _actions(self, req: Request, std: Standard | None) -> ActionList:
        rows = self.actions.listing(req.principal)
        return ActionList([x for x in rows if _in_year(x.row.opened_at, req.year, req.zone)], std)

    # -- the application form and GreenCheck's self-check summary -----------------------------

    def form_year(self, community_id: int, asked: int | None, now: int) -> int:
        """The year whose fields the form prints: the one asked, else the latest the community
        filled its form for, else the current one."""
        return asked or self.form_fields.latest_year(community_id) or now

    def form_data(self, p: Principal, community_id: int, year: int) -> FormData:
        """The 申报表's data (ReportError: unknown, or not visible to `p`)."""
        d = self.reports.community_detail(community_id, p)
        fields = self.form_fields.read(community_id, year)
        return FormData(d.community, d.county, d.street, d.address, year, fields)

    def self_check(self, p: Principal, community_id: int, year: int | None) -> SelfCheck:
        """The community's check of `year` (None: its latest), with the verified result."""
        reviews = self.reviews
        d = self.reports.community_detail(community_id, p, year=year)
        a = reviews.checks.get(d.assessment_id) if d.assessment_id is not None else None
        if a is None:
            return SelfCheck(d, year, None, None, None, d.standard)
        by = reviews.verified_by(a.id)
        merged = reviews.current(a.id).merged if by is not None else None
        return SelfCheck(d, a.cycle, merged, by, reviews.store.review(a.id), d.standard)


def summary_years(program: Program, names: Names, year: int) -> list[int]:
    """The program's years up to `year` (its target years; else the years seen, up to `year`)."""
    own = sorted({t.year for t in program.targets})
    if own:
        return [y for y in own if y <= year] or own[:1]
    seen = {y for d in names.values() for y in d if y <= year}
    return sorted(seen) or [year]


def _in_year(at: str | None, year: int | None, zone: ZoneInfo) -> bool:
    return year is None or (at is not None and local_day(at, zone).year == year)


def _recognised(
    reviews: Reviews, program: Program, req: Request, std: Standard | None
) -> RecognisedList:
    p, year, zone = req.principal, req.year, req.zone
    rows = [r for r in reviews.recognised(p) if _in_year(r.recognised_at, year, zone)]
    history = [(c, e) for c, e in reviews.all_history(p) if _in_year(e.at, year, zone)]
    publishes = any(stage.act == "publish" for stage in program.chain.stages)
    return RecognisedList(rows, history, public_notice(program), publishes, std)
