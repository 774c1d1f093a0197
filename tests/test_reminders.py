"""Deadlines and reminders, through the real Application, JobQueue job and Bot API boundary.

The clock is `Services.clock`, replaced per tick; the job callback is run directly
(`Job.run`), and the Delivery's `sleep` is replaced so nothing really waits.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from bot import reminders as rem
from bot.cli.main import main
from bot.cli.remind import send_on
from bot.config import Settings
from bot.domain.programs import Program, ReminderPolicy
from bot.domain.standards import catalog
from bot.services.roster import load_sample
from bot.store.db import connect
from handlers.localapi import LocalBotAPI
from handlers.reminders import JOB_NAME, START_JOB_NAME, TICK_SECONDS, Delivery, delivery_of
from tests.harness import ADMIN_ID, Harness, group

TZ = ZoneInfo("Asia/Shanghai")
CONTACT = 3001  # contact of 源城区
OTHER_CONTACT = 3002  # contact of 龙川县
WORKER = 2001  # worker of 江滨社区 (源城区)
GROUP = group()  # bound to 龙川县 in the tests that bind it
PROGRAMS = [
    "heyuan-2021",
    "chuxiong-2021",
    "qingyang-2022",
    "qinhuangdao-etdz-2021",
    "national-2020",
]
YEAR_START = {
    "heyuan-2021": dt.date(2021, 7, 1),
    "chuxiong-2021": dt.date(2021, 3, 1),
    "qingyang-2022": dt.date(2021, 12, 1),
    "qinhuangdao-etdz-2021": dt.date(2021, 3, 1),
    "national-2020": dt.date(2020, 8, 1),
}
ANNUAL_REPORT = dt.date(2021, 11, 15)  # heyuan: progress-table and annual-report are both due


def at(day: dt.date, hour: int = 9, minute: int = 30) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=TZ)


def quiet(h: Harness) -> list[float]:
    """Pause the scheduled runs and make the Delivery's time virtual; return the sleeps.

    Sleeping advances the pacer's clock instead of waiting, so pacing and backoff are exercised
    without any real delay.
    """
    assert h.app.job_queue is not None
    for job in h.app.job_queue.jobs():
        job.enabled = False
    slept: list[float] = []
    clock = {"now": 1000.0}

    async def fake_sleep(seconds: float) -> None:
        slept.append(seconds)
        clock["now"] += seconds
        await asyncio.sleep(0)  # still yield, so overlapping ticks interleave

    d = delivery_of(h.app)
    d.sleep = fake_sleep
    d.clock = lambda: clock["now"]
    return slept


async def tick(h: Harness, when: dt.datetime) -> None:
    """Set the clock and run the reminder job's callback, as the JobQueue would."""
    h.app.bot_data.clock = lambda: when
    assert h.app.job_queue is not None
    await h.app.job_queue.get_jobs_by_name(JOB_NAME)[0].run(h.app)


def log_rows(h: Harness, status: str | None = None) -> set[tuple[str, str, int, int]]:
    """(deadline, occurrence, lead, recipient) of the reminder log."""
    sql = "SELECT deadline_id, occurrence, lead, recipient FROM reminder_log"
    params: list[Any] = []
    if status:
        sql += " WHERE status = ?"
        params.append(status)
    return {tuple(r) for r in h.db.execute(sql, params).fetchall()}  # type: ignore[misc]


def is_reminder(text: str) -> bool:
    return text.startswith(("<b>⏰", "<b>⚠️"))


def reminders_to(h: Harness, chat_id: int) -> list[str]:
    """Reminder texts delivered to a chat, oldest first (failed calls excluded)."""
    return [
        m["text"]
        for (cid, _), m in sorted(h.api.messages.items())
        if cid == chat_id and is_reminder(m.get("text", ""))
    ]


async def contact(h: Harness, uid: int = CONTACT, county: str = "源城区") -> None:
    await h.register(uid, "contact", county)
    assert "注册成功" in h.last_text(uid)


async def worker(h: Harness, uid: int = WORKER, community: str = "江滨社区") -> None:
    await h.register(uid, "worker", community)
    assert "注册成功" in h.last_text(uid)


@pytest.fixture
async def bot(tmp_path: Path) -> Any:
    async with Harness(tmp_path / "gc.db") as h:
        quiet(h)
        yield h


# -- the schedule, independently of the implementation ---------------------------------------------


def expected(program: Program, start: dt.date, end: dt.date) -> set[tuple[str, str, int, str]]:
    """(deadline, occurrence, lead, audience) a daily 09:30 tick from start to end must send.

    Reminders go out `lead` days before each occurrence for each lead day of the policy, then
    every `overdue_every` days, `overdue_max` times; a reminder whose day is before the first
    tick is still sent then if the next one is not yet due (the catch-up).
    """
    out = set()
    for d in program.deadlines:
        pol = d.policy or program.reminder_policy
        offsets = set(pol.lead_days) | {
            -pol.overdue_every * k for k in range(1, pol.overdue_max + 1)
        }
        for occ in d.occurrences(start - dt.timedelta(days=400), end + dt.timedelta(days=400)):
            days = sorted((occ - dt.timedelta(days=lead), lead) for lead in offsets)
            for i, (day, lead) in enumerate(days):
                if start <= day <= end:
                    out.add((d.id, occ.isoformat(), lead, d.audience))
                elif day < start:
                    nxt = (
                        days[i + 1][0]
                        if i + 1 < len(days)
                        else day + dt.timedelta(days=pol.overdue_every)
                    )
                    if nxt > start:
                        out.add((d.id, occ.isoformat(), lead, d.audience))
    return out


