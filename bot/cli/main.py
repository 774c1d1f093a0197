"""The `greencheck` command line: every command module, registered explicitly, in order.

Each command module (`bot/cli/<group>.py`) exposes `add_commands(subparsers)` and imports its
helpers from `bot.cli.common`, never from here: this module imports them, not the other way.
Messages come from the catalogue (`bot/texts/cli.py`) in GREENCHECK_LANG (default zh).

Start-up: `MODULES` says which module registers which top-level command, so running one command
imports only its module (`greencheck status` never imports the bot's or the standards' code);
`--help` and an unknown command register them all. Every error is one line on stderr, no
traceback: exit 1 for a failed command, 2 for a mistyped command line.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING

# GreenCheck uses no pydantic plugins; without this, pydantic scans every installed package's entry
# points for them (~15 ms of each command's start). A value already set wins.
os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")

from bot.cli.common import CliParser, error_message, fail_with, import_without_numpy

if TYPE_CHECKING:
    from bot.clock import Clock

# module (bot/cli/<name>.py) -> the top-level commands it registers, in `--help` order
MODULES: dict[str, tuple[str, ...]] = {
    "roster": ("init", "roster"),  # init, roster import, roster show
    "standards": ("standards",),  # standards list, show, validate, score
    "programs": ("programs",),  # programs list
    "bot": ("run", "demo", "invite"),
    "remind": ("remind",),  # remind due, remind send
    "reports": ("status", "export", "form", "chart"),
    "users": ("users",),  # users list, users revoke
    "review": ("review",),  # review status, review list
    "evidence": ("evidence", "pack"),  # evidence list, pack
    "backup": ("backup", "restore"),  # backup --out/--verify, restore
    "target": ("target",),  # target set, target show
    "actions": ("actions",),  # actions list
    "spotcheck": ("spotcheck", "publicity"),  # spot checks; 公示 periods and objections
}


def _modules_for(argv: Sequence[str] | None) -> list[str]:
    """The modules to register: the one owning the command asked for, else all."""
    first = next((a for a in argv or () if not a.startswith("-")), None)
    owner = [m for m, cmds in MODULES.items() if first in cmds]
    return owner or list(MODULES)


# the modules whose commands open the database: sqlite-utils is imported without numpy for them
DATABASE_MODULES = {"roster", "bot", "remind", "reports"}


def build_parser(argv: Sequence[str] | None = None) -> argparse.ArgumentParser:
    """The command line (all commands, or only the module owning argv's command)."""
    parser = CliParser(
        prog="greencheck",
        description="GreenCheck: the bot, its standards, roster and reports.",
        epilog="example:\n  greencheck init --sample && greencheck demo",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    modules = _modules_for(argv)
    if len(modules) == 1 and modules[0] in DATABASE_MODULES:
        import_without_numpy("sqlite_utils")
    for name in modules:
        importlib.import_module(f"bot.cli.{name}").add_commands(sub)
    return parser


def main(argv: Sequence[str] | None = None, clock: Clock | None = None) -> int:
    """Run the command line; errors print one line (`error: …`) and exit 1.

    `clock`: what "now" is for every command (default: the wall clock in GREENCHECK_TZ)."""
    argv = sys.argv[1:] if argv is None else list(argv)
    try:
        args = build_parser(argv).parse_args(argv)  # `--out` is checked here (CliError)
        args.clock = clock
        return int(args.func(args))
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # `greencheck status | head`: the reader left, nothing to say
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1
    except Exception as exc:  # every error is one line; GREENCHECK_DEBUG=1 shows the traceback
        if os.environ.get("GREENCHECK_DEBUG"):
            raise
        return fail_with(error_message(exc))


if __name__ == "__main__":
    sys.exit(main())
