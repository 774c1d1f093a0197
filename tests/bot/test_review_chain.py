"""The review chain end to end through process_update (issue 11, "Done when")."""

from __future__ import annotations

import io
from typing import Any

import pytest
from openpyxl import load_workbook

from bot.domain.standards import catalog
from bot.services.reviews import figure
from bot.texts import t
from handlers import callbacks
from tests.harness import ADMIN_ID, Harness

WORKER, STREET, OTHER_STREET, COUNTY, OTHER_COUNTY = 3001, 3002, 3003, 3004, 3005
COMMUNITY = "江滨社区"  # 源城区 · 新江街道 in the sample roster


async def _people(h: Harness) -> None:
    await h.register(WORKER, "worker", COMMUNITY)
    await h.register(STREET, "street", "新江街道")
    assert "街道审核员" in h.last_text(STREET)
    await h.register(OTHER_STREET, "street", "源西街道")
    await h.register(COUNTY, "contact", "源城区")
    await h.register(OTHER_COUNTY, "contact", "东源县")


def _fine(buttons: list[tuple[str, str]]) -> str:
    for want in ("✅ 符合", "✅ 满分", "✅ 不存在"):
        for label, _ in buttons:
            if label.startswith(want):
                return label
    plus = [b[0] for b in buttons if b[0].startswith("+")]
    return plus[-1]


async def _answer_all(h: Harness, n: int) -> None:
    await h.send(WORKER, "/check")
    for _ in range(n):
        _, _, buttons = h.card(WORKER)
        await h.tap(WORKER, _fine(buttons))


def _aid(h: Harness) -> int:
    return int(h.db.execute("SELECT id FROM assessments").fetchone()[0])


def _review(h: Harness) -> tuple[str, str]:
    return h.db.execute("SELECT stage, state FROM reviews").fetchone()


async def _reply_to_prompt(h: Harness, uid: int, text: str) -> None:
    prompt = max(m for (c, m) in h.api.messages if c == uid)
    await h.send(uid, text, reply_to=prompt)


