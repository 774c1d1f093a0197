"""The scoring engine: pure functions from a standard and answers to a result.

No Telegram, no database. Rules (all driven by the standard's data):

- Checklist: an item with sub-items is met when every applicable sub-item is met; N.A. is
  excluded. The check passes when every question is answered and every applicable one is met.
- Points: an item scores its maximum minus deductions, floored at 0 (or the points given);
  N.A. scores full marks where the seed says "此项不扣分". Bonus points are capped at the
  standard's bonus maximum, the total at its cap. Passing needs every question answered, a
  score at or above the pass line and no veto.
- Veto conditions: `not_met` means the problem exists; any such answer fails the check.
- Evidence: a question whose standard demands material is a gap while it has none.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, Literal, NamedTuple, Protocol

from bot.domain.standards import Question, Standard

Status = Literal["met", "partial", "not_met", "na"]
STATUSES: tuple[Status, ...] = ("met", "partial", "not_met", "na")
GapReason = Literal["unanswered", "not_met", "partial", "evidence_missing", "veto"]


class ScoreError(ValueError):
    """Answers that do not fit the standard (unknown id, bad status, points out of range)."""


class Answer(NamedTuple):
    status: Status
    points: float | None = None  # points awarded (points items and bonus only)
    evidence: int = 0  # number of evidence files attached
    note: str | None = None


class Gap(NamedTuple):
    id: str
    reason: GapReason
    text: str
    area: str | None = None
    evidence: str | None = None  # what material is needed, for evidence_missing
    note: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return {"id": self.id, "reason": self.reason, "text": self.text, "area": self.area}


class Outcome(NamedTuple):
    id: str
    status: Status | None  # None: unanswered
    points: float | None  # awarded (points mode), None for checklist
    max_points: float | None


@dataclass
class Result:
    standard_id: str
    mode: str
    score: float | None
    projected_score: float | None  # score if every unanswered question earned full marks
    max_score: float | None
    pass_score: float | None
    passed: bool
    vetoed: bool
    answered: int
    total: int
    met: int
    outcomes: list[Outcome] = field(default_factory=list)
    gaps: list[Gap] = field(default_factory=list)

    @property
    def complete(self) -> bool:
        return self.answered == self.total

    @cached_property
    def gap_count(self) -> int:
        """Return how many questions have at least one gap (缺项)."""
        return len({g.id for g in self.gaps})

    def as_dict(self) -> dict[str, Any]:
        return {
            "standard": self.standard_id,
            "mode": self.mode,
            "score": self.score,
            "projected_score": self.projected_score,
            "max_score": self.max_score,
            "pass_score": self.pass_score,
            "passed": self.passed,
            "vetoed": self.vetoed,
            "answered": self.answered,
            "total": self.total,
            "met": self.met,
            "gap_count": self.gap_count,
            "gaps": [g.as_dict() for g in self.gaps],
            "items": [
                {"id": o.id, "status": o.status, "points": o.points, "max_points": o.max_points}
                for o in self.outcomes
            ],
        }


def deduction_points(item_max: float, deductions: float) -> float:
    """Return an item's points after deductions, floored at 0."""
    return max(0.0, round(item_max - deductions, 2))


def status_for_points(points: float, max_points: float) -> Status:
    """Derive a points item's status from what it scored."""
    if points >= max_points - 1e-9:
        return "met"
    if points <= 1e-9:
        return "not_met"
    return "partial"


def _award(q: Question, a: AnswerLike) -> tuple[Status, float]:
    """Return (status, points) for an answered points question."""
    assert q.max_points is not None and a.status is not None
    top = q.max_points
    if a.status == "na":
        if q.kind == "item" and not (q.item and q.item.na_allowed):
            raise ScoreError(f"{q.id}: this item cannot be answered 不适用 (na)")
        return "na", top if q.kind == "item" else 0.0
    if a.points is None:
        if a.status == "partial":
            raise ScoreError(f"{q.id}: a partial answer needs 'points'")
        pts = top if a.status == "met" else 0.0
    else:
        pts = float(a.points)
        if pts < -1e-9 or pts > top + 1e-9:
            raise ScoreError(f"{q.id}: points {a.points} outside 0..{top:g}")
    if q.kind == "bonus":
        return a.status, pts
    return status_for_points(pts, top), pts


class AnswerLike(Protocol):
    """What scoring reads from an answer: `Answer`, or a stored row with the same fields."""

    @property
    def status(self) -> Status | None: ...
    @property
    def points(self) -> float | None: ...
    @property
    def evidence(self) -> int: ...
    @property
    def note(self) -> str | None: ...


