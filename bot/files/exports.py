"""Official tables as XLSX (openpyxl), each as its seed prints it.

- `progress`: 绿色社区创建工作计划及进度表 (seed 000 附件3), one row per county and 合计;
- `plan`: 创建计划表 (seed 000 附件5), communities planned per target year, and 总计;
- `summary`: 绿色社区建设任务完成情况汇总表 (seed 002 附件2), passed communities by the year
  their check was submitted, one column group per program year, last row 地区;
- `answers`: every answer of the active standard (bot/files/answers.py, streamed);
- `form`: the application form as DOCX (bot/files/forms.py).

Every number comes from bot/services/reports.py (no SQL here); titles, column titles, notes and
signature lines follow the seeds (official forms stay Chinese whatever the user's language);
nothing else is printed on the face of a form. `year` counts what happened by its end. Layout
(A4, one CJK font, rows that grow with wrapped text, header rows repeated, page x / y) is
bot/files/xlsx.py's; every cell goes through bot/files/safe.py (never a formula).
"""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path
from typing import Any, Literal
from zoneinfo import ZoneInfo

import sqlite_utils
from openpyxl import Workbook
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from bot.domain.access import SYSTEM, Principal
from bot.domain.programs import Program
from bot.files import xlsx
from bot.files.answers import ANSWER_COLUMNS, answer_rows, build_answers, write_answers
from bot.files.forms import auto_summary, form, form_filename
from bot.services.reports import (
    CountyRow,
    ReportError,
    county_status,
    county_status_as_of,
    done_by_year,
    plan_years,
)
from bot.texts.report_views import done_note

__all__ = [
    "ANSWER_COLUMNS",
    "answer_rows",
    "auto_summary",
    "build_answers",
    "form",
    "form_filename",
]

ExportKind = Literal["progress", "plan", "summary", "answers"]
KINDS: tuple[ExportKind, ...] = ("progress", "plan", "summary", "answers")
KIND_ZH = {
    "progress": "绿色社区创建工作计划及进度表",
    "plan": "绿色社区创建计划表",
    "summary": "绿色社区建设任务完成情况汇总表",
    "answers": "自查作答明细",
}
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX_MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

PROGRESS_COLUMNS = (
    "社区总数量(个)",
    "原“广东省宜居社区”数量(个)",
    "原“广东省绿色社区”数量(个)",
    "计划创建绿色社区数量(个)",
    "已完成绿色社区创建数量(个)",
    "完成率(%)",
)
# The seeds' own lines, word for word (seed 000 附件3; seed 002 附件2).
PROGRESS_NOTE = "本表由各县绿色社区创建工作牵头部门直接报送。"
PROGRESS_SEND = "请于{dates}前报送至市住房城乡建设局"
SUMMARY_NOTE = (
    "注：本表由各县市住房城乡建设部门汇总填写，与年度总结评估报告一并于当年 10 月 20 日前"
    "上报州住房城乡建设局。"
)
SUMMARY_LAST = "地区"
NAME_CAP = 24  # the 汇总表's name columns wrap at this width instead of widening


def _form(program: Program, kind: str) -> tuple[str | None, str | None]:
    """Return (attachment id, title) of the program's form of this kind, if it has one."""
    for f in program.forms:
        if f.kind == kind:
            return f.id, f.title
    return None, None


def _former_titles(program: Program) -> tuple[str, str]:
    if program.standard.startswith("guangdong"):
        return PROGRESS_COLUMNS[1], PROGRESS_COLUMNS[2]
    return "原宜居社区数量(个)", "原绿色社区数量(个)"


def _unit(program: Program) -> str:
    return program.unit or "县（区）"


def _save(wb: Workbook) -> bytes:
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _counties(rows: list[CountyRow]) -> list[CountyRow]:
    return [r for r in rows if not r.is_total]


def _sheet(wb: Workbook, name: str) -> Worksheet:
    ws = wb.active
    assert ws is not None
    ws.title = name
    return ws


def _seed_dates(dates: list[dt.date]) -> str:
    """2021年8月30日、11月15日以及2022年的6月30日、11月15日 (the seed's way with years)."""
    out, year = [], None
    for d in dates:
        md = f"{d.month}月{d.day}日"
        if year is None:
            out.append(f"{d.year}年{md}")
        elif d.year != year:
            out.append(f"以及{d.year}年的{md}")
        else:
            out.append(f"、{md}")
        year = d.year
    return "".join(out)


# -- 附件3 进度表 ---------------------------------------------------------------------------


def _progress_notes(program: Program, title: str) -> list[str]:
    """The seed's two lines above the table (only for a program that has this form)."""
    dl = next((d for d in program.deadlines if d.form and title in d.form), None)
    if dl is None or not dl.dates:
        return []
    return [PROGRESS_NOTE, PROGRESS_SEND.format(dates=_seed_dates(sorted(dl.dates)))]


