"""A send-back of Heyuan items 2.1 and 4.2, fixed from the notice through process_update: the
card opens on the first reopened item with the reviewer's comment and 需修改 k/n, ▶ walks the
reopened items, every other item is read-only, and resubmitting names what changed."""

from __future__ import annotations

import datetime as dt

from bot.catalog import catalog
from bot.texts import t
from handlers import callbacks
from tests.bot.test_review_chain import COMMUNITY, STREET, WORKER, _answer_all, _people
from tests.harness import ZONE, Harness

N = len(catalog().standard(catalog().programs["heyuan-2021"].standard).questions)
COMMENTS = {"2.1": "2.1 照片看不清", "4.2": "4.2 缺少台账"}


def _day(h: Harness, day: int) -> str:
    """Stand at 10:00 on 2026-11-`day` (local); return that date as a card shows it."""
    h.clock.set(dt.datetime(2026, 11, day, 10, tzinfo=ZONE))
    return f"2026-11-{day:02d}"


def _aid(h: Harness) -> int:
    return int(h.db.execute("SELECT id FROM assessments").fetchone()[0])


async def _reply_to_prompt(h: Harness, uid: int, text: str) -> None:
    prompt = max(m for (c, m) in h.api.messages if c == uid)
    await h.send(uid, text, reply_to=prompt)


async def _sent_back(h: Harness, comments: dict[str, str]) -> None:
    """The worker submits on the 20th; on the 21st the street comments each item and sends
    the check back."""
    _day(h, 20)
    await _people(h)
    await _answer_all(h, N)
    await h.submit(WORKER)
    _day(h, 21)
    await h.send(STREET, "/review")
    await h.tap(STREET, COMMUNITY)
    for qid, body in comments.items():
        mid, _, _ = h.card(STREET)
        await h.press(STREET, callbacks.encode("rv:q", _aid(h), qid, "a"), mid)
        await h.tap(STREET, "意见")
        await _reply_to_prompt(h, STREET, body)
    await h.tap(STREET, "退回")
    await _reply_to_prompt(h, STREET, "请补充材料")


def _labels(h: Harness, uid: int) -> list[str]:
    return [label for label, _ in h.card(uid)[2]]


def _answerable(labels: list[str]) -> bool:
    return any(x.startswith(("✅ 符合", "❌ 不符合", "📎")) for x in labels)


async def test_a_sent_back_check_is_fixed_item_by_item_from_the_notice(tmp_path):
    async with Harness(tmp_path / "gc.db") as h:
        await _sent_back(h, COMMENTS)
        # the notice's button opens 2.1: the comment, 需修改 1/2, its answer buttons and 📎
        await h.tap(WORKER, "修改 2.1")
        _, text, _ = h.card(WORKER)
        assert "<b>2.1</b>" in text and "需修改 1/2" in text and COMMENTS["2.1"] in text
        assert "↩️ 已退回（「街道推荐」· 2026-11-21）：请补充材料" in text
        assert COMMENTS["4.2"] not in text and _answerable(_labels(h, WORKER))
        # ▶ goes to 4.2, the other reopened item
        await h.tap(WORKER, "下一项")
        _, text, _ = h.card(WORKER)
        assert "<b>4.2</b>" in text and "需修改 2/2" in text and COMMENTS["4.2"] in text
        await h.tap(WORKER, "下一项")  # and round again
        assert "<b>2.1</b>" in h.card(WORKER)[1]
        # the 目录 reaches every item, read-only: 1.1 has no answer buttons and no 📎
        await h.tap(WORKER, "目录")
        await h.tap(WORKER, "一、")
        _, text, _ = h.card(WORKER)
        assert "<b>1.1</b>" in text and "本项未退回" in text
        assert not _answerable(_labels(h, WORKER)) and "📋 目录" in _labels(h, WORKER)
        await h.tap(WORKER, "下一项")  # from a locked item ▶ reaches the next reopened one
        assert "<b>2.1</b>" in h.card(WORKER)[1]
        # /check opens on 2.1 too
        await h.send(WORKER, "/check")
        _, text, _ = h.card(WORKER)
        assert "<b>2.1</b>" in text and "需修改 1/2" in text
        assert "已处理 0 项，待处理：2.1、4.2" in text and "全部 " not in text
        await h.send(WORKER, "/status")
        assert "↩️ 已退回（「街道推荐」· 2026-11-21）：请补充材料" in h.last_text(WORKER)


