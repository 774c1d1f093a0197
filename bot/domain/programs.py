"""Programs as data: a local implementation plan (实施方案) in `standards/programs/*.yaml`.

A program names the standard it uses, its targets by year, its deadlines (one-off dates and
annual ones), its review chain and its forms. Deadlines expand to dated occurrences.
Files are read by `bot.catalog`.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from bot.domain import cycles
from bot.domain.workflow import AFTER_RECOGNITION, Act, Actor, Chain

MonthDay = Annotated[str, Field(pattern=r"^(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$")]
MAX_PUBLICITY_DAYS = 365  # a 公示 the city records lasts 1..365 days


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


class Target(_Model):
    """A figure the seed sets for the end of `year`: `pct` % of urban communities either take
    part and meet the requirements (参与创建行动并达到创建要求: `Program.targets`) or take part
    (参与创建行动: `Program.participation_targets`)."""

    year: int = Field(ge=2000, le=2100)
    pct: float = Field(gt=0, le=100)
    source: str  # the sentence the figure comes from
    note: str | None = None
    inferred: str | None = None  # why the year is ours, where the seed prints none beside it


def _in_force(targets: list[Target], year: int) -> Target | None:
    """The latest of `targets` for `year` or before (the higher figure where the seed names two
    for one year); None before the first: a later year's figure is never borrowed."""
    past = [t for t in targets if t.year <= year]
    return max(past, key=lambda t: (t.year, t.pct)) if past else None


class ReminderPolicy(_Model):
    lead_days: list[int] = [14, 7, 3, 1, 0]
    overdue_every: int = Field(default=1, ge=1)  # days between overdue repeats
    overdue_max: int = Field(default=3, ge=0)  # at most this many overdue reminders
    hour: int = Field(default=9, ge=0, le=23)  # local hour (GREENCHECK_TZ)


Audience = Literal["contact", "street", "worker", "community"]


class Deadline(_Model):
    """One reporting duty: either fixed `dates` or an `annual` month-day.

    `audience` is who the seed makes do it, and so who is reminded: `contact`, a county's duty
    (各县（区）…), reminded to its contacts until the county confirms 已报送; `street`, a street's
    duty (各乡街…, 青阳街道…), reminded to the street's reviewers until the street confirms;
    `worker`, a community's self-check, reminded to the workers of communities whose check is
    not submitted; `community`, a community's own report ("各社区…报送"), reminded to the
    workers of every community until that community confirms. `planned_year` narrows a
    community duty to the communities the roster plans for that year (Qingyang's 试点社区 are
    its 2021 ones).
    """

    id: Annotated[str, Field(pattern=r"^[a-z0-9-]+$")]
    title: str
    form: str | None = None  # e.g. "附件3 绿色社区创建工作计划及进度表"
    submitter: str  # who submits (e.g. 各县（区）住房城乡建设部门)
    recipient: str  # to whom (e.g. 市住房城乡建设局)
    audience: Audience = "contact"  # who is reminded
    planned_year: int | None = Field(default=None, ge=2000, le=2100)
    dates: list[dt.date] = []
    annual: MonthDay | None = None
    from_year: int | None = None
    until_year: int | None = None
    source: str
    # Why the date is ours where the seed prints none (推定): shown wherever the deadline is.
    inferred: str | None = None
    policy: ReminderPolicy | None = None  # overrides the program's default

    @field_validator("annual")
    @classmethod
    def _real_day(cls, v: str | None) -> str | None:
        if v is not None:
            month, day = (int(x) for x in v.split("-"))
            dt.date(2001, month, day)  # a day every year has (so not 02-29)
        return v

    @model_validator(mode="after")
    def _one_kind(self) -> Deadline:
        if bool(self.dates) == bool(self.annual):
            raise ValueError("give either dates or annual, not both or neither")
        if self.planned_year is not None and self.audience in ("contact", "street"):
            raise ValueError("planned_year narrows a community duty (audience worker/community)")
        return self

    def occurrences(self, start: dt.date, end: dt.date) -> list[dt.date]:
        """Return the due dates of this deadline within [start, end]."""
        if self.dates:
            return [d for d in self.dates if start <= d <= end]
        assert self.annual is not None
        month, day = (int(x) for x in self.annual.split("-"))
        out = []
        for year in range(start.year, end.year + 1):
            if self.from_year is not None and year < self.from_year:
                continue
            if self.until_year is not None and year > self.until_year:
                continue
            d = dt.date(year, month, day)
            if start <= d <= end:
                out.append(d)
        return out


class StageSpec(_Model):
    """One stage of a review chain as the program's seed describes it."""

    name: str  # the seed's word for the stage (街道推荐, 市级认定, 公示 …)
    actor: Actor  # who acts on it: community, street, county, city or an invited expert
    does: Act  # what the stage does (bot.domain.workflow)
    body: str | None = None  # the seed's name for who acts, when it names one
    source: str  # the seed sentence the stage comes from
    # A 公示's length in days, only where the seed prints one (none of ours does: the city is
    # asked for it when it records the 公示).
    days: int | None = Field(default=None, ge=1, le=MAX_PUBLICITY_DAYS)

    @model_validator(mode="after")
    def _days_on_publicity(self) -> StageSpec:
        if self.days is not None and self.does != "publicise":
            raise ValueError("days is the length of a publicise stage")
        return self


