"""The application form (绿色社区申报表) as DOCX, each program with its own seed form.

- seed 000 附件2 (a program whose `forms` has an `application` form: Heyuan), with its 说明;
- seed 004 附件3 (qinhuangdao-etdz-2021): both review rows (县（区） and 市), an address cell
  that fits; the whole form on one page (long 工作情况 continues on a 附页);
- any other program: the national-style generic form, without a borrowed 附件 number or 说明.

The boxes hold what the community wrote (bot/services/form_fields.py, asked in chat with /form);
the summary GreenCheck generates from the check goes on a separate page titled 自查情况.
Every run is in one CJK family (bold included) and the document's language is zh-CN.
"""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from bot.domain.access import SYSTEM, Principal
from bot.domain.programs import Program
from bot.domain.text import clean
from bot.services import form_fields
from bot.services.checks import Checks
from bot.services.reports import DEFAULT_TZ, CommunityDetail, community_detail, local_time
from bot.texts import t

FONT = "仿宋_GB2312"  # the 说明's own font (三、本表使用仿宋_GB2312小四号字填报)
SIZE = 12  # 小四
LANG = "zh-CN"
QINHUANGDAO = "qinhuangdao-etdz-2021"
SELF_CHECK_TITLE = "自查情况（GreenCheck 根据自查记录生成，供参考，不属申报表内容）"
WORK_ON_PAGE = 300  # characters of 工作情况 that fit the Qinhuangdao box; the rest on a 附页
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
STAMP = "（盖　章）\n年　　月　　日"


def zh_day(iso: str | None, tz: ZoneInfo) -> str:
    """A stored time as 2026年11月28日 (no zero padding); '' when unset."""
    text = local_time(iso, "%Y-%m-%d", tz)
    if not text:
        return ""
    y, m, d = (int(x) for x in text.split("-"))
    return f"{y}年{m}月{d}日"


def auto_summary(d: CommunityDetail, ids_per_reason: int = 6, tz: ZoneInfo = DEFAULT_TZ) -> str:
    """The 自查情况 page's text: standard, items, answers, gaps, score, submission (facts only)."""
    r, std = d.result, d.standard
    if std is None or r is None or not r.answered:
        return f"{d.community}尚未开展自查。"
    counts = {s: 0 for s in ("met", "partial", "not_met", "na")}
    for o in r.outcomes:
        if o.status:
            counts[o.status] += 1
    parts = [
        f"对照《{std.title}》（共 {len(std.items)} 项、{r.total} 个自查问题）开展自查，"
        f"已答 {r.answered} 个：符合 {counts['met']}、部分符合 {counts['partial']}、"
        f"不符合 {counts['not_met']}、不适用 {counts['na']}；缺项 {len(r.gaps)} 个。"
    ]
    if r.score is not None and r.max_score:
        parts.append(
            f"自评得分 {r.score:g} 分（满分 {r.max_score:g} 分，{r.pass_score:g} 分达标）。"
        )
    if d.state == "submitted":
        verdict = "达标" if r.passed else "未达标"
        parts.append(f"自查已于{zh_day(d.submitted_at, tz)}提交，结论：{verdict}。")
    else:
        parts.append("自查尚未提交。")
    parts.append(f"佐证材料 {d.evidence_total} 份。")
    if r.gaps:
        by_reason: dict[str, list[str]] = {}
        for g in r.gaps:
            by_reason.setdefault(g.reason, []).append(g.id)
        groups = []
        for reason, ids in by_reason.items():
            shown = "、".join(ids[:ids_per_reason]) + ("等" if len(ids) > ids_per_reason else "")
            groups.append(f"{t('zh', f'rp_gap_{reason}')} {len(ids)} 个（{shown}）")
        parts.append("待完善：" + "；".join(groups) + "。")
    return "".join(parts)


def _form_of(program: Program) -> tuple[str | None, str | None]:
    for f in program.forms:
        if f.kind == "application":
            return f.id, f.title
    return None, None


