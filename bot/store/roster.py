"""Counties, streets, communities and contacts: the SQL."""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

import sqlite_utils


def county_id(db: sqlite_utils.Database, name: str) -> int | None:
    row = db.execute("SELECT id FROM counties WHERE name = ?", [name]).fetchone()
    return int(row[0]) if row else None


def insert_county(db: sqlite_utils.Database, name: str, region: str | None) -> int:
    cur = db.execute("INSERT INTO counties (name, region) VALUES (?, ?)", [name, region])
    return int(cur.lastrowid or 0)


def street_id(db: sqlite_utils.Database, county: int, name: str) -> int | None:
    row = db.execute(
        "SELECT id FROM streets WHERE county_id = ? AND name = ?", [county, name]
    ).fetchone()
    return int(row[0]) if row else None


def insert_street(db: sqlite_utils.Database, county: int, name: str) -> int:
    cur = db.execute("INSERT INTO streets (county_id, name) VALUES (?, ?)", [county, name])
    return int(cur.lastrowid or 0)


def upsert_contact(db: sqlite_utils.Database, county: int, row: dict[str, Any]) -> None:
    """Insert or update a county contact by (county, name)."""
    db.execute(
        "INSERT INTO contacts (county_id, name, unit, office, mobile, phone)"
        " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (county_id, name) DO UPDATE SET"
        " unit = excluded.unit, office = excluded.office,"
        " mobile = excluded.mobile, phone = excluded.phone",
        [county, row["name"], row["unit"], row["office"], row["mobile"], row["phone"]],
    )


_UPSERT_COMMUNITY = """
INSERT INTO communities (county_id, street_id, name, former_livable, former_green,
    planned_year, address, note)
VALUES (:county_id, :street_id, :community, :former_livable, :former_green, :planned_year,
    :address, :note)
ON CONFLICT(name) DO UPDATE SET county_id = excluded.county_id,
    street_id = excluded.street_id, former_livable = excluded.former_livable,
    former_green = excluded.former_green, planned_year = excluded.planned_year,
    address = excluded.address, note = excluded.note
"""


COMMUNITY_FIELDS = (
    "county_id",
    "street_id",
    "community",
    "former_livable",
    "former_green",
    "planned_year",
    "address",
    "note",
)


def upsert_community(db: sqlite_utils.Database, row: dict[str, Any]) -> None:
    """Insert or update a community by name (row: county_id, street_id and the roster fields)."""
    db.execute(_UPSERT_COMMUNITY, {k: row[k] for k in COMMUNITY_FIELDS})


def roster(db: sqlite_utils.Database, county: str | None = None) -> list[dict[str, Any]]:
    """The roster as dicts, optionally for one county (by exact name)."""
    sql = """SELECT co.name AS county, s.name AS street, c.name AS community,
                    c.former_livable, c.former_green, c.planned_year, c.note
             FROM communities c JOIN counties co ON co.id = c.county_id
             LEFT JOIN streets s ON s.id = c.street_id"""
    params: list[Any] = []
    if county:
        sql += " WHERE co.name = ?"
        params.append(county)
    sql += " ORDER BY co.id, s.id, c.id"
    return [dict(r) for r in db.query(sql, params)]


def counties(db: sqlite_utils.Database) -> list[tuple[int, str]]:
    rows = db.execute("SELECT id, name FROM counties ORDER BY id").fetchall()
    return [(int(r[0]), str(r[1])) for r in rows]


def communities_from(db: sqlite_utils.Database, prefix: str) -> list[tuple[int, str]]:
    """Communities whose name starts with `prefix` (an index range scan), by id."""
    rows = db.execute(
        "SELECT id, name FROM communities WHERE name >= ? AND name < ? ORDER BY id",
        [prefix, prefix + "\U0010ffff"],
    ).fetchall()
    return [(int(r[0]), str(r[1])) for r in rows]


def first_community(db: sqlite_utils.Database) -> tuple[int, str] | None:
    row = db.execute("SELECT id, name FROM communities ORDER BY id LIMIT 1").fetchone()
    return (int(row[0]), str(row[1])) if row else None


def community_count(db: sqlite_utils.Database) -> int:
    return int(db.execute("SELECT count(*) FROM communities").fetchone()[0])


def community_name(db: sqlite_utils.Database, community: int) -> str | None:
    row = db.execute("SELECT name FROM communities WHERE id = ?", [community]).fetchone()
    return str(row[0]) if row else None


def county_name(db: sqlite_utils.Database, county: int) -> str | None:
    row = db.execute("SELECT name FROM counties WHERE id = ?", [county]).fetchone()
    return str(row[0]) if row else None


# -- what an import would change (read before writing) -----------------------------------------


def county_names(db: sqlite_utils.Database) -> list[str]:
    return [str(r[0]) for r in db.execute("SELECT name FROM counties ORDER BY id").fetchall()]


def street_keys(db: sqlite_utils.Database) -> set[tuple[str, str]]:
    """Every (county name, street name)."""
    rows = db.execute(
        "SELECT co.name, s.name FROM streets s JOIN counties co ON co.id = s.county_id"
    ).fetchall()
    return {(str(r[0]), str(r[1])) for r in rows}


def community_rows(db: sqlite_utils.Database) -> dict[str, dict[str, Any]]:
    """Every community by name, with its county and street names and roster fields."""
    sql = """SELECT c.name AS community, co.name AS county, coalesce(s.name, '') AS street,
                    c.former_livable, c.former_green, c.planned_year, c.address, c.note
             FROM communities c JOIN counties co ON co.id = c.county_id
             LEFT JOIN streets s ON s.id = c.street_id"""
    return {str(r["community"]): dict(r) for r in db.query(sql)}


def contact_rows(db: sqlite_utils.Database) -> dict[tuple[str, str], dict[str, Any]]:
    """Every contact by (county name, name), with unit, office, mobile and phone."""
    sql = """SELECT co.name AS county, c.name, coalesce(c.unit, '') AS unit,
                    coalesce(c.office, '') AS office, coalesce(c.mobile, '') AS mobile,
                    coalesce(c.phone, '') AS phone
             FROM contacts c JOIN counties co ON co.id = c.county_id"""
    return {(str(r["county"]), str(r["name"])): dict(r) for r in db.query(sql)}


def county_contacts(
    db: sqlite_utils.Database, counties: Collection[int] | None
) -> list[tuple[int, str, str, str, str, str, str]]:
    """(county id, county, name, unit, office, mobile, phone) of every county in `counties`
    (None: all), counties in roster order, each county's contacts in the order imported; a
    county without contacts gives one row of empty strings (its 附件4 is still printed)."""
    where = ""
    if counties is not None:
        where = f"WHERE co.id IN ({','.join(str(int(c)) for c in sorted(counties)) or 'NULL'})"
    sql = f"""SELECT co.id, co.name, coalesce(c.name, ''), coalesce(c.unit, ''),
                     coalesce(c.office, ''), coalesce(c.mobile, ''), coalesce(c.phone, '')
              FROM counties co LEFT JOIN contacts c ON c.county_id = co.id {where}
              ORDER BY co.id, c.id"""
    return [
        (int(co), str(county), str(n), str(unit), str(office), str(mobile), str(phone))
        for co, county, n, unit, office, mobile, phone in db.conn.execute(sql)
    ]
