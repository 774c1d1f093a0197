"""The layout's rules as checks over a source tree (see README, Layout).

Each check takes the tree's root and returns the places that break its rule ("file:line what");
tests/test_architecture.py runs them on this repository and on a copy with violations planted,
so a check that cannot fail is itself a failure.
"""

from __future__ import annotations

import ast
import statistics
from collections.abc import Iterator
from pathlib import Path

PACKAGES = ("bot", "handlers")
# sqlite3 / sqlite-utils calls that run SQL, and sqlite-utils table writes (db["t"].insert…)
SQL_CALLS = {"execute", "executemany", "executescript", "query", "rows_where", "create_view"}
TABLE_WRITES = {
    "insert", "insert_all", "upsert", "upsert_all", "update", "delete", "delete_where", "create",
    "create_index", "add_column", "transform", "drop", "lookup", "enable_fts",
}  # fmt: skip
WALL_CLOCK = {"now", "utcnow", "today", "time", "time_ns", "localtime", "gmtime", "ctime"}
CLOCK_MODULE = "bot/clock.py"
CJK_ALLOWED = ("bot/texts/", "bot/files/")  # the catalogue and the official-file builders
DECLARATIVE = {"bot/store/schema.py"}  # migrations: one long declarative table per version
IO_CALLS = {
    "open", "read_text", "read_bytes", "write_text", "write_bytes", "glob", "rglob", "iterdir",
    "mkdir", "unlink", "rename", "replace", "getenv", "putenv", "system", "popen",
}  # fmt: skip

# Who may import whom (first match wins): a module's layer, and the layers it may import.
# `bot.cli` and the composition roots (handlers/app.py, handlers/demo.py) build everything.
LAYERS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("bot.clock", ()),
    ("bot.config", ()),
    ("bot.domain", ("bot.domain", "bot.texts.vocabulary")),
    ("bot.texts", ("bot.texts", "bot.domain", "bot.clock")),  # local times are shown
    ("bot.store", ("bot.store", "bot.domain", "bot.clock")),
    ("bot.catalog", ("bot.domain",)),
    ("bot.files", ("bot.files", "bot.domain", "bot.texts", "bot.clock")),
    ("bot.services", (
        "bot.services", "bot.store", "bot.domain", "bot.clock", "bot.config", "bot.catalog",
        "bot.files.store", "bot.files.rosters",  # the evidence store and roster files: inputs
    )),
    ("bot.cli.bot", ("bot", "handlers", "telegram")),  # the commands that start the bot
    ("bot.cli", ("bot",)),
    ("handlers.app", ("bot", "handlers", "telegram")),
    ("handlers.demo", ("bot", "handlers", "telegram")),
    ("handlers", (
        "handlers", "telegram", "bot.services", "bot.texts", "bot.domain", "bot.clock",
        "bot.config", "bot.files",
    )),
)  # fmt: skip
OURS = ("bot", "handlers", "telegram")


def sources(root: Path) -> Iterator[tuple[str, ast.Module]]:
    for pkg in PACKAGES:
        for path in sorted((root / pkg).rglob("*.py")):
            rel = path.relative_to(root).as_posix()
            yield rel, ast.parse(path.read_text(encoding="utf-8"), rel)


def module_name(rel: str) -> str:
    return rel.removesuffix(".py").replace("/", ".").removesuffix(".__init__")


def imports(tree: ast.Module, name: str) -> Iterator[tuple[int, str]]:
    """Every module the tree imports, at any depth: `import`, `from … import` (a name that is
    a submodule included), relative imports, `importlib.import_module("x")` and `__import__`."""
    package = name if name.endswith("__init__") else name.rpartition(".")[0]
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from ((node.lineno, a.name) for a in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*parts, *([base] if base else [])])
            yield node.lineno, base
            yield from ((node.lineno, f"{base}.{a.name}") for a in node.names)
        elif _dynamic_import(node):
            assert isinstance(node, ast.Call)
            arg = node.args[0]
            assert isinstance(arg, ast.Constant)
            yield node.lineno, str(arg.value)


def _dynamic_import(node: ast.AST) -> bool:
    if not isinstance(node, ast.Call) or not node.args:
        return False
    f = node.func
    named = (isinstance(f, ast.Attribute) and f.attr == "import_module") or (
        isinstance(f, ast.Name) and f.id in ("__import__", "import_module")
    )
    return named and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str)


def _within(mod: str, prefix: str) -> bool:
    return mod == prefix or mod.startswith(prefix + ".")


def _layer(name: str) -> tuple[str, tuple[str, ...]] | None:
    return next(((k, v) for k, v in LAYERS if _within(name, k)), None)


# -- the checks -----------------------------------------------------------------------------------


def import_cycles(root: Path) -> list[str]:
    """Cycles among our modules, function-level and dynamic imports included."""
    trees = {module_name(rel): tree for rel, tree in sources(root)}
    graph = {
        name: {m for _, m in imports(tree, name) if m in trees and m != name}
        for name, tree in trees.items()
    }
    cycles: list[str] = []
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
    return cycles


def layer_breaks(root: Path) -> list[str]:
    """Imports that point outward: each layer imports only the layers LAYERS lets it."""
    found = []
    for rel, tree in sources(root):
        name = module_name(rel)
        layer = _layer(name)
        for line, mod in imports(tree, name):
            if mod.split(".")[0] not in OURS or layer is None:
                continue
            if not any(_within(mod, ok) for ok in layer[1]):
                found.append(f"{rel}:{line} {mod}")
    return sorted(set(found))


