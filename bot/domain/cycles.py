"""Years (创建年度) and corrective actions (整改) as pure rules: no SQL, no clock reads.

* A check belongs to the year it is opened in (its cycle) and a kind: 创建 (a first check),
  复审 (a yearly re-review of a recognised community, for programs that re-review) or 直接认定
  (a first check that took the program's direct route when submitted).
* Starting a new year carries last year's answers forward as a draft (上年): they are shown
  beside each item and count only once confirmed ("与上年相同") or answered again.
* The target in force for a year is the latest one set for it or before (by the program or by
  an admin), shown with the year it comes from, never invented: before the first one there is
  none (a later year's figure is not borrowed).
* A community is recognised at a moment when its latest pass by then is later than its latest
  withdrawal (a failed 复审) by then.
* An action is open, closing (closed with evidence, waiting for a reviewer), or closed; an open
  one past its due day is overdue.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping, Sequence
from typing import NamedTuple

from bot.domain.workflow import ACTION_CLOSED, ACTION_CLOSING, ACTION_OPEN

CREATE = "create"  # 创建
REREVIEW = "rereview"  # 复审
DIRECT = "direct"  # 直接认定: a program's direct route (Heyuan's former provincial communities)
KINDS = (CREATE, REREVIEW, DIRECT)

# An action's states are declared in bot.domain.workflow (ACTION); overdue is derived from them.
OVERDUE = "overdue"  # derived: open past its due day

BEFORE_DAYS = (3, 1, 0)  # owners are reminded this many days before the due day (0: on it)
AFTER_DAYS = (1, 3, 7)  # and this many days after it while the action stays open


def kind_for(rereviews: bool, recognised: bool) -> str:
    """A new year's check is a 复审 for a recognised community of a re-reviewing program."""
    return REREVIEW if rereviews and recognised else CREATE


def cycle_of(day: dt.date) -> int:
    """The year (创建年度) a check opened on `day` belongs to."""
    return day.year


def read_only(cycle: int | None, current: int) -> bool:
    """A past year's check is readable, never editable."""
    return cycle is not None and cycle < current


class TargetInForce(NamedTuple):
    pct: float
    year: int  # the year the figure was set for (its source)
    by: str | None  # None: the program's document; else who set it


def target_in_force(
    program: Sequence[tuple[int, float]],
    set_by_admins: Sequence[tuple[int, float, str | None]],
    year: int,
) -> TargetInForce | None:
    """The target in force for `year`: the latest one for it or before (an admin's wins over the
    program's for the same year; the higher program figure when the program names two). None
    before every target: a later year's figure is never borrowed."""
    found: dict[int, TargetInForce] = {}
    for y, pct in sorted(program, key=lambda t: (t[0], t[1])):
        found[y] = TargetInForce(pct, y, None)
    for y, pct, by in set_by_admins:
        found[y] = TargetInForce(pct, y, by or "?")
    past = [y for y in found if y <= year]
    return found[max(past)] if past else None


class Standing(NamedTuple):
    """A community done (达标) at some moment: since when, and the check of its latest verdict."""

    since: str  # its first verdict after its latest withdrawal (a stamp)
    aid: int  # the check of its latest verdict


def standing(
    verdicts: Iterable[tuple[int, int, str]],
    withdrawals: Iterable[tuple[int, str]],
    at: str | None,
) -> dict[int, Standing]:
    """{community: Standing} of the communities done at `at` (a stamp; None: after everything
    recorded), from their verdicts (community, check, when) and withdrawals (community, when):
    a verdict by then later than their latest withdrawal by then. A recognition withdrawn stops
    counting from that date."""
    last_drop: dict[int, str] = {}
    for cid, when in withdrawals:
        if (at is None or when <= at) and when > last_drop.get(cid, ""):
            last_drop[cid] = when
    out: dict[int, Standing] = {}
    for cid, aid, when in sorted(verdicts, key=lambda v: v[2]):
        if (at is not None and when > at) or when <= last_drop.get(cid, ""):
            continue
        found = out.get(cid)
        out[cid] = Standing(found.since if found else when, aid)
    return out


def carry(previous: Mapping[str, tuple[object, ...]], questions: Iterable[str]) -> list[str]:
    """The items of last year's answers that carry into this year's standard (answered ones)."""
    wanted = set(questions)
    return [q for q, row in previous.items() if q in wanted and row and row[0] is not None]


def action_state(status: str, due: str, today: dt.date) -> str:
    """open | overdue | closing | closed (overdue: still open past its due day; an action its
    owner closed waits for confirmation, whatever the day: the owner has done their part)."""
    if status in (ACTION_CLOSED, ACTION_CLOSING):
        return status
    if due < today.isoformat():
        return OVERDUE
    return status


def reminder_day(due: dt.date, today: dt.date) -> int | None:
    """Days before (positive) or after (negative) the due day to remind on today, else None."""
    delta = (due - today).days
    if delta in BEFORE_DAYS or -delta in AFTER_DAYS:
        return delta
    return None


def overdue_first(rows: Sequence[tuple[str, str]], today: dt.date) -> list[int]:
    """Indexes of (status, due) rows: overdue first, then by due day."""
    order = {OVERDUE: 0, ACTION_OPEN: 1, ACTION_CLOSING: 2, ACTION_CLOSED: 3}
    return sorted(
        range(len(rows)),
        key=lambda i: (order[action_state(rows[i][0], rows[i][1], today)], rows[i][1], i),
    )


def parse_pct(text: str) -> float | None:
    """'70%' / '70' / '７０％' → 70.0 (0 < pct ≤ 100), else None."""
    clean = text.strip().translate(str.maketrans("０１２３４５６７８９．％", "0123456789.%"))
    clean = clean.removesuffix("%")
    try:
        value = float(clean)
    except ValueError:
        return None
    return value if 0 < value <= 100 else None


def parse_year(text: str) -> int | None:
    """'2026' (a year word may follow) → 2026, within 2000-2100; else None."""
    found = re.fullmatch(r"(\d{4})\D?", text.strip())
    year = int(found.group(1)) if found else 0
    return year if 2000 <= year <= 2100 else None
