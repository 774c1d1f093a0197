"""Roster files: the official community list (附件5) and contact list (附件4) as CSV or XLSX.

`read_roster` parses and checks every row and returns them; a bad file or row raises
`RosterError(code, **values)` (catalogue key `roster_<code>`, e.g. "line 4: community is
empty"). Writing them is `Roster.import_roster` (bot.services.roster).

Hostile files are refused before they cost memory or time: the file size first, then (XLSX)
the zip members' declared sizes and compression ratios, then rows are streamed (openpyxl
`read_only`, the sheet's declared dimension ignored) and stopped at `MAX_ROWS` / `MAX_COLS`;
every cell that is kept is checked for length and control characters.

The header is looked for in the first `HEADER_ROWS` rows (the official forms have title rows
above it); its columns decide the kind of file, and a header that fits both kinds or neither is
refused (see `_kind`).
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from bot.domain.errors import Refused
from bot.domain.names import bad_character

MAX_FILE_BYTES = 10 * 1024 * 1024  # a roster of 200,000 rows fits in far less
MAX_UNZIPPED = 64 * 1024 * 1024  # all XLSX members together, as declared in the zip
MAX_RATIO = 100  # uncompressed / compressed, for members over RATIO_FLOOR bytes
RATIO_FLOOR = 1024 * 1024
MAX_MEMBERS = 1000
MAX_SHARED_STRINGS = 16 * 1024 * 1024  # openpyxl keeps them all: ~7 bytes of memory per byte
MAX_ROWS = 200_000
MAX_COLS = 50
MAX_NAME = 200  # county, street, community, person
MAX_TEXT = 1000  # note, address, unit, office, phone numbers
CSV_FIELD_LIMIT = csv.field_size_limit()  # 131,072: the csv module's own limit
HEADER_ROWS = 10

# Accepted column titles (compared without spaces, full-width brackets as ASCII, lower case).
# `county` and `note` belong to both kinds; `name` (English) is a community in a community list
# and a person in a contact list; 姓名 is always a person.
SHARED_COLUMNS = {
    "county": ("county", "县区", "区县", "县（区）", "县(区)", "县市", "县市区", "县（市、区）"),
    "name": ("name", "名称"),
    "note": ("note", "备注"),
}
COMMUNITY_COLUMNS = {
    "street": ("street", "街道", "街道办", "街道办事处", "乡街", "镇街", "街道（镇）"),
    "community": ("community", "社区", "社区名称", "社区名"),
    "former_livable": ("former_livable", "原宜居社区"),
    "former_green": ("former_green", "原绿色社区"),
    "planned_year": ("planned_year", "计划创建年份"),
    "address": ("address", "社区地址"),
}
CONTACT_COLUMNS = {
    "person": ("姓名", "联系人"),
    "unit": ("unit", "单位"),
    "office": ("office", "股室"),
    "mobile": ("mobile", "手机"),
    "phone": ("phone", "固定电话"),
}
NAME_KEYS = ("county", "street", "community", "person")
YES = ("1", "是", "yes", "true")
NO = ("", "0", "否", "no", "false")


class RosterError(Refused):
    """A roster file that cannot be imported: `code` and values; the text is `roster_<code>`."""

    area = "roster_"


def accepted_columns(kind: str, sep: str = "; ") -> str:
    """The accepted titles of every column of a kind, for `--help` and the no-header error."""
    cols = dict(COMMUNITY_COLUMNS if kind == "communities" else CONTACT_COLUMNS)
    target = "community" if kind == "communities" else "person"
    cols[target] = (*cols[target], *SHARED_COLUMNS["name"])
    merged = {"county": SHARED_COLUMNS["county"], **cols, "note": SHARED_COLUMNS["note"]}
    return sep.join(f"{k}: {'/'.join(v)}" for k, v in merged.items())


# -- the bytes: size limits, zip checks, streaming ------------------------------------------


def _check_size(path: Path) -> None:
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise RosterError("unreadable", path=str(path), reason=exc.strerror or str(exc)) from exc
    if size > MAX_FILE_BYTES:
        raise RosterError("too_big", path=str(path), size=size, max=MAX_FILE_BYTES)


def _check_zip(path: Path) -> None:
    """Refuse an XLSX whose members would unpack to too much (a zip/deflate bomb)."""
    try:
        with zipfile.ZipFile(path) as zf:
            members = zf.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise RosterError("xlsx", path=str(path), reason=_one_line(exc)) from exc
    if len(members) > MAX_MEMBERS:
        raise RosterError("members", path=str(path), n=len(members), max=MAX_MEMBERS)
    total = 0
    for m in members:
        total += m.file_size
        ratio = m.file_size // max(m.compress_size, 1)
        info = {"path": str(path), "member": m.filename, "size": m.file_size}
        if total > MAX_UNZIPPED or (m.file_size > RATIO_FLOOR and ratio > MAX_RATIO):
            raise RosterError("bomb", max=MAX_UNZIPPED, max_ratio=MAX_RATIO, ratio=ratio, **info)
        if m.filename.lower().endswith("sharedstrings.xml") and m.file_size > MAX_SHARED_STRINGS:
            raise RosterError("shared_strings", max=MAX_SHARED_STRINGS, **info)


def _one_line(exc: Exception) -> str:
    return " ".join(str(exc).split())[:200]


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # a mobile number typed as a number
    return str(value).strip()


def _xlsx_rows(path: Path) -> Iterator[tuple[int, list[str]]]:
    from openpyxl import load_workbook

    _check_zip(path)
    try:
        wb = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises several kinds for a broken file
        raise RosterError("xlsx", path=str(path), reason=_one_line(exc)) from exc
    try:
        ws = wb.worksheets[0]
        ws.reset_dimensions()  # never trust <dimension ref="A1:XFD1048576">: rows stream
        rows = ws.iter_rows(max_col=MAX_COLS + 1, values_only=True)
        for n, values in enumerate(rows, start=1):
            yield n, [_cell_text(v) for v in values]
    except RosterError:
        raise
    except Exception as exc:  # a broken sheet found while streaming it
        raise RosterError("xlsx", path=str(path), reason=_one_line(exc)) from exc
    finally:
        wb.close()


def _decode(raw: bytes, path: Path) -> str:
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:  # Excel on a Chinese Windows saves CSV in GBK
            return raw.decode("gb18030")
        except UnicodeDecodeError as exc:
            raise RosterError("encoding", path=str(path)) from exc


def _csv_error(exc: csv.Error, line: int) -> RosterError:
    reason = str(exc)
    if "field limit" in reason:
        return RosterError("csv_field", line=line, max=CSV_FIELD_LIMIT)
    if "end of data" in reason:
        return RosterError("quote", line=line)
    return RosterError("csv", line=line, reason=reason)


def _csv_rows(path: Path) -> Iterator[tuple[int, list[str]]]:
    """Yield (first physical line of the record, cells); a bad record names its line."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise RosterError("unreadable", path=str(path), reason=exc.strerror or str(exc)) from exc
    reader = csv.reader(io.StringIO(_decode(raw, path)), strict=True)
    line = 1
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            raise _csv_error(exc, line) from None
        yield line, [c.strip() for c in row]
        line = reader.line_num + 1


