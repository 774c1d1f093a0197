"""The evidence file store: content-addressed (SHA-256 names), atomic writes, de-duplicated.

A file lives at `<root>/<sha[:2]>/<sha>`. It is written to a temporary file in the same folder
and moved into place with `os.replace`, so a reader (or a backup) never sees half a file, and
the same bytes stored twice are kept once.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


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
