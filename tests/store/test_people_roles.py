"""Migration 9 and the role records: sources, grants and revokes."""

from __future__ import annotations

import bot.store.schema
from bot.store import people as store
from bot.store.db import connect

AT = "2022-03-01T09:00:00.000000Z"


def test_old_roles_get_their_source_and_a_grant_each(tmp_path, monkeypatch):
    path = tmp_path / "old.db"
    real = list(bot.store.schema.MIGRATIONS)
    monkeypatch.setattr(bot.store.schema, "MIGRATIONS", [m for m in real if m[0] < 9])
    old = connect(path)
    for uid in (1, 2):
        old.execute("INSERT INTO users (id, name, created_at) VALUES (?, 'x', ?)", [uid, AT])
        old.execute(
            "INSERT INTO roles (user_id, role, granted_at) VALUES (?, 'admin', ?)", [uid, AT]
        )
    old.execute(
        "INSERT INTO invites (code, role, created_by, created_at, expires_at, used_by, used_at)"
        " VALUES ('c', 'admin', 1, ?, ?, 2, ?)",
        [AT, AT, AT],
    )
    old.conn.close()
    monkeypatch.setattr(bot.store.schema, "MIGRATIONS", real)
    db = connect(path)
    assert db.execute("SELECT user_id, source FROM roles ORDER BY 1").fetchall() == [
        (1, "env"),  # no admin invite: GREENCHECK_ADMINS gave it
        (2, "invite"),
    ]
    assert [r[1:3] + r[6:] for r in store.role_events(db)] == [
        ("grant", 1, "env", None),
        ("grant", 2, "invite", 1),
    ]


def test_a_grant_and_a_revoke_are_recorded_once(fresh_db):
    store.insert_user_if_missing(fresh_db, 5, "n", AT)
    assert store.insert_role(fresh_db, 5, "admin", None, None, AT, "env")
    assert not store.insert_role(fresh_db, 5, "admin", None, None, AT, "env")
    assert store.insert_role(fresh_db, 5, "admin", None, None, AT, "invite", 1)  # now by invite
    assert store.delete_roles(fresh_db, 5, "admin", AT, "env", None, only_source="env") == []
    assert store.delete_roles(fresh_db, 5, None, AT, "cli", None) == [(5, "admin", None, None)]
    assert [r[1] for r in store.role_events(fresh_db)] == ["grant", "grant", "revoke"]
