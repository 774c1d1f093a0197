"""Storage of deadlines and reminders: custom deadlines, the reminder log, confirmations,
recipients, and the few roster reads the reminder views need. The only SQL of the reminders.

Every send is claimed first in `reminder_log` (INSERT OR IGNORE, status 'sending'), keyed by
(program, deadline, occurrence, recipient, lead): overlapping ticks, `/remind` and a restart can
never send the same reminder twice. A reminder is done once 'sent' or 'unreachable' (403); one
that 'failed' (Telegram answered with an error, or the request never reached it) is claimed again
by a later run (one UPDATE whose row count says who won), at most `MAX_ATTEMPTS` runs in all.
A send that may have reached Telegram without our knowing ('sending' left for longer than
`STALE_SENDING` by a crash, a timeout after the request left) becomes 'uncertain' ("may not have
been delivered"): never sent again automatically, listed to admins, resent only when one taps
(`take_uncertain`), or set 'resolved' when nothing is left to remind. The attempt number lives in
the `error` text ("attempt 2: …"), so the table needs no new column. A slot due for counties
without a contact gets one row with recipient 0, status 'no_contact' (admins told once).

Times are passed in (`now`, an aware datetime) and stored as UTC text like `bot.store.db.now`.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from typing import Any, Literal

import sqlite_utils

from bot.clock import stamp
from bot.domain.schedule import MAX_ATTEMPTS, STALE_SENDING, Due, Recipient

CustomRow = tuple[int, str, str | None, str | None, str | None]  # id, title, due, annual, created


def _ids(ids: Iterable[int]) -> str:
    return ",".join(str(int(i)) for i in sorted(set(ids))) or "NULL"


# -- custom deadlines --------------------------------------------------------------------------

_CUSTOM = "SELECT id, title, due, annual, created_at FROM custom_deadlines"


def custom_rows(db: sqlite_utils.Database, program_id: str) -> list[CustomRow]:
    rows = db.conn.execute(
        f"{_CUSTOM} WHERE program_id = ? AND deleted = 0 ORDER BY id", [program_id]
    ).fetchall()
    return [tuple(r) for r in rows]


def insert_custom(
    db: sqlite_utils.Database,
    program_id: str,
    title: str,
    due: dt.date | None,
    annual: str | None,
    by: int,
    now: dt.datetime,
) -> CustomRow:
    cur = db.conn.execute(
        "INSERT INTO custom_deadlines (program_id, title, due, annual, created_by, created_at,"
        " deleted) VALUES (?, ?, ?, ?, ?, ?, 0)",
        [program_id, title, due.isoformat() if due else None, annual, by, stamp(now)],
    )
    return tuple(db.conn.execute(f"{_CUSTOM} WHERE id = ?", [cur.lastrowid]).fetchone())


def delete_custom(db: sqlite_utils.Database, program_id: str, row_id: int) -> None:
    db.conn.execute(
        "UPDATE custom_deadlines SET deleted = 1 WHERE id = ? AND program_id = ?",
        [row_id, program_id],
    )


# -- recipients --------------------------------------------------------------------------------


def _grouped(rows: Iterable[Any]) -> tuple[dict[int, list[int]], dict[int, tuple[bool, str]]]:
    by_user: dict[int, list[int]] = defaultdict(list)
    meta: dict[int, tuple[bool, str]] = {}
    for uid, scope, reachable, lang in rows:
        by_user[int(uid)].append(int(scope))
        meta[int(uid)] = (bool(reachable), str(lang))
    return by_user, meta


def contact_recipients(db: sqlite_utils.Database, group_digest: bool) -> list[Recipient]:
    """County contacts (one entry per user, with all their counties) and county-bound groups."""
    by_user, meta = _grouped(
        db.conn.execute(
            "SELECT r.user_id, r.county_id, ifnull(u.reachable, 1), ifnull(u.lang, 'zh')"
            " FROM roles r LEFT JOIN users u ON u.id = r.user_id"
            " WHERE r.role = 'contact' AND r.county_id IS NOT NULL ORDER BY r.county_id, r.user_id"
        )
    )
    out = [Recipient(uid, "contact", tuple(cids), (), *meta[uid]) for uid, cids in by_user.items()]
    if group_digest:
        out += [
            Recipient(int(chat_id), "group", (int(cid),))
            for chat_id, cid in db.conn.execute(
                "SELECT chat_id, county_id FROM groups WHERE county_id IS NOT NULL ORDER BY chat_id"
            )
        ]
    return out


def street_recipients(db: sqlite_utils.Database) -> list[Recipient]:
    """Street reviewers (one entry per user, with all their streets), for a street's duty."""
    by_user, meta = _grouped(
        db.conn.execute(
            "SELECT s.user_id, s.street_id, ifnull(u.reachable, 1), ifnull(u.lang, 'zh')"
            " FROM street_roles s LEFT JOIN users u ON u.id = s.user_id"
            " ORDER BY s.street_id, s.user_id"
        )
    )
    return [
        Recipient(uid, "street", (), (), *meta[uid], streets=tuple(sids))
        for uid, sids in by_user.items()
    ]


