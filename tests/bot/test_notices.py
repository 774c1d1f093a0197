"""Notices through process_update: who is told of what, with the next useful button; a long
send-back still reaches the worker; an action's file attaches to the action whatever the check's
state; a revoked owner's actions are unassigned; notices that did not arrive are listed."""

from __future__ import annotations

import datetime as dt

from bot.catalog import catalog
from bot.domain.access import Principal
from bot.texts import t
from handlers import callbacks
from handlers.localapi import utf16_len
from tests.bot.reminder_support import FORBIDDEN, fail_for
from tests.bot.test_review_chain import (
    COMMUNITY,
    COUNTY,
    STREET,
    WORKER,
    _aid,
    _answer_all,
    _people,
    _reply_to_prompt,
)
from tests.harness import ADMIN_ID, Harness

ITEMS = len(catalog().standard(catalog().programs["heyuan-2021"].standard).questions)
NEW_WORKER = 3010
LONG = "照" * 499 + "尾"  # 500 characters; the last one only shows when nothing is cut


async def _submitted(h: Harness, failing: str | None = None) -> int:
    """The worker answers every item (`failing` not met) and submits; return the check."""
    await _people(h)
    await _answer_all(h, ITEMS)
    aid = _aid(h)
    if failing:
        worker = Principal(WORKER, communities=frozenset({1}))
        h.app.bot_data.checks.answer(worker, aid, failing, "not_met")
    await h.submit(WORKER)
    return aid


async def test_a_send_back_with_ten_long_comments_reaches_the_worker(tmp_path):
    std = catalog().standard(catalog().programs["heyuan-2021"].standard)
    items = [q.id for q in std.questions][:10]
    async with Harness(tmp_path / "gc.db") as h:
        aid = await _submitted(h)
        await h.send(STREET, "/review")
        await h.tap(STREET, COMMUNITY)
        mid, _, _ = h.card(STREET)
        for qid in items:
            await h.press(STREET, callbacks.encode("rv:q", aid, qid, "a"), mid)
            await h.tap(STREET, "意见")
            await _reply_to_prompt(h, STREET, LONG)
        await h.tap(STREET, "退回")
        await _reply_to_prompt(h, STREET, LONG)
        back = h.last_text(WORKER)
        assert back.startswith("↩️") and utf16_len(back) <= 4096
        assert "尾" not in back and f"/history {COMMUNITY}" in back  # cut, and where to read it
        assert all(f"{qid}：照" in back for qid in items[:5])
        assert [b[0] for b in h.card(WORKER)[2]] == [t("zh", "rv_btn_fix", id=items[0])]


async def test_the_worker_hears_of_every_approval_the_recognition_and_the_publication(tmp_path):
    steps = [
        (STREET, "✅ 通过", "已在「街道推荐」通过，转入「县（区）初审」"),
        (COUNTY, "✅ 通过", "已在「县（区）初审」通过，转入「市级认定」"),
        (ADMIN_ID, "✅ 通过", "已通过「市级认定」，被认定为绿色社区！下一步：「公示」"),
        (ADMIN_ID, "📢 记录公示", "的认定已进入「公示」"),
        (ADMIN_ID, "📢 记录公布", "的认定已「公布」"),
    ]
    async with Harness(tmp_path / "gc.db") as h:
        aid = await _submitted(h)
        cid = h.db.execute("SELECT community_id FROM assessments WHERE id = ?", [aid]).fetchone()[0]
        for reviewer, button, told in steps:
            before = len(h.texts(WORKER))
            if button == "📢 记录公布":  # after the 公示's one day
                h.clock.advance(dt.timedelta(days=1))
            await h.tap(reviewer, button)
            if button == "📢 记录公示":  # the seed prints no length: the city gives one day
                await _reply_to_prompt(h, reviewer, "1")
            assert len(h.texts(WORKER)) == before + 1  # one notice per step
            assert told in h.last_text(WORKER) and COMMUNITY in h.last_text(WORKER)
            assert h.card(WORKER)[2] == [(t("zh", "nt_btn_check"), callbacks.encode("c", cid))]
        await h.tap(WORKER, t("zh", "nt_btn_check"))  # the check as /check shows it
        assert "🏅 已认定" in h.card(WORKER)[1] and COMMUNITY in h.card(WORKER)[1]


