"""Forgiving name matching for places: exact, then without the usual suffixes, then a prefix."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable

from bot.domain.text import clean
from bot.texts.vocabulary import NAME_SUFFIXES as SUFFIXES


def stem(name: str) -> str:
    """The name without its administrative suffix (a name is never stemmed to nothing)."""
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
    qs = stem(q)
    stemmed = [p for p in pool if stem(p[1]) == qs]
    if stemmed:
        return stemmed
    return [p for p in pool if p[1].startswith(q) or stem(p[1]).startswith(qs)]


# Characters never allowed in a roster cell: C0/C1 controls (NUL, tab, newlines…), what
# bot.domain.text removes (noncharacters, lone surrogates), the Unicode line and paragraph
# separators, and in names also format characters (bidi overrides,
# zero-width spaces) that make two names look alike or reorder what is shown.
_SEPARATORS = ("\u2028", "\u2029")


def bad_character(text: str, *, name: bool) -> str | None:
    """The first forbidden character in `text` as `U+XXXX`, or None when the text is clean."""
    for c in text:
        cat = unicodedata.category(c)
        if cat == "Cc" or not clean(c) or c in _SEPARATORS or (name and cat == "Cf"):
            return f"U+{ord(c):04X}"
    return None


def near_duplicate(name: str, known: Iterable[str]) -> str | None:
    """A known name that `name` differs from only by an administrative suffix, else None.

    `源城` next to `源城区`, `江东区` next to `江东新区`: equal once the suffix is removed.
    An identical name is not a near duplicate (it is the same place).
    """
    s = stem(name)
    for other in known:
        if other != name and (stem(other) == s or stem(other) == name or other == s):
            return other
    return None
