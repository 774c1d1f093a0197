"""Render every official file through LibreOffice to PNG, for people to look at.

For Heyuan, Chuxiong and Qinhuangdao, each with 7 counties (Heyuan: its sample roster), 30
counties with long names and 3,000 counties: the 进度表, 计划表, 汇总表, 作答明细 (XLSX), the
申报表 (DOCX, its free-text fields filled) and the chart at 600 and 1600 px. Each XLSX/DOCX goes
through `soffice --headless --convert-to pdf`, then `pdftoppm -png` (first two pages and the
last); the page count of every PDF is printed. Without soffice it writes the files and stops.

    .venv/bin/python tests/visual/render_files.py [--out /tmp/greencheck-visual] [--quick]
"""

from __future__ import annotations

import argparse
import datetime as dt
import shutil
import subprocess
import sys
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from bot.catalog import catalog
from bot.files.charts import chart_png
from bot.files.exports import KINDS, write_xlsx
from bot.files.forms import form
from bot.services import form_fields
from bot.services.reports import county_status_as_of
from tests.files.sample_dbs import build_db
from tests.harness import checks_of

TZ = ZoneInfo("Asia/Shanghai")
NOW = dt.datetime(2026, 11, 28, 10, 0, tzinfo=TZ)
PROGRAMS = ("heyuan-2021", "chuxiong-2021", "qinhuangdao-etdz-2021")
SIZES = {"7": (7, 12, False), "30long": (30, 12, True), "3000": (3000, 10, False)}
WORK = (
    "本社区成立绿色社区创建工作领导小组，制定创建方案，明确责任分工。"
    "结合老旧小区改造，完成雨污分流、外墙保温和屋顶绿化改造；设置垃圾分类投放点12处，"
    "组织志愿者开展绿色生活宣传活动36场，居民参与率达85%以上。\n"
    "下一步将继续完善社区公共服务设施，推进智慧社区建设。"
)
FIELDS = {
    "address": "源城区新江街道越王大道与兴源路交汇处东北侧绿色家园小区12栋一楼社区服务中心",
    "population": "12860人",
    "households": "4120",
    "resident_households": "3980",
    "area": "0.86平方公里",
    "building_area": "52万㎡",
    "green_area": "18.6万",
    "leader": "李明华",
    "leader_phone": "0762-3388123",
    "street_leader": "王建国",
    "street_leader_title": "副主任",
    "street_leader_phone": "13800138000",
    "contact_title": "网格员",
    "contact_phone": "13912345678",
    "facilities": "党群服务中心1个、卫生服务站1个、日间照料中心1个、快递驿站2个、充电设施40个",
    "work": WORK,
}


def make_files(out: Path, program_id: str, size: str) -> list[Path]:
    counties, per, long = SIZES[size]
    if program_id == "heyuan-2021" and size == "7":
        counties = 0  # the Heyuan sample roster
    path = out / f"{program_id}-{size}.db"
    path.unlink(missing_ok=True)
    db = build_db(path, program_id, counties, per, long)
    program = catalog().program(program_id)
    stem = out / f"{program_id}-{size}"
    files = []
    for kind in KINDS:
        files.append(
            write_xlsx(kind, db, program, 2022, Path(f"{stem}-{kind}.xlsx"), tz=TZ, now=NOW)
        )
    cid = 1
    for key, value in FIELDS.items():
        form_fields.write(db, cid, 2022, key, value, None, NOW)
    files.append(Path(f"{stem}-form.docx"))
    form(checks_of(db, program), cid, files[-1], tz=TZ, year=2022)
    rows = county_status_as_of(db, program, 2022, tz=TZ)
    for width in (600, 1600):
        png = Path(f"{stem}-chart-{width}.png")
        png.write_bytes(chart_png(rows, program, size=(width, int(width * 0.6))))
    return files


def render(files: list[Path], out: Path) -> None:
    """soffice → PDF → PNG (pages 1, 2 and the last); print each PDF's page count."""
    subprocess.run(
        ["soffice", "--headless", "--convert-to", "pdf", "--outdir", str(out), *map(str, files)],
        check=True,
        capture_output=True,
        timeout=900,
    )
    for f in files:
        pdf = out / (f.stem + ".pdf")
        info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True).stdout
        pages = int(next(ln.split()[-1] for ln in info.splitlines() if ln.startswith("Pages:")))
        print(f"{pdf.name}: {pages} page(s)")
        for first, last in ((1, min(2, pages)), (pages, pages)):
            subprocess.run(
                [
                    "pdftoppm",
                    "-png",
                    "-r",
                    "60",
                    "-f",
                    str(first),
                    "-l",
                    str(last),
                    str(pdf),
                    str(out / f.stem),
                ],
                check=True,
            )


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    ap.add_argument("--out", default="/tmp/greencheck-visual")
    ap.add_argument("--quick", action="store_true", help="7 counties only")
    args = ap.parse_args(argv)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    files = []
    for program_id in PROGRAMS:
        for size in ("7",) if args.quick else tuple(SIZES):
            files += make_files(out, program_id, size)
    print(f"wrote {len(files)} files and the charts to {out}")
    if shutil.which("soffice") is None or shutil.which("pdftoppm") is None:
        print("soffice or pdftoppm not found: skipped the rendering")
        return 0
    render(files, out)
    print(f"PNG pages in {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