async def test_an_action_on_a_submitted_check_closes_with_a_photo_and_is_confirmed(tmp_path):
    async with Harness(tmp_path / "gc.db") as h:
        await _submitted(h, failing="4.2")
        locked = h.db.execute("SELECT question_id, status FROM answers ORDER BY 1").fetchall()
        await h.send(COUNTY, f"/action {COMMUNITY} 4.2 2026-12-20 {WORKER} 管线杂乱")
        assert "#1" in h.last_text(COUNTY)
        assert "新的整改任务 #1" in h.last_text(WORKER) and "管线杂乱" in h.last_text(WORKER)
        await h.tap(WORKER, "#1 已整改")  # no file yet
        assert "📎" in h.alerts()[-1]
        await h.tap(WORKER, t("zh", "ax_btn_attach"))
        prompt = max(m for (c, m) in h.api.messages if c == WORKER)
        await h.send_file(WORKER, "photo", "fixed-42", reply_to=prompt)
        assert "已附上整改材料（#1）" in h.last_text(WORKER)
        await h.tap(WORKER, "#1 已整改")
        assert "已由责任人标记完成" in h.last_text(COUNTY)  # the opener is told, with 确认
        await h.tap(COUNTY, "#1 确认")
        assert "已确认完成" in h.last_text(WORKER)
        row = h.db.execute("SELECT status, evidence_id FROM actions").fetchone()
        attached = h.db.execute("SELECT id, action_id FROM evidence").fetchall()
        assert row[0] == "closed" and attached == [(row[1], 1)]
        assert h.db.execute("SELECT question_id, status FROM answers ORDER BY 1").fetchall() == (
            locked  # the check's answers stayed locked
        )


async def test_a_revoked_owner_loses_the_action_and_its_opener_is_told(tmp_path):
    async with Harness(tmp_path / "gc.db") as h:
        await _submitted(h, failing="4.2")
        await h.send(COUNTY, f"/action {COMMUNITY} 4.2 2026-12-20 {WORKER}")
        mid, close = h.button(WORKER, "#1 已整改")
        await h.send(ADMIN_ID, f"/revoke {WORKER}")
        await h.tap(ADMIN_ID, t("zh", "btn_revoke_confirm"))
        assert "/reassign 1" in h.last_text(COUNTY)
        assert h.db.execute("SELECT owner_id, status FROM actions").fetchone() == (None, "open")
        await h.press(WORKER, close, mid)  # the old button
        assert h.db.execute("SELECT status FROM actions").fetchone() == ("open",)
        assert h.alerts()[-1] == t("zh", "ax_err_no_permission")  # refused, politely
        await h.register(NEW_WORKER, "worker", COMMUNITY)
        await h.send(COUNTY, f"/reassign 1 {NEW_WORKER}")
        assert "整改任务 #1 已改派给您" in h.last_text(NEW_WORKER)
        assert [b[0] for b in h.card(NEW_WORKER)[2]] == [t("zh", "ax_btn_attach"),
                                                       t("zh", "ax_btn_close", id=1)]  # fmt: skip


async def test_an_undelivered_notice_is_listed_to_admins_and_resent(tmp_path):
    async with Harness(tmp_path / "gc.db") as h:
        await _people(h)
        h.api.fail = fail_for(STREET, 403, FORBIDDEN, times=99)  # the reviewer blocked the bot
        await _answer_all(h, ITEMS)
        await h.submit(WORKER)
        await h.send(ADMIN_ID, "/deadlines")
        listed = h.last_text(ADMIN_ID)
        assert "可能未送达" in listed or "已屏蔽" in listed
        assert "提交待审" in listed and COMMUNITY in listed
        h.api.fail = None
        await h.tap(ADMIN_ID, "重发 1")
        assert h.last_text(ADMIN_ID) == t("zh", "nt_resent") and COMMUNITY in h.last_text(STREET)
        await h.send(ADMIN_ID, "/deadlines")
        assert "提交待审" not in h.last_text(ADMIN_ID)


