"""Programs as data: a local implementation plan (实施方案) in `standards/programs/*.yaml`.

A program names the standard it uses, its targets by year, its deadlines (one-off dates and
annual ones), its review chain and its forms. Deadlines expand to dated occurrences.
Files are read by `bot.domain.catalog` (`load_program` and `program_files` stay importable here).
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from bot.domain.workflow import AFTER_RECOGNITION, Act, Actor, Chain

if TYPE_CHECKING:
    from bot.domain.catalog import load_program as load_program
    from bot.domain.catalog import program_files as program_files

MonthDay = Annotated[str, Field(pattern=r"^(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$")]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


class Target(_Model):
    """A target: `pct` % of urban communities take part and meet the requirements by `year`."""

    year: int = Field(ge=2000, le=2100)
    pct: float = Field(gt=0, le=100)
    source: str  # the sentence the figure comes from
    note: str | None = None


class ReminderPolicy(_Model):
    lead_days: list[int] = [14, 7, 3, 1, 0]
    overdue_every: int = Field(default=1, ge=1)  # days between overdue repeats
    overdue_max: int = Field(default=3, ge=0)  # at most this many overdue reminders
    hour: int = Field(default=9, ge=0, le=23)  # local hour (GREENCHECK_TZ)


class Deadline(_Model):
    """One reporting duty: either fixed `dates` or an `annual` month-day."""

    id: Annotated[str, Field(pattern=r"^[a-z0-9-]+$")]
    title: str
    form: str | None = None  # e.g. "附件3 绿色社区创建工作计划及进度表"
    submitter: str  # who submits (e.g. 各县（区）住房城乡建设部门)
    recipient: str  # to whom (e.g. 市住房城乡建设局)
    audience: Literal["contact", "worker"] = "contact"  # who is reminded
    dates: list[dt.date] = []
    annual: MonthDay | None = None
    from_year: int | None = None
    until_year: int | None = None
    source: str
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
    actor: Actor  # who acts on it: community, street, county or city
    does: Act  # what the stage does (bot.domain.workflow)
    body: str | None = None  # the seed's name for who acts, when it names one
    source: str  # the seed sentence the stage comes from


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
    targets: list[Target] = []
    deadlines: list[Deadline] = []
    self_check_deadline: str | None = None  # deadline id that workers are reminded of
    group_digest: bool = True  # send a digest to groups bound to a county
    reminder_policy: ReminderPolicy = ReminderPolicy()
    review_chain: list[StageSpec] = []  # a check's first creation (创建)
    rereview_chain: list[StageSpec] = []  # a recognised community's yearly 复审 (empty: none)
    review_remind_days: int = Field(default=7, ge=1)  # a stage waiting longer reminds (issue 11)
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

    def target_for(self, year: int) -> Target | None:
        """Return the target in force for `year`: the latest one not after it (else the first)."""
        past = [t for t in self.targets if t.year <= year]
        if past:
            return max(past, key=lambda t: (t.year, t.pct))
        return min(self.targets, key=lambda t: t.year) if self.targets else None

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
            "deadlines": len(self.deadlines),
        }


def __getattr__(name: str) -> Any:
    """Resolve `load_program` / `program_files`, moved to `bot.domain.catalog` (lazily)."""
    if name in ("load_program", "program_files"):
        from bot.domain import catalog as _catalog_module

        return getattr(_catalog_module, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
