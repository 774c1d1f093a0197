"""The schema: every registered migration (all DDL, triggers included), in order.

sqlite-utils builds tables and indexes; triggers are plain SQL. Each migration runs once, in
order, inside its own BEGIN IMMEDIATE … COMMIT, and is recorded in `migrations`; re-running
`migrate` is a no-op and an old database is upgraded in place. This module imports nothing of
ours outside `bot/store` and `bot/domain`.
"""

from __future__ import annotations

from collections.abc import Callable

import sqlite_utils

from bot.domain.workflow import DONE, OPEN, SUBMITTED, WAITING

Migration = Callable[[sqlite_utils.Database], None]
MIGRATIONS: list[tuple[int, str, Migration]] = []
# The database's own clock stamps `migrations.applied_at` (nothing in bot/store reads Python's).
_DB_NOW = "strftime('%Y-%m-%dT%H:%M:%fZ', 'now')"
KEEP_UPDATES = 100_000  # update ids remembered for de-duplication


def migration(version: int, name: str) -> Callable[[Migration], Migration]:
    """Register a schema migration; versions must be unique and increasing."""

    def wrap(fn: Migration) -> Migration:
        if MIGRATIONS and version <= MIGRATIONS[-1][0]:
            raise ValueError(f"migration {version} registered out of order")
        MIGRATIONS.append((version, name, fn))
        return fn

    return wrap


def applied(db: sqlite_utils.Database) -> set[int]:
    if "migrations" not in db.table_names():
        return set()
    return {r[0] for r in db.execute("SELECT version FROM migrations").fetchall()}


def migrate(db: sqlite_utils.Database, only: set[int] | None = None) -> list[int]:
    """Apply every pending migration in order (`only`: just these; a restore builds the
    schema an older database should have); return the versions applied now."""
    if "migrations" not in db.table_names():
        db.table("migrations").create(
            {"version": int, "name": str, "applied_at": str}, pk="version"
        )
    done = applied(db)
    ran: list[int] = []
    for version, name, fn in MIGRATIONS:
        if version in done or (only is not None and version not in only):
            continue
        _apply(db, version, name, fn)
        ran.append(version)
    return ran


def _apply(db: sqlite_utils.Database, version: int, name: str, fn: Migration) -> None:
    """Run one migration and record it, all or nothing."""
    conn = db.conn
    conn.execute("BEGIN IMMEDIATE")
    try:
        fn(db)
        conn.execute(
            f"INSERT INTO migrations (version, name, applied_at) VALUES (?, ?, {_DB_NOW})",
            [version, name],
        )
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")


# -- migration 1 -----------------------------------------------------------------------------


@migration(1, "roster, users, assessments, answers, evidence, history, deadlines, reminders")
def _initial(db: sqlite_utils.Database) -> None:
    _roster_tables(db)
    _people_tables(db)
    _check_tables(db)
    _answer_tables(db)
    _evidence_and_card_tables(db)
    _reminder_tables(db)


def _roster_tables(db: sqlite_utils.Database) -> None:
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
            "former_livable": int,  # formerly a Guangdong "livable community"
            "former_green": int,  # formerly a Guangdong "green community"
            "planned_year": int,  # planned year of creation (Annex 5)
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
    db.table("contacts").create(  # Annex 4: the contact list
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


def _people_tables(db: sqlite_utils.Database) -> None:
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


def _check_tables(db: sqlite_utils.Database) -> None:
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
        defaults={"status": OPEN, "answered": 0, "gap_count": 0, "passed": 0},
    )
    db.table("assessments").create_index(["community_id", "standard_id"], unique=True)


def _answer_tables(db: sqlite_utils.Database) -> None:
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


def _reminder_tables(db: sqlite_utils.Database) -> None:
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


def _evidence_and_card_tables(db: sqlite_utils.Database) -> None:
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


# -- migration 3: the county_progress summary ------------------------------------------------
# A copy of the SQL bot/reports.py installs (so the store imports nothing outside bot/store and
# bot/domain). One row per (county, standard) counts the started, submitted and passed checks;
# triggers keep it exact. The update trigger fires only when a flag or a key changes, so the
# tap path (which rewrites the cached summary on every answer) pays nothing.

_FLAGS = {
    "started": "(ifnull({r}.answered, 0) > 0)",
    "submitted": f"({{r}}.status IS '{SUBMITTED}')",
    "passed": f"({{r}}.status IS '{SUBMITTED}' AND {{r}}.passed IS 1)",
}