class Inbox:
    """What each person received since the last look (the local Bot API's sent messages)."""

    def __init__(self, h: Harness, people: tuple[int, ...]) -> None:
        self.h, self.seen = h, {uid: len(h.texts(uid)) for uid in people}

    def new(self) -> dict[int, list[str]]:
        out = {uid: self.h.texts(uid)[n:] for uid, n in self.seen.items()}
        self.seen = {uid: len(self.h.texts(uid)) for uid in self.seen}
        return {uid: texts for uid, texts in out.items() if texts}


async def test_heyuan_walk_each_persons_inbox_after_each_step(tmp_path):
    """Submit, a send-back of 2.1 and 4.2 fixed from the notice, the re-review on 2.1, each
    approval, the recognition and the publication: who hears what, after each step."""
    async with Harness(tmp_path / "gc.db") as h:
        await _people(h)
        await _answer_all(h, ITEMS)
        inbox = Inbox(h, (WORKER, STREET, COUNTY, ADMIN_ID))
        await h.submit(WORKER)
        got = inbox.new()
        assert set(got) == {WORKER, STREET} and "已提交自查" in got[STREET][-1]
        aid = _aid(h)
        await h.tap(STREET, "查看")
        for qid, body in (("2.1", "请补充签到表"), ("4.2", "请补充管线照片")):
            await h.press(STREET, callbacks.encode("rv:q", aid, qid, "a"), h.card(STREET)[0])
            await h.tap(STREET, "意见")
            await _reply_to_prompt(h, STREET, body)
        await h.tap(STREET, "退回")
        await _reply_to_prompt(h, STREET, "请按意见补充")
        got = inbox.new()
        notice = got[WORKER][-1]
        assert "请按意见补充" in notice and "2.1：请补充签到表" in notice
        assert set(got) == {WORKER, STREET}  # the street's own acknowledgements aside
        await h.tap(WORKER, "修改 2.1")  # the notice's button: 2.1, its comment, 需修改 1/2
        _, text, _ = h.card(WORKER)
        assert "<b>2.1</b>" in text and "请补充签到表" in text and "需修改 1/2" in text
        await h.tap(WORKER, "下一项")
        assert "<b>4.2</b>" in h.card(WORKER)[1]
        await h.tap(WORKER, "目录")
        await h.tap(WORKER, "一、")  # 1.1 was not sent back: navigation only
        labels = [b[0] for b in h.card(WORKER)[2]]
        assert not any(x.startswith(("✅ 符合", "❌ 不符合", "📎")) for x in labels)
        h.clock.advance(dt.timedelta(minutes=1))
        await h.press(WORKER, callbacks.encode("o", aid, "2.1"), h.card(WORKER)[0])
        await _reply_to_prompt(h, WORKER, "已补充签到表")
        inbox.new()
        await h.submit(WORKER)
        got = inbox.new()
        assert set(got) == {WORKER, STREET} and "重新提交" in got[STREET][-1]
        await h.tap(STREET, "查看")  # the re-review opens on the changed item
        assert "<b>2.1</b>" in h.card(STREET)[1] and "已修改，待核定" in h.card(STREET)[1]
        steps = [
            (STREET, "✅ 通过", {WORKER: "转入「县（区）初审」", COUNTY: "县（区）初审"}),
            (COUNTY, "✅ 通过", {WORKER: "转入「市级认定」", ADMIN_ID: "市级认定"}),
            (ADMIN_ID, "✅ 通过", {WORKER: "被认定为绿色社区"}),
            (ADMIN_ID, "📢 记录公示", {WORKER: "已进入「公示」"}),
            (ADMIN_ID, "📢 记录公布", {WORKER: "已「公布」"}),
        ]
        for reviewer, button, told in steps:
            inbox.new()
            if button == "📢 记录公布":  # the day after a 公示 of one day
                h.clock.advance(dt.timedelta(days=1))
            await h.tap(reviewer, button)
            if button == "📢 记录公示":  # the seed prints no length: the city gives one day
                await _reply_to_prompt(h, reviewer, "1")
            got = inbox.new()
            for uid, words in told.items():
                assert any(words in x for x in got.get(uid, [])), (button, uid, got)
            assert set(got) - {reviewer} == set(told), (button, got)