def sql_outside_the_store(root: Path) -> list[str]:
    """SQL (execute, query…) and sqlite-utils table writes anywhere but bot/store/."""
    found = []
    for rel, tree in sources(root):
        if rel.startswith("bot/store/"):
            continue
        for node in ast.walk(tree):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
                continue
            attr, owner = node.func.attr, node.func.value
            on_table = isinstance(owner, ast.Subscript) or (
                isinstance(owner, ast.Call)
                and isinstance(owner.func, ast.Attribute)
                and owner.func.attr == "table"
            )
            if attr in SQL_CALLS or attr == "table" or (attr in TABLE_WRITES and on_table):
                found.append(f"{rel}:{node.lineno} .{attr}(")
    return found


class _Aliases:
    """What a module binds to the wall clock: the datetime and time modules, the datetime and
    date classes, and time's own functions, under whatever names it imports them."""

    def __init__(self, tree: ast.Module) -> None:
        self.dt_modules: set[str] = set()
        self.classes: set[str] = set()  # datetime.datetime / datetime.date
        self.time_modules: set[str] = set()
        self.functions: set[str] = set()  # time.time and friends imported by name
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                for a in node.names:
                    bound = a.asname or a.name
                    if a.name == "datetime":
                        self.dt_modules.add(bound)
                    elif a.name == "time":
                        self.time_modules.add(bound)
            elif isinstance(node, ast.ImportFrom) and node.module in ("datetime", "time"):
                for a in node.names:
                    bound = a.asname or a.name
                    if node.module == "datetime" and a.name in ("datetime", "date"):
                        self.classes.add(bound)
                    elif node.module == "time" and a.name in WALL_CLOCK:
                        self.functions.add(bound)

    def reads(self, call: ast.Call) -> str | None:
        """The wall-clock read a call makes, if it makes one."""
        f = call.func
        if isinstance(f, ast.Name):
            return f"{f.id}()" if f.id in self.functions else None
        if not isinstance(f, ast.Attribute) or f.attr not in WALL_CLOCK:
            return None
        owner = f.value
        if isinstance(owner, ast.Name):
            on_class = owner.id in self.classes and f.attr in ("now", "utcnow", "today")
            on_time = owner.id in self.time_modules and f.attr not in ("now", "utcnow", "today")
            return f".{f.attr}()" if on_class or on_time else None
        on_dt = (
            isinstance(owner, ast.Attribute)
            and owner.attr in ("datetime", "date")
            and isinstance(owner.value, ast.Name)
            and owner.value.id in self.dt_modules
        )
        return f".{owner.attr}.{f.attr}()" if on_dt else None


def wall_clock_reads(root: Path, folder: str | None = None) -> list[str]:
    """Calls that read the wall clock outside bot/clock.py, through any alias (`D.now()`,
    `dt.datetime.now()`, `from time import time as t; t()`)."""
    found = []
    trees = (
        sources(root)
        if folder is None
        else ((p.relative_to(root).as_posix(), ast.parse(p.read_text(encoding="utf-8")))
              for p in sorted((root / folder).rglob("*.py")))
    )  # fmt: skip
    for rel, tree in trees:
        if rel == CLOCK_MODULE:
            continue
        aliases = _Aliases(tree)
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and (what := aliases.reads(node)):
                found.append(f"{rel}:{node.lineno} {what}")
    return found


def impure_domain(root: Path) -> list[str]:
    """File, environment or process access in bot/domain (the rules are pure)."""
    found = []
    for rel, tree in sources(root):
        if not rel.startswith("bot/domain/"):
            continue
        for node in ast.walk(tree):
            if isinstance(node, ast.Call):
                f = node.func
                name = f.attr if isinstance(f, ast.Attribute) else getattr(f, "id", "")
                if name in IO_CALLS:
                    found.append(f"{rel}:{node.lineno} {name}()")
            elif isinstance(node, ast.Attribute) and node.attr == "environ":
                found.append(f"{rel}:{node.lineno} environ")
    return found


def chinese_literals(root: Path) -> list[str]:
    """Chinese text outside the catalogue and the official files (docstrings aside)."""
    found = []
    for rel, tree in sources(root):
        if rel.startswith(CJK_ALLOWED):
            continue
        skip = _docstrings(tree)
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Constant)
                and isinstance(node.value, str)
                and id(node) not in skip
                and any("\u4e00" <= c <= "\u9fff" for c in node.value)
            ):
                found.append(f"{rel}:{node.lineno} {node.value[:30]!r}")
    return found


def _docstrings(tree: ast.Module) -> set[int]:
    out = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                out.add(id(body[0].value))
    return out


def function_sizes(root: Path) -> list[tuple[int, str]]:
    sizes = []
    for rel, tree in sources(root):
        for node in ast.walk(tree):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                assert node.end_lineno is not None
                sizes.append(
                    (node.end_lineno - node.lineno + 1, f"{rel}:{node.lineno} {node.name}")
                )
    return sizes


def long_functions(root: Path) -> list[str]:
    """Functions over 60 lines (migrations aside), and a p90 over 30."""
    sizes = function_sizes(root)
    p90 = statistics.quantiles([n for n, _ in sizes], n=10)[8]
    long = [name for n, name in sizes if n > 60 and name.split(":")[0] not in DECLARATIVE]
    return long + ([f"p90 {p90:g} > 30"] if p90 > 30 else [])


CHECKS = {
    "import_cycles": import_cycles,
    "layer_breaks": layer_breaks,
    "sql_outside_the_store": sql_outside_the_store,
    "wall_clock_reads": wall_clock_reads,
    "impure_domain": impure_domain,
    "chinese_literals": chinese_literals,
    "long_functions": long_functions,
}
