"""Peak memory of reading one evidence image, against decoding it whole (the old way).

Each figure is measured in a fresh process: peak RSS after the imports, then after reading one
file; the difference is what that image cost. "ours" is `bot.services.evidence.read_photo`
(pixel limit checked on the header, JPEG decoded at 1/8 scale); "whole" opens the same file
and hashes the fully decoded image, as evidence reading did before (Pillow's own bomb limit
only). Files: the 13370×13370 PNG of the attack (under Pillow's limit, 695 KB), a PNG and a
JPEG just under MAX_PIXELS, a 12-megapixel phone JPEG.

    python tests/bench/bench_images.py
"""

from __future__ import annotations

import io
import resource
import subprocess
import sys
import tempfile
import zlib
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from tests.evidence_support import png_header

MEASURE = """
import resource, sys
sys.path.insert(0, {root!r})
from pathlib import Path
import imagehash
from PIL import Image
from bot.services.evidence import read_photo
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
if {whole!r}:
    with Image.open({path!r}) as img:
        imagehash.phash(img)
else:
    read_photo(Path({path!r}))
print(before, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""


def solid_png(path: Path, side: int) -> None:
    """A one-colour RGB PNG, written a row at a time (the writer never holds the image)."""
    row = b"\0" + b"\x50\xa0\x50" * side
    z = zlib.compressobj(9)
    body = b"".join(z.compress(row) for _ in range(side)) + z.flush()
    data = png_header(side, side, b"")  # the header's chunks, then ours replace the pixels
    head, tail = data[:33], data[-12:]  # signature + IHDR · IEND
    idat = len(body).to_bytes(4, "big") + b"IDAT" + body
    idat += zlib.crc32(b"IDAT" + body).to_bytes(4, "big")
    path.write_bytes(head + idat + tail)


def photo_jpeg(path: Path, width: int, height: int) -> None:
    from PIL import Image, ImageDraw

    img = Image.new("RGB", (width, height), (90, 140, 90))
    ImageDraw.Draw(img).rectangle(
        (width // 4, height // 4, width // 2, height // 2), fill=(200, 40, 40)
    )
    out = io.BytesIO()
    img.save(out, "JPEG", quality=85)
    path.write_bytes(out.getvalue())


def peak_mb(path: Path, whole: bool) -> float:
    root = str(Path(__file__).resolve().parents[2])
    code = MEASURE.format(root=root, path=str(path), whole=whole)
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    if out.returncode != 0:
        return float("nan")  # the whole decode refused (Pillow's bomb error)
    before, after = (int(x) for x in out.stdout.split())
    return (after - before) / 1024  # ru_maxrss is in KiB on Linux


def main() -> None:
    from bot.services.evidence import MAX_PIXELS

    side = int(MAX_PIXELS**0.5) - 1
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        cases = {
            "attack 13370x13370 PNG": (folder / "attack.png", lambda p: solid_png(p, 13370)),
            f"PNG {side}x{side} (limit)": (folder / "limit.png", lambda p: solid_png(p, side)),
            f"JPEG {side}x{side} (limit)": (
                folder / "limit.jpg",
                lambda p: photo_jpeg(p, side, side),
            ),
            "JPEG 4032x3024 (phone)": (folder / "phone.jpg", lambda p: photo_jpeg(p, 4032, 3024)),
        }
        print(
            f"MAX_PIXELS={MAX_PIXELS:,}  bound: MAX_PIXELS x 4 B = {MAX_PIXELS * 4 / 2**20:.0f} MB"
        )
        print(f"{'file':28} {'size':>9} {'ours MB':>9} {'whole MB':>9}")
        for name, (path, make) in cases.items():
            make(path)
            ours, whole = peak_mb(path, False), peak_mb(path, True)
            size = path.stat().st_size
            print(f"{name:28} {size / 1024:>7.0f}KB {ours:>9.1f} {whole:>9.1f}")
    rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(f"largest child peak RSS: {rss:.0f} MB")


if __name__ == "__main__":
    main()