def _read_rows(path: Path) -> Iterator[tuple[int, list[str]]]:
    """Yield (line number, cells) from a CSV or XLSX file, within the row and column limits."""
    suffix = path.suffix.lower()
    if suffix not in (".csv", ".xlsx", ".xlsm"):
        raise RosterError("file_type", path=str(path), suffix=suffix)
    _check_size(path)
    rows = _csv_rows(path) if suffix == ".csv" else _xlsx_rows(path)
    for line, cells in rows:
        if line > MAX_ROWS:
            raise RosterError("too_many_rows", line=line, max=MAX_ROWS)
        if any(cells[MAX_COLS:]):
            raise RosterError("too_many_columns", line=line, max=MAX_COLS)
        yield line, cells[:MAX_COLS]


# -- the header: where it is, which kind of file --------------------------------------------


def _norm(title: str) -> str:
    t = "".join(title.split()).lower().rstrip(":：")
    return t.replace("（", "(").replace("）", ")")


_TITLES = {
    _norm(title): key
    for cols in (SHARED_COLUMNS, COMMUNITY_COLUMNS, CONTACT_COLUMNS)
    for key, titles in cols.items()
    for title in titles
}


def _map_header(cells: list[str], line: int) -> dict[str, int]:
    """Known columns of a row: {key: index}; the same key twice is refused."""
    idx: dict[str, int] = {}
    for n, cell in enumerate(cells):
        key = _TITLES.get(_norm(cell))
        if key is None:
            continue
        if key in idx:
            raise RosterError("header_twice", line=line, a=cells[idx[key]], b=cell, meaning=key)
        idx[key] = n
    return idx


