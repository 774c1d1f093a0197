"""The evidence pack for the office: ZIP(s) with 目录.xlsx and the files themselves.

Files are named `<item id>-<n>-<original name>`; the index (目录.xlsx: item, answer, note, file
name, size, SHA-256, capture time, flags) is printed in the one table layout (bot/files/xlsx.py:
A4, borders, the header on every page, capture times as date-times, answers as their labels)
and goes through bot/files/safe.py, so no user text becomes a formula. Over `part_bytes`, the
pack is split into numbered parts (the index in the first).
"""

from __future__ import annotations

import datetime as dt
import io
import re
import unicodedata
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bot.domain.text import clean
from bot.files import xlsx
from bot.files.xlsx import Col
from bot.texts import t

INDEX = "目录.xlsx"
HEAD = ("item", "answer", "note", "file", "size", "sha", "taken", "flags")  # fl_h_<key>
NAME_BYTES = 255
EXT_CHARS = 16  # a longer "extension" is part of the name: it is cut like the rest
_UNSAFE = re.compile(r"[\\/:*?\"<>|\x00-\x1f]")
_HIDDEN = ("Cf", "Zl", "Zp")


def safe_name(text: str) -> str:
    """`text` fit to be a file name: cleaned, no separator or character Windows refuses, no
    format or line-breaking character (a right-to-left override shows "gpj.exe" as "exe.jpg")."""
    return "".join(
        "_" if unicodedata.category(c) in _HIDDEN else c for c in _UNSAFE.sub("_", clean(text))
    )


def fit_bytes(name: str, limit: int) -> str:
    """`name` cut to at most `limit` bytes of UTF-8, keeping its extension, never mid-character."""
    if len(name.encode()) <= limit:
        return name
    stem, dot, ext = name.rpartition(".")
    suffix = f".{ext}" if dot and stem and len(ext) <= EXT_CHARS else ""
    room = limit - len(suffix.encode())
    return name[: len(name) - len(suffix)].encode()[:room].decode("utf-8", "ignore") + suffix


def part_name(community: str, i: int, n: int) -> str:
    """The file name of a pack sent in chat: one ZIP, or part i of n (no "/" in either)."""
    base = safe_name(community) or "pack"
    name = f"{base}.zip" if n == 1 else f"{base}（第{i}部分，共{n}部分）.zip"
    return fit_bytes(name, NAME_BYTES)


def file_names(entries: list[dict[str, Any]]) -> list[str | None]:
    """The name of each entry's file in the pack (None: no file)."""
    seen: dict[str, int] = {}
    out: list[str | None] = []
    for e in entries:
        if not e.get("sha256"):
            out.append(None)
            continue
        n = seen[e["item"]] = seen.get(e["item"], 0) + 1
        head = f"{safe_name(e['item'])}-{n}-"
        base = safe_name(e.get("name") or "") or "file"
        out.append(head + fit_bytes(base, NAME_BYTES - len(head.encode())))
    return out


def _answer(code: str | None, lang: str) -> str:
    return t(lang, f"rp_status_{code}") if code in ("met", "partial", "not_met", "na") else ""


def _taken(text: str | None) -> dt.datetime | str:
    """The camera's time (local, as it wrote it) as a date-time; unreadable text as it is."""
    try:
        return dt.datetime.fromisoformat(text).replace(tzinfo=None) if text else ""
    except ValueError:
        return text or ""


def _cols(lang: str) -> list[Col]:
    kinds: tuple[xlsx.Kind, ...] = ("text", "text", "text", "text", "int", "text", "datetime")
    caps = (8, 10, 30, 28, 10, 18, 17, 24)
    return [
        Col(t(lang, f"fl_h_{key}"), kind, cap=cap)
        for key, kind, cap in zip(HEAD, (*kinds, "text"), caps, strict=True)
    ]


def index_xlsx(
    entries: list[dict[str, Any]],
    names: list[str | None],
    flag_text: Callable[[list[str]], str],
    lang: str = "zh",
) -> bytes:
    rows = [
        [e["item"], _answer(e.get("answer"), lang), e.get("note") or "", name or "",
         e.get("size") if name else None, e.get("sha256") or "", _taken(e.get("taken_at")),
         flag_text(e.get("flags") or [])]
        for e, name in zip(entries, names, strict=True)
    ]  # fmt: skip
    cols = _cols(lang)
    wb = xlsx.workbook()
    ws = xlsx.sheet(wb, t(lang, "fl_index_sheet"))
    ws_widths = xlsx.widths(cols, rows)
    xlsx.set_widths(ws, ws_widths)
    xlsx.finish(ws, ws_widths)
    r = xlsx.title_rows(ws, len(cols), None, t(lang, "fl_index_title"))
    xlsx.tabulate(ws, r, cols, rows)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def build(
    entries: list[dict[str, Any]],
    content: Callable[[str], bytes | None],
    out: Path,
    flag_text: Callable[[list[str]], str],
    part_bytes: int,
    lang: str = "zh",
) -> list[Path]:
    """Write the pack (one ZIP, or parts `<out stem>-1.zip`…); return the files written."""
    names = file_names(entries)
    parts: list[list[tuple[str, bytes]]] = [[(INDEX, index_xlsx(entries, names, flag_text, lang))]]
    size = len(parts[0][0][1])
    for e, name in zip(entries, names, strict=True):
        data = content(e["sha256"]) if name else None
        if name is None or data is None:
            continue
        if size + len(data) > part_bytes and parts[-1]:
            parts.append([])
            size = 0
        parts[-1].append((name, data))
        size += len(data)
    paths = (
        [out]
        if len(parts) == 1
        else [out.with_name(f"{out.stem}-{i}.zip") for i in range(1, len(parts) + 1)]
    )
    for path, members in zip(paths, parts, strict=True):
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
            for name, data in members:
                z.writestr(name, data)
    return paths
