"""The records of the review chain as the services hand them out: where a check is in its
chain, its history, the reviewers' comments (data only; the rules are bot.domain.workflow)."""

from __future__ import annotations

import datetime as dt
from typing import NamedTuple

from bot.domain.access import Scope


class ReviewRow(NamedTuple):
    assessment_id: int
    stage: str
    state: str
    entered_at: str
    returned_by: int | None
    recognised_at: str | None
    published_at: str | None


class Event(NamedTuple):
    assessment_id: int
    stage: str | None
    action: str
    user_id: int | None
    role: str | None
    at: str
    question_id: str | None
    before: str | None
    after: str | None
    comment: str | None
    user_name: str | None


class Comment(NamedTuple):
    question_id: str
    body: str
    stage: str | None
    user_id: int | None
    at: str


class Waiting(NamedTuple):
    """A check in the chain with its place: what a reviewer's list shows."""

    assessment_id: int
    community_id: int
    community: str
    street_id: int | None
    street: str | None
    county_id: int
    county: str
    stage: str
    state: str
    entered_at: str
    score: float | None
    passed: int
    recognised_at: str | None
    published_at: str | None
    cycle: int | None = None  # the program year of the check

    @property
    def scope(self) -> Scope:
        return Scope(self.community_id, self.street_id, self.county_id, self.cycle)


class Summary(NamedTuple):
    """The chain in figures, for what `p` sees."""

    waiting: list[tuple[str, int]]  # (stage, checks waiting there), in chain order
    returned: int
    recognised: int


class Recognised(NamedTuple):
    community: str
    street: str | None
    county: str
    self_score: float
    verified_score: float | None
    recognised_at: str | None
    published_at: str | None
    publicity: tuple[dt.date, dt.date] | None = None  # its 公示 period (first and last day)
