"""CLI sub-commands for reports: status, export, form and chart (main.py calls add_commands).

The active program is bot.config.Settings().program (GREENCHECK_PROGRAM), the database
$GREENCHECK_DB, the year the current one (in GREENCHECK_TZ) unless --year is given; messages are
in GREENCHECK_LANG (zh by default). The CLI acts as `access.SYSTEM`: it sees every county. The
reports, exports and forms' fields come from the services every command builds
(bot.services.container), over the existing database.
"""

from __future__ import annotations

import argparse
import datetime as dt
import functools
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from bot.cli.common import (
    EXPORT_KINDS,
    active_program,
    cli_lang,
    cli_services,
    load_settings,
    out_file,
)
from bot.cli.common import print_json as _print_json
from bot.cli.common import sub_command as _sub
from bot.domain.access import SYSTEM
from bot.domain.programs import Program
from bot.texts import t

if TYPE_CHECKING:
    from bot.services.container import Services


@dataclass(frozen=True)
class Env:
    """What every report command needs: the services, the program, the clock's reading, zone
    and language."""

    s: Services
    program: Program
    now: dt.datetime
    zone: ZoneInfo
    lang: str

    def year(self, args: argparse.Namespace) -> int:
        return int(args.year) if getattr(args, "year", None) else self.now.year


def _env(args: argparse.Namespace) -> Env:
    settings = load_settings()
    program = active_program(settings)  # an unknown program is named before a missing database
    s = cli_services(args)
    return Env(s, program, s.clock.now(), settings.zone, settings.lang)


Command = Callable[[argparse.Namespace, Env], int]


def _reported(cmd: Command) -> Callable[[argparse.Namespace], int]:
    """Run a command with its Env; a ReportError prints one line and exits 1."""

    @functools.wraps(cmd)
    def run(args: argparse.Namespace) -> int:
        from bot.domain.errors import ReportError
        from bot.texts.refusals import refusal

        env = _env(args)
        try:
            return cmd(args, env)
        except ReportError as exc:
            print(f"error: {refusal(exc, env.lang, html=False)}", file=sys.stderr)
            return 1

    return run


@_reported
def cmd_status(args: argparse.Namespace, env: Env) -> int:
    from bot.texts.report_views import render_county_status

    if args.county:
        return _county_status(args, env)
    status = env.s.reports.county_status_as_of(env.year(args), SYSTEM, env.zone)
    if args.json:
        _print_json([r.as_dict() for r in status if not r.is_total])
        return 0
    size = max(1, len(status) - 1)
    text = render_county_status(
        status, env.program, size=size, wide=True, html_out=False, limit=None, lang=env.lang
    )
    print(text)
    return 0


def _county_status(args: argparse.Namespace, env: Env) -> int:
    from bot.texts.report_views import render_community_status

    reports = env.s.reports
    county_id, county = reports.resolve_county(args.county)
    rows = reports.community_status(county_id, SYSTEM)
    if args.json:
        _print_json([r.as_dict() | {"county": county} for r in rows])
        return 0
    size = max(1, len(rows))
    text = render_community_status(
        rows,
        county,
        size=size,
        points=env.s.standard.mode == "points",
        html_out=False,
        limit=None,
        tz=env.zone,
        lang=env.lang,
    )
    print(text)
    return 0


@_reported
def cmd_export(args: argparse.Namespace, env: Env) -> int:
    from bot.files.exports import KIND_ZH, write
    from bot.services.exports import Request

    out = Path(args.out)
    req = Request(args.kind, SYSTEM, args.year, env.zone, env.now, bool(args.all))
    data = env.s.exports.gather(req)
    with out.open("wb") as fh:
        write(data, env.program, fh, zone=env.zone, now=env.now, lang=env.lang)
    print(t(env.lang, "rp_cli_export", title=KIND_ZH[args.kind], out=out))
    return 0


