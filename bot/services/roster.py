"""The roster: import counties, streets, communities and contacts from CSV or XLSX; find names.

`Roster` is the service over one database (built once in `Services.open`). An import is one
transaction: every row is checked first (`bot.files.rosters.read_roster`), and
a bad row is reported with its line number (a `RosterError` code and values; the catalogue key
is `roster_<code>`) while nothing is written.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import sqlite_utils

from bot.catalog import STANDARDS_DIR
from bot.domain.names import match_names, near_duplicate, stem
from bot.domain.programs import Program
from bot.files.rosters import RosterError, read_roster
from bot.store import roster as store
from bot.store.db import transaction

SAMPLE_PROGRAM = "heyuan-2021"  # `greencheck init --sample` loads this program's roster
# One small invented roster per program (sample data: every row says so).
SAMPLE_ROSTERS = {
    "heyuan-2021": "heyuan-sample.csv",
    "chuxiong-2021": "chuxiong-sample.csv",
    "qingyang-2022": "qingyang-sample.csv",
    "qinhuangdao-etdz-2021": "qinhuangdao-etdz-sample.csv",
    "national-2020": "national-sample.csv",
}

__all__ = [
    "ImportPlan",
    "ImportResult",
    "Roster",
    "RosterError",
    "read_roster",
]


@dataclass(frozen=True)
class ImportPlan:
    """What an import changes: new names (counties, "county/street", communities, "county/person")
    and the names of rows whose values change; `unchanged` rows are already as in the file."""

    new_counties: tuple[str, ...] = ()
    new_streets: tuple[str, ...] = ()
    new_communities: tuple[str, ...] = ()
    new_contacts: tuple[str, ...] = ()
    updated: tuple[str, ...] = ()
    unchanged: int = 0


@dataclass(frozen=True)
class ImportResult:
    kind: str  # communities | contacts
    rows: int
    counties: int
    plan: ImportPlan = field(default_factory=ImportPlan)
    written: bool = True


_COMMUNITY_FIELDS = ("street", "former_livable", "former_green", "planned_year", "address", "note")
_CONTACT_FIELDS = ("unit", "office", "mobile", "phone")


def _new_county(name: str, line: int, known: list[str]) -> None:
    """Refuse a new county that differs from a known one only by a suffix (源城 / 源城区)."""
    other = near_duplicate(name, known)
    if other is not None:
        raise RosterError("near_county", line=line, county=name, other=other)


def _closest(name: str, known: list[str]) -> str | None:
    """A known county the name starts with or is a prefix of (源城区X → 源城区)."""
    found = [k for k in known if name.startswith(stem(k)) or k.startswith(stem(name))]
    return found[0] if len(found) == 1 else None


class Roster:
    """The roster over one database: imports, the sample, reading back, names by id."""

    def __init__(self, db: sqlite_utils.Database) -> None:
        self.db = db

    # -- planning: every row checked against the database before anything is written --------

    def _plan_communities(self, rows: list[dict[str, Any]]) -> ImportPlan:
        known = store.county_names(self.db)
        streets, existing = store.street_keys(self.db), store.community_rows(self.db)
        new: dict[str, list[str]] = {
            "counties": [],
            "streets": [],
            "communities": [],
            "updated": [],
        }
        for r in rows:
            if r["county"] not in known:
                _new_county(r["county"], r["line"], known)
                known.append(r["county"])
                new["counties"].append(r["county"])
            if r["street"] and (r["county"], r["street"]) not in streets:
                streets.add((r["county"], r["street"]))
                new["streets"].append(f"{r['county']}/{r['street']}")
            old = existing.get(r["community"])
            if old is None:
                new["communities"].append(r["community"])
            elif old["county"] != r["county"]:  # names are unique: never move a community silently
                info = {"line": r["line"], "name": r["community"], "county": r["county"]}
                raise RosterError("moved", other=old["county"], **info)
            elif any(old[k] != r[k] for k in _COMMUNITY_FIELDS):
                new["updated"].append(r["community"])
        changed = sum(len(v) for k, v in new.items() if k in ("communities", "updated"))
        return ImportPlan(
            tuple(new["counties"]),
            tuple(new["streets"]),
            tuple(new["communities"]),
            (),
            tuple(new["updated"]),
            len(rows) - changed,
        )

    def _plan_contacts(self, rows: list[dict[str, Any]]) -> ImportPlan:
        """Contacts never create counties: an unknown county is refused with its line."""
        known, existing = store.county_names(self.db), store.contact_rows(self.db)
        new: list[str] = []
        updated: list[str] = []
        for r in rows:
            if r["county"] not in known:
                near = near_duplicate(r["county"], known) or _closest(r["county"], known)
                info = {"line": r["line"], "county": r["county"]}
                raise RosterError(
                    "unknown_county_near" if near else "unknown_county", near=near, **info
                )
            old = existing.get((r["county"], r["name"]))
            label = f"{r['county']}/{r['name']}"
            if old is None:
                new.append(label)
            elif any(old[k] != r[k] for k in _CONTACT_FIELDS):
                updated.append(label)
        return ImportPlan(
            new_contacts=tuple(new),
            updated=tuple(updated),
            unchanged=len(rows) - len(new) - len(updated),
        )

    def _plan(self, kind: str, rows: list[dict[str, Any]]) -> ImportPlan:
        """What importing these checked rows would change (raises RosterError for a refused
        row)."""
        return self._plan_communities(rows) if kind == "communities" else self._plan_contacts(rows)

    # -- writing ------------------------------------------------------------------------------

    def _county(self, name: str, region: str | None) -> int:
        found = store.county_id(self.db, name)
        return found if found is not None else store.insert_county(self.db, name, region)

    def _street(self, county: int, name: str) -> int | None:
        if not name:
            return None
        found = store.street_id(self.db, county, name)
        return found if found is not None else store.insert_street(self.db, county, name)

    def _write(self, kind: str, rows: list[dict[str, Any]], region: str | None) -> None:
        for r in rows:
            county = self._county(r["county"], region)
            if kind == "contacts":
                store.upsert_contact(self.db, county, r)
            else:
                street = self._street(county, r["street"])
                store.upsert_community(self.db, r | {"county_id": county, "street_id": street})

    def import_roster(
        self,
        path: Path,
        region: str | None = None,
        *,
        county: str | None = None,
        dry_run: bool = False,
        on_plan: Callable[[ImportPlan], None] | None = None,
    ) -> ImportResult:
        """Import a community or contact roster: all rows or none, in one transaction.

        Every row is checked (file, then against the database: near-duplicate counties, contacts
        for unknown counties, communities that would move) before anything is written; `dry_run`
        only plans. `county` is the county of a contact list without a county column. `on_plan`
        is shown the plan before anything is written (the CLI prints it).
        """
        kind, rows = read_roster(path, county)
        n_counties = len({r["county"] for r in rows})
        if dry_run:
            plan = self._plan(kind, rows)
            return ImportResult(kind, len(rows), n_counties, plan, written=False)
        with transaction(self.db):
            plan = self._plan(kind, rows)
            if on_plan is not None:
                on_plan(plan)
            self._write(kind, rows, region)
        return ImportResult(kind, len(rows), n_counties, plan)

    def load_sample(self, program: Program) -> ImportResult:
        """Load a program's sample roster (sample data: invented names, reconstructed figures)."""
        path = STANDARDS_DIR / "rosters" / SAMPLE_ROSTERS[program.id]
        return self.import_roster(path, region=program.region)

    # -- reading back -------------------------------------------------------------------------

    def roster(self, county: str | None = None) -> list[dict[str, Any]]:
        """The roster as dicts (county, street, community, flags, planned_year, note)."""
        return store.roster(self.db, county)

    def community_name(self, community_id: int) -> str:
        """The community's name ('?' for an unknown id: a row deleted under a stale button)."""
        return store.community_name(self.db, community_id) or "?"

    def county_name(self, county_id: int) -> str:
        return store.county_name(self.db, county_id) or "?"

    def first_community(self) -> tuple[int, str] | None:
        return store.first_community(self.db)

    def has_communities(self) -> bool:
        return store.community_count(self.db) > 0

    # -- name matching (bot.domain.names) ----------------------------------------------------

    def find_community(self, query: str) -> list[tuple[int, str]]:
        """The communities a name may mean; only names starting with the query's stem match."""
        return match_names(query, store.communities_from(self.db, stem(query.strip())))

    def find_county(self, query: str) -> list[tuple[int, str]]:
        """The counties a name may mean, in roster order."""
        return match_names(query, store.counties(self.db))
