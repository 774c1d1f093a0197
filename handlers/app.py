"""The composition root: build the Application and register every handler in one place.

This module and `handlers/` are the only ones that import `telegram`.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from telegram import Update
from telegram.ext import (
    AIORateLimiter,
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
)
from telegram.request import BaseRequest

from bot.config import Settings
from bot.services.container import Services
from handlers import check, common, registration, reminders, status
from handlers.menus import publish_commands

log = logging.getLogger(__name__)

GreenApp = Application[Any, Any, Any, Any, Services, Any]


def register(app: GreenApp) -> None:
    """Register handlers; the first matching handler in group 0 wins, so order matters."""
    # 0. Before everything (group -1): drop updates Telegram delivers a second time.
    app.add_handler(common.RepeatsHandler(), group=-1)
    # 1. Identity and registration: open to everyone (the deep link arrives as /start <code>).
    app.add_handler(CommandHandler("start", registration.start))
    app.add_handler(CommandHandler("join", registration.join))
    app.add_handler(CommandHandler("help", registration.help_))
    app.add_handler(CommandHandler("me", registration.me))
    app.add_handler(CommandHandler("lang", registration.lang))
    # 2. The self-check (handlers/check.py): card buttons (a q t g s e o c, one handler per
    #    action, first: the hot path), /check /gaps /submit /reopen, then evidence (photos,
    #    documents; other media get an explanation) and notes as text.
    check.register(app)
    # 3. Admin commands.
    app.add_handler(CommandHandler("invite", registration.invite))
    app.add_handler(CommandHandler("bind", registration.bind))
    # 4. Feature modules with their own commands and callback prefixes (before the catch-all).
    reminders.register(app)  # /deadlines, /deadline, /remind, r: and rd: buttons, the job
    status.register(app)  # /status, /community, /missing, /export, /form, /chart, v: buttons
    # 5. The catch-all: answers stale or forged callback data politely (the people slice owns it).
    app.add_handler(CallbackQueryHandler(_stale_button))
    # 8. Errors: log, and a polite message instead of a traceback.
    app.add_error_handler(registration.on_error)


async def _stale_button(update: Update, context: Any) -> None:
    """Temporary catch-all until the people slice's lands: stale or forged data."""
    from bot.texts import t
    from handlers.common import who

    if update.callback_query is not None:
        await update.callback_query.answer(t(who(update, context).lang, "stale"), show_alert=True)


def build_application(
    settings: Settings, request: BaseRequest | None = None, publish: bool = True
) -> GreenApp:
    """Build the Application: services open in post_init and close in post_shutdown."""

    async def post_init(app: GreenApp) -> None:
        app.bot_data.open(settings)
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