def score(std: Standard, answers: Mapping[str, AnswerLike]) -> Result:
    """Score `answers` against `std`; unknown ids raise ScoreError, a None status is unanswered."""
    unknown = [k for k in answers if k not in std.question_index]
    if unknown:
        raise ScoreError(f"unknown ids for {std.id}: {', '.join(sorted(unknown))}")
    outcomes: list[Outcome] = []
    gaps: list[Gap] = []
    earned = bonus = missing_max = missing_bonus = 0.0
    vetoed = False
    met = answered = 0
    all_met = True  # every answered non-veto question is met or N.A.
    for q in std.questions:
        qid, top, role, area = q.id, q.max_points, q.role, q.area_title
        a = answers.get(qid)
        if a is None or a.status is None:
            outcomes.append(Outcome(qid, None, None, top))
            gaps.append(Gap(qid, "unanswered", q.text, area, q.evidence))
            if role == "points":
                missing_max += top or 0.0
            elif role == "bonus":
                missing_bonus += top or 0.0
            continue
        answered += 1
        status = a.status
        if status not in STATUSES:
            raise ScoreError(f"{qid}: status must be one of {', '.join(STATUSES)}")
        pts: float | None = None
        if role == "veto":
            if status == "not_met":
                vetoed = True
                gaps.append(Gap(qid, "veto", q.text, area, note=a.note))
        elif role == "bonus":
            status, pts = _award(q, a)
            bonus += pts
        elif role == "points":
            status, pts = _award(q, a)
            earned += pts
        if status == "met":
            met += 1
        elif status in ("not_met", "partial") and role in ("points", "check"):
            all_met = False
            gaps.append(Gap(qid, status, q.text, area, note=a.note))
        if q.evidence and status in ("met", "partial") and a.evidence <= 0:
            gaps.append(Gap(qid, "evidence_missing", q.text, area, q.evidence, a.note))
        outcomes.append(Outcome(qid, status, pts, top))

    total = len(std.questions)
    complete = answered == total
    if std.mode == "points":
        assert std.max_score is not None and std.pass_score is not None
        cap = std.total_cap if std.total_cap is not None else std.max_score
        bonus_cap = std.bonus_max
        total_score = round(min(cap, earned + min(bonus, bonus_cap)), 2)
        projected = round(min(cap, earned + missing_max + min(bonus + missing_bonus, bonus_cap)), 2)
        passed = complete and not vetoed and total_score >= std.pass_score - 1e-9
        result_score: float | None = total_score
        projected_score: float | None = projected
    else:
        result_score = projected_score = None
        passed = complete and not vetoed and all_met
    return Result(
        standard_id=std.id,
        mode=std.mode,
        score=result_score,
        projected_score=projected_score,
        max_score=std.max_score,
        pass_score=std.pass_score,
        passed=passed,
        vetoed=vetoed,
        answered=answered,
        total=total,
        met=met,
        outcomes=outcomes,
        gaps=gaps,
    )


def item_status(std: Standard, item_id: str, answers: Mapping[str, Answer]) -> Status | None:
    """Return a checklist item's status from its sub-items (None while any is unanswered)."""
    item = next(i for i in std.items if i.id == item_id)
    if not item.sub_items:
        a = answers.get(item.id)
        return a.status if a else None
    subs = [answers.get(s.id) for s in item.sub_items]
    if any(s is None for s in subs):
        return None
    applicable = [s.status for s in subs if s is not None and s.status != "na"]
    if not applicable:
        return "na"
    if all(s == "met" for s in applicable):
        return "met"
    if all(s == "not_met" for s in applicable):
        return "not_met"
    return "partial"


def parse_answers(raw: Mapping[str, Any]) -> dict[str, Answer]:
    """Turn the ANSWERS.json mapping into Answer objects, or raise ScoreError."""
    out: dict[str, Answer] = {}
    for qid, val in raw.items():
        if not isinstance(val, Mapping) or "status" not in val:
            raise ScoreError(f"{qid}: expected an object with a 'status'")
        status = val["status"]
        if status not in STATUSES:
            raise ScoreError(f"{qid}: status must be one of {', '.join(STATUSES)}")
        pts = val.get("points")
        if pts is not None and (isinstance(pts, bool) or not isinstance(pts, int | float)):
            raise ScoreError(f"{qid}: points must be a number")
        ev = val.get("evidence", 0)
        if isinstance(ev, bool) or not isinstance(ev, int):
            raise ScoreError(f"{qid}: evidence must be a count")
        out[str(qid)] = Answer(status=status, points=pts, evidence=ev, note=val.get("note"))
    return out
