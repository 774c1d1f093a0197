"""Schedule maths for deadlines and reminders: lead times, slots, occurrences. Pure.

Deadlines are the active program's (`standards/programs/*.yaml`) plus the ones admins add in chat
(ids `custom-<n>`). Each occurrence of a deadline has a schedule of *slots*: one per lead day of
its policy (default 14, 7, 3, 1 and 0 days before), then one every `overdue_every` days while
overdue, at most `overdue_max` times, each at the policy's local hour.

A slot is *active* from its time until the next slot's time (the last one for `overdue_every`
days). At any moment at most one slot per occurrence is active, and that is the one sent: a
reminder missed while the bot was down is sent once on start (the latest missed slot only), and
a slot whose window passed is never sent late.

Who is reminded: for `audience: contact`, the county contacts of every county that has not
confirmed the occurrence, and groups bound to such a county when the program has
`group_digest`; for `audience: street`, the reviewers of every street that has not confirmed
it; for `audience: worker`, the workers of communities whose check is not submitted; for
`audience: community` (a community's own report), the workers of every community that has not
confirmed the occurrence itself.

No clock is read here: `now` and `today` are parameters.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from typing import Any, Literal

from bot.domain.errors import ReminderError
from bot.domain.programs import Deadline, Program, ReminderPolicy
from bot.domain.text import clean, stored

CUSTOM_PREFIX = "custom-"
TITLE_MAX = 100
MAX_ATTEMPTS = 5  # runs that may try one reminder (each run tries up to Delivery.attempts times)
STALE_SENDING = dt.timedelta(minutes=10)  # a claim older than this died with its process
# A one-off deadline lies at most this many days ahead. The seeds' reporting rhythm is at most
# yearly (annual reports by 10-20, 11-15, 11-20 or 11-30 every year; half-yearly progress
# tables), /deadlines lists one year ahead, and a recurring date is `每年 MM-DD`; a one-off date
# further away is a typo or next cycle's business, and would sit unseen in every list.
HORIZON_DAYS = 366

Kind = Literal["contact", "street", "worker", "group", "community"]


# -- custom deadlines --------------------------------------------------------------------------


def default_recipient(program: Program) -> str:
    """The office most contact deadlines of the program report to (for custom deadlines)."""
    offices = Counter(d.recipient for d in program.deadlines if d.audience == "contact")
    return offices.most_common(1)[0][0] if offices else program.region


def clean_title(title: str) -> str:
    """Cleaned (bot.domain.text), whitespace collapsed; raise ReminderError when empty or
    longer than TITLE_MAX."""
    title = stored(" ".join(clean(title).split()), TITLE_MAX, _title_too_long)
    if not title:
        raise ReminderError("title_missing")
    return title


def _title_too_long(length: int, limit: int) -> ReminderError:
    return ReminderError("title_too_long", limit=limit, length=length)


def clean_annual(annual: str) -> str:
    """Normalise an annual month-day to MM-DD; a day every year has (not 02-29)."""
    m = re.fullmatch(r"(\d{1,2})-(\d{1,2})", annual)
    try:
        if m is None:
            raise ValueError(annual)
        month, day = int(m[1]), int(m[2])
        dt.date(2001, month, day)
    except ValueError:
        raise ReminderError("bad_date", given=annual) from None
    return f"{month:02d}-{day:02d}"


def check_due(due: dt.date, today: dt.date) -> dt.date:
    """A one-off deadline's date: not in the past, at most HORIZON_DAYS ahead; else ReminderError."""
    if due < today:
        raise ReminderError("date_past", date=due.isoformat())
    if (due - today).days > HORIZON_DAYS:
        last = today + dt.timedelta(days=HORIZON_DAYS)
        raise ReminderError("date_too_far", date=due.isoformat(), last=last.isoformat())
    return due


def custom_key(program: Program, did: str) -> int:
    """The row number of a custom deadline id (`custom-<n>` or `<n>`); ReminderError otherwise."""
    key = did.strip().lower()
    if key.startswith(CUSTOM_PREFIX):
        key = key[len(CUSTOM_PREFIX) :]
    if key.isdigit():
        return int(key)
    if any(d.id == did.strip() for d in program.deadlines):
        raise ReminderError("program_deadline", id=did.strip())
    raise ReminderError("unknown_deadline", id=did.strip())


