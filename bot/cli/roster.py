"""Sub-commands for the database and the roster: `greencheck init`, `roster import`, `roster show`."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from bot.cli.common import (
    cli_catalog,
    cli_lang,
    cli_services,
    command_group,
    db_path,
    error_message,
    fail_with,
    print_json,
    say,
    sub_command,
)
from bot.texts import t


def _creating(path: str) -> Any:
    """The roster service over a database this command may create.

    `init` and `roster import` are the first set-up steps: they open the database alone so that
    they write only the schema and the roster (`Services.opened` would also register
    GREENCHECK_ADMINS and sweep the file store)."""
    from bot.services.roster import Roster
    from bot.store.db import connect

    return Roster(connect(path))


def cmd_init(args: argparse.Namespace) -> int:
    from bot.services.roster import SAMPLE_PROGRAM
    from bot.store.db import MIGRATIONS, applied

    path = db_path()
    roster = _creating(path)
    say("init_done", path=path, version=max(applied(roster.db)), count=len(MIGRATIONS))
    if args.sample:
        r = roster.load_sample(cli_catalog().program(SAMPLE_PROGRAM))
        say("init_sample", rows=r.rows, counties=r.counties)
    return 0


def _names(lang: str, names: tuple[str, ...], limit: int = 20) -> str:
    shown = t(lang, "name_sep").join(names[:limit])
    return shown + (t(lang, "roster_plan_more", n=len(names)) if len(names) > limit else "")


def print_plan(lang: str, p: Any) -> None:
    """The counts of what the import changes, then the new and updated names."""
    print(
        t(
            lang,
            "roster_plan",
            counties=len(p.new_counties),
            streets=len(p.new_streets),
            communities=len(p.new_communities),
            contacts=len(p.new_contacts),
            updated=len(p.updated),
            unchanged=p.unchanged,
        )
    )
    for key in ("new_counties", "new_streets", "new_communities", "new_contacts", "updated"):
        names = getattr(p, key)
        if names:
            print(t(lang, f"roster_plan_{key}", names=_names(lang, names)))


def cmd_roster_import(args: argparse.Namespace) -> int:
    """Print the plan before writing (or only the plan with --dry-run), then the summary."""
    from bot.services.roster import RosterError

    lang = cli_lang()
    try:
        r = _creating(db_path()).import_roster(
            Path(args.file),
            county=args.county,
            dry_run=args.dry_run,
            on_plan=lambda plan: print_plan(lang, plan),
        )
    except RosterError as exc:  # name the file in every row error
        msg = error_message(exc)
        in_file = t(lang, "in_file", path=args.file, message=msg)
        return fail_with(msg if msg.startswith(args.file) else in_file)
    if not r.written:
        print_plan(lang, r.plan)
        say("roster_dry_run")
        return 0
    say(f"roster_imported_{r.kind}", rows=r.rows, counties=r.counties, path=args.file)
    return 0


def _import_help(lang: str) -> str:
    from bot.files import rosters as f

    return t(
        lang,
        "roster_import_help",
        rows=f.HEADER_ROWS,
        communities=f.accepted_columns("communities", "\n  "),
        contacts=f.accepted_columns("contacts", "\n  "),
        size=f.MAX_FILE_BYTES,
        max_rows=f.MAX_ROWS,
        max_cols=f.MAX_COLS,
        max_name=f.MAX_NAME,
    )


def _roster_line(lang: str, r: dict[str, Any]) -> str:
    flags = t(lang, "roster_livable") if r["former_livable"] else ""
    flags += t(lang, "roster_green") if r["former_green"] else ""
    year = t(lang, "roster_planned", year=r["planned_year"]) if r["planned_year"] else ""
    return f"{r['county']}\t{r['street'] or ''}\t{r['community']}\t{flags}{year}"


def cmd_roster_show(args: argparse.Namespace) -> int:
    from bot.cli.common import cli_lang

    rows = cli_services(args).roster.roster(args.county)
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
        "greencheck roster import standards/rosters/heyuan-sample.csv --dry-run",
        cmd_roster_import,
    )
    p.description = _import_help(cli_lang())
    p.add_argument("file")
    p.add_argument("--dry-run", action="store_true", help="show what would change; write nothing")
    p.add_argument(
        "--county", help="the county of a contact list without a county column (Annex 4)"
    )
    p = sub_command(
        ros,
        "show",
        "show the roster",
        t(cli_lang(), "cli_example_roster_show"),
        cmd_roster_show,
    )
    p.add_argument("--county")
    p.add_argument("--json", action="store_true")
