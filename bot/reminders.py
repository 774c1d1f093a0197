"""Deadlines and reminders: what is due, to whom, and what it says. No Telegram here.

Deadlines are the active program's (`standards/programs/*.yaml`) plus the ones admins add in chat
(`custom_deadlines`, ids `custom-<n>`). Each occurrence of a deadline has a schedule of *slots*:
one per lead day of its policy (default 14, 7, 3, 1 and 0 days before), then one every
`overdue_every` days while overdue, at most `overdue_max` times, each at the policy's local hour.

A slot is *active* from its time until the next slot's time (the last one for `overdue_every`
days). At any moment at most one slot per occurrence is active, and that is the one sent: a
reminder missed while the bot was down is sent once on start (the latest missed slot only), and
a slot whose window passed is never sent late.

Who is reminded: for `audience: contact`, the county contacts (role `contact`) of every county
that has not confirmed the occurrence, and groups bound to such a county when the program has
`group_digest`; for `audience: worker`, the workers of communities whose check is not submitted.

Every send is claimed first in `reminder_log` (INSERT OR IGNORE, status 'sending'), keyed by
(program, deadline, occurrence, recipient, lead): overlapping ticks, `/remind` and a restart can
never send the same reminder twice. A reminder is done once 'sent' or 'unreachable' (403); one
that 'failed' (network, 429 after its tries, a Telegram error), or was left 'sending' for more
than `STALE_SENDING` by a crash, is claimed again by a later run (one UPDATE whose row count says
who won), at most `MAX_ATTEMPTS` runs in all. The attempt number lives in the `error` text
("attempt 2: …"), so the table needs no new column.
"""

from __future__ import annotations

import datetime as dt
import html
import re
import time
from collections import Counter, defaultdict, deque
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

import sqlite_utils

from bot.domain.programs import Deadline, Program, ReminderPolicy
from bot.domain.standards import Standard
from bot.services.reports import CommunityRow, CountyRow, community_status, county_status
from bot.store.db import now as utc_now
from bot.texts import t

CUSTOM_PREFIX = "custom-"
TITLE_MAX = 100
OPEN_SHOWN = 12  # communities named in a reminder before "…（另 N 个）"
TEXT_MAX = 4000  # Telegram allows 4096 characters
CONFIRM = re.compile(r"^r:(?P<did>[a-z0-9-]{1,40}):(?P<occ>\d{8}):(?P<cid>\d{1,12})$")
DETAILS = re.compile(r"^rd:(?P<cid>\d{1,12})$")
MAX_ATTEMPTS = 5  # runs that may try one reminder (each run tries up to Delivery.attempts times)
STALE_SENDING = dt.timedelta(minutes=10)  # a claim older than this died with its process

Kind = Literal["contact", "worker", "group"]
Buttons = list[list[tuple[str, str]]]


class ReminderError(ValueError):
    """A deadline request that cannot be done; `code` selects the user-facing message."""

    def __init__(self, code: str, **info: Any) -> None:
        super().__init__(code)
        self.code = code
        self.info = info


# -- deadlines -------------------------------------------------------------------------------------


def _default_recipient(program: Program) -> str:
    """The office most contact deadlines of the program report to (for custom deadlines)."""
    offices = Counter(d.recipient for d in program.deadlines if d.audience == "contact")
    return offices.most_common(1)[0][0] if offices else program.region


def _custom(program: Program, row: Sequence[Any]) -> Deadline:
    cid, title, due, annual, created_at = row
    return Deadline(
        id=f"{CUSTOM_PREFIX}{cid}",
        title=str(title),
        submitter=f"各{program.unit}",
        recipient=_default_recipient(program),
        dates=[dt.date.fromisoformat(due)] if due else [],
        annual=annual or None,
        source=f"管理员在聊天中添加（{str(created_at or '')[:10]}）",
    )


