"""The scoring engine: pure functions from a standard and answers to a result.

No Telegram, no database. Rules (all driven by the standard's data; answers are validated by
`bot.domain.rules.resolve`, whose docstring says which answers each question accepts):

- Checklist: an item with sub-items is met when every applicable sub-item is met; N.A. is
  excluded. The check passes when every question is answered, every applicable one is met and
  at least one is applicable (a check with no applicable item cannot pass).
- Points: an item scores one of the values its rules can produce (deductions capped at their
  计N分 part, the item floored at 0); N.A. scores full marks where the data allows it (the seed's
  此项不扣分). Unanswered items score 0. Bonus points (optional: an unanswered bonus counts as 0
  and is no gap) are capped at the standard's bonus maximum, the total at its cap. A bonus whose
  seed demands proof (Qinhuangdao: "需提供佐证材料") counts only with evidence attached: until
  then it scores 0, its claim is an `evidence_missing` gap carrying the points it would add
  (`uncounted`), and it counts in the projected score only. The check
  passes when the score reaches the pass line, every veto is answered absent and at least one
  item is applicable.
- Veto conditions: `met` means absent, `not_met` means the problem exists (triggered); a
  triggered veto fails the check, and so does one left unanswered (not known to be absent).
- Completeness is separate from passing: `complete` is false while a non-bonus question is
  unanswered, material is missing where the standard demands it, or an N.A. answer has no note
  (its reason); each of these is a gap.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, Literal, NamedTuple, Protocol

from bot.domain.rules import STATUSES, ScoreError, Status, resolve
from bot.domain.standards import Question, Standard

__all__ = [
    "STATUSES",
    "Answer",
    "AnswerLike",
    "Gap",
    "Outcome",
    "Result",
    "ScoreError",
    "Status",
    "deduction_points",
    "item_status",
    "parse_answers",
    "score",
    "status_for_points",
]

GapReason = Literal[
    "unanswered", "not_met", "partial", "evidence_missing", "veto", "na_unexplained", "invalid"
]


class Answer(NamedTuple):
    status: Status | None
    points: float | None = None  # points awarded (points items and bonus only)
    evidence: int = 0  # number of evidence files attached
    note: str | None = None
    deductions: Mapping[str, float] | None = None  # rule key → amount (points items)


class Gap(NamedTuple):
    id: str
    reason: GapReason
    text: str
    area: str | None = None
    evidence: str | None = None  # what material is needed, for evidence_missing
    note: str | None = None
    uncounted: float = 0.0  # points claimed that count only once the evidence is attached

    def as_dict(self) -> dict[str, Any]:
        out = {"id": self.id, "reason": self.reason, "text": self.text, "area": self.area}
        return out | ({"uncounted": self.uncounted} if self.uncounted else {})


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
    complete: bool = False  # nothing left to do: every gap but not_met/partial/veto is closed
    triggered: list[str] = field(default_factory=list)  # ids of the vetoes answered present

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
            "complete": self.complete,
            "vetoed": self.vetoed,
            "triggered_vetoes": self.triggered,
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
    """Return an item's points after deductions, floored at 0.

    Kept for the card; it knows nothing of parts. Prefer `rules.points_from_deductions(q, d)`,
    which validates each amount and caps deductions at their 计N分 part.
    """
    return max(0.0, round(item_max - deductions, 2))


def status_for_points(points: float, max_points: float, floor: float = 0.0) -> Status:
    """Derive a points item's status from what it scored (`floor`: the rules' lowest score).

    With the default floor 0 this is the card's historic behaviour; `rules.status_for(q, p)`
    passes the question's floor (Chuxiong 3 at 3 of 6 is not_met).
    """
    if points >= max_points - 1e-9:
        return "met"
    if points <= floor + 1e-9:
        return "not_met"
    return "partial"


class AnswerLike(Protocol):
    """What scoring reads from an answer: `Answer`, or a stored row with the same fields.

    A row may also carry `deductions` (rule key → amount); they then decide the points.
    """

    @property
    def status(self) -> Status | None: ...
    @property
    def points(self) -> float | None: ...
    @property
    def evidence(self) -> int: ...
    @property
    def note(self) -> str | None: ...


def _judge(q: Question, a: AnswerLike) -> tuple[Status, float | None]:
    """Validate a stored or parsed answer with `rules.resolve`.

    On a points item, deductions (when the row has them) decide the points and the status (the
    card stores both derived from them). Checklist questions and vetoes score no points: a
    stored row's points or deductions are not read there (ANSWERS.json refuses them earlier,
    in `parse_answers`).
    """
    if q.role in ("check", "veto"):
        return resolve(q, a.status)
    deds = getattr(a, "deductions", None)
    if deds and a.status != "na" and q.role == "points":
        return resolve(q, None, None, deds)
    return resolve(q, a.status, a.points)


@dataclass
class Part:
    """What some questions add to a Result: one question's share (`part`), or their sum.

    Every field adds up (numbers sum, lists concatenate, `all_met` is an AND), so a result can
    be re-done after one answer changes by recomputing that question's part only (the tap path).
    """

    earned: float = 0.0
    bonus: float = 0.0
    missing_max: float = 0.0
    missing_bonus: float = 0.0
    met: int = 0
    answered: int = 0
    applicable: int = 0  # answered points/check questions that are not N.A.
    all_met: bool = True  # every check question answered met or N.A.
    vetoes_open: int = 0
    open_required: int = 0  # unanswered questions other than the bonus
    triggered: list[str] = field(default_factory=list)
    outcomes: list[Outcome] = field(default_factory=list)
    gaps: list[Gap] = field(default_factory=list)


def _unanswered(t: Part, q: Question, invalid: str | None = None) -> None:
    t.outcomes.append(Outcome(q.id, None, None, q.max_points))
    reason: GapReason = "invalid" if invalid else "unanswered"
    t.gaps.append(Gap(q.id, reason, q.text, q.area_title, q.evidence, invalid))
    if q.role == "bonus":
        t.missing_bonus += q.max_points or 0.0
        return  # optional: listed (it can still be claimed) but never blocks
    t.open_required += 1
    if q.role == "points":
        t.missing_max += q.max_points or 0.0
    elif q.role == "check":
        t.all_met = False
    else:
        t.vetoes_open += 1


def _answered(t: Part, q: Question, a: AnswerLike) -> None:
    status, pts = _judge(q, a)
    t.answered += 1
    unproven = q.role == "bonus" and bool(q.proof) and a.evidence <= 0 and bool(pts)
    claimed = pts or 0.0

    def gap(reason: GapReason, evidence: str | None = None, note: str | None = None) -> None:
        held = claimed if unproven and reason == "evidence_missing" else 0.0
        t.gaps.append(Gap(q.id, reason, q.text, q.area_title, evidence, note, held))

    if q.role == "veto":
        if status == "not_met":
            t.triggered.append(q.id)
            gap("veto", note=a.note)
    elif unproven:  # "需提供佐证材料": claimed, counted once the material is attached
        t.missing_bonus += claimed
        pts = 0.0
    elif q.role == "bonus":
        t.bonus += pts or 0.0
    else:
        t.earned += pts or 0.0
        t.applicable += status != "na"
        if status in ("not_met", "partial"):
            t.all_met = False
            gap(status, note=a.note)
    if status == "met":
        t.met += 1
    if status == "na" and not (a.note or "").strip():
        gap("na_unexplained")
    if q.evidence and status in ("met", "partial") and a.evidence <= 0:
        gap("evidence_missing", evidence=q.evidence, note=a.note)
    t.outcomes.append(Outcome(q.id, status, pts, q.max_points))


def part(q: Question, a: AnswerLike | None, *, strict: bool = True) -> Part:
    """One question's share of the result (see `score` for `strict`)."""
    t = Part()
    if a is None or a.status is None:
        _unanswered(t, q)
        return t
    try:
        _answered(t, q, a)
    except ScoreError as exc:
        if strict:
            raise
        t = Part()
        _unanswered(t, q, invalid=str(exc))
    return t


