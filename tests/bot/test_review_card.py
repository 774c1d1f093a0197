"""The review card: the filter toggle, the item's files on request, English."""

from __future__ import annotations

from bot.catalog import catalog
from handlers import callbacks
from tests.bot.test_review_chain import STREET, WORKER, _answer_all, _people
from tests.harness import Harness


async def test_reviewer_gets_the_items_files_and_toggles_the_filter(tmp_path):
    std = catalog().standard(catalog().programs["heyuan-2021"].standard)
    async with Harness(tmp_path / "gc.db") as h:
        await _people(h)
        await _answer_all(h, len(std.questions))
        aid = int(h.db.execute("SELECT id FROM assessments").fetchone()[0])
        await h.press(WORKER, callbacks.encode("e", aid, "1.1"), h.card(WORKER)[0])
        prompt = max(m for (c, m) in h.api.messages if c == WORKER)
        await h.send_file(WORKER, "photo", "p1", reply_to=prompt)
        await h.submit(WORKER)
        await h.tap(STREET, "查看")
        _, text, buttons = h.card(STREET)
        assert "只看问题项" not in [b[0] for b in buttons]  # the card opens on the issues
        assert "全部条目" in [b[0] for b in buttons]
        await h.tap(STREET, "全部条目")
        _, text, buttons = h.card(STREET)
        assert "<b>1.1</b>" in text and "材料 1 份" in text
        assert "只看问题项" in [b[0] for b in buttons]
        await h.tap(STREET, "材料")
        photos = h.api.sent("sendPhoto")
        assert [c.params["photo"] for c in photos] == ["id-p1"]
        assert int(photos[0].params["chat_id"]) == STREET


async def test_the_review_card_in_english(tmp_path):
    std = catalog().standard(catalog().programs["heyuan-2021"].standard)
    async with Harness(tmp_path / "gc.db") as h:
        await _people(h)
        await h.send(STREET, "/lang en")
        await _answer_all(h, len(std.questions))
        await h.submit(WORKER)
        notice = h.last_text(STREET)
        assert "submitted its check" in notice and "self-assessed" in notice
        await h.tap(STREET, "View")
        _, text, buttons = h.card(STREET)
        assert "Self-assessed" in text and "✅ Approve" in [b[0] for b in buttons]
