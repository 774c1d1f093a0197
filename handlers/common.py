"""Shared handler plumbing: typed context, the caller's roles, keyboards, safe edits, and the
retry of a unit of work while another process holds the database lock (`unit`, `guarded`).
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import logging
import weakref
from collections import OrderedDict
from collections.abc import Callable, Coroutine
from html import escape
from typing import Any, TypeVar

from telegram import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Message, Update
from telegram.constants import ParseMode
from telegram.error import BadRequest
from telegram.ext import ApplicationHandlerStop, CallbackContext, ExtBot, TypeHandler

from bot.domain.access import Principal, attributable
from bot.domain.errors import Busy
from bot.services.container import Services
from bot.texts import t
from bot.texts.layout import MESSAGE_LIMIT, alert, fit
from handlers import callbacks
from handlers.cards import Buttons, Card

Ctx = CallbackContext[ExtBot[None], dict[Any, Any], dict[Any, Any], Services]
T = TypeVar("T")
log = logging.getLogger(__name__)


def svc(context: Ctx) -> Services:
    return context.bot_data


def sender_ok(update: Update) -> bool:
    """Whether the update comes from one identifiable person (see `access.attributable`)."""
    user = update.effective_user
    if user is None:
        return False
    msg = update.effective_message
    via_chat = msg is not None and msg.sender_chat is not None and update.callback_query is None
    return attributable(user.id, user.is_bot, via_chat)


def who(update: Update, context: Ctx) -> Principal:
    """Load the caller's roles from the database (on every update).

    A bot, an anonymous admin or a message sent as a chat is nobody: no roles, ever.
    """
    user = update.effective_user
    if user is None or not sender_ok(update):
        return Principal(0)
    return svc(context).people.load_principal(user.id)


def every(app: Any, callback: Any, seconds: float, name: str) -> None:
    """Run `callback` every `seconds` under one deterministic job name (re-registering replaces
    it; runs that fall behind coalesce, one at a time). No JobQueue: nothing is scheduled."""
    jq = app.job_queue
    if jq is None:
        return
    for job in jq.get_jobs_by_name(name):
        job.schedule_removal()
    jq.run_repeating(callback, interval=seconds, first=seconds, name=name,
                     job_kwargs={"coalesce": True, "max_instances": 1})  # fmt: skip


async def admin_button(
    update: Update, context: Ctx
) -> tuple[CallbackQuery, callbacks.Op, Principal] | None:
    """An admins-only button: its query, decoded data and the admin (None: refused or not ours)."""
    query = update.callback_query
    op = callbacks.decode(query.data if query else None)
    if query is None or op is None:
        return None
    p = who(update, context)
    if not p.admin:
        await query.answer(alert(t(p.lang, "admin_only")), show_alert=True)
        return None
    return query, op, p


async def registered(update: Update, context: Ctx) -> Principal | None:
    """Return the caller's roles, or tell an unregistered caller how to join and return None."""
    p = who(update, context)
    if not p.registered:  # a flood of these was already cut short by `gate`
        await reply(update, t(p.lang, "not_registered"))
        return None
    return p


# -- throttles: at most so many replies per sender -------------------------------------------


class Throttle:
    """A token bucket per key (a user or a chat id), in memory and bounded (LRU).

    In memory on purpose: forgetting it (a restart, an evicted key) only lets one more reply
    through, it loses nothing a user did. `burst` replies at once, then one per `every` s.
    """

    def __init__(self, burst: int, every: float, size: int = 10_000) -> None:
        self.burst, self.every, self.size = burst, every, size
        self._keys: OrderedDict[int, tuple[float, float]] = OrderedDict()

    def take(self, key: int, now: float) -> bool:
        """Spend one reply for `key` at time `now` (seconds); False when none is left."""
        tokens, at = self._keys.pop(key, (float(self.burst), now))
        tokens = min(float(self.burst), tokens + max(0.0, now - at) / self.every)
        ok = tokens >= 1.0
        self._keys[key] = (tokens - 1.0 if ok else tokens, now)
        if len(self._keys) > self.size:
            self._keys.popitem(last=False)
        return ok


