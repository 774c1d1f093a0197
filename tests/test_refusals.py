"""Every refusal the code can raise has its text in both languages, and the one mapper fills it."""

import ast
from pathlib import Path

from bot.domain import errors
from bot.domain.errors import ActionError, CheckError, ReportError, ReviewError
from bot.services.actions import _REFUSED
from bot.texts.catalog import TEXTS
from bot.texts.refusals import SHOWN_IDS, refusal, refusal_key

ROOT = Path(__file__).resolve().parent.parent
AREAS = {
    name: cls
    for name, cls in vars(errors).items()
    if isinstance(cls, type) and issubclass(cls, errors.Refused)
}
# The codes built at run time, by file and class: every value they can take.
BUILT = {
    ("bot/services/actions.py", "ActionError"): set(_REFUSED.values()),
    ("bot/services/reports.py", "ReportError"): {
        f"{kind}_{what}" for kind in ("county", "community") for what in ("not_found", "ambiguous")
    },
}


def _raised() -> dict[tuple[str, str], set[str]]:
    """Each (file, class) and the codes its calls pass, literal or built (as `None`)."""
    found: dict[tuple[str, str], set[str]] = {}
    for path in [*ROOT.glob("bot/**/*.py"), *ROOT.glob("handlers/**/*.py")]:
        rel = path.relative_to(ROOT).as_posix()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)):
                continue
            if node.func.id not in AREAS or node.func.id == "Refused" or not node.args:
                continue
            arg = node.args[0]
            options = [arg.body, arg.orelse] if isinstance(arg, ast.IfExp) else [arg]
            codes = found.setdefault((rel, node.func.id), set())
            for option in options:
                literal = isinstance(option, ast.Constant) and isinstance(option.value, str)
                codes.add(option.value if literal else None)
    return found


def test_every_refusal_raised_has_a_text_in_both_languages():
    missing = []
    for (rel, name), codes in _raised().items():
        if None in codes:
            assert (rel, name) in BUILT, f"{rel}: {name} built from a value this test does not know"
            codes = (codes - {None}) | BUILT[rel, name]
        for code in codes:
            key = refusal_key(AREAS[name](code))
            if key not in TEXTS or not all(TEXTS[key]):
                missing.append(f"{rel}: {name}({code!r})")
    assert not missing, missing


def test_a_refusal_is_the_areas_text_else_the_shared_one():
    assert refusal_key(ReviewError("locked")) == "rv_err_locked"
    assert refusal_key(ActionError("locked")) == "locked"
    assert refusal(ActionError("locked"), "zh") == refusal(CheckError("locked"), "zh")


def test_a_refusal_escapes_its_data_for_chat_and_not_for_the_command_line():
    exc = ReportError("community_not_found", query="<b>x</b>")
    assert "&lt;b&gt;x&lt;/b&gt;" in refusal(exc, "zh")
    assert "<b>x</b>" in refusal(exc, "en", html=False)


def test_a_refusal_names_a_long_list_of_items_up_to_a_limit():
    exc = ReportError(
        "community_ambiguous", query="q", names=[f"社区{i}" for i in range(3)], n=3, shown=3
    )
    shown = refusal(exc, "zh")
    assert all(f"社区{i}" in shown for i in range(3))
    ids = [f"{i}.1" for i in range(SHOWN_IDS + 5)]
    key = next(k for k, v in TEXTS.items() if k.startswith("rv_err_") and "{ids}" in v[0])
    text = refusal(ReviewError(key.removeprefix("rv_err_"), ids=ids), "zh")
    assert f"{SHOWN_IDS - 1}.1" in text and f"{SHOWN_IDS}.1" not in text and text.count("…") >= 1
