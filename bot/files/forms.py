"""The application form (绿色社区申报表) as DOCX, for a program whose seed prints one, exactly as
its seed does; a pure function of the FormData bot/services/exports.py gathers.

- seed 000 附件2 (Heyuan): page 1 the community's boxes and the 简介 box with the 创建单位
  stamp at its foot; page 2 各级审核意见 (街道, 县（市、区）, 地级市); page 3 the 说明. The
  说明 allows a smaller size for a long box ("填报内容较多的栏目，可视情调整字号或另行附页"): the
  简介 shrinks from 小四 down to 10 pt to stay on page 1, and continues on a 附页 past that.
- seed 004 附件3 (Qinhuangdao ETDZ): one page, the 县（区） box holding the 开发区 and the 街道
  box the 乡街; its two long boxes share what page 1 has room for, the rest continues on a 附页
  ("材料可附页"); short values shrink to stay on one line before they wrap.

A program whose seed has no application form has none here (bot/files/selfcheck.py writes
GreenCheck's own summary instead). Rows never split across pages; a box's text is never cut:
what does not fit continues on a 附页 that says which box it continues.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from bot.domain.programs import Program
from bot.files import docx_layout as dx
from bot.services.exports import FormData

QINHUANGDAO = "qinhuangdao-etdz-2021"
HEYUAN_FIELDS = ("address", "leader", "leader_phone", "area", "population", "work")
QINHUANGDAO_FIELDS = (
    "leader_phone", "address", "population", "households", "resident_households", "area",
    "building_area", "green_area", "street_leader", "street_leader_title",
    "street_leader_phone", "leader", "leader_title", "contact", "contact_title",
    "contact_phone", "facilities", "work",
)  # fmt: skip
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
MORE = "（续见附页）"
SIZES = (12.0, 11.0, 10.5, 10.0)  # 小四 first; smaller only for a long box (the 说明 allows it)
SAFETY_CM = 1.2  # room kept free at a page's foot: a line more than estimated never spills


def form_of(program: Program) -> tuple[str | None, str | None]:
    """(附件 id, title) of the program's application form; (None, None): its seed has none."""
    for f in program.forms:
        if f.kind == "application":
            return f.id, f.title
    return None, None


def fields_of(program: Program) -> tuple[str, ...]:
    """The free-text fields the program's form prints (none: it has no form)."""
    if form_of(program)[0] is None:
        return ()
    return QINHUANGDAO_FIELDS if program.id == QINHUANGDAO else HEYUAN_FIELDS


def form_filename(name: str, program: Program) -> str:
    return f"{form_of(program)[1] or '绿色社区申报表'}-{name}.docx"


def application_form(data: FormData, program: Program) -> bytes:
    """The community's 申报表 as DOCX bytes (ValueError: the program's seed has no such form)."""
    attach, title = form_of(program)
    if attach is None or title is None:
        raise ValueError(f"{program.id}: no application form in its seed")
    if program.id == QINHUANGDAO:
        return _qinhuangdao(data, program, attach, title)
    return _heyuan(data, attach, title)


# -- a long box and its 附页 -----------------------------------------------------------------


class Box:
    """A long text in a box `width` cm wide: the part shown in it, the rest for the 附页."""

    def __init__(self, label: str, text: str, width: float) -> None:
        self.label, self.text, self.width = label, text, width
        self.size, self.shown, self.rest = dx.SIZE, text, ""

    def lines(self, size: float) -> int:
        return dx.lines_in(self.shown, self.width, size) if self.shown else 0

    def need_cm(self, size: float) -> float:
        return dx.cm_of(self.lines(size) * dx.line_pt(size))

    def fit(self, room_cm: float, sizes: Sequence[float] = SIZES) -> None:
        """Shrink the text to fit `room_cm` (down to the last size), else continue on a 附页."""
        for size in sizes:
            if self.need_cm(size) <= room_cm:
                self.size = size
                return
        self.size = sizes[-1]
        keep = max(1, int(room_cm / dx.cm_of(dx.line_pt(self.size))) - 1)
        n = dx.cut(self.text, self.width, self.size, keep)
        self.shown, self.rest = self.text[:n] + MORE, self.text[n:]


def _annex(doc: Any, community: str, boxes: Sequence[Box]) -> None:
    """The 附页 (on a new page): each box's continuation under the box's own name."""
    spill = [b for b in boxes if b.rest]
    if not spill:
        return
    head = dx.paragraph(doc.add_paragraph(), f"附页（{community}）", 16, bold=True, align="center")
    head.paragraph_format.page_break_before = True
    for b in spill:
        dx.paragraph(
            doc.add_paragraph(), f"{b.label}（续）", bold=True
        ).paragraph_format.space_before = dx.pt(6)
        dx.lines(doc, b.rest, indent=True)


