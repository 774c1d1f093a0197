"""CLI sub-commands for reports: status, export, form and chart (main.py calls add_commands).

The active program is bot.config.Settings().program (GREENCHECK_PROGRAM), the database
$GREENCHECK_DB, the year the current one (in GREENCHECK_TZ) unless --year is given.
"""

from __future__ import annotations

import argparse
import datetime as dt
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from bot.cli.common import active_program, db_path, load_settings
from bot.cli.common import print_json as _print_json
from bot.cli.common import sub_command as _sub
from bot.domain.programs import Program


def _program() -> tuple[Program, dt.date, ZoneInfo]:
    """Return the active program, today's date in GREENCHECK_TZ, and that zone."""
    settings = load_settings()
    zone = settings.zone
    return active_program(settings), dt.datetime.now(zone).date(), zone


def _year(args: argparse.Namespace, today: dt.date) -> int:
    return int(args.year) if args.year else today.year


def _db() -> Any:
    from bot.store.db import connect

    return connect(db_path())


def cmd_status(args: argparse.Namespace) -> int:
    from bot.reports import (
        community_status,
        county_status,
        render_community_status,
        render_county_status,
        resolve_county,
    )

    program, today, zone = _program()
    year = _year(args, today)
    db = _db()
    if args.county:
        county_id, county = resolve_county(db, args.county)
        rows = community_status(db, county_id, program)
        if args.json:
            _print_json([r.as_dict() | {"county": county} for r in rows])
            return 0
        print(
            render_community_status(
                rows,
                county,
                program,
                size=max(1, len(rows)),
                html_out=False,
                limit=None,
                tz=zone,
            )
        )
        return 0
    status = county_status(db, program, year)
    if args.json:
        _print_json([r.as_dict() for r in status if not r.is_total])
        return 0
    counties = max(1, len(status) - 1)
    print(
        render_county_status(status, program, size=counties, wide=True, html_out=False, limit=None)
    )
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    from bot.files.exports import KIND_ZH, write_xlsx

    program, today, zone = _program()
    out = Path(args.out)
    write_xlsx(args.kind, _db(), program, _year(args, today), out, tz=zone)
    print(f"{KIND_ZH[args.kind]} → {out}")
    return 0


def cmd_form(args: argparse.Namespace) -> int:
    from bot.files.exports import form
    from bot.reports import resolve_community

    program, _, zone = _program()
    db = _db()
    community_id, name = resolve_community(db, args.community)
    out = Path(args.out)
    form(db, community_id, program, out, tz=zone)
    print(f"绿色社区申报表（{name}）→ {out}")
    return 0


def cmd_chart(args: argparse.Namespace) -> int:
    from bot.files.charts import font_path, write_chart
    from bot.reports import county_status

    program, today, _ = _program()
    rows = county_status(_db(), program, _year(args, today))
    out = Path(args.out)
    write_chart(rows, program, out, size=(args.width, args.height))
    font = font_path()
    print(
        f"chart → {out} ({args.width}×{args.height}, font: {font or 'default, no CJK font found'})"
    )
    return 0


def add_commands(sub: Any) -> None:
    from bot.files.exports import KINDS

    p = _sub(
        sub,
        "status",
        "show progress per county, or per community of one county (--county)",
        "greencheck status --county 源城 --json",
        cmd_status,
    )
    p.add_argument("--county", help="a county name (a unique prefix or the name without 县/区)")
    p.add_argument("--year", type=int, help="target year (default: this year)")
    p.add_argument("--json", action="store_true")

    p = _sub(
        sub,
        "export",
        "write an official table as XLSX: progress (附件3), plan (附件5), summary, answers",
        "greencheck export progress --out 进度表.xlsx",
        cmd_export,
    )
    p.add_argument("kind", choices=KINDS)
    p.add_argument("--out", required=True, help="the .xlsx file to write")
    p.add_argument("--year", type=int, help="year of the progress table (default: this year)")

    p = _sub(
        sub,
        "form",
        "write a community's 绿色社区申报表 as DOCX, filled from the roster and its check",
        "greencheck form --community 江滨 --out 申报表.docx",
        cmd_form,
    )
    p.add_argument("--community", required=True, help="a community name (forgiving match)")
    p.add_argument("--out", required=True, help="the .docx file to write")

    p = _sub(
        sub,
        "chart",
        "write a PNG bar chart of participation and completion by county, target as a line",
        "greencheck chart --out 进度.png --year 2022",
        cmd_chart,
    )
    p.add_argument("--out", required=True, help="the .png file to write")
    p.add_argument("--year", type=int, help="target year (default: this year)")
    p.add_argument("--width", type=int, default=1200, help="pixels (default 1200)")
    p.add_argument("--height", type=int, default=700, help="pixels (default 700)")
