"""What each table and form an office receives is made of: the data bot.services.exports
gathers and bot/files lays out (which never reads the database)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from bot.domain.actions import Listed
from bot.domain.catalog import Catalog
from bot.domain.reports import CommunityDetail, CountyRow
from bot.domain.reviews import Event, Recognised, ReviewRow
from bot.domain.scoring import Result
from bot.domain.standards import Standard

SEED_TABLES = ("progress", "plan", "summary", "contacts")
KINDS = (*SEED_TABLES, "answers", "actions", "recognised")

Names = dict[int, dict[int, list[str]]]


@dataclass(frozen=True)
class Progress:
    rows: list[CountyRow]  # per county as of the end of `year`, then the total row
    seed: bool  # the program's seed prints this form (附件3); else GreenCheck's own table


@dataclass(frozen=True)
class Plan:
    years: list[int]
    rows: list[CountyRow]
    planned: dict[int, dict[int | None, int]]  # {year: {county id: communities planned}}


@dataclass(frozen=True)
class Summary:
    years: list[int]
    rows: list[CountyRow]
    names: Names  # {county id: {year: names of the communities done that year}}


Person = tuple[str, str, str, str, str]  # 姓名, 单位, 股室, 手机, 固定电话


@dataclass(frozen=True)
class Contacts:
    counties: list[tuple[str, list[Person]]]  # each county the caller sees, its contacts


@dataclass(frozen=True)
class Answers:
    records: Iterator[tuple[Any, ...]]  # bot.store.progress.every_answer's rows, streamed
    catalog: Catalog
    year: int | None


@dataclass(frozen=True)
class RecognisedList:
    rows: list[Recognised]
    history: list[tuple[str, Event]]
    public_notice: bool  # the program's chain has a 公示 stage: the list is for public notice
    published: bool  # it has a 公布 stage: the list has its date
    standard: Standard | None  # what the results are counted against (points or items met)


@dataclass(frozen=True)
class ActionList:
    rows: list[Listed]
    standard: Standard | None  # the items' texts


Payload = Progress | Plan | Summary | Contacts | Answers | RecognisedList | ActionList


# -- the application form and GreenCheck's self-check summary -----------------------------------


@dataclass(frozen=True)
class FormData:
    """What the 申报表 prints: the community's place and what it wrote on its form for `year`."""

    community: str
    county: str
    street: str | None
    address: str | None  # the roster's, when the form's own field is empty
    year: int
    fields: dict[str, str]


@dataclass(frozen=True)
class SelfCheck:
    """One year's check for GreenCheck's 自查结果表: the community's answers and result, and the
    reviewers' verified result once one of them approved it."""

    detail: CommunityDetail
    year: int | None  # the check's year (None: its first, undated cycle)
    verified: Result | None
    verified_by: str | None
    review: ReviewRow | None
    standard: Standard | None
