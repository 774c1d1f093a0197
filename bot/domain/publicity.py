"""公示 as a period, as pure rules: its days, when 公布 may follow, what an objection may do.

The seeds name 公示 as a stage ("市级认定—公示—公布", seed 000 四（三）; "认定结果将在市政府网络进
行公示、公开", 四（二）) but print no length, so a program stage carries `days` only where its
seed gives one (none does) and otherwise the city gives the number of days when it records the
公示. The period runs from the local day it is recorded for `days` days, both ends included.
Objections (异议) are recorded while it runs; 公布 is refused until its last day has passed and
while any objection of the period is unresolved. An upheld objection sends the check back (its
recognition withdrawn); a dismissed one is closed with the city's reason.
"""

from __future__ import annotations

import datetime as dt
from typing import Final, Literal, NamedTuple

from bot.domain.errors import ReviewError

UPHELD: Final = "upheld"
DISMISSED: Final = "dismissed"
Outcome = Literal["upheld", "dismissed"]
OUTCOMES: Final = (UPHELD, DISMISSED)


def period(start: dt.date, days: int) -> tuple[dt.date, dt.date]:
    """The first and last day of a 公示 of `days` days recorded on `start`."""
    return start, start + dt.timedelta(days=days - 1)


def running(today: dt.date, start: dt.date, end: dt.date) -> bool:
    return start <= today <= end


def check_publish(today: dt.date, end: dt.date, open_objections: int) -> None:
    """ReviewError unless 公布 may be recorded today after a 公示 ending on `end`."""
    if today <= end:
        raise ReviewError("publicity_running", end=end.isoformat())
    if open_objections:
        raise ReviewError("objection_open", n=open_objections)


class Period(NamedTuple):
    id: int
    assessment_id: int
    stage: str
    start: dt.date
    end: dt.date
    days: int
    open: int  # objections still unresolved


class Objection(NamedTuple):
    id: int
    publicity_id: int
    assessment_id: int
    received_at: str
    by: str | None  # who recorded it (name, else id)
    source: str
    body: str
    outcome: str | None
    reason: str | None
    resolved_at: str | None