def _delta(ref: str, sign: str, county: str, where: str) -> str:
    flags = ", ".join(f"{sign}{e.format(r=ref)}" for e in _FLAGS.values())
    return (
        "INSERT INTO county_progress (county_id, standard_id, started, submitted, passed)"
        f" SELECT {county}, {ref}.standard_id, {flags} {where}"
        " ON CONFLICT (county_id, standard_id) DO UPDATE SET"
        " started = started + excluded.started, submitted = submitted + excluded.submitted,"
        " passed = passed + excluded.passed;"
    )


def _changed(a: str, b: str) -> str:
    parts = [f"{a}.community_id IS NOT {b}.community_id", f"{a}.standard_id IS NOT {b}.standard_id"]
    parts += [f"{e.format(r=a)} IS NOT {e.format(r=b)}" for e in _FLAGS.values()]
    return " OR ".join(parts)


_IN_COUNTY = "FROM communities c WHERE c.id = {r}.community_id"
PROGRESS_SUMMARY_SQL: tuple[str, ...] = (
    """CREATE TABLE IF NOT EXISTS county_progress (
        county_id INTEGER NOT NULL,
        standard_id TEXT NOT NULL,
        started INTEGER NOT NULL DEFAULT 0,
        submitted INTEGER NOT NULL DEFAULT 0,
        passed INTEGER NOT NULL DEFAULT 0,
        PRIMARY KEY (county_id, standard_id)
    ) WITHOUT ROWID""",
    "CREATE TRIGGER IF NOT EXISTS county_progress_assessment_insert AFTER INSERT ON assessments"
    f" BEGIN {_delta('NEW', '+', 'c.county_id', _IN_COUNTY.format(r='NEW'))} END",
    "CREATE TRIGGER IF NOT EXISTS county_progress_assessment_delete AFTER DELETE ON assessments"
    f" BEGIN {_delta('OLD', '-', 'c.county_id', _IN_COUNTY.format(r='OLD'))} END",
    "CREATE TRIGGER IF NOT EXISTS county_progress_assessment_update AFTER UPDATE OF"
    " community_id, standard_id, answered, status, passed ON assessments"
    f" WHEN {_changed('OLD', 'NEW')} BEGIN"
    f" {_delta('OLD', '-', 'c.county_id', _IN_COUNTY.format(r='OLD'))}"
    f" {_delta('NEW', '+', 'c.county_id', _IN_COUNTY.format(r='NEW'))} END",
    "CREATE TRIGGER IF NOT EXISTS county_progress_community_move AFTER UPDATE OF county_id"
    " ON communities WHEN OLD.county_id IS NOT NEW.county_id BEGIN"
    f" {_delta('a', '-', 'OLD.county_id', 'FROM assessments a WHERE a.community_id = NEW.id')}"
    f" {_delta('a', '+', 'NEW.county_id', 'FROM assessments a WHERE a.community_id = NEW.id')}"
    " END",
)
PROGRESS_BACKFILL_SQL = f"""
INSERT INTO county_progress (county_id, standard_id, started, submitted, passed)
SELECT c.county_id, a.standard_id, sum(ifnull(a.answered, 0) > 0),
       sum(a.status IS '{SUBMITTED}'), sum(a.status IS '{SUBMITTED}' AND a.passed IS 1)
FROM assessments a JOIN communities c ON c.id = a.community_id
GROUP BY c.county_id, a.standard_id
"""
_PROGRESS_RESET = "DELETE FROM county_progress"  # a partial install may have left rows
# The covering index the roster half of the county table scans.
ROSTER_INDEX_SQL = (
    "CREATE INDEX IF NOT EXISTS idx_communities_county_cover ON communities"
    " (county_id, former_livable, former_green, planned_year)"
)


@migration(2, "contacts are unique per county and name (re-importing Annex 4 updates in place)")
def _unique_contacts(db: sqlite_utils.Database) -> None:
    db.execute(
        "DELETE FROM contacts WHERE id NOT IN"
        " (SELECT max(id) FROM contacts GROUP BY county_id, name)"
    )
    db.execute("CREATE UNIQUE INDEX idx_contacts_county_name ON contacts (county_id, name)")


@migration(3, "county_progress summary (kept by triggers) and a covering roster index for /status")
def _county_progress(db: sqlite_utils.Database) -> None:
    for sql in (*PROGRESS_SUMMARY_SQL, ROSTER_INDEX_SQL, _PROGRESS_RESET, PROGRESS_BACKFILL_SQL):
        db.execute(sql)


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


