"""Free text as it may be stored and written into files: one cleaning for every way in and out.

Telegram delivers whatever a client sends, and one stored character that XML 1.0 forbids breaks
every XLSX and DOCX built from it, for everyone, until the database is edited. So each free
text (notes, comments, reasons, form fields, action problems, titles, names) is cleaned before
it is stored, and every file writer cleans again on the way out (a database may hold text from
before). Removed:

- C0 and C1 control characters (U+0000–U+001F, U+007F–U+009F) except tab and newline: XML 1.0
  has no place for most of them, and the rest (CR, NEL) only turn into line breaks;
- noncharacters (U+FDD0–U+FDEF and the last two code points of every plane, U+FFFE and U+FFFF
  among them): "not for interchange", and XML parsers reject U+FFFE/U+FFFF;
- lone surrogates (U+D800–U+DFFF): a JSON "\\ud800" decodes to one; no UTF-8 encoder (SQLite's,
  a ZIP's, an XML writer's) takes it.

Pure: no SQL, no Telegram, no clock.
"""

from __future__ import annotations

import re
from collections.abc import Callable

_PLANE_ENDS = "".join(chr(plane << 16 | 0xFFFE) + chr(plane << 16 | 0xFFFF) for plane in range(17))
_DROP = re.compile(f"[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\ufdd0-\ufdef{_PLANE_ENDS}]")


def clean(text: str) -> str:
    """`text` without the characters no file or database should hold (see the module)."""
    return _DROP.sub("", text)


def stored(text: str, limit: int, too_long: Callable[[int, int], Exception]) -> str:
    """The free text to store: cleaned and stripped, at most `limit` characters; longer, the
    error `too_long(length, limit)` is raised (each entry point says so in its own words)."""
    text = clean(text).strip()
    if len(text) > limit:
        raise too_long(len(text), limit)
    return text


def given(text: str | None, limit: int) -> str | None:
    """A name we are handed rather than typed to us (a Telegram name, a file name, a group's
    title): cleaned, stripped and cut at `limit` characters; None stays None, "" becomes None."""
    if text is None:
        return None
    return clean(text).strip()[:limit] or None
