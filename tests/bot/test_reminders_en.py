"""After /lang en, everything the reminders show is English (data aside) and valid Telegram HTML.

Through `Application.process_update`: /deadlines, /deadline add|del and their errors, a
reminder, its ✅ and 📊 buttons and the details' pager, a worker's reminder, /remind.
"""

from __future__ import annotations

import datetime as dt

import pytest

from tests.bot.reminder_support import (
    CONTACT,
    WORKER,
    assert_english,
    assert_telegram_html,
    at,
    contact,
    reminder_bot,
    reminders_to,
    tick,
    worker,
)
from tests.harness import ADMIN_ID, Harness

bot = pytest.fixture(name="bot")(reminder_bot)


def data_strings(h: Harness) -> set[str]:
    """Names and titles: data, which stays as written whatever the language."""
    s = h.app.bot_data
    out = {s.program.title, s.program.region}
    for d in s.program.deadlines:
        out |= {d.title, d.recipient, d.form or ""}
    for table in ("counties", "communities", "users", "custom_deadlines"):
        column = "title" if table == "custom_deadlines" else "name"
        out |= {str(r[0]) for r in h.db.execute(f"SELECT {column} FROM {table}")}
    return {x for x in out if x}


def check(h: Harness, text: str) -> str:
    assert_telegram_html(text)
    assert_english(text, data_strings(h))
    return text


async def english_team(h: Harness) -> None:
    await contact(h)
    await worker(h)
    for uid in (ADMIN_ID, CONTACT, WORKER):
        await h.send(uid, "/lang en")


async def test_deadline_commands_in_english(bot):
    await english_team(bot)
    bot.clock.set(at(dt.date(2021, 11, 1)))
    replies = []
    for command in (
        "/deadline add 2021-11-20 Special inspection",
        "/deadline add annual 11-20 Yearly review",
        "/deadline",
        "/deadline add 2021-13-01 Bad date",
        "/deadline add 2021-11-20",
        "/deadline add 2020-01-01 Past",
        "/deadline add 2021-12-01 " + "x" * 101,
        "/deadline del annual-report",
        "/deadline del custom-99",
        "/deadline del custom-1",
    ):
        await bot.send(ADMIN_ID, command)
        replies.append(check(bot, bot.last_text(ADMIN_ID)))
    assert "custom-1" in replies[0] and "19 days left" in replies[0]
    assert "every year on 11-20" in replies[1]
    assert replies[2].startswith("Usage")
    assert "Cannot read the date" in replies[3] and "title is missing" in replies[4]
    assert "in the past" in replies[5] and "at most 100" in replies[6]
    assert "program file" in replies[7] and "No custom deadline custom-99" in replies[8]
    assert "Deleted deadline" in replies[9]


async def test_deadlines_listing_in_english_for_admin_contact_and_worker(bot):
    await english_team(bot)
    bot.clock.set(at(dt.date(2021, 11, 8)))
    await tick(bot, at(dt.date(2021, 11, 8)))
    _, data = bot.button(CONTACT, "Submitted")
    mid, _ = bot.button(CONTACT, "Submitted")
    await bot.press(CONTACT, data, mid)
    bot.api.fail = lambda call: (0, {}) if call.method == "sendMessage" else None
    await tick(bot, at(dt.date(2021, 11, 12)))  # a failure to list
    bot.api.fail = None
    for uid in (ADMIN_ID, CONTACT, WORKER):
        await bot.send(uid, "/deadlines")
        check(bot, bot.last_text(uid))
    admin = bot.last_text(ADMIN_ID)
    assert "Deadlines" in admin and "Confirmed 1/7" in admin and "Pending" in admin
    assert "Counties without a contact" in admin and "failed" in admin
    assert "(contact of " in admin
    assert ": ✅ confirmed" in bot.last_text(CONTACT)
    assert "not submitted" in bot.last_text(WORKER)


