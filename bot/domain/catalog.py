"""The catalogue: load and validate `standards/*.yaml` and `standards/programs/*.yaml` once.

Models live in `bot.domain.standards` and `bot.domain.programs`; this module reads the files,
turns pydantic errors into `file: field.path: problem` lines (`StandardError`) and checks the
cross-file references (a program names a known standard). Nothing here imports back from it,
so `standards` and `programs` have no import cycle.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any, TypeVar

from pydantic import ValidationError

from bot.domain.programs import Program
from bot.domain.standards import RULE_KINDS, Standard, StandardError

STANDARDS_DIR = Path(__file__).resolve().parents[2] / "standards"

__all__ = [
    "STANDARDS_DIR",
    "Catalog",
    "StandardError",
    "cache_dir",
    "catalog",
    "content_hash",
    "fingerprint",
    "format_validation_error",
    "load_catalog",
    "load_program",
    "load_standard",
    "program_files",
    "read_yaml",
    "standard_files",
]


M = TypeVar("M", Standard, Program)


def _loc(loc: tuple[int | str, ...]) -> str:
    out = ""
    for n, part in enumerate(loc):
        if isinstance(part, int):
            out += f"[{part}]"
        elif n and isinstance(loc[n - 1], int) and part in RULE_KINDS:
            continue  # pydantic adds the discriminator tag ('fixed', …) to the path
        else:
            out += f".{part}" if out else part
    return out or "(top level)"


def format_validation_error(path: Path, err: ValidationError) -> str:
    """Render a pydantic error as 'file: field.path: problem' lines."""
    lines = []
    for e in err.errors():
        where, msg = _loc(e["loc"]), e["msg"]
        marker = msg.find("@")
        if marker >= 0 and ": " in msg[marker:]:  # a model validator naming its own field
            inner, _, msg = msg[marker + 1 :].partition(": ")
            where = inner if where == "(top level)" else f"{where}.{inner}"
        lines.append(f"{path}: {where}: {msg}")
    return "\n".join(lines)


def read_yaml(path: Path) -> dict[str, Any]:
    """Parse one YAML file into a mapping, or raise StandardError naming the file."""
    import yaml  # only when the cache misses (see load_catalog)

    # libyaml's loader parses the ten data files ~5x faster than the pure-Python one (same results)
    loader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=loader)
    except (OSError, yaml.YAMLError) as exc:
        raise StandardError(f"{path}: cannot read: {exc}".replace("\n", " ")) from exc
    if not isinstance(data, dict):
        raise StandardError(f"{path}: (top level): expected a mapping")
    return data


def content_hash(path: Path) -> str:
    """Return a short hash of a file's bytes (binds an assessment to a standard version)."""
    return hashlib.sha256(path.read_bytes()).hexdigest()[:16]


def load_standard(path: Path) -> Standard:
    """Load and validate one standard file."""
    return _load(path, Standard)


def standard_files(root: Path = STANDARDS_DIR) -> list[Path]:
    return sorted(root.glob("*.yaml"))


def program_files(root: Path = STANDARDS_DIR) -> list[Path]:
    return sorted((root / "programs").glob("*.yaml"))


def load_program(path: Path) -> Program:
    """Load and validate one program file."""
    return _load(path, Program)


def _load(path: Path, model: type[M]) -> M:
    """Validate one data file as `model`; its id must be the file's name (file: field: problem)."""
    try:
        item = model.model_validate(read_yaml(path))
    except ValidationError as exc:
        raise StandardError(format_validation_error(path, exc)) from exc
    if item.id != path.stem:
        raise StandardError(f"{path}: id: '{item.id}' does not match the file name")
    return item


