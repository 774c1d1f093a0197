"""CLI sub-commands for reminders: `greencheck remind due` and `greencheck remind send`.

"Due on DATE" is what the reminder job would send by the end of that day (GREENCHECK_TZ), not
counting what was already sent; `send` sends exactly those now through the bot (needs the token).
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import sys
from typing import Any

from bot.cli.common import active_program, load_settings
from bot.cli.common import command_group as _group
from bot.cli.common import print_json as _print_json
from bot.cli.common import sub_command as _sub


def _day(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): '{text}'") from None


def _on(args: argparse.Namespace, settings: Any) -> tuple[dt.date, dt.datetime]:
    from bot.reminders import end_of_day

    day = args.on or dt.datetime.now(settings.zone).date()
    return day, end_of_day(day, settings.zone)


def cmd_remind_due(args: argparse.Namespace) -> int:
    from bot.reminders import due
    from bot.store.db import connect

    settings = load_settings()
    program = active_program(settings)
    day, at = _on(args, settings)
    db = connect(settings.db)
    rows = due(db, program, at)
    counties = dict(db.conn.execute("SELECT id, name FROM counties").fetchall())
    communities = dict(db.conn.execute("SELECT id, name FROM communities").fetchall())
    names = dict(db.conn.execute("SELECT id, name FROM users").fetchall())
    if args.json:
        _print_json(
            [
                r.as_dict()
                | {
                    "name": names.get(r.recipient),
                    "county_names": [counties.get(c) for c in r.counties],
                    "community_names": [communities.get(c) for c in r.communities],
                }
                for r in rows
            ]
        )
        return 0
    print(f"{day} · {program.id}: {len(rows)} reminder(s) due")
    for r in rows:
        scope = "、".join(
            str(x)
            for x in [counties.get(c) for c in r.counties]
            + [communities.get(c) for c in r.communities]
        )
        mark = "" if r.reachable else "  (unreachable)"
        print(
            f"{r.recipient:>14} {r.kind:<7} {r.deadline:<22} {r.occurrence} lead {r.lead:>3}"
            f"  {scope}{mark}"
        )
    return 0


async def send_on(
    settings: Any, day: dt.date | None = None, request: Any = None, delivery: Any = None
) -> Any:
    """Send what is due on `day` through the real Application (request: a test Bot API)."""
    from bot.reminders import due, end_of_day
    from handlers.app import build_application
    from handlers.reminders import Delivery, deliver

    app = build_application(settings, request=request, publish=False)
    async with app:  # initialize and shut down; no polling and no job queue
        s = app.bot_data
        s.open(settings)
        try:
            day = day or s.clock().date()
            rows = due(s.db, s.program, end_of_day(day, settings.zone))
            return await deliver(app.bot, s, rows, day, delivery or Delivery())
        finally:
            s.close()


def cmd_remind_send(args: argparse.Namespace) -> int:
    settings = load_settings()
    active_program(settings)
    if settings.telegram_bot_token is None:
        print(
            "error: TELEGRAM_BOT_TOKEN is not set (put it in the environment or .env)",
            file=sys.stderr,
        )
        return 1
    report = asyncio.run(send_on(settings, args.on))
    print(
        f"due {report.due} · sent {report.sent} · sent before {report.skipped}"
        f" · unreachable {len(report.unreachable)} · failed {len(report.failed)}"
    )
    for chat_id, error in report.failed:
        print(f"  failed {chat_id}: {error}")
    for chat_id in report.unreachable:
        print(f"  unreachable {chat_id} (never started the bot, or blocked it)")
    return 0


def add_commands(sub: Any) -> None:
    rms = _group(
        sub,
        "remind",
        "list or send the deadline reminders due on a date",
        "greencheck remind due --on 2022-11-08 --json",
    )
    p = _sub(
        rms,
        "due",
        "list the reminders that would be sent on DATE (recipient, deadline, occurrence, lead,"
        " reachable) without sending",
        "greencheck remind due --on 2022-11-08 --json",
        cmd_remind_due,
    )
    p.add_argument("--on", type=_day, metavar="DATE", help="YYYY-MM-DD (default: today)")
    p.add_argument("--json", action="store_true")
    p = _sub(
        rms,
        "send",
        "send now exactly the reminders `remind due` lists for DATE (needs TELEGRAM_BOT_TOKEN)",
        "greencheck remind send --on 2022-11-08",
        cmd_remind_send,
    )
    p.add_argument("--on", type=_day, metavar="DATE", help="YYYY-MM-DD (default: today)")