def test_default_policy_reminds_14_7_3_1_0_days_before_then_three_days_overdue() -> None:
    pol = ReminderPolicy()
    assert rem.leads(pol) == [14, 7, 3, 1, 0, -1, -2, -3]
    s = rem.slots(dt.date(2021, 11, 15), pol, TZ)
    assert [x.at for x in s][:2] == [at(dt.date(2021, 11, 1), 9, 0), at(dt.date(2021, 11, 8), 9, 0)]
    assert s[-1].until == at(dt.date(2021, 11, 19), 9, 0)


@pytest.mark.parametrize("program_id", PROGRAMS)
async def test_lead_days_and_overdue_repeats_over_a_simulated_year(tmp_path, program_id):
    program = catalog().programs[program_id]
    start = YEAR_START[program_id]
    end = start + dt.timedelta(days=364)
    async with Harness(tmp_path / "gc.db", program=program_id) as h:
        quiet(h)
        await contact(h)
        await worker(h)
        await h.send(ADMIN_ID, "/bind 龙川县", chat=GROUP)
        day = start
        while day <= end:
            await tick(h, at(day))
            day += dt.timedelta(days=1)
        sent = log_rows(h, "sent")
        assert log_rows(h) == sent  # nothing failed, nothing left half-sent
        want = expected(program, start, end)
        recipients = {"contact": [CONTACT, GROUP["id"]], "worker": [WORKER]}
        assert sent == {(d, o, lead, r) for d, o, lead, aud in want for r in recipients[aud]}
        assert want, "the simulated year must contain reminders"
        assert any(lead < 0 for _, _, lead, _ in want), "and overdue repeats"
        # one message per logged reminder, to each recipient
        for r in (CONTACT, GROUP["id"], WORKER):
            n = sum(1 for *_, rr in sent if rr == r)
            assert len(reminders_to(h, r)) == n


def _override(program: Program, did: str, policy: ReminderPolicy) -> Program:
    deadlines = [
        d.model_copy(update={"policy": policy}) if d.id == did else d for d in program.deadlines
    ]
    return program.model_copy(update={"deadlines": deadlines})


def test_a_deadline_can_override_leads_repeats_and_hour(fresh_db):
    load_sample(fresh_db)
    fresh_db.execute("INSERT INTO users (id, name, reachable) VALUES (?, 'c', 1)", [CONTACT])
    fresh_db.execute(
        "INSERT INTO roles (user_id, role, county_id) VALUES (?, 'contact', 1)", [CONTACT]
    )
    base = catalog().programs["heyuan-2021"]
    pol = ReminderPolicy(lead_days=[2], overdue_every=2, overdue_max=2, hour=15)
    program = _override(base, "contact-list", pol)
    occ = dt.date(2021, 8, 10)

    def leads_at(when: dt.datetime) -> list[int]:
        return [d.lead for d in rem.due(fresh_db, program, when) if d.deadline == "contact-list"]

    assert leads_at(at(occ - dt.timedelta(days=7))) == []  # the default 7-day lead is gone
    assert leads_at(at(occ - dt.timedelta(days=2), 14, 59)) == []  # not before 15:00
    assert leads_at(at(occ - dt.timedelta(days=2), 15, 0)) == [2]
    assert leads_at(at(occ, 15, 0)) == [2]  # no lead 0: the 2-day one is still the latest
    assert leads_at(at(occ + dt.timedelta(days=1), 16)) == [2]
    assert leads_at(at(occ + dt.timedelta(days=2), 15)) == [-2]
    assert leads_at(at(occ + dt.timedelta(days=4), 15)) == [-4]
    assert leads_at(at(occ + dt.timedelta(days=6), 15)) == []  # at most 2 overdue repeats
    # other deadlines keep the program's policy
    others = rem.due(fresh_db, program, at(dt.date(2021, 11, 8)))
    assert {(d.deadline, d.lead) for d in others} == {("progress-table", 7), ("annual-report", 7)}


def test_a_policy_without_reminders_sends_nothing(fresh_db):
    load_sample(fresh_db)
    base = catalog().programs["heyuan-2021"]
    silent = base.model_copy(
        update={"reminder_policy": ReminderPolicy(lead_days=[], overdue_max=0)}
    )
    assert rem.due(fresh_db, silent, at(dt.date(2021, 11, 15))) == []


def test_pacer_keeps_any_second_under_the_rate_even_after_a_stall():
    """Ten sends are always booked ahead (like ten workers); the loop stalls now and then."""
    clock = {"now": 0.0}
    pacer = rem.Pacer(29.1, clock=lambda: clock["now"])
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


# -- delivery that survives restarts --------------------------------------------------------------


