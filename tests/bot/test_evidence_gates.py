"""🗑 remove and ↪️ move obey the gates of answering, and keep the cached gap count true.

The gates are the check service's own (bot/services/checks.py): a sent-back check lets only
its reopened items change, a submitted check none, a past year's check none once a newer one
exists.
"""

from __future__ import annotations

import datetime as dt

from bot.texts import t
from handlers import callbacks, evidence
from tests.bot.test_review_chain import COMMUNITY, STREET, WORKER, _fine, _people
from tests.evidence_support import PDF, jpeg
from tests.harness import ZONE, Harness


def _files(h: Harness) -> dict[str, list[int]]:
    """Evidence ids by item."""
    out: dict[str, list[int]] = {}
    for eid, qid in h.db.execute("SELECT id, question_id FROM evidence ORDER BY id"):
        out.setdefault(qid, []).append(eid)
    return out


def _gaps(h: Harness) -> tuple[int, int]:
    """(the cached gap count, the gap count worked out afresh) of the newest check."""
    aid, cached = h.db.execute("SELECT id, gap_count FROM assessments ORDER BY id DESC").fetchone()
    checks = h.app.bot_data.checks
    return cached, len(checks.view(checks.get(aid)).result.gaps)


async def _press(h: Harness, data: str) -> str:
    await h.press(WORKER, data, h.card(WORKER)[0])
    return h.alerts()[-1]


async def _attach_two(h: Harness) -> None:
    """A file on 1.1 and one on 1.2 (answered on the way)."""
    h.api.files |= {"id-a": PDF, "id-b": jpeg(2)}
    await h.send(WORKER, "/check")
    await h.send_file(WORKER, "document", "a", reply_to=h.card(WORKER)[0], file_name="a.pdf")
    await h.tap(WORKER, "✅ 符合")
    await h.send_file(WORKER, "document", "b", reply_to=h.card(WORKER)[0], file_name="b.jpg")
    await evidence.settle()


async def test_a_sent_back_check_changes_files_of_its_reopened_items_only(tmp_path):
    async with Harness(tmp_path / "gc.db") as h:
        await _people(h)
        await _attach_two(h)
        while "已答 42/42" not in h.card(WORKER)[1]:
            await h.tap(WORKER, _fine(h.card(WORKER)[2]))
        await h.submit(WORKER)
        files = _files(h)
        assert await _press(h, callbacks.encode("er", files["1.1"][0])) == t("zh", "locked")
        await h.send(STREET, "/review")
        await h.tap(STREET, COMMUNITY)
        aid = h.db.execute("SELECT id FROM assessments").fetchone()[0]
        await h.press(STREET, callbacks.encode("rv:q", aid, "1.2", "a"), h.card(STREET)[0])
        await h.tap(STREET, "意见")
        await h.send(
            STREET, "照片不清", reply_to=max(m for (c, m) in h.api.messages if c == STREET)
        )
        await h.tap(STREET, "退回")
        await h.send(STREET, "请补充", reply_to=max(m for (c, m) in h.api.messages if c == STREET))
        not_reopened = t("zh", "not_reopened")
        assert await _press(h, callbacks.encode("er", files["1.1"][0])) == not_reopened
        assert await _press(h, callbacks.encode("em", files["1.2"][0], "1.1")) == not_reopened
        assert _files(h) == files  # nothing changed
        assert await _press(h, callbacks.encode("er", files["1.2"][0])) == "🗑 已从 1.2 移除该材料。"
        assert _files(h) == {"1.1": files["1.1"]}
        assert _gaps(h)[0] == _gaps(h)[1]


async def test_a_past_years_check_keeps_its_files_once_a_newer_one_exists(tmp_path):
    at = dt.datetime(2025, 11, 20, 10, tzinfo=ZONE)
    async with Harness(tmp_path / "gc.db", at=at) as h:
        await h.register(WORKER, "worker", COMMUNITY)
        await _attach_two(h)
        h.clock.set(at.replace(year=2026))
        await h.send(WORKER, "/check")  # the 2026 check opens (2025's answers as a draft)
        files = _files(h)
        locked = t("zh", "locked")
        assert await _press(h, callbacks.encode("er", files["1.1"][0])) == locked
        assert await _press(h, callbacks.encode("em", files["1.2"][0], "1.1")) == locked
        assert _files(h) == files


async def test_removing_and_moving_files_keeps_the_cached_gap_count_true(tmp_path):
    async with Harness(tmp_path / "gc.db") as h:
        await h.register(WORKER, "worker", COMMUNITY)
        await _attach_two(h)
        await h.tap(WORKER, "✅ 符合")  # 1.2: met, with its file
        files = _files(h)
        before = _gaps(h)
        await _press(h, callbacks.encode("em", files["1.2"][0], "1.1"))
        assert _files(h) == {"1.1": files["1.1"] + files["1.2"]}
        assert _gaps(h)[0] == _gaps(h)[1] == before[0] + 1  # 1.2 lost its only file
        await _press(h, callbacks.encode("er", files["1.1"][0]))
        assert _gaps(h)[0] == _gaps(h)[1]
