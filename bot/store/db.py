"""SQLite storage: connection, WAL, and the registered schema migrations.

sqlite-utils builds the schema (tables, indexes) and serves imports and reports; the tap path
uses plain prepared SQL on `db.conn`. Each migration runs once, in order, inside a
transaction, and is recorded in `migrations`; re-running `migrate` is a no-op and an old
database is upgraded in place.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Callable
from pathlib import Path

import sqlite_utils

Migration = Callable[[sqlite_utils.Database], None]
MIGRATIONS: list[tuple[int, str, Migration]] = []


def migration(version: int, name: str) -> Callable[[Migration], Migration]:
    """Register a schema migration; versions must be unique and increasing."""

    def wrap(fn: Migration) -> Migration:
        if MIGRATIONS and version <= MIGRATIONS[-1][0]:
            raise ValueError(f"migration {version} registered out of order")
        MIGRATIONS.append((version, name, fn))
        return fn

    return wrap


def now() -> str:
    """Return the current UTC time as ISO text (what every *_at column holds)."""
    return dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


@migration(1, "roster, users, assessments, answers, evidence, history, deadlines, reminders")
def _initial(db: sqlite_utils.Database) -> None:
    db.table("counties").create(
        {"id": int, "name": str, "region": str, "note": str}, pk="id", not_null={"name"}
    )
    db.table("counties").create_index(["name"], unique=True)
    db.table("streets").create(
        {"id": int, "county_id": int, "name": str},
        pk="id",
        foreign_keys=[("county_id", "counties", "id")],
        not_null={"name", "county_id"},
    )
    db.table("streets").create_index(["county_id", "name"], unique=True)
    db.table("communities").create(
        {
            "id": int,
            "county_id": int,
            "street_id": int,
            "name": str,
            "former_livable": int,  # 原“广东省宜居社区”
            "former_green": int,  # 原“广东省绿色社区”
            "planned_year": int,  # 计划创建年份 (附件5)
            "address": str,
            "note": str,
        },
        pk="id",
        foreign_keys=[("county_id", "counties", "id"), ("street_id", "streets", "id")],
        not_null={"name", "county_id"},
        defaults={"former_livable": 0, "former_green": 0},
    )
    db.table("communities").create_index(["name"], unique=True)
    db.table("communities").create_index(["county_id"])
    db.table("contacts").create(  # 附件4 联系人名单
        {
            "id": int,
            "county_id": int,
            "name": str,
            "unit": str,
            "office": str,
            "mobile": str,
            "phone": str,
        },
        pk="id",
        foreign_keys=[("county_id", "counties", "id")],
    )
    db.table("users").create(
        {
            "id": int,  # Telegram user id
            "name": str,
            "username": str,
            "lang": str,
            "reachable": int,  # 0 after a 403: never started or blocked the bot
            "created_at": str,
        },
        pk="id",
        defaults={"lang": "zh", "reachable": 1},
    )
    db.table("roles").create(
        {"user_id": int, "role": str, "community_id": int, "county_id": int, "granted_at": str},
        foreign_keys=[("user_id", "users", "id")],
    )
    db.execute(
        "CREATE UNIQUE INDEX idx_roles_unique ON roles"
        " (user_id, role, ifnull(community_id, 0), ifnull(county_id, 0))"
    )
    db.table("roles").create_index(["community_id"])
    db.table("roles").create_index(["county_id"])
    db.table("invites").create(
        {
            "code": str,
            "role": str,
            "community_id": int,
            "county_id": int,
            "created_by": int,
            "created_at": str,
            "expires_at": str,
            "used_by": int,
            "used_at": str,
        },
        pk="code",
    )
    db.table("groups").create(
        {"chat_id": int, "title": str, "community_id": int, "county_id": int, "bound_by": int},
        pk="chat_id",
    )
    db.table("assessments").create(
        {
            "id": int,
            "community_id": int,
            "program_id": str,
            "standard_id": str,
            "standard_hash": str,  # the standard file's content hash when the check began
            "status": str,  # open | submitted
            "created_at": str,
            "updated_at": str,
            "submitted_at": str,
            "submitted_by": int,
            # cached summary, refreshed on every change, so status reports stay cheap
            "answered": int,
            "total": int,
            "gap_count": int,
            "score": float,
            "passed": int,
        },
        pk="id",
        foreign_keys=[("community_id", "communities", "id")],
        defaults={"status": "open", "answered": 0, "gap_count": 0, "passed": 0},
    )
    db.table("assessments").create_index(["community_id", "standard_id"], unique=True)
    db.table("standard_versions").create(  # the standard as it was when a check began
        {"hash": str, "standard_id": str, "body": str, "stored_at": str}, pk="hash"
    )
    db.execute(
        """CREATE TABLE answers (
            assessment_id INTEGER NOT NULL REFERENCES assessments(id),
            question_id TEXT NOT NULL,
            status TEXT,
            points REAL,
            deductions TEXT,
            note TEXT,
            user_id INTEGER,
            updated_at TEXT,
            PRIMARY KEY (assessment_id, question_id)
        ) WITHOUT ROWID"""
    )
    db.table("answer_history").create(
        {
            "id": int,
            "assessment_id": int,
            "question_id": str,
            "status": str,
            "points": float,
            "deductions": str,
            "note": str,
            "user_id": int,
            "at": str,
        },
        pk="id",
    )
    db.table("answer_history").create_index(["assessment_id", "question_id"])
    # History is written by triggers, so the tap path stays one statement.
    for event in ("INSERT", "UPDATE"):
        db.execute(
            f"""CREATE TRIGGER answers_history_{event.lower()} AFTER {event} ON answers
            BEGIN
              INSERT INTO answer_history
                (assessment_id, question_id, status, points, deductions, note, user_id, at)
              VALUES (NEW.assessment_id, NEW.question_id, NEW.status, NEW.points,
                      NEW.deductions, NEW.note, NEW.user_id, NEW.updated_at);
            END"""
        )
    db.table("evidence").create(
        {
            "id": int,
            "assessment_id": int,
            "question_id": str,
            "kind": str,  # photo | document
            "file_id": str,
            "file_unique_id": str,
            "file_name": str,
            "mime_type": str,
            "file_size": int,
            "media_group_id": str,
            "chat_id": int,
            "message_id": int,
            "user_id": int,
            "created_at": str,
        },
        pk="id",
        foreign_keys=[("assessment_id", "assessments", "id")],
    )
    db.table("evidence").create_index(
        ["assessment_id", "question_id", "file_unique_id"], unique=True
    )
    db.table("evidence").create_index(["chat_id", "media_group_id"])
    db.table("cards").create(  # the check card on screen: which question it shows
        {"chat_id": int, "message_id": int, "assessment_id": int, "question_id": str},
        pk=("chat_id", "message_id"),
    )
    db.table("prompts").create(  # ForceReply prompts and pending uploads, keyed by chat and user
        {
            "chat_id": int,
            "user_id": int,
            "kind": str,  # note | evidence
            "assessment_id": int,
            "question_id": str,
            "message_id": int,
            "created_at": str,
        },
        pk=("chat_id", "user_id"),
    )
    db.table("custom_deadlines").create(
        {
            "id": int,
            "program_id": str,
            "title": str,
            "due": str,  # YYYY-MM-DD (one-off) …
            "annual": str,  # … or MM-DD every year
            "created_by": int,
            "created_at": str,
            "deleted": int,
        },
        pk="id",
        defaults={"deleted": 0},
    )
    db.table("deadline_confirmations").create(
        {
            "program_id": str,
            "deadline_id": str,
            "occurrence": str,
            "county_id": int,
            "user_id": int,
            "at": str,
        },
        pk=("program_id", "deadline_id", "occurrence", "county_id"),
    )
    db.table("reminder_log").create(
        {
            "program_id": str,
            "deadline_id": str,
            "occurrence": str,
            "recipient": int,  # user id or group chat id
            "lead": int,  # days before (negative: overdue)
            "status": str,  # sending | sent | unreachable | failed ("attempt N" kept in error)
            "error": str,
            "at": str,
        },
        pk=("program_id", "deadline_id", "occurrence", "recipient", "lead"),
    )


@migration(2, "contacts are unique per county and name (re-importing 附件4 updates in place)")
def _unique_contacts(db: sqlite_utils.Database) -> None:
    db.execute(
        "DELETE FROM contacts WHERE id NOT IN"
        " (SELECT max(id) FROM contacts GROUP BY county_id, name)"
    )
    db.execute("CREATE UNIQUE INDEX idx_contacts_county_name ON contacts (county_id, name)")


@migration(3, "county_progress summary (kept by triggers) and a covering roster index for /status")
def _county_progress(db: sqlite_utils.Database) -> None:
    from bot.store.progress import install_progress_summary

    install_progress_summary(db)


@migration(4, "notes keep their own author; processed update ids (redelivered updates are dropped)")
def _note_authors_and_seen_updates(db: sqlite_utils.Database) -> None:
    db.execute("ALTER TABLE answers ADD COLUMN note_by INTEGER")
    db.execute("ALTER TABLE answers ADD COLUMN note_at TEXT")
    db.execute("UPDATE answers SET note_by = user_id, note_at = updated_at WHERE note IS NOT NULL")
    db.execute("DROP TRIGGER answers_history_insert")
    db.execute("DROP TRIGGER answers_history_update")
    db.execute(
        """CREATE TRIGGER answers_history_insert AFTER INSERT ON answers
        BEGIN
          INSERT INTO answer_history
            (assessment_id, question_id, status, points, deductions, note, user_id, at)
          VALUES (NEW.assessment_id, NEW.question_id, NEW.status, NEW.points, NEW.deductions,
                  NEW.note, coalesce(NEW.user_id, NEW.note_by),
                  coalesce(NEW.updated_at, NEW.note_at));
        END"""
    )
    # A change of the note alone is the note author's; anything else is the answerer's.
    db.execute(
        """CREATE TRIGGER answers_history_update AFTER UPDATE ON answers
        BEGIN
          INSERT INTO answer_history
            (assessment_id, question_id, status, points, deductions, note, user_id, at)
          SELECT NEW.assessment_id, NEW.question_id, NEW.status, NEW.points, NEW.deductions,
                 NEW.note,
                 CASE WHEN only_note THEN NEW.note_by ELSE NEW.user_id END,
                 CASE WHEN only_note THEN NEW.note_at ELSE NEW.updated_at END
          FROM (SELECT NEW.status IS OLD.status AND NEW.points IS OLD.points
                       AND NEW.deductions IS OLD.deductions AS only_note);
        END"""
    )
    db.execute(
        "CREATE TABLE processed_updates (update_id INTEGER PRIMARY KEY, at TEXT) WITHOUT ROWID"
    )


@migration(5, "cards remember the last answer tap they took (redelivered taps are dropped)")
def _card_last_update(db: sqlite_utils.Database) -> None:
    db.execute("ALTER TABLE cards ADD COLUMN last_update_id INTEGER")


def connect(path: str | Path) -> sqlite_utils.Database:
    """Open (creating if needed) the database at `path` in WAL mode, migrated to the latest."""
    conn = sqlite3.connect(str(path), isolation_level=None, check_same_thread=False)
    conn.execute("PRAGMA foreign_keys = ON")
    conn.execute("PRAGMA busy_timeout = 5000")
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
    return db


def applied(db: sqlite_utils.Database) -> set[int]:
    if "migrations" not in db.table_names():
        return set()
    return {r[0] for r in db.execute("SELECT version FROM migrations").fetchall()}


def migrate(db: sqlite_utils.Database) -> list[int]:
    """Apply every pending migration in order; return the versions applied now."""
    if "migrations" not in db.table_names():
        db.table("migrations").create(
            {"version": int, "name": str, "applied_at": str}, pk="version"
        )
    done = applied(db)
    ran: list[int] = []
    for version, name, fn in MIGRATIONS:
        if version in done:
            continue
        with transaction(db):
            fn(db)
            db.execute(
                "INSERT INTO migrations (version, name, applied_at) VALUES (?, ?, ?)",
                [version, name, now()],
            )
        ran.append(version)
    return ran


class transaction:
    """A BEGIN IMMEDIATE … COMMIT block on an autocommit connection (nestable: inner is a no-op)."""

    def __init__(self, db: sqlite_utils.Database) -> None:
        self.conn = db.conn
        self.outer = False

    def __enter__(self) -> sqlite3.Connection:
        if not self.conn.in_transaction:
            self.conn.execute("BEGIN IMMEDIATE")
            self.outer = True
        return self.conn

    def __exit__(self, exc_type: object, exc: object, tb: object) -> None:
        if not self.outer:
            return
        if exc_type is None:
            self.conn.execute("COMMIT")
        else:
            self.conn.execute("ROLLBACK")


KEEP_UPDATES = 100_000  # update ids remembered for de-duplication


def claim_update(db: sqlite_utils.Database, update_id: int) -> bool:
    """Record an update id; return False if it was processed before (a redelivery)."""
    cur = db.conn.execute(
        "INSERT OR IGNORE INTO processed_updates (update_id, at) VALUES (?, ?)", [update_id, now()]
    )
    if update_id % 1000 == 0:  # now and then, forget ids far behind
        db.conn.execute(
            "DELETE FROM processed_updates WHERE update_id < ?", [update_id - KEEP_UPDATES]
        )
    return cur.rowcount > 0
