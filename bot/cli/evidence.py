"""`greencheck evidence list --community NAME [--json]`: every evidence file of a community;
`greencheck evidence failed [--json]`: the files whose download was given up;
`greencheck pack --community NAME --out FILE.zip`: the evidence pack for the office."""

from __future__ import annotations

import argparse
from typing import Any

from bot.cli.common import (
    cli_lang,
    cli_services,
    command_group,
    fail,
    out_file,
    print_json,
    say,
    sub_command,
)
from bot.texts import t

KEYS = ("item", "sha256", "size", "name", "mime", "taken_at", "flags", "stored")


def _evidence(args: argparse.Namespace) -> Any:
    return cli_services(args).evidence


def cmd_list(args: argparse.Namespace) -> int:
    rows = [{k: r[k] for k in KEYS} for r in _evidence(args).listing(args.community)]
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


def cmd_failed(args: argparse.Namespace) -> int:
    """The files no longer tried (a download failed too often, or was over the limit)."""
    rows = _evidence(args).given_up()
    if args.json:
        print_json(rows)
        return 0
    if not rows:
        say("cli_ev_failed_none")
        return 0
    say("cli_ev_failed_header")
    for r in rows:
        print(f"{r['community']}\t{r['item']}\t{r['name']}\t{r['attempts']}\t{r['error'] or '-'}")
    return 0


def cmd_pack(args: argparse.Namespace) -> int:
    from bot.files.pack import build
    from bot.services.evidence import PART_BYTES

    ev = _evidence(args)
    cid = ev.community(args.community)
    if cid is None:
        return fail("cli_no_community", name=args.community)
    lang = cli_lang()
    sep = t(lang, "ev_flag_sep")
    words = lambda flags: sep.join(t(lang, "flag_" + f) for f in flags)  # noqa: E731
    paths = build(ev.pack_entries(cid), ev.content, args.out, words, PART_BYTES)
    for p in paths:
        say("cli_pack_done", path=p, size=p.stat().st_size)
    return 0


def add_commands(sub: Any) -> None:
    """Register evidence list and pack."""
    p = sub_command(
        sub, "pack", "the community's evidence pack: ZIP with the index (XLSX) and the files (parts over 50 MB)",
        t(cli_lang(), "cli_pack_example"), cmd_pack,
    )  # fmt: skip
    p.add_argument("--community", required=True, help="the community's name")
    p.add_argument("--out", required=True, type=out_file(".zip"), help="the ZIP to write")
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
    p = sub_command(
        g, "failed", "files whose download was given up (too many failures, or over the limit)",
        "greencheck evidence failed --json", cmd_failed,
    )  # fmt: skip
    p.add_argument("--json", action="store_true", help="print JSON")