# -- the schedule ------------------------------------------------------------------------------


def policy_for(program: Program, deadline: Deadline) -> ReminderPolicy:
    return deadline.policy or program.reminder_policy


def leads(policy: ReminderPolicy) -> list[int]:
    """Lead days in sending order: the lead days, then the overdue repeats (negative)."""
    overdue = [-policy.overdue_every * k for k in range(1, policy.overdue_max + 1)]
    return sorted(set(policy.lead_days) | set(overdue), reverse=True)


@dataclass(frozen=True)
class Slot:
    lead: int  # days before the occurrence (negative: overdue)
    at: dt.datetime  # local time it becomes due
    until: dt.datetime  # when the next slot takes over (or the schedule ends)


def slots(occurrence: dt.date, policy: ReminderPolicy, tz: dt.tzinfo | None) -> list[Slot]:
    """The occurrence's reminder slots, earliest first."""
    hour = dt.time(policy.hour, tzinfo=tz)
    times = [
        (lead, dt.datetime.combine(occurrence - dt.timedelta(days=lead), hour))
        for lead in leads(policy)
    ]
    out = []
    for i, (lead, at) in enumerate(times):
        last = i + 1 >= len(times)
        until = at + dt.timedelta(days=policy.overdue_every) if last else times[i + 1][1]
        out.append(Slot(lead, at, until))
    return out


def active_slot(occurrence: dt.date, policy: ReminderPolicy, now: dt.datetime) -> Slot | None:
    """The slot to send at `now`: the latest one already due whose window is still open."""
    for s in slots(occurrence, policy, now.tzinfo):
        if s.at <= now < s.until:
            return s
    return None


def window(policy: ReminderPolicy) -> tuple[int, int]:
    """Days before and after today an occurrence with an active slot can lie."""
    ls = leads(policy) or [0]
    ahead = max(0, max(ls)) + 1
    back = max(0, -min(ls)) + policy.overdue_every + 1
    return ahead, back


def upcoming(
    deadlines: Iterable[Deadline], program: Program, today: dt.date, days: int = 366
) -> list[tuple[Deadline, dt.date]]:
    """Occurrences from today on, plus overdue ones still being reminded, by date."""
    out = []
    for d in deadlines:
        _, back = window(policy_for(program, d))
        for occ in d.occurrences(today - dt.timedelta(days=back), today + dt.timedelta(days=days)):
            out.append((d, occ))
    return sorted(out, key=lambda x: (x[1], x[0].id))


def active(
    deadlines: Iterable[Deadline], program: Program, now: dt.datetime
) -> list[tuple[Deadline, dt.date, Slot]]:
    """Every (deadline, occurrence, slot) with a slot active at `now` (local time)."""
    today = now.date()
    out = []
    for d in deadlines:
        pol = policy_for(program, d)
        ahead, back = window(pol)
        for occ in d.occurrences(today - dt.timedelta(days=back), today + dt.timedelta(days=ahead)):
            slot = active_slot(occ, pol, now)
            if slot is not None:
                out.append((d, occ, slot))
    return out


def next_occurrence(deadline: Deadline, today: dt.date) -> dt.date:
    """The deadline's next occurrence from today on (today when it has none within a year)."""
    nxt = deadline.occurrences(today, today + dt.timedelta(days=366))
    return nxt[0] if nxt else today


def max_lead(program: Program, deadline: Deadline) -> int:
    """How many days before an occurrence its first reminder goes out."""
    return max([0, *policy_for(program, deadline).lead_days])


def confirmable(program: Program, deadline: Deadline, occurrence: dt.date, today: dt.date) -> bool:
    """Whether a county may confirm this occurrence today: the deadline really has it, and it is
    no further ahead than the first reminder (a past one may still be confirmed late)."""
    if occurrence not in deadline.occurrences(occurrence, occurrence):
        return False
    return (occurrence - today).days <= max_lead(program, deadline)