def _tail(doc: Any, new_page: bool = False) -> None:
    """Word needs a paragraph after a table: a 1 pt one (so a full page never gains a blank one),
    ending the page when the form goes on on the next."""
    par = dx.paragraph(doc.add_paragraph(), "", 1)
    if new_page:
        from docx.enum.text import WD_BREAK

        par.runs[0].add_break(WD_BREAK.PAGE)


def _value(c: Any, text: str, width: float, align: str = "center", size: float = dx.SIZE) -> float:
    """A short value: one line at the largest size that fits it (down to 9 pt), else wrapped
    at 9 pt: never a value broken over two lines while a smaller size fits. Return the height
    (cm) its lines need."""
    sizes = [s for s in (size, 10.5, 9.0) if s <= size]
    chosen = next((s for s in sizes if dx.lines_in(text, width, s) == 1), sizes[-1])
    shown = dx.balance(text, width, chosen)
    dx.cell(c, shown, chosen, align)
    return dx.cm_of(dx.lines_in(shown, width, chosen) * dx.line_pt(chosen)) + PAD_CM


def _address(c: Any, box: Box, size: float) -> float:
    """The address: wrapped in its box up to ADDRESS_LINES lines, the rest on the 附页."""
    box.fit(dx.cm_of(ADDRESS_LINES * dx.line_pt(9.0)), (size, 10.5, 9.0))
    dx.cell(c, box.shown, box.size, "left")
    return box.need_cm(box.size) + PAD_CM


def _rows(rows: Any, heights: Sequence[float], minimum: float) -> float:
    """Each row at least `minimum` or its tallest value; the rows' height (cm)."""
    total = 0.0
    for row, cm in zip(rows, heights, strict=True):
        dx.height(row, max(minimum, cm))
        total += max(minimum, cm)
    return total


PAD_CM = 0.25  # a value's row: a little air above and below its lines
ADDRESS_LINES = 4


# -- seed 000 附件2 (Heyuan) -------------------------------------------------------------------

H_MARGINS = (2.0, 2.5, 1.8, 2.5)  # top, right, bottom, left (cm)
H_WIDTHS = (2.6, 2.2, 4.2, 2.6, 4.4)
H_ROW = 1.2
H_STAMP_CM = 1.9


def _heyuan(data: FormData, attach: str, title: str) -> bytes:
    f = data.fields
    doc = dx.document(H_MARGINS)
    used = dx.heading(doc, attach, title)
    tb = dx.grid(doc, 6, H_WIDTHS)
    address = Box("社区地址", f.get("address") or data.address or "", sum(H_WIDTHS[1:]))
    used += _heyuan_boxes(tb.rows, data, f, address)
    room = dx.PAGE_H - H_MARGINS[0] - H_MARGINS[2] - used - H_STAMP_CM - SAFETY_CM
    intro = Box("社区基本情况及申报创建特色简介", f.get("work", ""), sum(H_WIDTHS))
    intro.fit(room - dx.cm_of(dx.line_pt(dx.SIZE)))
    _intro(tb.rows[4], tb.rows[5], intro, room)
    _tail(doc, new_page=True)
    _heyuan_reviews(doc)
    _annex(doc, data.community, [address, intro])
    notes = dx.paragraph(doc.add_paragraph(), "说　明", 16, bold=True, align="center")
    notes.paragraph_format.page_break_before = True
    for note in FORM_NOTES:
        dx.paragraph(doc.add_paragraph(), note, 14, indent=True)
    return dx.save(doc)


def _heyuan_boxes(rows: Any, data: FormData, f: Mapping[str, str], address: Box) -> float:
    """社区名称, 社区地址, 社区负责人 (姓名, 负责人联系电话), 社区面积 and 社区人口; their height."""
    w, wide = H_WIDTHS, sum(H_WIDTHS[1:])
    for row, label in zip(rows, ("社区名称", "社区地址", "社区负责人", "社区面积"), strict=False):
        dx.cell(row.cells[0], label)
    name = _value(rows[0].cells[1].merge(rows[0].cells[4]), data.community, wide, "left")
    where = _address(rows[1].cells[1].merge(rows[1].cells[4]), address, dx.SIZE)
    dx.cell(rows[2].cells[1], "姓　名")
    dx.cell(rows[2].cells[3], "负责人\n联系电话")
    people = max(_value(rows[2].cells[2], f.get("leader", ""), w[2]),
                 _value(rows[2].cells[4], f.get("leader_phone", ""), w[4]))  # fmt: skip
    dx.cell(rows[3].cells[3], "社区人口")
    size = max(_value(rows[3].cells[1].merge(rows[3].cells[2]), f.get("area", ""), w[1] + w[2]),
               _value(rows[3].cells[4], f.get("population", ""), w[4]))  # fmt: skip
    return _rows(rows[:4], (name, where, people, size), H_ROW)