def custom_deadlines(db: sqlite_utils.Database, program: Program) -> list[Deadline]:
    rows = db.conn.execute(
        "SELECT id, title, due, annual, created_at FROM custom_deadlines"
        " WHERE program_id = ? AND deleted = 0 ORDER BY id",
        [program.id],
    ).fetchall()
    return [_custom(program, r) for r in rows]


def all_deadlines(db: sqlite_utils.Database, program: Program) -> list[Deadline]:
    """The program's deadlines, then the custom ones added in chat."""
    return [*program.deadlines, *custom_deadlines(db, program)]


def find_deadline(db: sqlite_utils.Database, program: Program, did: str) -> Deadline | None:
    return next((d for d in all_deadlines(db, program) if d.id == did), None)


def add_custom(
    db: sqlite_utils.Database,
    program: Program,
    title: str,
    by: int,
    *,
    due: dt.date | None = None,
    annual: str | None = None,
) -> Deadline:
    """Add a one-off (`due`) or annual (`annual` MM-DD) deadline to the active program."""
    title = " ".join(title.split())
    if not title:
        raise ReminderError("title_missing")
    if len(title) > TITLE_MAX:
        raise ReminderError("title_too_long", limit=TITLE_MAX, length=len(title))
    if (due is None) == (annual is None):
        raise ReminderError("bad_date")
    if annual is not None:
        m = re.fullmatch(r"(\d{1,2})-(\d{1,2})", annual)
        try:
            if m is None:
                raise ValueError(annual)
            month, day = int(m[1]), int(m[2])
            dt.date(2001, month, day)  # a day every year has (not 02-29)
        except ValueError:
            raise ReminderError("bad_date") from None
        annual = f"{month:02d}-{day:02d}"
    cur = db.conn.execute(
        "INSERT INTO custom_deadlines (program_id, title, due, annual, created_by, created_at,"
        " deleted) VALUES (?, ?, ?, ?, ?, ?, 0)",
        [program.id, title, due.isoformat() if due else None, annual, by, utc_now()],
    )
    row = db.conn.execute(
        "SELECT id, title, due, annual, created_at FROM custom_deadlines WHERE id = ?",
        [cur.lastrowid],
    ).fetchone()
    return _custom(program, row)


def delete_custom(db: sqlite_utils.Database, program: Program, did: str) -> Deadline:
    """Remove a custom deadline (`custom-<n>` or `<n>`); program deadlines stay in their file."""
    key = did.strip().lower()
    if key.startswith(CUSTOM_PREFIX):
        key = key[len(CUSTOM_PREFIX) :]
    if not key.isdigit():
        if any(d.id == did.strip() for d in program.deadlines):
            raise ReminderError("program_deadline", id=did.strip())
        raise ReminderError("unknown_deadline", id=did.strip())
    found = find_deadline(db, program, f"{CUSTOM_PREFIX}{int(key)}")
    if found is None:
        raise ReminderError("unknown_deadline", id=did.strip())
    db.conn.execute(
        "UPDATE custom_deadlines SET deleted = 1 WHERE id = ? AND program_id = ?",
        [int(key), program.id],
    )
    return found


# -- the schedule ------------------------------------------------------------------------------------


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
        until = (
            times[i + 1][1] if i + 1 < len(times) else at + dt.timedelta(days=policy.overdue_every)
        )
        out.append(Slot(lead, at, until))
    return out


def active_slot(occurrence: dt.date, policy: ReminderPolicy, now: dt.datetime) -> Slot | None:
    """The slot to send at `now`: the latest one already due whose window is still open."""
    for s in slots(occurrence, policy, now.tzinfo):
        if s.at <= now < s.until:
            return s
    return None


def _window(policy: ReminderPolicy) -> tuple[int, int]:
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
        _, back = _window(policy_for(program, d))
        for occ in d.occurrences(today - dt.timedelta(days=back), today + dt.timedelta(days=days)):
            out.append((d, occ))
    return sorted(out, key=lambda x: (x[1], x[0].id))


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


