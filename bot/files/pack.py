"""The evidence pack for the office: ZIP(s) with 目录.xlsx and the files themselves.

Files are named `<item id>-<n>-<original name>`, cleaned (bot.domain.text), without path
separators or characters Windows refuses, and at most 255 bytes of UTF-8 (`unzip` and most file
systems skip a longer name); the index (目录.xlsx: item, answer, note, file
name, size, SHA-256, capture time, flags) goes through bot/files/safe.py, so no user text
becomes a formula. Over `part_bytes`, the pack is split into numbered parts (the index in
the first).
"""

from __future__ import annotations

import io
import re
import unicodedata
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from openpyxl import Workbook

from bot.domain.text import clean
from bot.files.safe import safe_row

INDEX = "目录.xlsx"
HEAD = ("条目", "答案", "说明", "文件名", "大小（字节）", "SHA-256", "拍摄时间", "提示")
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


def index_xlsx(
    entries: list[dict[str, Any]], names: list[str | None], flag_text: Callable[[list[str]], str]
) -> bytes:
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("目录")
    ws.append(safe_row(ws, list(HEAD)))
    for e, name in zip(entries, names, strict=True):
        ws.append(safe_row(ws, [
            e["item"], e.get("answer") or "", e.get("note") or "", name or "",
            e.get("size") if name else None, e.get("sha256") or "", e.get("taken_at") or "",
            flag_text(e.get("flags") or []),
        ]))  # fmt: skip
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def build(
    entries: list[dict[str, Any]],
    content: Callable[[str], bytes | None],
    out: Path,
    flag_text: Callable[[list[str]], str],
    part_bytes: int,
) -> list[Path]:
    """Write the pack (one ZIP, or parts `<out stem>-1.zip`…); return the files written."""
    names = file_names(entries)
    parts: list[list[tuple[str, bytes]]] = [[(INDEX, index_xlsx(entries, names, flag_text))]]
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
