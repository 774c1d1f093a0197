"""The answer rules: which answers a question accepts and what they score. Pure functions.

Every path that takes an answer (ANSWERS.json through `greencheck standards score`, the card,
stored rows read back by `scoring.score`) goes through `resolve`, so the engine only accepts
results the standard's own rules can produce. A refused answer raises `ScoreError` with one
line that starts with the question id ("4.1: …").

By role (see `Question.role`):

- check (checklist item or sub-item): met / partial / not_met, and na where the data allows it
  (`na_allowed`). No points, no deductions.
- points (a numbered points item): the points are one of `Question.values`, the scores its rules
  can produce (each rule tapped at most once with one of `rule.choices(max_points)`, deductions
  capped at their 计N分 part, the item floored at 0). `deductions` ({rule key: amount}) compute
  the points. Without points or deductions `met` is full marks and `not_met` the rules' floor
  (Chuxiong 3: 扣1-3分 → 3 of 6); `partial` needs points or deductions. The status must agree
  with the points: met ⇔ full marks; not_met ⇔ the floor; partial: above 0 and below full
  (a partial answer at the floor is accepted and reported as not_met). na only where the data
  allows it (the seed's 此项不扣分); it scores full marks and takes no deductions.
- bonus (Qinhuangdao's 加分项, Chuxiong 17): whole points 0 … max; met needs points above 0
  (default: max), not_met is 0, partial between. Never na. Unanswered counts as 0.
- veto (否决项): present/absent only. met = the condition is absent (符合), not_met = it is
  present (the veto is triggered). partial, na, points and deductions are refused.

Numbers must be finite and not negative; NaN and infinity are refused.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Literal

from bot.domain.standards import Question

Status = Literal["met", "partial", "not_met", "na"]
STATUSES: tuple[Status, ...] = ("met", "partial", "not_met", "na")
_EPS = 1e-9


class ScoreError(ValueError):
    """Answers that do not fit the standard (unknown id, bad status, points out of range)."""


def allowed_statuses(q: Question) -> tuple[Status, ...]:
    """Return the statuses `q` accepts (na only where the data allows it)."""
    if q.role == "veto":
        return ("met", "not_met")
    base: tuple[Status, ...] = ("met", "partial", "not_met")
    return (*base, "na") if q.na_allowed and q.role != "bonus" else base


def rule_choices(q: Question) -> dict[str, list[float]]:
    """Return the card's deduction buttons of a points item: rule key → amounts."""
    if q.role != "points" or q.item is None or q.max_points is None:
        return {}
    return {r.key: r.choices(q.max_points) for r in q.item.deductions}


def _number(qid: str, what: str, value: object, top: float | None = None) -> float:
    """Return `value` as a finite float; refuse NaN, infinity and (with `top`) 0..top misses."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ScoreError(f"{qid}: {what} must be a number")
    out = float(value)
    if not math.isfinite(out):
        raise ScoreError(f"{qid}: {what} must be a finite number, not {value}")
    if top is not None and not -_EPS <= out <= top + _EPS:
        raise ScoreError(f"{qid}: {what} {out:g} outside 0..{top:g}")
    if out < 0:
        raise ScoreError(f"{qid}: {what} must not be negative ({out:g})")
    return out


def points_from_deductions(q: Question, deductions: Mapping[str, object]) -> float:
    """Return a points item's score for `deductions`, or raise naming the bad key or amount."""
    choices = rule_choices(q)
    if not choices or q.item is None or q.max_points is None:
        raise ScoreError(f"{q.id}: only a points item with deduction rules takes deductions")
    clean: dict[str, float] = {}
    for key, raw in deductions.items():
        if key not in choices:
            known = ", ".join(choices)
            raise ScoreError(f"{q.id}: unknown deduction rule '{key}' (rules: {known})")
        amount = _number(q.id, f"deduction {key}", raw)
        if amount == 0:
            continue  # 0 clears a rule, as on the card
        if not any(abs(amount - c) < _EPS for c in choices[key]):
            allowed = ", ".join(f"{c:g}" for c in choices[key])
            raise ScoreError(f"{q.id}: deduction {key} must be one of {allowed}, not {amount:g}")
        clean[key] = amount
    return round(q.max_points - q.item.deducted(clean), 2)


