"""Paced sending with retries: how reminders (and notices to admins) leave the bot.

`send_paced` keeps under Telegram's rate (the `Pacer`), waits out a 429's `retry_after`,
retries network errors with backoff, and reports a 403 as 'unreachable'; it never raises for
what Telegram answers, so one dead chat never stops the others.

The delivery promise: a message is sent again only when it surely did not arrive. Telegram
answered with an error (429, 5xx, 400), or the request never left (connection refused, connect
or pool timeout): retried. A timeout or a broken connection after the request left may have
delivered it: 'uncertain', never retried automatically (admins resend with one tap). A 429
asking to wait longer than `MAX_RETRY_WAIT` ends the attempt as 'failed' instead of holding the
claim (a later run retries it), so no claim outlives `STALE_SENDING` while still alive.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import time
import warnings
from collections import deque
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from telegram import Bot
from telegram.constants import ParseMode
from telegram.error import (
    BadRequest,
    Forbidden,
    NetworkError,
    RetryAfter,
    TelegramError,
    TimedOut,
)

from handlers.cards import Buttons
from handlers.common import markup

Sleep = Callable[[float], Awaitable[None]]
T = TypeVar("T")
MAX_RETRY_WAIT = 120.0  # seconds: a longer 429 gives the attempt up (surely not delivered)
# httpx errors raised before the request left: nothing can have been delivered.
_NOT_SENT = frozenset({"ConnectError", "ConnectTimeout", "PoolTimeout"})
log = logging.getLogger(__name__)


class Pacer:
    """Keep sends under a rate: evenly spaced, and never more than `rate` in any `window`.

    `reserve` books the next evenly spaced moment (overall, and per chat at its own pace) and
    returns how long to wait for it. Spacing alone is not enough: if the event loop stalls, the
    sends booked during the stall leave together, and the second after them would exceed the
    rate. So `admit`, called right before each send, also checks the real send times of the last
    window and returns how much longer to wait (0: go, and the send is counted). Neither awaits,
    so concurrent tasks in one event loop cannot both take the last place.
    """

    def __init__(
        self,
        rate: float,
        per_chat: float = 1.0,
        per_group: float = 3.0,
        clock: Callable[[], float] = time.monotonic,
        window: float = 1.0,
    ) -> None:
        if rate <= 0:
            raise ValueError("rate must be positive")
        self.interval = 1.0 / rate
        self.per_chat = per_chat
        self.per_group = per_group
        self.clock = clock
        self.window = window
        self.cap = max(1, int(rate * window))
        self._next = 0.0
        self._chats: dict[int, float] = {}
        self._sent: deque[float] = deque()

    def reserve(self, chat_id: int) -> float:
        """Book the next evenly spaced moment for a send to `chat_id`; return the wait."""
        now = self.clock()
        at = max(now, self._next, self._chats.get(chat_id, 0.0))
        self._next = at + self.interval
        self._chats[chat_id] = at + (self.per_group if chat_id < 0 else self.per_chat)
        if len(self._chats) > 50_000:  # forget chats whose pause is over
            self._chats = {c: t_ for c, t_ in self._chats.items() if t_ > now}
        return at - now

    def admit(self) -> float:
        """Count a send now if the last window has room; else return how long to wait."""
        now = self.clock()
        sent = self._sent
        while sent and sent[0] <= now - self.window:
            sent.popleft()
        if len(sent) >= self.cap:
            return max(sent[0] + self.window - now, 1e-6)
        sent.append(now)
        return 0.0


@dataclass
class Delivery:
    """How reminders leave: pace, retries, and the sleep and clock behind both (tests fake them)."""

    rate: float = 30.0  # Telegram's overall limit, messages per second
    margin: float = 0.97  # pace a little under the limit so jitter never crosses it
    attempts: int = 4  # tries per reminder on 429 and on network errors
    backoff: float = 1.0  # first network retry after this many seconds, doubling
    workers: int = 32  # sends in flight (latency must not cap the rate)
    sleep: Sleep = asyncio.sleep
    clock: Callable[[], float] = time.monotonic  # the pacer's clock (tests pair it with sleep)
    pacer: Pacer = field(init=False)

    def __post_init__(self) -> None:
        self.pacer = Pacer(self.rate * self.margin, clock=lambda: self.clock())


@dataclass
class Report:
    due: int = 0
    sent: int = 0
    skipped: int = 0  # already sent or claimed by another run
    retries: int = 0  # 429s and network errors retried
    unreachable: list[int] = field(default_factory=list)
    failed: list[tuple[int, str]] = field(default_factory=list)  # retried by a later run
    uncertain: list[tuple[int, str]] = field(default_factory=list)  # may have been delivered
    gave_up: list[tuple[int, str]] = field(default_factory=list)  # failed on the last attempt


def _retry_after(exc: RetryAfter) -> float:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        value = exc.retry_after
    return value.total_seconds() if isinstance(value, dt.timedelta) else float(value)


async def _wait_turn(chat_id: int, delivery: Delivery) -> None:
    wait = delivery.pacer.reserve(chat_id)
    if wait > 0:
        await delivery.sleep(wait)
    while (wait := delivery.pacer.admit()) > 0:
        await delivery.sleep(wait)


def maybe_delivered(exc: NetworkError) -> bool:
    """Whether a network error may have hidden a delivery: the request may have reached
    Telegram (a read timeout, a broken connection). Errors without an HTTP-level cause are
    Telegram's own answers (5xx): nothing was delivered."""
    cause = exc.__cause__
    if cause is None:
        return isinstance(exc, TimedOut)
    return type(cause).__name__ not in _NOT_SENT


