"""Reading the standards and programs from their files (`standards/*.yaml`,
`standards/programs/*.yaml`) into the validated catalogue (bot.domain.catalog), and keeping it
between runs.

Validating ten YAML files costs more than a read-only command's whole query, so the catalogue is
pickled in a cache folder under the data directory (Settings.catalog_cache:
GREENCHECK_CACHE_DIR, by default `.greencheck-cache` beside GREENCHECK_DB; empty turns it off).
The file name is a hash of every data file's bytes and of the code that validates them, so any
change (a file edited, a model changed, another Python or pydantic) misses the cache and
validates afresh; errors are never cached.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import sys
from pathlib import Path
from typing import Any

from bot.domain.catalog import Catalog, validate
from bot.domain.programs import Program
from bot.domain.standards import Standard, StandardError

STANDARDS_DIR = Path(__file__).resolve().parents[1] / "standards"
_DOMAIN = Path(__file__).resolve().parent / "domain"
_CODE = [_DOMAIN / n for n in ("catalog.py", "standards.py", "programs.py", "workflow.py")] + [
    _DOMAIN.parent / "texts" / "vocabulary.py"
]


def read_yaml(path: Path) -> dict[str, Any]:
    """Parse one YAML file into a mapping, or raise StandardError naming the file."""
    import yaml  # only when the cache misses (see load)

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


def standard_files(root: Path = STANDARDS_DIR) -> list[Path]:
    return sorted(root.glob("*.yaml"))


def program_files(root: Path = STANDARDS_DIR) -> list[Path]:
    return sorted((root / "programs").glob("*.yaml"))


def load_standard(path: Path) -> Standard:
    return validate(path, read_yaml(path), Standard)


def load_program(path: Path) -> Program:
    return validate(path, read_yaml(path), Program)


def read_catalog(root: Path = STANDARDS_DIR) -> Catalog:
    """Read and validate every file (no cache)."""
    standards = {s.id: s for s in map(load_standard, standard_files(root))}
    hashes = {p.stem: content_hash(p) for p in standard_files(root)}
    return Catalog(standards, hashes, {p: load_program(p) for p in program_files(root)})


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


def load_catalog(cache: Path | None, root: Path = STANDARDS_DIR) -> Catalog:
    """The validated catalogue: from `cache` when the files are unchanged, else read (and kept
    there). `cache` None: always read."""
    if cache is None:
        return read_catalog(root)
    path = cache / f"catalog-{fingerprint(root)}.pickle"
    cat = _read_cache(path)
    if cat is None:
        cat = read_catalog(root)
        _write_cache(cache, path, cat)
    return cat


_catalog: Catalog | None = None


def catalog(cache: Path | None = None) -> Catalog:
    """The process-wide catalogue, loaded on first use (composition roots and tests; services
    are handed theirs)."""
    global _catalog
    if _catalog is None:
        _catalog = load_catalog(cache)
    return _catalog
