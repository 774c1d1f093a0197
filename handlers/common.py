"""Shared handler plumbing: typed context, the caller's roles, keyboards, safe edits."""

from __future__ import annotations

from html import escape
from typing import Any

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Message, Update
from telegram.constants import ParseMode
from telegram.error import BadRequest
from telegram.ext import ApplicationHandlerStop, CallbackContext, ExtBot

from bot.domain.access import Principal
from bot.services.container import Services
from bot.services.people import load_principal
from bot.store.db import claim_update
from bot.texts import t
from bot.texts.layout import MESSAGE_LIMIT, fit
from handlers.cards import Buttons, Card

Ctx = CallbackContext[ExtBot[None], dict[Any, Any], dict[Any, Any], Services]


def svc(context: Ctx) -> Services:
    return context.bot_data


def who(update: Update, context: Ctx) -> Principal:
    """Load the caller's roles from the database (on every update)."""
    user = update.effective_user
    if user is None:
        return Principal(0)
    return load_principal(svc(context).db, user.id)


async def registered(update: Update, context: Ctx) -> Principal | None:
    """Return the caller's roles, or tell an unregistered caller how to join and return None."""
    p = who(update, context)
    if not p.registered:
        await reply(update, t(p.lang, "not_registered"))
        return None
    return p


def markup(buttons: Buttons) -> InlineKeyboardMarkup | None:
    if not buttons:
        return None
    return InlineKeyboardMarkup(
        [
            [InlineKeyboardButton(label, callback_data=data) for label, data in row]
            for row in buttons
        ]
    )


TEXT_LIMIT = MESSAGE_LIMIT


async def reply(
    update: Update, text: str, buttons: Buttons | None = None, **kw: Any
) -> Message | None:
    """Answer the update's message with HTML text and optional buttons."""
    msg = update.effective_message
    if msg is None:
        return None
    return await msg.reply_text(
        fit(text), parse_mode=ParseMode.HTML, reply_markup=markup(buttons or []), **kw
    )


async def one_match(
    update: Update, lang: str, query: str, matches: list[tuple[int, str]]
) -> tuple[int, str] | None:
    """Return the only match of a name, or reply 'not found' / the candidates and return None."""
    if len(matches) == 1:
        return matches[0]
    key = "ambiguous" if matches else "not_found"
    names = "\n".join(m[1] for m in matches[:20])
    await reply(update, t(lang, key, name=escape(query), candidates=escape(names)))
    return None


async def send_card(update: Update, card: Card) -> Message | None:
    return await reply(update, card.text, card.buttons)


async def edit_card(message: Message, card: Card) -> None:
    """Edit a card in place; an unchanged card is not an error."""
    try:
        await message.edit_text(
            fit(card.text), parse_mode=ParseMode.HTML, reply_markup=markup(card.buttons)
        )
    except BadRequest as exc:
        if "not modified" not in str(exc).lower():
            raise


async def drop_repeats(update: object, context: Ctx) -> None:
    """Stop an update Telegram delivered before (after a restart or a network error).

    Answer taps (callback data `a:…`) are recorded inside their own answer transaction
    instead, so the hot path commits once.
    """
    if not isinstance(update, Update):
        return
    query = update.callback_query
    if query is not None and query.data is not None and query.data.startswith("a:"):
        return
    if not claim_update(svc(context).db, update.update_id):
        raise ApplicationHandlerStop


def command_arg(context: Ctx) -> str:
    return " ".join(context.args or []).strip()
