"""`greencheck spotcheck draw|report|assign` and `greencheck publicity show|list`: spot checks
(抽查) and 公示 periods from the command line (the contract names and keys are fixed).

`spotcheck draw --year Y --n N --seed S [--county C] [--json]` prints {"year", "seed",
"population", "drawn": [{"community", "county", "recognised_at"}]} and records the draw (the
same seed on the same data draws the same communities); `spotcheck report --year Y [--county
C] --json` prints {"year", "counties": [{"county", "communities", "items", "agree_self",
"agree_verified", "rate_self", "rate_verified"}], "items": [{"item", "disagree"}]};
`publicity show --community NAME --json` prints {"community", "start", "end", "objections":
[{"at", "by", "text", "source", "outcome"}]}. The command line acts as the city (SYSTEM).
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


def _services(args: argparse.Namespace) -> Any:
    """The spot-check and 公示 services of the one factory, over the existing database."""
    s = cli_services(args)
    return s.spotchecks, s.publicity


def _one(db: Any, name: str, county: bool = False) -> tuple[int, str] | int:
    """The one community (county) `name` matches, or an exit status after saying why not."""
    from bot.services.roster import Roster

    roster = Roster(db)
    found = (roster.find_county if county else roster.find_community)(name)
    one: tuple[int, str] | int = one_named(found, name)
    return one


def _county_id(db: Any, name: str | None) -> int | tuple[int] | None:
    """The county's id (None: no --county), or (exit status,) after saying why not."""
    if name is None:
        return None
    found = _one(db, name, county=True)
    return (found,) if isinstance(found, int) else found[0]


def cmd_draw(args: argparse.Namespace) -> int:
    from bot.domain.errors import Refused

    spots, _ = _services(args)
    county = _county_id(spots.db, args.county)
    if isinstance(county, tuple):
        return county[0]
    options = {"county_id": county, "stratified": not args.unstratified, "weighted": args.weighted}
    try:
        done = spots.draw(SYSTEM, args.year, args.n, args.seed, options)
    except Refused as exc:
        return refused(exc)
    data = {
        "year": done.year, "seed": done.seed, "population": done.population,
        "drawn": [{"community": c.community, "county": c.county,
                   "recognised_at": spots.clock.iso(c.since)} for c in done.drawn],
    }  # fmt: skip
    if args.json:
        print_json(data)
        return 0
    say("sp_cli_drawn", n=len(done.drawn), population=done.population, seed=done.seed)
    for i, c in enumerate(data["drawn"], 1):
        print(f"{i}\t{c['community']}\t{c['county']}\t{c['recognised_at'][:10]}")
    return 0


def report_data(spots: Any, year: int, county_id: int | None) -> dict[str, Any]:
    """The contract's report document (SYSTEM sees every county)."""
    r = spots.report(SYSTEM, year, county_id)
    return {
        "year": r.year,
        "counties": [
            {"county": f.county, "communities": f.communities, "items": f.items,
             "agree_self": f.agree_self, "agree_verified": f.agree_verified,
             "rate_self": f.rate_self, "rate_verified": f.rate_verified}
            for f in r.counties
        ],
        "items": [{"item": q, "disagree": n} for q, n in r.items],
    }  # fmt: skip


def cmd_report(args: argparse.Namespace) -> int:
    spots, _ = _services(args)
    county = _county_id(spots.db, args.county)
    if isinstance(county, tuple):
        return county[0]
    data = report_data(spots, args.year, county)
    if args.json:
        print_json(data)
        return 0
    for c in data["counties"]:
        print("\t".join(str(c[k]) for k in ("county", "communities", "items", "agree_self",
                                           "rate_self", "agree_verified", "rate_verified")))  # fmt: skip
    say("sp_cli_items", items=" ".join(f"{i['item']}:{i['disagree']}" for i in data["items"]))
    return 0


