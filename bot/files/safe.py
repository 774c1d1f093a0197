"""One guard for every cell the project writes: user text never becomes a formula.

OWASP's CSV/formula-injection guidance: a string starting with `=`, `+`, `-`, `@`, a tab or a
carriage return may be read as a formula by Excel, LibreOffice or WPS. Every XLSX writer in
bot/files/ passes each value through `cell_value` (or writes with `put`), which keeps numbers,
dates and booleans as they are and turns such a string into plain text: openpyxl gets the value
with its data type forced to string, so the file holds a shared/inline string, never `<f>`.
"""

from __future__ import annotations

from typing import Any

from openpyxl.cell import WriteOnlyCell

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def is_risky(value: Any) -> bool:
    """True when `value` is text a spreadsheet could read as a formula."""
    return isinstance(value, str) and value.startswith(FORMULA_STARTS)


def put(cell: Any, value: Any) -> Any:
    """Set `cell` to `value`; risky text is stored as a string (data type 's'), never a formula."""
    cell.value = value
    if is_risky(value):
        cell.data_type = "s"
    return cell


def cell_value(ws: Any, value: Any) -> Any:
    """A value for write-only `ws.append`: risky text becomes a string-typed cell of `ws`."""
    if not is_risky(value):
        return value
    return put(WriteOnlyCell(ws), value)


def safe_row(ws: Any, values: list[Any]) -> list[Any]:
    """`values` ready for `ws.append` (write-only or not): no formula from user data."""
    return [cell_value(ws, v) for v in values]