@pytest.mark.parametrize(
    ("program", "item"), [("heyuan-2021", "4.2"), ("qinhuangdao-etdz-2021", "4")]
)
async def test_the_whole_chain(tmp_path, program, item):
    std = catalog().standard(catalog().programs[program].standard)
    chain = catalog().programs[program].review_chain
    async with Harness(tmp_path / "gc.db", program=program) as h:
        await _people(h)
        await _answer_all(h, len(std.questions))
        await h.submit(WORKER)
        aid = _aid(h)
        # submit hands over to the street (乡街/街道) only: notice with 查看 · 通过 · 退回
        notice = h.last_text(STREET)
        assert COMMUNITY in notice and "自评" in notice and chain[1] in notice
        _, _, buttons = h.card(STREET)
        assert [b[0] for b in buttons] == ["🔍 查看", "✅ 通过", "↩️ 退回"]
        assert not any(COMMUNITY in x for x in h.texts(OTHER_STREET)[1:])
        await h.send(OTHER_STREET, "/review")
        assert "没有待您审核" in h.last_text(OTHER_STREET)
        # a worker can never approve
        await h.press(WORKER, callbacks.encode("rv:y", aid), 1)
        assert "无权" in h.alerts()[-1] and _review(h) == (chain[1], "waiting")
        # street: /review lists it; open the card, comment on the item, send back with a reason
        await h.send(STREET, "/review")
        assert "已等待 0 天" in h.last_text(STREET)
        await h.tap(STREET, COMMUNITY)
        mid, _, _ = h.card(STREET)
        await h.press(STREET, callbacks.encode("rv:q", aid, item, "a"), mid)
        assert f"<b>{item}</b>" in h.card(STREET)[1]
        await h.tap(STREET, "意见")
        await _reply_to_prompt(h, STREET, "照片看不清")
        assert "已记录" in h.last_text(STREET)
        await h.tap(STREET, "退回")
        await _reply_to_prompt(h, STREET, "请补充材料")
        assert "重新开放 1 项" in h.last_text(STREET)
        back = h.last_text(WORKER)
        assert "请补充材料" in back and f"{item}：照片看不清" in back
        row = h.db.execute("SELECT status, submitted_at IS NOT NULL FROM assessments").fetchone()
        assert row == ("open", 1)
        assert [r[0] for r in h.db.execute("SELECT question_id FROM review_reopened")] == [item]
        # the worker may change only the reopened item; the card opens on it
        first = std.questions[0].id
        await h.press(WORKER, callbacks.encode("a", aid, first, "n"), 1)
        assert h.alerts()[-1] == t("zh", "not_reopened")
        await h.tap(WORKER, f"修改 {item}")
        _, text, buttons = h.card(WORKER)
        assert item in text
        assert "照片看不清" in text
        fix = next(b for b in buttons if b[0].startswith(("❌", "⚠", "部分", "🟡")) or "−" in b[0])
        await h.press(WORKER, fix[1], h.card(WORKER)[0])
        before = h.db.execute("SELECT question_id, status FROM answers ORDER BY 1").fetchall()
        await h.submit(WORKER)
        assert "已提交" in h.last_text(WORKER)
        again = h.last_text(STREET)
        assert "重新提交" in again and _review(h) == (chain[1], "waiting")
        # street approves: the next stage is told
        await h.tap(STREET, "通过")
        nxt = chain[2]
        assert _review(h) == (nxt, "waiting")
        teller = COUNTY if "县" in nxt else ADMIN_ID
        assert nxt in h.last_text(teller)
        if teller == COUNTY:
            assert not any(COMMUNITY in x for x in h.texts(OTHER_COUNTY)[1:])
            await h.send(OTHER_COUNTY, "/review")
            assert "没有待您审核" in h.last_text(OTHER_COUNTY)
        # the next reviewer changes one item's verified status and approves
        await h.tap(teller, "查看")
        mid, _, _ = h.card(teller)
        await h.press(teller, callbacks.encode("rv:q", aid, first, "a"), mid)
        worse = next(b for b in h.card(teller)[2] if b[0].startswith("❌") or "−" in b[0])
        await h.press(teller, worse[1], mid)
        assert "已核定 1/" in h.card(teller)[1]
        await h.tap(teller, "通过")
        while _review(h)[1] == "waiting":  # the remaining review stages (the city)
            assert h.card(ADMIN_ID)
            await h.tap(ADMIN_ID, "通过")
        assert _review(h)[1] == "recognised"
        await h.send(ADMIN_ID, "/review")
        assert "待记录公示" in h.last_text(ADMIN_ID)
        await h.tap(ADMIN_ID, "📢")  # the first publish step from the list's button
        assert h.db.execute("SELECT action FROM review_events ORDER BY id DESC").fetchone() == (
            "publish",
        )
        while _review(h)[1] == "recognised":
            await h.send(ADMIN_ID, f"/publish {COMMUNITY}")
        assert _review(h)[1] == "published"
        after = h.db.execute("SELECT question_id, status FROM answers ORDER BY 1").fetchall()
        assert after == before  # nothing the worker answered was lost
        d = h.app.bot_data.reviews.current(aid)
        assert d.merged.met < d.view.result.met or (d.merged.score or 0) < (
            d.view.result.score or 0
        )
        await h.send(ADMIN_ID, f"/history {COMMUNITY}")
        hist = h.last_text(ADMIN_ID)
        for word in ("提交", "意见", "退回", "通过", "核定", "公示/公布"):
            assert word in hist
        actions = [r[0] for r in h.db.execute("SELECT action FROM review_events ORDER BY id")]
        assert actions[:4] == ["submit", "comment", "send_back", "submit"]
        assert actions[-1] == "publish"
        # point 6: /community shows both figures and the item that differs; /status the stages
        await h.send(ADMIN_ID, f"/community {COMMUNITY}")
        shown = h.last_text(ADMIN_ID)
        assert "审核核定" in shown and f"• {first}：自评" in shown and "核定" in shown
        await h.send(ADMIN_ID, "/status")
        assert "审核进度" in h.last_text(ADMIN_ID) and "已认定 1" in h.last_text(ADMIN_ID)
        # point 5: the list for public notice
        await h.send(ADMIN_ID, "/export recognised")
        wb = load_workbook(io.BytesIO(h.api.last("sendDocument").files["document"]))
        listed = _table(wb["认定名单"], "序号")
        assert len(listed) == 1 and listed[0][1] == COMMUNITY and listed[0][6]
        points = d.view.result.mode == "points"
        shown = [f"{figure(r):g} 分" if points else f"符合 {figure(r):g}/{d.view.result.total} 项"
                 for r in (d.view.result, d.merged)]  # fmt: skip
        assert listed[0][4:6] == shown  # results as they read, never a bare count
        logged = [r[3] for r in _table(wb["审核记录"], "社区")]
        assert logged == [t("zh", f"fl_action_{a}") for a in actions]  # labels, never codes
        await h.send(ADMIN_ID, "/export answers")
        wb = load_workbook(io.BytesIO(h.api.last("sendDocument").files["document"]))
        rows = [list(r) for r in wb.worksheets[0].iter_rows(min_row=3, values_only=True)]
        verified = [r for r in rows if r[14]]  # 核定状态 · 核定得分 · 核定环节 beside each answer
        assert [(r[2], r[5], r[16]) for r in verified] == [(COMMUNITY, first, nxt)]
        assert verified[0][6] != verified[0][13]  # self-assessed vs verified status
        await h.send(ADMIN_ID, "/chart stages")
        assert h.api.last("sendPhoto").files["photo"][:4] == b"\x89PNG"
        # scopes: the other street and the other county cannot open the card
        for outsider in (OTHER_STREET, OTHER_COUNTY):
            await h.press(outsider, callbacks.encode("rv:o", aid), 1)
            assert "无权" in h.alerts()[-1]


def _table(ws: Any, first: str) -> list[list[Any]]:
    """The rows under a sheet's header row (the one whose first cell is `first`)."""
    rows = [list(r) for r in ws.iter_rows(values_only=True)]
    return rows[next(k for k, r in enumerate(rows) if r[0] == first) + 1 :]
