"""The tables an office receives, as XLSX: pure functions of the payloads bot/services/exports.py
gathers (this module never reads the database).

- `Progress`: 绿色社区创建工作计划及进度表 (seed 000 附件3), one row per county and 合计; for a
  program whose seed has no such form, GreenCheck's own 创建进度统计表 (titled as GreenCheck's,
  without the 附件 number, the seed's notes or the Guangdong categories);
- `Plan`: 创建计划表 (seed 000 附件5), communities planned per year, and 总计;
- `Summary`: 绿色社区建设任务完成情况汇总表 (seed 002 附件2), names, counts and shares of the
  communities done per year, last row 地区;
- `Contacts`: 河源市绿色社区创建工作联系人名单 (seed 000 附件4), one sheet per county;
- `Answers`, `RecognisedList`, `ActionList`: bot/files/answers.py, recognised.py, actions.py.

Titles, column titles, notes and signature lines follow the seeds word for word (official forms
stay Chinese whatever the user's language); the layout is bot/files/xlsx.py's; every cell goes
through bot/files/safe.py (never a formula).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import IO, Any
from zoneinfo import ZoneInfo

from openpyxl import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from bot.domain.exports import (
    ActionList,
    Answers,
    Contacts,
    Payload,
    Plan,
    Progress,
    RecognisedList,
    Summary,
)
from bot.domain.programs import Program
from bot.domain.reports import CountyRow
from bot.files import xlsx
from bot.files.actions import write_actions
from bot.files.answers import write_answers
from bot.files.recognised import write_recognised
from bot.files.xlsx import Col
from bot.texts.report_views import done_note

KIND_ZH = {  # the file names of the kinds (a seed form's own title comes first)
    "progress": "绿色社区创建进度统计表",
    "plan": "绿色社区创建计划表",
    "summary": "绿色社区建设任务完成情况汇总表",
    "contacts": "绿色社区创建工作联系人名单",
    "answers": "自查作答明细",
    "actions": "整改台账",
    "recognised": "绿色社区认定名单",
}
OWN_PROGRESS = "{region}绿色社区创建进度统计表（GreenCheck 生成）"
OWN_NOTE = "本表由 GreenCheck 根据自查和审核记录统计（截至 {year} 年底），不是实施方案附件。"

# The seeds' own words (seed 000 附件3, 附件4, 附件5; seed 002 附件2); "\n" marks where a title
# may break in its column, so a header never wraps mid-word.
SEED_PROGRESS = (
    "社区总数量\n(个)",
    "原“广东省宜居社区”\n数量(个)",
    "原“广东省绿色社区”\n数量(个)",
    "计划创建绿色社区\n数量(个)",
    "已完成绿色社区\n创建数量(个)",
    "完成率\n(%)",
)
OWN_PROGRESS_COLUMNS = (
    "社区总数\n(个)",
    "计划创建\n(个)",
    "已开展自查\n(个)",
    "已提交自查\n(个)",
    "已完成创建\n(个)",
    "完成率\n(%)",
)
PROGRESS_NOTE = "本表由各县绿色社区创建工作牵头部门直接报送。"
PROGRESS_SEND = "请于{dates}前报送至市住房城乡建设局"
PLAN_GROUP = "计划创建绿色社区数量(个)"
SUMMARY_NOTE = (
    "注：本表由各县市住房城乡建设部门汇总填写，与年度总结评估报告一并于当年 10 月 20 日前"
    "上报州住房城乡建设局。"
)
SUMMARY_LINES = ("填报单位：（盖章）", "填报时间：{date}", "联系人及联系电话：")
SUMMARY_LAST = "地区"
TOTAL = "合计"  # the progress table's last row
CONTACT_COLUMNS = ("姓　名", "单　位", "股　室", "手　机", "固定电话")
CONTACT_LEAD = "牵头部门："
BLANK_ROWS = 3  # rows left to fill in by hand when a county has no contact on record


def _form(program: Program, kind: str) -> tuple[str | None, str | None]:
    """Return (attachment id, title) of the program's form of this kind, if it has one."""
    for f in program.forms:
        if f.kind == kind:
            return f.id, f.title
    return None, None


def _unit(program: Program) -> str:
    return program.unit or "县（区）"


def _share(part: int, whole: int) -> float:
    return part / whole if whole else 0.0


def _counties(rows: Sequence[CountyRow]) -> list[CountyRow]:
    return [r for r in rows if not r.is_total]


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


def _prepared(ws: Worksheet, cols: Sequence[Col], values: Sequence[Sequence[Any]]) -> int:
    """Set widths and page setup for the table; return its column count."""
    ws_widths = xlsx.widths(cols, values)
    xlsx.set_widths(ws, ws_widths)
    xlsx.finish(ws, ws_widths)
    return len(cols)


# -- 附件3 进度表 (or GreenCheck's own progress table) --------------------------------------------


