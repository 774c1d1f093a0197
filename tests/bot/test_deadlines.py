"""/deadlines, /deadline add|del and /remind; the queries a listing or a reminder costs."""

from __future__ import annotations

import asyncio
import datetime as dt

import pytest

from bot.services import reminders as rem
from bot.services.reminders import Reminders
from handlers import render_reminders as render
from tests.bot.reminder_support import (
    CONTACT,
    FORBIDDEN,
    OTHER_CONTACT,
    WORKER,
    Queries,
    _unreachable_contacts,
    at,
    contact,
    fail_for,
    log_rows,
    reminder_bot,
    reminders_to,
    tick,
    worker,
)
from tests.harness import ADMIN_ID

bot = pytest.fixture(name="bot")(reminder_bot)


async def test_admin_adds_lists_and_deletes_deadlines(bot):
    await contact(bot)
    bot.clock.set(at(dt.date(2026, 11, 23)))
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
        ("/deadline add 2026-13-01 标题", "日期看不懂：2026-13-01"),
        ("/deadline add 2031-05-05 太远", "2031-05-05 超过一年以后（最晚 2027-11-24）"),
        ("/deadline add 2027-11-25 一年零一天", "超过一年以后"),
        ("/deadline add 26-12-15 两位年份", "日期看不懂：26-12-15"),
        ("/deadline add 2026-11-22 昨天", "已经过去"),
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
    bot.clock.set(at(dt.date(2026, 11, 23)))
    await bot.send(ADMIN_ID, command)
    assert answer in bot.last_text(ADMIN_ID)
    assert bot.db.execute("SELECT count(*) FROM custom_deadlines").fetchone()[0] == 0


async def test_a_date_far_ahead_is_refused_never_shown_as_due_today(bot):
    """`/deadline add 2031-05-05 …` answered "截止 2026-11-28（今天截止）"."""
    bot.clock.set(at(dt.date(2026, 11, 28)))
    await bot.send(ADMIN_ID, "/deadline add 2031-05-05 五年后")
    answer = bot.last_text(ADMIN_ID)
    assert "超过一年以后" in answer and "每年" in answer and "今天截止" not in answer
    await bot.send(ADMIN_ID, "/deadline add 2027-11-29 一年后")  # 366 days: the last date taken
    answer = bot.last_text(ADMIN_ID)
    assert "custom-1" in answer and "2027-11-29" in answer and "还有 366 天" in answer
    await bot.send(ADMIN_ID, "/lang en")
    await bot.send(ADMIN_ID, "/deadline add 2031-05-05 far")
    assert "more than a year ahead" in bot.last_text(ADMIN_ID)


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
    bot.clock.set(at(dt.date(2021, 11, 8), 7, 0))  # before 09:00: /remind anyway
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
    bot.clock.set(at(dt.date(2021, 11, 8)))
    await bot.send(ADMIN_ID, "/remind")
    assert "正在发送 2 条提醒" in bot.last_text(ADMIN_ID)
    for _ in range(100):  # let the background task finish
        if "应发 2 条" in bot.last_text(ADMIN_ID):
            break
        await asyncio.sleep(0)
    assert "应发 2 条 · 已发送 2" in bot.last_text(ADMIN_ID)
    assert len(reminders_to(bot, CONTACT)) == 2


async def test_deadlines_for_admins_costs_the_same_queries_for_3_or_60_unreachable(bot):
    bot.clock.set(at(dt.date(2021, 11, 8)))
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
    s.reminders = Reminders(s.db, s.clock, s.program, s.reports)  # built once per program
    bot.clock.set(at(dt.date(2021, 12, 10)))
    await worker(bot)
    for name in ("河畔社区", "东岸社区", "新风社区"):
        await bot.register(WORKER, "worker", name)
    with Queries(bot.db.conn) as admin:
        await bot.send(ADMIN_ID, "/deadlines")
    assert bot.last_text(ADMIN_ID).count("社区自查已提交 0/") == 5
    # one bot.services.reports.county_status read (from its summary table or the assessments)
    assert admin.touching("assessments", "county_progress") == 1  # not once per deadline
    with Queries(bot.db.conn) as mine:
        await bot.send(WORKER, "/deadlines")
    assert bot.last_text(WORKER).count("⏳ 未提交") == 5 * 4
    assert mine.touching("assessments") == 1  # not once per community and deadline


async def test_a_worker_reminder_reads_its_communities_in_a_bounded_number_of_queries(bot):
    await worker(bot)
    s = bot.app.bot_data
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
        snaps = s.reminders.snapshots(dt.date(2021, 12, 17))
        with Queries(bot.db.conn) as q:
            snaps.prefetch([d])
            _, buttons = render.reminder(d, snaps)
        assert len(buttons) == n
        counts.append(len(q))
    assert counts[0] == counts[1] <= 3, counts
