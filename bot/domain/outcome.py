"""Where a submitted check stands, as its community reads it, and the guided fix after a
send-back: which items to change, what the reviewers said, what has changed since.

Pure: the services read the records (bot.store.reviews, bot.store.outcome) and hand them in.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Final, NamedTuple

from bot.domain import workflow
from bot.domain.answers import Row, encode_deductions
from bot.domain.reviews import Comment, Event, ReviewRow
from bot.domain.standards import Standard
from bot.domain.workflow import Chain

# What changed on a reopened item since the send-back (the confirmation names them).
ANSWER: Final = "answer"
NOTE: Final = "note"
FILES: Final = "files"
ASPECTS: Final = (ANSWER, NOTE, FILES)

Then = tuple[str | None, float | None, str | None, str | None]  # status, points, deductions, note


class Fix(NamedTuple):
    """A check sent back to its community: the reopened items (in the order the send-back
    listed them, as its notice does), the reviewers' comments on them and what changed."""

    items: tuple[str, ...]
    comments: Mapping[str, tuple[Comment, ...]]
    changed: Mapping[str, tuple[str, ...]]  # item -> ASPECTS that differ from the send-back

    def place(self, qid: str) -> int | None:
        """The item's position among the reopened ones (1-based; None: not reopened)."""
        return self.items.index(qid) + 1 if qid in self.items else None

    @property
    def done(self) -> bool:
        """Every reopened item was changed."""
        return all(self.changed.get(q) for q in self.items)

    @property
    def untouched(self) -> list[str]:
        return [q for q in self.items if not self.changed.get(q)]

    def step(self, std: Standard, qid: str, by: int) -> str:
        """The reopened item ▶ (by=1) or ◀ (by=-1) leads to: the next in the list from a
        reopened item; from any other item, the nearest reopened one in the standard's order."""
        if not self.items:
            return qid
        if qid in self.items:
            return self.items[(self.items.index(qid) + by) % len(self.items)]
        at = std.question_index.get(qid, 0)
        ordered = sorted(self.items, key=lambda q: std.question_index.get(q, 0))
        ahead = [q for q in ordered if std.question_index.get(q, 0) > at]
        behind = [q for q in ordered if std.question_index.get(q, 0) < at]
        if by > 0:
            return (ahead or ordered)[0]
        return (behind or ordered)[-1]


class Outcome(NamedTuple):
    """A submitted check's place in its chain and what was decided on it.

    `state`: bot.domain.workflow.WAITING | RETURNED | DONE, or NONE (not in a chain: the
    program has none, or an admin reopened it); `stage`: the stage it waits at (returned: the
    one that sent it back, done: the last); `since`: when it got there.
    """

    submitted_at: str
    state: str
    stage: str | None = None
    since: str | None = None
    reason: str | None = None  # the send-back's reason, while returned
    verified: bool | None = None  # the verified conclusion an approval vouched for
    recognised_at: str | None = None
    records: tuple[tuple[str, str], ...] = ()  # (stage, at): 公示, 公布, 授牌 as recorded
    withdrawn: tuple[str, str, str] | None = None  # (at, cause, reason)
    fix: Fix | None = None  # while returned

    @property
    def returned(self) -> bool:
        return self.state == workflow.RETURNED


def outcome(
    submitted_at: str,
    review: ReviewRow | None,
    verified: bool | None,
    events: list[Event],
    chain: Chain,
) -> Outcome:
    """Where the check is, from its review row, the verified result and its history."""
    withdrawn = _withdrawn(events)
    if review is None:
        return Outcome(submitted_at, workflow.NONE, withdrawn=withdrawn)
    records = tuple(
        (e.stage, e.at)
        for e in events
        if e.action in (workflow.APPROVE, workflow.COMPLETE)
        and e.stage is not None
        and (s := chain.named(e.stage)) is not None
        and s.act in workflow.AFTER_RECOGNITION
    )
    reason = None
    if review.state == workflow.RETURNED:
        backs = [e for e in events if e.action == workflow.SEND_BACK]
        reason = backs[-1].comment if backs else None
    return Outcome(submitted_at, review.state, review.stage, review.entered_at, reason,
                   verified, review.recognised_at, records, withdrawn)  # fmt: skip


def _withdrawn(events: list[Event]) -> tuple[str, str, str] | None:
    """The latest withdrawal of the title this check earned (an admin's, a failed 复审)."""
    found = [e for e in events if e.action == workflow.WITHDRAW]
    if not found:
        return None
    e = found[-1]
    return e.at, e.after or "admin", e.comment or ""


def changes(
    items: tuple[str, ...], rows: Mapping[str, Row], then: Mapping[str, Then],
    touched: frozenset[str], files: frozenset[str],
) -> dict[str, tuple[str, ...]]:  # fmt: skip
    """What changed on each reopened item since the send-back: its answer or note (`touched`:
    written since; `then`: as they stood at the send-back, absent when there was no row), and
    its files (`files`: a file added, removed or moved there since)."""
    out: dict[str, tuple[str, ...]] = {}
    for qid in items:
        found: list[str] = []
        if qid in touched:
            now = rows.get(qid)
            was = then.get(qid, (None, None, None, None))
            status, points, deds, note = (
                (now.status, now.points, encode_deductions(now.deductions), now.note)
                if now is not None
                else (None, None, None, None)
            )
            if (status, points, deds) != was[:3]:
                found.append(ANSWER)
            if note != was[3]:
                found.append(NOTE)
        if qid in files:
            found.append(FILES)
        out[qid] = tuple(found)
    return out
