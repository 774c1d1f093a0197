"""The roster: counties, streets, communities and contacts; import from CSV or XLSX.

An import is one transaction: every row is checked first, and a bad row is reported with its
line number while nothing is written.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import sqlite_utils

from bot.domain.standards import STANDARDS_DIR
from bot.store.db import transaction

SAMPLE_ROSTER = STANDARDS_DIR / "rosters" / "heyuan-sample.csv"

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


class RosterError(ValueError):
    """A roster file that cannot be imported; the message names the line."""


@dataclass(frozen=True)
class ImportResult:
    kind: str  # communities | contacts
    rows: int
    counties: int


def _read_rows(path: Path) -> Iterator[tuple[int, list[str]]]:
    """Yield (line number, cells) from a CSV or XLSX file; line 1 is the header."""
    suffix = path.suffix.lower()
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise RosterError(f"{path}: cannot read: {exc.strerror or exc}") from exc
    if suffix == ".csv":
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            try:  # Excel on a Chinese Windows saves CSV in GBK
                text = raw.decode("gb18030")
            except UnicodeDecodeError as exc:
                raise RosterError(f"{path}: not UTF-8 or GBK text") from exc
        for n, row in enumerate(csv.reader(io.StringIO(text)), start=1):
            yield n, [c.strip() for c in row]
    elif suffix in (".xlsx", ".xlsm"):
        from openpyxl import load_workbook

        try:
            wb = load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
        except Exception as exc:  # openpyxl raises several kinds for a broken file
            raise RosterError(f"{path}: not a readable XLSX file ({exc})") from exc
        ws = wb.worksheets[0]
        for n, values in enumerate(ws.iter_rows(values_only=True), start=1):
            yield n, ["" if v is None else str(v).strip() for v in values]
        wb.close()
    else:
        raise RosterError(f"{path}: unsupported file type '{suffix}' (use .csv or .xlsx)")


def _map_header(header: list[str], columns: dict[str, tuple[str, ...]]) -> dict[str, int] | None:
    idx: dict[str, int] = {}
    for key, titles in columns.items():
        for n, cell in enumerate(header):
            if cell in titles:
                idx[key] = n
    required = {"county", "community"} if "community" in columns else {"county", "name"}
    return idx if required <= idx.keys() else None


def _flag(value: str, line: int, col: str) -> int:
    v = value.strip().lower()
    if v in ("", "0", "否", "no", "false"):
        return 0
    if v in ("1", "是", "yes", "true"):
        return 1
    raise RosterError(f"line {line}: {col}: expected 1/0 or 是/否, got '{value}'")


def read_roster(path: Path) -> tuple[str, list[dict[str, Any]]]:
    """Parse and check a roster file; return (kind, rows) or raise RosterError."""
    rows = list(_read_rows(path))
    if not rows:
        raise RosterError(f"{path}: the file is empty")
    header = rows[0][1]
    kind, idx = "communities", _map_header(header, COMMUNITY_COLUMNS)
    if idx is None:
        kind, idx = "contacts", _map_header(header, CONTACT_COLUMNS)
    if idx is None:
        raise RosterError(
            f"{path}: line 1: header needs county and community columns "
            "(or county and name for a contact list)"
        )
    out: list[dict[str, Any]] = []
    seen: set[str] = set()
    for line, cells in rows[1:]:
        if not any(cells):
            continue

        def cell(key: str, cells: list[str] = cells) -> str:
            n = idx.get(key)
            return cells[n] if n is not None and n < len(cells) else ""

        county = cell("county")
        if not county:
            raise RosterError(f"line {line}: county is empty")
        if kind == "contacts":
            if not cell("name"):
                raise RosterError(f"line {line}: name is empty")
            out.append({k: cell(k) for k in CONTACT_COLUMNS})
            continue
        name = cell("community")
        if not name:
            raise RosterError(f"line {line}: community is empty")
        if name in seen:
            raise RosterError(f"line {line}: community '{name}' appears twice")
        seen.add(name)
        year_text = cell("planned_year")
        if year_text and not (year_text.isdigit() and 2000 <= int(year_text) <= 2100):
            raise RosterError(f"line {line}: planned_year: expected a year, got '{year_text}'")
        out.append(
            {
                "county": county,
                "street": cell("street"),
                "community": name,
                "former_livable": _flag(cell("former_livable"), line, "former_livable"),
                "former_green": _flag(cell("former_green"), line, "former_green"),
                "planned_year": int(year_text) if year_text else None,
                "address": cell("address") or None,
                "note": cell("note") or None,
                "line": line,
            }
        )
    if not out:
        raise RosterError(f"{path}: no rows below the header")
    return kind, out


def _county_id(db: sqlite_utils.Database, name: str, region: str | None = None) -> int:
    row = db.execute("SELECT id FROM counties WHERE name = ?", [name]).fetchone()
    if row:
        return int(row[0])
    cur = db.execute("INSERT INTO counties (name, region) VALUES (?, ?)", [name, region])
    return int(cur.lastrowid or 0)


def _street_id(db: sqlite_utils.Database, county_id: int, name: str) -> int | None:
    if not name:
        return None
    row = db.execute(
        "SELECT id FROM streets WHERE county_id = ? AND name = ?", [county_id, name]
    ).fetchone()
    if row:
        return int(row[0])
    cur = db.execute("INSERT INTO streets (county_id, name) VALUES (?, ?)", [county_id, name])
    return int(cur.lastrowid or 0)


def import_roster(db: sqlite_utils.Database, path: Path, region: str | None = None) -> ImportResult:
    """Import a community or contact roster in one transaction (upserting by name)."""
    kind, rows = read_roster(path)
    counties: set[str] = set()
    with transaction(db):
        for r in rows:
            cid = _county_id(db, r["county"], region)
            counties.add(r["county"])
            if kind == "contacts":
                db.execute(
                    "INSERT INTO contacts (county_id, name, unit, office, mobile, phone)"
                    " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (county_id, name) DO UPDATE SET"
                    " unit = excluded.unit, office = excluded.office,"
                    " mobile = excluded.mobile, phone = excluded.phone",
                    [cid, r["name"], r["unit"], r["office"], r["mobile"], r["phone"]],
                )
                continue
            moved = db.execute(
                "SELECT co.name FROM communities c JOIN counties co ON co.id = c.county_id"
                " WHERE c.name = ? AND c.county_id != ?",
                [r["community"], cid],
            ).fetchone()
            if moved:  # names are unique: never move a community (and its check) silently
                raise RosterError(
                    f"line {r['line']}: community '{r['community']}' already exists in"
                    f" {moved[0]}; rename it (e.g. {r['county']}{r['community']}) or fix the county"
                )
            sid = _street_id(db, cid, r["street"])
            db.execute(
                """INSERT INTO communities (county_id, street_id, name, former_livable,
                       former_green, planned_year, address, note)
                   VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                   ON CONFLICT(name) DO UPDATE SET county_id = excluded.county_id,
                       street_id = excluded.street_id, former_livable = excluded.former_livable,
                       former_green = excluded.former_green,
                       planned_year = excluded.planned_year,
                       address = excluded.address, note = excluded.note""",
                [
                    cid,
                    sid,
                    r["community"],
                    r["former_livable"],
                    r["former_green"],
                    r["planned_year"],
                    r["address"],
                    r["note"],
                ],
            )
    return ImportResult(kind, len(rows), len(counties))


def load_sample(db: sqlite_utils.Database) -> ImportResult:
    """Load the Heyuan sample roster (sample data: invented names, reconstructed figures)."""
    return import_roster(db, SAMPLE_ROSTER, region="河源市")


def roster(db: sqlite_utils.Database, county: str | None = None) -> list[dict[str, Any]]:
    """Return the roster as dicts, optionally for one county."""
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


def counties(db: sqlite_utils.Database) -> list[dict[str, Any]]:
    return list(db.query("SELECT id, name FROM counties ORDER BY id"))


SUFFIXES = ("社区居委会", "社区", "街道办事处", "街道", "新区", "县", "区", "市", "镇", "乡")


def _stem(name: str) -> str:
    for s in SUFFIXES:
        if name.endswith(s) and len(name) > len(s):
            return name[: -len(s)]
    return name


def match_names(query: str, names: Iterable[tuple[int, str]]) -> list[tuple[int, str]]:
    """Match a name forgivingly: exact, then without suffixes, then a unique prefix."""
    q = query.strip()
    pool = list(names)
    exact = [p for p in pool if p[1] == q]
    if exact:
        return exact
    qs = _stem(q)
    stem = [p for p in pool if _stem(p[1]) == qs]
    if stem:
        return stem
    return [p for p in pool if p[1].startswith(q) or _stem(p[1]).startswith(qs)]


def find_community(db: sqlite_utils.Database, query: str) -> list[tuple[int, str]]:
    """Match a community name; only names starting with the query's stem can match."""
    stem = _stem(query.strip())
    rows = db.execute(
        "SELECT id, name FROM communities WHERE name >= ? AND name < ? ORDER BY id",
        [stem, stem + "\U0010ffff"],
    ).fetchall()
    return match_names(query, [(int(r[0]), str(r[1])) for r in rows])


def find_county(db: sqlite_utils.Database, query: str) -> list[tuple[int, str]]:
    rows = db.execute("SELECT id, name FROM counties ORDER BY id").fetchall()
    return match_names(query, [(int(r[0]), str(r[1])) for r in rows])