def end_of_day(day: dt.date, tz: dt.tzinfo) -> dt.datetime:
    """The last second of `day` in `tz`: "what is due on that day" is what is due by then."""
    return dt.datetime.combine(day, dt.time(23, 59, 59), tzinfo=tz)


def days_left(occurrence: dt.date, today: dt.date) -> int:
    """Days from today to the occurrence (negative: overdue)."""
    return (occurrence - today).days


# -- recipients and what is due ----------------------------------------------------------------


@dataclass(frozen=True)
class Recipient:
    chat_id: int
    kind: Kind
    counties: tuple[int, ...] = ()  # contact and group: the counties it speaks for
    communities: tuple[int, ...] = ()  # worker: communities whose check is not submitted
    reachable: bool = True
    lang: str = "zh"
    streets: tuple[int, ...] = ()  # street: the streets it reviews


@dataclass(frozen=True)
class Due:
    """One reminder to send: a recipient, a deadline occurrence and the slot's lead."""

    recipient: int  # user id or group chat id
    deadline: str
    occurrence: dt.date
    lead: int
    reachable: bool
    kind: Kind
    counties: tuple[int, ...] = ()
    communities: tuple[int, ...] = ()
    lang: str = "zh"
    streets: tuple[int, ...] = ()

    def as_dict(self) -> dict[str, Any]:
        return {
            "recipient": self.recipient,
            "deadline": self.deadline,
            "occurrence": self.occurrence.isoformat(),
            "lead": self.lead,
            "reachable": self.reachable,
            "reason": None if self.reachable else "unreachable",
            "kind": self.kind,
            "counties": list(self.counties),
            "communities": list(self.communities),
            "streets": list(self.streets),
        }


@dataclass(frozen=True)
class NoContact:
    """A contact reminder due for counties that no one receives (no contact, no bound group),
    or a street's reminder due for streets without a reviewer (`streets`, kind "street")."""

    deadline: str
    occurrence: dt.date
    lead: int
    counties: tuple[int, ...]
    streets: tuple[int, ...] = ()

    def as_dict(self) -> dict[str, Any]:
        """Shaped like Due.as_dict: recipient null, not reachable, and why."""
        return {
            "recipient": None,
            "deadline": self.deadline,
            "occurrence": self.occurrence.isoformat(),
            "lead": self.lead,
            "reachable": False,
            "reason": "no_contact",
            "kind": "street" if self.streets else "contact",
            "counties": list(self.counties),
            "communities": [],
            "streets": list(self.streets),
        }


def no_contact(
    counties: Iterable[int], reached: Collection[int], confirmed: Collection[int]
) -> tuple[int, ...]:
    """The counties of a contact slot no reminder reaches: not confirmed, and no one to tell."""
    return tuple(c for c in counties if c not in reached and c not in confirmed)


def due_for(
    pool: Iterable[Recipient],
    deadline_id: str,
    occurrence: dt.date,
    lead: int,
    confirmed: Collection[int],
    done: Collection[int],
) -> list[Due]:
    """The reminders of one slot: every recipient not `done`, with the counties (contacts and
    groups), streets or communities (their own duties) not `confirmed`; one left with none
    gets nothing. A self-check reminder (`worker`) has no confirmation: it stops on submission."""
    out = []
    for r in pool:
        if r.chat_id in done:
            continue
        counties = tuple(c for c in r.counties if c not in confirmed)
        streets = tuple(c for c in r.streets if c not in confirmed)
        communities = r.communities
        if r.kind == "community":
            communities = tuple(c for c in communities if c not in confirmed)
        left = {"community": communities, "street": streets}.get(r.kind, counties)
        if r.kind != "worker" and not left:
            continue
        out.append(
            Due(
                r.chat_id,
                deadline_id,
                occurrence,
                lead,
                r.reachable,
                r.kind,
                counties,
                communities,
                r.lang,
                streets,
            )
        )
    return out


def sending_order(rows: list[Due]) -> list[Due]:
    """By occurrence, deadline and lead (stable: recipients keep their order)."""
    return sorted(rows, key=lambda x: (x.occurrence, x.deadline, x.lead))
