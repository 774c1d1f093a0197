"""The one factory of the services: settings, clock, database, catalog, the active program and
its standard, and every use-case service built once over them.

The bot opens them in the Application's `post_init` (`open(..., bot_start=True)`) and closes them
in `post_shutdown`; the command line and the demo build the same through `Services.opened`. No
Telegram here.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

import sqlite_utils

from bot.catalog import catalog
from bot.clock import Clock, SystemClock
from bot.config import Settings
from bot.domain.catalog import Catalog
from bot.domain.programs import Program
from bot.domain.standards import Standard
from bot.files.store import FileStore
from bot.services.actions import Actions
from bot.services.checks import Checks
from bot.services.evidence import Evidence
from bot.services.exports import Exports
from bot.services.form_fields import FormFields
from bot.services.notices import Notices
from bot.services.people import People
from bot.services.publicity import Publicity
from bot.services.reminders import Reminders
from bot.services.reports import Reports
from bot.services.reviews import Reviews
from bot.services.roster import Roster
from bot.services.spotchecks import SpotChecks, SpotFiles
from bot.services.targets import Targets
from bot.services.updates import Updates
from bot.store.db import BOT_BUSY_MS, CLI_BUSY_MS, connect

SWEEP_AFTER_S = 3600  # a temporary file this old in the file store is a killed download's


class Services:
    """Shared state holders; PTB instantiates it empty as `bot_data` (see ContextTypes)."""

    settings: Settings
    clock: Clock  # the one clock (GREENCHECK_TZ); tests pass a FixedClock
    db: sqlite_utils.Database
    catalog: Catalog
    program: Program
    standard: Standard  # the program's standard
    roster: Roster  # counties, streets, communities, contacts
    people: People  # who is asking; registration, roles, invites, languages, groups
    updates: Updates  # the update ids already handled
    checks: Checks
    reviews: Reviews
    evidence: Evidence
    notices: Notices
    spotchecks: SpotChecks  # 抽查
    spot_files: SpotFiles  # the inspectors' files (downloads)
    publicity: Publicity  # 公示 periods and objections
    reports: Reports  # status reports as data
    form_fields: FormFields  # the 申报表's free-text fields
    exports: Exports  # the data of the official files (off the loop: `exports_apart`)
    reminders: Reminders  # deadlines, reminders and their log
    targets: Targets  # the years' targets and standings (the check service's own)
    actions: Actions  # corrective actions (整改)

    @classmethod
    def opened(cls, settings: Settings, clock: Clock, busy_ms: int = BOT_BUSY_MS) -> Services:
        """The services, open: what the command line and the demo build (the bot opens its
        own at start, `open(..., bot_start=True)`)."""
        s = cls()
        s.open(settings, clock, busy_ms)
        return s

    def open(
        self,
        settings: Settings,
        clock: Clock | None = None,
        busy_ms: int = BOT_BUSY_MS,
        bot_start: bool = False,
    ) -> None:
        """Load the catalog, open the database and build the services. The bot waits `busy_ms`
        for a lock (its event loop must not stall); the command line longer.

        Only the bot's start (`bot_start`) makes the admins follow GREENCHECK_ADMINS and sweeps
        what killed downloads left: a command run from a shell without the bot's environment
        must not demote the admins the bot was started with, nor write at all when it reads."""
        self.settings = settings
        self.clock = clock or SystemClock(settings.zone)
        self.catalog = catalog(settings.catalog_cache)
        self.program = self.catalog.program(settings.program)
        self.standard = self.catalog.standard(self.program.standard)
        self.db = connect(settings.db, busy_ms=busy_ms)
        self.roster = Roster(self.db)
        self.people = People(self.db, self.clock, self.roster)
        self.updates = Updates(self.db, self.clock)
        self.checks = Checks(self.db, self.catalog, self.program, clock=self.clock)
        self.reviews = Reviews(self.checks)
        self.spotchecks = SpotChecks(self.reviews)
        self.spot_files = SpotFiles(self.db)
        self.publicity = Publicity(self.reviews)
        self.evidence = Evidence(self.db, FileStore(settings.files_dir), self.checks)
        self.notices = Notices(self.db, self.clock)
        self.reports = Reports(self.checks, self.standard)
        self.form_fields = FormFields(self.db, self.clock)
        self.exports = Exports(self.reports, self.reviews, self.form_fields, self.clock)
        self.reminders = Reminders(self.db, self.clock, self.program, self.reports)
        self.targets = self.checks.targets
        self.actions = Actions(self.db, self.clock)
        if bot_start:
            self.people.ensure_admins(settings.admins)
            # what a download killed half-way left (an hour old: none is still being written)
            self.evidence.files.sweep(self.clock.read().timestamp() - SWEEP_AFTER_S)

    @contextlib.contextmanager
    def exports_apart(self) -> Iterator[Exports]:
        """The exports service over a connection of its own, for a file built in another thread
        (a connection is not shared between threads; the event loop keeps `db`)."""
        db = connect(self.settings.db, busy_ms=CLI_BUSY_MS)
        try:
            checks = Checks(db, self.catalog, self.program, clock=self.clock)
            reports = Reports(checks, self.standard)
            yield Exports(reports, Reviews(checks), FormFields(db, self.clock), self.clock)
        finally:
            db.close()

    def close(self) -> None:
        if hasattr(self, "db"):
            self.db.close()