_WORKERS = (
    "SELECT r.user_id, r.community_id, ifnull(u.reachable, 1), ifnull(u.lang, 'zh')"
    " FROM roles r LEFT JOIN users u ON u.id = r.user_id"
    " JOIN communities c ON c.id = r.community_id"
)
_PLANNED = " AND (:planned IS NULL OR c.planned_year = :planned)"


def worker_recipients(
    db: sqlite_utils.Database, standard: str, planned: int | None = None
) -> list[Recipient]:
    """Workers of communities whose check (for `standard`) is not submitted (`planned`: only
    communities the roster plans for that year)."""
    by_user, meta = _grouped(
        db.conn.execute(
            f"{_WORKERS} LEFT JOIN assessments a"
            " ON a.community_id = r.community_id AND a.standard_id = :standard"
            f" WHERE r.role = 'worker' AND a.status IS NOT 'submitted'{_PLANNED}"
            " ORDER BY r.community_id, r.user_id",
            {"standard": standard, "planned": planned},
        )
    )
    return [Recipient(uid, "worker", (), tuple(cids), *meta[uid]) for uid, cids in by_user.items()]


def community_recipients(db: sqlite_utils.Database, planned: int | None = None) -> list[Recipient]:
    """Workers of every community, for a community's own report (`planned`: only communities
    the roster plans for that year); each confirms its community (`community_confirmations`)."""
    by_user, meta = _grouped(
        db.conn.execute(
            f"{_WORKERS} WHERE r.role = 'worker'{_PLANNED} ORDER BY r.community_id, r.user_id",
            {"planned": planned},
        )
    )
    return [
        Recipient(uid, "community", (), tuple(cids), *meta[uid]) for uid, cids in by_user.items()
    ]


def admins(db: sqlite_utils.Database) -> list[tuple[int, str]]:
    """(user id, language) of every admin."""
    return [
        (int(uid), str(lang or "zh"))
        for uid, lang in db.conn.execute(
            "SELECT DISTINCT r.user_id, u.lang FROM roles r LEFT JOIN users u ON u.id = r.user_id"
            " WHERE r.role = 'admin' ORDER BY r.user_id"
        )
    ]


def unreachable(db: sqlite_utils.Database) -> list[int]:
    """Contacts and workers the bot cannot write to (never started it, or blocked it)."""
    return [
        int(r[0])
        for r in db.conn.execute(
            "SELECT DISTINCT u.id FROM users u JOIN roles r ON r.user_id = u.id"
            " AND r.role IN ('contact', 'worker') WHERE u.reachable = 0 ORDER BY u.id"
        )
    ]


@dataclass(frozen=True)
class People:
    """What names a set of chats: group titles, user names and their (role, county, community)."""

    groups: dict[int, str]
    names: dict[int, str]
    roles: dict[int, list[tuple[str, str, str]]]


