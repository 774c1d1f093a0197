"""Reminder texts and their buttons: ✅ 已报送, 📊 查看详情, 📝 继续自查."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest

from bot.catalog import catalog
from bot.domain.access import Principal
from bot.services.reminders import Reminders
from handlers import callbacks
from handlers.render_reminders import OPEN_SHOWN
from tests.bot.reminder_support import (
    CONTACT,
    GROUP,
    OTHER_CONTACT,
    WORKER,
    at,
    contact,
    log_rows,
    reminder_bot,
    reminders_to,
    tick,
    worker,
)
from tests.harness import ADMIN_ID, Harness

bot = pytest.fixture(name="bot")(reminder_bot)


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
    await bot.tap(CONTACT, "下一页")  # rd:<county>:<page>, handled here
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


def _answer_first_items(h: Harness, n: int) -> Any:
    async def run() -> None:
        await h.send(WORKER, "/check")
        for _ in range(n):
            await h.tap(WORKER, "✅ 符合")

    return run()


ADMIN = Principal(ADMIN_ID, admin=True)


def _check(h: Harness, cid: int, met: int, not_met: int = 0, submit: bool = False) -> int:
    """A check of community `cid` answered through the check service (`met` items met, then
    `not_met` not met), submitted by one of its workers if `submit`."""
    s = h.app.bot_data
    a = s.checks.for_community(cid) or s.checks.start(cid)
    for k, q in enumerate(s.checks.standard_for(a).questions[: met + not_met]):
        s.checks.answer(ADMIN, a.id, q.id, "met" if k < met else "not_met")
    if submit:
        s.reviews.submit(Principal(90_000 + cid, communities=frozenset({cid})), a.id)
    return a.id


def _recognise(h: Harness, aid: int) -> None:
    """The city (acting on every stage) approves the check until a stage recognises it."""
    r = h.app.bot_data.reviews
    while not r.approve(
        ADMIN, aid, r.chain_of(aid).named(r.store.review(aid).stage).index
    ).recognised:
        pass


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
    bot.clock.set(at(dt.date(2021, 11, 1)))
    _recognise(bot, _check(bot, others[0], 42, submit=True))  # 达标 counts verdicts
    _check(bot, others[1], 39, 3, submit=True)  # submitted, failing its standard
    _check(bot, others[2], 10)  # started
    await tick(bot, at(dt.date(2021, 11, 8)))
    text = reminders_to(bot, CONTACT)[-1]
    # the numbers, independently from the database
    n, started, submitted, passed = db.execute(
        "SELECT count(*), sum(ifnull(a.answered, 0) > 0), sum(a.status IS 'submitted'),"
        " sum(EXISTS (SELECT 1 FROM verdicts v WHERE v.community_id = c.id))"
        " FROM communities c LEFT JOIN assessments a"
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
    assert f"…（另 {open_n - OPEN_SHOWN} 个）" in text
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
    assert texts and "(1 day overdue)" in texts[0] and "Communities 44" in texts[0]
    _, _, buttons = bot.card(CONTACT)
    assert any(lab == "✅ Submitted" for lab, _ in buttons)


async def test_workers_are_reminded_of_the_self_check_until_they_submit(bot):
    await worker(bot)
    await worker(bot, 2002, "河畔社区")
    await tick(bot, at(dt.date(2021, 12, 17)))  # 14 days before 12-31
    text = reminders_to(bot, WORKER)[-1]
    assert "自查提醒" in text and "江滨社区：尚未开始自查" in text and "/check" in text
    await bot.tap(WORKER, "继续自查")  # the button opens the check card
    _, card, _ = bot.card(WORKER)
    assert "已答 0/42" in card
    jiangbin = bot.app.bot_data.roster.find_community("江滨社区")[0][0]
    _check(bot, jiangbin, 42, submit=True)
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
    s.reminders = Reminders(s.db, s.clock, s.program, s.reports)  # built once per program
    await tick(bot, at(dt.date(2021, 11, 8)))
    assert len(reminders_to(bot, GROUP["id"])) == 2


def test_callback_data_fits_for_every_seed_deadline():
    for program in catalog().programs.values():
        for d in program.deadlines:
            data = callbacks.encode("r", d.id, "20991231", 10**12 - 1)
            assert len(data.encode()) <= 64 and data.isascii()
            op = callbacks.decode(data)
            assert op is not None and op.action == "r"
            fields = (op.get("did"), op.get("occ"), op.int("county"))
            assert fields == (d.id, "20991231", 10**12 - 1)