@migration(6, "assessments get a cycle (year); the key is (community, standard, cycle)")
def _assessment_cycle(db: sqlite_utils.Database) -> None:
    db.execute("ALTER TABLE assessments ADD COLUMN cycle INTEGER")
    db.execute(
        "UPDATE assessments SET cycle = CAST(substr(created_at, 1, 4) AS INTEGER)"
        " WHERE created_at GLOB '[0-9][0-9][0-9][0-9]-*'"
    )
    db.execute("DROP INDEX idx_assessments_community_id_standard_id")
    # NULL (the first cycle, when the year is unknown) is one cycle, not many: ifnull in the key.
    db.execute(
        "CREATE UNIQUE INDEX idx_assessments_key ON assessments"
        " (community_id, standard_id, ifnull(cycle, 0))"
    )


@migration(7, "an answer tap claims its update id when it writes its card (one statement)")
def _card_claims(db: sqlite_utils.Database) -> None:
    # cards.last_update_id: the tap (update id) that last wrote the row, NULL for navigation.
    # Writing it claims the id in processed_updates; a redelivered id fails the card write
    # (primary key), so the whole answer transaction rolls back and the tap counts once. Now
    # and then (ids divisible by 1000) ids far behind are forgotten, as claim_update does.
    db.execute("ALTER TABLE cards ADD COLUMN tapped_at TEXT")
    for event in ("INSERT", "UPDATE OF last_update_id"):
        name = "cards_claim_" + event.split()[0].lower()
        db.execute(
            f"""CREATE TRIGGER {name} AFTER {event} ON cards
            WHEN NEW.last_update_id IS NOT NULL
            BEGIN
              INSERT INTO processed_updates (update_id, at)
              VALUES (NEW.last_update_id, NEW.tapped_at);
              DELETE FROM processed_updates WHERE NEW.last_update_id % 1000 = 0
                AND update_id < NEW.last_update_id - {KEEP_UPDATES};
            END"""
        )


@migration(8, "assessments count the changes of their rows (rev), so a reader can keep a copy")
def _assessment_rev(db: sqlite_utils.Database) -> None:
    # Any change of a check's answers or files bumps its rev, whoever writes it: a service that
    # kept the rows it last wrote rereads them only when rev moved (bot.store.checks.load_since).
    db.execute("ALTER TABLE assessments ADD COLUMN rev INTEGER NOT NULL DEFAULT 0")
    for table, events in (
        ("answers", ("INSERT", "UPDATE", "DELETE")),
        ("evidence", ("INSERT", "DELETE")),
    ):
        for event in events:
            ref = "OLD" if event == "DELETE" else "NEW"
            db.execute(
                f"""CREATE TRIGGER {table}_rev_{event.lower()} AFTER {event} ON {table}
                BEGIN
                  UPDATE assessments SET rev = rev + 1 WHERE id = {ref}.assessment_id;
                END"""
            )


@migration(9, "roles remember their source (env, invite, chat); role_events: every grant, revoke")
def _role_events(db: sqlite_utils.Database) -> None:
    # source: 'env' (GREENCHECK_ADMINS, follows the variable at each start), 'invite', 'cli'.
    db.execute("ALTER TABLE roles ADD COLUMN source TEXT NOT NULL DEFAULT 'invite'")
    db.execute(
        "UPDATE roles SET source = 'env' WHERE role = 'admin' AND user_id NOT IN"
        " (SELECT used_by FROM invites WHERE role = 'admin' AND used_by IS NOT NULL)"
    )
    db.execute(
        """CREATE TABLE role_events (
          id INTEGER PRIMARY KEY,
          user_id INTEGER NOT NULL,
          role TEXT NOT NULL,
          community_id INTEGER,
          county_id INTEGER,
          action TEXT NOT NULL CHECK (action IN ('grant', 'revoke')),
          source TEXT NOT NULL,
          by_user INTEGER,
          at TEXT NOT NULL
        )"""
    )
    db.execute("CREATE INDEX idx_role_events_user ON role_events (user_id, id)")
    # The roles granted so far, as grants (by the invite's author when one was used).
    db.execute(
        """INSERT INTO role_events
          (user_id, role, community_id, county_id, action, source, by_user, at)
        SELECT r.user_id, r.role, r.community_id, r.county_id, 'grant', r.source,
          (SELECT i.created_by FROM invites i WHERE i.used_by = r.user_id AND i.role = r.role
             AND ifnull(i.community_id, 0) = ifnull(r.community_id, 0)
             AND ifnull(i.county_id, 0) = ifnull(r.county_id, 0) LIMIT 1),
          ifnull(r.granted_at, '')
        FROM roles r ORDER BY r.granted_at"""
    )


