"""Layout helpers for chat text: display width, tables, and fitting Telegram's limits.

The one place that knows how wide a CJK character is, how long a message may be (4096 UTF-16
code units after entity parsing) and how to cut text without breaking an HTML tag.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Generic, Literal, TypeVar
from zoneinfo import ZoneInfo

from bot.clock import local
from bot.texts.catalog import t

MESSAGE_LIMIT = 4096  # UTF-16 code units of a message's text after entity parsing
ALERT_LIMIT = 200  # characters of a callback alert or toast
CAPTION_LIMIT = 1024
PAGE_SIZE = 20

Align = Literal["left", "right"]
_TAG = re.compile(r"<[^>]*>")
_OPEN = re.compile(r"<(/?)([a-z-]+)[^>]*>")


def char_width(ch: str) -> int:
    if unicodedata.combining(ch):
        return 0
    return 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1


def display_width(text: str) -> int:
    """Columns a string takes in a monospace chat block (a CJK character takes two)."""
    return sum(char_width(c) for c in text)


def truncate(text: str, width: int) -> str:
    """Cut text to at most `width` columns, ending in '…' when cut."""
    if display_width(text) <= width:
        return text
    out, used = "", 0
    for ch in text:
        w = char_width(ch)
        if used + w > width - 1:
            break
        out += ch
        used += w
    return out + "…"


def one_line(text: str, width: int) -> str:
    """Collapse whitespace (notes may hold line breaks) and cut to `width` columns."""
    return truncate(" ".join(text.split()), width)


def pad(text: str, width: int, align: Align = "left") -> str:
    """Pad to `width` columns by display width."""
    gap = " " * max(0, width - display_width(text))
    return gap + text if align == "right" else text + gap


def table(
    headers: Sequence[str],
    rows: Iterable[Sequence[str]],
    aligns: Sequence[Align] | None = None,
    sep: str = "  ",
) -> str:
    """Render rows as aligned plain text (first column left, the rest right by default)."""
    body = [list(r) for r in rows]
    rest: list[Align] = ["right"] * (len(headers) - 1)
    al: list[Align] = list(aligns) if aligns else ["left", *rest]
    widths = [display_width(h) for h in headers]
    for r in body:
        for i, cell in enumerate(r):
            widths[i] = max(widths[i], display_width(cell))
    lines = []
    for r in [list(headers), *body]:
        cells = [pad(c, widths[i], al[i]) for i, c in enumerate(r)]
        lines.append(sep.join(cells).rstrip())
    return "\n".join(lines)


def utf16_len(text: str) -> int:
    """Length as Telegram counts it: UTF-16 code units."""
    return len(text.encode("utf-16-le")) // 2


def fit(text: str, lang: str = "zh", limit: int = MESSAGE_LIMIT) -> str:
    """Cut an HTML message at a line end to fit `limit`, closing tags left open, with a notice.

    Measured on the raw HTML (tags included), which is never shorter than what Telegram counts.
    """
    if utf16_len(text) <= limit:
        return text
    notice = "\n" + t(lang, "text_cut")
    room = limit - utf16_len(notice) - 32  # 32: closing tags added below
    lines = text.split("\n")
    while len(lines) > 1 and utf16_len("\n".join(lines)) > room:
        lines.pop()
    cut = "\n".join(lines)
    if utf16_len(cut) > room:  # one huge line: cut by characters, tags dropped
        cut = _TAG.sub("", cut)[: room // 2]
    return close_tags(cut) + notice


def close_tags(text: str) -> str:
    """Close the HTML tags left open at the end of `text`, innermost first."""
    stack: list[str] = []
    for m in _OPEN.finditer(text):
        closing, name = m.group(1), m.group(2)
        if not closing:
            stack.append(name)
        elif name in stack:
            del stack[len(stack) - 1 - stack[::-1].index(name)]
    return text + "".join(f"</{name}>" for name in reversed(stack))


def alert(text: str) -> str:
    """Cut a callback alert to Telegram's 200 characters."""
    return text if len(text) <= ALERT_LIMIT else text[: ALERT_LIMIT - 1] + "…"


def fit_items(render: Callable[[int], str], n: int, limit: int | None = MESSAGE_LIMIT) -> str:
    """Return render(k) for the largest k ≤ n whose text is within `limit`.

    render(k) shows the first k of n items and says how many are left out. Every unbounded part
    besides the items (names, titles) must be truncated, so render(0) always fits: only whole
    item lines are dropped, never part of a line or of an HTML tag.
    """
    text = render(n)
    if limit is None or utf16_len(text) <= limit:
        return text
    lo, hi = 0, n - 1
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if utf16_len(render(mid)) <= limit:
            lo = mid
        else:
            hi = mid - 1
    return render(lo)


T = TypeVar("T")


@dataclass(frozen=True)
class Page(Generic[T]):
    items: list[T]
    page: int  # 1-based
    pages: int
    total: int
    size: int

    def label(self, lang: str = "zh") -> str:
        """ "第 2/5 页" ('' when there is one page)."""
        return t(lang, "page_label", page=self.page, pages=self.pages) if self.pages > 1 else ""


def paginate(items: Sequence[T], page: int = 1, size: int = PAGE_SIZE) -> Page[T]:
    """Return page `page` (1-based, clamped into range) of `items`."""
    size = max(1, size)
    pages = max(1, math.ceil(len(items) / size))
    page = min(max(1, page), pages)
    start = (page - 1) * size
    return Page(list(items[start : start + size]), page, pages, len(items), size)


def local_time(iso: str | None, fmt: str = "%m-%d %H:%M", *, tz: ZoneInfo) -> str:
    """A stored UTC ISO time formatted in `tz` (the caller passes settings.zone); '' when unset."""
    if not iso:
        return ""
    try:
        return local(iso, tz).strftime(fmt)
    except ValueError:
        return iso


def user_label(
    name: str | None, username: str | None, uid: int | None, lang: str = "zh"
) -> str | None:
    """A person as shown: their name, @username, or the catalogue's `rp_user` with their id."""
    if name:
        return str(name)
    if username:
        return f"@{username}"
    return t(lang, "rp_user", id=uid) if uid is not None else None


NO_LINE_START = "、，。；：？！）》」』”’"  # CJK punctuation a line may not begin with


def even_lines(text: str, n: int) -> list[str]:
    """`text` cut into `n` lines of (nearly) equal length, none beginning with a comma or a
    closing mark (it stays at the end of the line before): a name broken without an orphan."""
    q, r = divmod(len(text), n)
    lines, at = [], 0
    for k in range(n):
        lines.append(text[at : at + q + (k < r)])
        at += q + (k < r)
    for k in range(1, n):
        while lines[k] and lines[k][0] in NO_LINE_START:
            lines[k - 1], lines[k] = lines[k - 1] + lines[k][0], lines[k][1:]
    return [line for line in lines if line]