def _progress_notes(program: Program, title: str) -> list[str]:
    """The seed's two lines above the table (only for a program that has this form)."""
    dl = next((d for d in program.deadlines if d.form and title in d.form), None)
    if dl is None or not dl.dates:
        return []
    return [PROGRESS_NOTE, PROGRESS_SEND.format(dates=_seed_dates(sorted(dl.dates)))]


def _progress_values(data: Progress) -> list[list[Any]]:
    out: list[list[Any]] = []
    for c in data.rows:
        name = TOTAL if c.is_total else c.county
        if data.seed:
            row = [name, c.communities, c.former_livable, c.former_green, c.planned]
        else:
            row = [name, c.communities, c.planned, c.started, c.submitted]
        out.append([*row, c.passed, _share(c.passed, c.communities)])
    return out


def build_progress(data: Progress, program: Program, today: dt.date) -> Workbook:
    """The progress table: one row per county, then 合计 (done by the end of the year asked)."""
    attach, title = _form(program, "progress") if data.seed else (None, None)
    heads = SEED_PROGRESS if data.seed else OWN_PROGRESS_COLUMNS
    cols = [Col(_unit(program), "name", cap=24), *(Col(h, "int", cap=14) for h in heads[:-1])]
    cols.append(Col(heads[-1], "pct"))
    wb = xlsx.workbook()
    ws = xlsx.sheet(wb, "进度表")
    values = _progress_values(data)
    n = _prepared(ws, cols, values)
    title = title or OWN_PROGRESS.format(region=program.region)
    r = xlsx.title_rows(ws, n, attach, title)
    for line in _progress_notes(program, title) if data.seed else []:
        r = xlsx.note_row(ws, r, n, line, size=11)
    r = xlsx.tabulate(ws, r, cols, values, bold_last=True) + 1
    note = done_note(program, data.rows[-1].awaiting if data.rows else 0, "zh") + "。"
    if data.seed:
        parts = [f"填报日期：{xlsx.zh_date(today)}", "填表人：", "联系电话："]
        r = xlsx.label_line(ws, r, xlsx.spread(ws, n, parts))
        xlsx.label_line(ws, r, [(1, n, f"说明：{note}")])
    else:
        year = data.rows[-1].year if data.rows else today.year
        own = OWN_NOTE.format(year=year) + note + f"生成于{xlsx.zh_date(today)}。"
        xlsx.note_row(ws, r, n, own)
    return wb


# -- 附件5 计划表 ---------------------------------------------------------------------------


def _plan_values(data: Plan) -> list[list[Any]]:
    values: list[list[Any]] = []
    counties = _counties(data.rows)
    for k, row in enumerate(counties, start=1):
        plans = [data.planned[y].get(row.county_id, 0) for y in data.years]
        values.append([k, row.county, row.communities, row.former_livable, row.former_green])
        values[-1] += plans
    total = data.rows[-1]
    totals = [sum(data.planned[y].get(c.county_id, 0) for c in counties) for y in data.years]
    values.append(["", "总计", total.communities, total.former_livable, total.former_green])
    values[-1] += totals
    return values


def build_plan(data: Plan, program: Program) -> Workbook:
    """创建计划表 (seed 000 附件5): per county, communities, former 宜居/绿色, planned per year."""
    attach, title = _form(program, "plan")
    cols = [Col("序号", "int"), Col(_unit(program), "name", cap=24), Col(SEED_PROGRESS[0], "int")]
    cols += [Col(SEED_PROGRESS[1], "int"), Col(SEED_PROGRESS[2], "int")]
    cols += [Col(f"{y}年", "int", floor=10) for y in data.years]
    wb = xlsx.workbook()
    ws = xlsx.sheet(wb, "计划表")
    values = _plan_values(data)
    n = _prepared(ws, cols, values)
    r = xlsx.title_rows(ws, n, attach, title or f"{program.region}{KIND_ZH['plan']}")
    group = (PLAN_GROUP, 6, n)
    xlsx.tabulate(ws, r, cols, values, bold_last=True, groups=[group])
    return wb


# -- 汇总表 (seed 002 附件2) ------------------------------------------------------------------

NAMES_WIDTH = 30


def _summary_values(data: Summary) -> list[list[Any]]:
    """The 汇总表 rows: per county, each year's names, count and share; then 地区."""
    values: list[list[Any]] = []
    counties = _counties(data.rows)
    for row in counties:
        mine = data.names.get(row.county_id or 0, {})
        line: list[Any] = [row.county]
        for y in data.years:
            ns = mine.get(y, [])
            line += [xlsx.packed(ns, NAMES_WIDTH), len(ns), _share(len(ns), row.communities)]
        line.append(_share(row.passed, row.communities))
        values.append(line)
    total = data.rows[-1]
    line = [SUMMARY_LAST]
    for y in data.years:
        count = sum(len(data.names.get(c.county_id or 0, {}).get(y, [])) for c in counties)
        line += ["/", count, _share(count, total.communities)]
    line.append(_share(total.passed, total.communities))
    values.append(line)
    return values


