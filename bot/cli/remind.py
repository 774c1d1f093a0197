"""CLI sub-commands for reminders: `greencheck remind due` and `greencheck remind send`.

"Due on DATE" is what the reminder job would send by the end of that day (GREENCHECK_TZ), not
counting what was already sent; `send` sends exactly those now through the bot (needs the token).
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from typing import Any

from bot.cli.common import (
    active_program,
    cli_lang,
    cli_services,
    clock_of,
    load_settings,
)
from bot.cli.common import command_group as _group
from bot.cli.common import print_json as _print_json
from bot.cli.common import sub_command as _sub
from bot.domain.schedule import end_of_day
from bot.texts import plural, t


def _lang() -> str:
    """The language of CLI messages: GREENCHECK_LANG (zh or en), default zh."""
    return cli_lang()


def _day(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(t(_lang(), "cli_rem_bad_date", text=text)) from None


def _on(args: argparse.Namespace, settings: Any) -> tuple[dt.date, dt.datetime]:
    day = args.on or clock_of(args).today()
    return day, end_of_day(day, settings.zone)


Inferred = dict[str, str | None]  # deadline id -> why its date is ours (None: the seed's own)


def _print_due(
    rows: list[Any], names: dict[str, dict[int, str]], head: str, lang: str, inferred: Inferred
) -> None:
    print(head)
    counties, streets, communities = names["counties"], names["streets"], names["communities"]
    for r in rows:
        scope = t(lang, "name_sep").join(
            str(x)
            for x in [counties.get(c) for c in r.counties]
            + [streets.get(c) for c in r.streets]
            + [communities.get(c) for c in r.communities]
        )
        mark = "" if r.reachable else t(lang, "cli_rem_unreachable_mark")
        mark += t(lang, "cli_rem_inferred_mark") if inferred.get(r.deadline) else ""
        print(
            f"{r.recipient:>14} {r.kind:<7} {r.deadline:<22} {r.occurrence} lead {r.lead:>3}"
            f"  {scope}{mark}"
        )


def _as_json(
    rows: list[Any], names: dict[str, dict[int, str]], inferred: Inferred
) -> list[dict[str, Any]]:
    counties, communities, users = names["counties"], names["communities"], names["users"]
    return [
        r.as_dict()
        | {
            "name": users.get(r.recipient),
            "county_names": [counties.get(c) for c in r.counties],
            "street_names": [names["streets"].get(c) for c in r.streets],
            "community_names": [communities.get(c) for c in r.communities],
            "inferred": inferred.get(r.deadline),
        }
        for r in rows
    ]


def _no_contact_json(
    gaps: list[Any], names: dict[str, dict[int, str]], inferred: Inferred
) -> list[dict[str, Any]]:
    counties = names["counties"]
    return [
        g.as_dict()
        | {
            "name": None,
            "county_names": [counties.get(c) for c in g.counties],
            "street_names": [names["streets"].get(c) for c in g.streets],
            "community_names": [],
            "inferred": inferred.get(g.deadline),
        }
        for g in gaps
    ]


def _print_no_contact(gaps: list[Any], names: dict[str, dict[int, str]], lang: str) -> None:
    counties, streets = names["counties"], names["streets"]
    for g in gaps:
        found = [counties.get(c) for c in g.counties] + [streets.get(c) for c in g.streets]
        scope = t(lang, "name_sep").join(str(x) for x in found)
        kind = "street" if g.streets else "contact"
        print(
            f"{'-':>14} {kind:<7} {g.deadline:<22} {g.occurrence} lead {g.lead:>3}"
            f"  {scope}{t(lang, 'cli_rem_no_contact_mark')}"
        )


def cmd_remind_due(args: argparse.Namespace) -> int:
    settings = load_settings()
    s = cli_services(args)
    program, reminders = s.program, s.reminders
    day, at = _on(args, settings)
    rows = reminders.due(at)
    gaps = reminders.no_contact(at)  # due, but no one to send them to: listed, not hidden
    found = reminders.names()
    inferred = {d.id: d.inferred for d in reminders.deadlines()}
    if args.json:
        _print_json(_as_json(rows, found, inferred) + _no_contact_json(gaps, found, inferred))
        return 0
    lang = _lang()
    head = plural(lang, len(rows), "cli_rem_due_count", day=day, program=program.id)
    _print_due(rows, found, head, lang, inferred)
    if gaps:
        print(plural(lang, len(gaps), "cli_rem_no_contact_count"))
        _print_no_contact(gaps, found, lang)
    return 0


def _print_report(report: Any, lang: str) -> None:
    print(
        t(
            lang,
            "cli_rem_sent",
            due=report.due,
            sent=report.sent,
            skipped=report.skipped,
            unreachable=len(report.unreachable),
            failed=len(report.failed),
        )
    )
    for chat_id, error in report.failed:
        print(t(lang, "cli_rem_failed_line", chat=chat_id, error=error))
    for chat_id in report.unreachable:
        print(t(lang, "cli_rem_unreachable_line", chat=chat_id))
    for chat_id, error in report.uncertain:
        print(t(lang, "cli_rem_uncertain_line", chat=chat_id, error=error))


def cmd_remind_send(args: argparse.Namespace) -> int:
    settings = load_settings()
    active_program(settings)
    lang = _lang()
    if settings.telegram_bot_token is None:
        print(t(lang, "cli_rem_no_token"), file=sys.stderr)
        return 1
    from bot.cli.bot import send_now  # the commands that talk to Telegram live there

    report, failure = send_now(settings, args.on, clock_of(args))
    if failure is not None:  # a rejected token, a wrong base URL, the API down
        print(failure, file=sys.stderr)
        return 1
    _print_report(report, lang)
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
        " reachable, reason) without sending; reminders due for counties with no contact are"
        " listed too (recipient null, reason no_contact)",
        "greencheck remind due --on 2022-11-08 --json",
        cmd_remind_due,
    )
    p.add_argument("--on", type=_day, metavar="DATE", help="YYYY-MM-DD (default: today)")
    p.add_argument("--json", action="store_true")
    p = _sub(
        rms,
        "send",
        "send now exactly the reminders `remind due` lists for DATE (needs TELEGRAM_BOT_TOKEN);"
        " a send that may have been delivered is never repeated (listed to admins instead)",
        "greencheck remind send --on 2022-11-08",
        cmd_remind_send,
    )
    p.add_argument("--on", type=_day, metavar="DATE", help="YYYY-MM-DD (default: today)")