# -- recipients ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Recipient:
    chat_id: int
    kind: Kind
    counties: tuple[int, ...] = ()  # contact and group: the counties it speaks for
    communities: tuple[int, ...] = ()  # worker: communities whose check is not submitted
    reachable: bool = True
    lang: str = "zh"


def contact_recipients(db: sqlite_utils.Database, program: Program) -> list[Recipient]:
    """County contacts (one entry per user, with all their counties) and county-bound groups."""
    by_user: dict[int, list[int]] = defaultdict(list)
    meta: dict[int, tuple[bool, str]] = {}
    for uid, cid, reachable, lang in db.conn.execute(
        "SELECT r.user_id, r.county_id, ifnull(u.reachable, 1), ifnull(u.lang, 'zh')"
        " FROM roles r LEFT JOIN users u ON u.id = r.user_id"
        " WHERE r.role = 'contact' AND r.county_id IS NOT NULL ORDER BY r.county_id, r.user_id"
    ):
        by_user[int(uid)].append(int(cid))
        meta[int(uid)] = (bool(reachable), str(lang))
    out = [Recipient(uid, "contact", tuple(cids), (), *meta[uid]) for uid, cids in by_user.items()]
    if program.group_digest:
        out += [
            Recipient(int(chat_id), "group", (int(cid),))
            for chat_id, cid in db.conn.execute(
                "SELECT chat_id, county_id FROM groups WHERE county_id IS NOT NULL ORDER BY chat_id"
            )
        ]
    return out


def worker_recipients(db: sqlite_utils.Database, program: Program) -> list[Recipient]:
    """Workers of communities whose check (for the program's standard) is not submitted."""
    by_user: dict[int, list[int]] = defaultdict(list)
    meta: dict[int, tuple[bool, str]] = {}
    for uid, cid, reachable, lang in db.conn.execute(
        "SELECT r.user_id, r.community_id, ifnull(u.reachable, 1), ifnull(u.lang, 'zh')"
        " FROM roles r LEFT JOIN users u ON u.id = r.user_id"
        " LEFT JOIN assessments a ON a.community_id = r.community_id AND a.standard_id = ?"
        " WHERE r.role = 'worker' AND r.community_id IS NOT NULL"
        " AND a.status IS NOT 'submitted' ORDER BY r.community_id, r.user_id",
        [program.standard],
    ):
        by_user[int(uid)].append(int(cid))
        meta[int(uid)] = (bool(reachable), str(lang))
    return [Recipient(uid, "worker", (), tuple(cids), *meta[uid]) for uid, cids in by_user.items()]


def confirmations(
    db: sqlite_utils.Database, program_id: str, deadline_id: str, occurrence: dt.date
) -> dict[int, tuple[int | None, str]]:
    """county id -> (user id, at) of the counties that confirmed this occurrence."""
    return {
        int(cid): (uid, str(at))
        for cid, uid, at in db.conn.execute(
            "SELECT county_id, user_id, at FROM deadline_confirmations"
            " WHERE program_id = ? AND deadline_id = ? AND occurrence = ?",
            [program_id, deadline_id, occurrence.isoformat()],
        )
    }


def confirm(
    db: sqlite_utils.Database,
    program_id: str,
    deadline_id: str,
    occurrence: dt.date,
    county_id: int,
    user_id: int,
) -> bool:
    """Record that a county submitted this occurrence; False when it was already confirmed."""
    cur = db.conn.execute(
        "INSERT OR IGNORE INTO deadline_confirmations"
        " (program_id, deadline_id, occurrence, county_id, user_id, at) VALUES (?, ?, ?, ?, ?, ?)",
        [program_id, deadline_id, occurrence.isoformat(), county_id, user_id, utc_now()],
    )
    return cur.rowcount == 1


# -- what is due -------------------------------------------------------------------------------------


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

    def as_dict(self) -> dict[str, Any]:
        return {
            "recipient": self.recipient,
            "deadline": self.deadline,
            "occurrence": self.occurrence.isoformat(),
            "lead": self.lead,
            "reachable": self.reachable,
            "kind": self.kind,
            "counties": list(self.counties),
            "communities": list(self.communities),
        }