def people(db: sqlite_utils.Database, chat_ids: Collection[int]) -> People:
    """Three queries for any number of chats."""
    ids = list(chat_ids)
    if not ids:
        return People({}, {}, {})
    marks = ",".join("?" * len(ids))
    c = db.conn
    groups = dict(c.execute(f"SELECT chat_id, title FROM groups WHERE chat_id IN ({marks})", ids))
    names = dict(c.execute(f"SELECT id, name FROM users WHERE id IN ({marks})", ids))
    roles: dict[int, list[tuple[str, str, str]]] = {}
    for uid, role, county, community in c.execute(
        "SELECT r.user_id, r.role, ifnull(co.name, '?'), ifnull(cm.name, '?') FROM roles r"
        " LEFT JOIN counties co ON co.id = r.county_id"
        " LEFT JOIN communities cm ON cm.id = r.community_id"
        f" WHERE r.user_id IN ({marks}) AND (r.role = 'contact' AND r.county_id IS NOT NULL"
        " OR r.role = 'worker' AND r.community_id IS NOT NULL) ORDER BY r.rowid",
        ids,
    ):
        roles.setdefault(int(uid), []).append((str(role), str(county), str(community)))
    return People(groups, names, roles)


# -- the roster, as the reminder views need it ---------------------------------------------------


def counties(db: sqlite_utils.Database) -> list[tuple[int, str]]:
    return [
        (int(i), str(n)) for i, n in db.conn.execute("SELECT id, name FROM counties ORDER BY id")
    ]


def county_name(db: sqlite_utils.Database, county_id: int) -> str | None:
    row = db.conn.execute("SELECT name FROM counties WHERE id = ?", [county_id]).fetchone()
    return str(row[0]) if row else None


def covered_counties(db: sqlite_utils.Database) -> set[int]:
    """Counties with at least one contact."""
    return {
        int(r[0])
        for r in db.conn.execute(
            "SELECT DISTINCT county_id FROM roles WHERE role = 'contact' AND county_id IS NOT NULL"
        )
    }


def community_counties(db: sqlite_utils.Database, ids: Collection[int]) -> dict[int, int]:
    """community id -> county id, in one query."""
    return {
        int(cid): int(county)
        for cid, county in db.conn.execute(
            f"SELECT id, county_id FROM communities WHERE id IN ({_ids(ids)})"
        )
    }


def communities_submitted(
    db: sqlite_utils.Database, ids: Collection[int], standard: str
) -> list[tuple[str, bool]]:
    """(name, submitted) of these communities, in one query."""
    return [
        (str(name), status == "submitted")
        for name, status in db.conn.execute(
            "SELECT c.name, a.status FROM communities c LEFT JOIN assessments a"
            f" ON a.community_id = c.id AND a.standard_id = ? WHERE c.id IN ({_ids(ids)})"
            " ORDER BY c.id",
            [standard],
        )
    ]


def names(db: sqlite_utils.Database, table: str) -> dict[int, str]:
    """id -> name of every row of `counties`, `streets`, `communities` or `users`."""
    if table not in ("counties", "streets", "communities", "users"):
        raise ValueError(table)
    return dict(db.conn.execute(f"SELECT id, name FROM {table}").fetchall())


# -- confirmations -----------------------------------------------------------------------------


# Who confirms an occurrence: a county (a contact deadline), or a street or a community (its
# own duty); counties in `deadline_confirmations`, the others in `unit_confirmations`.
Scope = Literal["county", "street", "community"]
UNIT_TABLES = {"street": "streets", "community": "communities"}


def _confirmed_where(scope: Scope) -> tuple[str, str]:
    """(table, id column) of a scope's confirmations; the unit rows also match `unit = :unit`."""
    if scope == "county":
        return "deadline_confirmations", "county_id"
    return "unit_confirmations", "unit_id"


def confirmations(
    db: sqlite_utils.Database,
    program_id: str,
    deadline_id: str,
    occurrence: dt.date,
    scope: Scope = "county",
) -> dict[int, tuple[int | None, str]]:
    """county (street, community) id -> (user id, at) of those that confirmed this occurrence."""
    table, column = _confirmed_where(scope)
    unit = "" if scope == "county" else " AND unit = :unit"
    return {
        int(cid): (uid, str(at))
        for cid, uid, at in db.conn.execute(
            f"SELECT {column}, user_id, at FROM {table}"
            f" WHERE program_id = :p AND deadline_id = :d AND occurrence = :o{unit}",
            {"p": program_id, "d": deadline_id, "o": occurrence.isoformat(), "unit": scope},
        )
    }


