"""`greencheck review status|list`: the review chain from the command line.

`review status --community NAME --json` prints {"community", "stage", "self_score",
"verified_score", "history": [{"stage", "action", "by", "role", "at", "comment"}]};
`review list [--stage STAGE] [--json]` the checks in the chain, oldest first.
"""

from __future__ import annotations

import argparse
from typing import Any

from bot.cli.common import (
    cli_lang,
    cli_services,
    fail,
    one_named,
    print_json,
    refused,
    say,
)
from bot.cli.common import command_group as _group
from bot.cli.common import sub_command as _sub
from bot.domain.access import SYSTEM
from bot.texts import t


def _reviews(args: argparse.Namespace) -> Any:
    return cli_services(args).reviews


def status_data(r: Any, community_id: int, name: str) -> dict[str, Any]:
    """The contract's status document for one community (SYSTEM sees every check)."""
    from bot.services.reviews import figure

    d = r.for_community(SYSTEM, community_id)
    events = r.store.events(d.view.assessment.id)
    return {
        "community": name,
        "stage": d.review.stage if d.review else None,
        "state": d.review.state if d.review else d.view.assessment.status,
        "self_score": figure(d.view.result),
        "verified_score": figure(d.merged) if d.verified or d.review else None,
        "history": [
            {"stage": e.stage, "action": e.action, "by": e.user_name or e.user_id,
             "role": e.role, "at": r.clock.iso(e.at), "comment": e.comment}
            for e in events
        ],
    }  # fmt: skip


def cmd_status(args: argparse.Namespace) -> int:
    from bot.domain.errors import Refused
    from bot.services.roster import Roster

    r = _reviews(args)
    found = one_named(Roster(r.db).find_community(args.community), args.community)
    if isinstance(found, int):
        return found
    try:
        data = status_data(r, found[0], found[1])
    except Refused as exc:
        return refused(exc)
    if args.json:
        print_json(data)
        return 0
    say("rv_cli_status", community=data["community"], stage=data["stage"] or "-",
        own=data["self_score"], verified=data["verified_score"])  # fmt: skip
    for h in data["history"]:
        print(
            f"{h['at']}  {h['stage'] or ''}  {h['action']}  {h['by']} ({h['role']})  {h['comment'] or ''}"
        )
    return 0


def cmd_list(args: argparse.Namespace) -> int:
    r = _reviews(args)
    when = r.clock.iso
    rows = [
        {"community": w.community, "street": w.street, "county": w.county, "stage": w.stage,
         "state": w.state, "since": when(w.entered_at),
         "recognised_at": w.recognised_at and when(w.recognised_at),
         "published_at": w.published_at and when(w.published_at)}
        for w in r.listing(SYSTEM, args.stage)
    ]  # fmt: skip
    if args.json:
        print_json(rows)
        return 0
    for w in rows:
        print(
            f"{w['community']}\t{w['street'] or '-'}\t{w['county']}\t{w['stage']}\t{w['state']}\t{w['since'][:10]}"
        )
    return 0


def street_invite(people: Any, street: str | None, days: int) -> str | int:
    """A street reviewer's invite code (or an exit status after printing why not)."""
    if not street:
        return fail("invite_needs_scope", role="street", flag="--street")
    found = one_named(people.find_streets(street), street)
    if isinstance(found, int):
        return found
    return people.street_invite(found, None, days)


def add_commands(sub: Any) -> None:
    """Register `review status` and `review list`."""
    g = _group(sub, "review", "the review chain: where each check is", "greencheck review list")
    p = _sub(g, "status", "one community's stage, scores and history",
             t(cli_lang(), "cli_example_review_status"), cmd_status)  # fmt: skip
    p.add_argument("--community", required=True)
    p.add_argument("--json", action="store_true")
    p = _sub(g, "list", "every check in the chain, oldest first", "greencheck review list --json",
             cmd_list)  # fmt: skip
    p.add_argument("--stage")
    p.add_argument("--json", action="store_true")
