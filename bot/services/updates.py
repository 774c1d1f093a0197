"""The Telegram update ids already handled: a redelivered update changes nothing."""

from __future__ import annotations

import sqlite3

import sqlite_utils

from bot.domain.errors import Busy
from bot.store.db import claim_update
from bot.store.updates import last_update_id


def claim(db: sqlite_utils.Database, update_id: int, at: str) -> bool | None:
    """Record an update id: True the first time, False for a redelivery; None when the guard
    itself fails (the database locked elsewhere, the disk full): the update is then handled
    unclaimed, and its own unit of work succeeds or says why it did not."""
    try:
        return claim_update(db, update_id, at)
    except (Busy, sqlite3.Error):
        return None


def last(db: sqlite_utils.Database) -> int:
    """The newest update id the database has seen (0: none)."""
    return last_update_id(db)
