"""Evidence files: download results into the store, provenance flags, listings, remove/move.

Flags are warnings for reviewers and the worker, never a refusal:
- `no_exif`: a photo without capture data (Telegram's compression drops EXIF);
- `same_file_item` / `same_file_community` / `same_file_year`: the same bytes (SHA-256) are
  already evidence of another item of this check / another community / an earlier year;
- `similar_item` / `similar_community` / `similar_year`: a near-duplicate image (perceptual
  hash within `SIMILAR_BITS` bits);
- `old_capture`: taken more than `OLD_DAYS` days before the file was attached;
- `future_capture`: taken on a day after the day it was attached (the camera's clock is wrong);
- `unreadable_image`: an image we will not or cannot decode (over `MAX_PIXELS`, a decompression
  bomb, broken data): stored as a plain file, without EXIF or perceptual hash.

An image is opened with an explicit pixel limit checked on its header, before anything is
decoded; a JPEG is decoded at 1/8 scale (the hash needs 32×32 pixels), any other format whole,
so one image costs at most `MAX_PIXELS` × 4 bytes (Pillow's widest common pixel) on top of the
process. Downloads are tried oldest first, each attempt counted before it starts; a file that
fails `MAX_ATTEMPTS` times (at once: over the size limit, or refused by Telegram) is no longer
tried and is listed (`given_up`).
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

import sqlite_utils

from bot.clock import local_day, stamp
from bot.domain.access import Principal
from bot.domain.errors import CheckError
from bot.domain.text import given
from bot.files.store import FileStore
from bot.store import files as store

if TYPE_CHECKING:
    from bot.services.checks import Checks

SIMILAR_BITS = 6  # of 64: perceptual hashes this close are the same picture
OLD_DAYS = 180
MAX_ATTEMPTS = 8
MAX_PIXELS = 40_000_000  # a 36-megapixel camera, an A4 page scanned at 600 dpi (35 MP)
HASH_SIDE = 256  # an image is reduced to this before its perceptual hash
ERROR_CHARS = 500
PART_BYTES = 49 * 1024 * 1024  # Telegram's upload limit is 50 MB: a pack part stays under it
FLAGS = (
    "no_exif", "same_file_item", "same_file_community", "same_file_year",
    "similar_item", "similar_community", "similar_year", "old_capture", "future_capture",
    "unreadable_image",
)  # fmt: skip


@dataclass(frozen=True)
class Photo:
    taken_at: str | None  # ISO, as the camera wrote it (local time)
    gps: str | None  # "lat,lon"
    phash: str | None
    unreadable: bool = False  # an image, but not decoded (see the module docstring)


UNREADABLE = Photo(None, None, None, unreadable=True)


@dataclass(frozen=True)
class Stored:
    eid: int
    qid: str
    sha256: str
    size: int
    flags: list[str]
    taken_at: str | None
    gps: str | None


def too_big(size: int | None, max_mb: int) -> bool:
    return size is not None and size > max_mb * 1024 * 1024


def read_photo(path: Path) -> Photo | None:
    """EXIF capture time, GPS and the perceptual hash of an image; None if not an image;
    UNREADABLE if it is one we will not or cannot decode."""
    from PIL import Image, UnidentifiedImageError

    try:
        img = Image.open(path)  # reads the header only (a bomb's size raises here)
    except UnidentifiedImageError:
        return None
    except Exception:  # DecompressionBombError, a broken header: never the download's end
        return UNREADABLE
    with img:
        try:
            return _decoded(img)
        except Exception:  # Pillow's decoders raise many kinds; a bad image is only flagged
            return UNREADABLE


def _decoded(img: Any) -> Photo:
    import imagehash

    width, height = img.size
    if width * height > MAX_PIXELS:  # checked before decoding anything
        return UNREADABLE
    exif = img.getexif()
    img.draft("L", (HASH_SIDE, HASH_SIDE))  # JPEG: decode at up to 1/8 scale, grey
    img.thumbnail((HASH_SIDE, HASH_SIDE))
    phash = str(imagehash.phash(img))
    raw = exif.get_ifd(0x8769).get(36867) or exif.get(306)
    return Photo(_exif_time(raw), _gps(exif.get_ifd(0x8825)), phash)


def _exif_time(raw: Any) -> str | None:
    try:
        return dt.datetime.strptime(str(raw).strip("\x00 "), "%Y:%m:%d %H:%M:%S").isoformat()
    except ValueError:
        return None


def _gps(ifd: Any) -> str | None:
    """The EXIF GPS block as "lat,lon"; None when absent or not a real position (a zero
    denominator makes a rational NaN, a broken one infinite)."""
    try:
        lat = _degrees(ifd[2]) * (-1 if ifd.get(1) == "S" else 1)
        lon = _degrees(ifd[4]) * (-1 if ifd.get(3) == "W" else 1)
    except (KeyError, TypeError, ValueError, ZeroDivisionError):
        return None
    if not (abs(lat) <= 90 and abs(lon) <= 180):  # NaN fails every comparison
        return None
    return f"{lat:.6f},{lon:.6f}"


def _degrees(dms: Any) -> float:
    d, m, s = (float(x) for x in dms)
    return d + m / 60 + s / 3600


def provenance(
    row: dict[str, Any],
    sha: str,
    photo: Photo | None,
    others: list[dict[str, Any]],
    zone: dt.tzinfo,
) -> list[str]:
    """The flags of one file against every other stored file (see the module docstring)."""
    flags: set[str] = set()
    if photo is not None and photo.unreadable:
        flags.add("unreadable_image")
    elif row["kind"] == "photo" and (photo is None or photo.taken_at is None):
        flags.add("no_exif")
    for o in others:
        scope = _scope(row, o)
        if scope is None:
            continue
        if o["sha256"] == sha:
            flags.add(f"same_file_{scope}")
        elif photo and photo.phash and o["phash"] and _close(photo.phash, o["phash"]):
            flags.add(f"similar_{scope}")
    if photo and photo.taken_at and row["created_at"]:
        flags |= _capture(photo.taken_at, local_day(row["created_at"], zone))
    return [f for f in FLAGS if f in flags]


def _scope(row: dict[str, Any], other: dict[str, Any]) -> str | None:
    if other["community_id"] != row["community_id"]:
        return "community"
    if other["aid"] != row["aid"]:
        return "year" if (other["cycle"] or 0) < (row["cycle"] or 0) else None
    return "item" if other["qid"] != row["qid"] else None


def _close(a: str, b: str) -> bool:
    return bin(int(a, 16) ^ int(b, 16)).count("1") <= SIMILAR_BITS


def _capture(taken_at: str, attached: dt.date) -> set[str]:
    """old_capture / future_capture: the camera's day (its own local time) against the local
    day the file was attached."""
    days = (attached - dt.datetime.fromisoformat(taken_at).date()).days
    if days > OLD_DAYS:
        return {"old_capture"}
    return {"future_capture"} if days < 0 else set()


def backup_now(db_path: str, files_dir: Path, folder: Path, keep: int, now: dt.datetime) -> Path:
    """The scheduled backup: one archive named by the time, older ones beyond `keep` deleted."""
    from bot.services import backup
    from bot.store.db import connect

    out = folder / backup.daily_name(now)
    db = connect(db_path)
    try:
        backup.backup(db, FileStore(files_dir), out)
    finally:
        db.close()
    backup.rotate(folder, keep)
    return out


class FileRows(Protocol):
    """The download state of a kind of file row (a community's evidence, an inspector's
    spot-check files): what the download loop reads and writes."""

    def row(self, eid: int) -> dict[str, Any] | None: ...

    def attempt(self, eid: int) -> bool: ...

    def failed(self, eid: int, error: str, retry: bool = True) -> None: ...

    def record(
        self, eid: int, kept: tuple[str, int, Photo | None], now: dt.datetime
    ) -> Stored | None: ...


class Evidence:
    """The evidence files of one database and one file store; `checks` (the bot's check
    service) gates every change of a file, as it gates answering."""

    def __init__(self, db: sqlite_utils.Database, files: FileStore, checks: Checks) -> None:
        self.db = db
        self.files = files
        self.checks = checks

    def pending(self, limit: int = 20) -> list[dict[str, Any]]:
        """Files still to download, oldest first (a failing one cannot hold the others back:
        each attempt is counted, and after MAX_ATTEMPTS it is left out)."""
        return store.pending(self.db, MAX_ATTEMPTS, limit)

    def attempt(self, eid: int) -> bool:
        """Count one download attempt before it starts (a crash mid-way still counts);
        False when the file is stored already or out of attempts."""
        return store.count_attempt(self.db, eid, MAX_ATTEMPTS)

    @staticmethod
    def gave_up(row: dict[str, Any]) -> bool:
        """Whether a file row is no longer tried (see `given_up`)."""
        return row["stored_at"] is None and row["attempts"] >= MAX_ATTEMPTS

    def given_up(self) -> list[dict[str, Any]]:
        """Files no longer tried: community, item, name, attempts, error (oldest first)."""
        return store.given_up(self.db, MAX_ATTEMPTS)

    def row(self, eid: int) -> dict[str, Any] | None:
        return store.evidence(self.db, eid)

    def keep(self, download: Path) -> tuple[str, int, Photo | None]:
        """Move a downloaded file into the store and read it (no database: run it off the
        event loop)."""
        size = download.stat().st_size
        sha, _ = self.files.put_file(download)
        return sha, size, read_photo(self.files.path(sha))  # None unless it is an image

    def record(
        self, eid: int, kept: tuple[str, int, Photo | None], now: dt.datetime
    ) -> Stored | None:
        """The stored file's hash, EXIF and provenance flags on its row (one statement)."""
        row = store.evidence(self.db, eid)
        if row is None:
            return None  # removed meanwhile
        sha, size, photo = kept
        assert now.tzinfo is not None  # the clock's local time (bot/clock.py)
        flags = provenance(row, sha, photo, store.others(self.db, eid), now.tzinfo)
        taken, gps = (photo.taken_at, photo.gps) if photo else (None, None)
        store.record_stored(
            self.db, eid, stamp(now), sha256=sha, size=size,
            taken_at=taken, gps=gps, phash=photo.phash if photo else None,
            flags=json.dumps(flags),
        )  # fmt: skip
        return Stored(eid, row["qid"], sha, size, flags, taken, gps)

    def find(self, aid: int, qid: str, file_unique_id: str) -> int | None:
        return store.find(self.db, aid, qid, file_unique_id)

    def first_no_exif(self, user_id: int, eid: int) -> bool:
        return not store.told_no_exif(self.db, user_id, eid)

    def failed(self, eid: int, error: str, retry: bool = True) -> None:
        """Record why a download failed (the attempt was counted when it started); without
        `retry` the file is not tried again (it is over the size limit)."""
        text = given(error, ERROR_CHARS) or "?"
        store.record_failure(self.db, eid, text, None if retry else MAX_ATTEMPTS)

    def listing(self, community: str) -> list[dict[str, Any]]:
        """Per file: item, sha256, size, name, mime, taken_at, flags, stored (+ id, cycle)."""
        return [_public(r) for r in store.listing(self.db, community)]

    def item(self, aid: int, qid: str) -> list[dict[str, Any]]:
        return [_public(r) for r in store.item_files(self.db, aid, qid)]

    def flagged(self, community_id: int) -> list[tuple[str, str, list[str]]]:
        """(item, file name, flags) of the community's flagged files in its latest check."""
        return [
            (qid, name or kind, json.loads(flags))
            for qid, name, kind, flags in store.flagged(self.db, community_id)
        ]

    def card_of(self, chat_id: int, aid: int) -> tuple[int, str] | None:
        return store.latest_card(self.db, chat_id, aid)

    def looking_at(self, chat_id: int) -> tuple[int, str] | None:
        return store.chat_card(self.db, chat_id)

    def remove(self, p: Principal, eid: int, now: dt.datetime) -> bool:
        """Remove one file from its item (recorded in evidence_events; the bytes stay stored),
        if `p` may change that item now; CheckError (stale, no_permission, locked,
        not_reopened) otherwise. False: the file was gone."""
        row = self._gated(eid)
        return self.checks.change_file(
            p, row["aid"], (row["qid"],), lambda: store.remove(self.db, eid, p.user_id, stamp(now))
        )

    def move(self, p: Principal, eid: int, qid: str, now: dt.datetime) -> bool:
        """Move one file to another item of its check (recorded in evidence_events), if `p`
        may change both items now (CheckError otherwise)."""
        row = self._gated(eid)
        return self.checks.change_file(
            p, row["aid"], (row["qid"], qid),
            lambda: store.move(self.db, eid, qid, p.user_id, stamp(now)),
        )  # fmt: skip

    def _gated(self, eid: int) -> dict[str, Any]:
        row = store.evidence(self.db, eid)
        if row is None:
            raise CheckError("stale")
        return row

    def community(self, name: str) -> int | None:
        return store.community_id(self.db, name)

    def pack_entries(self, community_id: int) -> list[dict[str, Any]]:
        """Index rows of the latest check: per file (or per answered item without one)."""
        rows = store.pack_rows(self.db, community_id)
        for r in rows:
            r["flags"] = json.loads(r["flags"] or "[]")
            if r["kind"] and not r["name"]:
                r["name"] = "photo.jpg" if r["kind"] == "photo" else "file"
        return sorted(rows, key=lambda r: (_natural(r["item"]), r["id"] or 0))

    def content(self, sha: str | None) -> bytes | None:
        return self.files.get(sha) if sha and self.files.has(sha) else None


def _natural(qid: str) -> tuple[tuple[int, str], ...]:
    return tuple((int(p), "") if p.isdigit() else (-1, p) for p in qid.replace("-", ".").split("."))


def _public(r: dict[str, Any]) -> dict[str, Any]:
    name = r["name"] or f"{r['item']}.jpg"
    mime = r["mime"] or ("image/jpeg" if r["kind"] == "photo" else "application/octet-stream")
    return {
        "item": r["item"], "sha256": r["sha256"], "size": r["size"], "name": name,
        "mime": mime, "taken_at": r["taken_at"], "flags": json.loads(r["flags"] or "[]"),
        "stored": r["stored_at"] is not None, "gps": r["gps"], "id": r["id"],
        "cycle": r["cycle"], "attached_at": r["created_at"], "file_id": r["file_id"],
        "given_up": Evidence.gave_up(r),
    }  # fmt: skip
