"""Reminder delivery through the real Application: pacing, 403, 429, network errors, retries."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from bot.domain.schedule import MAX_ATTEMPTS, STALE_SENDING
from handlers.delivery import Pacer
from handlers.reminders import delivery_of
from tests.bot.reminder_support import (
    CONTACT,
    FORBIDDEN,
    OTHER_CONTACT,
    at,
    contact,
    fail_for,
    is_reminder,
    log_rows,
    network_down,
    quiet,
    reminder_bot,
    reminders_to,
    tick,
    too_many,
    worker,
)
from tests.harness import ADMIN_ID, Harness

bot = pytest.fixture(name="bot")(reminder_bot)
SENDS = "SELECT error FROM reminder_log WHERE status != 'no_contact'"


def test_pacer_keeps_any_second_under_the_rate_even_after_a_stall():
    """Ten sends are always booked ahead (like ten workers); the loop stalls now and then."""
    clock = {"now": 0.0}
    pacer = Pacer(29.1, clock=lambda: clock["now"])
    booked = [pacer.reserve(i) + clock["now"] for i in range(10)]
    times: list[float] = []
    for i in range(600):
        clock["now"] = max(clock["now"], booked.pop(0))
        if i % 97 == 50:
            clock["now"] += 0.4  # the event loop stalls: the booked sends pile up
        while (wait := pacer.admit()) > 0:
            clock["now"] += wait
        times.append(clock["now"])
        booked.append(pacer.reserve(1000 + i) + clock["now"])
    cap = pacer.cap
    assert cap == 29
    assert all(times[k + cap] - times[k] >= 1.0 for k in range(len(times) - cap))
    rate = (len(times) - 1) / (times[-1] - times[0])
    assert rate > 0.9 * 29.1  # and still close to the rate


async def test_blocked_contact_is_marked_unreachable_listed_to_admins_and_others_still_sent(bot):
    await contact(bot)
    await contact(bot, OTHER_CONTACT, "龙川县")
    bot.api.fail = fail_for(CONTACT, 403, FORBIDDEN, times=99)
    await tick(bot, at(dt.date(2021, 11, 8)))
    assert len(reminders_to(bot, OTHER_CONTACT)) == 2
    assert reminders_to(bot, CONTACT) == []
    assert bot.db.execute("SELECT reachable FROM users WHERE id = ?", [CONTACT]).fetchone()[0] == 0
    statuses = {
        r[0]
        for r in bot.db.execute("SELECT status FROM reminder_log WHERE recipient = ?", [CONTACT])
    }
    assert statuses == {"unreachable"}
    notice = bot.last_text(ADMIN_ID)
    assert "收不到提醒" in notice and "用户3001（源城区 联系人）" in notice
    await bot.send(ADMIN_ID, "/deadlines")
    assert "用户3001（源城区 联系人）" in bot.last_text(ADMIN_ID)
    # it is not retried for the same reminder; the next one is tried again and heals the flag
    bot.api.fail = None
    await tick(bot, at(dt.date(2021, 11, 8), 10))
    assert reminders_to(bot, CONTACT) == []
    await tick(bot, at(dt.date(2021, 11, 12)))
    assert len(reminders_to(bot, CONTACT)) == 2
    assert bot.db.execute("SELECT reachable FROM users WHERE id = ?", [CONTACT]).fetchone()[0] == 1


async def test_429_waits_retry_after_then_sends_once(tmp_path):
    async with Harness(tmp_path / "gc.db") as h:
        slept = quiet(h)
        await contact(h)
        await contact(h, OTHER_CONTACT, "龙川县")
        h.api.fail = fail_for(CONTACT, 429, too_many(7), times=1)
        await tick(h, at(dt.date(2021, 11, 8)))
        assert 7.0 in slept
        assert len(reminders_to(h, CONTACT)) == 2 and len(reminders_to(h, OTHER_CONTACT)) == 2
        assert log_rows(h) == log_rows(h, "sent")


async def test_network_errors_are_retried_with_backoff_and_a_dead_chat_does_not_stop_others(
    tmp_path,
):
    async with Harness(tmp_path / "gc.db") as h:
        slept = quiet(h)
        await contact(h)
        await contact(h, OTHER_CONTACT, "龙川县")
        await worker(h, 2002, "东岸社区")
        net = fail_for(CONTACT, 0, {}, times=2)  # two network errors, then fine
        dead = fail_for(OTHER_CONTACT, 0, {}, times=99)  # never reachable over the network

        def fail(call: Any) -> Any:
            return net(call) or dead(call)

        h.api.fail = fail
        await tick(h, at(dt.date(2021, 11, 8)))
        assert len(reminders_to(h, CONTACT)) == 2
        assert {1.0, 2.0} <= set(slept)  # backoff doubles
        failed = {
            r for r in h.db.execute("SELECT recipient FROM reminder_log WHERE status = 'failed'")
        }
        assert failed == {(OTHER_CONTACT,)}
        # the worker's self-check reminder (12-31, 14 days before) is unaffected
        await tick(h, at(dt.date(2021, 12, 17)))
        assert len(reminders_to(h, 2002)) == 1


async def test_a_failed_reminder_is_retried_by_a_later_tick(bot):
    await contact(bot)
    bot.api.fail, tries = network_down(CONTACT)
    await tick(bot, at(dt.date(2021, 11, 8)))  # the 09:00 run hits a network blip
    assert reminders_to(bot, CONTACT) == [] and tries["n"] == 2 * 4
    assert len(log_rows(bot, "failed")) == 2
    errors = {r[0] for r in bot.db.execute(SENDS)}
    assert errors == {"attempt 1: simulated network error"}
    bot.api.fail = None  # the network is back
    await tick(bot, at(dt.date(2021, 11, 8), 9, 35))
    assert len(reminders_to(bot, CONTACT)) == 2
    assert log_rows(bot) == log_rows(bot, "sent")
    await tick(bot, at(dt.date(2021, 11, 8), 9, 40))  # and once sent, never again
    assert len(reminders_to(bot, CONTACT)) == 2


async def test_retries_stop_after_the_cap_and_admins_are_told(bot):
    await contact(bot)
    bot.api.fail, tries = network_down(CONTACT)
    for k in range(MAX_ATTEMPTS + 2):
        await tick(bot, at(dt.date(2021, 11, 8)) + dt.timedelta(minutes=5 * k))
    assert tries["n"] == 2 * 4 * MAX_ATTEMPTS  # 2 deadlines × 4 tries × the cap of runs
    errors = {r[0] for r in bot.db.execute(SENDS)}
    assert errors == {f"attempt {MAX_ATTEMPTS}: simulated network error"}
    notice = bot.last_text(ADMIN_ID)  # told once the last attempt failed
    assert "发送失败" in notice and "用户3001（源城区 联系人）" in notice
    assert f"已试 {MAX_ATTEMPTS} 次" in notice
    await bot.send(ADMIN_ID, "/deadlines")  # and /deadlines lists them like unreachable ones
    listing = bot.last_text(ADMIN_ID)
    assert "发送失败" in listing and "用户3001（源城区 联系人）" in listing
    assert "simulated network error" in listing
    # the next reminder goes through and clears the listing
    bot.api.fail = None
    await tick(bot, at(dt.date(2021, 11, 12)))
    assert len(reminders_to(bot, CONTACT)) == 2
    await bot.send(ADMIN_ID, "/deadlines")
    assert "发送失败" not in bot.last_text(ADMIN_ID)


async def test_a_reminder_left_sending_by_a_crash_is_never_resent_but_listed_with_a_resend(bot):
    """A crash after Telegram accepted left the row 'sending'; ≥ 10 min later
    it was sent again. Now it becomes 'uncertain', admins are told, and one tap resends it."""
    await contact(bot)
    when = at(dt.date(2021, 11, 8))
    reminders = bot.app.bot_data.reminders
    for d in reminders.due(when):  # claimed, then the process died
        assert reminders.claim(d, when)
    await tick(bot, when)  # a recent claim may still be in flight: left alone
    assert len(log_rows(bot, "sending")) == 2
    for minutes in (35, 40, 45):  # at 09:45 the claims are older than STALE_SENDING
        await tick(bot, at(dt.date(2021, 11, 8), 9, minutes))
    assert reminders_to(bot, CONTACT) == []  # never repeated automatically
    assert len(log_rows(bot, "uncertain")) == 2
    notices = [
        c
        for c in bot.api.sent("sendMessage")
        if int(c.params["chat_id"]) == ADMIN_ID and "可能未送达" in c.params["text"]
    ]
    assert len(notices) == 1  # told once, when found
    assert "用户3001（源城区 联系人）" in notices[0].params["text"]
    mid, _, buttons = bot.card(ADMIN_ID)
    assert len(buttons) == 2 and all(data.startswith("rs:") for _, data in buttons)
    await bot.send(ADMIN_ID, "/deadlines")
    assert "可能未送达" in bot.last_text(ADMIN_ID)
    await bot.press(ADMIN_ID, buttons[0][1], mid)
    assert "已重发" in bot.last_text(ADMIN_ID)
    assert len(reminders_to(bot, CONTACT)) == 1
    await bot.press(ADMIN_ID, buttons[0][1], mid)  # a second tap never sends twice
    assert len(reminders_to(bot, CONTACT)) == 1
    assert "已处理过" in bot.alerts()[-1]
    await bot.press(CONTACT, buttons[1][1], mid)  # only admins may resend
    assert len(reminders_to(bot, CONTACT)) == 1
    await tick(bot, at(dt.date(2021, 11, 8), 9, 50))
    assert len(reminders_to(bot, CONTACT)) == 1
    assert len(log_rows(bot, "sent")) == 1 and len(log_rows(bot, "uncertain")) == 1


def _timed_out_after_delivery(h: Harness, chat_id: int) -> Any:
    """A `fail` hook: Telegram gets the message (it is delivered), but the answer times out."""
    import httpx
    from telegram.error import TimedOut

    def fail(call: Any) -> None:
        if call.method == "sendMessage" and int(call.params["chat_id"]) == chat_id:
            h.api.calls.append(call)
            h.api.answer(call)  # delivered
            raise TimedOut() from httpx.ReadTimeout("read timed out")
        return None

    return fail


async def test_a_timeout_after_the_request_left_is_uncertain_and_never_retried(bot):
    await contact(bot)
    bot.api.fail = _timed_out_after_delivery(bot, CONTACT)
    await tick(bot, at(dt.date(2021, 11, 8)))
    assert len(reminders_to(bot, CONTACT)) == 2  # Telegram did deliver them, once each
    assert len(log_rows(bot, "uncertain")) == 2
    bot.api.fail = None
    for minutes in (35, 40, 45):
        await tick(bot, at(dt.date(2021, 11, 8), 9, minutes))
    assert len(reminders_to(bot, CONTACT)) == 2  # and they are not sent again
    assert "可能未送达" in bot.last_text(ADMIN_ID)


async def test_a_connect_error_never_reached_telegram_and_is_retried(bot):
    import httpx
    from telegram.error import NetworkError

    await contact(bot)
    left = {"n": 1}

    def refuse(call: Any) -> None:
        if call.method == "sendMessage" and left["n"]:
            left["n"] -= 1
            raise NetworkError("httpx.ConnectError") from httpx.ConnectError("refused")
        return None

    bot.api.fail = refuse
    await tick(bot, at(dt.date(2021, 11, 8)))
    assert len(reminders_to(bot, CONTACT)) == 2 and log_rows(bot) == log_rows(bot, "sent")


async def test_a_long_429_during_remind_never_leads_to_a_second_send(bot):
    """/remind met a 429 asking to wait 15 minutes: the claim went stale meanwhile and a tick
    sent the same reminder again. Now a long 429 ends the attempt as failed at once (surely
    not delivered), and the next run sends it, once."""
    await contact(bot)
    bot.api.fail = fail_for(CONTACT, 429, too_many(900), times=2)
    bot.clock.set(at(dt.date(2021, 11, 8)))
    await bot.send(ADMIN_ID, "/remind")
    assert "失败 2" in bot.last_text(ADMIN_ID)
    assert len(log_rows(bot, "failed")) == 2
    await tick(bot, at(dt.date(2021, 11, 8), 9, 35))
    await tick(bot, at(dt.date(2021, 11, 8), 9, 50))
    assert len(reminders_to(bot, CONTACT)) == 2 and log_rows(bot) == log_rows(bot, "sent")


async def test_a_claim_swept_while_its_sender_waits_is_not_sent_by_it(tmp_path):
    """A sender waiting out a 429 finds its claim swept to 'uncertain': it does not send."""
    async with Harness(tmp_path / "gc.db") as h:
        quiet(h)
        await contact(h)
        reminders = h.app.bot_data.reminders
        h.api.fail = fail_for(CONTACT, 429, too_many(5), times=99)
        d = delivery_of(h.app)
        real_sleep = d.sleep

        async def sleep_then_sweep(seconds: float) -> None:
            h.clock.advance(STALE_SENDING + dt.timedelta(seconds=1))  # the claim grows stale
            reminders.sweep()
            await real_sleep(seconds)

        d.sleep = sleep_then_sweep
        await tick(h, at(dt.date(2021, 11, 8)))
        tries = [
            c
            for c in h.api.sent("sendMessage")
            if int(c.params["chat_id"]) == CONTACT and is_reminder(c.params["text"])
        ]
        assert len(tries) == 2  # one try each; the retry found the claim gone
        assert len(log_rows(h, "uncertain")) == 2


async def test_remind_reports_failures_and_says_they_will_be_retried(bot):
    await contact(bot)
    await contact(bot, OTHER_CONTACT, "龙川县")
    bot.api.fail, _ = network_down(OTHER_CONTACT)
    bot.clock.set(at(dt.date(2021, 11, 8)))
    await bot.send(ADMIN_ID, "/remind")
    report = bot.last_text(ADMIN_ID)
    assert "已发送 2 · 此前已发 0 · 无法送达 0 · 失败 2" in report
    assert "用户3002（龙川县 联系人）" in report and "simulated network error" in report
    assert f"最多 {MAX_ATTEMPTS} 次" in report
    bot.api.fail = None
    await bot.send(ADMIN_ID, "/remind")  # a second /remind retries the failed ones
    assert "应发 2 条 · 已发送 2" in bot.last_text(ADMIN_ID)
    assert len(reminders_to(bot, OTHER_CONTACT)) == 2


async def test_start_up_retries_5xx_and_network_errors_then_publishes_every_menu(
    tmp_path, monkeypatch
):
    """One 5xx from setMyCommands at start-up used to stop the bot."""
    from handlers import menus

    monkeypatch.setattr(menus, "BACKOFF_FIRST", 0.001)
    h = Harness(tmp_path / "gc.db")
    failures = iter([(502, {"ok": False, "error_code": 502, "description": "Bad Gateway"}),
                     (0, {}), (500, {"ok": False, "error_code": 500, "description": "Internal"})])  # fmt: skip

    def fail(call: Any) -> tuple[int, dict[str, Any]] | None:
        return next(failures, None) if call.method == "setMyCommands" else None

    h.api.fail = fail
    async with h:
        published = [c for c in h.api.sent("setMyCommands")]
    scopes = {(str(c.params.get("scope")), c.params.get("language_code")) for c in published}
    assert len(scopes) == 6  # worker, private and group menus, in both languages
    assert next(failures, None) is None  # every failure was met, and retried


async def test_a_rejected_token_at_start_up_is_not_retried(tmp_path, monkeypatch):
    from telegram.error import InvalidToken

    from handlers import menus

    monkeypatch.setattr(menus, "BACKOFF_FIRST", 0.001)
    h = Harness(tmp_path / "gc.db")
    h.api.fail = lambda call: (401, {"ok": False, "error_code": 401, "description": "Unauthorized"})
    with pytest.raises(InvalidToken):
        async with h:
            pass
    assert len(h.api.calls) == 1  # getMe, once


async def test_admins_are_told_once_of_reminders_due_for_counties_without_a_contact(bot):
    """A reminder due for a county with no contact vanished silently."""
    await contact(bot)  # 源城区 only: the six other counties have no one to remind
    await tick(bot, at(dt.date(2021, 11, 8)))
    notices = [x for x in bot.texts(ADMIN_ID) if "没有人接收" in x]
    assert len(notices) == 1
    assert "龙川县" in notices[0] and "源城区" not in notices[0] and "/invite" in notices[0]
    await tick(bot, at(dt.date(2021, 11, 8), 9, 35))  # the same slot: not told again
    assert len([x for x in bot.texts(ADMIN_ID) if "没有人接收" in x]) == 1
    bot.clock.set(at(dt.date(2021, 11, 8), 10))
    await bot.send(ADMIN_ID, "/remind")  # /remind says it too
    assert "没有人接收" in bot.last_text(ADMIN_ID) and "龙川县" in bot.last_text(ADMIN_ID)
    await bot.send(ADMIN_ID, "/lang en")
    await tick(bot, at(dt.date(2021, 11, 12)))  # the next slot, in the admin's language
    assert "reach no one" in bot.last_text(ADMIN_ID) or any(
        "reach no one" in x for x in bot.texts(ADMIN_ID)[-3:]
    )


async def test_the_staff_menu_job_waits_out_a_5xx_instead_of_skipping_the_admin(bot, monkeypatch):
    from types import SimpleNamespace

    from handlers import menus

    monkeypatch.setattr(menus, "BACKOFF_FIRST", 0.001)
    bad = iter([(502, {"ok": False, "error_code": 502, "description": "Bad Gateway"})] * 2)

    def fail(call: Any) -> tuple[int, dict[str, Any]] | None:
        scoped = call.method == "setMyCommands" and "chat_id" in str(call.params.get("scope"))
        return next(bad, None) if scoped else None

    bot.api.fail = fail
    before = len(bot.api.sent("setMyCommands"))
    job = SimpleNamespace(data=[ADMIN_ID])
    await menus.publish_staff_menus(
        SimpleNamespace(job=job, bot=bot.app.bot, bot_data=bot.app.bot_data)
    )
    published = bot.api.sent("setMyCommands")[before:]
    assert next(bad, None) is None  # both 502s were met and waited out
    langs = [c.params.get("language_code") for c in published]
    assert len(published) == 4 and langs[-2:] == [None, "en"]  # then the menu, both languages


async def test_a_send_held_up_for_long_keeps_its_claim_so_no_sweep_takes_it(tmp_path, monkeypatch):
    """A send held up (PTB's rate limiter waits out a long 429 inside the request) renews its
    claim: a run 20 minutes later does not sweep it to 'uncertain', and it is sent once."""
    import asyncio

    from handlers import reminders as handlers_reminders

    monkeypatch.setattr(handlers_reminders, "HEARTBEAT", 0.005)
    async with Harness(tmp_path / "gc.db") as h:
        quiet(h)
        await contact(h)
        reminders = h.app.bot_data.reminders
        h.api.fail = fail_for(CONTACT, 429, too_many(5), times=2)
        d = delivery_of(h.app)
        swept: list[int] = []

        async def held_up(seconds: float) -> None:
            h.clock.set(at(dt.date(2021, 11, 8), 9, 50))  # 20 minutes pass
            await asyncio.sleep(0.05)  # the heartbeat renews the claims meanwhile
            h.clock.set(at(dt.date(2021, 11, 8), 9, 55))  # a run 25 minutes after the claims
            swept.append(reminders.sweep())

        d.sleep = held_up
        await tick(h, at(dt.date(2021, 11, 8)))
        assert swept and set(swept) == {0}
        assert len(reminders_to(h, CONTACT)) == 2 and log_rows(h) == log_rows(h, "sent")
