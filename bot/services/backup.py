"""Backup and restore: the database (SQLite's online backup) and the file store in one ZIP.

The archive holds `greencheck.db`, `files/<sha256>` and `manifest.json` (`{"version", "db":
sha256, "files": {sha256: size}}`). Checking an archive (`verify`, and `restore` before it
writes anything) reads each entry as a stream with a size limit — no entry is ever held in
memory, none may expand more than MAX_RATIO times (a ZIP bomb is damage), a file must be the
size the manifest lists — and checks every hash; then the database itself (extracted to a
staging folder): exactly GreenCheck's schema, `PRAGMA integrity_check`, the project's
invariants (bot/store/integrity.py). Only when all of that passes does `restore` write at the
target; it never writes over an existing database.

A backup is written in a staging folder `.greencheck-backup-<pid>-…` beside the archive: a
backup killed half-way leaves it, and the next backup into that folder (or rotation) removes
every such folder whose process is gone.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import shutil
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

import sqlite_utils

from bot.files.store import BLOCK, FileStore, Reader, sha256_stream
from bot.store import files as store
from bot.store import integrity

DB_NAME = "greencheck.db"
MANIFEST = "manifest.json"
MANIFEST_MAX = 64 * 1024 * 1024  # a manifest listing ten million files
MAX_RATIO = 200  # an entry expanding more than this is a bomb (SQLite pages compress ~2-20×)
RATIO_FLOOR = 1024 * 1024  # small entries may compress any amount
STAGING = ".greencheck-backup-"
_DIGEST = re.compile(r"[0-9a-f]{64}")
# what zipfile raises for a damaged, encrypted or oddly compressed entry
_UNREADABLE = (zipfile.BadZipFile, OSError, EOFError, RuntimeError, NotImplementedError)


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
    """Write one archive (atomically: built in a staging folder, moved into place)."""
    out.parent.mkdir(parents=True, exist_ok=True)
    sweep(out.parent)
    with tempfile.TemporaryDirectory(dir=out.parent, prefix=f"{STAGING}{os.getpid()}-") as tmp:
        copy = Path(tmp) / DB_NAME
        store.snapshot(db, copy)  # first the database: every file it names is already stored
        with copy.open("rb") as fh:
            db_hash, _ = sha256_stream(fh)
        part = Path(tmp) / "archive.zip"
        with zipfile.ZipFile(part, "w", zipfile.ZIP_DEFLATED) as z:
            z.write(copy, DB_NAME)
            listed = {digest: _add(z, files, digest) for digest in files.digests()}
            manifest = {"version": 1, "db": db_hash, "files": listed}
            z.writestr(MANIFEST, json.dumps(manifest, indent=1))
        os.replace(part, out)
    counts = store.counts_of(db)
    return Summary(
        len(listed), sum(listed.values()), db_hash, counts["answers"], counts["evidence"]
    )


def _add(z: zipfile.ZipFile, files: FileStore, digest: str) -> int:
    path = files.path(digest)
    z.write(path, f"files/{digest}")
    return path.stat().st_size


def sweep(folder: Path) -> list[Path]:
    """Remove the staging folders of backups whose process is gone (killed half-way)."""
    gone = []
    for tmp in folder.glob(f"{STAGING}*"):
        pid = tmp.name.removeprefix(STAGING).split("-")[0]
        if tmp.is_dir() and pid.isdigit() and not _alive(int(pid)):
            shutil.rmtree(tmp, ignore_errors=True)
            gone.append(tmp)
    return gone


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process
        return True
    return True


# -- checking an archive -------------------------------------------------------------------------


def verify(archive: Path) -> list[str]:
    """Every problem of an archive (empty: sound): entries, sizes, hashes, then the database."""
    with tempfile.TemporaryDirectory(prefix="greencheck-verify-") as tmp:
        return _check(archive, Path(tmp))[0]


def _check(archive: Path, staging: Path) -> tuple[list[str], dict[str, Any]]:
    """Check the archive, extracting its database into `staging`: (problems, manifest)."""
    try:
        with zipfile.ZipFile(archive) as z:
            problems, manifest = _entries(z, staging / DB_NAME)
    except (zipfile.BadZipFile, OSError, EOFError, ValueError) as exc:
        return [f"not a readable archive: {exc}"], {}
    if problems:
        return problems, manifest
    return integrity.problems(staging / DB_NAME, set(manifest["files"])), manifest


def _entries(z: zipfile.ZipFile, db_copy: Path) -> tuple[list[str], dict[str, Any]]:
    infos = {i.filename: i for i in z.infolist()}
    if len(infos) != len(z.infolist()):
        return ["the archive names an entry twice"], {}
    if MANIFEST not in infos or DB_NAME not in infos:
        return ["manifest.json or greencheck.db missing"], {}
    manifest, problems = _manifest(z, infos[MANIFEST])
    if problems:
        return problems, manifest
    with db_copy.open("wb") as out:
        problems += _entry(z, infos[DB_NAME], manifest["db"], None, out)
    listed: dict[str, int] = manifest["files"]
    for digest, size in sorted(listed.items()):
        info = infos.get(f"files/{digest}")
        problems += [f"files/{digest}: missing"] if info is None else _entry(z, info, digest, size)
    extra = sorted(set(infos) - {MANIFEST, DB_NAME} - {f"files/{d}" for d in listed})
    return problems + [f"{n}: not in the manifest" for n in extra], manifest


def _manifest(z: zipfile.ZipFile, info: zipfile.ZipInfo) -> tuple[dict[str, Any], list[str]]:
    if info.file_size > MANIFEST_MAX:
        return {}, [f"{MANIFEST}: {info.file_size} bytes, over {MANIFEST_MAX}"]
    try:
        with z.open(info) as fh:
            manifest = json.loads(fh.read(MANIFEST_MAX + 1))
        files = manifest["files"]
        sound = _DIGEST.fullmatch(manifest["db"]) and all(
            _DIGEST.fullmatch(d) and isinstance(n, int) and n >= 0 for d, n in files.items()
        )
    except (ValueError, KeyError, TypeError, AttributeError, zipfile.BadZipFile):
        sound = False
    if not sound:
        return {}, [f"{MANIFEST}: not a GreenCheck manifest"]
    return manifest, []


def _entry(
    z: zipfile.ZipFile,
    info: zipfile.ZipInfo,
    digest: str,
    size: int | None,
    out: IO[bytes] | None = None,
) -> list[str]:
    """Read one entry as a stream (copied to `out` if given): its size, expansion and hash."""
    name = info.filename
    if size is not None and info.file_size != size:
        return [f"{name}: {info.file_size} bytes, the manifest lists {size}"]
    if info.file_size > RATIO_FLOOR and info.file_size > MAX_RATIO * max(info.compress_size, 1):
        ratio = info.file_size // max(info.compress_size, 1)
        return [f"{name}: expands {ratio}× ({info.file_size} bytes): a ZIP bomb"]
    try:
        with z.open(info) as src:
            got, read = sha256_stream(_Tee(src, out), info.file_size)
    except _UNREADABLE as exc:
        return [f"{name}: corrupted ({exc})"]
    if read != info.file_size or got != digest:
        return [f"{name}: corrupted (hash differs)"]
    return []


class _Tee:
    """A reader that also writes what it reads to `out` (when given)."""

    def __init__(self, src: Reader, out: IO[bytes] | None) -> None:
        self.src, self.out = src, out

    def read(self, n: int = BLOCK) -> bytes:
        block: bytes = self.src.read(n)
        if self.out is not None:
            self.out.write(block)
        return block


# -- restoring -----------------------------------------------------------------------------------


def restore(archive: Path, to: Path) -> Summary:
    """Restore into `to` (greencheck.db + greencheck.files/) once every check passed; nothing is
    written at `to` before (the database is checked in a staging folder beside it)."""
    target = to / DB_NAME
    if target.exists():
        raise BackupError([f"{target}: exists; restore into an empty directory"])
    with tempfile.TemporaryDirectory(dir=_staging(to), prefix=".greencheck-restore-") as tmp:
        problems, manifest = _check(archive, Path(tmp))
        if problems:
            raise BackupError(problems)
        to.mkdir(parents=True, exist_ok=True)
        total = _restore_files(archive, FileStore(to / "greencheck.files"), manifest["files"])
        shutil.move(Path(tmp) / DB_NAME, target)
    counts = store.counts(target)
    return Summary(
        len(manifest["files"]), total, manifest["db"], counts["answers"], counts["evidence"]
    )


def _staging(to: Path) -> Path:
    """Where to check an archive before restoring into `to`: the nearest existing folder above
    it (the same file system, most likely), else the system's temporary folder."""
    near = next((p for p in to.resolve().parents if p.is_dir()), None)
    return near if near is not None and os.access(near, os.W_OK) else Path(tempfile.gettempdir())


def _restore_files(archive: Path, files: FileStore, listed: dict[str, int]) -> int:
    """Copy every checked file into the store, as checked: the same size, the same hash (the
    archive could have changed since)."""
    with zipfile.ZipFile(archive) as z:
        for digest, size in listed.items():
            with files.incoming() as part:
                with z.open(f"files/{digest}") as src, part.open("wb") as out:
                    _, read = sha256_stream(_Tee(src, out), size)
                if read != size or files.put_file(part)[0] != digest:
                    raise BackupError([f"files/{digest}: changed while restoring"])
    return sum(listed.values())


def rotate(folder: Path, keep: int) -> list[Path]:
    """Delete all but the newest `keep` archives named greencheck-*.zip (and the staging folders
    of killed backups); return the archives deleted."""
    sweep(folder)
    archives = sorted(folder.glob("greencheck-*.zip"))
    old = archives[: max(0, len(archives) - keep)]
    for a in old:
        a.unlink()
    return old


def daily_name(now: dt.datetime) -> str:
    return f"greencheck-{now:%Y%m%d-%H%M%S}.zip"