@migration(10, "the application form's free-text fields, per community and year, with history")
def _form_fields(db: sqlite_utils.Database) -> None:
    # What a community writes on its 申报表 (address, population, areas, persons in charge,
    # 工作情况 …): one current value per (community, year, field); every change is also kept in
    # form_field_events (who, when, old and new value), the audit trail.
    db.execute(
        """CREATE TABLE form_fields (
            community_id INTEGER NOT NULL REFERENCES communities(id),
            year INTEGER NOT NULL,
            field TEXT NOT NULL,
            value TEXT NOT NULL,
            updated_by INTEGER,
            updated_at TEXT NOT NULL,
            PRIMARY KEY (community_id, year, field)
        )"""
    )
    db.execute(
        """CREATE TABLE form_field_events (
            id INTEGER PRIMARY KEY,
            community_id INTEGER NOT NULL,
            year INTEGER NOT NULL,
            field TEXT NOT NULL,
            old_value TEXT,
            new_value TEXT,
            user_id INTEGER,
            at TEXT NOT NULL
        )"""
    )


@migration(11, "the review chain: stages, verifications, comments, reopened items, history")
def _review_chain(db: sqlite_utils.Database) -> None:
    # One row per check in the chain: the stage it waits at (bot.domain.workflow.Chain) and
    # its state (waiting | returned | recognised | published); returned_by: who sent it back
    # (a resubmission goes back to them); verified_*: the result with the reviewers' verified
    # answers as the last approval vouched for it (NULL: not approved by anyone yet).
    db.execute(
        """CREATE TABLE reviews (
        assessment_id INTEGER PRIMARY KEY REFERENCES assessments(id),
        stage TEXT NOT NULL, state TEXT NOT NULL, entered_at TEXT NOT NULL,
        returned_by INTEGER, recognised_at TEXT, published_at TEXT,
        verified_score REAL, verified_passed INTEGER, verified_by INTEGER)"""
    )
    db.execute("CREATE INDEX idx_reviews_stage ON reviews (stage, state, entered_at)")
    # The reviewers' verified answer per item (absent: the worker's answer stands unverified).
    db.execute(
        """CREATE TABLE review_items (
        assessment_id INTEGER NOT NULL REFERENCES assessments(id), question_id TEXT NOT NULL,
        status TEXT, points REAL, deductions TEXT, stage TEXT, user_id INTEGER, at TEXT,
        PRIMARY KEY (assessment_id, question_id))"""
    )
    # Per-item comments (question_id '' : on the whole check); open until the check is sent
    # back, when the commented items are reopened for the community.
    db.execute(
        """CREATE TABLE review_comments (
        id INTEGER PRIMARY KEY, assessment_id INTEGER NOT NULL REFERENCES assessments(id),
        question_id TEXT NOT NULL, body TEXT NOT NULL, stage TEXT, user_id INTEGER,
        at TEXT NOT NULL, pending INTEGER NOT NULL DEFAULT 1)"""
    )
    db.execute("CREATE INDEX idx_review_comments ON review_comments (assessment_id, pending)")
    # Items a send-back reopened: the only ones the community may change until it resubmits.
    db.execute(
        """CREATE TABLE review_reopened (
        assessment_id INTEGER NOT NULL, question_id TEXT NOT NULL,
        PRIMARY KEY (assessment_id, question_id))"""
    )
    # The history: every transition, verification and comment (who, role, when, stage,
    # before/after). Append-only.
    db.execute(
        """CREATE TABLE review_events (
        id INTEGER PRIMARY KEY, assessment_id INTEGER NOT NULL, stage TEXT, action TEXT NOT NULL,
        user_id INTEGER, role TEXT, at TEXT NOT NULL, question_id TEXT, before TEXT,
        after TEXT, comment TEXT)"""
    )
    db.execute("CREATE INDEX idx_review_events ON review_events (assessment_id, id)")
    # Street reviewers (街道) and their streets; an invite names its street (street_id), and
    # redeeming it grants the street (trigger: the people code stays as it is).
    db.execute(
        """CREATE TABLE street_roles (
        user_id INTEGER NOT NULL, street_id INTEGER NOT NULL REFERENCES streets(id),
        granted_at TEXT, PRIMARY KEY (user_id, street_id))"""
    )
    db.execute("ALTER TABLE invites ADD COLUMN street_id INTEGER")
    db.execute(
        """CREATE TRIGGER invites_grant_street AFTER UPDATE OF used_by ON invites
        WHEN NEW.street_id IS NOT NULL AND NEW.used_by IS NOT NULL AND OLD.used_by IS NULL
        BEGIN
          INSERT OR IGNORE INTO street_roles (user_id, street_id, granted_at)
          VALUES (NEW.used_by, NEW.street_id, NEW.used_at);
        END"""
    )
    # Prompts a reviewer answers by replying (a send-back reason, an item comment). Reviewer
    # reminders use reminder_log (deadline id `review-<check>-<stage>`), like deadline ones.
    db.execute(
        """CREATE TABLE review_prompts (
        chat_id INTEGER NOT NULL, message_id INTEGER NOT NULL, user_id INTEGER NOT NULL,
        kind TEXT NOT NULL, assessment_id INTEGER NOT NULL, question_id TEXT NOT NULL,
        at TEXT NOT NULL, PRIMARY KEY (chat_id, message_id))"""
    )


