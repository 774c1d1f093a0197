"""Render every file an office receives through LibreOffice to PNG, for people to look at.

For Heyuan, Chuxiong and Qinhuangdao, each with 7 counties (Heyuan: its sample roster), 30
counties with long names and 3,000 counties, a database is built through the services
(tests/files/sample_dbs.py: checks answered item by item, reviews, recognitions, corrective
actions, evidence files, notes and form fields at their limits). Then every table the program
offers (bot/services/exports.py), the 申报表 (a community with every field at its limit and
one with realistic values), GreenCheck's 自查结果表, the evidence pack's 目录.xlsx, the progress
chart (600 and 1600 px wide, Chinese and English) and the review-stage chart are written, each
XLSX/DOCX converted with `soffice --headless --convert-to pdf` (宋体 and 仿宋_GB2312 mapped to Noto
Serif CJK SC by a private fontconfig file, as an office's machine would have them), every page
rasterised with `pdftoppm -r 110`, and `index.html` lists every file with its page count and
pages. Without soffice it writes the files and stops.

    .venv/bin/python tests/visual/render_files.py [--out /tmp/greencheck-visual] [--quick]
"""

from __future__ import annotations

import argparse
import datetime as dt
import html
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from bot.catalog import catalog
from bot.clock import FixedClock
from bot.domain.access import SYSTEM
from bot.domain.exports import SEED_TABLES
from bot.files.charts import chart_png
from bot.files.exports import write
from bot.files.forms import application_form, form_of
from bot.files.pack import build as pack_build
from bot.files.recognised import stage_chart_png
from bot.files.selfcheck import selfcheck_docx
from bot.files.store import FileStore
from bot.services import exports
from bot.services.checks import Checks
from bot.services.evidence import PART_BYTES, Evidence
from bot.services.reviews import Reviews
from bot.texts import t
from tests.files.sample_dbs import build_db
from tests.harness import checks_of, exports_of, reports_of

TZ = ZoneInfo("Asia/Shanghai")
NOW = dt.datetime(2026, 11, 28, 10, 0, tzinfo=TZ)
PROGRAMS = ("heyuan-2021", "chuxiong-2021", "qinhuangdao-etdz-2021")
# counties, communities per county, long names, communities with a check
SIZES = {"7": (7, 12, False, 60), "30long": (30, 9, True, 90), "3000": (3000, 10, False, 240)}
TABLE_YEAR = 2022  # the tables count by the end of the programs' last target year
DPI = "110"
FONTS = """<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "fonts.dtd">
<fontconfig>
  <include ignore_missing="yes">/etc/fonts/fonts.conf</include>
  <alias binding="same"><family>宋体</family><prefer><family>Noto Serif CJK SC</family></prefer></alias>
  <alias binding="same"><family>仿宋_GB2312</family><prefer><family>Noto Serif CJK SC</family></prefer></alias>
</fontconfig>
"""


def _tables(db: object, program_id: str, stem: str) -> list[Path]:
    program = catalog().program(program_id)
    service = exports_of(db, program, NOW)
    files = []
    for kind in exports.offered(program):
        year = TABLE_YEAR if kind in SEED_TABLES else None
        req = exports.Request(kind, SYSTEM, year, TZ, NOW)
        data = service.gather(req)
        path = Path(f"{stem}-{kind}.xlsx")
        with path.open("wb") as fh:
            write(data, program, fh, zone=TZ, now=NOW)
        files.append(path)
    return files


def _forms(db: object, program_id: str, stem: str) -> list[Path]:
    """The 申报表 of the community with every field at its limit and of a realistic one, and
    GreenCheck's 自查结果表 of two reviewed communities."""
    program = catalog().program(program_id)
    service = exports_of(db, program, NOW)
    ids = [int(r[0]) for r in service.db.execute("SELECT id FROM communities ORDER BY id LIMIT 2")]
    files = []
    for tag, cid in zip(("limits", "real"), ids, strict=True):
        if form_of(program)[0] is not None:
            data = service.form_data(SYSTEM, cid, 2022)
            files.append(Path(f"{stem}-form-{tag}.docx"))
            files[-1].write_bytes(application_form(data, program))
    reviewed = [int(r[0]) for r in service.db.execute(
        "SELECT a.community_id FROM reviews r JOIN assessments a ON a.id = r.assessment_id"
        " ORDER BY r.verified_passed IS NULL, a.id LIMIT 2")]  # fmt: skip
    for k, cid in enumerate(reviewed):
        sc = service.self_check(SYSTEM, cid, None)
        files.append(Path(f"{stem}-selfcheck-{k + 1}.docx"))
        files[-1].write_bytes(selfcheck_docx(sc, TZ, "zh"))
    return files


