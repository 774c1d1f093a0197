"""The roster: import counties, streets, communities and contacts from CSV or XLSX; find names.

An import is one transaction: every row is checked first (`bot.files.rosters.read_roster`), and
a bad row is reported with its line number (a `RosterError` code and values; the catalogue key
is `roster_<code>`) while nothing is written.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import sqlite_utils

from bot.domain.names import match_names, stem
from bot.domain.standards import STANDARDS_DIR, catalog
from bot.files.rosters import RosterError, read_roster
from bot.store import roster as store
from bot.store.db import transaction

SAMPLE_ROSTER = STANDARDS_DIR / "rosters" / "heyuan-sample.csv"
SAMPLE_PROGRAM = "heyuan-2021"  # the sample roster is this program's (its region: the city)

__all__ = [
    "ImportResult",
    "RosterError",
    "community_name",
    "counties",
    "county_name",
    "find_community",
    "find_county",
    "has_communities",
    "import_roster",
    "load_sample",
    "read_roster",
    "roster",
]


@dataclass(frozen=True)
class ImportResult:
    kind: str  # communities | contacts
    rows: int
    counties: int


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
    return import_roster(db, SAMPLE_ROSTER, region=catalog().program(SAMPLE_PROGRAM).region)


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
