"""SQLite storage: connection and pragmas, the unit of work, update-id claims.

The schema and its migrations live in `bot.store.schema`; `connect` applies the pending ones.
The tap path uses plain prepared SQL on `db.conn` (see `bot.store.checks`).

Lock waits are short for the bot (`BOT_BUSY_MS`): a write lock held by another process (a CLI
import, a backup) makes a unit of work raise `Busy` after ~50 ms instead of stalling the event
loop for seconds; the Telegram layer retries it with an async backoff (handlers/common.py).
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import sqlite_utils

from bot.domain.errors import Busy
from bot.store.schema import KEEP_UPDATES, MIGRATIONS, applied, migrate, migration

__all__ = [
    "MIGRATIONS",
    "Busy",
    "applied",
    "claim_update",
    "connect",
    "migrate",
    "migration",
    "transaction",
]

CLI_BUSY_MS = 5000  # the command line may wait for the bot's short transactions
BOT_BUSY_MS = 50  # the bot never blocks its event loop longer than this on a lock


def connect(path: str | Path, busy_ms: int = CLI_BUSY_MS) -> sqlite_utils.Database:
    """Open (creating if needed) the database at `path` in WAL mode, migrated to the latest."""
    conn = sqlite3.connect(str(path), isolation_level=None, check_same_thread=False)
    conn.execute("PRAGMA foreign_keys = ON")
    conn.execute(f"PRAGMA busy_timeout = {max(CLI_BUSY_MS, busy_ms)}")  # migrations may wait
    db = sqlite_utils.Database(conn)
    if str(path) != ":memory:":
        db.enable_wal()
    conn.execute("PRAGMA synchronous = NORMAL")  # WAL: durable at checkpoints, no fsync per tap
    # Checkpoint every ~40 MB of WAL instead of 4 MB: the hot pages of a check (its answers,
    # its summary row, the card) are rewritten on every tap, and a rarer checkpoint copies each
    # of them once instead of again and again.
    conn.execute("PRAGMA wal_autocheckpoint = 10000")
    conn.execute("PRAGMA journal_size_limit = 67108864")
    migrate(db)
    conn.execute(f"PRAGMA busy_timeout = {int(busy_ms)}")
    return db


def is_busy(exc: BaseException) -> bool:
    """Whether an sqlite3 error means another connection holds the lock."""
    if not isinstance(exc, sqlite3.OperationalError):
        return False
    text = str(exc).lower()
    return "locked" in text or "busy" in text


class transaction:
    """A BEGIN IMMEDIATE … COMMIT block on an autocommit connection (nestable: inner is a no-op).

    BEGIN IMMEDIATE takes the write lock first, so what the block reads cannot change before
    it writes (a submit cannot land between a tap's lock check and its answer). A lock held
    elsewhere raises `Busy` (nothing written).
    """

    def __init__(self, db: sqlite_utils.Database | sqlite3.Connection) -> None:
        self.conn = db if isinstance(db, sqlite3.Connection) else db.conn
        self.outer = False

    def __enter__(self) -> sqlite3.Connection:
        if not self.conn.in_transaction:
            try:
                self.conn.execute("BEGIN IMMEDIATE")
            except sqlite3.OperationalError as exc:
                raise (Busy(str(exc)) if is_busy(exc) else exc) from exc
            self.outer = True
        return self.conn

    def __exit__(self, exc_type: object, exc: object, tb: object) -> None:
        if not self.outer:
            return
        if exc_type is not None:
            self.conn.execute("ROLLBACK")
            return
        try:
            self.conn.execute("COMMIT")
        except sqlite3.OperationalError as err:
            if self.conn.in_transaction:
                self.conn.execute("ROLLBACK")
            raise (Busy(str(err)) if is_busy(err) else err) from err


def claim_update(db: sqlite_utils.Database, update_id: int, at: str) -> bool:
    """Record an update id; return False if it was processed before (a redelivery).

    Raises `Busy` when another connection holds the write lock (nothing recorded).
    """
    try:
        cur = db.conn.execute(
            "INSERT OR IGNORE INTO processed_updates (update_id, at) VALUES (?, ?)",
            [update_id, at],
        )
        if update_id % 1000 == 0:  # now and then, forget ids far behind
            db.conn.execute(
                "DELETE FROM processed_updates WHERE update_id < ?", [update_id - KEEP_UPDATES]
            )
    except sqlite3.OperationalError as exc:
        raise (Busy(str(exc)) if is_busy(exc) else exc) from exc
    return cur.rowcount > 0
