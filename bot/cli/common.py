"""What every command module shares: building sub-commands, settings, output in GREENCHECK_LANG.

Command modules import from here, never from `bot.cli.main` (which imports them): no cycle.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

from bot.domain.errors import Refused
from bot.domain.standards import StandardError
from bot.texts import LANGS, t
from bot.texts.catalog import TEXTS
from bot.texts.refusals import refusal

if TYPE_CHECKING:
    from bot.clock import Clock
    from bot.config import Settings
    from bot.domain.catalog import Catalog
    from bot.domain.programs import Program
    from bot.services.container import Services

Handler = Callable[[argparse.Namespace], int]
# `bot.domain.exports.KINDS`, repeated so building the parser imports no report code (a test
# checks they agree)
EXPORT_KINDS = ("progress", "plan", "summary", "contacts", "answers", "actions", "recognised")


def cli_lang() -> str:
    """GREENCHECK_LANG from the environment or .env (zh when unset or not zh|en)."""
    try:
        return load_settings().lang
    except Exception:  # a broken setting elsewhere (or .env): still talk in the asked language
        return _env_lang()


def _env_lang() -> str:
    lang = os.environ.get("GREENCHECK_LANG", "zh").strip().lower()
    return lang if lang in LANGS else "zh"


def import_without_numpy(*modules: str) -> None:
    """Import these modules while numpy looks absent. sqlite-utils and openpyxl import numpy
    (0.1-0.2 s, most of a command's start) only to accept numpy values, which GreenCheck never
    passes them. numpy stays importable afterwards (matplotlib draws the charts with it)."""
    import importlib

    if "numpy" in sys.modules or all(m in sys.modules for m in modules):
        return
    sys.modules["numpy"] = None  # type: ignore[assignment]  # `import numpy` -> ImportError
    try:
        for m in modules:
            importlib.import_module(m)
    finally:
        del sys.modules["numpy"]


class CliError(Exception):
    """A command that cannot go on: a catalogue `key` and its values (one line on stderr)."""

    def __init__(self, key: str, **info: Any) -> None:
        self.key, self.info = key, info
        super().__init__(key)


class CliParser(argparse.ArgumentParser):
    """argparse, but a mistyped command line is one `error: …` line (exit 2), not the usage."""

    def error(self, message: str) -> NoReturn:
        lang = os.environ.get("GREENCHECK_LANG", "zh").strip().lower()
        text = t(
            lang if lang in LANGS else "zh", "cli_usage_error", message=message, prog=self.prog
        )
        self.exit(2, t("zh", "cli_error", message=text) + "\n")


_settings: dict[tuple[Any, ...], Settings] = {}


def _settings_key() -> tuple[Any, ...]:
    """What the settings are read from: the environment, the folder and its .env."""
    env = Path(".env")
    mtime = env.stat().st_mtime_ns if env.exists() else None
    return (tuple(sorted(os.environ.items())), os.getcwd(), mtime)


def load_settings() -> Settings:
    """Read the configuration (once per environment); a bad value raises StandardError."""
    key = _settings_key()
    if key not in _settings:
        _settings.clear()
        _settings[key] = _read_settings()
    return _settings[key]


def _read_settings() -> Settings:
    from zoneinfo import ZoneInfoNotFoundError

    from pydantic import ValidationError

    from bot.config import Settings

    try:
        return Settings()
    except ValidationError as exc:
        err = exc.errors()[0]
        field = ".".join(str(x) for x in err["loc"])
        raise StandardError(t(_env_lang(), "config_error", field=field, msg=err["msg"])) from None
    except ZoneInfoNotFoundError as exc:  # the zone check raises past pydantic
        raise StandardError(
            t(_env_lang(), "config_error", field="GREENCHECK_TZ", msg=exc)
        ) from None
    except OSError as exc:  # an unreadable .env
        raise StandardError(t(_env_lang(), "os_error", path=".env", reason=exc.strerror)) from None


def clock_of(args: argparse.Namespace) -> Clock:
    """The command's clock: the one `main` was given, else the wall clock in GREENCHECK_TZ."""
    from bot.clock import SystemClock

    given: Clock | None = getattr(args, "clock", None)
    return given or SystemClock(load_settings().zone)


def cli_catalog() -> Catalog:
    """The validated catalogue, kept between runs where the settings say (bot.catalog)."""
    from bot.catalog import catalog

    try:
        cache = load_settings().catalog_cache
    except StandardError:  # a broken setting elsewhere: validate the files afresh
        cache = None
    return catalog(cache)


def active_program(settings: Settings) -> Program:
    """Return the program GREENCHECK_PROGRAM names."""
    return cli_catalog().program(settings.program)


def db_path() -> str:
    """Return the database path ($GREENCHECK_DB or .env, default ./greencheck.db)."""
    return load_settings().db


def _db_path_or(fallback: str) -> str:
    try:
        return db_path()
    except Exception:
        return fallback


def existing_db_path() -> str:
    """The database path for a command that only reads: it must exist (never create it)."""
    path = db_path()
    if path != ":memory:" and not Path(path).is_file():
        raise CliError("no_database", path=path)
    return path


def out_file(suffix: str) -> Callable[[str], Path]:
    """An argparse `type` for `--out`: the right suffix, in a folder that exists (else a
    CliError: the command fails with one line and exit 1, like any other failed command)."""

    def check(value: str) -> Path:
        path = Path(value)
        if path.suffix.lower() != suffix:
            raise CliError("out_suffix", path=value, suffix=suffix)
        if not path.parent.is_dir():
            raise CliError("out_folder", folder=path.parent)
        return path

    check.__name__ = f"{suffix} file"
    return check


def print_json(data: Any) -> None:
    print(json.dumps(data, ensure_ascii=False, indent=2))


def say(key: str, **kw: Any) -> None:
    """Print a catalogue text on stdout in GREENCHECK_LANG."""
    print(t(cli_lang(), key, **kw))


def fail(key: str, **kw: Any) -> int:
    """Print a catalogue text as one `error: …` line on stderr; return the exit status 1."""
    return fail_with(t(cli_lang(), key, **kw))


def cli_services(args: argparse.Namespace) -> Services:
    """The services of the one factory (bot.services.container) over the existing database: a
    command never creates one, and waits for a lock longer than the bot (CLI_BUSY_MS)."""
    from bot.services.container import Services
    from bot.store.db import CLI_BUSY_MS

    existing_db_path()
    return Services.opened(load_settings(), clock_of(args), CLI_BUSY_MS)


def one_named(found: list[Any], name: str) -> Any:
    """The one match of `name` among `found` (id, name, …), or an exit status after saying there
    is none or more than one (naming the first ten)."""
    if len(found) == 1:
        return found[0]
    names = t(cli_lang(), "name_sep").join(m[1] for m in found[:10])
    return fail("name_no_match" if not found else "name_ambiguous", name=name, names=names)


def refused(exc: Refused) -> int:
    """Print a refusal (bot.texts.refusals) as one `error: …` line; return the exit status 1."""
    return fail_with(_refusal_text(exc))


def _refusal_text(exc: Refused) -> str:
    return refusal(exc, cli_lang(), load_settings().zone, html=False)


def fail_with(message: str) -> int:
    print(t(cli_lang(), "cli_error", message=message), file=sys.stderr)
    return 1


def warn(key: str, **kw: Any) -> None:
    lang = cli_lang()
    print(t(lang, "cli_warning", message=t(lang, key, **kw)), file=sys.stderr)


def error_message(exc: BaseException) -> str:
    """The text of an error: a refusal's catalogue text (bot.texts.refusals), another error's
    catalogue `key` and `info` (a roster file's row), a file problem named with the file, else
    its own message on one line."""
    lang = cli_lang()
    if isinstance(exc, Refused):
        return _refusal_text(exc)
    key = getattr(exc, "key", None)
    if isinstance(key, str) and key in TEXTS:
        return t(lang, key, **getattr(exc, "info", {}))
    if isinstance(exc, OSError) and exc.filename:
        return t(lang, "os_error", path=exc.filename, reason=exc.strerror or exc)
    if type(exc).__module__ == "sqlite3":  # cannot open, locked, not a database…
        return t(lang, "os_error", path=_db_path_or("GREENCHECK_DB"), reason=exc)
    if isinstance(exc, ValueError):  # the domain's errors: their message is for the user
        return str(exc)
    return f"{type(exc).__name__}: {exc}".replace("\n", " ")


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