@migration(12, "evidence files: stored by SHA-256, provenance (EXIF, perceptual hash, flags)")
def _evidence_files(db: sqlite_utils.Database) -> None:
    # The download state of each evidence row: `sha256` and `stored_at` once the bytes are in the
    # content-addressed store (bot/files/store.py); `attempts`/`error` while it is pending.
    for column in (
        "sha256 TEXT",
        "stored_at TEXT",
        "attempts INTEGER NOT NULL DEFAULT 0",
        "error TEXT",
        "taken_at TEXT",  # EXIF DateTimeOriginal
        "gps TEXT",  # "lat,lon" from EXIF
        "phash TEXT",  # perceptual hash (hex) of an image
        "flags TEXT",  # JSON list of provenance flags
    ):
        db.execute(f"ALTER TABLE evidence ADD COLUMN {column}")
    db.execute("CREATE INDEX idx_evidence_sha256 ON evidence (sha256)")
    db.execute("CREATE INDEX idx_evidence_pending ON evidence (stored_at, attempts)")
    # a file moved to another item changes the check's rows (migration 8's rev)
    db.execute(
        """CREATE TRIGGER evidence_rev_move AFTER UPDATE OF question_id ON evidence
        BEGIN
          UPDATE assessments SET rev = rev + 1 WHERE id = NEW.assessment_id;
        END"""
    )
    # Every change of a file after it was attached (removed, moved): the evidence history.
    db.execute(
        """CREATE TABLE evidence_events (
        id INTEGER PRIMARY KEY, evidence_id INTEGER NOT NULL, assessment_id INTEGER NOT NULL,
        action TEXT NOT NULL, question_id TEXT, before TEXT, user_id INTEGER, at TEXT NOT NULL)"""
    )


@migration(13, "cycles and corrective actions: kinds, carried drafts, set targets, withdrawals")
def _cycles_and_actions(db: sqlite_utils.Database) -> None:
    # create (创建, a first check) or rereview (复审, yearly); the key stays (community, standard, cycle)
    db.execute("ALTER TABLE assessments ADD COLUMN kind TEXT NOT NULL DEFAULT 'create'")
    # Last year's answers as a draft (上年) beside this year's check: they count only once
    # confirmed (copied into answers through the answer path, and deleted here).
    db.execute(
        """CREATE TABLE carried (
        assessment_id INTEGER NOT NULL REFERENCES assessments(id), question_id TEXT NOT NULL,
        status TEXT, points REAL, deductions TEXT, note TEXT, from_assessment INTEGER,
        PRIMARY KEY (assessment_id, question_id))"""
    )
    # Targets admins set for a year (the program's stay in its file), with who and when; and
    # every change of them.
    db.execute(
        """CREATE TABLE year_targets (
        program_id TEXT NOT NULL, year INTEGER NOT NULL, pct REAL NOT NULL,
        set_by TEXT NOT NULL, set_at TEXT NOT NULL, PRIMARY KEY (program_id, year))"""
    )
    db.execute(
        """CREATE TABLE target_events (
        id INTEGER PRIMARY KEY, program_id TEXT NOT NULL, year INTEGER NOT NULL,
        before REAL, after REAL, set_by TEXT NOT NULL, at TEXT NOT NULL)"""
    )
    # A recognition withdrawn (a failed 复审), with the reason.
    db.execute(
        """CREATE TABLE withdrawals (
        id INTEGER PRIMARY KEY, community_id INTEGER NOT NULL REFERENCES communities(id),
        assessment_id INTEGER, reason TEXT NOT NULL, user_id INTEGER, at TEXT NOT NULL)"""
    )
    db.execute("CREATE INDEX idx_withdrawals ON withdrawals (community_id, at)")
    # Corrective actions (整改) and their history.
    db.execute(
        """CREATE TABLE actions (
        id INTEGER PRIMARY KEY, community_id INTEGER NOT NULL REFERENCES communities(id),
        assessment_id INTEGER NOT NULL REFERENCES assessments(id), question_id TEXT NOT NULL,
        problem TEXT NOT NULL, owner_id INTEGER, due TEXT NOT NULL, status TEXT NOT NULL,
        opened_by INTEGER, opened_at TEXT NOT NULL, closed_at TEXT, evidence_id INTEGER,
        confirmed_by INTEGER, confirmed_at TEXT)"""
    )
    db.execute("CREATE INDEX idx_actions_owner ON actions (owner_id, status, due)")
    db.execute("CREATE INDEX idx_actions_community ON actions (community_id, status, due)")
    db.execute(
        """CREATE TABLE action_events (
        id INTEGER PRIMARY KEY, action_id INTEGER NOT NULL REFERENCES actions(id),
        action TEXT NOT NULL, user_id INTEGER, at TEXT NOT NULL, before TEXT, after TEXT,
        comment TEXT)"""
    )
    db.execute("CREATE INDEX idx_action_events ON action_events (action_id, id)")


