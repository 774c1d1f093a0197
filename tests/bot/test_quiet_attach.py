"""The quiet attach flow: how many bot messages a whole check leaves in the chat."""

from __future__ import annotations

from bot.catalog import catalog
from handlers import evidence
from tests.bot.test_check import _answer_label
from tests.evidence_support import jpeg
from tests.harness import Harness

WORKER = 2001


def _left(h: Harness, chat_id: int, after: int) -> list[str]:
    """Texts of the bot's messages still in the chat, after message id `after`."""
    return [
        str(m.get("text", m.get("caption", "")))
        for (c, mid), m in sorted(h.api.messages.items())
        if c == chat_id and mid > after and m.get("from", {}).get("is_bot")
    ]


async def _attach(h: Harness, n: int) -> None:
    await h.tap(WORKER, "材料")
    prompt = max(mid for (c, mid) in h.api.force_replies if c == WORKER)
    await h.send_file(WORKER, "document", f"f{n}", reply_to=prompt, file_name=f"{n}.jpg")


async def test_a_whole_guangdong_check_with_4_files_and_a_note_leaves_few_messages(tmp_path):
    std = catalog().standard(catalog().programs["heyuan-2021"].standard)
    async with Harness(tmp_path / "gc.db") as h:
        h.api.files |= {f"id-f{n}": jpeg(10 + n) for n in range(4)}
        await h.register(WORKER, "worker", "江滨社区")
        start = h.api.next_id[WORKER]
        await h.send(WORKER, "/check")
        for i, _ in enumerate(std.questions):
            if i < 4:
                await _attach(h, i)
            if i == 5:
                await h.tap(WORKER, "备注")
                prompt = max(mid for (c, mid) in h.api.force_replies if c == WORKER)
                await h.send(WORKER, "东门消防通道已清理", reply_to=prompt)
            await h.tap(WORKER, _answer_label(h.card(WORKER)[2]))
        await evidence.settle()
        await h.send(WORKER, "/submit")
        await h.tap(WORKER, "✅ 确认提交")
        left = _left(h, WORKER, start)
        stored = h.db.execute("SELECT count(*) FROM evidence WHERE stored_at IS NOT NULL")
        assert stored.fetchone()[0] == 4
        assert h.db.execute("SELECT count(*) FROM answers WHERE note IS NOT NULL").fetchone()[0]
    print(f"\nbot messages left in the chat: {len(left)}")  # the figure reported in the note
    for text in left:
        print("  -", text.splitlines()[0][:60])
    assert len(left) <= 3, left