async def test_a_restart_does_not_send_again(tmp_path):
    path = tmp_path / "gc.db"
    async with Harness(path) as h:
        quiet(h)
        await contact(h)
        await tick(h, at(dt.date(2021, 11, 1)))  # 14 days before 11-15
        assert len(reminders_to(h, CONTACT)) == 2
    async with Harness(path) as h2:  # a new process on the same database
        quiet(h2)
        await tick(h2, at(dt.date(2021, 11, 1), 9, 35))
        await tick(h2, at(dt.date(2021, 11, 2)))
        assert reminders_to(h2, CONTACT) == []
        await tick(h2, at(dt.date(2021, 11, 8)))
        assert len(reminders_to(h2, CONTACT)) == 2
        assert {lead for d, o, lead, r in log_rows(h2)} == {14, 7}


async def test_overlapping_ticks_send_each_reminder_once(bot):
    await contact(bot)
    await contact(bot, OTHER_CONTACT, "龙川县")
    await bot.send(ADMIN_ID, "/bind 龙川县", chat=GROUP)
    when = at(dt.date(2021, 11, 8))
    bot.app.bot_data.clock = lambda: when
    job = bot.app.job_queue.get_jobs_by_name(JOB_NAME)[0]
    start_job = bot.app.job_queue.get_jobs_by_name(START_JOB_NAME)[0]
    await asyncio.gather(job.run(bot.app), job.run(bot.app), start_job.run(bot.app))
    await bot.send(ADMIN_ID, "/remind")  # and /remind on top: nothing left to send
    assert "此前已发" in bot.last_text(ADMIN_ID) or "没有需要发送" in bot.last_text(ADMIN_ID)
    sends = [c for c in bot.api.sent("sendMessage") if is_reminder(c.params["text"])]
    assert len(sends) == 6  # 2 deadlines x (2 contacts + 1 group)
    assert len(log_rows(bot, "sent")) == 6


async def test_catch_up_after_downtime_sends_only_the_latest_missed_reminder(bot):
    await contact(bot)
    await tick(bot, at(dt.date(2021, 11, 1)))  # lead 14
    # down from 11-01 until 11-13 10:00: the 7- and 3-day reminders were missed
    await tick(bot, at(dt.date(2021, 11, 13), 10, 0))
    await tick(bot, at(dt.date(2021, 11, 13), 10, 5))  # the next tick: nothing more
    leads = sorted(lead for d, o, lead, r in log_rows(bot) if d == "annual-report")
    assert leads == [3, 14]
    assert len(reminders_to(bot, CONTACT)) == 4  # 2 deadlines x (14, 3)
    assert "还有 2 天" in reminders_to(bot, CONTACT)[-1]  # the real days left, not the slot's
    # down past the end of the overdue repeats: nothing is sent late
    await tick(bot, at(dt.date(2021, 11, 25)))
    assert len(reminders_to(bot, CONTACT)) == 4


# -- 403, 429, network errors -----------------------------------------------------------------------


def fail_for(chat_id: int, status: int, body: dict[str, Any], times: int) -> Any:
    left = {"n": times}

    def fail(call: Any) -> tuple[int, dict[str, Any]] | None:
        if call.method == "sendMessage" and int(call.params["chat_id"]) == chat_id and left["n"]:
            left["n"] -= 1
            return status, body
        return None

    return fail


FORBIDDEN = {
    "ok": False,
    "error_code": 403,
    "description": "Forbidden: bot was blocked by the user",
}


def too_many(seconds: int) -> dict[str, Any]:
    return {
        "ok": False,
        "error_code": 429,
        "description": f"Too Many Requests: retry after {seconds}",
        "parameters": {"retry_after": seconds},
    }


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


def network_down(chat_id: int) -> tuple[Any, dict[str, int]]:
    """A `fail` hook: every sendMessage to `chat_id` is a network error; counts the tries."""
    tries = {"n": 0}

    def fail(call: Any) -> tuple[int, dict[str, Any]] | None:
        if call.method == "sendMessage" and int(call.params["chat_id"]) == chat_id:
            tries["n"] += 1
            return 0, {}
        return None

    return fail, tries


async def test_a_failed_reminder_is_retried_by_a_later_tick(bot):
    await contact(bot)
    bot.api.fail, tries = network_down(CONTACT)
    await tick(bot, at(dt.date(2021, 11, 8)))  # the 09:00 run hits a network blip
    assert reminders_to(bot, CONTACT) == [] and tries["n"] == 2 * 4
    assert len(log_rows(bot, "failed")) == 2
    errors = {r[0] for r in bot.db.execute("SELECT error FROM reminder_log")}
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
    for k in range(rem.MAX_ATTEMPTS + 2):
        await tick(bot, at(dt.date(2021, 11, 8)) + dt.timedelta(minutes=5 * k))
    assert tries["n"] == 2 * 4 * rem.MAX_ATTEMPTS  # 2 deadlines × 4 tries × the cap of runs
    errors = {r[0] for r in bot.db.execute("SELECT error FROM reminder_log")}
    assert errors == {f"attempt {rem.MAX_ATTEMPTS}: simulated network error"}
    notice = bot.last_text(ADMIN_ID)  # told once the last attempt failed
    assert "发送失败" in notice and "用户3001（源城区 联系人）" in notice
    assert f"已试 {rem.MAX_ATTEMPTS} 次" in notice
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