@migration(14, "declared review stages: states waiting/returned/done, verdicts, prompt stages")
def _declared_stages(db: sqlite_utils.Database) -> None:
    # A recognised check now waits at its next stage (公示, 公布, 授牌) like any other, and a
    # check past its last stage is `done` (bot.domain.workflow.REVIEW).
    db.execute(f"UPDATE reviews SET state = '{WAITING}' WHERE state = 'recognised'")
    db.execute(f"UPDATE reviews SET state = '{DONE}' WHERE state = 'published'")
    # What makes a community count as done (达标), dated by the event that made it so: its
    # recognition, the verified result at a chain's last stage, its own passing submission
    # (a program with no chain) or a passed 复审. Withdrawals (a failed 复审) undo it from
    # their date. Append-only.
    db.execute(
        """CREATE TABLE verdicts (
        id INTEGER PRIMARY KEY, community_id INTEGER NOT NULL REFERENCES communities(id),
        assessment_id INTEGER NOT NULL REFERENCES assessments(id), standard_id TEXT NOT NULL,
        kind TEXT NOT NULL, at TEXT NOT NULL)"""
    )
    db.execute("CREATE INDEX idx_verdicts ON verdicts (standard_id, at, community_id)")
    db.execute("CREATE INDEX idx_verdicts_community ON verdicts (community_id, standard_id, at)")
    db.execute(
        """INSERT INTO verdicts (community_id, assessment_id, standard_id, kind, at)
        SELECT a.community_id, a.id, a.standard_id, 'recognised', r.recognised_at
        FROM reviews r JOIN assessments a ON a.id = r.assessment_id
        WHERE r.recognised_at IS NOT NULL"""
    )
    db.execute(
        f"""INSERT INTO verdicts (community_id, assessment_id, standard_id, kind, at)
        SELECT a.community_id, a.id, a.standard_id, 'self', a.submitted_at FROM assessments a
        WHERE a.status = '{SUBMITTED}' AND a.passed = 1 AND a.submitted_at IS NOT NULL
          AND NOT EXISTS (SELECT 1 FROM reviews r WHERE r.assessment_id = a.id)"""
    )
    # The stage a reply prompt (a comment, a send-back reason) was asked at: a reply that
    # arrives after the check moved on changes nothing.
    db.execute("ALTER TABLE review_prompts ADD COLUMN stage TEXT")
    # Why a recognition was withdrawn: an admin's reason (`reason`), a failed 复审, or an admin
    # reopening a check whose own result counted (a program with no chain). Codes, not words:
    # the catalogue names them.
    db.execute("ALTER TABLE withdrawals ADD COLUMN cause TEXT NOT NULL DEFAULT 'admin'")


@migration(15, "streets and communities confirm their own reports (street, community deadlines)")
def _unit_confirmations(db: sqlite_utils.Database) -> None:
    # A deadline a street ("各乡街…上报") or a community ("各社区…报送") owes is confirmed by
    # each street or community for itself, as a county confirms a contact deadline.
    db.execute(
        """CREATE TABLE unit_confirmations (
        program_id TEXT NOT NULL, deadline_id TEXT NOT NULL, occurrence TEXT NOT NULL,
        unit TEXT NOT NULL, unit_id INTEGER NOT NULL, user_id INTEGER, at TEXT NOT NULL,
        PRIMARY KEY (program_id, deadline_id, occurrence, unit, unit_id))"""
    )


