"""Evidence files that attack the server: image bombs, lying sizes, files that keep failing.

Images are opened with an explicit pixel limit before decoding and a failure marks the file;
each download attempt is counted before it starts; the retry queue takes the oldest first and
gives a file up after MAX_ATTEMPTS (listed by `greencheck evidence failed`); a download stops
at the size limit whatever the message and getFile declared.
"""

from __future__ import annotations

import json
import os

import pytest
from PIL.TiffImagePlugin import IFDRational

from bot.services import evidence as evidence_service
from bot.services.evidence import MAX_ATTEMPTS
from handlers import evidence
from tests.evidence_support import PDF, jpeg, jpeg_with_gps, png_header
from tests.harness import NOW, Harness, cli

WORKER = 2101
COMMUNITY = "江滨社区"
MB = 1024 * 1024


@pytest.fixture
async def bot(tmp_path):
    async with Harness(tmp_path / "gc.db") as h:
        await h.register(WORKER, "worker", COMMUNITY)
        await h.send(WORKER, "/check")
        yield h


def _rows(h: Harness) -> dict[str, dict]:
    return {r["name"]: r for r in h.app.bot_data.evidence.listing(COMMUNITY)}


async def _attach(h: Harness, files: dict[str, bytes], **kw) -> None:
    """Attach each file as a document (named by its key) to the card's item; let downloads end."""
    mid, _, _ = h.card(WORKER)
    for name, data in files.items():
        h.api.files[f"id-{name}"] = data
        await h.send_file(WORKER, "document", name, reply_to=mid, file_name=name, **kw)
    await evidence.settle()


async def _retry(h: Harness) -> None:
    [job] = h.app.job_queue.get_jobs_by_name(evidence.RETRY_JOB)
    await job.callback(_Context(h))


class _Context:
    def __init__(self, h: Harness) -> None:
        self.bot = h.app.bot
        self.bot_data = h.app.bot_data
        self.application = h.app


async def test_image_bombs_and_broken_images_are_kept_as_unreadable_files(bot):
    files = {
        "bomb.png": png_header(50_000, 50_000),  # Pillow itself refuses it (DecompressionBomb)
        "huge.png": png_header(8_000, 8_000),  # under Pillow's limit, over ours: not decoded
        "broken.png": png_header(300, 300, body=b"\x01" * 10),  # decoding fails
        "fine.jpg": jpeg(1),
    }
    await _attach(bot, files)
    rows = _rows(bot)
    for name in ("bomb.png", "huge.png", "broken.png"):
        row = rows[name]
        assert row["stored"] and row["flags"] == ["unreadable_image"], row
        assert row["taken_at"] is None and row["gps"] is None
    assert rows["fine.jpg"]["stored"] and rows["fine.jpg"]["taken_at"] == "2026-11-20T10:00:00"
    phashes = bot.db.execute("SELECT file_name FROM evidence WHERE phash IS NOT NULL").fetchall()
    assert phashes == [("fine.jpg",)]
    assert "图片无法读取" in bot.last_text(WORKER)


async def test_a_bomb_waiting_for_its_retry_does_not_stop_the_files_after_it(bot):
    bot.api.fail = lambda call: (0, {}) if call.method == "download" else None
    await _attach(bot, {"bomb.png": png_header(50_000, 50_000), "b.pdf": PDF})
    bot.api.fail = None
    await _retry(bot)
    rows = _rows(bot)
    assert rows["bomb.png"]["flags"] == ["unreadable_image"] and rows["b.pdf"]["stored"]


async def test_an_attempt_is_counted_before_the_download_starts(bot):
    seen: list[int] = []

    def watch(call):
        if call.method == "download":
            seen.append(bot.db.execute("SELECT attempts FROM evidence").fetchone()[0])

    bot.api.fail = watch
    await _attach(bot, {"a.pdf": PDF})
    assert seen == [1]


