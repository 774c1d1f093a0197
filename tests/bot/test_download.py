"""The real streamed download (handlers/download.py) over httpx, the network replaced by
httpx's MockTransport: it stops at the limit, and an HTTP error is a network error."""

from __future__ import annotations

import httpx
import pytest
from telegram.error import NetworkError

from handlers.download import CHUNK, StreamingRequest, TooLarge, download

URL = "https://files.example/file/bot0:x/documents/a.pdf"


class _Bot:
    def __init__(self, request: StreamingRequest) -> None:
        self.request = request


def _served(status: int, size: int, sent: list[int]) -> httpx.MockTransport:
    async def stream():
        for at in range(0, size, CHUNK):
            sent.append(min(CHUNK, size - at))
            yield b"\0" * sent[-1]

    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(status, content=stream())

    return httpx.MockTransport(handler)


async def _get(status: int, size: int, limit: int, tmp_path, sent: list[int]) -> int:
    request = StreamingRequest(httpx_kwargs={"transport": _served(status, size, sent)})
    await request.initialize()
    try:
        return await download(_Bot(request), URL, tmp_path / "part", limit)
    finally:
        await request.shutdown()


async def test_a_download_is_written_whole_under_the_limit(tmp_path):
    size = await _get(200, 3 * CHUNK + 5, 10 * CHUNK, tmp_path, [])
    assert size == 3 * CHUNK + 5 == (tmp_path / "part").stat().st_size


async def test_a_download_stops_at_the_limit(tmp_path):
    sent: list[int] = []
    with pytest.raises(TooLarge):
        await _get(200, 1000 * CHUNK, 2 * CHUNK, tmp_path, sent)
    assert (tmp_path / "part").stat().st_size <= 2 * CHUNK
    assert sum(sent) < 10 * CHUNK  # the server was not read to its end


async def test_an_http_error_is_a_network_error(tmp_path):
    with pytest.raises(NetworkError, match="HTTP 404"):
        await _get(404, 10, 100, tmp_path, [])
