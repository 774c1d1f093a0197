"""`greencheck users list [--json]` and `greencheck users revoke ID [--role R]`.

Who holds which role (with its source: env = GREENCHECK_ADMINS, invite, chat, cli) and the
history of every grant and revoke (when, by whom). A revoke from here is recorded as by the
system (`by` null).
"""

from __future__ import annotations

import argparse
from dataclasses import asdict, replace
from typing import Any

from bot.cli.common import (
    cli_lang,
    cli_services,
    clock_of,
    command_group,
    load_settings,
    print_json,
    refused,
    say,
    sub_command,
)
from bot.texts import t


def _people(args: argparse.Namespace) -> Any:
    return cli_services(args).people


def cmd_list(args: argparse.Namespace) -> int:
    people = _people(args)
    rows, history = people.list_users(), people.role_history()
    when = clock_of(args).iso  # every time shown in local time, with its offset
    rows = [replace(u, roles=tuple(replace(r, granted_at=when(r.granted_at)) for r in u.roles))
            for u in rows]  # fmt: skip
    history = [replace(e, at=when(e.at)) for e in history]
    if args.json:
        print_json({"users": [asdict(u) for u in rows], "events": [asdict(e) for e in history]})
        return 0
    if not rows:
        say("cli_users_none")
    else:
        say("cli_users_header")
        for u in rows:
            for r in u.roles:
                print(f"{u.user_id}\t{u.name}\t{r.role}\t{r.scope}\t{r.source}\t{r.granted_at}")
    if history:
        say("cli_users_history")
        system = t(cli_lang(), "cli_by_system")
        for e in history:
            by = system if e.by is None else e.by
            say("cli_users_event", at=e.at, action=e.action, uid=e.user_id, role=e.role,
                scope=e.scope or "-", source=e.source, by=by)  # fmt: skip
    return 0


def cmd_revoke(args: argparse.Namespace) -> int:
    from bot.domain.errors import RevokeError

    settings = load_settings()
    try:
        gone = _people(args).revoke(args.id, args.role, None, "cli")
    except RevokeError as exc:
        return refused(exc)
    lang = cli_lang()
    roles = t(lang, "role_sep").join(
        t(lang, f"role_{v.role}", community=v.scope, county=v.scope) for v in gone
    )
    say("cli_users_revoked", uid=args.id, roles=roles)
    if any(v.role == "admin" for v in gone) and args.id in settings.admins:
        say("revoke_env_note")
    return 0


def add_commands(sub: Any) -> None:
    """Register users list and users revoke."""
    g = command_group(sub, "users", "who holds which role; revoke roles", "greencheck users list")
    p = sub_command(
        g,
        "list",
        "every user with a role, then every grant and revoke (when, by whom)",
        "greencheck users list --json",
        cmd_list,
    )
    p.add_argument("--json", action="store_true", help="print JSON")
    p = sub_command(
        g,
        "revoke",
        "remove a user's role (every role without --role); recorded as by the system",
        "greencheck users revoke 123456789 --role worker",
        cmd_revoke,
    )
    p.add_argument("id", type=int, help="the user's Telegram id")
    p.add_argument("--role", choices=["worker", "contact", "admin"], help="only this role")
