"""Deadlines and reminders: the `Reminders` service, one method per intent. Data in, data out:
no text, no buttons.

`Reminders` is built once (bot.services.container) over the database, the clock, the active
program and the reports service (its figures); a method reads the clock itself where the moment is "now", and takes
`at` (or `today`) where the caller asks about another moment (the end of a day, a CLI `--on`).
`bot.store.reminders` holds the SQL and `bot.domain.schedule` the maths. Handlers render what
these return (handlers/render_reminders.py).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Literal

import sqlite_utils

from bot.clock import Clock
from bot.domain import schedule
from bot.domain.access import SYSTEM, Principal, can_review, can_view_county
from bot.domain.errors import ReminderError
from bot.domain.programs import Deadline, Program
from bot.domain.reports import CommunityRow, CountyRow
from bot.domain.schedule import CUSTOM_PREFIX, Due, NoContact, Recipient
from bot.services.reports import Reports
from bot.store import reminders as store
from bot.store.db import transaction
from bot.store.reminders import Failure, People, Uncertain

__all__ = ["Due", "Failure", "NoContact", "People", "ReminderError", "Uncertain"]


# -- deadlines ---------------------------------------------------------------------------------


def _custom(program: Program, row: store.CustomRow) -> Deadline:
    """A custom deadline as a Deadline: submitted by the program's unit, its source the day an
    admin added it in chat (data, never shown as text)."""
    cid, title, due, annual, created_at = row
    return Deadline(
        id=f"{CUSTOM_PREFIX}{cid}",
        title=str(title),
        submitter=program.unit,
        recipient=schedule.default_recipient(program),
        dates=[dt.date.fromisoformat(due)] if due else [],
        annual=annual or None,
        source=str(created_at or "")[:10],
    )


SCOPES: dict[str, store.Scope] = {"contact": "county", "street": "street", "community": "community"}


# -- confirmation ------------------------------------------------------------------------------

ConfirmStatus = Literal["stale", "not_confirmable", "denied", "confirmed", "already"]


@dataclass(frozen=True)
class Confirmation:
    status: ConfirmStatus
    deadline: Deadline | None = None
    name: str = "?"  # the county (contact deadlines) or community (its own report) confirmed


# -- what a reminder shows ---------------------------------------------------------------------


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


def snapshot(
    county_id: int, row: CountyRow | None, comms: Sequence[CommunityRow], year: int
) -> CountySnapshot:
    """Assemble a CountySnapshot from a county row (None: unknown county) and its communities."""
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


class Snapshots:
    """The numbers a batch of reminders shows, reading each county once per run (made by
    `Reminders.snapshots`).

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
        reports: Reports,
        deadlines: Iterable[Deadline],
    ) -> None:
        self.db = db
        self.program = program
        self.today = today
        self.reports = reports
        self.deadlines = {d.id: d for d in deadlines}
        self._status: dict[int, CountyRow | None] = {}  # county -> its county_status row
        self._rows: dict[int, list[CommunityRow]] = {}  # county -> its community_status rows
        self._by_id: dict[int, CommunityRow] = {}  # community -> its row (counties read so far)
        self._where: dict[int, int | None] = {}  # community -> its county
        self._counties: dict[int, CountySnapshot] = {}
        self._streets: dict[int, str] | None = None  # street -> name (street duties)

    def prefetch(self, rows: Iterable[Due]) -> None:
        """Read, in two queries, the county rows and community counties `rows` will need."""
        rows = list(rows)
        self._load_status({c for d in rows for c in d.counties})
        self.locate({c for d in rows for c in d.communities})

    def _load_status(self, counties: set[int]) -> None:
        wanted = counties - self._status.keys()
        if not wanted:
            return
        year = self.today.year
        for r in self.reports.county_status(year, SYSTEM, counties=wanted):
            if r.county_id is not None:
                self._status[r.county_id] = r
        for c in wanted:
            self._status.setdefault(c, None)

    def locate(self, communities: set[int]) -> None:
        """Learn, in one query, the counties of the communities not located yet."""
        wanted = communities - self._where.keys()
        if not wanted:
            return
        self._where.update(store.community_counties(self.db, wanted))
        for c in wanted:
            self._where.setdefault(c, None)

    def communities_of(self, county_id: int) -> list[CommunityRow]:
        """The county's bot.services.reports.community_status rows (read once)."""
        rows = self._rows.get(county_id)
        if rows is None:
            rows = self.reports.community_status(county_id)
            self._rows[county_id] = rows
            self._by_id.update((r.community_id, r) for r in rows)
        return rows

    def county(self, county_id: int) -> CountySnapshot:
        snap = self._counties.get(county_id)
        if snap is None:
            self._load_status({county_id})
            comms = self.communities_of(county_id)
            snap = snapshot(county_id, self._status[county_id], comms, self.today.year)
            self._counties[county_id] = snap
        return snap

    def unit_names(self, kind: str, ids: Iterable[int]) -> list[tuple[int, str]]:
        """(id, name) of these streets (`kind` "street") or communities, skipping any gone from
        the roster since the reminder was worked out; the streets are read once."""
        ids = list(ids)
        if kind == "street":
            if self._streets is None:
                self._streets = dict(store.streets(self.db))
            return [(i, self._streets[i]) for i in ids if i in self._streets]
        self.locate(set(ids))
        rows = [(i, self.community(i)) for i in ids]
        return [(i, r.community) for i, r in rows if r is not None]

    def community(self, community_id: int) -> CommunityRow | None:
        """The community's bot.services.reports.community_status row (None: no such community)."""
        self.locate({community_id})
        county = self._where[community_id]
        if county is None:
            return None
        self.communities_of(county)
        return self._by_id.get(community_id)


