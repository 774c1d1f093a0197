"""The roster: import counties, streets, communities and contacts from CSV or XLSX; find names.

An import is one transaction: every row is checked first, and a bad row is reported with its
line number (a `RosterError` code and values; the catalogue key is `roster_<code>`) while
nothing is written.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import sqlite_utils

from bot.domain.names import match_names, stem
from bot.domain.standards import STANDARDS_DIR
from bot.store import roster as store
from bot.store.db import transaction

SAMPLE_ROSTER = STANDARDS_DIR / "rosters" / "heyuan-sample.csv"
SAMPLE_REGION = "河源市"  # data: the sample's city

# Accepted column titles: the English key, or the Chinese title used on the official forms.
COMMUNITY_COLUMNS = {
    "county": ("county", "县区", "县（区）", "县(区)", "县市"),
    "street": ("street", "街道", "乡街"),
    "community": ("community", "社区", "社区名称"),
    "former_livable": ("former_livable", "原宜居社区"),
    "former_green": ("former_green", "原绿色社区"),
    "planned_year": ("planned_year", "计划创建年份"),
    "address": ("address", "社区地址"),
    "note": ("note", "备注"),
}
CONTACT_COLUMNS = {
    "county": COMMUNITY_COLUMNS["county"],
    "name": ("name", "姓名"),
    "unit": ("unit", "单位"),
    "office": ("office", "股室"),
    "mobile": ("mobile", "手机"),
    "phone": ("phone", "固定电话"),
}
YES = ("1", "是", "yes", "true")
NO = ("", "0", "否", "no", "false")


class RosterError(ValueError):
    """A roster file that cannot be imported: `code` and values; the text is `roster_<code>`."""

    def __init__(self, code: str, **info: Any) -> None:
        super().__init__(code)
        self.code = code
        self.info = info

    @property
    def key(self) -> str:
        return f"roster_{self.code}"


@dataclass(frozen=True)
class ImportResult:
    kind: str  # communities | contacts
    rows: int
    counties: int


# -- reading --------------------------------------------------------------------------------


def _decode(raw: bytes, path: Path) -> str:
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:  # Excel on a Chinese Windows saves CSV in GBK
            return raw.decode("gb18030")
        except UnicodeDecodeError as exc:
            raise RosterError("encoding", path=str(path)) from exc


def _xlsx_rows(raw: bytes, path: Path) -> Iterator[tuple[int, list[str]]]:
    from openpyxl import load_workbook

    try:
        wb = load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises several kinds for a broken file
        raise RosterError("xlsx", path=str(path), reason=str(exc)) from exc
    ws = wb.worksheets[0]
    for n, values in enumerate(ws.iter_rows(values_only=True), start=1):
        yield n, ["" if v is None else str(v).strip() for v in values]
    wb.close()


def _read_rows(path: Path) -> Iterator[tuple[int, list[str]]]:
    """Yield (line number, cells) from a CSV or XLSX file; line 1 is the header."""
    suffix = path.suffix.lower()
    if suffix not in (".csv", ".xlsx", ".xlsm"):
        raise RosterError("file_type", path=str(path), suffix=suffix)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise RosterError("unreadable", path=str(path), reason=exc.strerror or str(exc)) from exc
    if suffix != ".csv":
        yield from _xlsx_rows(raw, path)
        return
    for n, row in enumerate(csv.reader(io.StringIO(_decode(raw, path))), start=1):
        yield n, [c.strip() for c in row]


def _map_header(header: list[str], columns: dict[str, tuple[str, ...]]) -> dict[str, int] | None:
    idx: dict[str, int] = {}
    for key, titles in columns.items():
        for n, cell in enumerate(header):
            if cell in titles:
                idx[key] = n
    required = {"county", "community"} if "community" in columns else {"county", "name"}
    return idx if required <= idx.keys() else None


def _flag(value: str, line: int, column: str) -> int:
    v = value.strip().lower()
    if v in NO:
        return 0
    if v in YES:
        return 1
    raise RosterError("flag", line=line, column=column, value=value)


def _community(line: int, cell: Callable[[str], str], seen: set[str]) -> dict[str, Any]:
    """Check one community row; return it as the store wants it."""
    name = cell("community")
    if not name:
        raise RosterError("no_community", line=line)
    if name in seen:
        raise RosterError("twice", line=line, name=name)
    seen.add(name)
    year = cell("planned_year")
    if year and not (year.isdigit() and 2000 <= int(year) <= 2100):
        raise RosterError("year", line=line, value=year)
    return {
        "county": cell("county"),
        "street": cell("street"),
        "community": name,
        "former_livable": _flag(cell("former_livable"), line, "former_livable"),
        "former_green": _flag(cell("former_green"), line, "former_green"),
        "planned_year": int(year) if year else None,
        "address": cell("address") or None,
        "note": cell("note") or None,
        "line": line,
    }


def _row(kind: str, line: int, cells: list[str], idx: dict[str, int], seen: set[str]) -> Any:
    def cell(key: str) -> str:
        n = idx.get(key)
        return cells[n] if n is not None and n < len(cells) else ""

    if not cell("county"):
        raise RosterError("no_county", line=line)
    if kind == "communities":
        return _community(line, cell, seen)
    if not cell("name"):
        raise RosterError("no_name", line=line)
    return {k: cell(k) for k in CONTACT_COLUMNS}


def read_roster(path: Path) -> tuple[str, list[dict[str, Any]]]:
    """Parse and check a roster file; return (kind, rows) or raise RosterError."""
    rows = list(_read_rows(path))
    if not rows:
        raise RosterError("empty", path=str(path))
    kind, idx = "communities", _map_header(rows[0][1], COMMUNITY_COLUMNS)
    if idx is None:
        kind, idx = "contacts", _map_header(rows[0][1], CONTACT_COLUMNS)
    if idx is None:
        raise RosterError("header", path=str(path))
    seen: set[str] = set()
    out = [_row(kind, line, cells, idx, seen) for line, cells in rows[1:] if any(cells)]
    if not out:
        raise RosterError("no_rows", path=str(path))
    return kind, out


# -- writing --------------------------------------------------------------------------------


def _county(db: sqlite_utils.Database, name: str, region: str | None) -> int:
    found = store.county_id(db, name)
    return found if found is not None else store.insert_county(db, name, region)


def _street(db: sqlite_utils.Database, county: int, name: str) -> int | None:
    if not name:
        return None
    found = store.street_id(db, county, name)
    return found if found is not None else store.insert_street(db, county, name)


def _write_community(db: sqlite_utils.Database, county: int, r: dict[str, Any]) -> None:
    other = store.county_of_community_elsewhere(db, r["community"], county)
    if other:  # names are unique: never move a community (and its check) silently
        info = {"line": r["line"], "name": r["community"], "county": r["county"]}
        raise RosterError("moved", other=other, **info)
    store.upsert_community(
        db, r | {"county_id": county, "street_id": _street(db, county, r["street"])}
    )


def import_roster(db: sqlite_utils.Database, path: Path, region: str | None = None) -> ImportResult:
    """Import a community or contact roster in one transaction (upserting by name)."""
    kind, rows = read_roster(path)
    with transaction(db):
        for r in rows:
            county = _county(db, r["county"], region)
            if kind == "contacts":
                store.upsert_contact(db, county, r)
            else:
                _write_community(db, county, r)
    return ImportResult(kind, len(rows), len({r["county"] for r in rows}))


def load_sample(db: sqlite_utils.Database) -> ImportResult:
    """Load the Heyuan sample roster (sample data: invented names, reconstructed figures)."""
    return import_roster(db, SAMPLE_ROSTER, region=SAMPLE_REGION)


# -- reading back ---------------------------------------------------------------------------


def roster(db: sqlite_utils.Database, county: str | None = None) -> list[dict[str, Any]]:
    """The roster as dicts (county, street, community, flags, planned_year, note)."""
    return store.roster(db, county)


def counties(db: sqlite_utils.Database) -> list[tuple[int, str]]:
    return store.counties(db)


def find_community(db: sqlite_utils.Database, query: str) -> list[tuple[int, str]]:
    """Match a community name; only names starting with the query's stem can match."""
    return match_names(query, store.communities_from(db, stem(query.strip())))


def find_county(db: sqlite_utils.Database, query: str) -> list[tuple[int, str]]:
    return match_names(query, store.counties(db))


def community_name(db: sqlite_utils.Database, community_id: int) -> str:
    """The community's name ('?' for an unknown id: a row deleted under a stale button)."""
    return store.community_name(db, community_id) or "?"


def county_name(db: sqlite_utils.Database, county_id: int) -> str:
    return store.county_name(db, county_id) or "?"


def first_community(db: sqlite_utils.Database) -> tuple[int, str] | None:
    return store.first_community(db)


def has_communities(db: sqlite_utils.Database) -> bool:
    return store.community_count(db) > 0