def parts(std: Standard, answers: Mapping[str, AnswerLike], *, strict: bool = True) -> list[Part]:
    """Every question's part, in the standard's order (unknown ids: ScoreError)."""
    unknown = [k for k in answers if k not in std.question_index]
    if unknown:
        raise ScoreError(f"unknown ids for {std.id}: {', '.join(sorted(unknown))}")
    return [part(q, answers.get(q.id), strict=strict) for q in std.questions]


def combine(std: Standard, ps: list[Part]) -> Result:
    """Add the parts up (in the standard's order) into the standard's verdict."""
    t = Part()
    for p in ps:
        t.earned += p.earned
        t.bonus += p.bonus
        t.missing_max += p.missing_max
        t.missing_bonus += p.missing_bonus
        t.met += p.met
        t.answered += p.answered
        t.applicable += p.applicable
        t.all_met = t.all_met and p.all_met
        t.vetoes_open += p.vetoes_open
        t.open_required += p.open_required
        t.triggered.extend(p.triggered)
        t.outcomes.extend(p.outcomes)
        t.gaps.extend(p.gaps)
    return _result(std, t)


def score(std: Standard, answers: Mapping[str, AnswerLike], *, strict: bool = True) -> Result:
    """Score `answers` against `std`; unknown ids raise ScoreError, a None status is unanswered.

    strict (the default): an answer the standard does not allow raises ScoreError naming its
    id. strict=False is for stored rows written before a rule existed (an N.A. where the
    standard now refuses it): such an answer counts as unanswered and is an "invalid" gap whose
    note is the refusal, so a view can still be shown and the worker can answer again.
    """
    return combine(std, parts(std, answers, strict=strict))


