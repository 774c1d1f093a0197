"""Incremental scoring: the same Result as `scoring.score`, re-done for one changed answer.

`score` walks every question on each call. A tap changes one answer, so the service keeps
each question's part of the result (`Part`, from `part`) and, after a tap, recomputes only
that question's part and adds the parts up again (`total`). `total(std, parts(std, rows))`
equals `score(std, rows)` field for field (a property test checks it on every standard);
the rules themselves stay in bot.domain.scoring (`_award`, `status_for_points`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import NamedTuple

from bot.domain.scoring import STATUSES, AnswerLike, Gap, Outcome, Result, ScoreError, _award
from bot.domain.standards import Question, Standard


class Part(NamedTuple):
    """One question's share of a Result."""

    outcome: Outcome
    gaps: tuple[Gap, ...]
    answered: int
    met: int
    earned: float  # points items
    bonus: float
    missing_max: float  # unanswered points items' maximum (for the projected score)
    missing_bonus: float
    vetoed: bool
    not_all_met: bool  # an answered points/check question that is not met or N.A.


def _unanswered(q: Question) -> Part:
    top = q.max_points
    missing = top or 0.0
    gap = Gap(q.id, "unanswered", q.text, q.area_title, q.evidence)
    return Part(
        Outcome(q.id, None, None, top), (gap,), 0, 0, 0.0, 0.0,
        missing if q.role == "points" else 0.0, missing if q.role == "bonus" else 0.0,
        False, False,
    )  # fmt: skip


def part(q: Question, a: AnswerLike | None) -> Part:
    """The question's part of the result, exactly as `scoring.score` counts it."""
    if a is None or a.status is None:
        return _unanswered(q)
    status, role, area = a.status, q.role, q.area_title
    if status not in STATUSES:
        raise ScoreError(f"{q.id}: status must be one of {', '.join(STATUSES)}")
    gaps: list[Gap] = []
    pts: float | None = None
    vetoed = False
    if role == "veto" and status == "not_met":
        vetoed = True
        gaps.append(Gap(q.id, "veto", q.text, area, note=a.note))
    elif role in ("bonus", "points"):
        status, pts = _award(q, a)
    not_all_met = False
    if status in ("not_met", "partial") and role in ("points", "check"):
        not_all_met = True
        gaps.append(Gap(q.id, status, q.text, area, note=a.note))
    if q.evidence and status in ("met", "partial") and a.evidence <= 0:
        gaps.append(Gap(q.id, "evidence_missing", q.text, area, q.evidence, a.note))
    earned = pts if role == "points" and pts is not None else 0.0
    bonus = pts if role == "bonus" and pts is not None else 0.0
    outcome = Outcome(q.id, status, pts, q.max_points)
    met = int(status == "met")
    return Part(outcome, tuple(gaps), 1, met, earned, bonus, 0.0, 0.0, vetoed, not_all_met)


def parts(std: Standard, answers: Mapping[str, AnswerLike]) -> list[Part]:
    """Every question's part, in the standard's order (unknown ids: ScoreError)."""
    unknown = [k for k in answers if k not in std.question_index]
    if unknown:
        raise ScoreError(f"unknown ids for {std.id}: {', '.join(sorted(unknown))}")
    return [part(q, answers.get(q.id)) for q in std.questions]


def _sum(values: Sequence[float]) -> float:
    total = 0.0
    for v in values:  # left to right, as score() adds them
        total += v
    return total


def total(std: Standard, ps: Sequence[Part]) -> Result:
    """Add the parts up into the Result `scoring.score` gives for the same answers."""
    earned, bonus = _sum([p.earned for p in ps]), _sum([p.bonus for p in ps])
    answered = sum(p.answered for p in ps)
    vetoed = any(p.vetoed for p in ps)
    complete = answered == len(std.questions)
    result_score = projected_score = None
    if std.mode == "points":
        assert std.max_score is not None and std.pass_score is not None
        cap = std.total_cap if std.total_cap is not None else std.max_score
        missing, missing_bonus = (
            _sum([p.missing_max for p in ps]),
            _sum([p.missing_bonus for p in ps]),
        )
        result_score = round(min(cap, earned + min(bonus, std.bonus_max)), 2)
        projected_score = round(
            min(cap, earned + missing + min(bonus + missing_bonus, std.bonus_max)), 2
        )
        passed = complete and not vetoed and result_score >= std.pass_score - 1e-9
    else:
        passed = complete and not vetoed and not any(p.not_all_met for p in ps)
    return Result(
        standard_id=std.id, mode=std.mode, score=result_score, projected_score=projected_score,
        max_score=std.max_score, pass_score=std.pass_score, passed=passed, vetoed=vetoed,
        answered=answered, total=len(std.questions), met=sum(p.met for p in ps),
        outcomes=[p.outcome for p in ps], gaps=[g for p in ps for g in p.gaps],
    )  # fmt: skip