def form(
    checks: Checks,
    community_id: int,
    out: Path | None = None,
    principal: Principal = SYSTEM,
    tz: ZoneInfo = DEFAULT_TZ,
    year: int | None = None,
) -> bytes:
    """The community's 绿色社区申报表 as DOCX bytes (also written to `out` when given).

    `year`: whose free-text fields to print (the form-filling year; the latest program year
    when None); dates in `tz`.
    """
    db, program = checks.db, checks.program
    d = community_detail(checks, community_id, principal)
    year = year or _default_year(program)
    filled = dict(form_fields.read(db, community_id, year))
    if "contact" not in filled:
        filled["contact"] = form_fields.submitter(db, community_id, program.standard) or ""
    if program.id == QINHUANGDAO:
        data = _form_qinhuangdao(d, program, filled, tz)
    else:
        data = _form_generic(d, program, filled, tz)
    if out is not None:
        out.write_bytes(data)
    return data


def _default_year(program: Program) -> int:
    years = [tg.year for tg in program.targets]
    return max(years) if years else program.date.year


def form_filename(d_name: str) -> str:
    return f"绿色社区申报表-{d_name}.docx"


# python-docx is imported lazily: the bot only needs it when a form is asked for.


def _fonts(rpr: Any, size: float | None = None, bold: bool | None = None) -> None:
    """One family for every script of a run's properties, and the zh-CN language."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    fonts = rpr.get_or_add_rFonts()
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attr), FONT)
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr.append(lang)
    lang.set(qn("w:val"), LANG)
    lang.set(qn("w:eastAsia"), LANG)


def _doc() -> Any:
    from docx import Document
    from docx.enum.section import WD_ORIENT
    from docx.shared import Cm, Pt

    doc = Document()
    sec = doc.sections[0]
    sec.orientation = WD_ORIENT.PORTRAIT
    sec.page_width, sec.page_height = Cm(21), Cm(29.7)
    sec.left_margin = sec.right_margin = Cm(2.5)
    sec.top_margin, sec.bottom_margin = Cm(2.0), Cm(1.8)
    for name in ("Normal", "Table Grid"):
        style = doc.styles[name]
        style.font.name = FONT
        style.font.size = Pt(SIZE)
        _fonts(style.element.get_or_add_rPr())
    doc.core_properties.language = LANG
    return doc


def _run(par: Any, text: str, size: float | None = None, bold: bool = False) -> Any:
    from docx.shared import Pt

    run = par.add_run(clean(text))  # every text of the form passes here (bot.domain.text)
    run.font.size = Pt(size or SIZE)
    run.bold = bold
    run.font.name = FONT
    _fonts(run._element.get_or_add_rPr())
    return run


def _heading(doc: Any, attach: str | None, title: str) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    if attach:
        _run(doc.add_paragraph(), attach, 16, bold=True)
    p = doc.add_paragraph()
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _run(p, title, 20, bold=True)


def _cell(cell: Any, text: str = "", align: str = "center", size: float | None = None) -> None:
    from docx.enum.table import WD_ALIGN_VERTICAL
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    cell.vertical_alignment = WD_ALIGN_VERTICAL.CENTER
    par = cell.paragraphs[0]
    for k, line in enumerate(text.split("\n")):
        if k:
            par = cell.add_paragraph()
        par.alignment = {"center": WD_ALIGN_PARAGRAPH.CENTER, "left": WD_ALIGN_PARAGRAPH.LEFT}[
            align
        ]
        _run(par, line, size)


def _block(cell: Any, head: str, body: str, stamp: str, min_lines: int = 0) -> None:
    """A tall cell: a heading line, the body (left-aligned), blank space, a stamp on the right."""
    from docx.enum.table import WD_ALIGN_VERTICAL
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    cell.vertical_alignment = WD_ALIGN_VERTICAL.TOP
    par = cell.paragraphs[0]
    if head:
        _run(par, head, bold=True)
    for k, line in enumerate(body.split("\n") if body else []):
        p = par if not head and k == 0 else cell.add_paragraph()
        p.paragraph_format.first_line_indent = Pt(24)
        _run(p, line)
    for _ in range(min_lines):
        cell.add_paragraph()
    for line in stamp.split("\n") if stamp else []:
        p = cell.add_paragraph()
        p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        _run(p, line)


def _widths_cm(table: Any, widths: Sequence[float]) -> None:
    from docx.shared import Cm

    table.autofit = False
    for k, w in enumerate(widths):  # the grid (what LibreOffice and WPS lay out by) …
        table.columns[k].width = Cm(w)
    for row in table.rows:  # … and each cell (what Word reads)
        for k, w in enumerate(widths):
            row.cells[k].width = Cm(w)


def _height(row: Any, cm: float, exact: bool = False) -> None:
    from docx.enum.table import WD_ROW_HEIGHT_RULE
    from docx.shared import Cm

    row.height = Cm(cm)
    row.height_rule = WD_ROW_HEIGHT_RULE.EXACTLY if exact else WD_ROW_HEIGHT_RULE.AT_LEAST


def _page_break(doc: Any) -> None:
    from docx.enum.text import WD_BREAK

    doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)


def _centered(doc: Any, text: str, size: float = 16) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    head = doc.add_paragraph()
    head.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _run(head, text, size, bold=True)


def _paragraphs(doc: Any, lines: Sequence[str], size: float = SIZE) -> None:
    for line in lines:
        par = doc.add_paragraph()
        par.paragraph_format.first_line_indent = _pt(size * 2)
        par.paragraph_format.line_spacing = 1.5
        _run(par, line, size)


def _self_check_page(doc: Any, d: CommunityDetail, tz: ZoneInfo) -> None:
    """The generated summary, on its own page, clearly titled as not part of the form."""
    _page_break(doc)
    _centered(doc, SELF_CHECK_TITLE, 14)
    _paragraphs(doc, [f"社区：{d.county}{d.street or ''}{d.community}", auto_summary(d, tz=tz)])


def _pt(v: float) -> Any:
    from docx.shared import Pt

    return Pt(v)


def _doc_bytes(doc: Any) -> bytes:
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


def _levels(program: Program) -> tuple[str, str, str]:
    """The review levels: Heyuan's seed prints 地级市; the generic form the program's own."""
    if _form_of(program)[0]:
        return ("街　道", "县（市、区）", "地级市")
    return ("街　道", "县（市、区）", "市（州）")


def _form_generic(
    d: CommunityDetail, program: Program, f: Mapping[str, str], tz: ZoneInfo
) -> bytes:
    """Seed 000 附件2 (with its 说明) when the program has it; else the same form, unnumbered."""
    attach, title = _form_of(program)
    doc = _doc()
    _heading(doc, attach, title or "绿色社区申报表")
    tb = doc.add_table(rows=8, cols=5)
    tb.style = "Table Grid"
    _widths_cm(tb, (2.6, 2.2, 4.2, 2.6, 4.4))
    rows = tb.rows
    _cell(rows[0].cells[0], "社区名称")
    _cell(rows[0].cells[1].merge(rows[0].cells[4]), d.community, "left")
    _cell(rows[1].cells[0], "社区地址")
    _cell(rows[1].cells[1].merge(rows[1].cells[4]), f.get("address") or d.address or "", "left")
    _cell(rows[2].cells[0], "社区负责人")
    _cell(rows[2].cells[1], "姓　名")
    _cell(rows[2].cells[2], f.get("leader", ""))
    _cell(rows[2].cells[3], "联系电话")
    _cell(rows[2].cells[4], f.get("leader_phone", ""))
    _cell(rows[3].cells[0], "社区面积")
    _cell(rows[3].cells[1].merge(rows[3].cells[2]), f.get("area", ""))
    _cell(rows[3].cells[3], "社区人口")
    _cell(rows[3].cells[4], f.get("population", ""))
    for k in range(4):
        _height(rows[k], 1.2)
    intro = rows[4].cells[0].merge(rows[4].cells[4])
    head = "社区基本情况及申报创建特色简介"
    _block(intro, head, f.get("work", ""), "（创建单位盖章）\n年　　月　　日", 2)
    _height(rows[4], 8.0)
    _cell(rows[5].cells[0].merge(rows[7].cells[0]), "各级审核意见")
    for k, level in enumerate(_levels(program)):
        row = rows[5 + k]
        _cell(row.cells[1], level)
        _block(row.cells[2].merge(row.cells[4]), "", "", STAMP, 1)
        _height(row, 2.6)
    if attach:
        _page_break(doc)
        _centered(doc, "说　明")
        _paragraphs(doc, FORM_NOTES, 14)
    _self_check_page(doc, d, tz)
    return _doc_bytes(doc)


def _qhd_people(rows: Any, f: Mapping[str, str]) -> None:
    """街道负责人 · 社区负责人 · 创建联系人, each with 职务 and 电话."""
    people = (
        ("街道负责人", "street_leader", "street_leader_title", "street_leader_phone"),
        ("社区负责人", "leader", "", "leader_phone"),
        ("创建联系人", "contact", "contact_title", "contact_phone"),
    )
    for k, (label, name, title, phone) in enumerate(people):
        row = rows[4 + k]
        _cell(row.cells[0], label)
        _cell(row.cells[1], f.get(name, ""))
        _cell(row.cells[2], "职务")
        _cell(row.cells[3], f.get(title, "") if title else "")
        _cell(row.cells[4], "电话")
        _cell(row.cells[5], f.get(phone, ""), size=10.5)


def _qhd_reviews(rows: Any, first: int) -> None:
    """The 县（区） row and the 市 row of reviews: heading cells, then stamp boxes."""
    levels = (
        (
            "县（区）创建机构推荐意见",
            "县（区）生态环境局意见（盖章）",
            "县（区）住建局意见（盖章）",
        ),
        ("市创建机构审核意见", "市生态环境局意见（盖章）", "市住建局意见（盖章）"),
    )
    for n, heads in enumerate(levels):
        top, bottom = rows[first + 2 * n], rows[first + 2 * n + 1]
        for k, head in enumerate(heads):
            _cell(top.cells[2 * k].merge(top.cells[2 * k + 1]), head, size=11)
            _block(bottom.cells[2 * k].merge(bottom.cells[2 * k + 1]), "", "", "年　月　日", 1)
        _height(top, 1.1)
        _height(bottom, 1.9, exact=True)


def _form_qinhuangdao(
    d: CommunityDetail, program: Program, f: Mapping[str, str], tz: ZoneInfo
) -> bytes:
    """Seed 004 附件3: 秦皇岛经济技术开发区绿色社区申报表, on one page."""
    attach, title = _form_of(program)
    doc = _doc()
    _heading(doc, attach or "附件3", title or "秦皇岛经济技术开发区绿色社区申报表")
    tb = doc.add_table(rows=13, cols=6)
    tb.style = "Table Grid"
    _widths_cm(tb, (2.8, 4.2, 1.9, 2.5, 1.6, 2.8))
    r = tb.rows
    _cell(r[0].cells[0], "社区名称")
    _cell(r[0].cells[1].merge(r[0].cells[2]), d.community, "left")
    _cell(r[0].cells[3], "联系电话")
    _cell(r[0].cells[4].merge(r[0].cells[5]), f.get("leader_phone", ""), size=10.5)
    _cell(r[1].cells[0], "社区地址")
    _cell(r[1].cells[1], f.get("address") or d.address or "", "left", size=10.5)
    _cell(r[1].cells[2], "县（区）")
    _cell(r[1].cells[3], d.county, size=10.5)
    _cell(r[1].cells[4], "街道")
    _cell(r[1].cells[5], d.street or "", size=10.5)
    labels = ("社区人口", "社区户数（户）", "常住户数", "占地面积", "建筑面积", "绿化面积（m²）")
    keys = ("population", "households", "resident_households", "area", "building_area")
    for k, text in enumerate(labels):
        _cell(r[2].cells[k], text, size=10.5)
        _cell(r[3].cells[k], f.get((*keys, "green_area")[k], ""), size=10.5)
    _qhd_people(r, f)
    for k in range(7):
        _height(r[k], 1.0)
    _block(
        r[7].cells[0].merge(r[7].cells[5]),
        "社区公共服务机构（设施）配置情况（数量）",
        f.get("facilities", ""),
        "",
        1,
    )
    _height(r[7], 1.9, exact=True)
    work = f.get("work", "")
    shown = work if len(work) <= WORK_ON_PAGE else work[:WORK_ON_PAGE] + "……（续见附页）"
    _block(r[8].cells[0].merge(r[8].cells[5]), "创建绿色社区工作情况：（材料可附页）", shown, "", 1)
    _height(r[8], 4.8, exact=True)
    _qhd_reviews(r, 9)
    if len(work) > WORK_ON_PAGE:
        _page_break(doc)
        _centered(doc, "附页：创建绿色社区工作情况")
        _paragraphs(doc, work.split("\n"))
    _self_check_page(doc, d, tz)
    return _doc_bytes(doc)
