"""Sub-commands for the programs (local implementation plans): `greencheck programs list`."""

from __future__ import annotations

import argparse
from typing import Any

from bot.cli.common import cli_catalog, cli_lang, command_group, print_json, sub_command
from bot.texts import t


def _program_line(lang: str, r: dict[str, Any]) -> str:
    figures = [t(lang, "program_target", year=x["year"], pct=x["pct"]) for x in r["targets"]]
    figures += [
        t(lang, "program_participation_target", year=x["year"], pct=x["pct"])
        for x in r["participation_targets"]
    ]
    targets = t(lang, "program_target_sep").join(figures)
    return t(
        lang,
        "program_line",
        id=r["id"],
        title=r["title"],
        doc=r["doc_number"],
        standard=r["standard"],
        targets=targets,
    )


def cmd_programs_list(args: argparse.Namespace) -> int:

    rows = [p.summary() for p in cli_catalog().programs.values()]
    if args.json:
        print_json(rows)
        return 0
    lang = cli_lang()
    for r in rows:
        print(_program_line(lang, r))
    return 0


def add_commands(sub: Any) -> None:
    prs = command_group(
        sub,
        "programs",
        "list the programs (local implementation plans)",
        "greencheck programs list --json",
    )
    p = sub_command(
        prs, "list", "list the programs", "greencheck programs list --json", cmd_programs_list
    )
    p.add_argument("--json", action="store_true")
