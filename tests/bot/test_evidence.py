"""Evidence files end to end: downloads through the local Bot API, hashes, flags."""

from __future__ import annotations

import hashlib
import io

import pytest
from PIL import Image

from bot.services.evidence import Evidence
from handlers import evidence
from tests.evidence_support import PDF, jpeg
from tests.harness import Harness

WORKER = 2001
COMMUNITY = "江滨社区"


@pytest.fixture
async def bot(tmp_path):
    async with Harness(tmp_path / "gc.db") as h:
        yield h


def _service(h: Harness) -> Evidence:
    return h.app.bot_data.evidence


async def _start(h: Harness) -> int:
    await h.register(WORKER, "worker", COMMUNITY)
    await h.send(WORKER, "/check")
    mid, _, _ = h.card(WORKER)
    return mid


async def test_files_land_in_the_store_with_hashes_exif_and_flags(bot):
    photo, again = jpeg(1), jpeg(1)
    bot.api.files |= {"id-j1": photo, "id-j2": again, "id-pdf": PDF}
    mid = await _start(bot)
    await bot.send_file(WORKER, "document", "j1", reply_to=mid, file_name="现场.jpg")  # 1.1
    await evidence.settle()
    await bot.tap(WORKER, "✅ 符合")  # the card moves to 1.2
    await bot.send_file(WORKER, "document", "j2", reply_to=mid, file_name="again.jpg")  # 1.2
    await bot.send_file(WORKER, "document", "pdf", reply_to=mid, file_name="记录.pdf")  # 1.2
    await evidence.settle()
    rows = {r["name"]: r for r in _service(bot).listing(COMMUNITY)}
    first, second, pdf = rows["现场.jpg"], rows["again.jpg"], rows["记录.pdf"]
    assert first["sha256"] == hashlib.sha256(photo).hexdigest() == second["sha256"]
    assert pdf["sha256"] == hashlib.sha256(PDF).hexdigest()
    assert [first["item"], second["item"], pdf["item"]] == ["1.1", "1.2", "1.2"]
    assert first["taken_at"] == "2026-11-20T10:00:00" and first["gps"] == "23.740000,114.700000"
    assert first["flags"] == [] and pdf["flags"] == []
    assert second["flags"] == ["same_file_item"]
    assert all(r["stored"] for r in rows.values())
    store = _service(bot).files
    assert store.get(first["sha256"]) == photo and store.get(pdf["sha256"]) == PDF
    assert len(list(store.digests())) == 2  # de-duplicated
    assert "同一文件已用于本次自查的其他条目" in bot.last_text(WORKER)


async def test_a_compressed_photo_is_flagged_and_the_worker_is_told_once_how_to_keep_exif(bot):
    img = Image.open(io.BytesIO(jpeg(3))).convert("RGB")
    out = io.BytesIO()
    img.save(out, "JPEG", quality=70)  # what Telegram's compression leaves: no EXIF
    bot.api.files |= {"id-p1": out.getvalue(), "id-p2": jpeg(4, taken="2019:01:02 08:00:00")}
    mid = await _start(bot)
    await bot.send_file(WORKER, "photo", "p1", reply_to=mid)
    await evidence.settle()
    rows = _service(bot).listing(COMMUNITY)
    assert rows[0]["flags"] == ["no_exif"] and rows[0]["mime"] == "image/jpeg"
    assert "以“文件”方式发送原图" in bot.last_text(WORKER)
    await bot.send_file(WORKER, "document", "p2", reply_to=mid, file_name="old.jpg")
    await evidence.settle()
    assert _service(bot).listing(COMMUNITY)[1]["flags"] == ["old_capture"]
    assert "拍摄时间远早于本次自查" in bot.last_text(WORKER)


async def test_a_failed_download_stays_pending_and_the_retry_job_stores_it(bot):
    bot.api.files["id-d1"] = PDF
    mid = await _start(bot)
    bot.api.fail = lambda call: (0, {}) if call.method == "download" else None
    await bot.send_file(WORKER, "document", "d1", reply_to=mid)
    await evidence.settle()
    [row] = _service(bot).listing(COMMUNITY)
    assert row["stored"] is False and row["item"] == "1.1"  # the file is recorded all the same
    await bot.tap(WORKER, "📋 材料")
    assert "⏳ 待下载" in bot.card(WORKER)[1]  # shown as pending
    bot.api.fail = None
    [job] = bot.app.job_queue.get_jobs_by_name(evidence.RETRY_JOB)
    await job.callback(_Context(bot))
    assert _service(bot).listing(COMMUNITY)[0]["stored"] is True


async def test_a_file_over_the_limit_is_refused_before_downloading(bot):
    mid = await _start(bot)
    await bot.send_file(WORKER, "document", "big", reply_to=mid, size=30 * 1024 * 1024)
    assert "超过 20 MB" in bot.last_text(WORKER)
    assert bot.db.execute("SELECT count(*) FROM evidence").fetchone()[0] == 0
    assert bot.api.sent("getFile") == []


class _Context:
    def __init__(self, h: Harness) -> None:
        self.bot = h.app.bot
        self.bot_data = h.app.bot_data
        self.application = h.app