# The attempt a row is on: "attempt N" while sending, "attempt N: <error>" once failed (rows
# written before attempts were counted hold the bare error: their first attempt).
_ATTEMPT = (
    "(CASE WHEN error LIKE 'attempt %' THEN max(1, CAST(substr(error, 9) AS INTEGER)) ELSE 1 END)"
)
# A row another run may claim again: failed, or left 'sending' by a crash; under the cap.
_RETRYABLE = f"(status = 'failed' OR (status = 'sending' AND at < :stale)) AND {_ATTEMPT} < :cap"


def _stale_before() -> str:
    """`reminder_log.at` (UTC text, bot.db.now) before which a 'sending' claim is dead."""
    return (dt.datetime.now(dt.UTC) - STALE_SENDING).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _done(
    db: sqlite_utils.Database,
    program_id: str,
    deadline_id: str,
    occ: dt.date,
    lead: int,
    stale: str,
) -> set[int]:
    """Recipients of this slot that are not to be tried again (sent, unreachable, in flight,
    or out of attempts)."""
    return {
        int(r[0])
        for r in db.conn.execute(
            "SELECT recipient FROM reminder_log WHERE program_id = :p AND deadline_id = :d"
            f" AND occurrence = :o AND lead = :l AND NOT ({_RETRYABLE})",
            {
                "p": program_id,
                "d": deadline_id,
                "o": occ.isoformat(),
                "l": lead,
                "stale": stale,
                "cap": MAX_ATTEMPTS,
            },
        )
    }


def due(db: sqlite_utils.Database, program: Program, now_local: dt.datetime) -> list[Due]:
    """Work out the reminders due at `now_local` that were not sent (or claimed) yet, and the
    failed ones still under `MAX_ATTEMPTS`.

    Ordered by deadline occurrence, then recipient, so one recipient's reminders are spread out.
    """
    today = now_local.date()
    stale = _stale_before()
    contacts: list[Recipient] | None = None
    workers: list[Recipient] | None = None
    out: list[Due] = []
    for d in all_deadlines(db, program):
        pol = policy_for(program, d)
        ahead, back = _window(pol)
        for occ in d.occurrences(today - dt.timedelta(days=back), today + dt.timedelta(days=ahead)):
            slot = active_slot(occ, pol, now_local)
            if slot is None:
                continue
            if d.audience == "worker":
                workers = worker_recipients(db, program) if workers is None else workers
                pool = workers
                done: set[int] = set()
            else:
                contacts = contact_recipients(db, program) if contacts is None else contacts
                pool = contacts
                done = set(confirmations(db, program.id, d.id, occ))
            sent = _done(db, program.id, d.id, occ, slot.lead, stale)
            for r in pool:
                if r.chat_id in sent:
                    continue
                counties = tuple(c for c in r.counties if c not in done)
                if r.kind != "worker" and not counties:
                    continue
                out.append(
                    Due(
                        r.chat_id,
                        d.id,
                        occ,
                        slot.lead,
                        r.reachable,
                        r.kind,
                        counties,
                        r.communities,
                        r.lang,
                    )
                )
    out.sort(key=lambda x: (x.occurrence, x.deadline, x.lead))
    return out


# -- the log ---------------------------------------------------------------------------------------------


def _key(program_id: str, d: Due) -> dict[str, Any]:
    return {
        "p": program_id,
        "d": d.deadline,
        "o": d.occurrence.isoformat(),
        "r": d.recipient,
        "l": d.lead,
    }


_WHERE_KEY = (
    "program_id = :p AND deadline_id = :d AND occurrence = :o AND recipient = :r AND lead = :l"
)