@migration(16, "notices outbox; one prompts table; evidence of corrective actions")
def _notices(db: sqlite_utils.Database) -> None:
    # One row per recipient of a transition's notice, written in the transition's own unit of
    # work (so a crash can lose no notice), then claimed before it is sent (status pending →
    # sending → sent | failed | uncertain | unreachable), like the reminder log. `payload`: the
    # JSON facts the message shows, as they were when it happened.
    db.execute(
        """CREATE TABLE notices (
        id INTEGER PRIMARY KEY, kind TEXT NOT NULL, recipient INTEGER NOT NULL,
        assessment_id INTEGER, action_id INTEGER, payload TEXT NOT NULL, created_at TEXT NOT NULL,
        status TEXT NOT NULL DEFAULT 'pending', attempts INTEGER NOT NULL DEFAULT 0,
        at TEXT, error TEXT)"""
    )
    db.execute("CREATE INDEX idx_notices_status ON notices (status, id)")
    # One table for every reply prompt: a review prompt keeps the stage it was asked at, an
    # action's prompt its action (review_prompts, matched by message, is folded in).
    db.execute("ALTER TABLE prompts ADD COLUMN stage TEXT")
    db.execute("ALTER TABLE prompts ADD COLUMN action_id INTEGER")
    db.execute("DROP TABLE review_prompts")
    # A corrective action's closing file: evidence of the action, not an answer of the check
    # (the check's item counts leave it out, so a submitted check stays as it was).
    db.execute("ALTER TABLE evidence ADD COLUMN action_id INTEGER")


@migration(17, "experts by program year, spot checks, public notice periods and objections")
def _spot_checks(db: sqlite_utils.Database) -> None:
    _expert_tables(db)
    _spot_tables(db)
    _publicity_tables(db)


def _expert_tables(db: sqlite_utils.Database) -> None:
    # Experts the city invites for one program year (组织专家进行评定): the role row says "expert",
    # this table the years. An invite names its year; redeeming it grants the year (trigger), and
    # revoking the role drops the years with it.
    db.execute(
        """CREATE TABLE expert_years (
        user_id INTEGER NOT NULL, year INTEGER NOT NULL, granted_at TEXT,
        PRIMARY KEY (user_id, year))"""
    )
    db.execute("ALTER TABLE invites ADD COLUMN year INTEGER")
    db.execute(
        """CREATE TRIGGER invites_grant_expert AFTER UPDATE OF used_by ON invites
        WHEN NEW.year IS NOT NULL AND NEW.used_by IS NOT NULL AND OLD.used_by IS NULL
        BEGIN
          INSERT OR IGNORE INTO expert_years (user_id, year, granted_at)
          VALUES (NEW.used_by, NEW.year, NEW.used_at);
        END"""
    )
    db.execute(
        """CREATE TRIGGER roles_revoke_expert AFTER DELETE ON roles WHEN OLD.role = 'expert'
        BEGIN
          DELETE FROM expert_years WHERE user_id = OLD.user_id;
        END"""
    )