def cmd_assign(args: argparse.Namespace) -> int:
    from bot.domain.errors import Refused

    spots, _ = _services(args)
    found = _one(spots.db, args.community)
    if isinstance(found, int):
        return found
    spot = spots.find(args.year, found[0])
    if spot is None:
        return fail("sp_err_not_drawn", community=found[1], year=args.year)
    try:
        row = spots.assign(SYSTEM, spot.id, args.inspector)
    except Refused as exc:
        return refused(exc)
    say("sp_cli_assigned", community=row.community, inspector=row.inspector or args.inspector)
    return 0


def cmd_show(args: argparse.Namespace) -> int:
    _, publicity = _services(args)
    found = _one(publicity.db, args.community)
    if isinstance(found, int):
        return found
    data = publicity.as_dict(found[1], publicity.show(SYSTEM, found[0]))
    if args.json:
        print_json(data)
        return 0
    say("pb_cli_show", community=data["community"], start=data["start"] or "-",
        end=data["end"] or "-")  # fmt: skip
    for o in data["objections"]:
        print(f"{o['at']}\t{o['source']}\t{o['text']}\t{o['outcome'] or '-'}")
    return 0


def cmd_list(args: argparse.Namespace) -> int:
    _, publicity = _services(args)
    rows = [
        {"community": x.community, "county": x.county, "stage": x.stage,
         "start": x.period.start.isoformat(), "end": x.period.end.isoformat(),
         "open_objections": x.period.open}
        for x in publicity.listing(SYSTEM)
    ]  # fmt: skip
    if args.json:
        print_json(rows)
        return 0
    for r in rows:
        print("\t".join(str(r[k]) for k in ("community", "county", "start", "end", "stage")))
    return 0


def expert_invite(people: Any, year: int | None, days: int) -> str | int:
    """An expert's invite code for `year` (or an exit status after printing why not)."""
    from bot.domain.errors import Refused

    if year is None:
        return fail("invite_needs_scope", role="expert", flag="--year")
    try:
        return people.expert_invite(year, None, days)
    except Refused as exc:
        return refused(exc)


def add_commands(sub: Any) -> None:
    """Register `spotcheck draw|report|assign` and `publicity show|list`."""
    lang = cli_lang()
    g = _group(sub, "spotcheck", "spot checks: draw, assign, agreement figures",
               "greencheck spotcheck report --year 2026 --json")  # fmt: skip
    p = _sub(g, "draw", "draw a reproducible sample of recognised communities and record it",
             "greencheck spotcheck draw --year 2026 --n 8 --seed 20261120 --json", cmd_draw)  # fmt: skip
    for flag, kind in (("--year", int), ("--n", int), ("--seed", int)):
        p.add_argument(flag, type=kind, required=True)
    p.add_argument("--county")
    p.add_argument("--unstratified", action="store_true", help="a simple sample, not by county")
    p.add_argument("--weighted", action="store_true",
                   help="more for counties that agreed less in earlier years")  # fmt: skip
    p.add_argument("--json", action="store_true")
    p = _sub(g, "report", "agreement of spot checks with self-assessments, per county",
             "greencheck spotcheck report --year 2026 --json", cmd_report)  # fmt: skip
    p.add_argument("--year", type=int, required=True)
    p.add_argument("--county")
    p.add_argument("--json", action="store_true")
    p = _sub(g, "assign", "give a drawn community to an inspector (admin or the year's expert)",
             t(lang, "cli_example_spot_assign"), cmd_assign)  # fmt: skip
    p.add_argument("--year", type=int, required=True)
    p.add_argument("--community", required=True)
    p.add_argument("--inspector", type=int, required=True, help="the inspector's user id")
    g = _group(sub, "publicity", "public notice periods and objections",
               "greencheck publicity list --json")  # fmt: skip
    p = _sub(g, "show", "a community's public notice period and objections",
             t(lang, "cli_example_publicity_show"), cmd_show)  # fmt: skip
    p.add_argument("--community", required=True)
    p.add_argument("--json", action="store_true")
    p = _sub(g, "list", "the checks in public notice, waiting for publication", "greencheck publicity list",
             cmd_list)  # fmt: skip
    p.add_argument("--json", action="store_true")
