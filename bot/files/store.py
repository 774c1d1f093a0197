"""The evidence file store: content-addressed (SHA-256 names), atomic writes, de-duplicated.

A file lives at `<root>/<sha[:2]>/<sha>`. It is written to a temporary file in the same folder
and moved into place with `os.replace`, so a reader (or a backup) never sees half a file, and
the same bytes stored twice are kept once. A download streams into `incoming()` (a temporary
file under the root, on the same file system) and `put_file` moves it in: no file is ever held
in memory whole.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Protocol

BLOCK = 1024 * 1024  # bytes hashed or copied at a time


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


class Reader(Protocol):
    def read(self, n: int, /) -> bytes: ...


def sha256_stream(src: Reader, limit: int | None = None) -> tuple[str, int]:
    """(SHA-256, size) of what `src` yields, read a block at a time; past `limit` bytes it stops
    and the size returned is over the limit (the caller refuses it)."""
    h, size = hashlib.sha256(), 0
    while block := src.read(BLOCK):
        h.update(block)
        size += len(block)
        if limit is not None and size > limit:
            break
    return h.hexdigest(), size


class FileStore:
    """Files by content hash under one folder (created on the first write)."""

    def __init__(self, root: str | Path) -> None:
        self.root = Path(root)

    def path(self, digest: str) -> Path:
        if len(digest) != 64 or not all(c in "0123456789abcdef" for c in digest):
            raise ValueError(f"not a SHA-256 digest: {digest!r}")
        return self.root / digest[:2] / digest

    def has(self, digest: str) -> bool:
        return self.path(digest).is_file()

    def put(self, data: bytes) -> tuple[str, bool]:
        """Store `data`; return (its SHA-256, whether it was new)."""
        digest = sha256(data)
        target = self.path(digest)
        if target.is_file():
            return digest, False
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".tmp-")
        try:
            with os.fdopen(fd, "wb") as out:
                out.write(data)
                out.flush()
                os.fsync(out.fileno())
            os.replace(tmp, target)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        return digest, True

    @contextlib.contextmanager
    def incoming(self) -> Iterator[Path]:
        """A temporary file under the root to stream a download into (removed afterwards unless
        `put_file` moved it into the store)."""
        self.root.mkdir(parents=True, exist_ok=True)
        fd, name = tempfile.mkstemp(dir=self.root, prefix=".tmp-")
        os.close(fd)
        try:
            yield Path(name)
        finally:
            Path(name).unlink(missing_ok=True)

    def put_file(self, path: Path) -> tuple[str, bool]:
        """Store the file at `path` (an `incoming()` file): moved into place, or dropped when
        the same bytes are stored already. Return (its SHA-256, whether it was new)."""
        with path.open("rb") as src:
            digest, _ = sha256_stream(src)
            os.fsync(src.fileno())
        target = self.path(digest)
        if target.is_file():
            path.unlink()
            return digest, False
        target.parent.mkdir(parents=True, exist_ok=True)
        os.replace(path, target)
        return digest, True

    def sweep(self, before: float) -> int:
        """Remove the temporary files a killed write or download left: those last written
        before `before` (a POSIX time; a younger one may be another process's download in
        progress). Return how many."""
        if not self.root.is_dir():
            return 0
        left = [*self.root.glob(".tmp-*"), *self.root.glob("??/.tmp-*")]
        old = [f for f in left if f.stat().st_mtime < before]
        for f in old:
            f.unlink(missing_ok=True)
        return len(old)

    def get(self, digest: str) -> bytes:
        return self.path(digest).read_bytes()

    def digests(self) -> Iterator[str]:
        """Every stored file's digest (temporary files skipped)."""
        if not self.root.is_dir():
            return
        for folder in sorted(self.root.iterdir()):
            if folder.is_dir() and len(folder.name) == 2:
                for f in sorted(folder.iterdir()):
                    if f.is_file() and not f.name.startswith("."):
                        yield f.name