def _intro(row: Any, stamp_row: Any, box: Box, room: float) -> None:
    """The 简介 box over two rows: heading and text on top, the stamp at its foot, one border."""
    top = row.cells[0].merge(row.cells[4])
    dx.cell(top, box.label, bold=True, align="left", valign="top")
    dx.lines(top, box.shown, box.size, indent=True)
    dx.height(row, room)
    foot = stamp_row.cells[0].merge(stamp_row.cells[4])
    dx.cell(foot, "（创建单位盖章）\n年　　月　　日　", align="right", valign="bottom")
    dx.height(stamp_row, H_STAMP_CM)
    dx.no_border(top, "bottom")
    dx.no_border(foot, "top")


def _heyuan_reviews(doc: Any) -> None:
    """Page 2: 各级审核意见, one tall box per level with its stamp at the foot."""
    widths = (2.6, 3.0, 10.4)
    tb = dx.grid(doc, 3, widths)
    tall = (dx.PAGE_H - H_MARGINS[0] - H_MARGINS[2] - SAFETY_CM) / 3
    dx.cell(tb.rows[0].cells[0].merge(tb.rows[2].cells[0]), "各级\n审核\n意见")
    for row, level in zip(tb.rows, ("街　道", "县（市、区）", "地级市"), strict=True):
        dx.cell(row.cells[1], level)
        dx.cell(row.cells[2], STAMP + "　", align="right", valign="bottom")
        dx.height(row, tall)
    _tail(doc)


# -- seed 004 附件3 (Qinhuangdao ETDZ) ---------------------------------------------------------

Q_MARGINS = (1.8, 2.0, 1.6, 2.0)
Q_WIDTHS = (2.5, 3.8, 2.0, 3.6, 2.0, 3.1)
Q_SIZE = 10.5  # 五号: six columns of labels and figures on one line each
Q_ROW = 1.0
Q_STAMP = (1.1, 2.0)  # the review heads' row, the stamp boxes' row (cm)
Q_MIN_BOX = 1  # lines a long box keeps on page 1 however full the page is
Q_FIGURES = (
    ("社区人口", "population"),
    ("社区户数（户）", "households"),
    ("常住户数", "resident_households"),
    ("占地面积", "area"),
    ("建筑面积", "building_area"),
    ("绿化面积\n（m²）", "green_area"),
)
Q_PEOPLE = (
    ("街道负责人", "street_leader", "street_leader_title", "street_leader_phone"),
    ("社区负责人", "leader", "leader_title", "leader_phone"),
    ("创建联系人", "contact", "contact_title", "contact_phone"),
)


def _qinhuangdao(data: FormData, program: Program, attach: str, title: str) -> bytes:
    f = data.fields
    doc = dx.document(Q_MARGINS)
    used = dx.heading(doc, attach, title, 18)
    tb = dx.grid(doc, 13, Q_WIDTHS)
    rows = tb.rows
    address = Box("社区地址", f.get("address") or data.address or "", Q_WIDTHS[1])
    used += _q_place(rows, data, program, address)
    used += _q_people(rows, f)
    used += _q_reviews(rows, 9)
    page = dx.PAGE_H - Q_MARGINS[0] - Q_MARGINS[2] - SAFETY_CM
    boxes = _q_boxes(rows, f, page - used)
    _tail(doc)
    _annex(doc, data.community, [address, *boxes])
    return dx.save(doc)


