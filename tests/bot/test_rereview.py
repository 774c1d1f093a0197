"""A focused re-review: a resubmitted check opens for its reviewer on the items the community
changed, their earlier verification no longer stands ("已修改，待核定"), the issues-only view
keeps them, and a 目录 lists every item with its verified mark and jumps to any of them."""

from __future__ import annotations

import datetime as dt
import re

from bot.catalog import catalog
from handlers import callbacks
from tests.bot.test_review_chain import COUNTY, STREET, WORKER, _answer_all, _people
from tests.harness import Harness

ITEM = re.compile(r"<b>([0-9.]+|bonus|V[0-9]+)</b> ")
STD = catalog().standard(catalog().programs["heyuan-2021"].standard)


def _aid(h: Harness) -> int:
    return int(h.db.execute("SELECT id FROM assessments").fetchone()[0])


def _shown(h: Harness, uid: int) -> str:
    """The item the newest card in `uid`'s chat shows."""
    found = ITEM.search(h.card(uid)[1])
    assert found is not None, h.card(uid)[1]
    return found.group(1)


async def _walk_issues(h: Harness, uid: int, aid: int) -> list[str]:
    """Every item of the issues-only view, from its first with ▶ until it comes round."""
    mid = h.card(uid)[0]
    await h.press(uid, callbacks.encode("rv:q", aid, STD.questions[0].id, "g"), mid)
    seen = [_shown(h, uid)]
    while True:
        await h.tap(uid, "▶")
        if _shown(h, uid) == seen[0]:
            return seen
        seen.append(_shown(h, uid))


async def _reply(h: Harness, uid: int, text: str) -> None:
    prompt = max(m for (c, m) in h.api.messages if c == uid)
    await h.send(uid, text, reply_to=prompt)


async def _attach(h: Harness, aid: int, qid: str, unique: str) -> None:
    """The worker taps 📎 on an item and replies with a photo."""
    await h.press(WORKER, callbacks.encode("e", aid, qid), h.card(WORKER)[0])
    prompt = max(m for (c, m) in h.api.messages if c == WORKER)
    await h.send_file(WORKER, "photo", unique, reply_to=prompt)


async def _comment(h: Harness, aid: int, qid: str, text: str) -> None:
    await h.press(STREET, callbacks.encode("rv:q", aid, qid, "a"), h.card(STREET)[0])
    await h.tap(STREET, "意见")
    await _reply(h, STREET, text)


async def _sent_back_and_fixed(h: Harness) -> int:
    """Heyuan: the worker answers every item met (2.1 with its file) and submits; the street
    verifies 2.1 not met, comments 2.1 and 4.2 and sends the check back; a minute later the
    worker adds a note to 2.1 and a photo to 4.2 and resubmits."""
    await _people(h)
    await _answer_all(h, len(STD.questions))
    aid = _aid(h)
    await _attach(h, aid, "2.1", "meeting")
    await h.submit(WORKER)
    await h.tap(STREET, "查看")
    assert not {"2.1", "4.2"} & set(await _walk_issues(h, STREET, aid))  # nothing to look at yet
    await h.press(STREET, callbacks.encode("rv:q", aid, "2.1", "a"), h.card(STREET)[0])
    await h.tap(STREET, "❌ 不符合")
    assert "核定：❌ 不符合" in h.card(STREET)[1]
    await _comment(h, aid, "2.1", "联席会议记录缺签到表")
    await _comment(h, aid, "4.2", "请补充管线照片")
    await h.tap(STREET, "退回")
    await _reply(h, STREET, "请按意见补充")
    h.clock.advance(dt.timedelta(minutes=1))
    await h.press(WORKER, callbacks.encode("o", aid, "2.1"), h.card(WORKER)[0])
    await _reply(h, WORKER, "已补充签到表")
    await _attach(h, aid, "4.2", "pipes")
    await h.submit(WORKER)
    return aid


async def test_the_resubmitted_notice_opens_on_the_first_changed_item(tmp_path):
    async with Harness(tmp_path / "gc.db") as h:
        aid = await _sent_back_and_fixed(h)
        notice = h.last_text(STREET)
        assert "重新提交" in notice and "社区已修改 2 项：2.1、4.2" in notice
        await h.tap(STREET, "查看")
        text = h.card(STREET)[1]
        assert _shown(h, STREET) == "2.1"
        assert "核定：🔄 已修改，待核定" in text and "核定：❌" not in text
        assert "已补充签到表" in text and "联席会议记录缺签到表" in text
        assert "核定结论：✅ 达标" in text  # the outdated ❌ no longer fails the check
        # /review's 查看 opens there too
        await h.send(STREET, "/review")
        await h.tap(STREET, "江滨社区")
        assert _shown(h, STREET) == "2.1"
        assert set(await _walk_issues(h, STREET, aid)) >= {"2.1", "4.2"}


async def test_the_reviewers_index_lists_every_item_and_jumps(tmp_path):
    async with Harness(tmp_path / "gc.db") as h:
        await _sent_back_and_fixed(h)
        await h.tap(STREET, "查看")
        await h.tap(STREET, "目录")
        first = h.card(STREET)[1]
        await h.tap(STREET, "▶")
        _, second, buttons = h.card(STREET)
        assert "▶" not in [label for label, _ in buttons]  # 42 items: two pages
        assert ITEM.findall(first) + ITEM.findall(second) == [q.id for q in STD.questions]
        assert "已核定 0/42 项" in first  # the street's ❌ on 2.1 no longer stands
        assert "🔄 <b>2.1</b>" in first and "🔄 <b>4.2</b>" in first and "▫️ <b>1.1</b>" in first
        await h.tap(STREET, "◀")
        await h.tap(STREET, "🔄 4.2")
        assert _shown(h, STREET) == "4.2" and "已修改，待核定" in h.card(STREET)[1]
        # verified again, the item is no longer pending; ↩ from the index goes back to it
        await h.tap(STREET, "✔ 确认")
        assert "核定：✅ 符合" in h.card(STREET)[1]
        await h.tap(STREET, "目录")
        assert "✅ <b>4.2</b>" in h.card(STREET)[1] and "已核定 1/42 项" in h.card(STREET)[1]
        await h.tap(STREET, "返回")
        assert _shown(h, STREET) == "4.2"


async def test_the_next_stage_reads_the_check_afresh(tmp_path):
    """The changed items are the street's business: the county, which never sent it back,
    opens on the check's issues with no "changed" line."""
    async with Harness(tmp_path / "gc.db") as h:
        await _sent_back_and_fixed(h)
        await h.tap(STREET, "通过")
        await h.tap(COUNTY, "查看")
        text = h.card(COUNTY)[1]
        assert "社区已修改" not in text and "待核定" not in text