async def test_a_reminder_left_sending_by_a_crash_is_sent_once_it_is_stale(bot):
    await contact(bot)
    when = at(dt.date(2021, 11, 8))
    program = bot.app.bot_data.program
    for d in rem.due(bot.db, program, when):  # claimed, then the process died
        assert rem.claim(bot.db, program.id, d)
    await tick(bot, when)  # a recent claim may still be in flight: left alone
    assert reminders_to(bot, CONTACT) == []
    assert len(log_rows(bot, "sending")) == 2
    bot.db.execute("UPDATE reminder_log SET at = '2000-01-01T00:00:00.000000Z'")
    await tick(bot, at(dt.date(2021, 11, 8), 9, 35))
    assert len(reminders_to(bot, CONTACT)) == 2
    assert log_rows(bot) == log_rows(bot, "sent")


async def test_remind_reports_failures_and_says_they_will_be_retried(bot):
    await contact(bot)
    await contact(bot, OTHER_CONTACT, "龙川县")
    bot.api.fail, _ = network_down(OTHER_CONTACT)
    bot.app.bot_data.clock = lambda: at(dt.date(2021, 11, 8))
    await bot.send(ADMIN_ID, "/remind")
    report = bot.last_text(ADMIN_ID)
    assert "已发送 2 · 此前已发 0 · 无法送达 0 · 失败 2" in report
    assert "用户3002（龙川县 联系人）" in report and "simulated network error" in report
    assert f"最多 {rem.MAX_ATTEMPTS} 次" in report
    bot.api.fail = None
    await bot.send(ADMIN_ID, "/remind")  # a second /remind retries the failed ones
    assert "应发 2 条 · 已发送 2" in bot.last_text(ADMIN_ID)
    assert len(reminders_to(bot, OTHER_CONTACT)) == 2


# -- confirmation -------------------------------------------------------------------------------------


async def test_confirm_button_stops_reminders_for_that_county_and_tells_admins(bot):
    await contact(bot)
    await contact(bot, OTHER_CONTACT, "龙川县")
    await worker(bot)
    await bot.send(ADMIN_ID, "/bind 源城区", chat=GROUP)
    await tick(bot, at(dt.date(2021, 11, 1)))
    # the newest reminder card in the contact's chat
    mid, text, buttons = bot.card(CONTACT)
    did = "progress-table" if "进度表" in text else "annual-report"
    data = dict((lab, d) for lab, d in buttons)["✅ 已报送"]
    assert re.fullmatch(rf"r:{did}:20211115:\d+", data) and len(data.encode()) <= 64
    # a worker of the county may not confirm for it
    await bot.press(WORKER, data, mid, chat={"id": CONTACT, "type": "private"})
    assert "只有 源城区 的县区联系人或管理员" in bot.alerts()[-1]
    await bot.press(CONTACT, data, mid)
    assert "已确认报送" in bot.alerts()[-1]
    assert "已确认：源城区 已报送" in bot.last_text(CONTACT)
    assert "源城区 已确认报送" in bot.last_text(ADMIN_ID)
    _, _, after = bot.card(CONTACT)
    assert ("☑️ 已确认报送", data) in after
    await bot.press(CONTACT, data, mid)  # again: idempotent
    assert "此前已确认" in bot.alerts()[-1]
    assert bot.db.execute("SELECT count(*) FROM deadline_confirmations").fetchone()[0] == 1
    await bot.send(CONTACT, "/deadlines")
    assert "源城区：✅ 已报送" in bot.last_text(CONTACT)
    await bot.send(ADMIN_ID, "/deadlines")
    assert "已报送 1/7：源城区" in bot.last_text(ADMIN_ID)
    # the rest of the schedule: nothing more for 源城区 on that deadline (contact nor group)
    for day in (8, 12, 14, 15, 16, 17, 18):
        await tick(bot, at(dt.date(2021, 11, day)))
    mine = {(d, lead) for d, o, lead, r in log_rows(bot) if r in (CONTACT, GROUP["id"])}
    assert {lead for d, lead in mine if d == did} == {14}
    other = "annual-report" if did == "progress-table" else "progress-table"
    assert {lead for d, lead in mine if d == other} == {14, 7, 3, 1, 0, -1, -2, -3}
    theirs = {lead for d, o, lead, r in log_rows(bot) if r == OTHER_CONTACT and d == did}
    assert theirs == {14, 7, 3, 1, 0, -1, -2, -3}


async def test_a_contact_of_two_counties_gets_one_reminder_with_both(bot):
    await contact(bot)
    await bot.register(CONTACT, "contact", "龙川县")
    await tick(bot, at(dt.date(2021, 11, 1)))
    texts = reminders_to(bot, CONTACT)
    assert len(texts) == 2 and all("源城区现状" in x and "龙川县现状" in x for x in texts)
    _, _, buttons = bot.card(CONTACT)
    labels = [lab for lab, _ in buttons]
    assert "✅ 已报送 · 源城区" in labels and "✅ 已报送 · 龙川县" in labels
    await bot.tap(CONTACT, "已报送 · 源城区")
    await tick(bot, at(dt.date(2021, 11, 8)))
    newest = reminders_to(bot, CONTACT)[-2:]
    assert sum("源城区现状" in x for x in newest) == 1  # the other deadline still names it
    assert all("龙川县现状" in x for x in newest)


async def test_forged_or_stale_confirm_data_gets_a_polite_answer(bot):
    await contact(bot)
    await tick(bot, at(dt.date(2021, 11, 1)))
    mid, _, _ = bot.card(CONTACT)
    for data in ("r:no-such:20211115:1", "r:annual-report:20211399:1", "rd:x", "r:"):
        await bot.press(CONTACT, data, mid)
        assert "不存在" in bot.alerts()[-1] or "失效" in bot.alerts()[-1]
    assert bot.db.execute("SELECT count(*) FROM deadline_confirmations").fetchone()[0] == 0


