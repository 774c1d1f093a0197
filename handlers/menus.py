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

from bot.people import principal

log = logging.getLogger(__name__)

# Command menus per role; (command, Chinese, English).
_C = {
    "check": ("开始或继续自查", "start or resume the self-check"),
    "gaps": ("查看缺项", "what is still missing"),
    "submit": ("提交自查", "submit the check"),
    "status": ("查看进度", "progress"),
    "community": ("社区详情", "one community in detail"),
    "missing": ("未开始自查的社区", "communities not started"),
    "export": ("导出报表 XLSX", "export the official tables"),
    "form": ("绿色社区申报表 DOCX", "the application form"),
    "chart": ("进度图表", "progress chart"),
    "deadlines": ("报送截止日期", "reporting deadlines"),
    "deadline": ("添加或删除截止日期", "add or delete a deadline"),
    "remind": ("立即发送今日提醒", "send today's reminders now"),
    "invite": ("生成邀请", "create an invite"),
    "bind": ("绑定群到社区或县区", "bind a group"),
    "reopen": ("重新开放已提交的自查", "reopen a submitted check"),
    "me": ("我的身份", "who am I"),
    "lang": ("切换语言 zh/en", "switch language zh/en"),
    "help": ("帮助", "help"),
}
MENUS: dict[str, list[str]] = {
    "worker": ["check", "gaps", "submit", "status", "form", "deadlines", "me", "lang", "help"],
    "group": ["check", "gaps", "submit", "help"],
    "contact": ["status", "missing", "community", "export", "chart", "deadlines", "me", "lang", "help"],
    "admin": [
        "status", "community", "missing", "export", "form", "chart", "deadlines", "deadline",
        "remind", "invite", "bind", "reopen", "check", "gaps", "submit", "me", "lang", "help",
    ],
}  # fmt: skip


def _menu(role: str, en: bool) -> list[BotCommand]:
    return [BotCommand(c, _C[c][1] if en else _C[c][0]) for c in MENUS[role]]


async def publish_menu(bot: Bot, db: Any, user_id: int) -> None:
    """Give one user the menu of their strongest role in their private chat."""
    p = principal(db, user_id)
    role = "admin" if p.admin else "contact" if p.counties else None
    if role is None:
        return  # workers see the default private-chat menu
    for en in (False, True):
        try:
            await bot.set_my_commands(
                _menu(role, en),
                scope=BotCommandScopeChat(user_id),
                language_code="en" if en else None,
            )
        except TelegramError as exc:  # never opened the bot: no chat yet
            log.info("no %s menu for %s: %s", role, user_id, exc)
            return


async def publish_commands(app: Application[Any, Any, Any, Any, Any, Any]) -> None:
    """Publish the command menus per scope, role and language (setMyCommands)."""
    bot = app.bot
    for en in (False, True):
        lang = "en" if en else None
        await bot.set_my_commands(_menu("worker", en), language_code=lang)
        await bot.set_my_commands(
            _menu("worker", en), scope=BotCommandScopeAllPrivateChats(), language_code=lang
        )
        await bot.set_my_commands(
            _menu("group", en), scope=BotCommandScopeAllGroupChats(), language_code=lang
        )
    db = app.bot_data.db
    staff = [
        uid
        for (uid,) in db.conn.execute(
            "SELECT DISTINCT user_id FROM roles WHERE role IN ('admin', 'contact')"
        )
    ]
    # Thousands of contacts take minutes behind the rate limiter: do not hold up the start.
    if app.job_queue is not None:
        app.job_queue.run_once(publish_staff_menus, when=1, name=STAFF_MENUS_JOB, data=staff)


STAFF_MENUS_JOB = "greencheck-staff-menus"


async def publish_staff_menus(context: Any) -> None:
    """Publish each admin's and contact's own menu, one after another (a one-off job)."""
    for uid in context.job.data:
        await publish_menu(context.bot, context.bot_data.db, uid)