async def test_a_file_that_keeps_failing_is_given_up_listed_and_holds_no_one_back(
    bot, monkeypatch, capsys
):
    monkeypatch.setenv("GREENCHECK_DB", str(bot.db_path))
    gone = "id-gone.pdf"
    bot.api.fail = lambda call: (0, {}) if call.method == "download" else None
    await _attach(bot, {"gone.pdf": PDF, "late.pdf": PDF + b"%late"})
    bot.api.fail = lambda call: (0, {}) if gone in call.params.get("url", "") else None
    await _retry(bot)
    assert _rows(bot)["late.pdf"]["stored"]  # behind a failing file, still fetched
    for _ in range(MAX_ATTEMPTS):
        await _retry(bot)
    tries = [c for c in bot.api.sent("download") if gone in c.params.get("url", "")]
    assert len(tries) == MAX_ATTEMPTS  # then never again
    await bot.tap(WORKER, "📋 材料")
    assert "未能保存，请重新发送" in bot.card(WORKER)[1]
    capsys.readouterr()
    assert cli(["evidence", "failed", "--json"]) == 0
    [listed] = json.loads(capsys.readouterr().out)
    assert listed["name"] == "gone.pdf" and listed["attempts"] == MAX_ATTEMPTS


@pytest.mark.parametrize("declared", [1024, None])
async def test_a_download_stops_at_the_limit_whatever_the_message_declared(bot, declared):
    bot.settings.max_file_mb = 1
    big = b"%PDF-1.4\n" + b"\0" * (3 * MB)
    bot.api.declared = {"id-big.pdf": declared}  # what getFile says, too
    await _attach(bot, {"big.pdf": big}, size=declared)
    row = _rows(bot)["big.pdf"]
    assert not row["stored"] and row["given_up"]
    assert bot.api.served < 2 * MB  # the stream was cut at the limit, not read whole
    assert list(bot.app.bot_data.evidence.files.digests()) == []
    assert "超过 1 MB 上限" in bot.last_text(WORKER)
    assert not list(bot.app.bot_data.evidence.files.root.glob(".tmp-*"))  # nothing left over


async def test_gps_with_a_zero_denominator_is_absent_and_a_future_capture_is_flagged(bot):
    r = IFDRational
    nan_gps = ((r(23, 1), r(0, 0), r(1, 0)), (r(114, 1), r(41, 1), r(60, 1)))
    future = jpeg(5, taken="2027:03:01 08:00:00")  # the harness's clock: 2026-11-20
    await _attach(bot, {"nan.jpg": jpeg_with_gps(nan_gps), "future.jpg": future})
    rows = _rows(bot)
    assert rows["nan.jpg"]["gps"] is None and rows["nan.jpg"]["stored"]
    assert rows["future.jpg"]["flags"] == ["future_capture"]
    assert "拍摄时间晚于上传日期" in bot.last_text(WORKER)


def test_the_pixel_limit_is_explicit_and_checked_on_the_header(tmp_path):
    path = tmp_path / "edge.png"
    side = int(evidence_service.MAX_PIXELS**0.5) + 1
    path.write_bytes(png_header(side, side))
    assert evidence_service.read_photo(path) == evidence_service.UNREADABLE
    path.write_bytes(PDF)
    assert evidence_service.read_photo(path) is None  # not an image: a plain file, no flag


async def test_a_file_telegram_refuses_is_given_up_at_once(bot):
    refuse = {"ok": False, "error_code": 400, "description": "Bad Request: file is too big"}
    bot.api.fail = lambda call: (400, refuse) if call.method == "getFile" else None
    await _attach(bot, {"huge.pdf": PDF})
    assert _rows(bot)["huge.pdf"]["given_up"]
    assert "未能保存" in bot.last_text(WORKER)
    await _retry(bot)
    assert len(bot.api.sent("getFile")) == 1  # not tried again


async def test_what_a_killed_download_left_is_removed_at_start(tmp_path):
    async with Harness(tmp_path / "gc.db") as h:
        store = h.app.bot_data.evidence.files
        await h.register(WORKER, "worker", COMMUNITY)
        await h.send(WORKER, "/check")
        await _attach(h, {"a.pdf": PDF})
        killed, half = store.root / ".tmp-killed", next(store.root.glob("??")) / ".tmp-half"
        running = store.root / ".tmp-running"  # another process's download, in progress
        for path, age in ((killed, 7200), (half, 7200), (running, 60)):
            path.write_bytes(b"part of a file")
            at = NOW.timestamp() - age
            os.utime(path, (at, at))
    async with Harness(tmp_path / "gc.db"):
        assert [p.name for p in store.root.rglob(".tmp-*")] == [".tmp-running"]
        assert len(list(store.digests())) == 1
