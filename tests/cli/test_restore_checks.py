"""Restore verifies before it replaces; `backup --verify` reads with limits.

Every archive here is made the way an attacker would: its manifest matches its contents, so
only the checks of the database itself (schema, integrity, invariants) and of the entries'
sizes can refuse it.
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import zipfile
from pathlib import Path

import pytest
import sqlite_utils

from bot.services import backup
from bot.store.db import connect
from bot.store.schema import MIGRATIONS, applied, migrate
from tests.harness import cli

DB = "greencheck.db"


@pytest.fixture
def made(tmp_path, monkeypatch) -> Path:
    """A real backup of a fresh database with the sample roster (and its database file)."""
    monkeypatch.setenv("GREENCHECK_DB", str(tmp_path / "gc.db"))
    assert cli(["init", "--sample"]) == 0
    assert cli(["backup", "--out", str(tmp_path / "ok.zip")]) == 0
    with zipfile.ZipFile(tmp_path / "ok.zip") as z:
        (tmp_path / "copy.db").write_bytes(z.read(DB))
    return tmp_path / "copy.db"


def forge(out: Path, db: bytes, files: dict[str, bytes] | None = None, **extra: bytes) -> Path:
    """An archive whose manifest matches what it holds."""
    files = files or {}
    manifest = {"version": 1, "db": hashlib.sha256(db).hexdigest(),
                "files": {hashlib.sha256(b).hexdigest(): len(b) for b in files.values()}}  # fmt: skip
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr(DB, db)
        for data in files.values():
            z.writestr(f"files/{hashlib.sha256(data).hexdigest()}", data)
        for name, data in extra.items():
            z.writestr(name, data)
        z.writestr("manifest.json", json.dumps(manifest))
    return out


def changed(db: Path, *sql: str) -> bytes:
    """The database's bytes after running `sql` on a copy."""
    copy = db.with_name("changed.db")
    copy.write_bytes(db.read_bytes())
    conn = sqlite3.connect(copy, isolation_level=None)
    for statement in sql:
        conn.execute(statement)
    conn.close()
    return copy.read_bytes()


def refused(archive: Path, to: Path, capsys) -> str:
    """Restore must refuse with exit 1 and write nothing at `to`; return what it said."""
    capsys.readouterr()
    assert cli(["restore", str(archive), "--to", str(to)]) == 1
    assert not to.exists() or list(to.iterdir()) == []
    assert not list(to.parent.glob(".greencheck-restore-*"))  # the staging folder is gone
    return capsys.readouterr().err


GRANT = (
    "CREATE TRIGGER grant_admin AFTER INSERT ON users BEGIN"
    " INSERT INTO roles (user_id, role) VALUES (666, 'admin'); END"
)


def test_a_database_with_a_trigger_of_its_own_is_refused(made, tmp_path, capsys):
    archive = forge(tmp_path / "evil.zip", changed(made, GRANT))
    said = refused(archive, tmp_path / "to", capsys)
    assert "trigger grant_admin: not in GreenCheck's schema" in said
    assert cli(["backup", "--verify", str(archive)]) == 1


def test_a_foreign_schema_a_changed_table_and_a_missing_index_are_refused(made, tmp_path, capsys):
    alien = changed(made, "CREATE TABLE loot (x)", "DROP INDEX idx_evidence_sha256",
                    "ALTER TABLE users ADD COLUMN password TEXT")  # fmt: skip
    said = refused(forge(tmp_path / "alien.zip", alien), tmp_path / "to", capsys)
    for words in ("table loot: not in GreenCheck's schema", "index idx_evidence_sha256: missing",
                  "table users: differs from GreenCheck's schema"):  # fmt: skip
        assert words in said, said


def test_a_file_that_is_no_database_is_never_put_in_place(tmp_path, capsys):
    archive = forge(tmp_path / "text.zip", b"not a database at all" * 100)
    assert "greencheck.db: not an SQLite database" in refused(archive, tmp_path / "to", capsys)


def test_a_damaged_database_fails_its_integrity_check(made, tmp_path, capsys):
    data = bytearray(made.read_bytes())
    page = 4096  # page 2 onwards: the b-trees; the header and schema page stay readable
    data[page * 3 + 8 : page * 3 + 200] = b"\xff" * 192
    said = refused(forge(tmp_path / "broken.zip", bytes(data)), tmp_path / "to", capsys)
    assert "integrity check" in said or "unreadable" in said, said


def test_the_projects_invariants_are_checked(made, tmp_path, capsys):
    bad = changed(
        made,
        "INSERT INTO users (id, name) VALUES (7, 'x')",
        "INSERT INTO roles (user_id, role) VALUES (7, 'superuser')",
        "INSERT INTO roles (user_id, role) VALUES (8, 'worker')",  # no user 8
    )
    said = refused(forge(tmp_path / "odd.zip", bad), tmp_path / "to", capsys)
    assert "roles.role: 1 rows hold a value GreenCheck does not know" in said
    assert "foreign key: roles row" in said


def test_a_zip_bomb_is_damage_and_is_never_read_whole(made, tmp_path, capsys):
    bomb = forge(tmp_path / "bomb.zip", b"\0" * (64 * 1024 * 1024))
    assert bomb.stat().st_size < 200_000
    capsys.readouterr()
    assert cli(["backup", "--verify", str(bomb)]) == 1
    assert "a ZIP bomb" in capsys.readouterr().out
    extra = forge(tmp_path / "extra.zip", made.read_bytes(), **{"files/x": b"\0" * 10_000_000})
    assert cli(["backup", "--verify", str(extra)]) == 1
    assert "files/x: not in the manifest" in capsys.readouterr().out


def test_an_archive_of_an_older_schema_restores_and_is_upgraded_on_start(tmp_path):
    old = tmp_path / "old.db"
    db = sqlite_utils.Database(sqlite3.connect(old, isolation_level=None))
    migrate(db, only={v for v, _, _ in MIGRATIONS[:-2]})  # a backup from two versions ago
    db.close()
    archive = forge(tmp_path / "old.zip", old.read_bytes())
    assert backup.verify(archive) == []
    assert cli(["restore", str(archive), "--to", str(tmp_path / "to")]) == 0
    restored = connect(tmp_path / "to" / DB)
    assert applied(restored) == {v for v, _, _ in MIGRATIONS}


def test_a_backup_killed_half_way_leaves_nothing_the_next_backup_keeps(tmp_path, monkeypatch):
    monkeypatch.setenv("GREENCHECK_DB", str(tmp_path / "gc.db"))
    assert cli(["init", "--sample"]) == 0
    folder = tmp_path / "backups"
    dead = folder / ".greencheck-backup-999999999-abc"  # no such process: killed
    live = folder / f".greencheck-backup-{os.getpid()}-def"  # a backup running now
    for staging in (dead, live):
        staging.mkdir(parents=True)
        (staging / "greencheck.db").write_bytes(b"a full copy of the database")
    assert cli(["backup", "--out", str(folder / "greencheck-20261120-100000.zip")]) == 0
    assert not dead.exists() and live.exists()
    dead.mkdir()
    assert backup.rotate(folder, keep=7) == [] and not dead.exists()