async def test_a_reminder_its_buttons_and_details_in_english(bot):
    await english_team(bot)
    await tick(bot, at(dt.date(2021, 11, 1)))
    texts = reminders_to(bot, CONTACT)
    assert len(texts) == 2
    for text in texts:
        check(bot, text)
        assert "Reminder" in text and "Communities 44" in text and "Not yet submitted" in text
    _, _, buttons = bot.card(CONTACT)
    assert [lab for lab, _ in buttons] == ["✅ Submitted", "📊 Details"]
    mid, confirm = bot.button(CONTACT, "Submitted")
    await bot.tap(CONTACT, "Details")
    first = check(bot, bot.last_text(CONTACT))
    assert "communities 44" in first and "page 1/3" in first and "Community" in first
    await bot.tap(CONTACT, "Next ▶")
    second = check(bot, bot.last_text(CONTACT))
    assert "page 2/3" in second and second != first
    await bot.press(CONTACT, confirm, mid)
    assert bot.alerts()[-1] == "Confirmed; no more reminders"
    check(bot, bot.last_text(CONTACT))
    assert "Confirmed:" in bot.last_text(CONTACT)
    assert "confirmed" in check(bot, bot.last_text(ADMIN_ID))
    card = bot.api.messages[(CONTACT, mid)]["reply_markup"]["inline_keyboard"]
    assert "☑️ Confirmed" in [b["text"] for row in card for b in row]


async def test_refusals_and_a_worker_reminder_in_english(bot):
    await english_team(bot)
    await tick(bot, at(dt.date(2021, 11, 1)))
    mid, data = bot.button(CONTACT, "Details")
    await bot.press(WORKER, data, mid, chat={"id": CONTACT, "type": "private"})
    assert_english(bot.alerts()[-1], data_strings(bot))
    assert "Only a contact of" in bot.alerts()[-1]
    county = bot.db.execute("SELECT id FROM counties WHERE name = '源城区'").fetchone()[0]
    await bot.press(CONTACT, f"r:annual-report:20221115:{county}", mid)
    assert bot.alerts()[-1].startswith("⚠️ Cannot confirm")
    await bot.press(CONTACT, f"r:no-such:20211115:{county}", mid)
    assert bot.alerts()[-1] == "⚠️ This deadline no longer exists."
    await tick(bot, at(dt.date(2021, 12, 17)))
    text = check(bot, reminders_to(bot, WORKER)[-1])
    assert "Self-check reminder" in text and "not started yet" in text
    assert any(lab.startswith("📝 Continue") for lab, _ in bot.card(WORKER)[2])


async def test_remind_report_in_english(bot):
    await english_team(bot)
    bot.api.fail = lambda call: (
        (0, {}) if call.method == "sendMessage" and call.params["chat_id"] == CONTACT else None
    )
    bot.clock.set(at(dt.date(2021, 11, 8)))
    await bot.send(ADMIN_ID, "/remind")
    report = check(bot, bot.last_text(ADMIN_ID))
    assert "2 due · sent 0" in report and "failed 2" in report and "(contact of " in report


async def test_the_chinese_texts_are_valid_telegram_html_too(bot):
    await contact(bot)
    await worker(bot)
    await tick(bot, at(dt.date(2021, 11, 16)))  # overdue: the late titles
    await bot.tap(CONTACT, "查看详情")
    await bot.send(ADMIN_ID, "/deadline add 每年 11-20 年度评估")
    for uid in (ADMIN_ID, CONTACT, WORKER):
        await bot.send(uid, "/deadlines")
    await tick(bot, at(dt.date(2021, 12, 17)))
    mine = ("<b>⏰", "<b>⚠️", "📊", "<b>📅", "✅ 已添加")
    texts = [m.get("text", "") for m in bot.api.messages.values()]
    texts = [x for x in texts if x.startswith(mine)]
    assert len(texts) >= 8
    for text in texts:
        assert_telegram_html(text)