async def test_confirm_accepts_only_an_occurrence_the_deadline_has_within_the_lead_window(bot):
    await contact(bot)
    await tick(bot, at(dt.date(2021, 11, 1)))
    mid, _, _ = bot.card(CONTACT)
    county = bot.db.execute("SELECT id FROM counties WHERE name = '源城区'").fetchone()[0]
    for data in (
        f"r:annual-report:20221115:{county}",  # next year's: real, but not due for a year
        f"r:annual-report:20211116:{county}",  # a day the deadline does not have
        f"r:custom-1:20211115:{county}",  # no such deadline
    ):
        await bot.press(CONTACT, data, mid)
        assert "不能确认" in bot.alerts()[-1] or "不存在" in bot.alerts()[-1], data
    assert bot.db.execute("SELECT count(*) FROM deadline_confirmations").fetchone()[0] == 0
    await bot.press(CONTACT, f"r:annual-report:20211115:{county}", mid)  # 14 days ahead: fine
    await bot.press(CONTACT, f"r:progress-table:20210830:{county}", mid)  # a past one: fine
    assert bot.alerts()[-2:] == ["已确认报送，不再提醒"] * 2
    assert bot.db.execute("SELECT count(*) FROM deadline_confirmations").fetchone()[0] == 2


async def test_details_button_shows_the_county_communities(bot):
    await contact(bot)
    await tick(bot, at(dt.date(2021, 11, 1)))
    await bot.tap(CONTACT, "查看详情")
    text = bot.last_text(CONTACT)
    assert "📊 源城区 · 社区 44" in text and "江滨社区" in text


async def test_details_button_pages_through_every_community(bot):
    await contact(bot)
    await tick(bot, at(dt.date(2021, 11, 1)))
    await bot.tap(CONTACT, "查看详情")
    first = bot.last_text(CONTACT)
    assert "第 1/3 页" in first  # 44 communities, 20 a page
    await bot.tap(CONTACT, "下一页")  # handled by handlers/status.py
    second = bot.last_text(CONTACT)
    assert "第 2/3 页" in second and second != first
    await bot.tap(CONTACT, "下一页")
    assert "第 3/3 页" in bot.last_text(CONTACT)


async def test_details_button_is_refused_outside_the_county(bot):
    await contact(bot)
    await contact(bot, OTHER_CONTACT, "龙川县")
    await tick(bot, at(dt.date(2021, 11, 1)))
    mid, data = bot.button(CONTACT, "查看详情")
    n = len(bot.texts(OTHER_CONTACT))
    await bot.press(OTHER_CONTACT, data, mid, chat={"id": CONTACT, "type": "private"})
    assert "只有 源城区 的县区联系人或管理员" in bot.alerts()[-1]
    assert len(bot.texts(OTHER_CONTACT)) == n


# -- content ----------------------------------------------------------------------------------------


def _answer_first_items(h: Harness, n: int) -> Any:
    async def run() -> None:
        await h.send(WORKER, "/check")
        for _ in range(n):
            await h.tap(WORKER, "✅ 符合")

    return run()


async def test_reminder_text_holds_the_county_real_numbers(bot):
    await contact(bot)
    await worker(bot)
    await _answer_first_items(bot, 5)  # 江滨社区: started through the real check flow
    db = bot.db
    county_id = db.execute("SELECT id FROM counties WHERE name = '源城区'").fetchone()[0]
    others = [r[0] for r in db.execute(
        "SELECT id FROM communities WHERE county_id = ? AND name != '江滨社区' ORDER BY id LIMIT 3",
        [county_id],
    )]  # fmt: skip
    for cid, status, passed, answered, gaps in zip(
        others, ("submitted", "submitted", "open"), (1, 0, 0), (42, 42, 10), (0, 3, 32), strict=True
    ):
        db.execute(
            "INSERT INTO assessments (community_id, program_id, standard_id, status, answered,"
            " total, gap_count, passed) VALUES (?, 'heyuan-2021', 'guangdong-2021', ?, ?, 42, ?, ?)",
            [cid, status, answered, gaps, passed],
        )
    await tick(bot, at(dt.date(2021, 11, 8)))
    text = reminders_to(bot, CONTACT)[-1]
    # the numbers, independently from the database
    n, started, submitted, passed = db.execute(
        "SELECT count(*), sum(ifnull(a.answered, 0) > 0), sum(a.status IS 'submitted'),"
        " sum(a.status IS 'submitted' AND a.passed = 1) FROM communities c LEFT JOIN assessments a"
        " ON a.community_id = c.id AND a.standard_id = 'guangdong-2021' WHERE c.county_id = ?",
        [county_id],
    ).fetchone()
    assert (n, started, submitted, passed) == (44, 4, 2, 1)
    pct = round(100 * passed / n, 1)
    assert (
        f"社区 {n} · 已开始自查 {started} · 已提交 {submitted} · 达标 {passed} · 完成率 {pct:g}%"
        in text
    )
    assert "源城区现状（2021 年目标 30%）" in text
    jiangbin_gaps = db.execute(
        "SELECT a.gap_count FROM assessments a JOIN communities c ON c.id = a.community_id"
        " WHERE c.name = '江滨社区'"
    ).fetchone()[0]
    assert f"江滨社区 缺 {jiangbin_gaps}" in text
    open_n = n - submitted
    assert f"尚未提交的社区（{open_n}）" in text
    assert f"…（另 {open_n - rem.OPEN_SHOWN} 个）" in text
    assert "截止 2021-11-15（还有 7 天）" in text and "报送对象：市住房城乡建设局" in text
    assert "报送材料：" in text


