"""Stale words: the admin invite, /help without repeats, `yearly` in the hints,
English plurals and lists, English separators in English, criteria labels in English."""

from __future__ import annotations

import datetime as dt
import itertools
import re
import string

import pytest

from bot.domain.access import Principal
from bot.texts import TEXTS, join_list, plural, t
from handlers.registration import help_text
from tests.bot.reminder_support import CONTACT, WORKER, at, contact, reminder_bot, worker
from tests.harness import ADMIN_ID, Harness

bot = pytest.fixture(name="bot")(reminder_bot)
COMMAND = re.compile(r"(?<![\w/])/[a-z]+")
CHINESE_PUNCTUATION = re.compile(r"[、，；：（）。]")


def commands(text: str) -> list[str]:
    return COMMAND.findall(text)


async def test_admin_invite_names_the_role_once(bot):
    await bot.send(ADMIN_ID, "/invite admin")
    zh = bot.last_text(ADMIN_ID)
    assert zh.startswith("✉️ 已生成管理员邀请，7 天内有效") and "（管理员）" not in zh
    await bot.send(ADMIN_ID, "/lang en")
    await bot.send(ADMIN_ID, "/invite admin")
    en = bot.last_text(ADMIN_ID)
    assert en.startswith("✉️ Admin invite, valid 7 days, single use") and "(admin)" not in en
    await bot.send(ADMIN_ID, "/invite worker 江滨社区")
    assert bot.last_text(ADMIN_ID).startswith("✉️ Invite for a community worker of 江滨社区, valid")


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize(
    ("admin", "worker_of", "contact_of"), list(itertools.product([False, True], repeat=3))
)
def test_help_names_each_command_once_for_every_role_combination(
    lang, admin, worker_of, contact_of
):
    p = Principal(
        1, lang, admin, frozenset({1} if worker_of else ()), frozenset({1} if contact_of else ())
    )
    found = commands(help_text(p))
    assert len(found) == len(set(found)), (sorted(found), help_text(p))
    if p.registered:
        assert "/me" in found and "/lang" in found
        assert ("/check" in found) == worker_of  # a worker's commands for workers only
        assert ("/status" in found) == (admin or contact_of)
        assert ("/invite" in found) == admin


async def test_help_through_the_bot_for_worker_contact_admin_and_admin_worker(bot):
    await worker(bot)
    await contact(bot)
    await contact(bot, WORKER)  # a worker who is a county contact too
    await bot.register(ADMIN_ID, "worker", "明珠社区")  # the admin works for a community too
    for uid, lang in itertools.product((ADMIN_ID, CONTACT, WORKER), ("zh", "en")):
        await bot.send(uid, f"/lang {lang}")
        await bot.send(uid, "/help")
        found = commands(bot.last_text(uid))
        assert len(found) == len(set(found)), (uid, lang, bot.last_text(uid))
        assert "/status" in found and ("/check" in found) == (uid != CONTACT)


async def test_yearly_is_accepted_and_the_english_hints_say_it(bot):
    await contact(bot)
    bot.clock.set(at(dt.date(2026, 11, 19)))
    await bot.send(ADMIN_ID, "/lang en")
    await bot.send(ADMIN_ID, "/deadlines")
    assert "/deadline add yearly 11-20" in bot.last_text(ADMIN_ID)
    await bot.send(ADMIN_ID, "/deadline")
    assert "/deadline add yearly 11-20" in bot.last_text(ADMIN_ID)
    await bot.send(ADMIN_ID, "/deadline add 2030-01-01 Far away")
    assert "/deadline add yearly 11-20" in bot.last_text(ADMIN_ID)
    await bot.send(ADMIN_ID, "/deadline add yearly 11-20 Annual review")
    added = bot.last_text(ADMIN_ID)
    assert "every year on 11-20, next 2026-11-20 (1 day left)" in added, added
    assert "1 days" not in added and "、" not in added
    assert re.search(r"reminded (\d+, )*\d+ and \d+ days before\.", added), added


def test_plural_and_list_joining_per_language():
    assert plural("en", 1, "rem_left") == "1 day left"
    assert plural("en", 2, "rem_left") == "2 days left"
    assert plural("en", 0, "rem_left") == "0 days left"
    assert plural("zh", 1, "rem_left") == "还有 1 天"
    assert join_list("en", ["14", "7", "3", "1", "0"]) == "14, 7, 3, 1 and 0"
    assert join_list("en", ["7"]) == "7"
    assert join_list("zh", ["14", "7", "0"]) == "14、7、0"


def test_every_one_form_has_its_other_form_and_drops_the_count_in_english():
    ones = [key for key in TEXTS if key.endswith("_one")]
    assert ones  # the mechanism is used
    for key in ones:
        base = key.removesuffix("_one")
        assert base in TEXTS, key
        assert TEXTS[key][0] == TEXTS[base][0], key  # Chinese has no plural
        assert re.search(r"\b1 (more )?(day|item|gap|file|reminder|message)\b", TEXTS[key][1]), (
            key
        )  # "1 day", not "1 days"


def test_no_english_text_hedges_its_plural():
    assert [key for key, (_, en) in TEXTS.items() if "(s)" in en] == []


def test_no_english_text_has_chinese_punctuation_outside_placeholders():
    fields = string.Formatter()
    bad = []
    for key, (_, en) in TEXTS.items():
        literal = "".join(text for text, *_ in fields.parse(en))  # the data placeholders dropped
        if CHINESE_PUNCTUATION.search(literal):
            bad.append((key, en))
    assert bad == []


def test_english_separators_in_english():
    assert CHINESE_PUNCTUATION.search(t("en", "role_sep") + t("en", "name_sep")) is None
    assert CHINESE_PUNCTUATION.search(t("en", "label_colon")) is None


async def test_an_ambiguous_name_lists_candidates_with_english_commas(bot):
    await bot.send(ADMIN_ID, "/lang en")
    await bot.send(ADMIN_ID, "/community 社区")
    text = bot.last_text(ADMIN_ID)
    assert "社区" in text and "、" not in text, text


async def test_me_in_english_separates_roles_the_english_way(bot):
    await contact(bot)
    await bot.register(CONTACT, "contact", "龙川县")  # a second county
    await bot.send(CONTACT, "/lang en")
    await bot.send(CONTACT, "/me")
    me = bot.last_text(CONTACT)
    assert "Roles: county contact of " in me and "; county contact of " in me and "；" not in me


@pytest.mark.parametrize(
    ("program", "zh", "en"),
    [
        ("chuxiong-2021", "评分标准：", "Scoring criteria: "),
        ("qinhuangdao-etdz-2021", "考评标准：", "Assessment criteria: "),
    ],
)
async def test_the_card_labels_the_criteria_in_the_users_language(tmp_path, program, zh, en):
    async with Harness(tmp_path / "gc.db", program=program) as h:
        community = h.db.execute("SELECT name FROM communities LIMIT 1").fetchone()[0]
        await h.register(WORKER, "worker", community)
        await h.send(WORKER, "/check")
        cards = [h.card(WORKER)[1]]
        await h.send(WORKER, "/lang en")
        await h.send(WORKER, "/check")
        cards.append(h.card(WORKER)[1])
    assert zh in cards[0] and en not in cards[0], cards[0]
    assert en in cards[1] and zh not in cards[1], cards[1]
