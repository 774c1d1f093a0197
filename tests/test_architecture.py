"""The layout's rules, checked on the source (see README, Layout; the checks: tests/architecture.py).

Every check runs on this repository (it must find nothing) and on a copy with one violation
planted per rule (it must find it), so no rule passes by being unable to fail.
"""

from __future__ import annotations

import ast
import shutil
from pathlib import Path

import pytest

from tests import architecture as arch

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize("check", sorted(arch.CHECKS))
def test_the_repository_keeps_the_rule(check):
    assert arch.CHECKS[check](ROOT) == []


def test_tests_never_read_the_wall_clock():
    """The suite runs on FixedClock (tests/harness.py): it passes at any hour. Benchmarks and
    the render script time or stamp real runs and may."""
    found = [
        f
        for f in arch.wall_clock_reads(ROOT, "tests")
        if not f.startswith(("tests/bench/", "tests/visual/", "tests/architecture.py"))
    ]
    assert found == []


@pytest.mark.parametrize("pkg", ["bot", "handlers"])
def test_every_module_has_a_docstring(pkg):
    missing = [
        rel
        for rel, tree in arch.sources(ROOT)
        if rel.startswith(pkg + "/") and tree.body and ast.get_docstring(tree) is None
    ]
    assert missing == [] or all(r.endswith("__init__.py") for r in missing)


# -- violations planted in a copy: each is found by its check -----------------------------------

PLANTED = [
    # a service writing through sqlite-utils
    ("bot/services/people.py", "\ndef _w(db):\n    db['users'].insert({'id': 1})\n", "sql_outside_the_store"),
    ("bot/services/people.py", "\ndef _w(db):\n    db['users'].upsert({'id': 1}, pk='id')\n", "sql_outside_the_store"),
    ("bot/services/people.py", "\ndef _w(db):\n    db['users'].delete_where('id = 1')\n", "sql_outside_the_store"),
    # the domain reading the clock through an alias, the environment, a file, Telegram
    ("bot/domain/access.py", "\nimport datetime as D\n\ndef _n():\n    return D.datetime.now()\n", "wall_clock_reads"),
    ("bot/domain/access.py", "\nfrom datetime import datetime as D\n\ndef _n():\n    return D.now()\n", "wall_clock_reads"),
    ("bot/domain/access.py", "\nimport os\n\ndef _e():\n    return os.environ.get('X')\n", "impure_domain"),
    ("bot/domain/access.py", "\ndef _f():\n    return open('x').read()\n", "impure_domain"),
    ("bot/domain/access.py", "\nimport importlib\n\ndef _t():\n    return importlib.import_module('telegram')\n", "layer_breaks"),
    # a service returning UI text (it would need the catalogue)
    ("bot/services/people.py", "\ndef _label():\n    from bot.texts import t\n    return t('zh', 'x')\n", "layer_breaks"),
    # the adapter reaching past the services
    ("handlers/menus.py", "\nfrom bot.store import people as _store\n", "layer_breaks"),
    # a store → services cycle made with a function-level import
    ("bot/store/people.py", "\ndef _c():\n    from bot.services import people\n    return people\n", "import_cycles"),
]  # fmt: skip


@pytest.fixture(scope="module")
def copy(tmp_path_factory):
    dest = tmp_path_factory.mktemp("tree")
    for pkg in arch.PACKAGES:
        shutil.copytree(ROOT / pkg, dest / pkg, ignore=shutil.ignore_patterns("__pycache__"))
    return dest


@pytest.mark.parametrize(("path", "code", "check"), PLANTED)
def test_a_planted_violation_is_found(copy, path, code, check):
    target = copy / path
    before = target.read_text(encoding="utf-8")
    target.write_text(before + code, encoding="utf-8")
    try:
        found = arch.CHECKS[check](copy)
    finally:
        target.write_text(before, encoding="utf-8")
    assert any(f.startswith(path) or path.removesuffix(".py").replace("/", ".") in f for f in found)