async def test_reminder_in_english_for_an_english_speaking_contact(bot):
    await contact(bot)
    await bot.send(CONTACT, "/lang en")
    await tick(bot, at(dt.date(2021, 11, 16)))
    texts = [
        m["text"]
        for (c, _), m in bot.api.messages.items()
        if c == CONTACT and "Overdue" in m.get("text", "")
    ]
    assert texts and "1 days overdue" in texts[0] and "Communities 44" in texts[0]
    _, _, buttons = bot.card(CONTACT)
    assert any(lab == "✅ Submitted" for lab, _ in buttons)


# -- workers and groups ---------------------------------------------------------------------------------


async def test_workers_are_reminded_of_the_self_check_until_they_submit(bot):
    await worker(bot)
    await worker(bot, 2002, "河畔社区")
    await tick(bot, at(dt.date(2021, 12, 17)))  # 14 days before 12-31
    text = reminders_to(bot, WORKER)[-1]
    assert "自查提醒" in text and "江滨社区：尚未开始自查" in text and "/check" in text
    await bot.tap(WORKER, "继续自查")  # the button opens the check card
    _, card, _ = bot.card(WORKER)
    assert "已答 0/42" in card
    bot.db.execute(
        "UPDATE assessments SET status = 'submitted' WHERE community_id ="
        " (SELECT id FROM communities WHERE name = '江滨社区')"
    )
    await tick(bot, at(dt.date(2021, 12, 24)))
    assert len(reminders_to(bot, WORKER)) == 1
    assert len(reminders_to(bot, 2002)) == 2


async def test_group_digest_follows_the_program_setting(bot):
    await bot.send(ADMIN_ID, "/bind 龙川县", chat=GROUP)
    await tick(bot, at(dt.date(2021, 11, 1)))
    digest = reminders_to(bot, GROUP["id"])
    assert len(digest) == 2 and "龙川县现状" in digest[0]
    s = bot.app.bot_data
    s.program = s.program.model_copy(update={"group_digest": False})
    await tick(bot, at(dt.date(2021, 11, 8)))
    assert len(reminders_to(bot, GROUP["id"])) == 2


# -- /deadlines, /deadline, /remind -----------------------------------------------------------------


async def test_admin_adds_lists_and_deletes_deadlines(bot):
    await contact(bot)
    bot.app.bot_data.clock = lambda: at(dt.date(2026, 11, 23))
    await bot.send(ADMIN_ID, "/deadline add 2026-12-15 报送专项检查材料")
    added = bot.last_text(ADMIN_ID)
    assert "custom-1" in added and "报送专项检查材料" in added and "还有 22 天" in added
    await bot.send(ADMIN_ID, "/deadline add 每年 11-20 年度评估")
    assert "custom-2" in bot.last_text(ADMIN_ID) and "每年 11-20" in bot.last_text(ADMIN_ID)
    await bot.send(ADMIN_ID, "/deadlines")
    listing = bot.last_text(ADMIN_ID)
    assert "报送专项检查材料" in listing and "还有 22 天" in listing and "已报送 0/7" in listing
    assert "年度评估" in listing and "已逾期 3 天" in listing  # 11-20 this year, still reminded
    assert "没有县区联系人" in listing and "龙川县" in listing
    await bot.send(CONTACT, "/deadlines")
    assert "源城区：⏳ 未报送" in bot.last_text(CONTACT)
    await tick(bot, at(dt.date(2026, 12, 1)))
    assert any("报送专项检查材料" in x for x in reminders_to(bot, CONTACT))
    await bot.send(ADMIN_ID, "/deadline del custom-1")
    assert "已删除" in bot.last_text(ADMIN_ID)
    await tick(bot, at(dt.date(2026, 12, 8)))
    assert not [r for r in log_rows(bot) if r[0] == "custom-1" and r[2] == 7]


@pytest.mark.parametrize(
    ("command", "answer"),
    [
        ("/deadline", "用法"),
        ("/deadline add 2026-13-01 标题", "日期看不懂"),
        ("/deadline add 每年 02-29 标题", "日期看不懂"),
        ("/deadline add 每年", "日期看不懂"),
        ("/deadline add 2026-12-15", "缺少标题"),
        ("/deadline add 2020-01-01 旧的", "已经过去"),
        ("/deadline add 2026-12-15 " + "长" * 101, "最多 100 字"),
        ("/deadline del annual-report", "不能在聊天中删除"),
        ("/deadline del custom-99", "没有编号为 custom-99"),
        ("/deadline del", "用法"),
    ],
)
async def test_bad_deadline_input_gets_a_clear_reply(bot, command, answer):
    bot.app.bot_data.clock = lambda: at(dt.date(2026, 11, 23))
    await bot.send(ADMIN_ID, command)
    assert answer in bot.last_text(ADMIN_ID)
    assert bot.db.execute("SELECT count(*) FROM custom_deadlines").fetchone()[0] == 0


