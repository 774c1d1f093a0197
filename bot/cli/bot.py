"""The sub-commands that talk to Telegram: `run`, `demo`, `invite` and the sending of `remind send`.

The one module of `bot/` that may import `telegram` and `handlers` (lazily, inside the commands)."""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import logging
import re
import secrets
import sys
from typing import Any
from urllib.parse import urlsplit

from bot.cli.common import (
    cli_lang,
    cli_services,
    fail,
    import_without_numpy,
    load_settings,
    say,
    sub_command,
    warn,
)
from bot.texts import plural, t

_TOKEN_IN_URL = re.compile(r"bot[0-9]+:[A-Za-z0-9_-]+")
_STATUS = re.compile(r"\((\d{3})\)")
_PHRASES = {"Unauthorized": 401, "Not Found": 404}  # Telegram's descriptions of 401 and 404


def redact(text: str, settings: Any) -> str:
    """`text` without the bot token (nor anything shaped like `bot<id>:<secret>`)."""
    token = settings.telegram_bot_token
    if token is not None and token.get_secret_value():
        text = text.replace(token.get_secret_value(), "<token>")
    return _TOKEN_IN_URL.sub("bot<token>", text)


def _http_status(exc: BaseException) -> int | None:
    """The HTTP status behind a python-telegram-bot error, from it or its causes."""
    seen: BaseException | None = exc
    while seen is not None:
        message = str(getattr(seen, "message", seen))
        m = _STATUS.search(message)
        if m:
            return int(m[1])
        if message.strip() in _PHRASES:
            return _PHRASES[message.strip()]
        seen = seen.__cause__
    return None


def telegram_failure(exc: BaseException, settings: Any) -> str:
    """One line saying why the Bot API failed: its base URL (token redacted) and the HTTP
    status, never the token. Shared by every command that talks to Telegram."""
    from telegram.error import InvalidToken, NetworkError

    base = redact(str(settings.telegram_api_base_url), settings)
    status = _http_status(exc)
    if isinstance(exc, InvalidToken):
        shown = str(status) if status else "401/404"
        return t(cli_lang(), "cli_tg_rejected", base=base, status=shown)
    if isinstance(exc, NetworkError) and status is None:
        error = redact(str(getattr(exc, "message", exc)), settings)
        return t(cli_lang(), "cli_tg_unreachable", base=base, error=error)
    error = redact(str(getattr(exc, "message", exc)), settings)
    return t(cli_lang(), "cli_tg_failed", base=base, status=status or "?", error=error)


class _Redact(logging.Filter):
    """Take the token out of every log record (message, arguments and traceback text)."""

    def __init__(self, settings: Any) -> None:
        super().__init__()
        self.settings = settings

    def filter(self, record: logging.LogRecord) -> bool:
        record.msg, record.args = redact(record.getMessage(), self.settings), None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact(record.exc_text, self.settings)
        return True


def configure_logging(settings: Any) -> None:
    """INFO to stderr, httpx quiet (it logs URLs, which hold the token), every handler redacting
    the token whatever a library logs."""
    logging.basicConfig(
        format="%(asctime)s %(levelname)s %(name)s: %(message)s", level=logging.INFO
    )
    logging.getLogger("httpx").setLevel(logging.WARNING)
    logging.getLogger("apscheduler").setLevel(logging.WARNING)  # "Adding job tentatively"
    # Its one message (a non-JSON answer, with a traceback) repeats the error it then raises,
    # which the command reports in one line.
    logging.getLogger("telegram.request").setLevel(logging.CRITICAL)
    for handler in logging.getLogger().handlers:
        handler.addFilter(_Redact(settings))


async def _initialize(app: Any) -> None:
    """getMe until the API answers (5xx and network errors retried with backoff)."""
    from handlers import menus
    from handlers.delivery import until_answered

    await until_answered(
        app.bot.initialize, "getMe", first=menus.BACKOFF_FIRST, cap=menus.BACKOFF_CAP
    )


def cmd_run(args: argparse.Namespace) -> int:
    from telegram.error import TelegramError

    import_without_numpy("handlers.app")  # answer the first update sooner
    from handlers.app import build_application

    settings = load_settings()
    if settings.telegram_bot_token is None:
        return fail("no_token")
    configure_logging(settings)
    app = build_application(settings)
    loop = asyncio.new_event_loop()  # run_polling/run_webhook go on in this loop
    asyncio.set_event_loop(loop)
    try:
        loop.run_until_complete(_initialize(app))
    except TelegramError as exc:  # a rejected token or base URL: no retry can fix it
        loop.close()
        print(telegram_failure(exc, settings), file=sys.stderr)
        return 1
    if args.webhook_url:
        _run_webhook(app, args, settings)
    else:
        app.run_polling(bootstrap_retries=-1)
    return 0


def _run_webhook(app: Any, args: argparse.Namespace, settings: Any) -> None:
    # Telegram signs each webhook request with this secret; PTB rejects any that lacks it.
    secret = (
        settings.webhook_secret.get_secret_value()
        if settings.webhook_secret
        else secrets.token_urlsafe(32)
    )
    app.run_webhook(
        listen=args.listen,
        port=args.port,
        webhook_url=args.webhook_url,
        url_path=urlsplit(args.webhook_url).path.lstrip("/"),
        secret_token=secret,
        bootstrap_retries=-1,
    )


def cmd_demo(args: argparse.Namespace) -> int:
    import_without_numpy("handlers.demo")
    from handlers.demo import main as demo_main

    return demo_main(args.db, args.files)


