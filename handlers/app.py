"""The composition root: build the Application and register every handler in one place.

`register` below lists every handler of every feature module, in order, each step
commented (the model: python-telegram-bot's rules-bot). The services (`bot.services.container.Services`, PTB's `bot_data`) open in
`post_init` and close in `post_shutdown`. `handlers/` is the only package importing `telegram`
(besides `bot/cli/bot.py`, which starts the bot).
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any, Final

from telegram.ext import (
    AIORateLimiter,
    Application,
    ApplicationBuilder,
    BaseHandler,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    MessageHandler,
    filters,
)
from telegram.request import BaseRequest

from bot.clock import Clock
from bot.config import Settings
from bot.services.container import Services
from handlers import (
    actions,
    callbacks,
    check,
    common,
    evidence,
    fallbacks,
    notices,
    registration,
    reminders,
    review,
    spotchecks,
    status,
)
from handlers.common import guarded
from handlers.download import StreamingRequest
from handlers.menus import publish_commands

log = logging.getLogger(__name__)

GreenApp = Application[Any, Any, Any, Any, Services, Any]


TEXT = filters.TEXT & ~filters.COMMAND


def command(name: str, fn: common.Handler) -> CommandHandler[Any, None]:
    return CommandHandler(name, guarded(fn))


def button(action: str, fn: common.Handler) -> CallbackQueryHandler[Any, None]:
    return CallbackQueryHandler(guarded(fn), pattern=callbacks.pattern(action))


def message(which: filters.BaseFilter, fn: common.Handler) -> MessageHandler[Any, None]:
    return MessageHandler(which, guarded(fn))


# Every handler of group 0, in order, each step commented; `register` adds them.
HANDLERS: Final[tuple[BaseHandler[Any, Any, Any], ...]] = (
    # 1. Identity and registration, open to everyone (the deep link arrives as /start CODE).
    command("start", registration.start),
    command("join", registration.join),
    command("help", registration.help_),
    command("me", registration.me),
    command("lang", registration.lang),
    command("invite", registration.invite),  # admins, in a private chat
    command("bind", registration.bind),  # admins, in a group
    command("users", registration.users),  # admins: who holds which role
    command("revoke", registration.revoke),  # admins: asks for confirmation
    button("iv", registration.on_invite_mode),  # a second invite: move or add
    button("rk", registration.on_revoke),  # confirm a revocation
    # 2. The self-check card: the hot path first (an answer tap checks the fewest handlers).
    button("a", check.on_answer),
    button("q", check.on_show),
    button("t", check.on_toc),
    button("g", check.on_gaps),
    button("s", check.on_submit),
    button("sy", check.on_confirm),
    button("sn", check.on_cancel),
    button("e", check.on_prompt),  # 📎 asks for a file
    button("o", check.on_prompt),  # ✏️ asks for a note
    button("c", check.on_pick),
    button("cy", check.on_same),  # 与上年相同
    command("check", check.check),
    command("gaps", check.gaps),
    command("submit", check.submit),
    command("reopen", check.reopen),
    # 2a. Evidence files: the item's list, view, remove, move; the pack.
    button("el", evidence.on_list),
    button("ev", evidence.on_view),
    button("er", evidence.on_remove),
    button("em", evidence.on_move),
    command("pack", evidence.pack_cmd),
    # 2b. The review chain.
    command("review", review.review),
    command("publish", review.publish),
    command("history", review.history),
    button("rv:o", review.on_open),  # 查看: the review card
    button("rv:q", review.on_item),
    button("rv:a", review.on_verify),  # a verified answer
    button("rv:k", review.on_verify),  # ✔ confirm the worker's answer
    button("rv:m", review.on_comment),  # 💬 asks for a comment
    button("rv:f", review.on_files),
    button("rv:y", review.on_approve),  # 通过 (or record 公示 / 公布 / 授牌)
    button("rv:Y", review.on_approve),  # 通过 a failing check, after the warning
    button("rv:n", review.on_back),  # 退回: asks for the reason
    button("rv:w", check.on_fix),  # a sent-back notice: the worker's card on a reopened item
    button("rv:t", review.on_toc),  # 📋 the reviewer's 目录, a page of it
    # 2c. 公示 as a period: its days, the list, objections (异议) and their outcome.
    command("publicity", spotchecks.publicity),
    command("objection", spotchecks.objection),  # admins
    button("pb:d", spotchecks.on_publicise),  # 📢 record 公示: asks for its days
    button("pb:v", spotchecks.on_objections),
    button("pb:u", spotchecks.on_resolve),  # uphold: asks for the reason
    button("pb:x", spotchecks.on_resolve),  # dismiss: asks for the reason
    # 2d. Spot checks (抽查): the figures, the draw, the inspector's card.
    command("spotcheck", spotchecks.spotcheck),
    button("sp:o", spotchecks.on_open),
    button("sp:q", spotchecks.on_open),
    button("sp:a", spotchecks.on_verify),  # the inspector's answer
    button("sp:k", spotchecks.on_verify),  # ✔ as the community answered
    button("sp:m", spotchecks.on_prompt),  # 💬 asks for a comment
    button("sp:e", spotchecks.on_prompt),  # 📷 asks for a photo
    button("sp:f", spotchecks.on_files),
    button("sp:y", spotchecks.on_decide),  # confirm · rectify (asks the due day) · propose
    button("sp:w", spotchecks.on_city),  # the city confirms a withdrawal
    button("sp:n", spotchecks.on_city),  # … or declines it
    button("sp:x", spotchecks.on_export),
    # 3. Deadlines and reminders.
    command("deadlines", reminders.deadlines),
    command("deadline", reminders.deadline),
    command("remind", reminders.remind),
    button("r", reminders.on_confirm),  # ✅ 已报送 (a county)
    button("ru", reminders.on_confirm),  # ✅ 已报送 (a street's or community's own duty)
    button("rd", reminders.on_details),  # 📊 查看详情
    button("rs", reminders.on_resend),  # 🔁 resend one that may not have arrived
    # 4. Progress and files.
    command("status", status.status),
    command("community", status.community),
    command("missing", status.missing_cmd),
    command("export", status.export),
    command("form", status.form_cmd),
    command("chart", status.chart),
    button("v:s", status.on_county_page),
    button("v:S", status.on_county_page),
    button("v:y", status.on_year),
    button("v:c", status.on_county),
    button("v:m", status.on_missing_page),
    button("v:miss", status.on_missing),
    button("v:chart", status.on_file),
    button("v:exp", status.on_file),
    button("v:ff", status.on_form_field),
    button("v:sc", status.on_self_check),
    # 5. Years and corrective actions.
    command("target", actions.target),
    command("action", actions.open_action),
    command("actions", actions.list_actions),
    command("withdraw", actions.withdraw),
    button("ax:c", actions.on_close),  # the owner's 已整改
    button("ax:y", actions.on_review),  # a reviewer confirms
    button("ax:n", actions.on_review),  # a reviewer reopens
    button("ax:e", actions.on_attach),  # 📎 the action's closing file
    command("reassign", actions.reassign),  # give an action to another worker
    button("nr", notices.on_resend),  # 🔁 resend a notice that may not have arrived
    # 6. Messages, in this order: files; other media; text. A file or text answering a prompt
    #    (a note, evidence, a review comment or reason, an action's file, a form field, a spot
    #    check's or 公示's remark, photo, day or reason) goes where the user's pending prompt in
    #    the prompts table says. After every command handler.
    message(filters.PHOTO | filters.Document.ALL, check.on_file),
    message(check.UNSUPPORTED, check.on_unsupported),
    message(TEXT, check.on_text),
    # 7. LAST among command handlers: a command nobody above handles (/foo) gets a reply.
    message(filters.COMMAND, check.on_unknown_command),
    # 8. LAST among callback handlers: data no pattern above matched (a button from an old
    #    version, or forged data) gets a polite alert and changes nothing.
    CallbackQueryHandler(guarded(fallbacks.unknown_button)),
)


def register(app: GreenApp) -> None:
    """Register every handler, in order, each wrapped once in `guarded` (a lock held too long
    elsewhere gets a "busy, try again" reply), then the repeating jobs.

    In group 0 the first matching handler wins: commands never collide (one handler per
    command) and buttons route on their action's pattern (handlers/callbacks.py), so only the
    message handlers' order and the two catch-alls' places matter (commented where they do).
    """
    app.add_handler(common.RepeatsHandler(), group=-1)  # drops repeats, edits, strangers' floods
    for handler in HANDLERS:
        app.add_handler(handler)
    # 9. Errors: log, and a polite message instead of a traceback.
    app.add_error_handler(fallbacks.on_error)
    # 10. The repeating jobs, each under one deterministic name (re-registering replaces it).
    reminders.schedule(app)  # deadline reminders, and a catch-up shortly after start
    review.schedule(app)  # reviewers of checks waiting too long
    actions.schedule(app)  # owners of corrective actions
    evidence.schedule(app)  # downloads of evidence files that failed
    spotchecks.schedule(app)  # downloads of the inspectors' files that failed
    evidence.schedule_backups(app)  # the daily backup (when GREENCHECK_BACKUP_DIR is set)
    notices.schedule(app)  # notices a crash or a locked database left unsent


def build_application(
    settings: Settings,
    request: BaseRequest | None = None,
    publish: bool = True,
    clock: Clock | None = None,
) -> GreenApp:
    """Build the Application: services open in post_init and close in post_shutdown.

    `clock`: the one clock every service reads (default: the wall clock in GREENCHECK_TZ)."""

    async def post_init(app: GreenApp) -> None:
        app.bot_data.open(settings, clock, bot_start=True)
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
