"""The check's life cycle: ONE declared table of states and the transitions between them.

A check is `open` (answers may change) until it is `submitted`; an admin may `reopen` it. A
program's review chain (e.g. community → street → county → city) extends the table:
`Workflow.from_chain(chain)` adds one `approved:<stage>` state per stage, an `approve:<stage>` transition into it and a
`send_back:<stage>` transition to `open`. Only open/submitted are used today; the state names
below are the only place they are spelled (the store's trigger SQL takes them from here).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final

OPEN: Final = "open"
SUBMITTED: Final = "submitted"

SUBMIT: Final = "submit"
REOPEN: Final = "reopen"
ANSWER: Final = "answer"  # editing an answer, a note or a file: allowed only while open


@dataclass(frozen=True)
class Transition:
    name: str
    source: str
    target: str


@dataclass(frozen=True)
class Workflow:
    """States, the editable ones and the allowed transitions, declared once."""

    states: tuple[str, ...]
    editable: frozenset[str]
    transitions: tuple[Transition, ...]

    def can(self, transition: str, state: str) -> bool:
        """Whether `transition` is allowed from `state` (ANSWER: whether the state is editable)."""
        if transition == ANSWER:
            return state in self.editable
        return any(t.name == transition and t.source == state for t in self.transitions)

    def target(self, transition: str, state: str) -> str | None:
        """The state `transition` leads to from `state`, or None when it is not allowed."""
        for t in self.transitions:
            if t.name == transition and t.source == state:
                return t.target
        return None

    @classmethod
    def from_chain(cls, chain: Sequence[str]) -> Workflow:
        """The table for a review chain: submitted → approved:<stage 1> → … ; any stage sends back."""
        states = [OPEN, SUBMITTED]
        table = [Transition(SUBMIT, OPEN, SUBMITTED), Transition(REOPEN, SUBMITTED, OPEN)]
        before = SUBMITTED
        for stage in chain:
            done = f"approved:{stage}"
            states.append(done)
            table.append(Transition(f"approve:{stage}", before, done))
            table.append(Transition(f"send_back:{stage}", before, OPEN))
            table.append(Transition(REOPEN, done, OPEN))
            before = done
        return cls(tuple(states), frozenset({OPEN}), tuple(table))


CHECK: Final = Workflow.from_chain(())  # today's life cycle: open ⇄ submitted