def _throttles() -> dict[str, Throttle]:
    return {
        "stranger": Throttle(burst=10, every=6.0),  # unregistered senders, every reply
        "bad_invite": Throttle(burst=1, every=30.0),  # a wrong invite code, per user
        "anonymous": Throttle(burst=1, every=60.0),  # "post as yourself", per chat
    }


_THROTTLES: weakref.WeakKeyDictionary[Services, dict[str, Throttle]] = weakref.WeakKeyDictionary()


def allowed(context: Ctx, kind: str, key: int) -> bool:
    """Whether a reply of `kind` ("stranger", "bad_invite", "anonymous") to `key` may go out."""
    s = svc(context)
    throttles = _THROTTLES.setdefault(s, _throttles())
    return throttles[kind].take(key, s.clock.now().timestamp())


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
    """Group -1: the gate every update but an answer tap goes through (`gate`).

    Answer taps (callback data `a:…`) claim their update id inside their own answer
    transaction, so they skip this handler (no context is even built for them) unless their
    sender cannot be attributed to a person (a cheap check, no database).
    """

    def __init__(self) -> None:
        super().__init__(Update, gate)

    def check_update(self, update: object) -> bool:
        if not isinstance(update, Update):
            return False
        query = update.callback_query
        if query is not None and query.data is not None and query.data.startswith("a:"):
            return not sender_ok(update)
        return True


async def gate(update: object, context: Ctx) -> None:
    """Stop what must not run: edits, unattributable senders, repeats, strangers' floods.

    1. An edited message changes nothing (README, "What edits do"); channel posts neither.
    2. A bot, an anonymous admin or a message sent as a chat is refused (once a minute per
       chat): they must post as themselves.
    3. An update Telegram delivered before is dropped (`drop_repeats`).
    4. An unregistered sender gets at most a few replies, then one every few seconds.
    """
    if not isinstance(update, Update):
        return
    if update.edited_message or update.edited_channel_post or update.channel_post:
        raise ApplicationHandlerStop  # edits count nowhere; channels are not people
    if not sender_ok(update):
        await refuse_anonymous(update, context)
        raise ApplicationHandlerStop
    await drop_repeats(update, context)
    if update.callback_query is None and update.effective_user is not None:
        p = who(update, context)
        if not p.registered and not allowed(context, "stranger", p.user_id):
            raise ApplicationHandlerStop


async def refuse_anonymous(update: Update, context: Ctx) -> None:
    """Tell an anonymous admin or channel, politely and rarely, to post as themselves."""
    query = update.callback_query
    if query is not None:
        await query.answer(t("zh", "post_as_yourself"), show_alert=True)
        return
    msg = update.effective_message
    if msg is None or update.effective_chat is None:
        return
    addressed = (msg.text or "").startswith("/") or (
        msg.reply_to_message is not None
        and msg.reply_to_message.from_user is not None
        and msg.reply_to_message.from_user.id == context.bot.id
    )
    if addressed and allowed(context, "anonymous", update.effective_chat.id):
        await reply(update, t("zh", "post_as_yourself"))


async def drop_repeats(update: Update, context: Ctx) -> None:
    """Stop an update Telegram delivered before (after a restart or a network error).

    When the guard itself fails (the database is locked elsewhere, or the disk is full) the
    update is processed unclaimed, and nobody is told anything failed: one outcome per update.
    Its own unit of work then succeeds, or fails and says so once.
    """
    s = svc(context)
    fresh = s.updates.claim(update.update_id)
    if fresh is None:
        log.warning("update %s not claimed: the guard failed", update.update_id)
        return
    if not fresh:
        query = update.callback_query
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
    last `Busy` propagates: `guarded` turns it into the "busy, try again" reply.
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


def guarded(handler: Handler) -> Handler:
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
