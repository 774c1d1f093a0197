"""The `greencheck` command line: database, standards, programs, roster, and the bot itself."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bot.cli.standards import (
    cmd_standards_list,
    cmd_standards_score,
    cmd_standards_show,
    cmd_standards_validate,
)
from bot.domain.standards import StandardError

if TYPE_CHECKING:
    from bot.config import Settings
    from bot.domain.programs import Program

Handler = Callable[[argparse.Namespace], int]


def load_settings() -> Settings:
    """Read the configuration; a bad value raises StandardError with one line."""
    from pydantic import ValidationError

    from bot.config import Settings

    try:
        return Settings()
    except ValidationError as exc:
        err = exc.errors()[0]
        field = ".".join(str(x) for x in err["loc"])
        raise StandardError(f"configuration {field}: {err['msg']}") from None


def active_program(settings: Settings) -> Program:
    """Return the program GREENCHECK_PROGRAM names."""
    from bot.domain.standards import catalog

    return catalog().program(settings.program)


def db_path() -> str:
    """Return the database path ($GREENCHECK_DB or .env, default ./greencheck.db)."""
    return load_settings().db


def _print_json(data: Any) -> None:
    print(json.dumps(data, ensure_ascii=False, indent=2))


def _sub(
    parent: Any, name: str, help_: str, example: str, func: Handler
) -> argparse.ArgumentParser:
    p: argparse.ArgumentParser = parent.add_parser(
        name,
        help=help_,
        description=help_,
        epilog=f"example:\n  {example}",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.set_defaults(func=func)
    return p


def _group(parent: Any, name: str, help_: str, example: str) -> Any:
    """Add a command group (e.g. `standards`) and return its sub-command registry."""
    g = parent.add_parser(
        name,
        help=help_,
        description=help_,
        epilog=f"example:\n  {example}",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    return g.add_subparsers(dest="subcommand", metavar="SUBCOMMAND", required=True)


# -- init ----------------------------------------------------------------------------------------


def cmd_init(args: argparse.Namespace) -> int:
    from bot.roster import load_sample
    from bot.store.db import MIGRATIONS, applied, connect

    path = db_path()
    db = connect(path)
    print(f"database {path}: schema at version {max(applied(db))} ({len(MIGRATIONS)} migrations)")
    if args.sample:
        r = load_sample(db)
        print(f"sample roster loaded: {r.rows} communities in {r.counties} counties (样例数据)")
    return 0


# -- standards -------------------------------------------------------------------------------------


# -- programs and roster -------------------------------------------------------------------------


def cmd_programs_list(args: argparse.Namespace) -> int:
    from bot.domain.standards import catalog

    rows = [p.summary() for p in catalog().programs.values()]
    if args.json:
        _print_json(rows)
        return 0
    for r in rows:
        targets = "、".join(f"{t['year']} 年 {t['pct']:g}%" for t in r["targets"])
        print(
            f"{r['id']:<24} {r['title']}（{r['doc_number']}）标准 {r['standard']}；目标 {targets}"
        )
    return 0


def cmd_roster_import(args: argparse.Namespace) -> int:
    from bot.roster import import_roster
    from bot.store.db import connect

    r = import_roster(connect(db_path()), Path(args.file))
    what = "communities" if r.kind == "communities" else "contacts"
    print(f"imported {r.rows} {what} in {r.counties} counties from {args.file}")
    return 0


def cmd_roster_show(args: argparse.Namespace) -> int:
    from bot.roster import roster
    from bot.store.db import connect

    rows = roster(connect(db_path()), args.county)
    if args.json:
        _print_json(rows)
        return 0
    for r in rows:
        flags = ("宜居 " if r["former_livable"] else "") + ("绿色 " if r["former_green"] else "")
        year = f"计划 {r['planned_year']}" if r["planned_year"] else ""
        print(f"{r['county']}\t{r['street'] or ''}\t{r['community']}\t{flags}{year}")
    print(f"({len(rows)} communities)")
    return 0


# -- the parser --------------------------------------------------------------------------------------

EXTENSIONS: list[Callable[[Any], None]] = []  # other modules add their sub-commands here


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="greencheck",
        description="GreenCheck 绿色社区自查助手: the bot, its standards, roster and reports.",
        epilog="example:\n  greencheck init --sample && greencheck demo",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    p = _sub(
        sub,
        "init",
        "create or upgrade the database at $GREENCHECK_DB",
        "greencheck init --sample",
        cmd_init,
    )
    p.add_argument("--sample", action="store_true", help="also load the Heyuan sample roster")

    sts = _group(
        sub,
        "standards",
        "list, show, validate and score the standards",
        "greencheck standards list --json",
    )
    p = _sub(
        sts, "list", "list the standards", "greencheck standards list --json", cmd_standards_list
    )
    p.add_argument("--json", action="store_true")
    p = _sub(
        sts,
        "show",
        "show one standard item by item",
        "greencheck standards show chuxiong-2021",
        cmd_standards_show,
    )
    p.add_argument("id")
    p.add_argument("--json", action="store_true")
    p = _sub(
        sts,
        "validate",
        "validate standard and program files (all of them by default)",
        "greencheck standards validate standards/chuxiong-2021.yaml",
        cmd_standards_validate,
    )
    p.add_argument("files", nargs="*")
    p = _sub(
        sts,
        "score",
        "score an answers file against a standard",
        "greencheck standards score chuxiong-2021 answers.json --json\n"
        '  (answers.json: {"1": {"status": "met"}, "2": {"status": "partial", "points": 3}})',
        cmd_standards_score,
    )
    p.add_argument("id")
    p.add_argument("answers")
    p.add_argument("--json", action="store_true")

    prs = _group(sub, "programs", "list the programs (实施方案)", "greencheck programs list --json")
    p = _sub(prs, "list", "list the programs", "greencheck programs list --json", cmd_programs_list)
    p.add_argument("--json", action="store_true")

    ros = _group(
        sub,
        "roster",
        "import and show the community roster",
        "greencheck roster import communities.xlsx",
    )
    p = _sub(
        ros,
        "import",
        "import communities or contacts from CSV or XLSX (all rows or none)",
        "greencheck roster import standards/rosters/heyuan-sample.csv",
        cmd_roster_import,
    )
    p.add_argument("file")
    p = _sub(
        ros,
        "show",
        "show the roster",
        "greencheck roster show --county 源城区 --json",
        cmd_roster_show,
    )
    p.add_argument("--county")
    p.add_argument("--json", action="store_true")

    for extend in EXTENSIONS:
        extend(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; errors print one line and exit 1."""
    from bot.domain.scoring import ScoreError
    from bot.roster import RosterError

    _load_extensions()
    args = build_parser().parse_args(argv)
    try:
        return int(args.func(args))
    except (StandardError, RosterError, ScoreError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1


def _load_extensions() -> None:
    """Import the modules that add sub-commands (bot and demo, reminders, reports)."""
    import bot.cli.bot
    import bot.cli.remind
    import bot.cli.reports  # noqa: F401 - imported for their EXTENSIONS side effect


if __name__ == "__main__":
    sys.exit(main())