def status_for(q: Question, points: float) -> Status:
    """Return the status a points or bonus score means (met = full; not_met = the floor)."""
    top = q.max_points or 0.0
    if points >= top - _EPS:
        return "met"
    if q.role == "bonus":
        return "not_met" if points <= _EPS else "met"
    if points <= q.floor + _EPS:
        return "not_met"
    return "partial"


def _check_points(q: Question, points: float) -> None:
    if not any(abs(points - v) < _EPS for v in q.values):
        shown = ", ".join(f"{v:g}" for v in sorted(q.values))
        raise ScoreError(f"{q.id}: {points:g} points cannot be scored here (possible: {shown})")


def _agree(q: Question, status: Status, points: float) -> None:
    """Refuse a status that contradicts the points (not_met with full marks, …)."""
    top = q.max_points or 0.0
    full, zero = points >= top - _EPS, points <= _EPS
    if q.role == "bonus":
        ok = {"met": not zero, "not_met": zero, "partial": not zero and not full}[status]
    else:
        ok = {
            "met": full,
            "not_met": points <= q.floor + _EPS,
            "partial": not full and not zero,
        }[status]
    if not ok:
        raise ScoreError(f"{q.id}: status '{status}' contradicts {points:g} of {top:g} points")


def _resolve_plain(q: Question, status: Status, points: object | None) -> tuple[Status, None]:
    """Checklist questions and vetoes: a status, never points."""
    if points is not None:
        kind = "a veto" if q.role == "veto" else "a checklist question"
        raise ScoreError(f"{q.id}: {kind} takes no points")
    return status, None


def resolve(
    q: Question,
    status: str | None,
    points: object | None = None,
    deductions: Mapping[str, object] | None = None,
) -> tuple[Status, float | None]:
    """Validate one answer to `q`; return (status, points) as scoring counts them.

    `status` None derives the status from the points or deductions (points items and bonus).
    """
    if status is not None and status not in STATUSES:
        raise ScoreError(f"{q.id}: status must be one of {', '.join(STATUSES)}")
    if status is not None and status not in allowed_statuses(q):
        if status == "na":
            raise ScoreError(f"{q.id}: this question cannot be answered N.A. (na)")
        raise ScoreError(f"{q.id}: a veto is answered met (absent) or not_met (triggered) only")
    if deductions and q.role != "points":
        raise ScoreError(f"{q.id}: only a points item takes deductions")
    if q.role in ("check", "veto"):
        if status is None:
            raise ScoreError(f"{q.id}: a status is required")
        return _resolve_plain(q, status, points)
    return _resolve_scored(q, status, points, deductions or {})


def _resolve_scored(
    q: Question, status: Status | None, points: object | None, deductions: Mapping[str, object]
) -> tuple[Status, float]:
    top = q.max_points or 0.0
    if status == "na":
        if deductions or (
            points is not None and abs(_number(q.id, "points", points, top) - top) > _EPS
        ):
            raise ScoreError(f"{q.id}: an N.A. (na) answer scores full marks and takes no points")
        return "na", top
    pts = None if points is None else _number(q.id, "points", points, top)
    if deductions:
        computed = points_from_deductions(q, deductions)
        if pts is not None and abs(pts - computed) > _EPS:
            raise ScoreError(f"{q.id}: points {pts:g} disagree with the deductions ({computed:g})")
        pts = computed
    if pts is None:
        if status is None or status == "partial":
            raise ScoreError(f"{q.id}: a partial answer needs 'points' or 'deductions'")
        pts = top if status == "met" else (0.0 if q.role == "bonus" else q.floor)
    _check_points(q, pts)
    if status is not None:
        _agree(q, status, pts)
    if q.role == "bonus":
        return (status or status_for(q, pts)), pts
    return status_for(q, pts), pts
