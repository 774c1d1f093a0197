"""Telegram update ids the database has seen (read side; `db.claim_update` records them)."""

from __future__ import annotations

import sqlite_utils


def last_update_id(db: sqlite_utils.Database) -> int:
    """The highest update id claimed or applied to a card (0 for a new database)."""
    row = db.execute(
        "SELECT max(ifnull((SELECT max(update_id) FROM processed_updates), 0),"
        " ifnull((SELECT max(last_update_id) FROM cards), 0))"
    ).fetchone()
    return int(row[0] or 0)
