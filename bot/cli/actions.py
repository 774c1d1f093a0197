"""`greencheck actions list`: corrective actions (整改) from the command line.

`actions list [--community NAME] [--status open|overdue|closed] [--json]`; the JSON rows have
exactly the keys id, community, item, problem, owner, due, status, closed_at, evidence.
"""

from __future__ import annotations

import argparse
from typing import Any

from bot.cli.common import (
    cli_lang,
    cli_services,
    one_named,
    print_json,
)
from bot.cli.common import command_group as _group
from bot.cli.common import sub_command as _sub
from bot.texts import t


def cmd_list(args: argparse.Namespace) -> int:
    from bot.domain.access import SYSTEM

    s = cli_services(args)
    community = None
    if args.community:
        found = one_named(s.roster.find_community(args.community), args.community)
        if isinstance(found, int):
            return found
        community = found[0]
    rows = [x.as_dict() for x in s.actions.listing(SYSTEM, community=community,
                                                     status=args.status)]  # fmt: skip
    for r in rows:  # shown in local time, with its offset
        r["closed_at"] = r["closed_at"] and s.clock.iso(r["closed_at"])
    if args.json:
        print_json(rows)
        return 0
    for r in rows:
        print("\t".join(str(r[k] if r[k] is not None else "-") for k in
                        ("id", "community", "item", "owner", "due", "status", "problem")))  # fmt: skip
    return 0


def add_commands(sub: Any) -> None:
    """Register `actions list`."""
    lang = cli_lang()
    g = _group(sub, "actions", t(lang, "cy_cli_actions"), "greencheck actions list --json")
    p = _sub(g, "list", t(lang, "cy_cli_actions_list"),
             "greencheck actions list --status overdue --json", cmd_list)  # fmt: skip
    p.add_argument("--community")
    p.add_argument("--status", choices=("open", "overdue", "closed"))
    p.add_argument("--json", action="store_true")
