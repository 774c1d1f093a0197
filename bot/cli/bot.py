"""The sub-commands that talk to Telegram: `run`, `demo`, `invite` and the sending of `remind send`.

The one module of `bot/` that may import `telegram` and `handlers` (lazily, inside the commands)."""

from __future__ import annotations

import argparse
import datetime as dt
import secrets
from typing import Any
from urllib.parse import urlsplit

from bot.cli.common import cli_lang, fail, load_settings, say, sub_command, warn
from bot.texts import t


def cmd_run(args: argparse.Namespace) -> int:
    import logging

    from handlers.app import build_application

    settings = load_settings()
    if settings.telegram_bot_token is None:
        return fail("no_token")
    logging.basicConfig(
        format="%(asctime)s %(levelname)s %(name)s: %(message)s", level=logging.INFO
    )
    logging.getLogger("httpx").setLevel(logging.WARNING)
    app = build_application(settings)
    if args.webhook_url:
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
        )
    else:
        app.run_polling()
    return 0


def cmd_demo(args: argparse.Namespace) -> int:
    from handlers.demo import main as demo_main

    return demo_main(args.db)


def _bot_username(settings: Any) -> str:
    if settings.bot_username:
        return str(settings.bot_username)
    if settings.telegram_bot_token is None:
        return "<bot_username>"
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
        warn("no_bot_name", error=exc)
        return "<bot_username>"


def _scope(args: argparse.Namespace, db: Any) -> tuple[int | None, int | None] | int:
    """The invite's (community_id, county_id); an exit status after printing why not."""
    from bot.cli.common import cli_lang
    from bot.services.roster import find_community, find_county

    if args.role == "admin":
        return None, None
    worker = args.role == "worker"
    name = args.community if worker else args.county
    if not name:
        return fail(
            "invite_needs_scope", role=args.role, flag="--community" if worker else "--county"
        )
    matches = (find_community if worker else find_county)(db, name)
    if not matches:
        return fail("name_no_match", name=name)
    if len(matches) > 1:
        names = t(cli_lang(), "name_sep").join(m[1] for m in matches[:10])
        return fail("name_ambiguous", name=name, names=names)
    return (matches[0][0], None) if worker else (None, matches[0][0])


def cmd_invite(args: argparse.Namespace) -> int:
    import datetime as dt

    from bot.services.people import create_invite
    from bot.store.db import connect

    settings = load_settings()
    db = connect(settings.db)
    now = dt.datetime.now(settings.zone)
    if args.role == "street":  # the review chain's street reviewer (bot/cli/review.py)
        from bot.cli.review import street_invite

        code_or_exit = street_invite(db, args.street, now, args.days)
        if isinstance(code_or_exit, int):
            return code_or_exit
        code = code_or_exit
    else:
        scope = _scope(args, db)
        if isinstance(scope, int):
            return scope
        code = create_invite(db, args.role, None, now, scope[0], scope[1], args.days)
    say("invite_code", code=code)
    say("invite_link", link=f"https://t.me/{_bot_username(settings)}?start={code}")
    say("invite_expiry", days=args.days)
    return 0


async def send_reminders(
    settings: Any, day: dt.date | None = None, request: Any = None, delivery: Any = None
) -> Any:
    """Send what is due on `day` through the real Application (request: a test Bot API)."""
    from bot.domain.schedule import end_of_day
    from bot.services.reminders import due
    from handlers.app import build_application
    from handlers.reminders import Delivery, deliver

    app = build_application(settings, request=request, publish=False)
    async with app:  # initialize and shut down; no polling and no job queue
        s = app.bot_data
        s.open(settings)
        try:
            now = s.clock()
            day = day or now.date()
            rows = due(s.db, s.program, end_of_day(day, settings.zone), now)
            return await deliver(app.bot, s, rows, day, delivery or Delivery())
        finally:
            s.close()


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
    p = sub_command(
        sub,
        "invite",
        "create a single-use invite and print its code and deep link",
        t(cli_lang(), "cli_example_invite"),
        cmd_invite,
    )
    p.add_argument("--role", choices=["worker", "contact", "street", "admin"], required=True)
    p.add_argument("--street", help="street name (street reviewer invites)")
    p.add_argument("--community", help="community name (worker invites)")
    p.add_argument("--county", help="county name (contact invites)")
    p.add_argument("--days", type=int, default=7, help="days until it expires (default 7)")
