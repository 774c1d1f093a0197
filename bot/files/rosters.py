"""Roster files: the official community list (附件5) and contact list (附件4) as CSV or XLSX.

`read_roster` parses and checks every row and returns them; a bad file or row raises
`RosterError(code, **values)` (catalogue key `roster_<code>`, e.g. "line 4: community is
empty"). Writing them is `bot.services.roster.import_roster`.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

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
