"""The application form's free-text fields (migration 9): read, write with an event, latest year."""

from __future__ import annotations

import sqlite_utils

_GET = "SELECT field, value FROM form_fields WHERE community_id = ? AND year = ?"
_OLD = "SELECT value FROM form_fields WHERE community_id = ? AND year = ? AND field = ?"
_PUT = (
    "INSERT INTO form_fields (community_id, year, field, value, updated_by, updated_at)"
    " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (community_id, year, field) DO UPDATE SET"
    " value = excluded.value, updated_by = excluded.updated_by, updated_at = excluded.updated_at"
)
_DEL = "DELETE FROM form_fields WHERE community_id = ? AND year = ? AND field = ?"
_EVENT = (
    "INSERT INTO form_field_events (community_id, year, field, old_value, new_value, user_id, at)"
    " VALUES (?, ?, ?, ?, ?, ?, ?)"
)
_LATEST = "SELECT max(year) FROM form_fields WHERE community_id = ?"


def fields(db: sqlite_utils.Database, community_id: int, year: int) -> dict[str, str]:
    """{field: value} stored for the community and year."""
    return {str(f): str(v) for f, v in db.conn.execute(_GET, (community_id, year))}


def put_field(
    db: sqlite_utils.Database,
    community_id: int,
    year: int,
    field: str,
    value: str,
    user_id: int | None,
    at: str,
) -> None:
    """Set (or, with an empty value, clear) one field and record the change; the caller's
    transaction."""
    old = db.conn.execute(_OLD, (community_id, year, field)).fetchone()
    if value:
        db.conn.execute(_PUT, (community_id, year, field, value, user_id, at))
    else:
        db.conn.execute(_DEL, (community_id, year, field))
    db.conn.execute(
        _EVENT, (community_id, year, field, old[0] if old else None, value, user_id, at)
    )


def latest_year(db: sqlite_utils.Database, community_id: int) -> int | None:
    """The latest year with a field stored for the community (None: none)."""
    row = db.conn.execute(_LATEST, (community_id,)).fetchone()
    return int(row[0]) if row and row[0] is not None else None
