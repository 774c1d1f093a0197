"""Is a database file one of ours? The checks a restore runs before it puts one in place.

A backup archive is only as trustworthy as what it holds: a database carrying one extra
trigger runs that trigger's SQL on every matching write once restored (an attack made it grant
admin to a stranger). So a database from an archive must have exactly the schema the
project's migrations produce — tables, indexes, triggers and views compared with a fresh
database migrated through the same migrations — pass `PRAGMA integrity_check`, and keep the
project's own invariants (foreign keys hold, every stored evidence file is in the archive,
states and roles are ones the code knows). `problems` names every difference.

The file is opened with `trusted_schema` off and `query_only` on: reading the schema and
running the checks executes none of its triggers or views.
"""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path

import sqlite_utils

from bot.domain.access import ROLES
from bot.domain.rules import STATUSES
from bot.domain.spotchecks import SPOT
from bot.domain.workflow import CHECK, REVIEW
from bot.store.schema import MIGRATIONS, migrate

MAGIC = b"SQLite format 3\x00"
SHOWN = 5  # differences named per kind of problem
Entry = tuple[str, str, str]  # (type, name, normalised SQL)

# The values the code knows for its state columns: (table, column, allowed). An older
# database may hold values its pending migrations convert: checked at the latest schema only.
_VALUES = {
    "assessments.status": ("assessments", "status", CHECK.states),
    "answers.status": ("answers", "status", STATUSES),
    "roles.role": ("roles", "role", ROLES),
    "reviews.state": ("reviews", "state", REVIEW.states),
    "spot_checks.state": ("spot_checks", "state", SPOT.states),
}


def problems(path: Path, files: set[str]) -> list[str]:
    """Every way the database at `path` is not one of ours (empty: it is); `files`: the
    SHA-256 of every evidence file that comes with it."""
    with path.open("rb") as fh:
        if fh.read(len(MAGIC)) != MAGIC:
            return [f"{path.name}: not an SQLite database"]
    conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro&immutable=1", uri=True)
    try:
        conn.execute("PRAGMA trusted_schema = OFF")
        conn.execute("PRAGMA query_only = ON")
        found = _integrity(conn) or _schema(conn)
        latest = set(_versions(conn)) == {v for v, _, _ in MIGRATIONS}
        return found or _invariants(conn, files, latest)
    except sqlite3.DatabaseError as exc:
        return [f"{path.name}: unreadable: {exc}"]
    finally:
        conn.close()


def _integrity(conn: sqlite3.Connection) -> list[str]:
    rows = [r[0] for r in conn.execute("PRAGMA integrity_check(20)")]
    return [] if rows == ["ok"] else [f"integrity check: {r}" for r in rows[:SHOWN]]


def _schema(conn: sqlite3.Connection) -> list[str]:
    """The differences between this schema and the one our migrations produce."""
    versions = _versions(conn)
    known = {v: name for v, name, _ in MIGRATIONS}
    strange = [f"migration {v} ({name}) is not one of this GreenCheck's"
               for v, name in sorted(versions.items()) if known.get(v) != name]  # fmt: skip
    if strange:
        return strange[:SHOWN]
    return _compare(_entries(conn), reference(set(versions)))


def _versions(conn: sqlite3.Connection) -> dict[int, str]:
    try:
        return {int(v): str(n) for v, n in conn.execute("SELECT version, name FROM migrations")}
    except sqlite3.OperationalError:
        return {}


def _entries(conn: sqlite3.Connection) -> set[Entry]:
    rows = conn.execute("SELECT type, name, sql FROM sqlite_master").fetchall()
    return {(str(kind), str(name), _normal(sql)) for kind, name, sql in rows}


def _normal(sql: str | None) -> str:
    """SQL text compared without quoting, case and spacing (sqlite-utils has changed how it
    quotes names; a database made by an older one is still ours)."""
    text = re.sub(r"[\"'`\[\]]", "", (sql or "").lower())
    return re.sub(r"\s*([(),=])\s*", r"\1", " ".join(text.split()))


def reference(versions: set[int]) -> set[Entry]:
    """The schema a fresh database has after exactly these migrations (in order)."""
    fresh = sqlite3.connect(":memory:", isolation_level=None)
    try:
        migrate(sqlite_utils.Database(fresh), only=versions)
        return _entries(fresh)
    finally:
        fresh.close()


def _compare(have: set[Entry], want: set[Entry]) -> list[str]:
    ours, theirs = {(k, n) for k, n, _ in want}, {(k, n) for k, n, _ in have}
    changed = {(k, n) for k, n, _ in have ^ want} & ours & theirs
    out = [f"{k} {n}: not in GreenCheck's schema" for k, n in sorted(theirs - ours)]
    out += [f"{k} {n}: differs from GreenCheck's schema" for k, n in sorted(changed)]
    out += [f"{k} {n}: missing" for k, n in sorted(ours - theirs)]
    return out[: SHOWN * 2]


def _invariants(conn: sqlite3.Connection, files: set[str], latest: bool) -> list[str]:
    """The rows that break what the code relies on (`latest`: the schema is the newest)."""
    out = [f"foreign key: {table} row {rowid} names a missing {parent} row"
           for table, rowid, parent, _ in conn.execute("PRAGMA foreign_key_check")]  # fmt: skip
    for what, (table, column, allowed) in _VALUES.items() if latest else ():
        marks = ",".join("?" * len(allowed))
        bad = conn.execute(
            f"SELECT count(*) FROM {table} WHERE {column} NOT IN ({marks})", list(allowed)
        ).fetchone()[0]
        if bad:
            out.append(f"{what}: {bad} rows hold a value GreenCheck does not know")
    if _has(conn, "evidence", "stored_at"):
        stored = conn.execute(
            "SELECT id, sha256 FROM evidence WHERE stored_at IS NOT NULL ORDER BY id"
        ).fetchall()
        out += [f"evidence {eid}: its file {sha} is not in the archive"
                for eid, sha in stored if sha not in files]  # fmt: skip
    return out[: SHOWN * 3]


def _has(conn: sqlite3.Connection, table: str, column: str) -> bool:
    return any(r[1] == column for r in conn.execute(f"PRAGMA table_info({table})"))