async def test_non_admins_cannot_manage_deadlines_or_force_reminders(bot):
    await contact(bot)
    for command in ("/deadline add 2026-12-15 x", "/remind"):
        await bot.send(CONTACT, command)
        assert "仅限管理员" in bot.last_text(CONTACT)
    await bot.send(3999, "/deadlines")
    assert "还没有注册" in bot.last_text(3999)


async def test_remind_sends_today_now_and_reports_counts(bot):
    await contact(bot)
    await contact(bot, OTHER_CONTACT, "龙川县")
    bot.api.fail = fail_for(OTHER_CONTACT, 403, FORBIDDEN, times=99)
    bot.app.bot_data.clock = lambda: at(dt.date(2021, 11, 8), 7, 0)  # before 09:00: /remind anyway
    await bot.send(ADMIN_ID, "/remind")
    report = bot.last_text(ADMIN_ID)
    assert "应发 4 条 · 已发送 2 · 此前已发 0 · 无法送达 2 · 失败 0" in report
    assert "用户3002（龙川县 联系人）" in report
    assert len(reminders_to(bot, CONTACT)) == 2
    await tick(bot, at(dt.date(2021, 11, 8)))  # the 09:00 run finds them sent
    assert len(reminders_to(bot, CONTACT)) == 2
    await bot.send(ADMIN_ID, "/remind")
    assert "没有需要发送" in bot.last_text(ADMIN_ID)


async def test_a_large_remind_goes_on_in_the_background_and_reports_when_done(bot, monkeypatch):
    import handlers.reminders as hr

    monkeypatch.setattr(hr, "INLINE_MAX", 1)
    await contact(bot)
    bot.app.bot_data.clock = lambda: at(dt.date(2021, 11, 8))
    await bot.send(ADMIN_ID, "/remind")
    assert "正在发送 2 条提醒" in bot.last_text(ADMIN_ID)
    for _ in range(100):  # let the background task finish
        if "应发 2 条" in bot.last_text(ADMIN_ID):
            break
        await asyncio.sleep(0)
    assert "应发 2 条 · 已发送 2" in bot.last_text(ADMIN_ID)
    assert len(reminders_to(bot, CONTACT)) == 2


def test_callback_data_fits_for_every_seed_deadline():
    for program in catalog().programs.values():
        for d in program.deadlines:
            data = rem.confirm_data(d.id, dt.date(2099, 12, 31), 10**12 - 1)
            assert len(data.encode()) <= 64 and data.isascii()
            assert rem.parse_confirm(data) == (d.id, dt.date(2099, 12, 31), 10**12 - 1)


async def test_the_job_runs_on_a_fixed_cadence_with_a_deterministic_name(bot):
    jobs = {j.name: j for j in bot.app.job_queue.jobs()}
    assert set(jobs) >= {JOB_NAME, START_JOB_NAME}
    trigger = jobs[JOB_NAME].job.trigger
    assert trigger.interval == dt.timedelta(seconds=TICK_SECONDS)


# -- a bounded number of queries per message ----------------------------------------------------


class Queries:
    """Count the SQL statements run on a connection (sqlite3's trace callback)."""

    def __init__(self, conn: Any) -> None:
        self.conn = conn
        self.sql: list[str] = []

    def __enter__(self) -> Queries:
        self.conn.set_trace_callback(self.sql.append)
        return self

    def __exit__(self, *exc: Any) -> None:
        self.conn.set_trace_callback(None)

    def __len__(self) -> int:
        return len(self.sql)

    def touching(self, *tables: str) -> int:
        """Statements naming any of `tables`."""
        return sum(any(t in q for t in tables) for q in self.sql)


def _unreachable_contacts(h: Harness, n: int, first: int = 50_000) -> None:
    """`n` contacts of 源城区 and `n` workers of 江滨社区, none of them reachable."""
    db = h.db
    county, community = db.execute(
        "SELECT county_id, id FROM communities WHERE name = '江滨社区'"
    ).fetchone()
    for uid in range(first, first + n):
        db.execute("INSERT INTO users (id, name, reachable) VALUES (?, ?, 0)", [uid, f"u{uid}"])
        db.execute(
            "INSERT INTO roles (user_id, role, county_id) VALUES (?, 'contact', ?)", [uid, county]
        )
        db.execute("INSERT INTO users (id, name, reachable) VALUES (?, ?, 0)", [uid + n, "w"])
        db.execute(
            "INSERT INTO roles (user_id, role, community_id) VALUES (?, 'worker', ?)",
            [uid + n, community],
        )


async def test_deadlines_for_admins_costs_the_same_queries_for_3_or_60_unreachable(bot):
    bot.app.bot_data.clock = lambda: at(dt.date(2021, 11, 8))
    counts = []
    for first, n in ((50_000, 3), (60_000, 30)):  # 6, then 66 unreachable users in all
        _unreachable_contacts(bot, n, first)
        with Queries(bot.db.conn) as q:
            await bot.send(ADMIN_ID, "/deadlines")
        counts.append(len(q))
    assert "u50000（源城区 联系人）" in bot.last_text(ADMIN_ID)
    assert "w（江滨社区 社区工作者）" in bot.last_text(ADMIN_ID)
    assert counts[0] == counts[1], counts


