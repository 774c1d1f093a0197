"""Backup and restore: the database (SQLite's online backup) and the file store in one ZIP.

The archive holds `greencheck.db`, `files/<sha256>` and `manifest.json` (`{"version", "db":
sha256, "files": {sha256: size}}`). `verify` checks every hash; `restore` verifies first and
refuses an archive with any problem, and never writes over an existing database.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path

import sqlite_utils

from bot.files.store import FileStore, sha256
from bot.store import files as store

DB_NAME = "greencheck.db"
MANIFEST = "manifest.json"


class BackupError(Exception):
    """A refused archive or target; `problems` lists what is wrong."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems[:5]))
        self.problems = problems


@dataclass(frozen=True)
class Summary:
    files: int
    bytes: int
    db_sha256: str
    answers: int = 0
    evidence: int = 0


def backup(db: sqlite_utils.Database, files: FileStore, out: Path) -> Summary:
    """Write one archive (atomically: a temporary file moved into place)."""
    out.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=out.parent) as tmp:
        copy = Path(tmp) / DB_NAME
        store.snapshot(db, copy)  # first the database: every file it names is already stored
        db_hash = sha256(copy.read_bytes())
        manifest: dict[str, object] = {"version": 1, "db": db_hash, "files": {}}
        part = Path(tmp) / "archive.zip"
        total = 0
        with zipfile.ZipFile(part, "w", zipfile.ZIP_DEFLATED) as z:
            z.write(copy, DB_NAME)
            listed: dict[str, int] = {}
            for digest in files.digests():
                data = files.get(digest)
                z.writestr(f"files/{digest}", data)
                listed[digest] = len(data)
                total += len(data)
            manifest["files"] = listed
            z.writestr(MANIFEST, json.dumps(manifest, indent=1))
        os.replace(part, out)
    counts = store.counts_of(db)
    return Summary(len(listed), total, db_hash, counts["answers"], counts["evidence"])


def verify(archive: Path) -> list[str]:
    """Every problem of an archive (empty: sound)."""
    try:
        with zipfile.ZipFile(archive) as z:
            return _problems(z)
    except (zipfile.BadZipFile, OSError) as exc:
        return [f"not a readable archive: {exc}"]


def _problems(z: zipfile.ZipFile) -> list[str]:
    names = set(z.namelist())
    if MANIFEST not in names or DB_NAME not in names:
        return ["manifest.json or greencheck.db missing"]
    manifest = json.loads(z.read(MANIFEST))
    problems = []
    if sha256(z.read(DB_NAME)) != manifest.get("db"):
        problems.append("greencheck.db: hash differs from the manifest")
    listed = manifest.get("files", {})
    for digest in sorted(listed):
        name = f"files/{digest}"
        if name not in names:
            problems.append(f"{name}: missing")
        elif sha256(z.read(name)) != digest:
            problems.append(f"{name}: corrupted (hash differs)")
    extra = sorted(n for n in names if n.startswith("files/") and n[6:] not in listed)
    problems += [f"{n}: not in the manifest" for n in extra]
    return problems


def restore(archive: Path, to: Path) -> Summary:
    """Restore into `to` (greencheck.db + greencheck.files/), after verifying every hash."""
    problems = verify(archive)
    if problems:
        raise BackupError(problems)
    target = to / DB_NAME
    if target.exists():
        raise BackupError([f"{target}: exists; restore into an empty directory"])
    to.mkdir(parents=True, exist_ok=True)
    files = FileStore(to / "greencheck.files")
    total = 0
    with zipfile.ZipFile(archive) as z:
        manifest = json.loads(z.read(MANIFEST))
        for digest in manifest["files"]:
            data = z.read(f"files/{digest}")
            files.put(data)
            total += len(data)
        tmp = to / f".{DB_NAME}.part"
        tmp.write_bytes(z.read(DB_NAME))
        os.replace(tmp, target)
    counts = store.counts(target)
    return Summary(
        len(manifest["files"]), total, manifest["db"], counts["answers"], counts["evidence"]
    )


def rotate(folder: Path, keep: int) -> list[Path]:
    """Delete all but the newest `keep` archives named greencheck-*.zip; return the deleted."""
    archives = sorted(folder.glob("greencheck-*.zip"))
    old = archives[: max(0, len(archives) - keep)]
    for a in old:
        a.unlink()
    return old


def daily_name(now: dt.datetime) -> str:
    return f"greencheck-{now:%Y%m%d-%H%M%S}.zip"
