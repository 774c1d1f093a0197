"""Targets per year and recognition over the years, as data.

A year's target is the latest one set for it or before, by the program's document or by an
admin (`/target 2026 70%`, `greencheck target set`), always with the year it comes from; the
change is recorded with who made it. Recognition at a year's end counts each community once:
passed by then, and not withdrawn (a failed 复审) after its latest pass.
"""

from __future__ import annotations

from zoneinfo import ZoneInfo

import sqlite_utils

from bot.clock import Clock, year_end_stamp
from bot.domain import cycles
from bot.domain.cycles import TargetInForce
from bot.domain.errors import TargetError
from bot.domain.programs import Program
from bot.domain.text import given
from bot.store import cycles as store
from bot.store.db import transaction

BY_MAX = 160  # characters of who set a target (a Telegram name and id)
RECOGNITIONS = ("recognised", "rereview")  # the verdicts a recognising program's title rests on


class Targets:
    """One program's targets and standings over one database and the clock."""

    def __init__(self, db: sqlite_utils.Database, program: Program, clock: Clock) -> None:
        self.db = db
        self.program = program
        self.clock = clock

    def in_force(self, year: int) -> TargetInForce | None:
        """The target in force for `year`, with the year it comes from and who set it."""
        own = [(t.year, t.pct) for t in self.program.targets]
        return cycles.target_in_force(own, store.year_targets(self.db, self.program.id), year)

    def set_target(self, year: int, pct: float, by: str) -> float | None:
        """Set `year`'s target to `pct` % (recorded with `by`); the admin's figure it replaced."""
        if not 2000 <= year <= 2100:
            raise TargetError("bad_year", year=year)
        if not 0 < pct <= 100:
            raise TargetError("bad_pct", pct=pct)
        at, by = self.clock.stamp(), given(by, BY_MAX) or "?"
        with transaction(self.db):
            return store.set_target(self.db, self.program.id, year, pct, by, at)

    def history(self) -> list[dict[str, object]]:
        keys = ("year", "before", "after", "set_by", "at")
        rows = store.target_events(self.db, self.program.id)
        return [dict(zip(keys, row, strict=True)) for row in rows]

    def standing(
        self, at: str | None, kinds: tuple[str, ...] | None = None
    ) -> dict[int, cycles.Standing]:
        """{community: Standing} of the communities done at `at` (a stamp; None: now): a
        verdict (of `kinds` only) by then, not withdrawn since (bot.domain.cycles.standing)."""
        drops = [(c, when) for c, when, _ in store.withdrawals(self.db)]
        return cycles.standing(store.verdicts(self.db, self.program.standard, kinds), drops, at)

    def plan(self, community_id: int, year: int) -> None:
        """Plan a community's creation for `year` (the roster's planned_year column)."""
        with transaction(self.db):
            store.set_planned(self.db, community_id, year)

    def activity_by_county(self, year: int, tz: ZoneInfo) -> dict[int, tuple[int, int]]:
        """{county id: (started, submitted)} communities by the end of `year`, each once."""
        return store.activity_by(self.db, self.program.standard, year_end_stamp(year, tz))