class Catalog:
    """All standards and programs, loaded and validated once."""

    def __init__(self, root: Path = STANDARDS_DIR) -> None:
        self.root = root
        self.standards: dict[str, Standard] = {}
        self.hashes: dict[str, str] = {}
        for p in standard_files(root):
            s = load_standard(p)
            self.standards[s.id] = s
            self.hashes[s.id] = content_hash(p)
        self.programs: dict[str, Program] = {}
        for p in program_files(root):
            prog = load_program(p)
            if prog.standard not in self.standards:
                raise StandardError(f"{p}: standard: unknown standard '{prog.standard}'")
            self.programs[prog.id] = prog

    def program(self, pid: str) -> Program:
        """Return a program by id, or raise StandardError naming the known ones."""
        try:
            return self.programs[pid]
        except KeyError:
            known = ", ".join(sorted(self.programs))
            raise StandardError(
                f"GREENCHECK_PROGRAM: unknown program '{pid}' (known: {known})"
            ) from None

    def standard(self, sid: str) -> Standard:
        try:
            return self.standards[sid]
        except KeyError:
            raise StandardError(f"unknown standard '{sid}'") from None

    def __iter__(self) -> Iterator[Standard]:
        return iter(self.standards.values())


# -- the validated catalogue, cached between runs ----------------------------------------------
# Validating ten YAML files costs more than a read-only command's whole query, so the catalogue is
# pickled in a cache folder outside the repository ($GREENCHECK_CACHE_DIR; empty turns it off;
# default $XDG_CACHE_HOME/greencheck or ~/.cache/greencheck). The file name is a hash of every data
# file's bytes and of the code that validates them, so any change (a file edited, a model changed,
# another Python or pydantic) misses the cache and validates afresh; errors are never cached.

CACHE_ENV = "GREENCHECK_CACHE_DIR"
_DOMAIN = Path(__file__).resolve().parent
_CODE = [_DOMAIN / n for n in ("catalog.py", "standards.py", "programs.py")] + [
    _DOMAIN.parent / "texts" / "vocabulary.py"
]


def cache_dir() -> Path | None:
    """Where the validated catalogue is kept (None: caching off)."""
    chosen = os.environ.get(CACHE_ENV)
    if chosen is not None:
        return Path(chosen) if chosen.strip() else None
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "greencheck"


def fingerprint(root: Path = STANDARDS_DIR) -> str:
    """A hash of the data files and of the code that validates them."""
    import pydantic

    h = hashlib.sha256(f"{sys.version}|{pydantic.VERSION}|{root}".encode())
    for path in [*_CODE, *standard_files(root), *program_files(root)]:
        h.update(f"\0{path.name}\0".encode())
        h.update(path.read_bytes())
    return h.hexdigest()[:32]


def _read_cache(path: Path) -> Catalog | None:
    try:
        with path.open("rb") as f:
            found = pickle.load(f)
    except Exception:  # missing, truncated or from an older layout: validate afresh
        return None
    return found if isinstance(found, Catalog) else None


def _write_cache(folder: Path, path: Path, cat: Catalog) -> None:
    """Keep the catalogue for the next run; drop older ones; a read-only folder is fine."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_bytes(pickle.dumps(cat, protocol=pickle.HIGHEST_PROTOCOL))
        os.replace(tmp, path)
        for old in folder.glob("catalog-*.pickle"):
            if old != path:
                old.unlink(missing_ok=True)
    except OSError:
        pass


def load_catalog(root: Path = STANDARDS_DIR) -> Catalog:
    """The validated catalogue: from the cache when the files are unchanged, else loaded."""
    folder = cache_dir()
    if folder is None:
        return Catalog(root)
    path = folder / f"catalog-{fingerprint(root)}.pickle"
    cat = _read_cache(path)
    if cat is None:
        cat = Catalog(root)
        _write_cache(folder, path, cat)
    return cat


_catalog: Catalog | None = None


def catalog() -> Catalog:
    """Return the process-wide catalog, loading it on first use."""
    global _catalog
    if _catalog is None:
        _catalog = load_catalog()
    return _catalog
