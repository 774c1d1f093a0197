"""`greencheck target set|show`: a year's target, recorded with who set it.

`target set --year 2026 --pct 70 [--by NAME] [--planned NAMES]` sets the year's target (and
plans the named communities for that year); `target show --year Y [--json]` prints the target
in force with the year it comes from and who set it (null: the program's document), or that the
year has none (before the program's first target year nothing is borrowed), and the
participation target in force (`participation`, null when none).
"""

from __future__ import annotations

import argparse
from typing import Any

from bot.cli.common import (
    cli_lang,
    cli_services,
    one_named,
    print_json,
    refused,
    say,
)
from bot.cli.common import command_group as _group
from bot.cli.common import sub_command as _sub
from bot.domain.errors import Refused
from bot.texts import t


def _services(args: argparse.Namespace) -> Any:
    return cli_services(args)


def cmd_set(args: argparse.Namespace) -> int:

    s = _services(args)
    try:
        before = s.targets.set_target(args.year, args.pct, args.by)
    except Refused as exc:
        return refused(exc)
    for name in filter(None, (n.strip() for n in (args.planned or "").split(","))):
        found = one_named(s.roster.find_community(name), name)
        if isinstance(found, int):
            return found
        s.targets.plan(found[0], args.year)
    lang = cli_lang()
    was = t(lang, "cy_target_before", pct=f"{before:g}") if before is not None else ""
    say("cy_target_set", year=args.year, pct=f"{args.pct:g}", by=args.by, before=was)
    return 0


def cmd_show(args: argparse.Namespace) -> int:
    from bot.texts.report_views import target_text

    s = _services(args)
    year = args.year or s.clock.now().year
    found = s.targets.in_force(year)
    if args.json:
        part = s.program.participation_target_for(year)
        print_json({"year": year, "pct": found.pct if found else None,
                    "source_year": found.year if found else None,
                    "set_by": found.by if found else None,
                    "participation": {"pct": part.pct, "source_year": part.year} if part else None,
                    })  # fmt: skip
        return 0
    print(target_text(cli_lang(), year, found, s.program, str))
    return 0


def add_commands(sub: Any) -> None:
    """Register `target set` and `target show`."""
    lang = cli_lang()
    g = _group(sub, "target", t(lang, "cy_cli_target"), "greencheck target show --year 2026")
    p = _sub(g, "set", t(lang, "cy_cli_target_set"),
             "greencheck target set --year 2026 --pct 70", cmd_set)  # fmt: skip
    p.add_argument("--year", type=int, required=True, help=t(lang, "cy_cli_year"))
    p.add_argument("--pct", type=float, required=True, help=t(lang, "cy_cli_pct"))
    p.add_argument("--by", default="cli", help=t(lang, "cy_cli_by"))
    p.add_argument("--planned", help=t(lang, "cy_cli_planned"))
    p = _sub(g, "show", t(lang, "cy_cli_target_show"),
             "greencheck target show --year 2026 --json", cmd_show)  # fmt: skip
    p.add_argument("--year", type=int, help=t(lang, "cy_cli_year"))
    p.add_argument("--json", action="store_true")
