"""Out-of-order taps and the lock stall, through Application.process_update."""

from __future__ import annotations

import asyncio
import sqlite3

import pytest

from handlers import common
from tests.harness import ADMIN_ID, Harness

WORKER = 2001
OTHER = 2002
BUSY_ZH = "系统正忙"


@pytest.fixture
async def bot(tmp_path):
    async with Harness(tmp_path / "gc.db") as h:
        await h.register(WORKER, "worker", "江滨社区")
        await h.send(WORKER, "/check")
        yield h


def _tap(h: Harness, uid: int, data: str, mid: int, update_id: int, qid: str) -> dict:
    message = h.api.messages[(WORKER, mid)]
    query = {"id": qid, "from": {"id": uid, "is_bot": False, "first_name": "u"},
             "chat_instance": "ci", "data": data, "message": message}  # fmt: skip
    return {"update_id": update_id, "callback_query": query}


def _answers(h: Harness) -> list[tuple[str, str]]:
    return h.db.execute("SELECT question_id, status FROM answers ORDER BY question_id").fetchall()


async def test_out_of_order_update_ids_from_two_users_are_both_applied(bot):
    """Admin taps 1.2 as update 900101, then the worker's 1.1 arrives as 900100."""
    mid, met = bot.button(WORKER, "✅ 符合")  # the card shows 1.1
    aid = met.split(":")[1]
    before = len(bot.alerts())
    await bot.feed(_tap(bot, ADMIN_ID, f"a:{aid}:1.2:y", mid, 900101, "q-admin"))
    await bot.feed(_tap(bot, WORKER, f"a:{aid}:1.1:n", mid, 900100, "q-worker"))
    assert _answers(bot) == [("1.1", "not_met"), ("1.2", "met")]
    assert bot.alerts()[before:] == ["已保存", "已保存"]  # both callbacks answered


def _hold_lock(h: Harness) -> sqlite3.Connection:
    """Another process's write transaction (e.g. `greencheck roster import`)."""
    other = sqlite3.connect(str(h.db_path), isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    return other


async def test_a_lock_held_elsewhere_does_not_block_other_chats_and_the_tap_gets_busy(
    bot, monkeypatch
):
    monkeypatch.setattr(common, "BUSY_DEADLINE", 0.8)
    mid, met = bot.button(WORKER, "✅ 符合")
    other = _hold_lock(bot)
    try:
        tap = asyncio.create_task(bot.feed(_tap(bot, WORKER, met, mid, 910000, "q-busy")))
        await asyncio.sleep(0.1)
        await bot.send(OTHER, "/help")  # another chat, meanwhile
        assert bot.texts(OTHER), "the event loop was blocked"
        assert not tap.done()  # the tap is still retrying, without blocking the loop
        await asyncio.wait_for(tap, 5)
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert BUSY_ZH in bot.alerts()[-1]
    assert _answers(bot) == []  # nothing half-written
    assert bot.db.execute("SELECT count(*) FROM answer_history").fetchone()[0] == 0
    claimed = "SELECT count(*) FROM processed_updates WHERE update_id = 910000"
    assert bot.db.execute(claimed).fetchone()[0] == 0
    await bot.feed(_tap(bot, WORKER, met, mid, 910000, "q-again"))  # not claimed: it applies
    assert _answers(bot) == [("1.1", "met")]


async def test_a_tap_waiting_for_a_lock_released_in_time_succeeds(bot, monkeypatch):
    monkeypatch.setattr(common, "BUSY_DEADLINE", 3.0)
    mid, met = bot.button(WORKER, "✅ 符合")
    other = _hold_lock(bot)
    asyncio.get_running_loop().call_later(0.3, other.execute, "ROLLBACK")
    try:
        await asyncio.wait_for(bot.feed(_tap(bot, WORKER, met, mid, 920000, "q-wait")), 5)
    finally:
        other.close()
    assert bot.alerts()[-1] == "已保存"
    assert _answers(bot) == [("1.1", "met")]


WRITES = [
    ("/lang en", "SELECT count(*) FROM users WHERE lang = 'en'"),
    ("/deadline add 2027-06-30 材料报送", "SELECT count(*) FROM custom_deadlines"),
    ("/invite worker 江滨社区", "SELECT count(*) FROM invites"),
]


@pytest.mark.parametrize(("command", "count"), WRITES)
async def test_a_write_waiting_for_a_lock_released_in_time_lands(bot, monkeypatch, command, count):
    """Every write waits out a lock held elsewhere, not only the check's."""
    monkeypatch.setattr(common, "BUSY_DEADLINE", 3.0)
    before = bot.db.execute(count).fetchone()[0]
    other = _hold_lock(bot)
    asyncio.get_running_loop().call_later(0.3, other.execute, "ROLLBACK")
    try:
        await asyncio.wait_for(bot.send(ADMIN_ID, command), 5)
    finally:
        other.close()
    assert bot.db.execute(count).fetchone()[0] == before + 1
    assert "忙" not in bot.last_text(ADMIN_ID) and "Busy" not in bot.last_text(ADMIN_ID)


async def test_a_command_waiting_for_the_lock_gets_busy_in_english(bot, monkeypatch):
    monkeypatch.setattr(common, "BUSY_DEADLINE", 0.3)
    await bot.send(ADMIN_ID, "/lang en")
    other = _hold_lock(bot)
    try:  # /submit only reads now (it asks to confirm); /reopen writes
        await bot.send(ADMIN_ID, "/reopen 江滨社区")
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert "Busy" in bot.last_text(ADMIN_ID) and "nothing was saved" in bot.last_text(ADMIN_ID)


CJK = __import__("re").compile(r"[\u4e00-\u9fff]")


async def test_in_english_the_card_its_buttons_and_the_gap_list_are_english(bot):
    await bot.send(WORKER, "/lang en")
    await bot.send(WORKER, "/check")
    _, text, buttons = bot.card(WORKER)
    assert "self-check" in text and "Answered 0/42" in text
    assert not [label for label, _ in buttons if CJK.search(label)]
    await bot.tap(WORKER, "Index")
    _, _, toc = bot.card(WORKER)
    assert any(label.startswith("1. ") for label, _ in toc)  # areas numbered 1. 2. …
    await bot.send(WORKER, "/gaps")
    gaps = bot.last_text(WORKER)
    assert "⬜open" in gaps and "42 items still open; once everything is answered, /submit." in gaps
    await bot.send(WORKER, "/submit")
    assert not CJK.search(bot.last_text(WORKER).split(":")[0])
    await bot.send(ADMIN_ID, "/lang en")
    await bot.send(ADMIN_ID, "/reopen")
    assert bot.last_text(ADMIN_ID) == "Usage: /reopen &lt;community&gt;"  # valid HTML