def _summary_cols(years: Sequence[int]) -> list[Col]:
    cols = [Col("县（市、区）", "name", cap=20)]
    for y in years:
        cols.append(Col(f"{y} 年绿色社区名单", "text", cap=NAMES_WIDTH, floor=NAMES_WIDTH))
        cols += [Col(f"{y} 年\n完成数量", "int"), Col(f"{y} 年\n完成比例", "pct")]
    return [*cols, Col("合计\n完成比例", "pct")]


def build_summary(data: Summary, program: Program, today: dt.date) -> Workbook:
    """绿色社区建设任务完成情况汇总表: names, counts and shares of the communities done by year."""
    attach, title = _form(program, "summary")
    cols = _summary_cols(data.years)
    wb = xlsx.workbook()
    ws = xlsx.sheet(wb, "汇总表")
    values = _summary_values(data)
    n = _prepared(ws, cols, values)
    r = xlsx.title_rows(ws, n, attach, title or KIND_ZH["summary"])
    for text in SUMMARY_LINES:
        r = xlsx.label_line(ws, r, [(1, n, text.format(date=xlsx.zh_date(today)))])
    r = xlsx.tabulate(ws, r, cols, values, bold_last=True)
    if attach is not None:
        xlsx.note_row(ws, r + 1, n, SUMMARY_NOTE, size=11)
    return wb


# -- 附件4 联系人名单 ---------------------------------------------------------------------------


def build_contacts(data: Contacts, program: Program) -> Workbook:
    """The seed's contact list. One county (each county sends its own): the seed's form with its
    牵头部门 line; several (the city's copy): one table with the county and its 牵头部门 first.
    A county with no contact on record gets empty rows to fill in by hand."""
    attach, title = _form(program, "contacts")
    one = len(data.counties) <= 1
    cols = [Col(CONTACT_COLUMNS[0], "name", cap=16, floor=10)]
    cols += [Col(h, "text", cap=30, floor=12) for h in CONTACT_COLUMNS[1:]]
    if not one:
        cols = [
            Col(_unit(program), "name", cap=24),
            Col(CONTACT_LEAD[:-1], "text", floor=16),
            *cols,
        ]
    values = _contact_rows(data, len(cols), one)
    wb = xlsx.workbook()
    ws = xlsx.sheet(wb, KIND_ZH["contacts"])
    n = _prepared(ws, cols, values)
    r = xlsx.title_rows(ws, n, attach, title or KIND_ZH["contacts"])
    if one:
        county = data.counties[0][0] if data.counties else ""
        lead = f"{_unit(program)}：{county}　　{CONTACT_LEAD}" if county else CONTACT_LEAD
        r = xlsx.label_line(ws, r, [(1, n, lead)])
    xlsx.tabulate(ws, r, cols, values)
    return wb


def _contact_rows(data: Contacts, n: int, one: bool) -> list[list[Any]]:
    out: list[list[Any]] = []
    for county, people in data.counties or [("", [])]:
        mine = [list(p) for p in people] or [[""] * 5] * (BLANK_ROWS if one else 1)
        out += mine if one else [[county, "", *p] for p in mine]
    return out or [[""] * n]


# -- the API the bot and the CLI use ------------------------------------------------------------


def write(
    data: Payload,
    program: Program,
    out: IO[bytes],
    *,
    zone: ZoneInfo,
    now: dt.datetime,
    lang: str = "zh",
) -> None:
    """Write the payload's file to `out`: dates in `zone`, 填报日期 from `now` (the caller's
    clock), GreenCheck's own lists labelled in `lang` (the seeds' forms stay Chinese). The
    answers are streamed (bounded memory)."""
    today = now.astimezone(zone).date()
    if isinstance(data, Answers):
        write_answers(out, data, program, tz=zone, now=now)
    elif isinstance(data, RecognisedList):
        write_recognised(out, data, program, zone, today, lang)
    elif isinstance(data, ActionList):
        write_actions(out, data.rows, program, data.standard, zone, today, lang)
    else:
        _table(data, program, today).save(out)


def _table(data: Payload, program: Program, today: dt.date) -> Workbook:
    if isinstance(data, Plan):
        return build_plan(data, program)
    if isinstance(data, Summary):
        return build_summary(data, program, today)
    if isinstance(data, Contacts):
        return build_contacts(data, program)
    assert isinstance(data, Progress)
    return build_progress(data, program, today)


def filename(kind: str, program: Program, year: int | None) -> str:
    """The file's name: the region, the table's title and the year (when one was asked)."""
    title = _form(program, kind)[1] or KIND_ZH.get(kind, kind)
    region = "" if title.startswith(program.region) else program.region
    return f"{region}{title}" + (f"-{year}" if year else "") + ".xlsx"
