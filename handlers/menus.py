"""Command menus per role and language (setMyCommands with scopes)."""

from __future__ import annotations

import logging
from typing import Any

from telegram import (
    Bot,
    BotCommand,
    BotCommandScopeAllGroupChats,
    BotCommandScopeAllPrivateChats,
    BotCommandScopeChat,
)
from telegram.error import TelegramError
from telegram.ext import Application

from bot.domain.access import menu_role
from bot.services.people import People
from bot.texts import t
from handlers.delivery import until_answered

log = logging.getLogger(__name__)

# Command menus per role; each command's description is the catalogue's `cmd_<command>`.
MENUS: dict[str, list[str]] = {
    "worker": ["check", "gaps", "submit", "status", "form", "deadlines", "me", "lang", "help"],
    "group": ["check", "gaps", "submit", "help"],
    "contact": ["status", "missing", "community", "export", "chart", "deadlines", "me", "lang", "help",
                "review", "history", "spotcheck"],  # + the review chain, spot checks
    "street": ["review", "history", "me", "lang", "help"],  # a street reviewer
    "expert": ["review", "spotcheck", "history", "me", "lang", "help"],  # an invited expert
    "admin": [
        "status", "community", "missing", "export", "form", "chart", "deadlines", "deadline",
        "remind", "invite", "users", "revoke", "bind", "reopen", "check", "gaps", "submit", "me",
        "lang", "help", "review", "history", "publish",  # the review chain
        "publicity", "objection", "spotcheck",  # 公示 periods, objections, spot checks
    ],
}  # fmt: skip


def _menu(role: str, en: bool) -> list[BotCommand]:
    lang = "en" if en else "zh"
    return [BotCommand(c, t(lang, f"cmd_{c}")) for c in MENUS[role]]


async def publish_menu(bot: Bot, people: People, user_id: int, retry: bool = False) -> None:
    """Give one user the menu of their strongest role in their private chat (`retry`: wait out
    5xx and network errors, for the background job; a handler never waits)."""
    role = menu_role(people.load_principal(user_id))
    if role is None:
        return  # workers see the default private-chat menu
    for en in (False, True):
        try:
            if retry:
                await _set(bot, _menu(role, en), BotCommandScopeChat(user_id), "en" if en else None)
            else:
                await bot.set_my_commands(
                    _menu(role, en),
                    scope=BotCommandScopeChat(user_id),
                    language_code="en" if en else None,
                )
        except TelegramError as exc:  # never opened the bot: no chat yet
            log.info("no %s menu for %s: %s", role, user_id, exc)
            return


# Start-up calls that fail with a 5xx or a network error are retried, first after this many
# seconds, doubling up to BACKOFF_CAP: a passing outage never stops the bot from starting.
BACKOFF_FIRST = 1.0
BACKOFF_CAP = 60.0


async def _set(bot: Bot, commands: list[BotCommand], scope: Any, lang: str | None) -> None:
    await until_answered(
        lambda: bot.set_my_commands(commands, scope=scope, language_code=lang),
        "setMyCommands",
        first=BACKOFF_FIRST,
        cap=BACKOFF_CAP,
    )


async def publish_commands(app: Application[Any, Any, Any, Any, Any, Any]) -> None:
    """Publish the command menus per scope, role and language (setMyCommands), each call
    retried until the API answers (transient errors at start-up never stop the bot)."""
    bot = app.bot
    for en in (False, True):
        lang = "en" if en else None
        await _set(bot, _menu("worker", en), None, lang)
        await _set(bot, _menu("worker", en), BotCommandScopeAllPrivateChats(), lang)
        await _set(bot, _menu("group", en), BotCommandScopeAllGroupChats(), lang)
    staff = app.bot_data.people.staff_ids()
    # Thousands of contacts take minutes behind the rate limiter: do not hold up the start.
    if app.job_queue is not None:
        app.job_queue.run_once(publish_staff_menus, when=1, name=STAFF_MENUS_JOB, data=staff)


STAFF_MENUS_JOB = "greencheck-staff-menus"


async def publish_staff_menus(context: Any) -> None:
    """Publish each admin's and contact's own menu, one after another (a one-off job)."""
    for uid in context.job.data:
        await publish_menu(context.bot, context.bot_data.people, uid, retry=True)