def _check_chain(stages: list[StageSpec], last: Act | None = None) -> None:
    """A chain starts with the community's submission, and only there does the community act;
    after a recognition only publicity, publication and a plaque follow."""
    if not stages:
        return
    if (stages[0].actor, stages[0].does) != ("community", "apply"):
        raise ValueError("a chain begins with the community applying (actor community, does apply)")
    if any(s.actor == "community" or s.does == "apply" for s in stages[1:]):
        raise ValueError("only the first stage is the community's")
    acts = [s.does for s in stages]
    if acts.count("recognise") > 1:
        raise ValueError("a chain recognises at most once")
    if "recognise" in acts and any(
        a not in AFTER_RECOGNITION for a in acts[acts.index("recognise") + 1 :]
    ):
        raise ValueError("after recognise only publicise, publish and award may follow")
    if last is not None and acts[-1] != last:
        raise ValueError(f"this chain ends with '{last}'")


class DirectRoute(_Model):
    """A second route some communities take instead of the review chain, as the seed says:
    Heyuan's former provincial communities (原"广东省绿色社区""广东省宜居社区", the roster's
    former_livable / former_green) whose check is submitted in the 分类推进 stage go to the city
    for an expert assessment and direct recognition (seed 000 四（二）)."""

    communities: Literal["former_provincial"]  # who takes it: the roster's former flags
    until: dt.date  # the last day a submission takes this route (the stage's end)
    source: str  # the seed sentence
    chain: list[StageSpec]

    @model_validator(mode="after")
    def _recognises(self) -> DirectRoute:
        _check_chain(self.chain)
        if not any(s.does == "recognise" for s in self.chain):
            raise ValueError("a direct route recognises (a stage that does recognise)")
        return self


class Form(_Model):
    id: str  # the seed's attachment number, e.g. "附件3"
    title: str
    kind: Literal["application", "progress", "plan", "contacts", "summary", "other"]


class Program(_Model):
    id: Annotated[str, Field(pattern=r"^[a-z0-9-]+$")]
    title: str
    issuer: str
    doc_number: str
    date: dt.date
    seed: str  # the seed file it was transcribed from
    standard: str  # id of the standard under standards/
    region: str  # e.g. 河源市
    unit: str  # what the reporting unit is called: 县（区）, 县市, 乡街, 社区
    targets: list[Target] = []  # 参与创建行动并达到创建要求: the share of communities done
    participation_targets: list[Target] = []  # 参与创建行动 only: the share taking part
    deadlines: list[Deadline] = []
    self_check_deadline: str | None = None  # deadline id that workers are reminded of
    group_digest: bool = True  # send a digest to groups bound to a county
    reminder_policy: ReminderPolicy = ReminderPolicy()
    review_chain: list[StageSpec] = []  # a check's first creation (创建)
    rereview_chain: list[StageSpec] = []  # a recognised community's yearly 复审 (empty: none)
    direct_route: DirectRoute | None = None  # a second route for some communities (直接认定)
    review_remind_days: int = Field(default=7, ge=1)  # a stage waiting longer reminds
    forms: list[Form] = []
    notes: list[str] = []

    @model_validator(mode="after")
    def _refs(self) -> Program:
        ids = [d.id for d in self.deadlines]
        if len(ids) != len(set(ids)):
            raise ValueError(f"duplicate deadline ids {ids}")
        if self.self_check_deadline and self.self_check_deadline not in ids:
            raise ValueError(f"self_check_deadline '{self.self_check_deadline}' is not a deadline")
        _check_chain(self.review_chain)
        _check_chain(self.rereview_chain, last="rereview")
        if self.rereview_chain and self.chain.recognising is None:
            raise ValueError("a rereview_chain needs a review_chain that recognises")
        return self

    @property
    def chain(self) -> Chain:
        """The review chain of a first check (创建)."""
        return Chain.of([(s.name, s.actor, s.does, s.body) for s in self.review_chain])

    @property
    def rereview(self) -> Chain:
        """The chain of a yearly 复审 (empty: the program does not re-review)."""
        return Chain.of([(s.name, s.actor, s.does, s.body) for s in self.rereview_chain])

    @property
    def direct(self) -> Chain:
        """The chain of the direct route (empty: the program has none)."""
        stages = self.direct_route.chain if self.direct_route else []
        return Chain.of([(s.name, s.actor, s.does, s.body) for s in stages])

    def chain_for(self, kind: str) -> Chain:
        """The chain a check of `kind` (bot.domain.cycles.KINDS) follows: a 复审 the re-review
        chain, a direct-route check the direct route, where the program has them; else the
        review chain."""
        if kind == cycles.REREVIEW and self.rereview_chain:
            return self.rereview
        if kind == cycles.DIRECT and self.direct_route:
            return self.direct
        return self.chain

    def publicity_days(self, stage: str) -> int | None:
        """The 公示 length the program's seed prints for a stage (None: it prints none)."""
        stages = [*self.review_chain, *(self.direct_route.chain if self.direct_route else [])]
        return next((s.days for s in stages if s.name == stage and s.days), None)

    def target_for(self, year: int) -> Target | None:
        """The done-target in force for `year` (None before the program's first target year)."""
        return _in_force(self.targets, year)

    def participation_target_for(self, year: int) -> Target | None:
        """The participation target in force for `year` (None before its first year)."""
        return _in_force(self.participation_targets, year)

    @property
    def first_target_year(self) -> int | None:
        """The first year the program sets a done-target for (None: it sets none)."""
        return min((t.year for t in self.targets), default=None)

    def deadline(self, did: str) -> Deadline:
        for d in self.deadlines:
            if d.id == did:
                return d
        raise KeyError(did)

    def summary(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "title": self.title,
            "doc_number": self.doc_number,
            "standard": self.standard,
            "region": self.region,
            "targets": [{"year": t.year, "pct": t.pct} for t in self.targets],
            "participation_targets": [
                {"year": t.year, "pct": t.pct} for t in self.participation_targets
            ],
            "deadlines": len(self.deadlines),
        }