def _bot_username(settings: Any) -> str | None:
    """The bot's @name: GREENCHECK_BOT_USERNAME, else asked from Telegram with the token."""
    if settings.bot_username:
        return str(settings.bot_username).lstrip("@")
    if settings.telegram_bot_token is None:
        return None
    import asyncio

    from telegram import Bot

    async def get_me() -> str:
        bot = Bot(
            settings.telegram_bot_token.get_secret_value(),
            base_url=settings.telegram_api_base_url,
        )
        async with bot:
            return str(bot.username)

    try:
        return asyncio.run(get_me())
    except Exception as exc:  # no network or a bad token: still print the code
        warn("no_bot_name", error=telegram_failure(exc, settings))
        return None


def _scope(args: argparse.Namespace, db: Any) -> tuple[int | None, int | None] | int:
    """The invite's (community_id, county_id); an exit status after printing why not."""
    from bot.cli.common import cli_lang
    from bot.services.roster import Roster

    if args.role == "admin":
        return None, None
    worker = args.role == "worker"
    name = args.community if worker else args.county
    if not name:
        return fail(
            "invite_needs_scope", role=args.role, flag="--community" if worker else "--county"
        )
    roster = Roster(db)
    matches = (roster.find_community if worker else roster.find_county)(name)
    if not matches:
        return fail("name_no_match", name=name)
    if len(matches) > 1:
        names = t(cli_lang(), "name_sep").join(m[1] for m in matches[:10])
        return fail("name_ambiguous", name=name, names=names)
    return (matches[0][0], None) if worker else (None, matches[0][0])


def cmd_invite(args: argparse.Namespace) -> int:

    from bot.domain.access import MAX_INVITE_DAYS, invite_days_ok

    if not invite_days_ok(args.days):
        return fail("invite_days", days=args.days, max=MAX_INVITE_DAYS)
    settings = load_settings()
    s = cli_services(args)
    if args.role == "street":  # the review chain's street reviewer (bot/cli/review.py)
        from bot.cli.review import street_invite

        code_or_exit = street_invite(s.people, args.street, args.days)
        if isinstance(code_or_exit, int):
            return code_or_exit
        code = code_or_exit
    elif args.role == "expert":  # an expert for one program year (bot/cli/spotcheck.py)
        from bot.cli.spotcheck import expert_invite

        code_or_exit = expert_invite(s.people, args.year, args.days)
        if isinstance(code_or_exit, int):
            return code_or_exit
        code = code_or_exit
    else:
        scope = _scope(args, s.db)
        if isinstance(scope, int):
            return scope
        code = s.people.create_invite(args.role, None, scope[0], scope[1], args.days)
    say("invite_code", code=code)
    name = _bot_username(settings)
    if name:
        say("invite_link", link=f"https://t.me/{name}?start={code}")
    else:
        say("invite_no_link")
    say("invite_join", code=code)
    print(plural(cli_lang(), args.days, "invite_expiry"))
    return 0


async def send_reminders(
    settings: Any, clock: Any, day: dt.date | None = None, request: Any = None, delivery: Any = None
) -> Any:
    """Send what is due on `day` through the real Application (request: a test Bot API)."""
    from bot.domain.schedule import end_of_day
    from handlers.app import build_application
    from handlers.reminders import Delivery, deliver

    app = build_application(settings, request=request, publish=False)
    async with app:  # initialize and shut down; no polling and no job queue
        s = app.bot_data
        s.open(settings, clock)
        try:
            now = s.clock.now()
            day = day or now.date()
            s.reminders.sweep()  # interrupted sends: 'uncertain', never resent here
            rows = s.reminders.due(end_of_day(day, settings.zone))
            return await deliver(app.bot, s, rows, day, delivery or Delivery())
        finally:
            s.close()


def send_now(settings: Any, day: dt.date | None, clock: Any) -> tuple[Any, str | None]:
    """`remind send`: (the Report, None), or (None, one line saying why the Bot API failed)."""
    from telegram.error import TelegramError

    configure_logging(settings)
    try:
        return asyncio.run(send_reminders(settings, clock, day)), None
    except TelegramError as exc:
        return None, telegram_failure(exc, settings)


def add_commands(sub: Any) -> None:
    """Register run, demo and invite."""
    p = sub_command(
        sub, "run", "start the bot (long polling, or a webhook)", "greencheck run", cmd_run
    )
    p.add_argument("--webhook-url", help="public HTTPS URL Telegram should post updates to")
    p.add_argument("--listen", default="0.0.0.0", help="address to listen on (webhook mode)")
    p.add_argument("--port", type=int, default=8443, help="port to listen on (webhook mode)")
    p = sub_command(
        sub,
        "demo",
        "chat with the real handlers locally, no token needed",
        "printf '/check\\n1\\n/gaps\\n' | greencheck demo",
        cmd_demo,
    )
    p.add_argument("--db", help="keep the demo database at this path (default: a temporary one)")
    p.add_argument("--files", help="save the files the bot sends here (default: ./demo-files)")
    p = sub_command(
        sub,
        "invite",
        "create a single-use invite and print its code and deep link",
        t(cli_lang(), "cli_example_invite"),
        cmd_invite,
    )
    p.add_argument(
        "--role", choices=["worker", "contact", "street", "admin", "expert"], required=True
    )
    p.add_argument("--street", help="street name (street reviewer invites)")
    p.add_argument("--year", type=int, help="program year (expert invites)")
    p.add_argument("--community", help="community name (worker invites)")
    p.add_argument("--county", help="county name (contact invites)")
    p.add_argument("--days", type=int, default=7, help="days until it expires, 1..365 (default 7)")