@_reported
def cmd_form(args: argparse.Namespace, env: Env) -> int:
    from bot.domain.errors import ReportError
    from bot.files.forms import application_form, form_of

    community_id, name = env.s.reports.resolve_community(args.community)
    out = Path(args.out)
    if args.self_check:
        return _self_check(community_id, name, args, env)
    if form_of(env.program)[0] is None:
        raise ReportError("no_application_form")
    exports = env.s.exports
    year = exports.form_year(community_id, args.year, env.now.year)
    data = exports.form_data(SYSTEM, community_id, year)
    out.write_bytes(application_form(data, env.program))
    print(t(env.lang, "rp_cli_form", name=name, out=out))
    return 0


def _self_check(community_id: int, name: str, args: argparse.Namespace, env: Env) -> int:
    """`form --self-check`: GreenCheck's 自查结果表 of the check of --year (else the latest)."""
    from bot.files.selfcheck import selfcheck_docx

    data = env.s.exports.self_check(SYSTEM, community_id, args.year)
    Path(args.out).write_bytes(selfcheck_docx(data, env.zone, env.lang))
    print(t(env.lang, "fl_cli_self_check", name=name, out=args.out))
    return 0


@_reported
def cmd_chart(args: argparse.Namespace, env: Env) -> int:
    from bot.files.charts import font_path, write_chart

    rows = env.s.reports.county_status_as_of(env.year(args), SYSTEM, env.zone)
    out = Path(args.out)
    size = write_chart(rows, env.program, out, width=args.width, height=args.height, lang=env.lang)
    font = font_path() or t(env.lang, "rp_cli_no_font")
    print(t(env.lang, "rp_cli_chart", out=out, width=size[0], height=size[1], font=font))
    return 0


def _lang() -> str:
    """GREENCHECK_LANG for the help texts (zh when the settings cannot be read)."""
    return cli_lang()


def _command(sub: Any, name: str, func: Callable[[argparse.Namespace], int], lang: str) -> Any:
    """A sub-command with its help and example from the catalogue (`rp_cli_<name>_*`)."""
    what = t(lang, f"rp_cli_{name}_help")
    return _sub(sub, name, what, t(lang, f"rp_cli_{name}_example"), func)


def _status_args(sub: Any, lang: str) -> None:
    p = _command(sub, "status", cmd_status, lang)
    p.add_argument("--county", help=t(lang, "rp_cli_county_arg"))
    p.add_argument("--year", type=int, help=t(lang, "rp_cli_year_arg"))
    p.add_argument("--json", action="store_true")


def _file_args(sub: Any, lang: str) -> None:
    p = _command(sub, "export", cmd_export, lang)
    p.add_argument("kind", choices=EXPORT_KINDS)
    p.add_argument("--out", required=True, type=out_file(".xlsx"), help=t(lang, "rp_cli_xlsx_arg"))
    p.add_argument("--year", type=int, help=t(lang, "rp_cli_year_arg"))
    p.add_argument("--all", action="store_true", help=t(lang, "rp_cli_all_arg"))
    p = _command(sub, "form", cmd_form, lang)
    p.add_argument("--community", required=True, help=t(lang, "rp_cli_community_arg"))
    p.add_argument("--out", required=True, type=out_file(".docx"), help=t(lang, "rp_cli_docx_arg"))
    p.add_argument("--year", type=int, help=t(lang, "rp_cli_form_year_arg"))
    p.add_argument("--self-check", action="store_true", help=t(lang, "fl_cli_self_check_arg"))


def _chart_args(sub: Any, lang: str) -> None:
    p = _command(sub, "chart", cmd_chart, lang)
    p.add_argument("--out", required=True, type=out_file(".png"), help=t(lang, "rp_cli_png_arg"))
    p.add_argument("--year", type=int, help=t(lang, "rp_cli_year_arg"))
    p.add_argument("--width", type=int, default=1200, help=t(lang, "rp_cli_pixels_arg", n=1200))
    p.add_argument("--height", type=int, help=t(lang, "rp_cli_height_arg"))


def add_commands(sub: Any) -> None:
    lang = _lang()
    _status_args(sub, lang)
    _file_args(sub, lang)
    _chart_args(sub, lang)
