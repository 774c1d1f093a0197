"""Sub-commands for the database and the roster: `greencheck init`, `roster import`, `roster show`."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from bot.cli.common import (
    cli_lang,
    command_group,
    db_path,
    error_message,
    existing_db_path,
    fail_with,
    print_json,
    say,
    sub_command,
)
from bot.texts import t


def cmd_init(args: argparse.Namespace) -> int:
    from bot.services.roster import load_sample
    from bot.store.db import MIGRATIONS, applied, connect

    path = db_path()
    db = connect(path)
    say("init_done", path=path, version=max(applied(db)), count=len(MIGRATIONS))
    if args.sample:
        r = load_sample(db)
        say("init_sample", rows=r.rows, counties=r.counties)
    return 0


def cmd_roster_import(args: argparse.Namespace) -> int:
    from bot.services.roster import RosterError, import_roster
    from bot.store.db import connect

    try:
        r = import_roster(connect(db_path()), Path(args.file))
    except RosterError as exc:  # name the file in every row error
        msg = error_message(exc)
        in_file = t(cli_lang(), "in_file", path=args.file, message=msg)
        return fail_with(msg if msg.startswith(args.file) else in_file)
    say(f"roster_imported_{r.kind}", rows=r.rows, counties=r.counties, path=args.file)
    return 0


def _roster_line(lang: str, r: dict[str, Any]) -> str:
    flags = t(lang, "roster_livable") if r["former_livable"] else ""
    flags += t(lang, "roster_green") if r["former_green"] else ""
    year = t(lang, "roster_planned", year=r["planned_year"]) if r["planned_year"] else ""
    return f"{r['county']}\t{r['street'] or ''}\t{r['community']}\t{flags}{year}"


def cmd_roster_show(args: argparse.Namespace) -> int:
    from bot.cli.common import cli_lang
    from bot.services.roster import roster
    from bot.store.db import connect

    rows = roster(connect(existing_db_path()), args.county)
    if args.json:
        print_json(rows)
        return 0
    lang = cli_lang()
    for r in rows:
        print(_roster_line(lang, r))
    say("roster_total", n=len(rows))
    return 0


def add_commands(sub: Any) -> None:
    p = sub_command(
        sub,
        "init",
        "create or upgrade the database at $GREENCHECK_DB",
        "greencheck init --sample",
        cmd_init,
    )
    p.add_argument("--sample", action="store_true", help="also load the Heyuan sample roster")
    ros = command_group(
        sub,
        "roster",
        "import and show the community roster",
        "greencheck roster import communities.xlsx",
    )
    p = sub_command(
        ros,
        "import",
        "import communities or contacts from CSV or XLSX (all rows or none)",
        "greencheck roster import standards/rosters/heyuan-sample.csv",
        cmd_roster_import,
    )
    p.add_argument("file")
    p = sub_command(
        ros,
        "show",
        "show the roster",
        t(cli_lang(), "cli_example_roster_show"),
        cmd_roster_show,
    )
    p.add_argument("--county")
    p.add_argument("--json", action="store_true")
