"""What reports return: the rows of the county table, of one county, of the communities not
started, and one community's check in detail. Plain values, built by bot/services/reports.py and
read by the renderers (bot/texts/report_views.py for chat and the CLI, bot/files/ for the
official files), so that neither renderer depends on the services.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Literal, NamedTuple
from zoneinfo import ZoneInfo

from bot.domain.scoring import Gap, Result
from bot.domain.standards import Standard

DEFAULT_TZ = ZoneInfo("Asia/Shanghai")  # GREENCHECK_TZ's default


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
    passed: int  # done (达标) by the program's verdict: bot.domain.workflow.Chain.done_by
    year: int
    target_pct: float | None
    awaiting: int = 0  # passing by their own result, waiting for a reviewer's (自评达标，待审核)
    target_year: int | None = None  # the year the target in force was set for
    target_by: str | None = None  # None: the program's document; else the admin who set it

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
    met: int  # answers marked met
    gap_count: int
    passed: bool  # done (达标) by the program's verdict
    awaiting: bool  # submitted and passing by its own result, no verdict yet
    last_activity: str | None  # ISO UTC

    @property
    def started(self) -> bool:
        return self.answered > 0

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class MissingRow:
    community_id: int
    community: str
    county_id: int
    county: str
    street: str | None
    opened: bool  # an assessment exists but nothing is answered yet


class Person(NamedTuple):
    """Who did something, as the roster knows them (labelled where shown: name, @username, or
    the catalogue's word for a user with their id)."""

    name: str | None
    username: str | None
    id: int | None


@dataclass(frozen=True)
class AnswerLine:
    question_id: str
    text: str
    status: str | None
    points: float | None
    deductions: str | None
    note: str | None
    evidence: int
    user: Person | None
    at: str | None


@dataclass(frozen=True)
class HistoryLine:
    at: str
    user: Person
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
    contributors: list[tuple[Person, int, str]] = field(default_factory=list)  # who, answers, last

    @property
    def gaps(self) -> list[Gap]:
        return list(self.result.gaps) if self.result else []
