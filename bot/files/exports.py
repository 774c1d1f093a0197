"""Official tables and forms as files: XLSX through openpyxl, the application form as DOCX.

- `progress`: 绿色社区创建工作计划及进度表 (seed 000 附件3), one row per county and 合计;
- `plan`: 创建计划表 (seed 000 附件5), communities planned per target year, and 总计;
- `summary`: 绿色社区建设任务完成情况汇总表 (seed 002 附件2), passed communities by the year
  their check was submitted;
- `answers`: every stored answer with its community, item, status, points, note, evidence, who
  and when;
- `form`: 绿色社区申报表 (seed 000 附件2; seed 004 附件3 when qinhuangdao-etdz-2021 is active).

Every number comes from bot/services/reports.py (no SQL here); column titles follow the seeds
(official forms stay Chinese whatever the user's language). Dates and times are in `tz` (the
caller passes settings.zone; Asia/Shanghai by default); 填报日期 is the caller's `today`/`now`.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any, Literal
from zoneinfo import ZoneInfo

import sqlite_utils
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from bot.domain.access import SYSTEM, Principal
from bot.domain.answers import decode_deductions
from bot.domain.programs import Program
from bot.domain.standards import Catalog, Standard, StandardError, catalog
from bot.files.recognised import add_verified_sheet
from bot.services.checks import Checks
from bot.services.reports import (
    DEFAULT_TZ,
    CommunityDetail,
    CountyRow,
    ReportError,
    answer_records,
    community_detail,
    county_status,
    local_time,
    passed_by_year,
    pct,
    plan_years,
    user_label,
)
from bot.texts import t
from bot.texts.layout import display_width

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
ANSWER_COLUMNS = (
    "县区",
    "街道",
    "社区",
    "标准",
    "项目编号",
    "项目内容",
    "状态",
    "得分",
    "扣分",
    "备注",
    "材料数",
    "作答人",
    "时间",
)
FORM_NOTES = (
    "一、本表为创建绿色社区申请用表。",
    "二、本表以A4纸双面打印。",
    "三、本表使用仿宋_GB2312小四号字填报，数字统一使用阿拉伯数字，填报内容较多的栏目，"
    "可视情调整字号或另行附页。",
    "四、社区名称：各城市社区居民委员会或社区工作站所辖空间区域的名称。",
    "五、社区地址：填写社区居民委员会或社区工作站所在具体地址。",
    "六、社区负责人姓名、联系电话：填写社区居民委员会或社区工作站主要负责人对应信息。",
    "七、社区面积、人口：填写社区管辖范围和辖区内人口信息。",
    "八、社区基本情况及申报创建特色简介：要求简明扼要，绿色社区创建情况真实准确、重点突出，"
    "字数控制在1000字内。",
    "九、各级审核意见：由街道办事处、县（市、区）、地级市相关审核单位签署明确意见并加盖单位公章。",
)
QINHUANGDAO = "qinhuangdao-etdz-2021"
NOTE_ONLY = "仅备注"
_MINUTE = "%Y-%m-%d %H:%M"

_THIN = Side(style="thin", color="000000")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_HEAD_FILL = PatternFill("solid", fgColor="E2EFDA")
_CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)
_LEFT = Alignment(horizontal="left", vertical="center", wrap_text=True)


# -- helpers -----------------------------------------------------------------------------------


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


def _today(tz: ZoneInfo = DEFAULT_TZ) -> dt.date:
    """Today in `tz`, for a caller that passes no `today` (the bot and the CLI pass theirs)."""
    return dt.datetime.now(tz).date()


def _deduction_total(text: str | None) -> float | None:
    """Total of stored deductions (bot.domain.answers' 'a:2,c:1'); None when none or unreadable."""
    try:
        return float(sum(decode_deductions(text).values())) if text else None
    except ValueError:
        return None


def _title_rows(ws: Worksheet, ncols: int, attach: str | None, title: str) -> int:
    """Write the attachment id and the merged title, set A4 printing; return the next row."""
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape" if ncols > 7 else "portrait"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.horizontalCentered = True
    ws.cell(row=1, column=1, value=attach or "").font = Font(name="黑体", size=12)
    ws.merge_cells(start_row=2, start_column=1, end_row=2, end_column=ncols)
    c = ws.cell(row=2, column=1, value=title)
    c.font = Font(name="方正小标宋简体", size=18, bold=True)
    c.alignment = Alignment(horizontal="center", vertical="center")
    ws.row_dimensions[2].height = 32
    return 3


def _note_row(ws: Worksheet, row: int, ncols: int, text: str, lines: int = 2) -> int:
    ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=ncols)
    c = ws.cell(row=row, column=1, value=text)
    c.alignment = Alignment(horizontal="left", vertical="top", wrap_text=True)
    c.font = Font(size=10)
    ws.row_dimensions[row].height = 15 * lines
    return row + 1


