"""Sub-commands that run the bot: `greencheck run`, `greencheck demo`, `greencheck invite`."""

from __future__ import annotations

import argparse
import secrets
import sys
from typing import Any
from urllib.parse import urlsplit

from bot.cli.main import EXTENSIONS, _sub, load_settings


def cmd_run(args: argparse.Namespace) -> int:
    import logging

    from handlers.app import build_application

    settings = load_settings()
    if settings.telegram_bot_token is None:
        print(
            "error: TELEGRAM_BOT_TOKEN is not set (put it in the environment or .env;"
            " try `greencheck demo` to run without one)",
            file=sys.stderr,
        )
        return 1
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
        print(f"warning: could not ask Telegram for the bot's name ({exc})", file=sys.stderr)
        return "<bot_username>"


def cmd_invite(args: argparse.Namespace) -> int:
    from bot.people import create_invite
    from bot.roster import find_community, find_county
    from bot.store.db import connect

    settings = load_settings()
    db = connect(settings.db)
    community_id = county_id = None
    if args.role in ("worker", "contact"):
        name = args.community if args.role == "worker" else args.county
        if not name:
            flag = "--community" if args.role == "worker" else "--county"
            print(f"error: a {args.role} invite needs {flag} NAME", file=sys.stderr)
            return 1
        matches = (find_community if args.role == "worker" else find_county)(db, name)
        if len(matches) != 1:
            what = (
                "no match" if not matches else "ambiguous: " + ", ".join(m[1] for m in matches[:10])
            )
            print(f"error: '{name}': {what}", file=sys.stderr)
            return 1
        if args.role == "worker":
            community_id = matches[0][0]
        else:
            county_id = matches[0][0]
    code = create_invite(db, args.role, None, community_id, county_id, args.days)
    print(f"code: {code}")
    print(f"link: https://t.me/{_bot_username(settings)}?start={code}")
    print(f"expires in {args.days} days; single use")
    return 0


def add_commands(sub: Any) -> None:
    p = _sub(sub, "run", "start the bot (long polling, or a webhook)", "greencheck run", cmd_run)
    p.add_argument("--webhook-url", help="public HTTPS URL Telegram should post updates to")
    p.add_argument("--listen", default="0.0.0.0", help="address to listen on (webhook mode)")
    p.add_argument("--port", type=int, default=8443, help="port to listen on (webhook mode)")
    p = _sub(
        sub,
        "demo",
        "chat with the real handlers locally, no token needed",
        "printf '/check\\n1\\n/gaps\\n' | greencheck demo",
        cmd_demo,
    )
    p.add_argument("--db", help="keep the demo database at this path (default: a temporary one)")
    p = _sub(
        sub,
        "invite",
        "create a single-use invite and print its code and deep link",
        "greencheck invite --role worker --community 新江社区",
        cmd_invite,
    )
    p.add_argument("--role", choices=["worker", "contact", "admin"], required=True)
    p.add_argument("--community", help="community name (worker invites)")
    p.add_argument("--county", help="county name (contact invites)")
    p.add_argument("--days", type=int, default=7, help="days until it expires (default 7)")


EXTENSIONS.append(add_commands)
