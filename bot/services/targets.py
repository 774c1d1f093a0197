"""Targets per year and recognition over the years, as data.

A year's target is the latest one set for it or before, by the program's document or by an
admin (`/target 2026 70%`, `greencheck target set`), always with the year it comes from; the
change is recorded with who made it. Recognition at a year's end counts each community once:
passed by then, and not withdrawn (a failed 复审) after its latest pass.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import sqlite_utils

from bot.clock import stamp, year_end_stamp
from bot.domain import cycles
from bot.domain.cycles import TargetInForce
from bot.domain.errors import TargetError
from bot.domain.programs import Program
from bot.domain.text import given
from bot.store import cycles as store
from bot.store.db import transaction

BY_MAX = 160  # characters of who set a target (a Telegram name and id)


def in_force(db: sqlite_utils.Database, program: Program, year: int) -> TargetInForce | None:
    """The target in force for `year`, with the year it comes from and who set it."""
    own = [(t.year, t.pct) for t in program.targets]
    return cycles.target_in_force(own, store.year_targets(db, program.id), year)


def set_target(
    db: sqlite_utils.Database, program: Program, year: int, pct: float, by: str, now: dt.datetime
) -> float | None:
    """Set `year`'s target to `pct` % (recorded with `by`); the admin's figure it replaced."""
    if not 2000 <= year <= 2100:
        raise TargetError("bad_year", year=year)
    if not 0 < pct <= 100:
        raise TargetError("bad_pct", pct=pct)
    at, by = stamp(now), given(by, BY_MAX) or "?"
    with transaction(db):
        return store.set_target(db, program.id, year, pct, by, at)


def history(db: sqlite_utils.Database, program: Program) -> list[dict[str, object]]:
    keys = ("year", "before", "after", "set_by", "at")
    return [dict(zip(keys, row, strict=True)) for row in store.target_events(db, program.id)]


RECOGNITIONS = ("recognised", "rereview")  # the verdicts a recognising program's title rests on


def standing(
    db: sqlite_utils.Database,
    standard: str,
    at: str | None,
    kinds: tuple[str, ...] | None = None,
) -> dict[int, cycles.Standing]:
    """{community: Standing} of the communities done at `at` (a stamp; None: now): a verdict
    (of `kinds` only) by then, not withdrawn since (bot.domain.cycles.standing)."""
    drops = [(c, when) for c, when, _ in store.withdrawals(db)]
    return cycles.standing(store.verdicts(db, standard, kinds), drops, at)


def withdrawals(db: sqlite_utils.Database) -> list[tuple[int, str, str]]:
    return store.withdrawals(db)


def plan(db: sqlite_utils.Database, community_id: int, year: int) -> None:
    """Plan a community's creation for `year` (the roster's planned_year column)."""
    with transaction(db):
        store.set_planned(db, community_id, year)


def activity_by_county(
    db: sqlite_utils.Database, program: Program, year: int, tz: ZoneInfo
) -> dict[int, tuple[int, int]]:
    """{county id: (started, submitted)} communities by the end of `year`, each once."""
    return store.activity_by(db, program.standard, year_end_stamp(year, tz))
