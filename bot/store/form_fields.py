"""The application form's free-text fields (migration 9): read, write with an event, submitter."""

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
_SUBMITTER = (
    "SELECT u.name, u.username FROM assessments a JOIN users u ON u.id = a.submitted_by"
    " WHERE a.community_id = ? AND a.standard_id = ? ORDER BY a.id DESC LIMIT 1"
)


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


def submitter(db: sqlite_utils.Database, community_id: int, standard: str) -> str | None:
    """The display name of who submitted the community's check of `standard`, if anyone."""
    row = db.conn.execute(_SUBMITTER, (community_id, standard)).fetchone()
    if row is None:
        return None
    return str(row[0] or (f"@{row[1]}" if row[1] else "")) or None