def claim(db: sqlite_utils.Database, program_id: str, d: Due) -> bool:
    """Reserve this reminder before sending; False when another run has it, or it is done.

    A new reminder is inserted; a failed one (or one a crash left 'sending' for longer than
    STALE_SENDING) is taken over by a single UPDATE, so of two runs only one gets it.
    """
    key = _key(program_id, d)
    cur = db.conn.execute(
        "INSERT OR IGNORE INTO reminder_log"
        " (program_id, deadline_id, occurrence, recipient, lead, status, error, at)"
        " VALUES (:p, :d, :o, :r, :l, 'sending', 'attempt 1', :now)",
        key | {"now": utc_now()},
    )
    if cur.rowcount == 1:
        return True
    cur = db.conn.execute(
        f"UPDATE reminder_log SET status = 'sending', error = 'attempt ' || ({_ATTEMPT} + 1),"
        f" at = :now WHERE {_WHERE_KEY} AND {_RETRYABLE}",
        key | {"now": utc_now(), "stale": _stale_before(), "cap": MAX_ATTEMPTS},
    )
    return cur.rowcount == 1


def finish(
    db: sqlite_utils.Database, program_id: str, d: Due, status: str, error: str | None = None
) -> int:
    """Record how a claimed reminder ended (sent, unreachable or failed); return its attempt.

    A failure keeps the attempt number in front of the error ("attempt 2: Timed out").
    """
    key = _key(program_id, d)
    row = db.conn.execute(f"SELECT {_ATTEMPT} FROM reminder_log WHERE {_WHERE_KEY}", key).fetchone()
    attempt = int(row[0]) if row else 1
    if status == "failed":
        error = f"attempt {attempt}: {error or '?'}"
    db.conn.execute(
        f"UPDATE reminder_log SET status = :s, error = :e, at = :now WHERE {_WHERE_KEY}",
        key | {"s": status, "e": error, "now": utc_now()},
    )
    if d.kind != "group" and status in ("sent", "unreachable"):
        db.conn.execute(
            "UPDATE users SET reachable = ? WHERE id = ?", [int(status == "sent"), d.recipient]
        )
    return attempt


@dataclass(frozen=True)
class Failure:
    """A recipient whose latest reminder failed (and none has reached them since)."""

    recipient: int
    deadline: str
    occurrence: dt.date
    error: str
    attempts: int
    at: str  # UTC, bot.db.now
    retrying: bool  # a later run will try it again


_ATTEMPT_PREFIX = re.compile(r"^attempt \d+: ?")


def failures(db: sqlite_utils.Database, program_id: str, limit: int = 200) -> list[Failure]:
    """Recipients whose newest failed reminder was not followed by a sent one, newest first.

    Two queries whatever the numbers: the failed rows, then the last send to those recipients.
    """
    rows = db.conn.execute(
        f"SELECT recipient, deadline_id, occurrence, error, {_ATTEMPT}, at FROM reminder_log"
        " WHERE program_id = ? AND status = 'failed' ORDER BY at DESC LIMIT ?",
        [program_id, limit],
    ).fetchall()
    latest: dict[int, Failure] = {}
    for rid, did, occ, error, attempt, at in rows:
        if int(rid) not in latest:
            latest[int(rid)] = Failure(
                int(rid),
                str(did),
                dt.date.fromisoformat(occ),
                _ATTEMPT_PREFIX.sub("", str(error or "")) or "?",
                int(attempt),
                str(at),
                int(attempt) < MAX_ATTEMPTS,
            )
    if not latest:
        return []
    ids = ",".join(str(r) for r in latest)
    sent = dict(
        db.conn.execute(
            "SELECT recipient, max(at) FROM reminder_log WHERE program_id = ? AND status = 'sent'"
            f" AND recipient IN ({ids}) GROUP BY recipient",
            [program_id],
        ).fetchall()
    )
    return [f for f in latest.values() if not (sent.get(f.recipient) or "") > f.at]


def unreachable(db: sqlite_utils.Database) -> list[int]:
    """Contacts and workers the bot cannot write to (never started it, or blocked it)."""
    return [
        int(r[0])
        for r in db.conn.execute(
            "SELECT DISTINCT u.id FROM users u JOIN roles r ON r.user_id = u.id"
            " AND r.role IN ('contact', 'worker') WHERE u.reachable = 0 ORDER BY u.id"
        )
    ]


