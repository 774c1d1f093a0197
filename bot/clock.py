"""One clock: the current instant, today's local date, and every conversion between a stored
instant and local time.

Stored: every `*_at` column holds UTC text, `2026-12-06T16:30:00.000000Z` (`stamp`). Shown,
compared as dates and counted in days: local time in GREENCHECK_TZ (`Clock.local`, `Clock.day`,
`Clock.days_since`), never the UTC date of a stamp — at 23:30 in Shanghai the UTC date is
still yesterday's.

Only `SystemClock` reads the wall clock; the composition roots (the bot, the command line, the
demo) make one and hand it down. Tests use `FixedClock`, which they set and move.
"""

from __future__ import annotations

import datetime as dt
from abc import ABC, abstractmethod
from typing import TypeAlias

Instant: TypeAlias = str | dt.datetime  # a stored stamp, or an aware datetime


def stamp(at: dt.datetime) -> str:
    """The text every `*_at` column holds: UTC, microseconds, `Z` (an aware `at`)."""
    return at.astimezone(dt.UTC).replace(tzinfo=None).isoformat(timespec="microseconds") + "Z"


def instant(at: Instant) -> dt.datetime:
    """An aware datetime from a stamp (or any ISO text; without an offset it is UTC)."""
    if isinstance(at, dt.datetime):
        return at if at.tzinfo is not None else at.replace(tzinfo=dt.UTC)
    parsed = dt.datetime.fromisoformat(at.strip().replace("Z", "+00:00"))
    return parsed if parsed.tzinfo is not None else parsed.replace(tzinfo=dt.UTC)


def local(at: Instant, zone: dt.tzinfo) -> dt.datetime:
    """The instant in local time (aware)."""
    return instant(at).astimezone(zone)


def local_day(at: Instant, zone: dt.tzinfo) -> dt.date:
    """The local date of an instant."""
    return local(at, zone).date()


def local_naive(at: Instant, zone: dt.tzinfo) -> dt.datetime:
    """Local wall time without the zone, to the second (what a spreadsheet cell holds)."""
    return local(at, zone).replace(tzinfo=None, microsecond=0)


def iso(at: Instant, zone: dt.tzinfo) -> str:
    """Local ISO text with its offset, to the second (JSON `at` fields)."""
    return local(at, zone).isoformat(timespec="seconds")


def day_start(day: dt.date, zone: dt.tzinfo) -> dt.datetime:
    """The first instant of a local day (aware, local)."""
    return dt.datetime.combine(day, dt.time(0), tzinfo=zone)


def year_end_stamp(year: int, zone: dt.tzinfo) -> str:
    """The stamp of the last instant of a local year: `at <= year_end_stamp(y)` is "by its end"."""
    end = day_start(dt.date(year + 1, 1, 1), zone) - dt.timedelta(microseconds=1)
    return stamp(end)


class Clock(ABC):
    """The current time and local dates in one zone. Subclasses say where "now" comes from."""

    def __init__(self, zone: dt.tzinfo) -> None:
        self.zone = zone

    @abstractmethod
    def read(self) -> dt.datetime:
        """The current instant (aware)."""

    def now(self) -> dt.datetime:
        """The current time, aware, in local time."""
        return self.read().astimezone(self.zone)

    def today(self) -> dt.date:
        return self.now().date()

    def stamp(self) -> str:
        """The current instant as stored."""
        return stamp(self.read())

    def local(self, at: Instant) -> dt.datetime:
        return local(at, self.zone)

    def day(self, at: Instant) -> dt.date:
        """The local date of an instant."""
        return local_day(at, self.zone)

    def days_since(self, at: Instant) -> int:
        """Whole local days from an instant's date to today (0: today, 1: yesterday)."""
        return (self.today() - self.day(at)).days

    def iso(self, at: Instant) -> str:
        return iso(at, self.zone)


class SystemClock(Clock):
    """The wall clock: the one place that reads it."""

    def read(self) -> dt.datetime:
        return dt.datetime.now(dt.UTC)


class FixedClock(Clock):
    """A clock that stands still until it is set or moved (tests, scripted walks)."""

    def __init__(self, zone: dt.tzinfo, at: dt.datetime) -> None:
        super().__init__(zone)
        self.set(at)

    def set(self, at: dt.datetime) -> None:
        """Stand at `at` (aware; a naive time is read as local)."""
        self._at = at if at.tzinfo is not None else at.replace(tzinfo=self.zone)

    def advance(self, delta: dt.timedelta) -> None:
        self._at += delta

    def read(self) -> dt.datetime:
        return self._at
