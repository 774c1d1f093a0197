"""The answer grammar of a check: what a tap means, how deductions merge, what is valid.

Pure: no SQL, no Telegram, no clock. A tap's code (the last field of `a:` callback data):
  y met · p partial · n not met · x N/A — plain items (points items take x only)
  f full marks (points items) · b<k> bonus points · d<key><amount> set one deduction (0 clears,
  the item's other deductions stay; the card stays on the item).
Stored deductions are text, 'a:2,c:1' (sorted; NULL when none).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any, Final, NamedTuple

from bot.domain import workflow
from bot.domain.scoring import Result, Status, deduction_points, status_for_points
from bot.domain.standards import Question, Standard

NOTE_MAX: Final = 500  # characters; a card must stay under Telegram's 4096
PROMPT_TTL: Final = dt.timedelta(minutes=15)  # a pending 📎/✏️ prompt takes unreplied messages
SIMPLE: Final[dict[str, Status]] = {"y": "met", "p": "partial", "n": "not_met", "x": "na"}


class CheckError(ValueError):
    """A request the check cannot take; `code` selects the user-facing message."""

    def __init__(self, code: str, **info: Any) -> None:
        super().__init__(code)
        self.code = code
        self.info = info


@dataclass(frozen=True)
class Assessment:
    id: int
    community_id: int
    community: str
    county_id: int
    county: str
    program_id: str
    standard_id: str
    standard_hash: str
    status: str
    submitted_at: str | None
    cycle: int | None = None  # the year the check belongs to (None: the first cycle)

    @property
    def locked(self) -> bool:
        return not workflow.CHECK.can(workflow.ANSWER, self.status)


class Row(NamedTuple):
    """One stored answer row: status may be None when only a note was given."""

    status: Status | None
    points: float | None
    deductions: Mapping[str, float]
    note: str | None
    evidence: int


@dataclass(frozen=True)
class View:
    """Everything a card or gap list needs about one check."""

    assessment: Assessment
    standard: Standard
    rows: dict[str, Row]
    result: Result


class Answer(NamedTuple):
    """A validated answer, ready to store."""

    status: Status
    points: float | None
    deductions: Mapping[str, float]


NO_DEDUCTIONS: Final[Mapping[str, float]] = MappingProxyType({})


def encode_deductions(d: Mapping[str, float]) -> str | None:
    """Encode chosen deductions as 'a:2,c:1' (sorted; None when empty)."""
    parts = [f"{k}:{v:g}" for k, v in sorted(d.items()) if v > 0]
    return ",".join(parts) or None


def decode_deductions(text: str | None) -> Mapping[str, float]:
    """Decode 'a:2,c:1' into {'a': 2.0, 'c': 1.0} (read-only when empty)."""
    if not text:
        return NO_DEDUCTIONS
    out: dict[str, float] = {}
    for part in text.split(","):
        k, _, v = part.partition(":")
        out[k] = float(v)
    return out


def _points_item(q: Question) -> bool:
    return q.max_points is not None and q.kind == "item"


def _is_bonus(q: Question) -> bool:
    return q.kind == "bonus" or (q.item is not None and q.item.bonus)


def _checked_deductions(q: Question, deds: Mapping[str, float]) -> None:
    if deds and not _points_item(q):
        raise CheckError("bad_answer", qid=q.id)  # only points items have deductions
    if not deds:
        return
    assert q.item is not None and q.max_points is not None
    valid = {r.key: r.choices(q.max_points) for r in q.item.deductions}
    for key, amount in deds.items():
        if key not in valid or amount not in valid[key]:
            raise CheckError("bad_answer", qid=q.id)


def settle(
    q: Question,
    status: Status,
    deductions: Mapping[str, float] | None = None,
    points: float | None = None,
) -> Answer:
    """Validate an answer and work out its points: deductions set a points item's points."""
    deds = dict(deductions or {})
    if _points_item(q) and status != "na":
        _checked_deductions(q, deds)
        assert q.max_points is not None
        if deds:
            points = deduction_points(q.max_points, sum(deds.values()))
            status = status_for_points(points, q.max_points)
        elif points is None:
            points = q.max_points if status == "met" else 0.0
    elif deds and not _points_item(q):
        raise CheckError("bad_answer", qid=q.id)
    if status == "na" and _points_item(q):
        if not (q.item and q.item.na_allowed):
            raise CheckError("bad_answer", qid=q.id)
        points = q.max_points
    if q.kind == "bonus" and points is None:
        points = q.max_points if status == "met" else 0.0
    return Answer(status, points, deds)


def merge_deduction(current: Mapping[str, float], key: str, amount: float) -> dict[str, float]:
    """Set one deduction (0 clears it) and keep the item's others."""
    deds = dict(current)
    if amount > 0:
        deds[key] = amount
    else:
        deds.pop(key, None)
    return deds


def resolve(q: Question, code: str, current: Row | None) -> tuple[Answer, bool]:
    """Turn a tap's code into a valid answer; also whether the card stays on the item.

    `current` is the item's stored row, read in the same transaction as the write, so two
    deduction taps on one item both land.
    """
    if code in SIMPLE:
        if _points_item(q) and code != "x":
            raise CheckError("bad_answer")  # points items take f / d / x / b only
        return settle(q, SIMPLE[code]), False
    if code == "f":
        if not _points_item(q) or _is_bonus(q):
            raise CheckError("bad_answer")
        return settle(q, "met"), False
    if code[0] == "b":
        k = float(code[1:])
        if not _is_bonus(q) or q.max_points is None or k > q.max_points:
            raise CheckError("bad_answer")
        return settle(q, "met" if k > 0 else "not_met", points=k), False
    if code[0] == "d" and len(code) > 2:
        deds = merge_deduction(current.deductions if current else {}, code[1], float(code[2:]))
        return settle(q, "met", deductions=deds), True
    raise CheckError("bad_answer")


def changes(stored: Row | None, answer: Answer) -> bool:
    """Whether storing `answer` changes the stored row (the same answer twice changes nothing)."""
    if stored is None:
        return True
    return (
        stored.status != answer.status
        or stored.points != answer.points
        or encode_deductions(stored.deductions) != encode_deductions(answer.deductions)
    )


def answered_row(stored: Row | None, answer: Answer) -> Row:
    """The row after storing `answer` (the note and file count stay)."""
    note, files = (stored.note, stored.evidence) if stored else (None, 0)
    deds = dict(answer.deductions) if answer.deductions else NO_DEDUCTIONS
    return Row(answer.status, answer.points, deds, note, files)


def clean_note(text: str) -> str:
    """Return the note to store, or raise CheckError('note_empty' / 'note_too_long')."""
    text = text.strip()
    if not text:
        raise CheckError("note_empty")
    if len(text) > NOTE_MAX:
        raise CheckError("note_too_long", length=len(text), limit=NOTE_MAX)
    return text


def question(std: Standard, qid: str) -> Question:
    """The standard's question `qid`, or CheckError('bad_question')."""
    if qid not in std.question_index:
        raise CheckError("bad_question", qid=qid)
    return std.question(qid)


def next_open(std: Standard, rows: Mapping[str, Row], after: str | None) -> str | None:
    """Return the next unanswered question after `after` (wrapping), or None if all answered."""
    qs = std.questions
    start = std.question_index[after] + 1 if after in std.question_index else 0
    n = len(qs)
    for k in range(n):
        qid = qs[(start + k) % n].id
        r = rows.get(qid)
        if r is None or r.status is None:
            return qid
    return None