def _spot_tables(db: sqlite_utils.Database) -> None:
    # Each draw as it was made (year, seed, size, options, population): anyone can draw it again.
    db.execute(
        """CREATE TABLE spot_draws (
        id INTEGER PRIMARY KEY, year INTEGER NOT NULL, seed INTEGER NOT NULL, n INTEGER NOT NULL,
        county_id INTEGER, stratified INTEGER NOT NULL, weighted INTEGER NOT NULL,
        population INTEGER NOT NULL, user_id INTEGER, at TEXT NOT NULL)"""
    )
    # One spot check per community and year: the check its title rested on when drawn, its
    # state (bot.domain.spotchecks.SPOT), inspector, and the outcome's due day or reason.
    db.execute(
        """CREATE TABLE spot_checks (
        id INTEGER PRIMARY KEY, year INTEGER NOT NULL,
        community_id INTEGER NOT NULL REFERENCES communities(id),
        assessment_id INTEGER NOT NULL REFERENCES assessments(id),
        draw_id INTEGER REFERENCES spot_draws(id), state TEXT NOT NULL, inspector_id INTEGER,
        drawn_at TEXT NOT NULL, due TEXT, reason TEXT, decided_by INTEGER, decided_at TEXT,
        UNIQUE (year, community_id))"""
    )
    db.execute("CREATE INDEX idx_spot_checks_inspector ON spot_checks (inspector_id, state)")
    # The inspector's answer per item, kept apart from the chain's verification (review_items)
    # so that both agreements can be counted.
    db.execute(
        """CREATE TABLE spot_items (
        spot_id INTEGER NOT NULL REFERENCES spot_checks(id), question_id TEXT NOT NULL,
        status TEXT NOT NULL, points REAL, deductions TEXT, user_id INTEGER, at TEXT NOT NULL,
        PRIMARY KEY (spot_id, question_id))"""
    )
    db.execute(
        """CREATE TABLE spot_comments (
        id INTEGER PRIMARY KEY, spot_id INTEGER NOT NULL REFERENCES spot_checks(id),
        question_id TEXT NOT NULL, body TEXT NOT NULL, user_id INTEGER, at TEXT NOT NULL)"""
    )
    # The inspector's photos and documents: downloaded into the evidence file store (by
    # SHA-256) with the same provenance flags as a community's files.
    db.execute(
        """CREATE TABLE spot_files (
        id INTEGER PRIMARY KEY, spot_id INTEGER NOT NULL REFERENCES spot_checks(id),
        question_id TEXT NOT NULL, kind TEXT NOT NULL, file_id TEXT NOT NULL,
        file_unique_id TEXT NOT NULL, file_name TEXT, mime_type TEXT, file_size INTEGER,
        chat_id INTEGER, user_id INTEGER, created_at TEXT NOT NULL, sha256 TEXT, stored_at TEXT,
        attempts INTEGER NOT NULL DEFAULT 0, error TEXT, taken_at TEXT, gps TEXT, phash TEXT,
        flags TEXT, UNIQUE (spot_id, question_id, file_unique_id))"""
    )
    db.execute("CREATE INDEX idx_spot_files_pending ON spot_files (stored_at, attempts)")
    db.execute(
        """CREATE TABLE spot_events (
        id INTEGER PRIMARY KEY, spot_id INTEGER NOT NULL, action TEXT NOT NULL, user_id INTEGER,
        at TEXT NOT NULL, question_id TEXT, before TEXT, after TEXT, comment TEXT)"""
    )
    db.execute("CREATE INDEX idx_spot_events ON spot_events (spot_id, id)")
    # Reply prompts of spot checks and 公示 (a remark, a photo, a due day, a reason, a number of
    # days) live in the one prompts table; `target_id` names what they are for (the spot check,
    # the objection; a 公示's check is its assessment_id).
    db.execute("ALTER TABLE prompts ADD COLUMN target_id INTEGER")


def _publicity_tables(db: sqlite_utils.Database) -> None:
    # A 公示 as a period: each recorded one (start and end are local days, both included), newest
    # last; a check sent back and publicised again gets a new one.
    db.execute(
        """CREATE TABLE publicity (
        id INTEGER PRIMARY KEY, assessment_id INTEGER NOT NULL REFERENCES assessments(id),
        stage TEXT NOT NULL, start TEXT NOT NULL, end TEXT NOT NULL, days INTEGER NOT NULL,
        user_id INTEGER, at TEXT NOT NULL)"""
    )
    db.execute("CREATE INDEX idx_publicity ON publicity (assessment_id, id)")
    # Objections (异议) received during a 公示, recorded by the city with their text and source;
    # outcome NULL while open, then upheld | dismissed with the city's reason.
    db.execute(
        """CREATE TABLE objections (
        id INTEGER PRIMARY KEY, publicity_id INTEGER NOT NULL REFERENCES publicity(id),
        assessment_id INTEGER NOT NULL REFERENCES assessments(id), received_at TEXT NOT NULL,
        user_id INTEGER, source TEXT NOT NULL, body TEXT NOT NULL, outcome TEXT, reason TEXT,
        resolved_by INTEGER, resolved_at TEXT)"""
    )
    db.execute("CREATE INDEX idx_objections ON objections (publicity_id, outcome)")


@migration(18, "a form field's reply prompt in the one prompts table")
def _form_prompts(db: sqlite_utils.Database) -> None:
    # A /form field's prompt (kind `form`) names the community and the form's year it writes,
    # and its field in question_id; it has no check (assessment_id NULL). It was kept in memory
    # before, so a restart lost it: no prompt row to carry over.
    db.execute("ALTER TABLE prompts ADD COLUMN community_id INTEGER")
    db.execute("ALTER TABLE prompts ADD COLUMN year INTEGER")