def build_progress(
    db: sqlite_utils.Database,
    program: Program,
    year: int,
    principal: Principal,
    today: dt.date,
    tz: ZoneInfo,
) -> Workbook:
    """绿色社区创建工作计划及进度表: one row per county, then 合计 (passed by the end of `year`)."""
    rows = county_status_as_of(db, program, year, principal, tz)
    attach, title = _form(program, "progress")
    title = title or KIND_ZH["progress"]
    liv, grn = _former_titles(program)
    titles = [_unit(program), PROGRESS_COLUMNS[0], liv, grn, *PROGRESS_COLUMNS[3:]]
    wb = Workbook()
    ws = _sheet(wb, "进度表")
    n = len(titles)
    values: list[list[Any]] = []
    for c in rows:
        values.append([c.county, c.communities, c.former_livable, c.former_green, c.planned])
        values[-1] += [c.passed, _share(c.passed, c.communities)]
    xlsx.widths(ws, titles, values, 16)
    ws.column_dimensions["A"].width = 16
    r = xlsx.title_rows(ws, n, attach, title)
    for line in _progress_notes(program, title):
        r = xlsx.note_row(ws, r, n, line, size=11)
    xlsx.header(ws, r, titles)
    xlsx.fit_height(ws, r, minimum=45)
    xlsx.repeat_header(ws, r)
    ws.freeze_panes = ws.cell(row=r + 1, column=2)
    for k, v in enumerate(values):
        xlsx.data_row(ws, r + 1 + k, v, bold=k == len(values) - 1, pct=(6,))
    end = r + len(values) + 2
    day = xlsx.zh_date(today)
    xlsx.label_line(ws, end, [(1, 3, f"填报日期：{day}"), (4, 5, "填表人："), (6, 7, "联系电话：")])
    note = done_note(program, rows[-1].awaiting, "zh")
    xlsx.label_line(ws, end + 1, [(1, n, f"说明：{note}。")])
    return wb


# -- 附件5 计划表 ---------------------------------------------------------------------------


def _plan_values(
    rows: list[CountyRow], per_year: dict[int, dict[int | None, int]], years: list[int]
) -> list[list[Any]]:
    values: list[list[Any]] = []
    counties = _counties(rows)
    for k, row in enumerate(counties, start=1):
        plans = [per_year[y].get(row.county_id, 0) for y in years]
        values.append([k, row.county, row.communities, row.former_livable, row.former_green])
        values[-1] += plans
    total = rows[-1]
    totals = [sum(per_year[y].get(c.county_id, 0) for c in counties) for y in years]
    values.append(["", "总计", total.communities, total.former_livable, total.former_green])
    values[-1] += totals
    return values


