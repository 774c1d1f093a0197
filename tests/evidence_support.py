"""Test files for evidence: JPEGs with (or without) EXIF capture time and GPS, a PDF, PNGs that
declare more pixels than they hold."""

from __future__ import annotations

import io
import random
import struct
import zlib
from typing import Any

from PIL import Image, ImageDraw


def jpeg(seed: int = 1, taken: str | None = "2026:11:20 10:00:00", gps: bool = True) -> bytes:
    """A 64x64 JPEG with a pattern picked by `seed` and, optionally, EXIF time and GPS."""
    img = Image.new("RGB", (128, 128), (255, 255, 255))
    rng = random.Random(seed)
    draw = ImageDraw.Draw(img)
    for _ in range(6):  # large shapes: a picture survives recompression, seeds differ plainly
        x, y = rng.randrange(0, 96), rng.randrange(0, 96)
        draw.rectangle((x, y, x + 32, y + 32), fill=(rng.randrange(256), 40, rng.randrange(256)))
    exif = Image.Exif()
    if taken:
        exif.get_ifd(0x8769)[36867] = taken
    if gps:
        g = exif.get_ifd(0x8825)
        g[1], g[2], g[3], g[4] = "N", (23.0, 44.0, 24.0), "E", (114.0, 41.0, 60.0)
    out = io.BytesIO()
    img.save(out, "JPEG", exif=exif, quality=90)
    return out.getvalue()


PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def png_header(width: int, height: int, body: bytes = b"\0" * 64) -> bytes:
    """A PNG that declares `width`×`height` but holds only `body` (compressed) as its pixels:
    a few hundred bytes that ask a decoder for gigabytes (a decompression bomb's shape)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    head = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)  # 8-bit RGB
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", head)
        + chunk(b"IDAT", zlib.compress(body))
        + chunk(b"IEND", b"")
    )


def jpeg_with_gps(gps: tuple[Any, Any]) -> bytes:
    """A JPEG whose EXIF GPS latitude and longitude are the (degrees, minutes, seconds) given."""
    img = Image.new("RGB", (32, 32), (200, 40, 40))
    exif = Image.Exif()
    exif.get_ifd(0x8769)[36867] = "2026:11:20 10:00:00"
    g = exif.get_ifd(0x8825)
    g[1], g[2], g[3], g[4] = "N", gps[0], "E", gps[1]
    out = io.BytesIO()
    img.save(out, "JPEG", exif=exif)
    return out.getvalue()