async def send_paced(
    bot: Bot,
    chat_id: int,
    text: str,
    buttons: Buttons,
    delivery: Delivery,
    report: Report | None = None,
    alive: Callable[[], bool] | None = None,
) -> tuple[str, str | None]:
    """Send one message within the pace; return ('sent'|'unreachable'|'failed'|'uncertain'|
    'skipped', error). `alive` is asked before each retry: False (the claim was taken from us)
    stops with 'skipped'."""
    rate_tries = net_tries = 0
    while True:
        await _wait_turn(chat_id, delivery)
        try:
            await bot.send_message(
                chat_id, text, parse_mode=ParseMode.HTML, reply_markup=markup(buttons)
            )
            return "sent", None
        except Forbidden as exc:  # never started the bot, blocked it, or removed from the group
            return "unreachable", exc.message
        except RetryAfter as exc:
            rate_tries += 1
            wait = _retry_after(exc)
            if rate_tries >= delivery.attempts or wait > MAX_RETRY_WAIT:
                return "failed", exc.message
        except BadRequest as exc:  # chat not found, bad markup: retrying will not help
            return "failed", exc.message
        except NetworkError as exc:  # includes TimedOut
            if maybe_delivered(exc):
                return "uncertain", exc.message
            net_tries += 1
            if net_tries >= delivery.attempts:
                return "failed", exc.message
            wait = delivery.backoff * 2 ** (net_tries - 1)
        except TelegramError as exc:
            return "failed", exc.message
        if report is not None:
            report.retries += 1
        await delivery.sleep(wait)
        if alive is not None and not alive():
            return "skipped", None


async def until_answered(
    call: Callable[[], Awaitable[T]],
    what: str,
    sleep: Sleep = asyncio.sleep,
    first: float = 1.0,
    cap: float = 60.0,
) -> T:
    """Run a Bot API call until Telegram answers it: a 5xx, a network error or a timeout is
    retried with backoff (doubling from `first` up to `cap` seconds), a 429 after `retry_after`.
    What retrying cannot fix (a rejected token, a bad request) is raised."""
    wait = first
    while True:
        try:
            return await call()
        except RetryAfter as exc:
            pause = _retry_after(exc)
        except NetworkError as exc:  # 5xx answers, timeouts and connection errors
            pause, wait = wait, min(cap, wait * 2)
            log.warning("%s failed (%s); retrying in %.3g s", what, exc.message, pause)
        await sleep(pause)


REMINDER_JOB = "greencheck-reminders"  # its data is the Delivery every send shares
FALLBACK = Delivery()


def delivery_of(app: Any) -> Delivery:
    """The Delivery the reminder job carries (shared by notices, /remind and the buttons)."""
    jq = app.job_queue
    if jq is not None:
        for job in jq.get_jobs_by_name(REMINDER_JOB):
            if isinstance(job.data, Delivery):
                return job.data
    return FALLBACK
