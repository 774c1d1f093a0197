"""The last resorts: a button nobody handles, and an update that failed.

Both answer politely in the caller's language and never show a traceback.
"""

from __future__ import annotations

import logging

from telegram import Update

from bot.domain.access import NOBODY
from bot.texts import t
from handlers.common import Ctx, reply, who

log = logging.getLogger(__name__)


async def unknown_button(update: Update, context: Ctx) -> None:
    """Answer callback data no handler's pattern matched: a stale button or forged data.

    Registered after every feature's `CallbackQueryHandler`; it changes nothing, it only
    answers the query (Telegram shows a spinner until it is answered) with a polite alert.
    """
    query = update.callback_query
    if query is None:
        return
    log.info("unhandled callback data %r from %s", query.data, query.from_user.id)
    await query.answer(t(who(update, context).lang, "button_unknown"), show_alert=True)


async def on_error(update: object, context: Ctx) -> None:
    """Log the error and tell the user politely; never show a traceback."""
    log.error("update failed", exc_info=context.error)
    if not isinstance(update, Update):
        return
    p = who(update, context) if update.effective_user else NOBODY
    if update.callback_query is not None:
        try:
            await update.callback_query.answer(t(p.lang, "error"), show_alert=True)
            return
        except Exception:  # the query may be too old to answer
            log.debug("could not answer the callback query", exc_info=True)
    if update.effective_message is not None:
        await reply(update, t(p.lang, "error"))