def confirm(
    db: sqlite_utils.Database,
    program_id: str,
    deadline_id: str,
    occurrence: dt.date,
    scope_id: int,
    user_id: int,
    now: dt.datetime,
    scope: Scope = "county",
) -> bool:
    """Record that a county (a street, a community: its own duty) submitted this occurrence;
    False when it was already confirmed."""
    row = [program_id, deadline_id, occurrence.isoformat(), scope_id, user_id, stamp(now)]
    if scope == "county":
        sql = "INSERT OR IGNORE INTO deadline_confirmations (program_id, deadline_id, occurrence,"
        sql += " county_id, user_id, at) VALUES (?, ?, ?, ?, ?, ?)"
    else:
        sql = "INSERT OR IGNORE INTO unit_confirmations (program_id, deadline_id, occurrence,"
        sql += " unit_id, user_id, at, unit) VALUES (?, ?, ?, ?, ?, ?, ?)"
        row.append(scope)
    return db.conn.execute(sql, row).rowcount == 1


def unit_place(
    db: sqlite_utils.Database, scope: Literal["street", "community"], unit_id: int
) -> tuple[str, int] | None:
    """(name, county id) of a street or community, None when there is no such one."""
    row = db.conn.execute(
        f"SELECT name, county_id FROM {UNIT_TABLES[scope]} WHERE id = ?", [unit_id]
    ).fetchone()
    return (str(row[0]), int(row[1])) if row else None


def streets_of(
    db: sqlite_utils.Database, counties: Collection[int] | None, ids: Collection[int] | None
) -> list[tuple[int, str, int | None]]:
    """(id, name, None) of the streets in `counties` (None: all) or with `ids`: shaped like
    `communities_of` (a street has no planned year)."""
    where = "1" if counties is None else f"county_id IN ({_ids(counties)})"
    if ids is not None:
        where += f" AND id IN ({_ids(ids)})"
    rows = db.conn.execute(f"SELECT id, name FROM streets WHERE {where} ORDER BY id")
    return [(int(i), str(n), None) for i, n in rows]


def streets(db: sqlite_utils.Database) -> list[tuple[int, str]]:
    """(id, name) of every street, in roster order."""
    return [
        (int(i), str(n)) for i, n in db.conn.execute("SELECT id, name FROM streets ORDER BY id")
    ]


def reached_streets(db: sqlite_utils.Database) -> set[int]:
    """Streets a street duty's reminder reaches: those with a reviewer."""
    return {int(r[0]) for r in db.conn.execute("SELECT DISTINCT street_id FROM street_roles")}


def communities_of(
    db: sqlite_utils.Database, counties: Collection[int] | None, ids: Collection[int] | None
) -> list[tuple[int, str, int | None]]:
    """(id, name, planned year) of the communities in `counties` (None: all) or with `ids`."""
    where = "1" if counties is None else f"county_id IN ({_ids(counties)})"
    if ids is not None:
        where += f" AND id IN ({_ids(ids)})"
    rows = db.conn.execute(f"SELECT id, name, planned_year FROM communities WHERE {where}")
    return [(int(i), str(n), None if y is None else int(y)) for i, n, y in rows]


# -- the reminder log --------------------------------------------------------------------------

# The attempt a row is on: "attempt N" while sending, "attempt N: <error>" once failed (rows
# written before attempts were counted hold the bare error: their first attempt).
_ATTEMPT = (
    "(CASE WHEN error LIKE 'attempt %' THEN max(1, CAST(substr(error, 9) AS INTEGER)) ELSE 1 END)"
)
# A row another run may claim again: failed (surely not delivered), under the cap. A row left
# 'sending' is never taken over: it is swept to 'uncertain' (`sweep_stale`).
_RETRYABLE = f"status = 'failed' AND {_ATTEMPT} < :cap"
_WHERE_KEY = (
    "program_id = :p AND deadline_id = :d AND occurrence = :o AND recipient = :r AND lead = :l"
)
_ATTEMPT_PREFIX = re.compile(r"^attempt \d+: ?")


def stale_before(now: dt.datetime) -> str:
    """`reminder_log.at` before which a 'sending' claim is dead."""
    return stamp(now - STALE_SENDING)


