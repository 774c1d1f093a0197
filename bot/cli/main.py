"""The `greencheck` command line: every command module, registered explicitly, in order.

Each command module (`bot/cli/<group>.py`) exposes `add_commands(subparsers)` and imports its
helpers from `bot.cli.common`, never from here: this module imports them, not the other way.
Messages come from the catalogue (`bot/texts/cli.py`) in GREENCHECK_LANG (default zh).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from bot.cli import bot as bot_commands
from bot.cli import programs, remind, reports, review, roster, standards
from bot.cli.common import error_message, fail_with
from bot.domain.standards import StandardError

# -- standards -------------------------------------------------------------------------------------


# -- the parser ----------------------------------------------------------------------------------


def build_parser() -> argparse.ArgumentParser:
    """The whole command line; `--help` lists the commands in this order."""
    parser = argparse.ArgumentParser(
        prog="greencheck",
        description="GreenCheck: the bot, its standards, roster and reports.",
        epilog="example:\n  greencheck init --sample && greencheck demo",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    roster.add_commands(sub)  # init, roster import, roster show
    standards.add_commands(sub)  # standards list, show, validate, score
    programs.add_commands(sub)  # programs list
    bot_commands.add_commands(sub)  # run, demo, invite
    remind.add_commands(sub)  # remind due, remind send
    reports.add_commands(sub)  # status, export, form, chart
    review.add_commands(sub)  # review status, review list
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; errors print one line (`error: …`) and exit 1."""
    from bot.domain.scoring import ScoreError
    from bot.services.roster import RosterError

    args = build_parser().parse_args(argv)
    try:
        return int(args.func(args))
    except (StandardError, RosterError, ScoreError) as exc:
        return fail_with(error_message(exc))


if __name__ == "__main__":
    sys.exit(main())