def _result(std: Standard, t: Part) -> Result:
    """Turn the tally into the standard's verdict (see the module docstring)."""
    vetoed = bool(t.triggered)
    complete = t.open_required == 0 and not any(
        g.reason in ("evidence_missing", "na_unexplained") for g in t.gaps
    )
    judged = not vetoed and t.vetoes_open == 0 and t.applicable > 0
    result_score = projected_score = None
    if std.mode == "points":
        assert std.max_score is not None and std.pass_score is not None
        cap = std.total_cap if std.total_cap is not None else std.max_score
        bonus_cap = std.bonus_max
        result_score = round(min(cap, t.earned + min(t.bonus, bonus_cap)), 2)
        projected_score = round(
            min(cap, t.earned + t.missing_max + min(t.bonus + t.missing_bonus, bonus_cap)), 2
        )
        passed = judged and result_score >= std.pass_score - 1e-9
    else:
        passed = judged and t.all_met
    return Result(
        standard_id=std.id,
        mode=std.mode,
        score=result_score,
        projected_score=projected_score,
        max_score=std.max_score,
        pass_score=std.pass_score,
        passed=passed,
        vetoed=vetoed,
        answered=t.answered,
        total=len(std.questions),
        met=t.met,
        outcomes=t.outcomes,
        gaps=t.gaps,
        complete=complete,
        triggered=t.triggered,
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


def parse_answers(raw: Mapping[str, Any], std: Standard | None = None) -> dict[str, Answer]:
    """Turn the ANSWERS.json mapping into Answer objects, or raise ScoreError naming the id.

    Each value is an object: `status`, and optionally `points`, `deductions` ({rule key:
    amount}), `evidence` (a count) and `note`. With `std`, each answer is also validated against
    its question (`rules.resolve`) and stored with the points it scores.
    """
    out: dict[str, Answer] = {}
    for qid, val in raw.items():
        out[str(qid)] = _parse_one(str(qid), val, std)
    return out


def _parse_one(qid: str, val: Any, std: Standard | None) -> Answer:
    if not isinstance(val, Mapping):
        raise ScoreError(f"{qid}: expected an object with a 'status'")
    extra = set(val) - {"status", "points", "deductions", "evidence", "note"}
    if extra:
        raise ScoreError(f"{qid}: unknown fields {', '.join(sorted(extra))}")
    if "status" not in val:
        raise ScoreError(f"{qid}: expected an object with a 'status'")
    status = val["status"]
    deds = val.get("deductions")
    if status not in STATUSES:
        raise ScoreError(f"{qid}: status must be one of {', '.join(STATUSES)}")
    pts = val.get("points")
    if pts is not None and (isinstance(pts, bool) or not isinstance(pts, int | float)):
        raise ScoreError(f"{qid}: points must be a number")
    if deds is not None and not isinstance(deds, Mapping):
        raise ScoreError(f"{qid}: deductions must be an object mapping rule keys to amounts")
    ev = val.get("evidence", 0)
    if isinstance(ev, bool) or not isinstance(ev, int) or ev < 0:
        raise ScoreError(f"{qid}: evidence must be a count (0 or more)")
    note = val.get("note")
    if note is not None and not isinstance(note, str):
        raise ScoreError(f"{qid}: note must be text")
    if std is not None and qid in std.question_index:
        status, pts = resolve(std.question(qid), status, pts, deds)
        deds = None  # folded into the points
    return Answer(status=status, points=pts, evidence=ev, note=note, deductions=deds)


def failing(std: Standard, r: Result) -> list[str]:
    """The items that keep a check from passing, in the standard's order: a triggered or
    unanswered veto, an item not met, partly met or unanswered, a points item below full marks
    (the bonus is optional and never fails a check). Empty when the check passes."""
    if r.passed:
        return []
    out = []
    for o in r.outcomes:
        role = std.question(o.id).role
        if role == "bonus" or o.status == "na":
            continue
        short = o.points is not None and o.max_points is not None and o.points < o.max_points
        if o.status in (None, "not_met", "partial") or short:
            out.append(o.id)
    return out
