"""The answer grammar of a check: what a tap means, how deductions merge, what is valid.

Pure: no SQL, no Telegram, no clock. A tap's code (the last field of `a:` callback data):
  y met · p partial · n not met · x N/A — checklist items (x only where N.A. is allowed);
  vetoes take y (absent) / n (present) only; points items take x where N.A. is allowed
  f full marks (points items) · b<k> bonus points · d<key><amount> set one deduction (0 clears,
  the item's other deductions stay; the card stays on the item).
Every answer is validated by `bot.domain.rules.resolve` (the standard's own rules): the points
stored are the capped points the rules produce, never a typed number.
Stored deductions are text, 'a:2,c:1' (sorted; NULL when none).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Final, NamedTuple

from bot.domain import rules, workflow
from bot.domain.errors import CheckError, Refused
from bot.domain.scoring import Result, Status
from bot.domain.standards import Question, Standard
from bot.domain.text import stored

NOTE_MAX: Final = 500  # characters; a card must stay under Telegram's 4096
PROMPT_TTL: Final = dt.timedelta(minutes=15)  # a pending 📎/✏️ prompt takes unreplied messages
SIMPLE: Final[dict[str, Status]] = {"y": "met", "p": "partial", "n": "not_met", "x": "na"}


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
    return q.role == "points"


def settle(
    q: Question,
    status: Status | None,
    deductions: Mapping[str, float] | None = None,
    points: float | None = None,
) -> Answer:
    """Validate an answer with the standard's rules (`rules.resolve`); return what to store.

    Deductions set a points item's points (capped at their 计N分 part, floored at 0) and its
    status; a refused answer raises CheckError('bad_answer', qid=…, reason=<the rule's line>).
    """
    deds = {k: v for k, v in (deductions or {}).items() if v > 0}
    if deds and not _points_item(q):
        reason = f"{q.id}: only a points item takes deductions"
        raise CheckError("bad_answer", qid=q.id, reason=reason)
    if deds and status != "na":
        status = None  # the deductions decide the status
    if _points_item(q) and not deds and status is None and points is None:
        status = "met"  # every deduction cleared: full marks again
    try:
        final, pts = rules.resolve(q, status, points, deds or None)
    except rules.ScoreError as exc:
        raise CheckError("bad_answer", qid=q.id, reason=str(exc)) from exc
    return Answer(final, pts, deds if final != "na" else {})


def merge_deduction(current: Mapping[str, float], key: str, amount: float) -> dict[str, float]:
    """Set one deduction (0 clears it) and keep the item's others."""
    deds = dict(current)
    if amount > 0:
        deds[key] = amount
    else:
        deds.pop(key, None)
    return deds


def _code_number(q: Question, text: str) -> float:
    try:
        return float(text)
    except ValueError as exc:
        raise CheckError("bad_answer", qid=q.id) from exc


def resolve(q: Question, code: str, current: Row | None) -> tuple[Answer, bool]:
    """Turn a tap's code into a valid answer; also whether the card stays on the item.

    `current` is the item's stored row, read in the same transaction as the write, so two
    deduction taps on one item both land. Only codes the item's buttons can produce pass:
    a checklist item takes y/p/n (x where N.A. is allowed), a veto y/n, a points item f/d/x,
    a bonus b<k>; anything else (V1:p, bonus:y, d on a checklist item) is 'bad_answer'.
    """
    role = q.role
    if code in SIMPLE and (role in ("check", "veto") or (role == "points" and code == "x")):
        return settle(q, SIMPLE[code]), False
    if code == "f" and role == "points":
        return settle(q, "met"), False
    if code[:1] == "b" and role == "bonus" and len(code) > 1:
        return settle(q, None, points=_code_number(q, code[1:])), False
    if code[:1] == "d" and role == "points" and len(code) > 2:
        amount = _code_number(q, code[2:])
        base = current.deductions if current and current.status != "na" else {}
        deds = merge_deduction(base, code[1], amount)
        return settle(q, None, deductions=deds), True
    raise CheckError("bad_answer", qid=q.id)


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


def clean_note(text: str, area: type[Refused] = CheckError) -> str:
    """Return the note (a worker's, or a reviewer's comment or reason: `area` says whose words
    the refusal uses) to store (bot.domain.text), or refuse 'note_empty' / 'note_too_long'."""
    text = stored(text, NOTE_MAX, lambda length, limit: area("note_too_long", length=length,
                                                                limit=limit))  # fmt: skip
    if not text:
        raise area("note_empty")
    return text


def blocking(v: View) -> list[str]:
    """The items that keep a check from being submitted: unanswered (or answered in a way the
    rules now refuse), the optional bonus aside."""
    return [
        g.id
        for g in v.result.gaps
        if g.reason in ("unanswered", "invalid") and v.standard.question(g.id).role != "bonus"
    ]


def question(std: Standard, qid: str, area: type[Refused] = CheckError) -> Question:
    """The standard's question `qid`, or refuse 'bad_question' (in `area`'s words)."""
    if qid not in std.question_index:
        raise area("bad_question", qid=qid)
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