def _q_place(rows: Any, data: FormData, program: Program, address: Box) -> float:
    """社区名称 · 联系电话; 社区地址 · 县（区） · 街道; the six figures. Their height (cm).

    Seed 004 L59, L67: the 乡街 is the street level of the 开发区 ("以乡街为单位…上报",
    "各乡街是绿色社区创建工作的责任主体"): the 县（区） box holds the 开发区, the 街道 box the
    乡街 (the roster's county column when the program's unit is the 乡街 and no street is set).
    """
    w, f = Q_WIDTHS, data.fields
    for k, label in ((0, "社区名称"), (3, "联系电话")):
        dx.cell(rows[0].cells[k], label, Q_SIZE)
    name = _value(rows[0].cells[1].merge(rows[0].cells[2]), data.community, w[1] + w[2], "left",
                  Q_SIZE)  # fmt: skip
    phone = _value(rows[0].cells[4].merge(rows[0].cells[5]), f.get("leader_phone", ""),
                   w[4] + w[5], size=Q_SIZE)  # fmt: skip
    cells = rows[1].cells
    for k, label in enumerate(("社区地址", "县（区）", "街道")):
        dx.cell(cells[2 * k], label, Q_SIZE)
    where = [_address(cells[1], address, Q_SIZE)]
    where.append(_value(cells[3], data.county if data.street else program.region, w[3],
                        size=Q_SIZE))  # fmt: skip
    where.append(_value(cells[5], data.street or data.county, w[5], size=Q_SIZE))
    figures = []
    for k, (label, key) in enumerate(Q_FIGURES):
        dx.cell(rows[2].cells[k], label, Q_SIZE)
        figures.append(_value(rows[3].cells[k], f.get(key, ""), w[k], size=Q_SIZE))
    return _rows(rows[:4], (max(name, phone), max(where), 0.0, max(figures)), Q_ROW)


def _q_people(rows: Any, f: Mapping[str, str]) -> float:
    """街道负责人 · 社区负责人 · 创建联系人, each with 职务 and 电话; their height (cm)."""
    heights = []
    for k, (label, *keys) in enumerate(Q_PEOPLE):
        cells = rows[4 + k].cells
        need = 0.0
        for j, (head, key) in enumerate(zip((label, "职务", "电话"), keys, strict=True)):
            dx.cell(cells[2 * j], head, Q_SIZE)
            need = max(need, _value(cells[2 * j + 1], f.get(key, ""), Q_WIDTHS[2 * j + 1],
                                    size=Q_SIZE))  # fmt: skip
        heights.append(need)
    return _rows(rows[4:7], heights, Q_ROW)


def _q_boxes(rows: Any, f: Mapping[str, str], room: float) -> list[Box]:
    """The two long boxes share the room page 1 has left: the facilities list what it needs up
    to a third of it, the work text the rest; what does not fit continues on the 附页."""
    width, sizes = sum(Q_WIDTHS), (Q_SIZE, 10.0, 9.0)
    head = dx.cm_of(dx.line_pt(Q_SIZE)) + 0.2
    least = dx.cm_of(2 * Q_MIN_BOX * dx.line_pt(Q_SIZE))  # its line and the 续见附页 line
    room = max(room - 2 * head, 2 * least)
    facilities = Box("社区公共服务机构（设施）配置情况（数量）", f.get("facilities", ""), width)
    work = Box("创建绿色社区工作情况", f.get("work", ""), width)
    facilities.fit(max(least, min(facilities.need_cm(Q_SIZE), room / 3, room - least)), sizes)
    work.fit(room - facilities.need_cm(facilities.size), sizes)
    heads = ("社区公共服务机构（设施）配置情况（数量）", "创建绿色社区工作情况：（材料可附页）")
    first = head + max(dx.cm_of(dx.line_pt(Q_SIZE)), facilities.need_cm(facilities.size))
    for row, box, label, cm in zip((rows[7], rows[8]), (facilities, work), heads,
                                   (first, room + 2 * head - first), strict=True):  # fmt: skip
        c = row.cells[0].merge(row.cells[5])
        dx.cell(c, label, Q_SIZE, "left", "top", bold=True)
        dx.lines(c, box.shown, box.size, indent=True)
        dx.height(row, cm)
    return [facilities, work]


def _q_reviews(rows: Any, first: int) -> float:
    """The 县（区） row and the 市 row of reviews: heading cells, then stamp boxes; their height."""
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
            width = Q_WIDTHS[2 * k] + Q_WIDTHS[2 * k + 1]
            if dx.lines_in(head, width, Q_SIZE) > 1:  # break before the stamp, never inside it
                head = head.replace("（盖章）", "\n（盖章）")
            dx.cell(top.cells[2 * k].merge(top.cells[2 * k + 1]), head, Q_SIZE)
            box = bottom.cells[2 * k].merge(bottom.cells[2 * k + 1])
            dx.cell(box, "年　月　日　", Q_SIZE, "right", "bottom")
        dx.height(top, Q_STAMP[0])
        dx.height(bottom, Q_STAMP[1])
    return 2 * sum(Q_STAMP)