def build_plan(
    db: sqlite_utils.Database,
    program: Program,
    principal: Principal,
    today: dt.date,
    tz: ZoneInfo,
) -> Workbook:
    """创建计划表 (seed 000 附件5): per county, communities, former 宜居/绿色, planned per year."""
    years = plan_years(db, program) or [today.year]
    per_year = {
        y: {r.county_id: r.planned for r in county_status(db, program, y, principal)} for y in years
    }
    rows = county_status_as_of(db, program, years[0], principal, tz)
    attach, title = _form(program, "plan")
    title = title or f"{program.region}{KIND_ZH['plan']}"
    liv, grn = _former_titles(program)
    fixed = ["序号", _unit(program), "社区总数量(个)", liv, grn]
    n = len(fixed) + len(years)
    wb = Workbook()
    ws = _sheet(wb, "计划表")
    values = _plan_values(rows, per_year, years)
    xlsx.widths(ws, [*fixed, *[f"{y}年" for y in years]], values, 16)
    ws.column_dimensions["A"].width = 6
    ws.column_dimensions["B"].width = 16
    for k in range(len(fixed) + 1, n + 1):
        ws.column_dimensions[get_column_letter(k)].width = max(10, 26 // len(years))
    r = xlsx.title_rows(ws, n, attach, title)
    xlsx.header(ws, r, [*fixed, "计划创建绿色社区数量(个)"])
    xlsx.header(ws, r + 1, [*fixed, *[f"{y}年" for y in years]])
    for k in range(len(fixed)):
        ws.merge_cells(start_row=r, start_column=k + 1, end_row=r + 1, end_column=k + 1)
    if len(years) > 1:
        ws.merge_cells(start_row=r, start_column=len(fixed) + 1, end_row=r, end_column=n)
    ws.row_dimensions[r].height = 30
    ws.row_dimensions[r + 1].height = 36
    xlsx.repeat_header(ws, r, r + 1)
    ws.freeze_panes = ws.cell(row=r + 2, column=3)
    for k, v in enumerate(values):
        xlsx.data_row(ws, r + 2 + k, v, bold=k == len(values) - 1)
    return wb


# -- 汇总表 (seed 002 附件2) ------------------------------------------------------------------


Names = dict[int, dict[int, list[str]]]


def _summary_values(rows: list[CountyRow], names: Names, years: list[int]) -> list[list[Any]]:
    """The 汇总表 rows: per county, each year's names, count and share; then 地区."""
    values: list[list[Any]] = []
    counties = _counties(rows)
    for row in counties:
        mine = names.get(row.county_id or 0, {})
        line: list[Any] = [row.county]
        for y in years:
            ns = mine.get(y, [])
            line += ["、".join(ns), len(ns), _share(len(ns), row.communities)]
        line.append(_share(row.passed, row.communities))
        values.append(line)
    total = rows[-1]
    line = [SUMMARY_LAST]
    for y in years:
        count = sum(len(names.get(c.county_id or 0, {}).get(y, [])) for c in counties)
        line += ["/", count, _share(count, total.communities)]
    line.append(_share(total.passed, total.communities))
    values.append(line)
    return values


def _share(part: int, whole: int) -> float:
    return part / whole if whole else 0.0


def summary_years(program: Program, names: Names, year: int) -> list[int]:
    """The program's years up to `year` (its target years; else the years seen, up to `year`)."""
    own = sorted({t.year for t in program.targets})
    if own:
        return [y for y in own if y <= year] or own[:1]
    seen = {y for d in names.values() for y in d if y is not None and y <= year}
    return sorted(seen) or [year]


def build_summary(
    db: sqlite_utils.Database,
    program: Program,
    principal: Principal,
    today: dt.date,
    tz: ZoneInfo,
    year: int | None = None,
) -> Workbook:
    """绿色社区建设任务完成情况汇总表: names, counts and shares of passed communities by year."""
    year = year or today.year
    names = done_by_year(db, program, principal, tz, year)
    years = summary_years(program, names, year)
    rows = county_status_as_of(db, program, year, principal, tz)
    attach, title = _form(program, "summary")
    titles = ["县（市、区）"]
    for y in years:
        titles += [f"{y} 年绿色社区名单", f"{y} 年完成数量", f"{y} 年完成比例"]
    titles.append("合计完成比例")
    n = len(titles)
    wb = Workbook()
    ws = _sheet(wb, "汇总表")
    values = _summary_values(rows, names, years)
    xlsx.widths(ws, titles, values, NAME_CAP)
    ws.column_dimensions["A"].width = 14
    r = xlsx.title_rows(ws, n, attach, title or KIND_ZH["summary"])
    for text in ("填报单位：（盖章）", f"填报时间：{xlsx.zh_date(today)}", "联系人及联系电话："):
        r = xlsx.label_line(ws, r, [(1, n, text)])
    xlsx.header(ws, r, titles)
    xlsx.fit_height(ws, r, minimum=32)
    xlsx.repeat_header(ws, r)
    ws.freeze_panes = ws.cell(row=r + 1, column=2)
    pcts = [k for k, t in enumerate(titles) if "比例" in t]
    for k, v in enumerate(values):
        xlsx.data_row(ws, r + 1 + k, v, bold=k == len(values) - 1, pct=pcts)
    if attach is not None:
        xlsx.note_row(ws, r + len(values) + 2, n, SUMMARY_NOTE, size=11)
    return wb


# -- the API the bot and the CLI use ------------------------------------------------------------


def build(
    kind: str,
    db: sqlite_utils.Database,
    program: Program,
    year: int,
    principal: Principal = SYSTEM,
    *,
    tz: ZoneInfo,
    now: dt.datetime,
    all_standards: bool = False,
) -> Workbook:
    """Build one export; dates in `tz`, 填报日期 from `now` (the caller's clock)."""
    today = now.astimezone(tz).date()
    if kind == "progress":
        return build_progress(db, program, year, principal, today, tz)
    if kind == "plan":
        return build_plan(db, program, principal, today, tz)
    if kind == "summary":
        return build_summary(db, program, principal, today, tz, year)
    if kind == "answers":
        return build_answers(db, program, principal, tz=tz, now=now, all_standards=all_standards)
    raise ReportError("export_unknown", kind=kind, kinds=", ".join(KINDS))


def export_xlsx(
    kind: str,
    db: sqlite_utils.Database,
    program: Program,
    year: int,
    principal: Principal = SYSTEM,
    *,
    tz: ZoneInfo,
    now: dt.datetime,
    all_standards: bool = False,
) -> bytes:
    """Return the export as XLSX bytes (for sending as a document)."""
    if kind == "answers":
        buf = io.BytesIO()
        write_answers(buf, db, program, principal, tz=tz, now=now, all_standards=all_standards)
        return buf.getvalue()
    return _save(build(kind, db, program, year, principal, tz=tz, now=now))


def export_filename(kind: str, program: Program, year: int) -> str:
    return f"{program.region}{KIND_ZH.get(kind, kind)}-{year}.xlsx"


def write_xlsx(
    kind: str,
    db: sqlite_utils.Database,
    program: Program,
    year: int,
    out: Path,
    principal: Principal = SYSTEM,
    *,
    tz: ZoneInfo,
    now: dt.datetime,
    all_standards: bool = False,
) -> Path:
    """Write the export to `out` (answers are streamed to the file: bounded memory)."""
    if kind == "answers":
        with out.open("wb") as fh:
            write_answers(fh, db, program, principal, tz=tz, now=now, all_standards=all_standards)
        return out
    out.write_bytes(export_xlsx(kind, db, program, year, principal, tz=tz, now=now))
    return out
