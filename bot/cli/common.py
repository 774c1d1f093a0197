"""What every command module shares: building sub-commands, settings, output in GREENCHECK_LANG.

Command modules import from here, never from `bot.cli.main` (which imports them): no cycle.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from bot.domain.standards import StandardError
from bot.texts import LANGS, TEXTS, t

if TYPE_CHECKING:
    from bot.config import Settings
    from bot.domain.programs import Program

Handler = Callable[[argparse.Namespace], int]


def cli_lang() -> str:
    """GREENCHECK_LANG from the environment or .env (zh when unset or not zh|en)."""
    try:
        return load_settings().lang
    except StandardError:  # a broken setting elsewhere: still talk in the asked language
        lang = os.environ.get("GREENCHECK_LANG", "zh").strip().lower()
        return lang if lang in LANGS else "zh"


def load_settings() -> Settings:
    """Read the configuration; a bad value raises StandardError with one line."""
    from pydantic import ValidationError

    from bot.config import Settings

    try:
        return Settings()
    except ValidationError as exc:
        err = exc.errors()[0]
        field = ".".join(str(x) for x in err["loc"])
        lang = os.environ.get("GREENCHECK_LANG", "zh").strip().lower()
        raise StandardError(t(lang, "config_error", field=field, msg=err["msg"])) from None


def active_program(settings: Settings) -> Program:
    """Return the program GREENCHECK_PROGRAM names."""
    from bot.domain.standards import catalog

    return catalog().program(settings.program)


def db_path() -> str:
    """Return the database path ($GREENCHECK_DB or .env, default ./greencheck.db)."""
    return load_settings().db


def print_json(data: Any) -> None:
    print(json.dumps(data, ensure_ascii=False, indent=2))


def say(key: str, **kw: Any) -> None:
    """Print a catalogue text on stdout in GREENCHECK_LANG."""
    print(t(cli_lang(), key, **kw))


def fail(key: str, **kw: Any) -> int:
    """Print a catalogue text as one `error: …` line on stderr; return the exit status 1."""
    return fail_with(t(cli_lang(), key, **kw))


def fail_with(message: str) -> int:
    print(t(cli_lang(), "cli_error", message=message), file=sys.stderr)
    return 1


def warn(key: str, **kw: Any) -> None:
    lang = cli_lang()
    print(t(lang, "cli_warning", message=t(lang, key, **kw)), file=sys.stderr)


def error_message(exc: Exception) -> str:
    """The text of an error carrying a catalogue `key` and `info`, else its own message."""
    key = getattr(exc, "key", None)
    if isinstance(key, str) and key in TEXTS:
        return t(cli_lang(), key, **getattr(exc, "info", {}))
    return str(exc)


def sub_command(
    parent: Any, name: str, help_: str, example: str, func: Handler
) -> argparse.ArgumentParser:
    """Add a sub-command with its help and an example (every command has one)."""
    p: argparse.ArgumentParser = parent.add_parser(
        name,
        help=help_,
        description=help_,
        epilog=f"example:\n  {example}",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.set_defaults(func=func)
    return p


def command_group(parent: Any, name: str, help_: str, example: str) -> Any:
    """Add a command group (e.g. `standards`) and return its sub-command registry."""
    g = parent.add_parser(
        name,
        help=help_,
        description=help_,
        epilog=f"example:\n  {example}",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    return g.add_subparsers(dest="subcommand", metavar="SUBCOMMAND", required=True)
