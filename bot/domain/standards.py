"""Standards as data: pydantic models for `standards/*.yaml` and their loader.

A standard is a tree: areas (内容) hold numbered items; an item may hold numbered sub-items
(Guangdong's 1.1 … 17.2). Points standards also carry per-item deduction rules, an optional
bonus row and veto conditions (否决项). An item may split its points into 计N分 `parts`; each
rule names the part it deducts from and is capped there (`Item.deducted`), and
`Item.point_values` lists every score the rules can produce. `na_allowed` (with `na_basis`, the
seed's sentence or our reading) says where 不适用 may be answered; `reading` carries a reading a
worker must know (an OCR correction). Every file is validated once at start-up; a bad file
raises `StandardError` naming the file, the field path and the problem.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping
from functools import cached_property
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, model_validator

from bot.texts.vocabulary import ASSESSMENT_METHODS


def _known_method(name: str) -> str:
    if name not in ASSESSMENT_METHODS:
        raise ValueError(
            f"unknown assessment method {name!r}; expected one of {', '.join(ASSESSMENT_METHODS)}"
        )
    return name


Method = Annotated[str, AfterValidator(_known_method)]
Mode = Literal["checklist", "points"]


class StandardError(ValueError):
    """A standard or program file failed to load; the message names file and field."""


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


def _at(path: str, problem: str) -> ValueError:
    """Return an error that names its field path (model validators have no location)."""
    return ValueError(f"@{path}: {problem}")


RULE_KINDS = {"fixed", "per_occurrence", "range", "percent_step", "all_or_nothing"}


# -- deduction rules ---------------------------------------------------------------------------
# Each kind maps to a fixed set of choices a worker can tap. `text` keeps the seed's sentence.


class _Rule(_Model):
    key: Annotated[str, Field(pattern=r"^[a-z]$")]
    text: str = Field(min_length=1)
    # The 计N分 part of the item this rule deducts from (1-based index into `Item.parts`);
    # None: the rule deducts from the item as a whole. Deductions are capped at their part.
    part: int | None = Field(default=None, ge=1)
    reading: str | None = None  # how we read the seed's sentence, where it is not plain


class FixedRule(_Rule):
    """A fixed deduction: "缺文件扣3分"."""

    kind: Literal["fixed"]
    points: float = Field(gt=0)

    def choices(self, item_points: float) -> list[float]:
        return [self.points]


class PerOccurrenceRule(_Rule):
    """Per-occurrence with a cap: "每发现1处扣1分，最高扣2分" (cap defaults to the item's points)."""

    kind: Literal["per_occurrence"]
    per: float = Field(gt=0)
    cap: float | None = Field(default=None, gt=0)

    def choices(self, item_points: float) -> list[float]:
        cap = self.cap if self.cap is not None else item_points
        n = round(cap / self.per)
        return [round(self.per * k, 2) for k in range(1, n + 1)]


class RangeRule(_Rule):
    """A graded range: "扣1-3分" or "酌情扣分" (min 0.5/1 … max); one choice per step."""

    kind: Literal["range"]
    min: float = Field(gt=0)
    max: float = Field(gt=0)
    step: float = Field(default=1, gt=0)

    @model_validator(mode="after")
    def _ordered(self) -> RangeRule:
        if self.max < self.min:
            raise ValueError("max must not be below min")
        return self

    def choices(self, item_points: float) -> list[float]:
        n = round((self.max - self.min) / self.step)
        return [round(self.min + self.step * k, 2) for k in range(n + 1)]


class PercentStepRule(_Rule):
    """Percentage steps: "每降低10%扣1分，低于60%此项不得分" or "每降低5%扣1分，最高扣6分"."""

    kind: Literal["percent_step"]
    step_pct: float = Field(gt=0)
    per: float = Field(gt=0)
    cap: float | None = Field(default=None, gt=0)
    zero_below_pct: float | None = None  # below this rate the item scores 0
    from_pct: float = 100  # the rate at which nothing is deducted

    def choices(self, item_points: float) -> list[float]:
        cap = self.cap if self.cap is not None else item_points
        out: list[float] = []
        k = 1
        while self.per * k <= cap + 1e-9:
            if self.zero_below_pct is not None and (
                self.from_pct - self.step_pct * k < self.zero_below_pct - 1e-9
            ):
                break
            out.append(round(self.per * k, 2))
            k += 1
        if self.zero_below_pct is not None and item_points not in out:
            out.append(item_points)
        return out


class AllOrNothingRule(_Rule):
    """All or nothing: "未达到要求不得分" / "否则不计分" takes the whole item."""

    kind: Literal["all_or_nothing"]

    def choices(self, item_points: float) -> list[float]:
        return [item_points]


Rule = Annotated[
    FixedRule | PerOccurrenceRule | RangeRule | PercentStepRule | AllOrNothingRule,
    Field(discriminator="kind"),
]


def _check_parts(item: Item, at: str) -> None:
    """Parts add up to the item; no rule deducts more than its part (or the item)."""
    assert item.points is not None
    if item.parts and abs(sum(p.points for p in item.parts) - item.points) > 1e-6:
        total = sum(p.points for p in item.parts)
        raise _at(f"{at}.parts", f"parts add up to {total:g}, the item is {item.points:g}")
    for ri, rule in enumerate(item.deductions):
        cap = item.part_cap(rule)  # choices as the card offers them: from the item's points
        if max(rule.choices(item.points)) > cap + 1e-9:
            whose = f"part {rule.part}" if rule.part else "the item"
            raise _at(f"{at}.deductions[{ri}]", f"deducts more than {whose}'s {cap:g} points")


# -- the tree ----------------------------------------------------------------------------------


class Part(_Model):
    """A 计N分 part of a points item: "…有专人负责计2分；…计1分" gives two parts."""

    points: float = Field(gt=0)
    text: str = Field(min_length=1)  # the clause that states the part, verbatim


class SubItem(_Model):
    id: Annotated[str, Field(pattern=r"^\d+\.\d+$")]
    text: str = Field(min_length=1)
    evidence: str | None = None  # what material proves it, when the standard demands material
    na_allowed: bool = False  # may be answered 不适用 (na); `na_basis` says why
    na_basis: str | None = None

    @model_validator(mode="after")
    def _na_documented(self) -> SubItem:
        if self.na_allowed and not self.na_basis:
            raise ValueError("na_allowed needs na_basis (the seed's sentence or our reading)")
        return self


class Item(_Model):
    id: Annotated[str, Field(pattern=r"^\d+$")]
    text: str = Field(min_length=1)
    points: float | None = Field(default=None, ge=0)  # maximum for points standards
    bonus: bool = False  # a numbered bonus item (Chuxiong 17): scores up to `points`, capped
    criteria: str | None = None  # 评分标准 / 考评标准, verbatim
    methods: list[Method] = []  # 考评方式
    responsible: list[str] = []  # 责任部门
    supervisors: list[str] = []  # 监督指导部门
    evidence: str | None = None
    na_allowed: bool = False  # may be answered 不适用 (na); `na_basis` says why
    na_basis: str | None = None  # the seed's sentence ("此项不扣分") or our documented reading
    reading: str | None = None  # a reading a worker must know (OCR: "加14分" is 加1-4分)
    parts: list[Part] = []  # the 计N分 parts, when the criteria split the item's points
    deductions: list[Rule] = []
    sub_items: list[SubItem] = []

    @model_validator(mode="after")
    def _unique_rule_keys(self) -> Item:
        keys = [r.key for r in self.deductions]
        if len(keys) != len(set(keys)):
            raise ValueError(f"duplicate deduction keys {keys}")
        if self.na_allowed and not self.na_basis:
            raise ValueError("na_allowed needs na_basis (the seed's sentence or our reading)")
        if self.na_allowed and self.sub_items:
            raise ValueError("an item with sub-items takes na_allowed on each sub-item")
        for rule in self.deductions:
            if rule.part is not None and rule.part > len(self.parts):
                raise ValueError(f"rule {rule.key}: part {rule.part} does not exist")
        return self

    def part_cap(self, rule: _Rule) -> float:
        """Return the most `rule` can take: its part's points, else the item's."""
        if rule.part is not None:
            return self.parts[rule.part - 1].points
        return self.points or 0.0

    def deducted(self, deductions: Mapping[str, float]) -> float:
        """Return the total deducted by `deductions` (rule key → amount), capped per part."""
        by_part: dict[int | None, float] = {}
        rules = {r.key: r for r in self.deductions}
        for key, amount in deductions.items():
            part = rules[key].part
            by_part[part] = by_part.get(part, 0.0) + amount
        total = sum(min(v, self.parts[p - 1].points) for p, v in by_part.items() if p is not None)
        return min(self.points or 0.0, total + by_part.get(None, 0.0))

    @cached_property
    def point_values(self) -> tuple[float, ...]:
        """Return every score this item's rules can produce, highest first.

        Each rule is tapped at most once with one of its `choices`; parts cap their rules.
        A bonus item scores whole points 0 … max; an item without rules scores all or nothing.
        """
        top = self.points or 0.0
        if self.bonus:
            return tuple(sorted({float(k) for k in range(int(top) + 1)} | {top}, reverse=True))
        if not self.deductions:
            return (top, 0.0)
        options = [[0.0, *r.choices(top)] for r in self.deductions]
        keys = [r.key for r in self.deductions]
        seen = {
            round(top - self.deducted(dict(zip(keys, combo, strict=True))), 2)
            for combo in itertools.product(*options)
        }
        return tuple(sorted(seen, reverse=True))

    @property
    def floor(self) -> float:
        """Return the lowest score the rules allow (Chuxiong 3: 扣1-3分 → 3 of 6)."""
        return self.point_values[-1]


class Area(_Model):
    id: Annotated[str, Field(pattern=r"^[1-9]$")]
    title: str = Field(min_length=1)
    points: float | None = None  # the area's stated subtotal, if the seed gives one
    items: list[Item] = Field(min_length=1)


class Bonus(_Model):
    """An unnumbered bonus row (Qinhuangdao 加分项); its id is always "bonus"."""

    text: str
    criteria: str
    max: float = Field(gt=0)
    methods: list[Method] = []
    responsible: list[str] = []
    supervisors: list[str] = []
    evidence: str | None = None
    # The seed's words that make the points count only with `evidence` attached
    # (Qinhuangdao: "需提供佐证材料"); None: the points count as answered.
    proof: str | None = None

    @model_validator(mode="after")
    def _proof_names_its_evidence(self) -> Bonus:
        if self.proof and not self.evidence:
            raise ValueError("proof needs evidence (what material proves the bonus)")
        return self

    @property
    def point_values(self) -> tuple[float, ...]:
        """Return the scores the bonus row can take: whole points 0 … max ("最高加3分")."""
        return tuple(
            sorted({float(k) for k in range(int(self.max) + 1)} | {self.max}, reverse=True)
        )


class Veto(_Model):
    """A veto condition (否决项): answering `not_met` means the problem exists."""

    id: Annotated[str, Field(pattern=r"^V\d+$")]
    title: str
    text: str
    methods: list[Method] = []
    supervisors: list[str] = []


class Question(_Model):
    """One answerable unit of a standard: a leaf item, a sub-item, the bonus or a veto."""

    id: str
    kind: Literal["item", "sub_item", "bonus", "veto"]
    area: Area | None
    item: Item | None
    text: str
    max_points: float | None
    evidence: str | None
    role: Literal["check", "points", "bonus", "veto"]  # how scoring treats it
    area_title: str | None  # copied from `area` so scoring's hot loop reads one attribute
    na_allowed: bool = False  # may be answered 不适用 (the item's or sub-item's data)
    values: tuple[float, ...] = ()  # the points it can score, highest first (points, bonus)
    # What a card shows next to the question, copied from its item, bonus row or veto:
    na_basis: str | None = None  # why N.A. is allowed (the seed's sentence or our reading)
    criteria: str | None = None  # 考评标准 / 评分标准, verbatim
    methods: list[Method] = []  # 考评方式
    responsible: list[str] = []  # 责任部门
    supervisors: list[str] = []  # 监督指导部门
    reading: str | None = None  # a reading a worker must know (Chuxiong 17: 加14分 → 加1-4分)
    proof: str | None = None  # the bonus counts only with evidence attached (the seed's words)

    @property
    def floor(self) -> float:
        """Return the lowest score a points question can take (0 for others)."""
        return self.values[-1] if self.values else 0.0


def _item_questions(a: Area, i: Item) -> list[Question]:
    """Return the questions of one item: its sub-items, or the item itself."""
    if i.sub_items:
        return [
            Question(
                id=s.id,
                kind="sub_item",
                area=a,
                item=i,
                text=s.text,
                max_points=None,
                evidence=s.evidence,
                role="check",
                area_title=a.title,
                na_allowed=s.na_allowed,
                na_basis=s.na_basis,
            )
            for s in i.sub_items
        ]
    role: Literal["check", "points", "bonus"] = (
        "bonus" if i.bonus else "points" if i.points is not None else "check"
    )
    return [
        Question(
            id=i.id,
            kind="item",
            area=a,
            item=i,
            text=i.text,
            max_points=i.points,
            evidence=i.evidence,
            role=role,
            area_title=a.title,
            na_allowed=i.na_allowed,
            values=i.point_values if i.points is not None else (),
            na_basis=i.na_basis,
            criteria=i.criteria,
            methods=i.methods,
            responsible=i.responsible,
            supervisors=i.supervisors,
            reading=i.reading,
        )
    ]


def _check_numbering(std: Standard) -> None:
    """Items are numbered 1..n across areas, sub-items n.1.., vetoes V1.."""
    n = 0
    for ai, area in enumerate(std.areas):
        for ii, item in enumerate(area.items):
            n += 1
            at = f"areas[{ai}].items[{ii}]"
            if item.id != str(n):
                raise _at(
                    f"{at}.id",
                    f"items must be numbered 1..n in order: expected '{n}', got '{item.id}'",
                )
            for si, sub in enumerate(item.sub_items):
                if sub.id != f"{item.id}.{si + 1}":
                    raise _at(
                        f"{at}.sub_items[{si}].id",
                        f"expected '{item.id}.{si + 1}', got '{sub.id}'",
                    )
    for vi, veto in enumerate(std.vetoes):
        if veto.id != f"V{vi + 1}":
            raise _at(f"vetoes[{vi}].id", f"expected 'V{vi + 1}', got '{veto.id}'")


def _check_checklist(std: Standard) -> None:
    if std.max_score is not None or std.pass_score is not None:
        raise _at("mode", "a checklist standard has no max_score or pass_score")
    for ai, area in enumerate(std.areas):
        for ii, item in enumerate(area.items):
            if item.points is not None or item.deductions or item.parts:
                raise _at(
                    f"areas[{ai}].items[{ii}].points",
                    "a checklist item has no points, parts or deductions",
                )


def _check_points_standard(std: Standard) -> None:
    if std.max_score is None or std.pass_score is None:
        raise _at("max_score", "a points standard needs max_score and pass_score")
    for ai, area in enumerate(std.areas):
        for ii, item in enumerate(area.items):
            at = f"areas[{ai}].items[{ii}]"
            if item.points is None:
                raise _at(f"{at}.points", "a points standard needs points on every item")
            _check_parts(item, at)
        subtotal = sum(i.points or 0 for i in area.items)
        if area.points is not None and abs(subtotal - area.points) > 1e-6:
            raise _at(
                f"areas[{ai}].points", f"items add up to {subtotal:g}, stated {area.points:g}"
            )
    items = [i for a in std.areas for i in a.items]
    total = sum(i.points or 0 for i in items) + (std.bonus.max if std.bonus else 0)
    cap = std.total_cap if std.total_cap is not None else total
    if abs(min(total, cap) - std.max_score) > 1e-6:
        raise _at(
            "max_score",
            f"points add up to {total:g} (cap {cap:g}), but max_score is {std.max_score:g}",
        )


class Standard(_Model):
    id: Annotated[str, Field(pattern=r"^[a-z0-9-]+$")]
    title: str
    short_title: str
    source: str
    mode: Mode
    max_score: float | None = None
    pass_score: float | None = None
    total_cap: float | None = None
    note: str | None = None
    criteria_label: str | None = (
        None  # the seed's name for the criteria column (评分标准, 考评标准)
    )
    areas: list[Area] = Field(min_length=1)
    bonus: Bonus | None = None
    vetoes: list[Veto] = []

    @model_validator(mode="after")
    def _consistent(self) -> Standard:
        _check_numbering(self)
        if self.mode == "checklist":
            _check_checklist(self)
        else:
            _check_points_standard(self)
        return self

    # -- derived views (computed once; the model is frozen) --

    @cached_property
    def items(self) -> list[Item]:
        return [i for a in self.areas for i in a.items]

    @cached_property
    def questions(self) -> list[Question]:
        """Return every answerable unit in the standard's order."""
        out = [q for a in self.areas for i in a.items for q in _item_questions(a, i)]
        if self.bonus:
            b = self.bonus
            out.append(
                Question(
                    id="bonus",
                    kind="bonus",
                    area=None,
                    item=None,
                    text=b.text,
                    max_points=b.max,
                    evidence=b.evidence,
                    role="bonus",
                    area_title=None,
                    values=b.point_values,
                    criteria=b.criteria,
                    methods=b.methods,
                    responsible=b.responsible,
                    supervisors=b.supervisors,
                    proof=b.proof,
                )
            )
        out.extend(
            Question(
                id=v.id,
                kind="veto",
                area=None,
                item=None,
                text=f"{v.title}：{v.text}",
                max_points=None,
                evidence=None,
                role="veto",
                area_title=None,
                criteria=v.text,
                methods=v.methods,
                supervisors=v.supervisors,
            )
            for v in self.vetoes
        )
        return out

    @cached_property
    def question_index(self) -> dict[str, int]:
        return {q.id: n for n, q in enumerate(self.questions)}

    @cached_property
    def bonus_max(self) -> float:
        b = self.bonus.max if self.bonus else 0
        return b + sum(i.points or 0 for i in self.items if i.bonus)

    @cached_property
    def sub_item_count(self) -> int:
        return sum(len(i.sub_items) for i in self.items)

    def question(self, qid: str) -> Question:
        return self.questions[self.question_index[qid]]

    def summary(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "title": self.title,
            "mode": self.mode,
            "items": len(self.items),
            "sub_items": self.sub_item_count,
            "questions": len(self.questions),
            "max_score": self.max_score,
            "pass_score": self.pass_score,
            "bonus_max": self.bonus_max,
            "vetoes": len(self.vetoes),
            "source": self.source,
        }