# -- what a reminder says ------------------------------------------------------------------------


@dataclass(frozen=True)
class CountySnapshot:
    county_id: int
    name: str
    communities: int
    started: int
    submitted: int
    passed: int
    completion_pct: float
    year: int
    target_pct: float | None
    open: tuple[tuple[str, int | None], ...]  # (community, gaps; None: not started)


def county_snapshot(
    db: sqlite_utils.Database,
    program: Program,
    county_id: int,
    year: int,
    standard: Standard | None = None,
) -> CountySnapshot:
    """The county's live numbers (bot.reports) and its communities not yet submitted."""
    rows = county_status(db, program, year, counties=[county_id])
    comms = community_status(db, county_id, program, standard=standard)
    return snapshot(county_id, rows[0] if not rows[0].is_total else None, comms, year)


def snapshot(
    county_id: int, row: CountyRow | None, comms: Sequence[CommunityRow], year: int
) -> CountySnapshot:
    """Assemble a CountySnapshot from a bot.reports county row (None: unknown county) and the
    county's community rows."""
    started = sorted(
        (c for c in comms if c.state == "open"), key=lambda c: (c.gap_count, c.community_id)
    )
    fresh = [c for c in comms if c.state == "not_started"]
    open_ = tuple((c.community, c.gap_count) for c in started) + tuple(
        (c.community, None) for c in fresh
    )
    if row is None:
        return CountySnapshot(county_id, str(county_id), 0, 0, 0, 0, 0.0, year, None, open_)
    return CountySnapshot(
        county_id,
        row.county,
        row.communities,
        row.started,
        row.submitted,
        row.passed,
        row.completion_pct,
        year,
        row.target_pct,
        open_,
    )


def days_text(lang: str, occurrence: dt.date, today: dt.date) -> str:
    n = (occurrence - today).days
    if n > 0:
        return t(lang, "rem_left", n=n)
    if n == 0:
        return t(lang, "rem_today")
    return t(lang, "rem_late", n=-n)


def shorten(items: Sequence[str], shown: int, lang: str, sep: str = " · ") -> str:
    """Join the first `shown` items and add "…（另 N 个）" for the rest."""
    head = sep.join(items[:shown])
    rest = len(items) - shown
    return head + (sep + t(lang, "rem_more", n=rest) if rest > 0 else "")


def occ_token(occurrence: dt.date) -> str:
    return occurrence.strftime("%Y%m%d")


def confirm_data(deadline_id: str, occurrence: dt.date, county_id: int) -> str:
    """Callback data of the "已报送" button (ASCII, ≤ 64 bytes)."""
    data = f"r:{deadline_id}:{occ_token(occurrence)}:{county_id}"
    assert len(data.encode()) <= 64, data
    return data


def parse_confirm(data: str) -> tuple[str, dt.date, int] | None:
    m = CONFIRM.match(data)
    if m is None:
        return None
    try:
        occ = dt.datetime.strptime(m["occ"], "%Y%m%d").date()
    except ValueError:
        return None
    return m["did"], occ, int(m["cid"])


@dataclass(frozen=True)
class Message:
    text: str  # HTML
    buttons: Buttons = field(default_factory=list)


def _ids(ids: Iterable[int]) -> str:
    return ",".join(str(int(i)) for i in sorted(set(ids))) or "NULL"