async def test_deadlines_reads_the_submitted_counts_once_and_a_worker_list_in_one_query(bot):
    s = bot.app.bot_data
    base = next(d for d in s.program.deadlines if d.audience == "worker")
    extra = [
        base.model_copy(update={"id": f"self-check-{k}", "dates": [dt.date(2021, 12, 20 + k)]})
        for k in range(4)
    ]
    s.program = s.program.model_copy(update={"deadlines": [*s.program.deadlines, *extra]})
    s.clock = lambda: at(dt.date(2021, 12, 10))
    await worker(bot)
    for name in ("河畔社区", "东岸社区", "新风社区"):
        await bot.register(WORKER, "worker", name)
    with Queries(bot.db.conn) as admin:
        await bot.send(ADMIN_ID, "/deadlines")
    assert bot.last_text(ADMIN_ID).count("社区自查已提交 0/") == 5
    # one bot.reports.county_status read (from its summary table or the assessments)
    assert admin.touching("assessments", "county_progress") == 1  # not once per deadline
    with Queries(bot.db.conn) as mine:
        await bot.send(WORKER, "/deadlines")
    assert bot.last_text(WORKER).count("⏳ 未提交") == 5 * 4
    assert mine.touching("assessments") == 1  # not once per community and deadline


async def test_a_worker_reminder_reads_its_communities_in_a_bounded_number_of_queries(bot):
    await worker(bot)
    s = bot.app.bot_data
    std = s.catalog.standard(s.program.standard)
    ids = [
        r[0]
        for r in bot.db.execute(
            "SELECT id FROM communities WHERE county_id = (SELECT county_id FROM communities"
            " WHERE name = '江滨社区') ORDER BY id LIMIT 8"
        )
    ]
    counts = []
    for n in (1, 8):
        d = rem.Due(
            WORKER, "self-check", dt.date(2021, 12, 31), 14, True, "worker", (), tuple(ids[:n])
        )
        composer = rem.Composer(bot.db, s.program, dt.date(2021, 12, 17), std)
        with Queries(bot.db.conn) as q:
            composer.prefetch([d])
            msg = composer.message(d)
        assert len(msg.buttons) == n
        counts.append(len(q))
    assert counts[0] == counts[1] <= 3, counts


# -- the command line -------------------------------------------------------------------------------


@pytest.fixture
def cli_db(tmp_path, monkeypatch) -> Iterator[Path]:
    path = tmp_path / "cli.db"
    monkeypatch.setenv("GREENCHECK_DB", str(path))
    monkeypatch.setenv("GREENCHECK_PROGRAM", "heyuan-2021")
    monkeypatch.delenv("TELEGRAM_BOT_TOKEN", raising=False)
    db = connect(path)
    load_sample(db)
    for uid, county in ((CONTACT, "源城区"), (OTHER_CONTACT, "龙川县")):
        db.execute(
            "INSERT INTO users (id, name, reachable) VALUES (?, ?, ?)",
            [uid, f"c{uid}", int(uid == CONTACT)],
        )
        db.execute(
            "INSERT INTO roles (user_id, role, county_id) SELECT ?, 'contact', id FROM counties WHERE name = ?",
            [uid, county],
        )
    db.close()
    yield path


def test_remind_due_json_lists_what_would_be_sent(cli_db, capsys):
    assert main(["remind", "due", "--on", "2021-11-08", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    got = {
        (r["recipient"], r["deadline"], r["occurrence"], r["lead"], r["reachable"]) for r in rows
    }
    assert got == {
        (CONTACT, "progress-table", "2021-11-15", 7, True),
        (CONTACT, "annual-report", "2021-11-15", 7, True),
        (OTHER_CONTACT, "progress-table", "2021-11-15", 7, False),
        (OTHER_CONTACT, "annual-report", "2021-11-15", 7, False),
    }
    assert main(["remind", "due", "--on", "2021-11-08"]) == 0
    out = capsys.readouterr().out
    assert "4 reminder(s) due" in out and "(unreachable)" in out


def test_remind_send_without_a_token_exits_1(cli_db, capsys):
    assert main(["remind", "send", "--on", "2021-11-08"]) == 1
    assert "TELEGRAM_BOT_TOKEN" in capsys.readouterr().err


def test_remind_due_bad_date_is_a_usage_error(cli_db, capsys):
    with pytest.raises(SystemExit) as exc:
        main(["remind", "due", "--on", "2021-13-40"])
    assert exc.value.code == 2
    assert "not a date" in capsys.readouterr().err


async def test_remind_send_sends_exactly_what_due_lists(cli_db, capsys):
    assert main(["remind", "due", "--on", "2021-11-08", "--json"]) == 0
    listed = json.loads(capsys.readouterr().out)
    api = LocalBotAPI()
    settings = Settings(GREENCHECK_DB=str(cli_db), GREENCHECK_RATE_LIMIT=False)

    async def no_sleep(seconds: float) -> None:
        return None

    report = await send_on(
        settings, dt.date(2021, 11, 8), request=api, delivery=Delivery(sleep=no_sleep)
    )
    assert report.due == len(listed) == 4
    assert report.sent + len(report.unreachable) == 4
    sent_to = sorted(int(c.params["chat_id"]) for c in api.sent("sendMessage"))
    assert sent_to == sorted(r["recipient"] for r in listed)
    assert main(["remind", "due", "--on", "2021-11-08", "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == []
