"""`greencheck standards list | show | validate | score`: the command bodies.

`bot/cli/main.py` registers the sub-commands and calls these functions. Output language follows
GREENCHECK_LANG (zh by default); standard wording is printed as the seed has it.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from bot.catalog import (
    load_program,
    load_standard,
    program_files,
    read_catalog,
    standard_files,
)
from bot.cli.common import cli_catalog, cli_lang, command_group, sub_command
from bot.cli.common import print_json as _print_json
from bot.domain.scoring import Result, parse_answers, score
from bot.domain.standards import Item, Standard, StandardError
from bot.texts import t
from bot.texts.catalog import criteria_label


def _lang() -> str:
    return cli_lang()


def _num(x: float) -> str:
    return f"{x:g}"


# -- list ------------------------------------------------------------------------------------------


def cmd_standards_list(args: argparse.Namespace) -> int:
    rows = [s.summary() for s in cli_catalog()]
    if args.json:
        _print_json(rows)
        return 0
    lang = _lang()
    for r in rows:
        if r["max_score"]:
            pts = t(lang, "std_list_points", max=r["max_score"], pass_=r["pass_score"])
        else:
            pts = t(lang, "std_list_checklist")
        subs = t(lang, "std_list_subs", n=r["sub_items"]) if r["sub_items"] else ""
        print(
            t(
                lang,
                "std_list_row",
                id=r["id"],
                title=r["title"],
                items=r["items"],
                subs=subs,
                pts=pts,
            )
        )
    return 0


# -- show ------------------------------------------------------------------------------------------


def describe_item(item: Item, lang: str, label: str) -> list[str]:
    """Return the lines `standards show` prints under an item: criteria, methods, parts, rules.

    `label` is the standard's name for its criteria column (`Standard.criteria_label`).
    """
    out: list[str] = []
    if item.criteria:
        out.append(t(lang, "std_criteria", label=label, text=item.criteria))
    if item.reading:
        out.append(t(lang, "std_reading", text=item.reading))
    for key, values in (
        ("std_methods", item.methods),
        ("std_responsible", item.responsible),
        ("std_supervisors", item.supervisors),
    ):
        if values:
            out.append(t(lang, key, text=t(lang, "name_sep").join(values)))
    if item.evidence:
        out.append(t(lang, "std_evidence", text=item.evidence))
    if not item.sub_items:
        na = item.na_basis or ""
        out.append(t(lang, "std_na_yes", text=na) if item.na_allowed else t(lang, "std_na_no"))
    for n, part in enumerate(item.parts, 1):
        out.append(t(lang, "std_part", n=n, points=part.points, text=part.text))
    out.extend(_rule_lines(item, lang))
    if item.points is not None:
        shown = t(lang, "name_sep").join(_num(v) for v in item.point_values)
        out.append(t(lang, "std_values", values=shown))
    return out


def _rule_lines(item: Item, lang: str) -> list[str]:
    out: list[str] = []
    for r in item.deductions:
        part = t(lang, "std_rule_part", n=r.part) if r.part else ""
        choices = "/".join(_num(c) for c in r.choices(item.points or 0.0))
        out.append(t(lang, "std_rule_line", rule=r.key, text=r.text, part=part, choices=choices))
        if r.reading:
            out.append("   " + t(lang, "std_rule_reading", text=r.reading))
    return out


def _label(std: Standard, lang: str) -> str:
    return criteria_label(lang, std.criteria_label, "std_criteria_label")


def show_lines(std: Standard, lang: str) -> list[str]:
    """Return the text of `greencheck standards show` for one standard."""
    out = [t(lang, "std_show_head", title=std.title, source=std.source)]
    if std.mode == "points":
        assert std.max_score is not None and std.pass_score is not None
        rule = t(lang, "std_rule_points", max=std.max_score, pass_=std.pass_score)
    else:
        rule = t(lang, "std_rule_checklist")
    out.append(t(lang, "std_show_rule", rule=rule))
    for area in std.areas:
        pts = t(lang, "std_area_points", points=area.points) if area.points else ""
        out.append(f"\n{area.id}. {area.title}{pts}")
        for item in area.items:
            key = "std_item_bonus" if item.bonus else "std_item_points"
            pts = t(lang, key, points=item.points) if item.points is not None else ""
            out.append(f"  {item.id} {item.text}{pts}")
            lines = describe_item(item, lang, _label(std, lang))
            out.extend(f"      {line}" for line in lines)
            for s in item.sub_items:
                out.append(f"    {s.id} {s.text}")
                if s.na_allowed:
                    out.append("      " + t(lang, "std_na_yes", text=s.na_basis or ""))
    out.extend(_tail_lines(std, lang))
    return out


def _tail_lines(std: Standard, lang: str) -> list[str]:
    out: list[str] = []
    if std.bonus:
        b = std.bonus
        out.append("\n" + t(lang, "std_bonus", max=b.max, text=b.text))
        out.append("      " + t(lang, "std_criteria", label=_label(std, lang), text=b.criteria))
        if b.proof:
            out.append(t(lang, "std_bonus_proof", proof=b.proof))
        for key, values in (
            ("std_methods", b.methods),
            ("std_responsible", b.responsible),
            ("std_supervisors", b.supervisors),
        ):
            if values:
                out.append("      " + t(lang, key, text=t(lang, "name_sep").join(values)))
    for v in std.vetoes:
        out.append(t(lang, "std_veto", id=v.id, title=v.title, text=v.text))
        if v.methods:
            out.append("      " + t(lang, "std_methods", text=t(lang, "name_sep").join(v.methods)))
        if v.supervisors:
            out.append(
                "      " + t(lang, "std_supervisors", text=t(lang, "name_sep").join(v.supervisors))
            )
    return out


def cmd_standards_show(args: argparse.Namespace) -> int:
    std = cli_catalog().standard(args.id)
    if args.json:
        _print_json(std.model_dump(mode="json") | {"summary": std.summary()})
        return 0
    print("\n".join(show_lines(std, _lang())))
    return 0


# -- validate --------------------------------------------------------------------------------------


def cmd_standards_validate(args: argparse.Namespace) -> int:
    lang = _lang()
    if not args.files:
        read_catalog()  # everything, with cross references
        n = len(standard_files()) + len(program_files())
        print(t(lang, "std_ok_all", n=n))
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
        print(t(lang, "std_ok_file", path=p))
    return 0


# -- score -----------------------------------------------------------------------------------------


def score_file(std: Standard, path: str) -> Result:
    """Read ANSWERS.json and score it; a refused answer raises ScoreError naming its id."""
    try:
        raw = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise StandardError(f"{path}: cannot read answers: {exc}".replace("\n", " ")) from exc
    if not isinstance(raw, dict):
        raise StandardError(f"{path}: expected an object mapping ids to answers")
    return score(std, parse_answers(raw, std))


def score_lines(result: Result, lang: str) -> list[str]:
    """Return the text of `greencheck standards score`."""
    out: list[str] = []
    r = result
    if r.score is not None:
        assert r.max_score is not None and r.pass_score is not None
        out.append(t(lang, "std_score_points", score=r.score, max=r.max_score, pass_=r.pass_score))
        if r.projected_score is not None and r.projected_score != r.score:
            out.append(t(lang, "std_score_projected", score=r.projected_score))
    out.append(t(lang, "std_score_answered", answered=r.answered, total=r.total, gaps=len(r.gaps)))
    verdict = t(lang, "std_score_passed" if r.passed else "std_score_failed")
    if r.vetoed:
        verdict += t(lang, "std_score_vetoed", ids=t(lang, "name_sep").join(r.triggered))
    out.append(verdict)
    out.append(t(lang, "std_score_complete", yes=t(lang, "std_yes" if r.complete else "std_no")))
    out.extend(
        f"  {g.id} {g.reason}"
        + (t(lang, "std_gap_uncounted", pts=g.uncounted) if g.uncounted else "")
        for g in r.gaps
    )
    return out


def cmd_standards_score(args: argparse.Namespace) -> int:
    std = cli_catalog().standard(args.id)
    result = score_file(std, args.answers)
    if args.json:
        _print_json(result.as_dict())
        return 0
    print("\n".join(score_lines(result, _lang())))
    return 0


def add_commands(sub: Any) -> None:
    """The `standards` group: list, show, validate, score."""
    sts = command_group(
        sub,
        "standards",
        "list, show, validate and score the standards",
        "greencheck standards list --json",
    )
    p = sub_command(
        sts, "list", "list the standards", "greencheck standards list --json", cmd_standards_list
    )
    p.add_argument("--json", action="store_true")
    p = sub_command(
        sts,
        "show",
        "show one standard item by item",
        "greencheck standards show chuxiong-2021",
        cmd_standards_show,
    )
    p.add_argument("id")
    p.add_argument("--json", action="store_true")
    p = sub_command(
        sts,
        "validate",
        "validate standard and program files (all of them by default)",
        "greencheck standards validate standards/chuxiong-2021.yaml",
        cmd_standards_validate,
    )
    p.add_argument("files", nargs="*")
    p = sub_command(
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
