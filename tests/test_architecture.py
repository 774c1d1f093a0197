"""The layout's rules, checked on the source (see README, Layout): each one names what broke it."""

from __future__ import annotations

import ast
import statistics
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SQL_CALLS = {
    "execute",
    "executemany",
    "executescript",
    "query",
    "table",
    "rows_where",
    "create_view",
}
CLOCK_CALLS = {("datetime", "now"), ("datetime", "utcnow"), ("date", "today"), ("time", "time")}
TELEGRAM_ALLOWED = {"bot/cli/bot.py"}  # the CLI command that starts the bot
CJK_ALLOWED = ("bot/texts/", "bot/files/")  # the catalogue and the official-file builders
VOCABULARY = "bot.texts.vocabulary"  # a leaf of input words (name suffixes, 考评方式)
DECLARATIVE = {"bot/store/schema.py"}  # migrations: one long declarative table per version


def sources() -> Iterator[tuple[str, ast.Module]]:
    for pkg in ("bot", "handlers"):
        for path in sorted((ROOT / pkg).rglob("*.py")):
            rel = path.relative_to(ROOT).as_posix()
            yield rel, ast.parse(path.read_text(encoding="utf-8"), rel)


def module_name(rel: str) -> str:
    name = rel.removesuffix(".py").replace("/", ".")
    return name.removesuffix(".__init__")


def top_level_imports(tree: ast.Module) -> Iterator[str]:
    """Modules imported when the module is imported (not inside functions)."""
    for node in tree.body:
        if isinstance(node, ast.Import):
            yield from (a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            yield node.module
            yield from (f"{node.module}.{a.name}" for a in node.names)


def all_imports(tree: ast.Module) -> Iterator[tuple[int, str]]:
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from ((node.lineno, a.name) for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            yield node.lineno, node.module


def docstrings(tree: ast.Module) -> set[int]:
    """Ids of the string constants that are docstrings."""
    out = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                out.add(id(body[0].value))
    return out


def test_no_import_cycle():
    modules = {module_name(rel): tree for rel, tree in sources()}
    graph = {
        name: {m for m in top_level_imports(tree) if m in modules and m != name}
        for name, tree in modules.items()
    }
    cycles = []
    state: dict[str, int] = {}

    def visit(node: str, path: list[str]) -> None:
        state[node] = 1
        for nxt in sorted(graph[node]):
            if state.get(nxt) == 1:
                cycles.append(" → ".join([*path[path.index(nxt) :], nxt]))
            elif nxt not in state:
                visit(nxt, [*path, nxt])
        state[node] = 2

    for name in sorted(graph):
        if name not in state:
            visit(name, [name])
    assert cycles == []


def test_bot_never_imports_telegram_or_handlers():
    found = [
        f"{rel}:{line} {mod}"
        for rel, tree in sources()
        if rel.startswith("bot/") and rel not in TELEGRAM_ALLOWED
        for line, mod in all_imports(tree)
        if mod.split(".")[0] in ("telegram", "handlers")
    ]
    assert found == []


def test_domain_imports_nothing_of_ours_but_itself():
    found = [
        f"{rel}:{line} {mod}"
        for rel, tree in sources()
        if rel.startswith("bot/domain/")
        for line, mod in all_imports(tree)
        if mod.split(".")[0] in ("bot", "handlers", "telegram", "sqlite3", "sqlite_utils")
        and not mod.startswith("bot.domain")
        and mod != VOCABULARY
    ]
    assert found == []


def test_file_builders_and_report_views_take_data_never_fetch_it():
    """bot/files builds from what its caller gathered (bot/services/exports.py): it imports the
    payload types of the services, never a service function nor the store; the chat and CLI
    views (bot/texts/report_views.py) import no service at all."""
    import importlib
    import types

    found = []
    for rel, tree in sources():
        files, views = rel.startswith("bot/files/"), rel == "bot/texts/report_views.py"
        for node in ast.walk(tree):
            if not (isinstance(node, ast.ImportFrom) and node.module and (files or views)):
                continue
            if node.module.startswith("bot.store") or (
                views and node.module.startswith("bot.services")
            ):
                found.append(f"{rel}:{node.lineno} {node.module}")
            elif node.module.startswith("bot.services"):
                module = importlib.import_module(node.module)
                found += [
                    f"{rel}:{node.lineno} {node.module}.{a.name}"
                    for a in node.names
                    if not isinstance(getattr(module, a.name), (type, types.UnionType))
                ]
    assert found == []


def test_only_the_store_runs_sql():
    found = []
    for rel, tree in sources():
        if rel.startswith("bot/store/"):
            continue
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr in SQL_CALLS
            ):
                found.append(f"{rel}:{node.lineno} .{node.func.attr}(")
    assert found == []


def clock_reads(rel: str, tree: ast.Module) -> list[str]:
    """Calls that read the wall clock (`datetime.now()`, `time.time()`…)."""
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            owner = node.func.value
            name = owner.attr if isinstance(owner, ast.Attribute) else getattr(owner, "id", "")
            if (name, node.func.attr) in CLOCK_CALLS:
                found.append(f"{rel}:{node.lineno} {name}.{node.func.attr}()")
    return found


def test_tests_never_read_the_wall_clock():
    """The suite runs on FixedClock (tests/harness.py): it passes at any hour. Benchmarks and
    the render script measure or stamp real runs and may."""
    found = []
    for path in sorted((ROOT / "tests").rglob("*.py")):
        rel = path.relative_to(ROOT).as_posix()
        if rel.startswith(("tests/bench/", "tests/visual/")) or rel == "tests/test_architecture.py":
            continue
        found += clock_reads(rel, ast.parse(path.read_text(encoding="utf-8")))
    assert found == []


def test_only_the_clock_module_reads_the_wall_clock():
    """Everything else gets "now" from the one Clock the composition root made."""
    found = []
    for rel, tree in sources():
        if rel == "bot/clock.py":
            continue
        found += clock_reads(rel, tree)
    assert found == []


def test_no_chinese_literal_outside_the_catalogue_and_the_official_files():
    found = []
    for rel, tree in sources():
        if rel.startswith(CJK_ALLOWED):
            continue
        skip = docstrings(tree)
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Constant)
                and isinstance(node.value, str)
                and id(node) not in skip
                and any("\u4e00" <= c <= "\u9fff" for c in node.value)
            ):
                found.append(f"{rel}:{node.lineno} {node.value[:30]!r}")
    assert found == []


def function_sizes() -> list[tuple[int, str]]:
    sizes = []
    for rel, tree in sources():
        for node in ast.walk(tree):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                assert node.end_lineno is not None
                sizes.append(
                    (node.end_lineno - node.lineno + 1, f"{rel}:{node.lineno} {node.name}")
                )
    return sizes


def test_functions_are_small():
    sizes = function_sizes()
    p90 = statistics.quantiles([n for n, _ in sizes], n=10)[8]
    long = [name for n, name in sizes if n > 60 and name.split(":")[0] not in DECLARATIVE]
    assert (long, p90 <= 30) == ([], True)


@pytest.mark.parametrize("pkg", ["bot", "handlers"])
def test_every_module_has_a_docstring(pkg):
    missing = [
        rel
        for rel, tree in sources()
        if rel.startswith(pkg + "/") and tree.body and ast.get_docstring(tree) is None
    ]
    assert missing == [] or all(r.endswith("__init__.py") for r in missing)
