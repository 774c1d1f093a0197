"""Provenance flags where reviewers look: the review card and /community."""

from __future__ import annotations

import io
import zipfile

from PIL import Image

from bot.catalog import catalog
from handlers import callbacks, evidence
from tests.bot.test_review_chain import STREET, WORKER, _answer_all, _people
from tests.evidence_support import jpeg
from tests.harness import ADMIN_ID, Harness


def _recompressed(data: bytes) -> bytes:
    out = io.BytesIO()
    Image.open(io.BytesIO(data)).convert("RGB").save(out, "JPEG", quality=60)
    return out.getvalue()


async def test_reviewer_and_community_see_the_flags_of_reused_files(tmp_path):
    std = catalog().standard(catalog().programs["heyuan-2021"].standard)
    async with Harness(tmp_path / "gc.db") as h:
        h.api.files |= {"id-a": jpeg(5), "id-b": jpeg(5), "id-c": _recompressed(jpeg(5))}
        await _people(h)
        await _answer_all(h, len(std.questions))
        aid = int(h.db.execute("SELECT id FROM assessments").fetchone()[0])
        for qid, unique in (("1.1", "a"), ("1.2", "b"), ("1.3", "c")):
            await h.press(WORKER, callbacks.encode("e", aid, qid), h.card(WORKER)[0])
            prompt = max(m for (c, m) in h.api.messages if c == WORKER)
            await h.send_file(
                WORKER, "document", unique, reply_to=prompt, file_name=f"{unique}.jpg"
            )
            await evidence.settle()
        await h.submit(WORKER)
        await h.tap(STREET, "查看")
        await h.tap(STREET, "全部条目")
        await h.press(STREET, callbacks.encode("rv:q", aid, "1.3", "a"), h.card(STREET)[0])
        _, text, _ = h.card(STREET)
        assert "c.jpg: 与本次其他条目的照片几乎相同" in text
        await h.send(ADMIN_ID, "/community 江滨社区")
        shown = h.last_text(ADMIN_ID)
        assert "材料提示（2 个文件）" in shown
        assert "1.2 b.jpg: 同一文件已用于本次自查的其他条目" in shown


async def test_the_daily_backup_job_writes_and_rotates_archives(tmp_path):
    async with Harness(tmp_path / "gc.db") as h:
        h.app.bot_data.settings = h.app.bot_data.settings.model_copy(
            update={"backup_dir": str(tmp_path / "backups"), "backup_keep": 2}
        )
        [job] = h.app.job_queue.get_jobs_by_name(evidence.BACKUP_JOB)
        ctx = type("C", (), {"bot": h.app.bot, "bot_data": h.app.bot_data})()
        import datetime as dt

        for day in (1, 2, 3):
            h.clock.set(dt.datetime(2026, 11, day, 3, tzinfo=dt.UTC))
            await job.callback(ctx)
    names = sorted(p.name for p in (tmp_path / "backups").iterdir())
    assert names == ["greencheck-20261102-110000.zip", "greencheck-20261103-110000.zip"]  # local
    with zipfile.ZipFile(tmp_path / "backups" / names[-1]) as z:
        assert {"greencheck.db", "manifest.json"} <= set(z.namelist())
