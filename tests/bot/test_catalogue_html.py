"""Every catalogue message, in both languages, is one Telegram accepts (through the local Bot API)."""

import string

import pytest
from telegram import Bot
from telegram.constants import ParseMode
from telegram.error import BadRequest

from bot.clock import FixedClock
from bot.texts import LANGS, TEXTS, t
from bot.texts.cli import TEXTS as CLI_TEXTS
from handlers.localapi import LocalBotAPI, parse_html
from tests.harness import NOW, ZONE

# CLI texts (the cli module, and keys named *cli_*) are printed, not sent to Telegram.
CHAT_KEYS = sorted(k for k in set(TEXTS) - set(CLI_TEXTS) if "cli_" not in k)


def sample(lang: str, key: str) -> str:
    """Format a message with a harmless sample value for each placeholder."""
    values: dict[str, object] = {}
    for text in TEXTS[key]:
        for _, name, spec, _ in string.Formatter().parse(text):
            if name:
                values[name.split(".")[0].split("[")[0]] = 1.5 if spec else "样例"
    return t(lang, key, **values)


@pytest.fixture
async def tg():
    api = LocalBotAPI(FixedClock(ZONE, NOW))
    bot = Bot("1:local", request=api, get_updates_request=api)
    async with bot:
        yield bot


@pytest.mark.parametrize("lang", LANGS)
async def test_every_chat_message_is_valid_telegram_html(tg, lang):
    refused = []
    for key in CHAT_KEYS:
        try:
            await tg.send_message(1, sample(lang, key), parse_mode=ParseMode.HTML)
        except BadRequest as exc:
            refused.append(f"{key}: {exc.message}")
    assert refused == []


def test_local_api_refuses_a_literal_placeholder_tag():
    with pytest.raises(ValueError, match="unsupported start tag"):
        parse_html("Send /join <community>")


def test_english_messages_have_no_chinese_except_data():
    chinese = [k for k in CHAT_KEYS if any("\u4e00" <= c <= "\u9fff" for c in TEXTS[k][1])]
    assert chinese == []