def _kind(idx: dict[str, int], line: int, county: str | None) -> tuple[str, dict[str, int]]:
    """Decide the kind from the header's columns; refuse a header that fits both or neither."""
    community = sorted(idx.keys() & COMMUNITY_COLUMNS.keys())
    contact = sorted(idx.keys() & CONTACT_COLUMNS.keys())
    if community and contact:
        raise RosterError(
            "header_mixed", line=line, community=", ".join(community), contact=", ".join(contact)
        )
    if not community and not contact:
        raise RosterError(
            "header_ambiguous", line=line, community="community/社区名称", person="姓名"
        )
    kind, target = ("communities", "community") if community else ("contacts", "person")
    if "name" in idx:
        if target in idx:  # 社区名称 and name, or 姓名 and name: which one is it?
            raise RosterError("header_twice", line=line, a="name", b=target, meaning=target)
        idx[target] = idx.pop("name")
    if target not in idx:
        raise RosterError(f"header_no_{target}", line=line, titles=_titles(target))
    if "county" not in idx and not (kind == "contacts" and county):
        raise RosterError(f"header_no_county_{kind}", line=line, titles=_titles("county"))
    return kind, idx


def _titles(key: str) -> str:
    cols = {**SHARED_COLUMNS, **COMMUNITY_COLUMNS, **CONTACT_COLUMNS}
    return "/".join(cols[key])


def _find_header(
    rows: Iterator[tuple[int, list[str]]], path: Path, county: str | None
) -> tuple[str, dict[str, int]]:
    """Consume rows up to the header (title rows above it are skipped); return kind, columns."""
    seen = False
    for line, cells in rows:
        seen = True
        if line > HEADER_ROWS:
            break
        idx = _map_header(cells, line)
        if len(idx) >= 2 or idx.keys() & {"community", "person"}:
            return _kind(idx, line, county)
    if not seen:
        raise RosterError("empty", path=str(path))
    raise RosterError(
        "no_header",
        path=str(path),
        rows=HEADER_ROWS,
        communities=accepted_columns("communities"),
        contacts=accepted_columns("contacts"),
    )


# -- the rows -------------------------------------------------------------------------------


def _flag(value: str, line: int, column: str) -> int:
    v = value.strip().lower()
    if v in NO:
        return 0
    if v in YES:
        return 1
    raise RosterError("flag", line=line, column=column, value=value)


def _checked(value: str, line: int, key: str) -> str:
    name = key in NAME_KEYS
    limit = MAX_NAME if name else MAX_TEXT
    if len(value) > limit:
        raise RosterError("too_long", line=line, column=key, length=len(value), max=limit)
    text = value if name else value.replace("\n", "").replace("\t", "")  # a note may wrap
    bad = bad_character(text, name=name)
    if bad:
        raise RosterError("bad_char", line=line, column=key, char=bad)
    return value


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


def _contact(line: int, cell: Callable[[str], str], seen: set[str]) -> dict[str, Any]:
    name = cell("person")
    if not name:
        raise RosterError("no_name", line=line)
    key = f"{cell('county')}\n{name}"
    if key in seen:
        raise RosterError("contact_twice", line=line, name=name, county=cell("county"))
    seen.add(key)
    fields = ("unit", "office", "mobile", "phone")
    return {"county": cell("county"), "name": name, **{k: cell(k) for k in fields}, "line": line}


def _row(
    kind: str, line: int, cells: list[str], idx: dict[str, int], seen: set[str], county: str | None
) -> dict[str, Any]:
    def cell(key: str) -> str:
        n = idx.get(key)
        value = cells[n] if n is not None and n < len(cells) else ""
        if key == "county" and not value:
            value = county or ""
        return _checked(value, line, key)

    if not cell("county"):
        raise RosterError("no_county", line=line)
    if kind == "communities":
        return _community(line, cell, seen)
    return _contact(line, cell, seen)


def read_roster(path: Path, county: str | None = None) -> tuple[str, list[dict[str, Any]]]:
    """Parse and check a roster file; return (kind, rows) or raise RosterError.

    `county` names the county of a contact list without a county column (the official 附件4:
    each county sends its own); it also fills blank county cells of a contact list.
    """
    rows = _read_rows(path)
    kind, idx = _find_header(rows, path, county)
    if county and kind != "contacts":
        raise RosterError("county_option", path=str(path))
    seen: set[str] = set()
    out = [_row(kind, line, cells, idx, seen, county) for line, cells in rows if any(cells)]
    if not out:
        raise RosterError("no_rows", path=str(path))
    return kind, out