async def test_resubmitting_names_what_changed_and_the_chain_s_outcome_reaches_the_worker(
    tmp_path,
):
    async with Harness(tmp_path / "gc.db") as h:
        await _sent_back(h, COMMENTS)
        _day(h, 22)
        await h.send(WORKER, "/check")
        card, _, _ = h.card(WORKER)
        await h.send_file(WORKER, "photo", "fix21", reply_to=card)  # a file on 2.1
        await h.tap(WORKER, "备注")
        await _reply_to_prompt(h, WORKER, "已补拍")
        await h.send(WORKER, "/check")
        assert "已处理 1 项，待处理：4.2" in h.card(WORKER)[1]
        await h.tap(WORKER, "重新提交")
        _, text, _ = h.card(WORKER)
        assert "退回时需修改 2 项，已修改 1 项" in text
        assert "2.1：备注、材料" in text and "未修改：4.2" in text
        assert "交回「街道推荐」" in text
        await h.tap(WORKER, "确认提交")
        assert "重新提交" in h.last_text(STREET)
        # the street and the county approve, the city recognises: each day the worker sees it
        await h.tap(STREET, "通过")
        await h.send(WORKER, "/check")
        _, text, _ = h.card(WORKER)
        assert "在「县（区）初审」审核中 · 自 2026-11-22" in text
        assert "核定结论：✅ 达标" in text and "自评：✅ 达标" in text
        for uid, day in ((3004, 23), (1, 24)):  # the county contact, then the admin
            _day(h, day)
            await h.tap(uid, "通过")
        for command in ("/check", "/status", "/community"):
            await h.send(WORKER, command)
            assert "🏅 已认定 2026-11-24" in h.last_text(WORKER), command
            assert "在「公示」审核中 · 自 2026-11-24" in h.last_text(WORKER), command
        _day(h, 25)
        await h.send(1, f"/publish {COMMUNITY} 1")  # 公示, of one day
        _day(h, 26)
        await h.send(1, f"/publish {COMMUNITY}")  # 公布
        await h.send(WORKER, "/check")
        assert "📢 公示 2026-11-25 · 公布 2026-11-26" in h.card(WORKER)[1]
        await h.send(WORKER, "/status")
        assert "📢 公示 2026-11-25 · 公布 2026-11-26" in h.last_text(WORKER)


async def test_a_resubmission_with_nothing_changed_warns(tmp_path):
    async with Harness(tmp_path / "gc.db") as h:
        await _sent_back(h, {"4.2": COMMENTS["4.2"]})
        _day(h, 22)
        await h.send(WORKER, "/check")  # 4.2: answered another way and back: no change
        assert "需修改 1/1" in h.card(WORKER)[1]
        await h.tap(WORKER, "❌ 不符合")
        await h.tap(WORKER, "✅ 符合")
        await h.send(WORKER, "/submit")
        text = h.last_text(WORKER)
        assert "未做修改" in text and "4.2" in text and "已修改" not in text


async def test_a_locked_item_refuses_an_old_file_button(tmp_path):
    async with Harness(tmp_path / "gc.db") as h:
        await _sent_back(h, {"4.2": COMMENTS["4.2"]})
        mid, _, _ = h.card(WORKER)
        await h.press(WORKER, callbacks.encode("e", _aid(h), "1.1"), mid)
        assert h.alerts()[-1] == t("zh", "not_reopened")
