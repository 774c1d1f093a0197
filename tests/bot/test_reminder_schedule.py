"""The reminder job through the real Application: the schedule over a year, restarts, catch-up."""

from __future__ import annotations

import asyncio
import datetime as dt

import pytest

from bot.catalog import catalog
from bot.domain.programs import Program
from handlers.reminders import JOB_NAME, START_JOB_NAME, TICK_SECONDS
from tests.bot.reminder_support import (
    CONTACT,
    GROUP,
    OTHER_CONTACT,
    PROGRAMS,
    WORKER,
    YEAR_START,
    at,
    contact,
    is_reminder,
    log_rows,
    quiet,
    reminder_bot,
    reminders_to,
    tick,
    worker,
)
from tests.harness import ADMIN_ID, Harness

bot = pytest.fixture(name="bot")(reminder_bot)
WORKER_PLANNED = 2021  # 江滨社区's planned year in the sample roster
STREET = 3003  # a reviewer of 新江街道 (江滨社区's street)


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


@pytest.mark.parametrize("program_id", PROGRAMS)
async def test_lead_days_and_overdue_repeats_over_a_simulated_year(tmp_path, program_id):
    program = catalog().programs[program_id]
    start = YEAR_START[program_id]
    end = start + dt.timedelta(days=364)
    async with Harness(tmp_path / "gc.db", program=program_id) as h:
        quiet(h)
        await contact(h)
        await worker(h)
        await h.register(STREET, "street", "新江街道")
        await h.send(ADMIN_ID, "/bind 龙川县", chat=GROUP)
        day = start
        while day <= end:
            await tick(h, at(day))
            day += dt.timedelta(days=1)
        sent = log_rows(h, "sent")
        assert log_rows(h) == sent  # nothing failed, nothing left half-sent
        want = expected(program, start, end)
        recipients = {"contact": [CONTACT, GROUP["id"]], "street": [STREET], "worker": [WORKER]}
        recipients["community"] = [WORKER]
        planned = (None, WORKER_PLANNED)  # a duty of the year's planned communities skips others
        assert sent == {
            (d, o, lead, r)
            for d, o, lead, aud in want
            if program.deadline(d).planned_year in planned
            for r in recipients[aud]
        }
        assert want, "the simulated year must contain reminders"
        assert any(lead < 0 for _, _, lead, _ in want), "and overdue repeats"
        # one message per logged reminder, to each recipient
        for r in (CONTACT, GROUP["id"], WORKER, STREET):
            n = sum(1 for *_, rr in sent if rr == r)
            assert len(reminders_to(h, r)) == n


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
    bot.clock.set(when)
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


async def test_the_job_runs_on_a_fixed_cadence_with_a_deterministic_name(bot):
    jobs = {j.name: j for j in bot.app.job_queue.jobs()}
    assert set(jobs) >= {JOB_NAME, START_JOB_NAME}
    trigger = jobs[JOB_NAME].job.trigger
    assert trigger.interval == dt.timedelta(seconds=TICK_SECONDS)
