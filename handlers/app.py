"""The composition root: build the Application and register every handler in one place.

Every feature module exposes `register(app)`; `register` below calls them in order, each step
commented. The services (`bot.services.container.Services`, PTB's `bot_data`) open in
`post_init` and close in `post_shutdown`. `handlers/` is the only package importing `telegram`
(besides `bot/cli/bot.py`, which starts the bot).
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from telegram.ext import (
    AIORateLimiter,
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    ContextTypes,
)
from telegram.request import BaseRequest

from bot.clock import Clock
from bot.config import Settings
from bot.services.container import Services
from handlers import (
    actions,
    check,
    common,
    evidence,
    fallbacks,
    registration,
    reminders,
    review,
    status,
)
from handlers.download import StreamingRequest
from handlers.menus import publish_commands

log = logging.getLogger(__name__)

GreenApp = Application[Any, Any, Any, Any, Services, Any]


def register(app: GreenApp) -> None:
    """Register every handler, in order: in group 0 the first matching handler wins.

    Commands never collide (one handler per command); callback handlers route on their
    action's pattern (`handlers/callbacks.py`), so only the catch-all's position matters.
    """
    # 0. Before everything (group -1): drop updates Telegram delivers a second time.
    app.add_handler(common.RepeatsHandler(), group=-1)
    # 1. Identity and registration, open to everyone: /start (and its deep link), /join,
    #    /help, /me, /lang; the admin commands /invite and /bind.
    registration.register(app)
    # 2. The self-check: /check /gaps /submit /reopen, the card's buttons (a q t g s e o c),
    #    evidence (photos, documents; other media get an explanation), notes and text hints.
    #    The card's buttons are registered first: the hot path.
    review.register(app)  # 2a. the review chain (its prompt replies before check's text)
    check.register(app)
    evidence.register(app)  # 2b. evidence files: the download retry job, the file list buttons
    # 3. Deadlines and reminders: /deadlines /deadline /remind, r: and rd: buttons, the job.
    reminders.register(app)
    # 4. Progress and files: /status /community /missing /export /form /chart, v: buttons.
    status.register(app)
    actions.register(app)  # 4c. years and corrective actions: /target /action /actions, ax:
    # 4b. LAST among command handlers: a command nobody above handles (/foo) gets a reply.
    check.register_unknown_command(app)
    # 5. LAST among callback handlers: data no pattern above matched (a button from an old
    #    version, or forged data) gets a polite alert and changes nothing.
    app.add_handler(CallbackQueryHandler(fallbacks.unknown_button))
    # 6. Errors: log, and a polite message instead of a traceback.
    app.add_error_handler(fallbacks.on_error)


def build_application(
    settings: Settings,
    request: BaseRequest | None = None,
    publish: bool = True,
    clock: Clock | None = None,
) -> GreenApp:
    """Build the Application: services open in post_init and close in post_shutdown.

    `clock`: the one clock every service reads (default: the wall clock in GREENCHECK_TZ)."""

    async def post_init(app: GreenApp) -> None:
        app.bot_data.open(settings, clock)
        if publish:
            await publish_commands(app)

    async def post_shutdown(app: GreenApp) -> None:
        app.bot_data.close()

    token = (
        settings.telegram_bot_token.get_secret_value() if settings.telegram_bot_token else "0:local"
    )
    builder = (
        ApplicationBuilder()
        .token(token)
        .base_url(settings.telegram_api_base_url)
        .base_file_url(settings.telegram_file_base_url)
        .context_types(ContextTypes(bot_data=Services))
        .post_init(post_init)
        .post_shutdown(post_shutdown)
    )
    if settings.rate_limit:
        builder = builder.rate_limiter(AIORateLimiter(max_retries=3))  # type: ignore[arg-type]
    if request is not None:
        builder = builder.request(request).get_updates_request(request)
    else:  # PTB's own request (its pool size), plus streamed file downloads (handlers/download.py)
        builder = builder.request(StreamingRequest(connection_pool_size=256))
    app: GreenApp = builder.build()
    register(app)
    return app


@asynccontextmanager
async def running(app: GreenApp) -> AsyncIterator[GreenApp]:
    """Run the Application without polling (tests, demo): init, post_init, start; then stop."""
    await app.initialize()
    if app.post_init:
        await app.post_init(app)
    await app.start()
    try:
        yield app
    finally:
        await app.stop()
        if app.post_shutdown:
            await app.post_shutdown(app)
        await app.shutdown()