class Composer:
    """Builds reminder texts from bot.reports rows, reading each county once per run.

    `prefetch` reads the county_status rows of every county a batch of reminders names (one
    query) and where their communities lie (one query); each county's community_status is then
    read once and shared by every message naming the county or one of its communities. A
    message costs at most one query per county it names that no earlier message named.
    """

    def __init__(
        self,
        db: sqlite_utils.Database,
        program: Program,
        today: dt.date,
        standard: Standard | None = None,
        deadlines: Iterable[Deadline] | None = None,
    ) -> None:
        self.db = db
        self.program = program
        self.today = today
        self.standard = standard
        self.deadlines = {d.id: d for d in (deadlines or all_deadlines(db, program))}
        self._status: dict[int, CountyRow | None] = {}  # county -> its county_status row
        self._rows: dict[int, list[CommunityRow]] = {}  # county -> its community_status rows
        self._by_id: dict[int, CommunityRow] = {}  # community -> its row (counties read so far)
        self._where: dict[int, int | None] = {}  # community -> its county
        self._counties: dict[int, CountySnapshot] = {}

    def prefetch(self, rows: Iterable[Due]) -> None:
        """Read, in two queries, the county rows and community counties `rows` will need."""
        rows = list(rows)
        self._load_status({c for d in rows for c in d.counties})
        self._locate({c for d in rows for c in d.communities})

    def _load_status(self, counties: set[int]) -> None:
        wanted = counties - self._status.keys()
        if not wanted:
            return
        for r in county_status(self.db, self.program, self.today.year, counties=wanted):
            if r.county_id is not None:
                self._status[r.county_id] = r
        for c in wanted:
            self._status.setdefault(c, None)

    def _locate(self, communities: set[int]) -> None:
        wanted = communities - self._where.keys()
        if not wanted:
            return
        for cid, county in self.db.conn.execute(
            f"SELECT id, county_id FROM communities WHERE id IN ({_ids(wanted)})"
        ):
            self._where[int(cid)] = int(county)
        for c in wanted:
            self._where.setdefault(c, None)

    def communities_of(self, county_id: int) -> list[CommunityRow]:
        """The county's bot.reports.community_status rows (read once)."""
        rows = self._rows.get(county_id)
        if rows is None:
            rows = community_status(self.db, county_id, self.program, standard=self.standard)
            self._rows[county_id] = rows
            self._by_id.update((r.community_id, r) for r in rows)
        return rows

    def county(self, county_id: int) -> CountySnapshot:
        snap = self._counties.get(county_id)
        if snap is None:
            self._load_status({county_id})
            snap = snapshot(
                county_id,
                self._status[county_id],
                self.communities_of(county_id),
                self.today.year,
            )
            self._counties[county_id] = snap
        return snap

    def community(self, community_id: int) -> CommunityRow | None:
        """The community's bot.reports.community_status row (None: no such community)."""
        self._locate({community_id})
        county = self._where[community_id]
        if county is None:
            return None
        self.communities_of(county)
        return self._by_id.get(community_id)

    def message(self, d: Due) -> Message:
        deadline = self.deadlines[d.deadline]
        lang = d.lang
        esc = html.escape
        late = (d.occurrence - self.today).days < 0
        if d.kind == "worker":
            head = t(
                lang, "rem_worker_late" if late else "rem_worker_title", title=esc(deadline.title)
            )
        else:
            head = t(lang, "rem_late_title" if late else "rem_title", title=esc(deadline.title))
        lines = [f"<b>{head}</b>"]
        if deadline.form:
            lines.append(t(lang, "rem_form", form=esc(deadline.form)))
        lines.append(
            t(
                lang,
                "rem_due",
                recipient=esc(deadline.recipient),
                date=d.occurrence.isoformat(),
                left=days_text(lang, d.occurrence, self.today),
            )
        )
        buttons: Buttons = []
        if d.kind == "worker":
            self._locate(set(d.communities))  # one query for all of them
            for cid in d.communities:
                c = self.community(cid)
                if c is None:  # removed from the roster since the reminder was worked out
                    continue
                lines.append("")
                if c.answered:
                    lines.append(
                        t(
                            lang,
                            "rem_worker_line",
                            community=esc(c.community),
                            answered=c.answered,
                            total=c.total,
                            gaps=c.gap_count,
                        )
                    )
                else:
                    lines.append(t(lang, "rem_worker_new", community=esc(c.community)))
                buttons.append([(t(lang, "btn_continue", community=c.community), f"c:{cid}")])
            lines += ["", t(lang, "rem_worker_hint")]
            return Message(fit("\n".join(lines)), buttons)
        several = len(d.counties) > 1
        for cid in d.counties:
            lines += ["", *self._county_block(self.county(cid), lang)]
            label = (
                t(lang, "btn_confirm_county", county=self.county(cid).name)
                if several
                else t(lang, "btn_confirm")
            )
            buttons.append(
                [
                    (label, confirm_data(d.deadline, d.occurrence, cid)),
                    (t(lang, "btn_details"), f"rd:{cid}"),
                ]
            )
        lines += ["", t(lang, "rem_confirm_hint")]
        return Message(fit("\n".join(lines)), buttons)

    def _county_block(self, s: CountySnapshot, lang: str) -> list[str]:
        esc = html.escape
        if s.target_pct is not None:
            title = t(
                lang,
                "rem_status_title",
                county=esc(s.name),
                year=s.year,
                target=f"{s.target_pct:g}",
            )
        else:
            title = t(lang, "rem_status_title_plain", county=esc(s.name))
        out = [
            title,
            t(
                lang,
                "rem_status",
                n=s.communities,
                started=s.started,
                submitted=s.submitted,
                passed=s.passed,
                pct=f"{s.completion_pct:g}",
            ),
        ]
        if not s.communities:
            return out
        if not s.open:
            return [*out, t(lang, "rem_all_submitted")]
        names = [
            t(lang, "rem_open_new", name=esc(name))
            if gaps is None
            else t(lang, "rem_open_gaps", name=esc(name), n=gaps)
            for name, gaps in s.open
        ]
        return [
            *out,
            "",
            t(lang, "rem_open_title", n=len(s.open)),
            "  " + shorten(names, OPEN_SHOWN, lang),
        ]


