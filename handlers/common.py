"""Shared handler plumbing: typed context, the caller's roles, keyboards, safe edits."""

from __future__ import annotations

from typing import Any

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Message, Update
from telegram.constants import ParseMode
from telegram.error import BadRequest
from telegram.ext import CallbackContext, ExtBot

from bot.people import Principal, principal
from bot.services import Services
from handlers.cards import Buttons, Card

Ctx = CallbackContext[ExtBot[None], dict[Any, Any], dict[Any, Any], Services]


def svc(context: Ctx) -> Services:
    return context.bot_data


def who(update: Update, context: Ctx) -> Principal:
    """Load the caller's roles from the database (on every update)."""
    user = update.effective_user
    if user is None:
        return Principal(0)
    return principal(svc(context).db, user.id)


def markup(buttons: Buttons) -> InlineKeyboardMarkup | None:
    if not buttons:
        return None
    return InlineKeyboardMarkup(
        [
            [InlineKeyboardButton(label, callback_data=data) for label, data in row]
            for row in buttons
        ]
    )


async def reply(
    update: Update, text: str, buttons: Buttons | None = None, **kw: Any
) -> Message | None:
    """Answer the update's message with HTML text and optional buttons."""
    msg = update.effective_message
    if msg is None:
        return None
    return await msg.reply_text(
        text, parse_mode=ParseMode.HTML, reply_markup=markup(buttons or []), **kw
    )


async def send_card(update: Update, card: Card) -> Message | None:
    return await reply(update, card.text, card.buttons)


async def edit_card(message: Message, card: Card) -> None:
    """Edit a card in place; an unchanged card is not an error."""
    try:
        await message.edit_text(
            card.text, parse_mode=ParseMode.HTML, reply_markup=markup(card.buttons)
        )
    except BadRequest as exc:
        if "not modified" not in str(exc).lower():
            raise


def command_arg(context: Ctx) -> str:
    return " ".join(context.args or []).strip()
