"""After /lang en, every view a user walks through is English (data aside)
and valid Telegram HTML — the local Bot API refuses invalid HTML, so a bad text fails the send.

/start, /help, /check and a tap, /status, /missing, /community, /deadlines, a reminder and its
details, for the admin, a county contact and a worker.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest

from tests.bot.reminder_support import (
    CONTACT,
    WORKER,
    at,
    contact,
    reminder_bot,
    reminders_to,
    tick,
    worker,
)
from tests.bot.test_reminders_en import data_strings
from tests.harness import ADMIN_ID, Harness

bot = pytest.fixture(name="bot")(reminder_bot)
CJK_RUN = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]+")


def english(h: Harness, text: str, typed: str = "") -> str:
    standard = h.app.bot_data.catalog.standard(h.app.bot_data.program.standard)
    data = data_strings(h) | {standard.title, standard.short_title}
    data |= {str(r[0]) for r in h.db.execute("SELECT name FROM streets")}
    data |= {s.name for s in h.app.bot_data.program.chain.stages}  # the seed's stage names
    for q in standard.questions:
        data |= {q.text, q.area_title or "", q.evidence or "", getattr(q, "criteria", "") or ""}
        if q.item is not None:
            data |= {q.item.text, *(r.text for r in q.item.deductions)}
    corpus = "\n".join([*data, typed])  # what the user typed is echoed as data too
    foreign = [run for run in CJK_RUN.findall(text) if run not in corpus]  # data may be cut short
    assert foreign == [], text
    return text


async def test_after_lang_en_every_view_is_english_and_valid_html(bot):
    await contact(bot)
    await worker(bot)
    for uid in (ADMIN_ID, CONTACT, WORKER):
        await bot.send(uid, "/lang en")
        await bot.send(uid, "/start")
        english(bot, bot.last_text(uid))
        await bot.send(uid, "/help")
        assert "/status" in english(bot, bot.last_text(uid)) or uid == WORKER
    await bot.send(WORKER, "/check")
    _, card, buttons = bot.card(WORKER)
    english(bot, card)
    for label, _ in buttons:
        english(bot, label)
    await bot.tap(WORKER, "Met")
    english(bot, bot.card(WORKER)[1])
    for uid, command in [
        (ADMIN_ID, "/status"),
        (ADMIN_ID, "/status 源城区"),
        (ADMIN_ID, "/missing"),
        (ADMIN_ID, "/community 江滨社区"),
        (ADMIN_ID, "/community 不存在的社区"),
        (CONTACT, "/status"),
        (CONTACT, "/deadlines"),
        (WORKER, "/status"),
        (ADMIN_ID, "/deadlines"),
    ]:
        await bot.send(uid, command)
        english(bot, bot.last_text(uid), typed=command)
    await tick(bot, at(dt.date(2021, 11, 1)))
    for text in reminders_to(bot, CONTACT):
        assert "Reminder" in english(bot, text)
    await bot.tap(CONTACT, "Details")
    assert "Community" in english(bot, bot.last_text(CONTACT))
    for alert in bot.alerts():
        english(bot, alert)