@dataclass(frozen=True)
class CountyDetails:
    """The 📊 details of a reminder: one county's communities."""

    county_id: int
    name: str
    rows: list[CommunityRow]


# -- /deadlines --------------------------------------------------------------------------------


Unit = tuple[int, str, int | None]  # a street or community: id, name, planned year (streets: None)


@dataclass(frozen=True)
class Entry:
    """One upcoming occurrence and who has done it."""

    deadline: Deadline
    occurrence: dt.date
    confirmed: dict[int, str] | None = None  # contact deadlines: county id -> confirmed at
    reported: dict[int, str] | None = None  # a street's or community's own duty: id -> at

    def owed_by(self, units: Mapping[str, Sequence[Unit]]) -> list[tuple[int, str]]:
        """The (id, name) of the streets or communities (`units` by audience) this duty is
        asked of: a planned year's duty only of the communities planned for it."""
        year = self.deadline.planned_year
        found = units.get(self.deadline.audience, ())
        return [(c, n) for c, n, planned in found if year is None or planned == year]


@dataclass(frozen=True)
class Overview:
    """What /deadlines shows a principal; each figure read once however many entries."""

    entries: list[Entry]
    total: int  # occurrences upcoming, listed or not
    counties: list[tuple[int, str]]
    submitted: tuple[int, int] | None = None  # (submitted, communities) in the viewer's counties
    mine: list[tuple[str, bool]] | None = None  # a worker's communities: (name, submitted)
    uncovered: list[str] = field(default_factory=list)  # admins: counties without a contact
    unreachable: list[int] = field(default_factory=list)  # admins
    failures: list[Failure] = field(default_factory=list)  # admins
    uncertain: list[Uncertain] = field(default_factory=list)  # admins: may not be delivered
    # the streets and communities the viewer acts for or oversees, by audience ("street",
    # "community"), read only when such a duty is listed
    units: dict[str, list[Unit]] = field(default_factory=dict)


def _sees(p: Principal, d: Deadline) -> bool:
    """Staff see every deadline; a street reviewer its streets' duties; a worker its
    communities' (their self-checks and own reports)."""
    if p.staff:
        return True
    if d.audience == "street":
        return bool(p.streets)
    return d.audience != "contact" and bool(p.communities)


