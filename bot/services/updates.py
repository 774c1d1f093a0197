"""The Telegram update ids already handled: a redelivered update changes nothing."""

from __future__ import annotations

import sqlite3

import sqlite_utils

from bot.clock import Clock
from bot.domain.errors import Busy
from bot.store.db import claim_update
from bot.store.updates import last_update_id


class Updates:
    """The update-id guard over one database, stamped by the clock."""

    def __init__(self, db: sqlite_utils.Database, clock: Clock) -> None:
        self.db = db
        self.clock = clock

    def claim(self, update_id: int) -> bool | None:
        """Record an update id: True the first time, False for a redelivery; None when the guard
        itself fails (the database locked elsewhere, the disk full): the update is then handled
        unclaimed, and its own unit of work succeeds or says why it did not."""
        try:
            return claim_update(self.db, update_id, self.clock.stamp())
        except (Busy, sqlite3.Error):
            return None

    def last(self) -> int:
        """The newest update id the database has seen (0: none)."""
        return last_update_id(self.db)
