"""Spot checks in chat: the city draws and assigns, an expert re-verifies on the spot card
(answer buttons, a comment, a site photo through the evidence store), decides; the city sees
the agreement figures and their XLSX, and confirms a proposed withdrawal."""

from __future__ import annotations

import io
import json

from openpyxl import load_workbook

from bot.domain.access import Principal
from handlers import spotchecks as spot_handlers
from tests.bot.test_review_chain import _reply_to_prompt
from tests.evidence_support import jpeg
from tests.harness import ADMIN_ID, Harness
from tests.services.test_spotchecks import _recognise

EXPERT, CONTACT, WORKER = 5002, 5003, 5004
ADMIN = Principal(ADMIN_ID, admin=True)


async def _city(h: Harness, n: int) -> list[str]:
    """The first `n` communities of 源城区 recognised (through the services); their names."""
    from bot.services.roster import Roster

    names = [r["community"] for r in h.app.bot_data.roster.roster() if r["county"] == "源城区"][:n]
    for name in names:
        _recognise(h.app.bot_data.spotchecks, Roster(h.db).find_community(name)[0][0], False)
    return names


async def _expert(h: Harness) -> None:
    await h.send(ADMIN_ID, "/invite expert 2026")
    await h.send(EXPERT, f"/start {h.invite_link_code(ADMIN_ID)}")


async def test_an_expert_re_verifies_on_the_spot_card_and_rectifies(tmp_path):
    async with Harness(tmp_path / "gc.db") as h:
        names = await _city(h, 3)
        await h.register(WORKER, "worker", names[0])
        await _expert(h)
        await h.send(ADMIN_ID, "/spotcheck draw 2026 3 7")
        assert "3" in h.last_text(ADMIN_ID) and names[0] in h.last_text(ADMIN_ID)
        await h.send(ADMIN_ID, f"/spotcheck assign {names[0]} {EXPERT}")
        assert "已将" in h.last_text(ADMIN_ID)
        assert names[0] in h.last_text(EXPERT)  # the inspector is told, with a button
        await h.tap(EXPERT, "查看")
        _, card, _ = h.card(EXPERT)
        assert "抽查" in card and "1.1" in card
        await h.tap(EXPERT, "不符合")  # 1.1 found not met on site
        assert "抽查结果：❌ 不符合" in h.card(EXPERT)[1]
        await h.tap(EXPERT, "意见")
        await _reply_to_prompt(h, EXPERT, "宣传栏未更新\x00")
        assert "已记录" in h.last_text(EXPERT)
        h.api.files["id-site"] = jpeg(3)
        await h.tap(EXPERT, "现场照片")
        prompt = max(m for (c, m) in h.api.messages if c == EXPERT)
        await h.send(EXPERT, "照片在路上", reply_to=prompt)  # a text to the photo prompt
        assert "照片或文件" in h.last_text(EXPERT)
        await h.send_file(EXPERT, "photo", "site", reply_to=prompt)
        await spot_handlers.settle()
        stored = h.db.execute("SELECT sha256, flags FROM spot_files").fetchone()
        assert stored[0] and "no_exif" not in json.loads(stored[1])
        await h.tap(EXPERT, "▶")  # 1.2: as the community answered
        await h.tap(EXPERT, "同自评")
        await h.tap(EXPERT, "整改")
        await _reply_to_prompt(h, EXPERT, "2026-12-31")
        assert "需整改" in h.last_text(EXPERT) and "1 项整改" in h.last_text(EXPERT)
        actions = h.db.execute("SELECT question_id, problem, owner_id FROM actions").fetchall()
        assert actions == [("1.1", "宣传栏未更新", WORKER)]
        assert "新的整改任务" in h.last_text(WORKER)  # the owner is told, with its buttons
        # the city's figures: 2 items, 1 agreeing with the self-assessment
        await h.send(ADMIN_ID, "/spotcheck")
        assert "2 项" in h.last_text(ADMIN_ID) and "50.0%" in h.last_text(ADMIN_ID)
        await h.tap(ADMIN_ID, "导出")
        wb = load_workbook(io.BytesIO(h.api.last("sendDocument").files["document"]))
        assert wb.sheetnames == ["县区一致率", "社区明细", "分歧条目"]
        rows = [list(r) for r in wb["县区一致率"].iter_rows(values_only=True)]
        head = next(k for k, r in enumerate(rows) if r[0] == "序号")
        assert rows[head + 1][1:5] == ["源城区", 1, 2, 1]


async def test_a_proposed_withdrawal_waits_for_the_city(tmp_path):
    async with Harness(tmp_path / "gc.db") as h:
        names = await _city(h, 2)
        await h.register(CONTACT, "contact", "源城区")
        await h.send(ADMIN_ID, "/spotcheck draw 2026 1 5")
        drawn = next(n for n in names if n in h.last_text(ADMIN_ID))
        await h.send(ADMIN_ID, f"/spotcheck assign {drawn} {ADMIN_ID}")
        await h.tap(ADMIN_ID, "查看")
        await h.tap(ADMIN_ID, "不符合")
        await h.tap(ADMIN_ID, "建议撤销")
        await _reply_to_prompt(h, ADMIN_ID, "现场私搭乱建 6 处")
        said = h.texts(ADMIN_ID)[-2:]  # the inspector's reply, then the city's notice
        assert "等待市级确认" in said[0] and "建议撤销" in said[1]
        await h.tap(ADMIN_ID, "查看")
        await h.tap(ADMIN_ID, "确认撤销称号")
        assert "已撤销" in h.last_text(ADMIN_ID)
        cause = h.db.execute("SELECT cause, reason FROM withdrawals").fetchall()
        assert cause == [("spotcheck", "现场私搭乱建 6 处")]
        await h.send(CONTACT, "/spotcheck")  # the county contact sees their county
        assert "源城区" in h.last_text(CONTACT) and "已撤销称号" in h.last_text(CONTACT)
        await h.send(CONTACT, f"/spotcheck assign {drawn} {CONTACT}")
        assert "仅限管理员" in h.last_text(CONTACT)