def done(
    db: sqlite_utils.Database,
    program_id: str,
    deadline_id: str,
    occ: dt.date,
    lead: int,
    now: dt.datetime,
) -> set[int]:
    """Recipients of this slot that are not to be tried again (sent, unreachable, in flight,
    uncertain, or out of attempts). `now` is kept for callers; no claim expires by time."""
    del now
    params = {"p": program_id, "d": deadline_id, "o": occ.isoformat(), "l": lead}
    return {
        int(r[0])
        for r in db.conn.execute(
            "SELECT recipient FROM reminder_log WHERE program_id = :p AND deadline_id = :d"
            f" AND occurrence = :o AND lead = :l AND NOT ({_RETRYABLE})",
            params | {"cap": MAX_ATTEMPTS},
        )
    }


def _key(program_id: str, d: Due) -> dict[str, Any]:
    return {
        "p": program_id,
        "d": d.deadline,
        "o": d.occurrence.isoformat(),
        "r": d.recipient,
        "l": d.lead,
    }


def claim(db: sqlite_utils.Database, program_id: str, d: Due, now: dt.datetime) -> bool:
    """Reserve this reminder before sending; False when another run has it, or it is done.

    A new reminder is inserted; a failed one is taken over by a single UPDATE, so of two runs
    only one gets it. A row 'sending' or 'uncertain' is never taken.
    """
    key = _key(program_id, d) | {"now": stamp(now)}
    cur = db.conn.execute(
        "INSERT OR IGNORE INTO reminder_log"
        " (program_id, deadline_id, occurrence, recipient, lead, status, error, at)"
        " VALUES (:p, :d, :o, :r, :l, 'sending', 'attempt 1', :now)",
        key,
    )
    if cur.rowcount == 1:
        return True
    cur = db.conn.execute(
        f"UPDATE reminder_log SET status = 'sending', error = 'attempt ' || ({_ATTEMPT} + 1),"
        f" at = :now WHERE {_WHERE_KEY} AND {_RETRYABLE}",
        key | {"cap": MAX_ATTEMPTS},
    )
    return cur.rowcount == 1


def touch(db: sqlite_utils.Database, program_id: str, d: Due, now: dt.datetime) -> bool:
    """Renew a claim before trying again; False when it is no longer ours (swept)."""
    cur = db.conn.execute(
        f"UPDATE reminder_log SET at = :now WHERE {_WHERE_KEY} AND status = 'sending'",
        _key(program_id, d) | {"now": stamp(now)},
    )
    return cur.rowcount == 1


def sweep_stale(db: sqlite_utils.Database, program_id: str, now: dt.datetime) -> int:
    """Mark 'uncertain' the claims left 'sending' longer than STALE_SENDING (the process died
    between the send and its record: Telegram may have delivered it); return how many."""
    cur = db.conn.execute(
        "UPDATE reminder_log SET status = 'uncertain',"
        f" error = 'attempt ' || {_ATTEMPT} || ': interrupted while sending'"
        " WHERE program_id = ? AND status = 'sending' AND at < ?",
        [program_id, stale_before(now)],
    )
    return cur.rowcount


@dataclass(frozen=True)
class Uncertain:
    """A reminder that may not have been delivered: resent only when an admin taps."""

    row: int  # reminder_log rowid (the resend button's target)
    recipient: int
    deadline: str
    occurrence: dt.date
    lead: int
    error: str
    at: str  # UTC text


def uncertain(db: sqlite_utils.Database, program_id: str, limit: int = 200) -> list[Uncertain]:
    """The reminders that may not have been delivered, newest first."""
    return [
        Uncertain(
            int(r[0]),
            int(r[1]),
            str(r[2]),
            dt.date.fromisoformat(r[3]),
            int(r[4]),
            _ATTEMPT_PREFIX.sub("", str(r[5] or "")) or "?",
            str(r[6]),
        )
        for r in db.conn.execute(
            "SELECT rowid, recipient, deadline_id, occurrence, lead, error, at FROM reminder_log"
            " WHERE program_id = ? AND status = 'uncertain' ORDER BY at DESC, rowid LIMIT ?",
            [program_id, limit],
        )
    ]


