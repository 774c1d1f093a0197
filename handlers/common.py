"""Shared handler plumbing: typed context, the caller's roles, keyboards, safe edits, and the
retry of a unit of work while another process holds the database lock (`unit`, `busy_guard`).
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import logging
from collections.abc import Callable, Coroutine
from html import escape
from typing import Any, TypeVar

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Message, Update
from telegram.constants import ParseMode
from telegram.error import BadRequest
from telegram.ext import ApplicationHandlerStop, CallbackContext, ExtBot, TypeHandler

from bot.domain.access import Principal
from bot.services.checks import stamp
from bot.services.container import Services
from bot.services.people import load_principal
from bot.store.db import Busy, claim_update
from bot.texts import t
from bot.texts.layout import MESSAGE_LIMIT, fit
from handlers.cards import Buttons, Card

Ctx = CallbackContext[ExtBot[None], dict[Any, Any], dict[Any, Any], Services]
T = TypeVar("T")
log = logging.getLogger(__name__)


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
    return _markup(tuple(tuple(row) for row in buttons))


@functools.lru_cache(maxsize=2048)
def _markup(rows: tuple[tuple[tuple[str, str], ...], ...]) -> InlineKeyboardMarkup:
    """Keyboards are immutable Telegram objects: a card's keyboard is built once, then reused."""
    return InlineKeyboardMarkup(
        [[InlineKeyboardButton(label, callback_data=data) for label, data in row] for row in rows]
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


class RepeatsHandler(TypeHandler[Update, Ctx, None]):
    """Group -1: every update but answer taps goes through `drop_repeats` first.

    Answer taps (callback data `a:…`) claim their update id inside their own answer
    transaction, so they skip this handler entirely (no context is even built for them).
    """

    def __init__(self) -> None:
        super().__init__(Update, drop_repeats)

    def check_update(self, update: object) -> bool:
        if not isinstance(update, Update):
            return False
        query = update.callback_query
        return not (query is not None and query.data is not None and query.data.startswith("a:"))


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
    s = svc(context)
    try:
        fresh = claim_update(s.db, update.update_id, stamp(s.clock()))
    except Busy:  # locked elsewhere: handle it unclaimed rather than stall or drop it
        log.warning("update %s not claimed: database busy", update.update_id)
        return
    if not fresh:
        if query is not None:  # a redelivered tap: answer it, or its spinner runs on
            with contextlib.suppress(BadRequest):
                await query.answer()
        raise ApplicationHandlerStop


def command_arg(context: Ctx) -> str:
    return " ".join(context.args or []).strip()


# -- the lock stall: retry a unit of work without blocking the event loop ---------------------

BUSY_DEADLINE = 3.0  # seconds a unit of work keeps being retried while the database is locked
BUSY_FIRST_WAIT = 0.05  # the first pause; it doubles up to BUSY_MAX_WAIT
BUSY_MAX_WAIT = 0.4


async def unit(work: Callable[[], T], deadline: float | None = None) -> T:
    """Run one unit of work (a service call), retrying it while the database is locked.

    Each attempt waits at most the connection's short busy timeout (bot.store.db.BOT_BUSY_MS)
    inside SQLite; between attempts the event loop is free (`asyncio.sleep`), so other chats
    keep working. A unit of work that raised `Busy` wrote nothing (its transaction rolled
    back), so running it again is safe. After `deadline` seconds (default BUSY_DEADLINE) the
    last `Busy` propagates: `busy_guard` turns it into the "busy, try again" reply.
    """
    loop = asyncio.get_running_loop()
    end = loop.time() + (BUSY_DEADLINE if deadline is None else deadline)
    wait = BUSY_FIRST_WAIT
    while True:
        try:
            return work()
        except Busy:
            if loop.time() + wait > end:
                raise
            await asyncio.sleep(wait)
            wait = min(wait * 2, BUSY_MAX_WAIT)


Handler = Callable[[Update, Ctx], Coroutine[Any, Any, None]]


def busy_guard(handler: Handler) -> Handler:
    """Wrap a handler: a `Busy` that outlived `unit`'s retries gets a clear "busy" reply."""

    @functools.wraps(handler)
    async def guarded(update: Update, context: Ctx) -> None:
        try:
            await handler(update, context)
        except Busy:
            lang = who(update, context).lang
            if update.callback_query is not None:
                await update.callback_query.answer(t(lang, "busy"), show_alert=True)
            else:
                await reply(update, t(lang, "busy"))

    return guarded
