"""`greencheck evidence list --community NAME [--json]`: every evidence file of a community."""

from __future__ import annotations

import argparse
from typing import Any

from bot.cli.common import (
    command_group,
    existing_db_path,
    load_settings,
    print_json,
    say,
    sub_command,
)

KEYS = ("item", "sha256", "size", "name", "mime", "taken_at", "flags", "stored")


def _evidence() -> Any:
    from bot.files.store import FileStore
    from bot.services.evidence import Evidence
    from bot.store.db import connect

    settings = load_settings()
    return Evidence(connect(existing_db_path()), FileStore(settings.files_dir))


def cmd_list(args: argparse.Namespace) -> int:
    rows = [{k: r[k] for k in KEYS} for r in _evidence().listing(args.community)]
    if args.json:
        print_json(rows)
        return 0
    if not rows:
        say("cli_ev_none", community=args.community)
        return 0
    say("cli_ev_header")
    for r in rows:
        flags = ",".join(r["flags"]) or "-"
        print(
            f"{r['item']}\t{r['sha256'] or '-'}\t{r['size'] or '-'}\t{r['name']}\t{r['mime']}"
            f"\t{r['taken_at'] or '-'}\t{flags}\t{str(r['stored']).lower()}"
        )
    return 0


def add_commands(sub: Any) -> None:
    """Register evidence list."""
    g = command_group(
        sub, "evidence", "evidence files: hashes, provenance, stored or pending",
        "greencheck evidence list --community NAME --json",
    )  # fmt: skip
    p = sub_command(
        g, "list", "every evidence file of a community (item, sha256, size, flags, stored)",
        "greencheck evidence list --community NAME --json", cmd_list,
    )  # fmt: skip
    p.add_argument("--community", required=True, help="the community's name")
    p.add_argument("--json", action="store_true", help="print JSON")