def take_uncertain(
    db: sqlite_utils.Database, program_id: str, row: int, now: dt.datetime
) -> tuple[str, dt.date, int, int] | None:
    """Claim an uncertain reminder for an admin's resend: (deadline, occurrence, recipient,
    lead), or None when it is not uncertain (any more): of two taps only one gets it."""
    cur = db.conn.execute(
        f"UPDATE reminder_log SET status = 'sending', error = 'attempt ' || ({_ATTEMPT} + 1),"
        " at = ? WHERE rowid = ? AND program_id = ? AND status = 'uncertain'",
        [stamp(now), row, program_id],
    )
    if cur.rowcount != 1:
        return None
    did, occ, rid, lead = db.conn.execute(
        "SELECT deadline_id, occurrence, recipient, lead FROM reminder_log WHERE rowid = ?", [row]
    ).fetchone()
    return str(did), dt.date.fromisoformat(occ), int(rid), int(lead)


def resolve(db: sqlite_utils.Database, row: int, now: dt.datetime) -> None:
    """A resend found nothing left to remind (confirmed meanwhile, or the role is gone)."""
    db.conn.execute(
        "UPDATE reminder_log SET status = 'resolved', at = ? WHERE rowid = ?", [stamp(now), row]
    )


def note_no_contact(
    db: sqlite_utils.Database,
    program_id: str,
    deadline_id: str,
    occ: dt.date,
    lead: int,
    counties: Collection[int],
    now: dt.datetime,
) -> bool:
    """Record that this slot reached no one in `counties`; True the first time (tell admins)."""
    cur = db.conn.execute(
        "INSERT OR IGNORE INTO reminder_log"
        " (program_id, deadline_id, occurrence, recipient, lead, status, error, at)"
        " VALUES (?, ?, ?, 0, ?, 'no_contact', ?, ?)",
        [program_id, deadline_id, occ.isoformat(), lead, _ids(counties), stamp(now)],
    )
    return cur.rowcount == 1


def reached_counties(db: sqlite_utils.Database, group_digest: bool) -> set[int]:
    """Counties a contact reminder reaches: those with a contact (or a bound group)."""
    sql = "SELECT county_id FROM roles WHERE role = 'contact' AND county_id IS NOT NULL"
    if group_digest:
        sql += " UNION SELECT county_id FROM groups WHERE county_id IS NOT NULL"
    return {int(r[0]) for r in db.conn.execute(sql)}


def finish(
    db: sqlite_utils.Database,
    program_id: str,
    d: Due,
    status: str,
    error: str | None,
    now: dt.datetime,
) -> int:
    """Record how a claimed reminder ended (sent, unreachable or failed); return its attempt.

    A failure (or an uncertain end) keeps the attempt number in front of the error
    ("attempt 2: Timed out").
    """
    key = _key(program_id, d)
    row = db.conn.execute(f"SELECT {_ATTEMPT} FROM reminder_log WHERE {_WHERE_KEY}", key).fetchone()
    attempt = int(row[0]) if row else 1
    if status in ("failed", "uncertain"):
        error = f"attempt {attempt}: {error or '?'}"
    db.conn.execute(
        f"UPDATE reminder_log SET status = :s, error = :e, at = :now WHERE {_WHERE_KEY}",
        key | {"s": status, "e": error, "now": stamp(now)},
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
    at: str  # UTC text
    retrying: bool  # a later run will try it again


def _failure(row: Any) -> Failure:
    rid, did, occ, error, attempt, at = row
    return Failure(
        int(rid),
        str(did),
        dt.date.fromisoformat(occ),
        _ATTEMPT_PREFIX.sub("", str(error or "")) or "?",
        int(attempt),
        str(at),
        int(attempt) < MAX_ATTEMPTS,
    )


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
    for row in rows:
        latest.setdefault(int(row[0]), _failure(row))
    if not latest:
        return []
    sent = dict(
        db.conn.execute(
            "SELECT recipient, max(at) FROM reminder_log WHERE program_id = ? AND status = 'sent'"
            f" AND recipient IN ({_ids(latest)}) GROUP BY recipient",
            [program_id],
        ).fetchall()
    )
    return [f for f in latest.values() if not (sent.get(f.recipient) or "") > f.at]
