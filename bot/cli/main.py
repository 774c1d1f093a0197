"""The `greencheck` command line: every command module, registered explicitly, in order.

Each command module (`bot/cli/<group>.py`) exposes `add_commands(subparsers)` and imports its
helpers from `bot.cli.common`, never from here: this module imports them, not the other way.
Messages come from the catalogue (`bot/texts/cli.py`) in GREENCHECK_LANG (default zh).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from bot.cli import bot as bot_commands
from bot.cli import programs, remind, reports, roster
from bot.cli.common import command_group as _group
from bot.cli.common import error_message, fail_with
from bot.cli.common import print_json as _print_json
from bot.cli.common import sub_command as _sub
from bot.domain.standards import StandardError

# -- standards -------------------------------------------------------------------------------------


def cmd_standards_list(args: argparse.Namespace) -> int:
    from bot.domain.standards import catalog

    rows = [s.summary() for s in catalog()]
    if args.json:
        _print_json(rows)
        return 0
    for r in rows:
        pts = f"{r['max_score']:g} 分，{r['pass_score']:g} 分达标" if r["max_score"] else "逐项达标"
        subs = f"，{r['sub_items']} 个子项" if r["sub_items"] else ""
        print(f"{r['id']:<24} {r['title']}（{r['items']} 项{subs}，{pts}）")
    return 0


def cmd_standards_show(args: argparse.Namespace) -> int:
    from bot.domain.standards import catalog

    std = catalog().standard(args.id)
    if args.json:
        _print_json(std.model_dump(mode="json") | {"summary": std.summary()})
        return 0
    print(f"{std.title}（{std.source}）")
    for area in std.areas:
        pts = f"（{area.points:g} 分）" if area.points else ""
        print(f"\n{area.id}. {area.title}{pts}")
        for item in area.items:
            pts = f" [{item.points:g} 分]" if item.points is not None else ""
            print(f"  {item.id} {item.text}{pts}")
            for s in item.sub_items:
                print(f"    {s.id} {s.text}")
            for r in item.deductions:
                print(f"      {r.key}) {r.text}")
    if std.bonus:
        print(f"\n加分项 bonus（最高 {std.bonus.max:g} 分）：{std.bonus.text}")
    for v in std.vetoes:
        print(f"否决项 {v.id} {v.title}：{v.text}")
    return 0


def cmd_standards_validate(args: argparse.Namespace) -> int:
    from bot.domain.programs import load_program, program_files
    from bot.domain.standards import Catalog, load_standard, standard_files

    if not args.files:
        Catalog()  # everything, with cross references
        n = len(standard_files()) + len(program_files())
        print(f"ok: {n} files valid")
        return 0
    for f in args.files:
        p = Path(f)
        if p.parent.name == "programs":
            prog = load_program(p)
            known = {s.stem for s in standard_files(p.parent.parent)}
            if prog.standard not in known:
                raise StandardError(f"{p}: standard: unknown standard '{prog.standard}'")
        else:
            load_standard(p)
        print(f"ok: {p}")
    return 0


def cmd_standards_score(args: argparse.Namespace) -> int:
    from bot.domain.scoring import parse_answers, score
    from bot.domain.standards import catalog

    std = catalog().standard(args.id)
    try:
        raw = json.loads(Path(args.answers).read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise StandardError(f"{args.answers}: cannot read answers: {exc}") from exc
    if not isinstance(raw, dict):
        raise StandardError(f"{args.answers}: expected an object mapping ids to answers")
    result = score(std, parse_answers(raw))
    if args.json:
        _print_json(result.as_dict())
        return 0
    if result.score is not None:
        print(f"得分 {result.score:g}/{result.max_score:g}（达标线 {result.pass_score:g}）")
    print(f"已答 {result.answered}/{result.total} · 缺项 {len(result.gaps)}")
    print(
        "结论："
        + ("达标" if result.passed else "未达标")
        + ("（触发否决项）" if result.vetoed else "")
    )
    for g in result.gaps:
        print(f"  {g.id} {g.reason}")
    return 0


# -- the parser ----------------------------------------------------------------------------------


def _add_standards(sub: Any) -> None:
    """The `standards` group (its own module, bot/cli/standards.py, is on its way)."""
    sts = _group(
        sub,
        "standards",
        "list, show, validate and score the standards",
        "greencheck standards list --json",
    )
    p = _sub(
        sts, "list", "list the standards", "greencheck standards list --json", cmd_standards_list
    )
    p.add_argument("--json", action="store_true")
    p = _sub(
        sts,
        "show",
        "show one standard item by item",
        "greencheck standards show chuxiong-2021",
        cmd_standards_show,
    )
    p.add_argument("id")
    p.add_argument("--json", action="store_true")
    p = _sub(
        sts,
        "validate",
        "validate standard and program files (all of them by default)",
        "greencheck standards validate standards/chuxiong-2021.yaml",
        cmd_standards_validate,
    )
    p.add_argument("files", nargs="*")
    p = _sub(
        sts,
        "score",
        "score an answers file against a standard",
        "greencheck standards score chuxiong-2021 answers.json --json\n"
        '  (answers.json: {"1": {"status": "met"}, "2": {"status": "partial", "points": 3}})',
        cmd_standards_score,
    )
    p.add_argument("id")
    p.add_argument("answers")
    p.add_argument("--json", action="store_true")


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
    _add_standards(sub)  # standards list, show, validate, score
    programs.add_commands(sub)  # programs list
    bot_commands.add_commands(sub)  # run, demo, invite
    remind.add_commands(sub)  # remind due, remind send
    reports.add_commands(sub)  # status, export, form, chart
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
