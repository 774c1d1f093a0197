"""An item's evidence list on the card: view again, move to another item, remove."""

from __future__ import annotations

from handlers import evidence
from tests.evidence_support import PDF, jpeg
from tests.harness import Harness

WORKER = 2001


async def test_the_worker_views_moves_and_removes_a_file_and_each_change_is_recorded(tmp_path):
    async with Harness(tmp_path / "gc.db") as h:
        h.api.files |= {"id-a": jpeg(21), "id-b": PDF}
        await h.register(WORKER, "worker", "江滨社区")
        await h.send(WORKER, "/check")
        await h.send_file(WORKER, "document", "a", file_name="a.jpg")  # to the item on the card
        await h.send_file(WORKER, "document", "b", file_name="b.pdf")
        await evidence.settle()
        _, text, _ = h.card(WORKER)
        assert "材料 2" in text  # redrawn at once
        await h.tap(WORKER, "📋 材料")
        _, text, _ = h.card(WORKER)
        assert "1.1 的材料（2 个）" in text and "a.jpg" in text and "拍摄 2026-11-20" in text
        await h.tap(WORKER, "查看 1")
        assert h.api.last("sendDocument").params["document"] == "id-a"
        await h.tap(WORKER, "↪️ 1 移至 1.2")
        assert h.db.execute("SELECT question_id FROM evidence ORDER BY id").fetchall() == [
            ("1.2",),
            ("1.1",),
        ]
        await h.tap(WORKER, "移除 1")
        assert h.db.execute("SELECT count(*) FROM evidence").fetchone()[0] == 1
        _, text, _ = h.card(WORKER)
        assert "1.1 暂无材料" in text
        await h.tap(WORKER, "返回本项")
        _, text, _ = h.card(WORKER)
        assert "<b>1.1</b>" in text and "材料 0" in text
        events = h.db.execute("SELECT action, question_id, before FROM evidence_events").fetchall()
        assert events == [("move", "1.2", "1.1"), ("remove", None, "1.1")]
