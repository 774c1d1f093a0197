"""Registration, identity, menus and the catch-all button handler, in English, through
Application.process_update with the local Bot API."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest

from bot.texts import TEXTS, t
from handlers import app as composition
from tests.harness import ADMIN_ID, Harness, group

WORKER = 2101
CONTACT = 2102
STRANGER = 2103
COMMUNITY = "江滨社区"
CJK = re.compile(r"[\u4e00-\u9fff\u3000-\u303f\uff00-\uffef]")
TAGS = {"b", "strong", "i", "em", "u", "ins", "s", "strike", "del", "code", "pre", "a"}
TAGS |= {"blockquote", "tg-spoiler", "span"}


class _TelegramHTML(HTMLParser):
    """Telegram's HTML: a few tags, properly nested; `<`, `>` and `&` escaped elsewhere."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self.open: list[str] = []
        self.problems: list[str] = []

    def handle_starttag(self, tag: str, attrs: object) -> None:
        if tag not in TAGS:
            self.problems.append(f"unsupported tag <{tag}>")
        self.open.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if not self.open or self.open.pop() != tag:
            self.problems.append(f"unbalanced </{tag}>")

    def handle_entityref(self, name: str) -> None:
        if name not in ("lt", "gt", "amp", "quot"):
            self.problems.append(f"unknown entity &{name};")


def assert_telegram_html(text: str) -> None:
    parser = _TelegramHTML()
    parser.feed(text)
    parser.close()
    assert not parser.problems and not parser.open, (parser.problems, parser.open, text)


def assert_english(text: str, *data: str) -> None:
    """English and valid HTML; Chinese only inside the given data (place names)."""
    assert_telegram_html(text)
    for d in data:
        text = text.replace(d, "")
    assert not CJK.search(text), text


@pytest.fixture
async def bot(tmp_path):
    async with Harness(tmp_path / "gc.db") as h:
        yield h


async def test_a_stranger_reads_english_after_lang_en(bot):
    await bot.send(STRANGER, "/lang en")
    assert bot.last_text(STRANGER) == "✅ Language set to English."
    for command in ("/start", "/help", "/join", "/me"):
        await bot.send(STRANGER, command)
        assert_english(bot.last_text(STRANGER), f"用户{STRANGER}")  # the user's name is data
    await bot.send(STRANGER, "/start")
    assert "/join &lt;code&gt;" in bot.last_text(STRANGER)
    await bot.send(STRANGER, "/me")
    assert "Roles: not registered" in bot.last_text(STRANGER)


async def test_a_worker_reads_start_help_and_me_in_english(bot):
    await bot.register(WORKER, "worker", COMMUNITY)
    await bot.send(WORKER, "/lang en")
    await bot.send(WORKER, "/start")
    start = bot.last_text(WORKER)
    assert_english(start)
    assert "/check start or resume" in start
    await bot.send(WORKER, "/help")
    assert bot.last_text(WORKER) == start
    await bot.send(WORKER, "/me")
    me = bot.last_text(WORKER)
    assert_english(me, COMMUNITY, f"用户{WORKER}")
    assert f"Roles: worker of {COMMUNITY}" in me and "Language: English" in me


async def test_an_english_admin_invites_and_binds_in_english(bot):
    await bot.send(ADMIN_ID, "/lang en")
    await bot.send(ADMIN_ID, "/help")
    assert_english(bot.last_text(ADMIN_ID))
    assert "Admin: /invite" in bot.last_text(ADMIN_ID)
    await bot.send(ADMIN_ID, "/invite")
    assert "/invite worker &lt;community&gt;" in bot.last_text(ADMIN_ID)
    await bot.send(ADMIN_ID, "/invite contact 源城")
    created = bot.last_text(ADMIN_ID)
    assert_english(created, "源城区")
    assert created.startswith("✉️ Invite for a county contact of 源城区, valid 7 days")
    await bot.send(CONTACT, f"/start {bot.invite_link_code(ADMIN_ID)}")
    await bot.send(CONTACT, "/lang en")
    await bot.send(CONTACT, "/me")
    assert "Roles: county contact of 源城区" in bot.last_text(CONTACT)
    chat = group(-100901)
    await bot.send(ADMIN_ID, "/bind", chat=chat)
    assert_english(bot.last_text(chat["id"]))
    await bot.send(ADMIN_ID, f"/bind {COMMUNITY}", chat=chat)
    assert bot.last_text(chat["id"]) == f"🔗 This group is now bound to {COMMUNITY}."


async def test_admin_me_lists_every_role_with_catalogue_labels(bot):
    await bot.send(ADMIN_ID, "/me")
    assert "身份：管理员" in bot.last_text(ADMIN_ID)
    await bot.send(ADMIN_ID, "/lang en")
    await bot.send(ADMIN_ID, "/me")
    assert "Roles: admin" in bot.last_text(ADMIN_ID)


@pytest.mark.parametrize("data", ["zz", "x" * 64, "a:1:2", "q:1"])
async def test_unknown_callback_data_gets_a_polite_alert(bot, data):
    await bot.press(STRANGER, data, 1)
    assert bot.alerts()[-1] == t("zh", "button_unknown")
    answers = bot.api.sent("answerCallbackQuery")
    assert answers[-1].params.get("show_alert") in (True, "true", "True")


async def test_unknown_callback_data_is_answered_in_the_users_language(bot):
    await bot.send(STRANGER, "/lang en")
    await bot.press(STRANGER, "zz:1", 1)
    assert bot.alerts()[-1] == "⚠️ This button is no longer valid; please send the command again."


def test_the_catch_all_is_the_last_callback_handler(tmp_path):
    from telegram.ext import CallbackQueryHandler

    from handlers.fallbacks import unknown_button

    h = Harness(tmp_path / "gc.db", sample=False)
    callback_handlers = [x for x in h.app.handlers[0] if isinstance(x, CallbackQueryHandler)]
    assert callback_handlers[-1].callback.__wrapped__ is unknown_button  # type: ignore[attr-defined]
    assert callback_handlers[-1].pattern is None
    assert all(x.pattern is not None for x in callback_handlers[:-1])
    assert composition.register.__doc__


@pytest.mark.parametrize("key", sorted(k for k in TEXTS if k.startswith(("role_", "cmd_"))))
def test_role_and_menu_labels_exist_in_both_languages(key):
    zh, en = TEXTS[key]
    assert zh and en and not CJK.search(en)


@pytest.mark.parametrize(
    "key",
    [
        "welcome",
        "not_registered",
        "join_usage",
        "invite_usage",
        "bind_usage",
        "help_worker",
        "help_contact",
        "help_admin",
        "button_unknown",
    ],
)
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_registration_texts_are_valid_telegram_html(key, lang):
    assert_telegram_html(t(lang, key))