def _pack_index(db: object, program_id: str, path: Path, stem: str) -> list[Path]:
    """The evidence pack of the community with the most files: its 目录.xlsx."""
    checks = checks_of(db, program_id, NOW)
    ev = Evidence(checks.db, FileStore(path.with_suffix(".files")), checks)
    row = ev.db.execute(
        "SELECT a.community_id FROM evidence e JOIN assessments a ON a.id = e.assessment_id"
        " GROUP BY 1 ORDER BY count(*) DESC LIMIT 1"
    ).fetchone()
    if row is None:
        return []
    zpath = Path(f"{stem}-pack.zip")
    words = lambda flags: t("zh", "ev_flag_sep").join(t("zh", "flag_" + f) for f in flags)  # noqa: E731
    parts = pack_build(ev.pack_entries(int(row[0])), ev.content, zpath, words, PART_BYTES)
    index = Path(f"{stem}-pack-index.xlsx")
    with zipfile.ZipFile(parts[0]) as z:
        index.write_bytes(z.read("目录.xlsx"))
    return [index]


def _charts(db: object, program_id: str, stem: str) -> list[Path]:
    program = catalog().program(program_id)
    rows = reports_of(db, program).county_status_as_of(TABLE_YEAR, tz=TZ)
    out = []
    for width, lang in ((600, "zh"), (1600, "zh"), (1200, "en")):
        png = Path(f"{stem}-chart-{width}-{lang}.png")
        png.write_bytes(chart_png(rows, program, size=(width, None), lang=lang))
        out.append(png)
    checks = Checks(db, catalog(), program, FixedClock(TZ, NOW))  # type: ignore[arg-type]
    if program.review_chain:
        png = Path(f"{stem}-chart-stages.png")
        png.write_bytes(
            stage_chart_png(program.region, Reviews(checks).summary(SYSTEM), NOW.date())
        )
        out.append(png)
    return out


def make_files(out: Path, program_id: str, size: str) -> list[Path]:
    counties, per, long, checks = SIZES[size]
    if program_id == "heyuan-2021" and size == "7":
        counties = 0  # the Heyuan sample roster
    path = out / f"{program_id}-{size}.db"
    for old in out.glob(f"{program_id}-{size}.*"):
        shutil.rmtree(old) if old.is_dir() else old.unlink()
    db = build_db(path, program_id, counties, per, long, checks=checks)
    stem = str(out / f"{program_id}-{size}")
    files = _tables(db, program_id, stem) + _forms(db, program_id, stem)
    files += _pack_index(db, program_id, path, stem) + _charts(db, program_id, stem)
    return files


def render(files: list[Path], out: Path) -> dict[Path, list[Path]]:
    """soffice → PDF → PNG, every page; {file: its page images}."""
    conf = out / "fonts.conf"
    conf.write_text(FONTS, encoding="utf-8")
    env = {**os.environ, "FONTCONFIG_FILE": str(conf)}
    docs = [f for f in files if f.suffix in (".xlsx", ".docx")]
    for k in range(0, len(docs), 20):
        subprocess.run(
            ["soffice", "--headless", "--convert-to", "pdf", "--outdir", str(out),
             *map(str, docs[k : k + 20])],
            check=True, capture_output=True, timeout=3600, env=env,
        )  # fmt: skip
    pages: dict[Path, list[Path]] = {}
    for f in files:
        if f.suffix == ".png":
            pages[f] = [f]
            continue
        pdf = out / (f.stem + ".pdf")
        for old in out.glob(f"{f.stem}-page-*.png"):
            old.unlink()
        subprocess.run(["pdftoppm", "-png", "-r", DPI, str(pdf), str(out / f"{f.stem}-page")],
                       check=True)  # fmt: skip
        pages[f] = sorted(out.glob(f"{f.stem}-page-*.png"))
        print(f"{pdf.name}: {len(pages[f])} page(s)")
    return pages


def index(out: Path, pages: dict[Path, list[Path]]) -> Path:
    """index.html: every file, its page count and its pages (thumbnails link to full size)."""
    parts = ["<!doctype html><meta charset='utf-8'><title>GreenCheck files</title>",
             "<style>img{width:220px;border:1px solid #999;margin:2px}</style>",
             f"<h1>GreenCheck files ({len(pages)})</h1>"]  # fmt: skip
    for f, imgs in pages.items():
        parts.append(f"<h2>{html.escape(f.name)} — {len(imgs)} page(s)</h2><p>")
        parts += [f"<a href='{html.escape(p.name)}'><img src='{html.escape(p.name)}'></a>"
                  for p in imgs]  # fmt: skip
        parts.append("</p>")
    path = out / "index.html"
    path.write_text("\n".join(parts), encoding="utf-8")
    return path


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    ap.add_argument("--out", default="/tmp/greencheck-visual")
    ap.add_argument("--quick", action="store_true", help="7 counties only")
    args = ap.parse_args(argv)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    files: list[Path] = []
    for program_id in PROGRAMS:
        for size in ("7",) if args.quick else tuple(SIZES):
            files += make_files(out, program_id, size)
    print(f"wrote {len(files)} files to {out}")
    if shutil.which("soffice") is None or shutil.which("pdftoppm") is None:
        print("soffice or pdftoppm not found: skipped the rendering")
        return 0
    print(f"index: {index(out, render(files, out))}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
