"""Downloads that stop at the size limit, whatever the message declared.

A message's `file_size` is what the sender's client said (or nothing); the bytes are what the
file server sends. `download` streams them into a file and stops as soon as they pass the limit,
so memory holds one chunk and the disk at most the limit. The Bot API request object streams:
`StreamingRequest` (PTB's httpx request, used by `greencheck run`) and the local Bot API of the
tests and the demo (handlers/localapi.py) both have `chunks(url)`.
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncGenerator
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

import httpx
from telegram.error import NetworkError
from telegram.request import HTTPXRequest

CHUNK = 64 * 1024


class TooLarge(Exception):
    """The file server sent more bytes than the limit allows (the download was stopped)."""


@runtime_checkable
class Streaming(Protocol):
    def chunks(self, url: str) -> AsyncGenerator[bytes, None]: ...


class StreamingRequest(HTTPXRequest):
    """PTB's request, plus a streamed GET for file downloads."""

    async def chunks(self, url: str) -> AsyncGenerator[bytes, None]:
        # PTB's own client: the same pool, timeouts and proxy as every other Bot API call
        try:
            async with self._client.stream(
                "GET", url, headers={"User-Agent": self.USER_AGENT}
            ) as res:
                if res.status_code != httpx.codes.OK:
                    raise NetworkError(f"download: HTTP {res.status_code}")
                async for chunk in res.aiter_bytes(CHUNK):
                    yield chunk
        except httpx.HTTPError as err:  # as PTB's own requests report it
            raise NetworkError(f"httpx.{type(err).__name__}: {err}") from err


async def download(bot: Any, url: str, dest: Path, limit: int) -> int:
    """Stream the file at `url` into `dest`; TooLarge once more than `limit` bytes arrived."""
    request = bot.request
    if not isinstance(request, Streaming):
        raise TypeError(f"{type(request).__name__} cannot stream downloads")
    size = 0
    with dest.open("wb") as out:
        async with contextlib.aclosing(request.chunks(url)) as chunks:
            async for chunk in chunks:
                size += len(chunk)
                if size > limit:
                    raise TooLarge(size)
                out.write(chunk)
    return size