def _header(ws: Worksheet, row: int, titles: Sequence[str], col: int = 1) -> None:
    for k, title in enumerate(titles):
        c = ws.cell(row=row, column=col + k, value=title)
        c.font = Font(bold=True)
        c.alignment = _CENTER
        c.border = _BORDER
        c.fill = _HEAD_FILL


def _data(ws: Worksheet, row: int, values: Sequence[Any], bold: bool = False) -> None:
    for k, v in enumerate(values):
        c = ws.cell(row=row, column=1 + k, value=v)
        c.border = _BORDER
        c.alignment = _LEFT if isinstance(v, str) and k else _CENTER
        if isinstance(v, float):
            c.number_format = "0.0"
        if bold:
            c.font = Font(bold=True)


def _widths(ws: Worksheet, titles: Sequence[str], rows: Iterable[Sequence[Any]], cap: int) -> None:
    """Set column widths from the display width of titles and values (CJK counts double)."""
    widths = [min(cap, max(6, display_width(t) // 2 + 2)) for t in titles]
    for r in rows:
        for k, v in enumerate(r):
            if k < len(widths) and v is not None:
                widths[k] = min(cap, max(widths[k], display_width(str(v)) + 2))
    for k, w in enumerate(widths):
        ws.column_dimensions[get_column_letter(k + 1)].width = w


def _footer(ws: Worksheet, last: int, ncols: int, today: dt.date, note: str) -> None:
    """The 填报日期 / 填表人 / 联系电话 line a row below the table's `last` row, then 说明."""
    row = last + 2
    ws.cell(row=row, column=1, value=f"填报日期：{today.isoformat()}")
    ws.cell(row=row, column=max(2, ncols // 2), value="填表人：")
    ws.cell(row=row, column=max(3, ncols - 1), value="联系电话：")
    _note_row(ws, row + 1, ncols, f"说明：{note}")


def _save(wb: Workbook) -> bytes:
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _counties(rows: list[CountyRow]) -> list[CountyRow]:
    return [r for r in rows if not r.is_total]


# -- 附件3 进度表 ---------------------------------------------------------------------------


def build_progress(
    db: sqlite_utils.Database,
    program: Program,
    year: int,
    principal: Principal = SYSTEM,
    today: dt.date | None = None,
    tz: ZoneInfo = DEFAULT_TZ,
) -> Workbook:
    """绿色社区创建工作计划及进度表: one row per county, then 合计."""
    rows = county_status(db, program, year, principal)
    attach, title = _form(program, "progress")
    title = title or KIND_ZH["progress"]
    liv, grn = _former_titles(program)
    titles = [_unit(program), PROGRESS_COLUMNS[0], liv, grn, *PROGRESS_COLUMNS[3:]]
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "进度表"
    n = len(titles)
    r = _title_rows(ws, n, attach, title)
    dl = next((d for d in program.deadlines if d.form and title in d.form), None)
    target = rows[-1].target_pct
    info = f"统计年度：{year} 年" + (f"（目标 {target:g}%）" if target else "")
    info += f"  单位：{program.region}"
    if dl is not None:
        dates = "、".join(d.isoformat() for d in dl.dates) or f"每年 {dl.annual}"
        info += f"  报送：{dl.submitter} → {dl.recipient}（{dates}）"
    r = _note_row(ws, r, n, info)
    _header(ws, r, titles)
    ws.row_dimensions[r].height = 45
    ws.freeze_panes = ws.cell(row=r + 1, column=2)
    values: list[list[Any]] = []
    for row in rows:
        values.append(
            [
                row.county,
                row.communities,
                row.former_livable,
                row.former_green,
                row.planned,
                row.passed,
                row.completion_pct,
            ]
        )
    for k, v in enumerate(values):
        _data(ws, r + 1 + k, v, bold=k == len(values) - 1)
    end = r + len(values)
    _widths(ws, titles, values, 16)
    ws.column_dimensions["A"].width = max(12, ws.column_dimensions["A"].width)
    _footer(
        ws,
        end,
        n,
        today or _today(tz),
        f"计划创建数量为计划于 {year} 年创建的社区数；已完成数量为自查已提交且达标的社区数；"
        "完成率 = 已完成数量 ÷ 社区总数量 × 100%。数据由 GreenCheck 根据自查记录生成。",
    )
    return wb


# -- 附件5 计划表 ---------------------------------------------------------------------------


def build_plan(
    db: sqlite_utils.Database,
    program: Program,
    principal: Principal = SYSTEM,
    today: dt.date | None = None,
    tz: ZoneInfo = DEFAULT_TZ,
) -> Workbook:
    """创建计划表: per county, communities, former 宜居/绿色, planned per target year; 总计."""
    years = plan_years(db, program)
    per_year = {
        y: {r.county_id: r.planned for r in county_status(db, program, y, principal)} for y in years
    }
    rows = county_status(db, program, years[0] if years else _today(tz).year, principal)
    attach, title = _form(program, "plan")
    title = title or f"{program.region}{KIND_ZH['plan']}"
    liv, grn = _former_titles(program)
    fixed = ["序号", _unit(program), "社区总数量(个)", liv, grn]
    n = len(fixed) + max(1, len(years))
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "计划表"
    r = _title_rows(ws, n, attach, title)
    _header(ws, r, [*fixed, "计划创建绿色社区数量(个)"])
    _header(ws, r + 1, [*fixed, *[f"{y}年" for y in years]])
    for k in range(len(fixed)):
        ws.merge_cells(start_row=r, start_column=k + 1, end_row=r + 1, end_column=k + 1)
    ws.merge_cells(start_row=r, start_column=len(fixed) + 1, end_row=r, end_column=n)
    for k in range(len(fixed) + 1, n + 1):  # borders on the merged header cells
        ws.cell(row=r, column=k).border = _BORDER
    ws.row_dimensions[r].height = 30
    ws.row_dimensions[r + 1].height = 30
    ws.freeze_panes = ws.cell(row=r + 2, column=3)
    values: list[list[Any]] = []
    counties = _counties(rows)
    for k, row in enumerate(counties, start=1):
        plans = [per_year[y].get(row.county_id, 0) for y in years]
        values.append(
            [k, row.county, row.communities, row.former_livable, row.former_green, *plans]
        )
    total = rows[-1]
    totals = [sum(per_year[y].get(c.county_id, 0) for c in counties) for y in years]
    values.append(
        ["", "总计", total.communities, total.former_livable, total.former_green, *totals]
    )
    for k, v in enumerate(values):
        _data(ws, r + 2 + k, v, bold=k == len(values) - 1)
    _widths(ws, [*fixed, *[f"{y}年" for y in years]], values, 16)
    ws.column_dimensions["A"].width = 6
    for k in range(len(fixed) + 1, n + 1):
        ws.column_dimensions[get_column_letter(k)].width = max(12, 26 // max(1, len(years)))
    _footer(
        ws,
        r + 1 + len(values),
        n,
        today or _today(tz),
        "计划创建数量为名册中“计划创建年份”为该年的社区数。",
    )
    return wb


# -- 汇总表 (seed 002 附件2) ------------------------------------------------------------------


Names = dict[int, dict[int | None, list[str]]]


def _summary_values(rows: list[CountyRow], names: Names, years: list[int]) -> list[list[Any]]:
    """The 汇总表 rows: per county, each year's names, count and share; then 合计."""
    values: list[list[Any]] = []
    counties = _counties(rows)
    for row in counties:
        mine = names.get(row.county_id or 0, {})
        line: list[Any] = [row.county]
        for y in years:
            ns = mine.get(y, [])
            line += ["、".join(ns), len(ns), pct(len(ns), row.communities)]
        line.append(row.completion_pct)
        values.append(line)
    total = rows[-1]
    line = [total.county]
    for y in years:
        count = sum(len(names.get(c.county_id or 0, {}).get(y, [])) for c in counties)
        line += ["/", count, pct(count, total.communities)]
    line.append(total.completion_pct)
    values.append(line)
    return values


def build_summary(
    db: sqlite_utils.Database,
    program: Program,
    principal: Principal = SYSTEM,
    today: dt.date | None = None,
    tz: ZoneInfo = DEFAULT_TZ,
) -> Workbook:
    """绿色社区建设任务完成情况汇总表: names, counts and shares of passed communities by year."""
    today = today or _today(tz)
    names = passed_by_year(db, program, principal, tz)
    seen = {y for d in names.values() for y in d if y is not None}
    years = sorted({t.year for t in program.targets} | seen)
    rows = county_status(db, program, today.year, principal)
    attach, title = _form(program, "summary")
    title = title or KIND_ZH["summary"]
    titles = ["县（市、区）"]
    for y in years:
        titles += [f"{y} 年绿色社区名单", f"{y} 年完成数量", f"{y} 年完成比例"]
    titles.append("合计完成比例")
    n = len(titles)
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "汇总表"
    r = _title_rows(ws, n, attach, title)
    for text in ("填报单位：（盖章）", f"填报时间：{today.isoformat()}", "联系人及联系电话："):
        ws.cell(row=r, column=1, value=text)
        r += 1
    _header(ws, r, titles)
    ws.row_dimensions[r].height = 32
    ws.freeze_panes = ws.cell(row=r + 1, column=2)
    values = _summary_values(rows, names, years)
    for k, v in enumerate(values):
        _data(ws, r + 1 + k, v, bold=k == len(values) - 1)
        for col, val in enumerate(v, start=1):
            if isinstance(val, float):
                ws.cell(row=r + 1 + k, column=col).number_format = '0.0"%"'
    _widths(ws, titles, values, 40)
    _footer(
        ws,
        r + len(values),
        n,
        today,
        "名单为自查已提交且达标的社区，按提交年份归入各年；完成比例 = 完成数量 ÷ 社区总数量 × 100%。",
    )
    return wb


# -- every answer -------------------------------------------------------------------------------


def _standard_of(cat: Catalog, sid: str, cache: dict[str, Standard | None]) -> Standard | None:
    if sid not in cache:
        try:
            cache[sid] = cat.standard(sid)
        except StandardError:
            cache[sid] = None
    return cache[sid]


def _answer_row(r: Sequence[Any], std: Standard | None, tz: ZoneInfo) -> tuple[int, list[Any]]:
    """(the item's place in its standard, the ANSWER_COLUMNS row) of one stored answer."""
    _, sid, county, street, name, qid, st, pts, deds, note, ev, un, uu, uid, at = r
    known = std is not None and qid in std.question_index
    text = std.question(qid).text if std is not None and known else ""
    order = std.question_index[qid] if std is not None and known else 10**6
    status = t("zh", f"rp_status_{st}") if st else NOTE_ONLY
    title = std.title if std else sid
    row = [county, street or "", name, title, qid, text, status, pts, _deduction_total(deds)]
    row += [note or "", int(ev), user_label(un, uu, uid) or "", local_time(at, _MINUTE, tz)]
    return order, row


def answer_rows(
    db: sqlite_utils.Database,
    principal: Principal = SYSTEM,
    cat: Catalog | None = None,
    tz: ZoneInfo = DEFAULT_TZ,
) -> Iterable[list[Any]]:
    """Yield one row per stored answer (ANSWER_COLUMNS), in roster and question order."""
    cat = cat or catalog()
    stds: dict[str, Standard | None] = {}
    batch: list[tuple[int, list[Any]]] = []
    current = None
    for r in answer_records(db, principal):
        if r[0] != current:
            yield from (row for _, row in sorted(batch, key=lambda x: x[0]))
            batch, current = [], r[0]
        batch.append(_answer_row(r, _standard_of(cat, r[1], stds), tz))
    yield from (row for _, row in sorted(batch, key=lambda x: x[0]))


def build_answers(
    db: sqlite_utils.Database,
    program: Program,
    principal: Principal = SYSTEM,
    cat: Catalog | None = None,
    tz: ZoneInfo = DEFAULT_TZ,
    now: dt.datetime | None = None,
) -> Workbook:
    """Every answer row, streamed (write-only workbook: constant memory on a large database)."""
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("作答明细")
    widths = (10, 12, 14, 22, 8, 60, 10, 7, 7, 30, 7, 12, 17)
    for k, w in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(k)].width = w
    ws.freeze_panes = "A3"
    stamp = (now or dt.datetime.now(tz)).astimezone(tz).strftime(_MINUTE)
    ws.append([f"{program.region}绿色社区自查作答明细（导出于 {stamp}）"])
    ws.append(list(ANSWER_COLUMNS))
    for row in answer_rows(db, principal, cat, tz):
        ws.append(row)
    add_verified_sheet(wb, db, principal)  # the review chain's verified columns (issue 11)
    return wb


def build(
    kind: str,
    db: sqlite_utils.Database,
    program: Program,
    year: int,
    principal: Principal = SYSTEM,
    tz: ZoneInfo = DEFAULT_TZ,
    now: dt.datetime | None = None,
) -> Workbook:
    """Build one export; dates in `tz`, 填报日期 from `now` (the caller's clock)."""
    today = now.astimezone(tz).date() if now else None
    if kind == "progress":
        return build_progress(db, program, year, principal, today, tz)
    if kind == "plan":
        return build_plan(db, program, principal, today, tz)
    if kind == "summary":
        return build_summary(db, program, principal, today, tz)
    if kind == "answers":
        return build_answers(db, program, principal, tz=tz, now=now)
    raise ReportError("export_unknown", kind=kind, kinds=", ".join(KINDS))


def export_xlsx(
    kind: str,
    db: sqlite_utils.Database,
    program: Program,
    year: int,
    principal: Principal = SYSTEM,
    tz: ZoneInfo = DEFAULT_TZ,
    now: dt.datetime | None = None,
) -> bytes:
    """Return the export as XLSX bytes (for sending as a document)."""
    return _save(build(kind, db, program, year, principal, tz, now))


def export_filename(kind: str, program: Program, year: int) -> str:
    return f"{program.region}{KIND_ZH.get(kind, kind)}-{year}.xlsx"


def write_xlsx(
    kind: str,
    db: sqlite_utils.Database,
    program: Program,
    year: int,
    out: Path,
    principal: Principal = SYSTEM,
    tz: ZoneInfo = DEFAULT_TZ,
    now: dt.datetime | None = None,
) -> Path:
    out.write_bytes(export_xlsx(kind, db, program, year, principal, tz, now))
    return out


# -- the application form (DOCX) --------------------------------------------------------------


def auto_summary(d: CommunityDetail, ids_per_reason: int = 6, tz: ZoneInfo = DEFAULT_TZ) -> str:
    """An application summary of the check: standard, answered, met, gaps, score (short enough
    that the form stays on one page; well under the 1000 characters the 说明 allow)."""
    place = d.county + (d.street or "")
    addr = f"（{d.address}）" if d.address else ""
    parts = [f"{d.community}位于{place}{addr}。"]
    r, std = d.result, d.standard
    if std is None or r is None:
        return "".join(parts) + "尚未开展自查。"
    counts = {s: 0 for s in ("met", "partial", "not_met", "na")}
    for o in r.outcomes:
        if o.status:
            counts[o.status] += 1
    parts.append(
        f"本社区对照《{std.title}》开展自查，共 {r.total} 项，已答 {r.answered} 项，"
        f"其中符合 {counts['met']} 项、部分符合 {counts['partial']} 项、"
        f"不符合 {counts['not_met']} 项、不适用 {counts['na']} 项；"
        f"尚有缺项 {len(r.gaps)} 项。"
    )
    if r.score is not None and r.max_score:
        parts.append(
            f"自评得分 {r.score:g} 分（满分 {r.max_score:g} 分，{r.pass_score:g} 分达标）。"
        )
    if d.state == "submitted":
        when = local_time(d.submitted_at, "%Y年%m月%d日", tz)
        parts.append(f"自查已于{when}提交，结论：{'达标' if r.passed else '未达标'}。")
    else:
        parts.append("自查尚未提交。")
    parts.append(f"共上传佐证材料 {d.evidence_total} 份。")
    if r.gaps:
        by_reason: dict[str, list[str]] = {}
        for g in r.gaps:
            by_reason.setdefault(g.reason, []).append(g.id)
        groups = []
        for reason, ids in by_reason.items():
            shown = "、".join(ids[:ids_per_reason]) + ("等" if len(ids) > ids_per_reason else "")
            groups.append(f"{t('zh', f'rp_gap_{reason}')} {len(ids)} 项（{shown}）")
        parts.append("待完善：" + "；".join(groups) + "。")
    parts.append("（以上由 GreenCheck 根据自查记录生成，请据实补充社区基本情况及创建特色。）")
    return "".join(parts)


def form(
    db: sqlite_utils.Database,
    community_id: int,
    program: Program,
    out: Path | None = None,
    cat: Catalog | None = None,
    principal: Principal = SYSTEM,
    tz: ZoneInfo = DEFAULT_TZ,
    checks: Checks | None = None,
) -> bytes:
    """The community's 绿色社区申报表 as DOCX bytes (also written to `out` when given).

    `checks`: the bot's shared bot.services.checks.Checks, if any; dates in `tz` (the caller passes settings.zone).
    """
    d = community_detail(db, community_id, program, cat, principal, checks=checks)
    if program.id == QINHUANGDAO:
        data = _form_qinhuangdao(d, program, tz)
    else:
        data = _form_heyuan(d, program, tz)
    if out is not None:
        out.write_bytes(data)
    return data


def form_filename(d_name: str) -> str:
    return f"绿色社区申报表-{d_name}.docx"


# python-docx is imported lazily: the bot only needs it when a form is asked for.


def _doc(body_font: str = "仿宋_GB2312", size: float = 12) -> Any:
    from docx import Document
    from docx.enum.section import WD_ORIENT
    from docx.oxml.ns import qn
    from docx.shared import Cm, Pt

    doc = Document()
    sec = doc.sections[0]
    sec.orientation = WD_ORIENT.PORTRAIT
    sec.page_width, sec.page_height = Cm(21), Cm(29.7)
    sec.left_margin = sec.right_margin = Cm(2.6)
    sec.top_margin, sec.bottom_margin = Cm(2.5), Cm(2.2)
    style = doc.styles["Normal"]
    style.font.name = body_font
    style.font.size = Pt(size)
    style.element.rPr.rFonts.set(qn("w:eastAsia"), body_font)
    return doc


def _run(par: Any, text: str, size: float | None = None, bold: bool = False, font: str = "") -> Any:
    from docx.oxml.ns import qn
    from docx.shared import Pt

    run = par.add_run(text)
    if size:
        run.font.size = Pt(size)
    run.bold = bold
    if font:
        run.font.name = font
        run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), font)
    return run


def _heading(doc: Any, attach: str | None, title: str) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    if attach:
        _run(doc.add_paragraph(), attach, 16, font="黑体")
    p = doc.add_paragraph()
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _run(p, title, 22, bold=True, font="方正小标宋简体")


def _cell(
    cell: Any,
    text: str = "",
    align: str = "center",
    bold: bool = False,
    size: float | None = None,
) -> None:
    from docx.enum.table import WD_ALIGN_VERTICAL
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    cell.vertical_alignment = WD_ALIGN_VERTICAL.CENTER
    lines = text.split("\n")
    par = cell.paragraphs[0]
    for k, line in enumerate(lines):
        if k:
            par = cell.add_paragraph()
        par.alignment = {
            "center": WD_ALIGN_PARAGRAPH.CENTER,
            "left": WD_ALIGN_PARAGRAPH.LEFT,
            "right": WD_ALIGN_PARAGRAPH.RIGHT,
            "justify": WD_ALIGN_PARAGRAPH.JUSTIFY,
        }[align]
        _run(par, line, size, bold)


def _block(cell: Any, head: str, body: str, stamp: str, min_lines: int = 0) -> None:
    """A tall cell: a heading line, a justified body, blank space, a stamp line on the right."""
    from docx.enum.table import WD_ALIGN_VERTICAL
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    cell.vertical_alignment = WD_ALIGN_VERTICAL.TOP
    par = cell.paragraphs[0]
    _run(par, head, bold=True)
    if body:
        p = cell.add_paragraph()
        p.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
        p.paragraph_format.first_line_indent = Pt(24)
        p.paragraph_format.line_spacing = 1.5
        _run(p, body)
    for _ in range(min_lines):
        cell.add_paragraph()
    for line in stamp.split("\n"):
        p = cell.add_paragraph()
        p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        _run(p, line)


def _widths_cm(table: Any, widths: Sequence[float]) -> None:
    from docx.shared import Cm

    table.autofit = False
    for row in table.rows:
        for k, w in enumerate(widths):
            row.cells[k].width = Cm(w)


def _height(row: Any, cm: float) -> None:
    from docx.enum.table import WD_ROW_HEIGHT_RULE
    from docx.shared import Cm

    row.height = Cm(cm)
    row.height_rule = WD_ROW_HEIGHT_RULE.AT_LEAST


STAMP = "（盖章）\n年　　月　　日"


def _form_heyuan(d: CommunityDetail, program: Program, tz: ZoneInfo = DEFAULT_TZ) -> bytes:
    """Seed 000 附件2: 绿色社区申报表, with the 说明 notes on the second page."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK

    attach, title = _form(program, "application")
    doc = _doc()
    _heading(doc, attach or "附件2", title or "绿色社区申报表")
    t = doc.add_table(rows=8, cols=5)
    t.style = "Table Grid"
    _widths_cm(t, (2.6, 2.0, 4.4, 2.6, 4.2))
    rows = t.rows
    _cell(rows[0].cells[0], "社区名称")
    _cell(rows[0].cells[1].merge(rows[0].cells[4]), d.community, "left")
    _cell(rows[1].cells[0], "社区地址")
    _cell(rows[1].cells[1].merge(rows[1].cells[4]), d.address or "", "left")
    _cell(rows[2].cells[0], "社区负责人")
    _cell(rows[2].cells[1], "姓　名")
    _cell(rows[2].cells[3], "联系电话")
    _cell(rows[3].cells[0], "社区面积")
    rows[3].cells[1].merge(rows[3].cells[2])
    _cell(rows[3].cells[3], "社区人口")
    for k in range(4):
        _height(rows[k], 1.2)
    summary = rows[4].cells[0].merge(rows[4].cells[4])
    _block(
        summary,
        "社区基本情况及申报创建特色简介",
        auto_summary(d, tz=tz),
        "（创建单位盖章）\n年　　月　　日",
        2,
    )
    _height(rows[4], 8.0)
    review = rows[5].cells[0].merge(rows[7].cells[0])
    _cell(review, "各级审核意见")
    for k, level in enumerate(("街　道", "县（市、区）", "地级市")):
        row = rows[5 + k]
        _cell(row.cells[1], level)
        _block(row.cells[2].merge(row.cells[4]), "", "", STAMP, 1)
        _height(row, 2.5)
    p = doc.add_paragraph()
    p.add_run().add_break(WD_BREAK.PAGE)
    head = doc.add_paragraph()
    head.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _run(head, "说　明", 16, bold=True, font="黑体")
    for note in FORM_NOTES:
        par = doc.add_paragraph()
        par.paragraph_format.first_line_indent = _pt(24)
        par.paragraph_format.line_spacing = 1.5
        _run(par, note, 14)
    return _doc_bytes(doc)


def _pt(v: float) -> Any:
    from docx.shared import Pt

    return Pt(v)


def _doc_bytes(doc: Any) -> bytes:
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


def _form_qinhuangdao(d: CommunityDetail, program: Program, tz: ZoneInfo = DEFAULT_TZ) -> bytes:
    """Seed 004 附件3: 秦皇岛经济技术开发区绿色社区申报表."""
    attach, title = _form(program, "application")
    doc = _doc()
    _heading(doc, attach or "附件3", title or "秦皇岛经济技术开发区绿色社区申报表")
    t = doc.add_table(rows=11, cols=6)
    t.style = "Table Grid"
    _widths_cm(t, (2.6, 3.0, 2.4, 2.6, 2.4, 2.8))
    r = t.rows
    _cell(r[0].cells[0], "社区名称")
    _cell(r[0].cells[1].merge(r[0].cells[2]), d.community, "left")
    _cell(r[0].cells[3], "联系电话")
    r[0].cells[4].merge(r[0].cells[5])
    _cell(r[1].cells[0], "社区地址")
    _cell(r[1].cells[1], d.address or "", "left")
    _cell(r[1].cells[2], "县（区）")
    _cell(r[1].cells[3], d.county)
    _cell(r[1].cells[4], "街道")
    _cell(r[1].cells[5], d.street or "")
    for k, text in enumerate(
        ("社区人口", "社区户数（户）", "常住户数", "占地面积", "建筑面积", "绿化面积（m²）")
    ):
        _cell(r[2].cells[k], text)
    for k, who in enumerate(("街道负责人", "社区负责人", "创建联系人")):
        row = r[4 + k]
        _cell(row.cells[0], who)
        _cell(row.cells[2], "职务")
        _cell(row.cells[4], "电话")
    for k in range(7):
        _height(r[k], 1.1)
    facilities = r[7].cells[0].merge(r[7].cells[5])
    _block(facilities, "社区公共服务机构（设施）配置情况（数量）", "", "", 2)
    work = r[8].cells[0].merge(r[8].cells[5])
    _block(work, "创建绿色社区工作情况：（材料可附页）", auto_summary(d, tz=tz), "", 1)
    _height(r[8], 5.5)
    heads = (
        "县（区）创建机构推荐意见",
        "县（区）生态环境局意见（盖章）",
        "县（区）住建局意见（盖章）",
    )
    for k, head in enumerate(heads):
        top = r[9].cells[2 * k].merge(r[9].cells[2 * k + 1])
        _cell(top, head)
        bottom = r[10].cells[2 * k].merge(r[10].cells[2 * k + 1])
        _block(bottom, "", "", "年　　月　　日", 2)
    _height(r[10], 3.0)
    return _doc_bytes(doc)
