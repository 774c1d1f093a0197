"""One guard for every cell the project writes: user text never becomes a formula, and never
holds a character that breaks the file.

OWASP's CSV/formula-injection guidance: a string starting with `=`, `+`, `-`, `@`, a tab or a
carriage return may be read as a formula by Excel, LibreOffice or WPS. Every XLSX writer in
bot/files/ writes each value with `put`, which keeps numbers,
dates and booleans as they are and turns such a string into plain text: openpyxl gets the value
with its data type forced to string, so the file holds a shared/inline string, never `<f>`.

Text is also cleaned on its way out (bot.domain.text.clean: control characters, noncharacters,
lone surrogates): a database may hold text stored before it was cleaned on the way in, and one
such character makes openpyxl refuse the cell or write a sheet XML parsers reject.
"""

from __future__ import annotations

from typing import Any

from bot.domain.text import clean

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def is_risky(value: Any) -> bool:
    """True when `value` is text a spreadsheet could read as a formula."""
    return isinstance(value, str) and value.startswith(FORMULA_STARTS)


def put(cell: Any, value: Any) -> Any:
    """Set `cell` to `value`, cleaned; risky text is stored as a string (data type 's'), never
    a formula."""
    value = clean(value) if isinstance(value, str) else value
    cell.value = value
    if is_risky(value):
        cell.data_type = "s"
    return cell