def fit(text: str) -> str:
    """Keep a message within Telegram's limit (cut at a line end)."""
    if len(text) <= TEXT_MAX:
        return text
    cut = text[:TEXT_MAX].rsplit("\n", 1)[0]
    return cut + "\n…"


# -- pacing --------------------------------------------------------------------------------------


class Pacer:
    """Keep sends under a rate: evenly spaced, and never more than `rate` in any `window`.

    `reserve` books the next evenly spaced moment (overall, and per chat at its own pace) and
    returns how long to wait for it. Spacing alone is not enough: if the event loop stalls, the
    sends booked during the stall leave together, and the second after them would exceed the
    rate. So `admit`, called right before each send, also checks the real send times of the last
    window and returns how much longer to wait (0: go, and the send is counted). Neither awaits,
    so concurrent tasks in one event loop cannot both take the last place.
    """

    def __init__(
        self,
        rate: float,
        per_chat: float = 1.0,
        per_group: float = 3.0,
        clock: Callable[[], float] = time.monotonic,
        window: float = 1.0,
    ) -> None:
        if rate <= 0:
            raise ValueError("rate must be positive")
        self.interval = 1.0 / rate
        self.per_chat = per_chat
        self.per_group = per_group
        self.clock = clock
        self.window = window
        self.cap = max(1, int(rate * window))
        self._next = 0.0
        self._chats: dict[int, float] = {}
        self._sent: deque[float] = deque()

    def reserve(self, chat_id: int) -> float:
        """Book the next evenly spaced moment for a send to `chat_id`; return the wait."""
        now = self.clock()
        at = max(now, self._next, self._chats.get(chat_id, 0.0))
        self._next = at + self.interval
        self._chats[chat_id] = at + (self.per_group if chat_id < 0 else self.per_chat)
        if len(self._chats) > 50_000:  # forget chats whose pause is over
            self._chats = {c: t_ for c, t_ in self._chats.items() if t_ > now}
        return at - now

    def admit(self) -> float:
        """Count a send now if the last window has room; else return how long to wait."""
        now = self.clock()
        sent = self._sent
        while sent and sent[0] <= now - self.window:
            sent.popleft()
        if len(sent) >= self.cap:
            return max(sent[0] + self.window - now, 1e-6)
        sent.append(now)
        return 0.0
