"""Forgiving name matching for places: exact, then without the usual suffixes, then a prefix."""

from __future__ import annotations

from collections.abc import Iterable

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