class Reminders:
    """Deadlines and reminders over one database, the clock, the active program and the
    reports service (the figures a reminder shows)."""

    def __init__(
        self, db: sqlite_utils.Database, clock: Clock, program: Program, reports: Reports
    ) -> None:
        self.db = db
        self.clock = clock
        self.program = program
        self.reports = reports

    # -- deadlines -----------------------------------------------------------------------------

    def custom_deadlines(self) -> list[Deadline]:
        return [_custom(self.program, r) for r in store.custom_rows(self.db, self.program.id)]

    def deadlines(self) -> list[Deadline]:
        """The program's deadlines, then the custom ones added in chat."""
        return [*self.program.deadlines, *self.custom_deadlines()]

    def find_deadline(self, did: str) -> Deadline | None:
        return next((d for d in self.deadlines() if d.id == did), None)

    def add_deadline(
        self, p: Principal, title: str, *, due: dt.date | None = None, annual: str | None = None
    ) -> Deadline:
        """`p` adds a one-off (`due`, not in the past) or annual (`annual` MM-DD) deadline."""
        now = self.clock.now()
        title = schedule.clean_title(title)
        if (due is None) == (annual is None):
            raise ReminderError("bad_date", given="—")
        if due is not None:
            schedule.check_due(due, now.date())
        annual = schedule.clean_annual(annual) if annual is not None else None
        with transaction(self.db):
            row = store.insert_custom(self.db, self.program.id, title, due, annual, p.user_id, now)
        return _custom(self.program, row)

    def delete_deadline(self, did: str) -> Deadline:
        """Remove a custom deadline (`custom-<n>` or `<n>`); program deadlines stay in their file."""
        key = schedule.custom_key(self.program, did)
        with transaction(self.db):
            found = self.find_deadline(f"{CUSTOM_PREFIX}{key}")
            if found is None:
                raise ReminderError("unknown_deadline", id=did.strip())
            store.delete_custom(self.db, self.program.id, key)
        return found

    # -- what is due, and the log --------------------------------------------------------------

    def due(self, at: dt.datetime) -> list[Due]:
        """The reminders due at `at` (local) not sent or claimed yet, and the failed ones still
        under MAX_ATTEMPTS.

        Ordered by deadline occurrence, then recipient, so one recipient's reminders are spread
        out.
        """
        now = self.clock.now()
        pools: dict[tuple[str, int | None], list[Recipient]] = {}
        out: list[Due] = []
        for d, occ, slot in schedule.active(self.deadlines(), self.program, at):
            key = (d.audience, d.planned_year)
            if key not in pools:
                pools[key] = self._pool(d)
            confirmed = self._confirmed_keys(d, occ)
            sent = store.done(self.db, self.program.id, d.id, occ, slot.lead, now)
            out += schedule.due_for(pools[key], d.id, occ, slot.lead, confirmed, sent)
        return schedule.sending_order(out)

    def _confirmed_keys(self, d: Deadline, occ: dt.date) -> Collection[int]:
        """Who confirmed this occurrence: counties (contact deadlines), streets or communities
        (their own duties); a self-check has none (it stops once the check is submitted)."""
        scope = SCOPES.get(d.audience)
        if not scope:
            return ()
        return store.confirmations(self.db, self.program.id, d.id, occ, scope).keys()

    def no_contact(self, at: dt.datetime) -> list[NoContact]:
        """The county and street reminders due at `at` that reach no one: counties not confirmed
        that have no contact (nor a bound group, with `group_digest`), streets not confirmed that
        have no reviewer. Nothing is sent for them."""
        db = self.db
        reached = store.reached_counties(db, self.program.group_digest)
        every = [c for c, _ in store.counties(db)]
        out = []
        for d, occ, slot in schedule.active(self.deadlines(), self.program, at):
            if d.audience not in ("contact", "street"):
                continue
            confirmed = self._confirmed_keys(d, occ)
            if d.audience == "street":
                streets = [c for c, _ in store.streets(db)]
                missing = schedule.no_contact(streets, store.reached_streets(db), confirmed)
                found = NoContact(d.id, occ, slot.lead, (), missing)
            else:
                missing = schedule.no_contact(every, reached, confirmed)
                found = NoContact(d.id, occ, slot.lead, missing)
            if missing:
                out.append(found)
        return out

    def note_no_contact(self, at: dt.datetime) -> list[NoContact]:
        """Record the slots due at `at` that reach no one; return those not recorded before
        (admins are told of each once)."""
        now = self.clock.now()
        with transaction(self.db):
            return [
                g
                for g in self.no_contact(at)
                if store.note_no_contact(
                    self.db,
                    self.program.id,
                    g.deadline,
                    g.occurrence,
                    g.lead,
                    g.counties or g.streets,
                    now,
                )
            ]

    def sweep(self) -> int:
        """Mark 'uncertain' the sends a crash interrupted (never resent automatically)."""
        with transaction(self.db):
            return store.sweep_stale(self.db, self.program.id, self.clock.now())

    def still_mine(self, d: Due) -> bool:
        """Renew a claim before a retry; False when it was swept meanwhile (do not send)."""
        with transaction(self.db):
            return store.touch(self.db, self.program.id, d, self.clock.now())

    def uncertain(self) -> list[Uncertain]:
        return store.uncertain(self.db, self.program.id)

    def take_resend(self, row: int) -> Due | Literal["taken"] | None:
        """An admin resends an uncertain reminder: the Due to send now (claimed), None when
        nothing is left to remind (confirmed or submitted since: set 'resolved'), "taken" when
        it is not uncertain any more (resent by another tap, or no such row)."""
        now = self.clock.now()
        with transaction(self.db):
            key = store.take_uncertain(self.db, self.program.id, row, now)
            if key is None:
                return "taken"
            did, occ, rid, lead = key
            d = self.find_deadline(did)
            if d is not None:
                confirmed = self._confirmed_keys(d, occ)
                pool = [r for r in self._pool(d) if r.chat_id == rid]
                found = schedule.due_for(pool, did, occ, lead, confirmed, ())
                if found:
                    return found[0]
            store.resolve(self.db, row, now)
        return None

    def _pool(self, d: Deadline) -> list[Recipient]:
        """Who a deadline of this audience (and planned year) may remind."""
        if d.audience == "worker":
            return store.worker_recipients(self.db, self.program.standard, d.planned_year)
        if d.audience == "community":
            return store.community_recipients(self.db, d.planned_year)
        if d.audience == "street":
            return store.street_recipients(self.db)
        return store.contact_recipients(self.db, self.program.group_digest)

    # `now` is the caller's: a run (the reviewers' and owners' reminders too) claims and
    # records at the instant it stands at, which their tests move without the clock.
    def claim(self, d: Due, now: dt.datetime) -> bool:
        """Reserve one reminder before sending it (False: another run has it, or it is done)."""
        with transaction(self.db):
            return store.claim(self.db, self.program.id, d, now)

    def finish(self, d: Due, status: str, error: str | None, now: dt.datetime) -> int:
        """Record how a claimed reminder ended; return the attempt it was."""
        with transaction(self.db):
            return store.finish(self.db, self.program.id, d, status, error, now)

    def admins(self) -> list[tuple[int, str]]:
        return store.admins(self.db)

    def people(self, chat_ids: Iterable[int]) -> People:
        """Names, group titles and roles of these chats (to list them to admins)."""
        return store.people(self.db, list(dict.fromkeys(int(i) for i in chat_ids)))

    def names(self) -> dict[str, dict[int, str]]:
        """id -> name of every county, street, community and user (to name them in a listing)."""
        tables = ("counties", "streets", "communities", "users")
        return {table: store.names(self.db, table) for table in tables}

    # -- confirmation --------------------------------------------------------------------------

    def confirm(self, p: Principal, did: str, occurrence: dt.date, county_id: int) -> Confirmation:
        """A county contact (or admin) confirms a deadline occurrence was submitted."""
        now = self.clock.now()
        d = self.find_deadline(did)
        if d is None or d.audience != "contact":  # only a county's duty is confirmed per county
            return Confirmation("stale")
        if not schedule.confirmable(self.program, d, occurrence, now.date()):
            return Confirmation("not_confirmable", d)
        county = store.county_name(self.db, county_id) or "?"
        if not can_review(p, county_id):
            return Confirmation("denied", d, county)
        with transaction(self.db):
            new = store.confirm(
                self.db, self.program.id, d.id, occurrence, county_id, p.user_id, now
            )
        return Confirmation("confirmed" if new else "already", d, county)

    def confirm_unit(
        self, p: Principal, did: str, occurrence: dt.date, unit: store.Scope, unit_id: int
    ) -> Confirmation:
        """A street's reviewer, or a community's worker, confirms that the street (community)
        sent its own duty for this occurrence ("各乡街…上报", "各社区…报送"); so may its county's
        contacts and admins."""
        now = self.clock.now()
        d = self.find_deadline(did)
        place = store.unit_place(self.db, unit, unit_id) if unit != "county" else None
        if d is None or SCOPES.get(d.audience) != unit or place is None:
            return Confirmation("stale")
        if not schedule.confirmable(self.program, d, occurrence, now.date()):
            return Confirmation("not_confirmable", d)
        name, county_id = place
        own = unit_id in (p.streets if unit == "street" else p.communities)
        if not (own or can_review(p, county_id)):
            return Confirmation("denied", d, name)
        with transaction(self.db):
            new = store.confirm(
                self.db, self.program.id, d.id, occurrence, unit_id, p.user_id, now, unit
            )
        return Confirmation("confirmed" if new else "already", d, name)

    # -- what a reminder shows -----------------------------------------------------------------

    def snapshots(self, today: dt.date) -> Snapshots:
        """The numbers a batch of reminders composed on `today` shows, each county read once."""
        return Snapshots(self.db, self.program, today, self.reports, self.deadlines())

    def county_details(self, p: Principal, county_id: int) -> CountyDetails:
        """A county's communities for its contacts and admins; ReminderError otherwise."""
        name = store.county_name(self.db, county_id)
        if name is None:
            raise ReminderError("unknown_county", id=county_id)
        if not can_view_county(p, county_id):
            raise ReminderError("details_denied", county=name)
        rows = self.reports.community_status(county_id, p)
        return CountyDetails(county_id, name, rows)

    # -- /deadlines ----------------------------------------------------------------------------

    def overview(self, p: Principal, today: dt.date, listed: int) -> Overview:
        """The upcoming deadlines (`listed` of them) for an admin (every county), a contact, a
        street reviewer or a worker (their own), with their progress; admins also get what
        needs their attention."""
        deadlines = [d for d in self.deadlines() if _sees(p, d)]
        occs = schedule.upcoming(deadlines, self.program, today)
        entries = [self._entry(d, occ) for d, occ in occs[:listed]]
        counties = store.counties(self.db)
        view = Overview(entries, len(occs), counties, *self._progress(p, today, entries))
        view = replace(view, units=self._units(p, {e.deadline.audience for e in entries}))
        if not p.admin:
            return view
        return self._with_admin(view, store.covered_counties(self.db))

    def _units(self, p: Principal, audiences: set[str]) -> dict[str, list[Unit]]:
        """The streets and communities `p` acts for or oversees, for the audiences listed."""
        scope = p.counties if p.staff and not p.admin else None
        out: dict[str, list[Unit]] = {}
        if "street" in audiences:
            out["street"] = store.streets_of(self.db, scope, None if p.staff else p.streets)
        if "community" in audiences:
            mine = None if p.staff else p.communities
            out["community"] = store.communities_of(self.db, scope, mine)
        return out

    def _entry(self, d: Deadline, occ: dt.date) -> Entry:
        if d.audience == "contact":
            return Entry(d, occ, confirmed=self._confirmed(d, occ))
        if d.audience in ("street", "community"):
            found = store.confirmations(self.db, self.program.id, d.id, occ, SCOPES[d.audience])
            return Entry(d, occ, reported={c: at for c, (_, at) in found.items()})
        return Entry(d, occ)

    def _with_admin(self, view: Overview, covered: set[int]) -> Overview:
        return replace(
            view,
            uncovered=[n for c, n in view.counties if c not in covered],
            unreachable=store.unreachable(self.db),
            failures=store.failures(self.db, self.program.id),
            uncertain=store.uncertain(self.db, self.program.id),
        )

    def _confirmed(self, d: Deadline, occ: dt.date) -> dict[int, str]:
        found = store.confirmations(self.db, self.program.id, d.id, occ)
        return {c: at for c, (_, at) in found.items()}

    def _progress(
        self, p: Principal, today: dt.date, entries: list[Entry]
    ) -> tuple[tuple[int, int] | None, list[tuple[str, bool]] | None]:
        """The self-check figures the worker deadlines among `entries` show (one query)."""
        if not any(e.deadline.audience == "worker" for e in entries):
            return None, None
        if p.staff:
            counties = None if p.admin else sorted(p.counties)
            total = self.reports.county_status(today.year, p, counties=counties)[-1]
            return (total.submitted, total.communities), None
        return None, store.communities_submitted(self.db, p.communities, self.program.standard)
