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

# -- the review chain (issue 11) ----------------------------------------------------------------
# A program's `review_chain` names its stages; each stage is acted on by one role, read from the
# stage's name with the program's words (bot.texts.review.STAGE_WORDS, passed in: the domain
# does not read the catalogue). worker: the community's own submission (the first stage);
# street / county / city review in turn; publish: dated steps the city records (公示, 公布).
# A check under review keeps the status `submitted`; sent back it is `open` again with only the
# commented items reopened (the review tables hold the stage, the verifications and history).

APPROVE: Final = "approve"
SEND_BACK: Final = "send_back"
VERIFY: Final = "verify"
PUBLISH: Final = "publish"
COMMENT: Final = "comment"
ACTIONS: Final = (SUBMIT, APPROVE, SEND_BACK, VERIFY, PUBLISH, COMMENT)

StageRole = str  # worker | street | county | city | publish
REVIEW_ROLES: Final = ("street", "county", "city")
WAITING: Final = "waiting"  # at a stage, for its reviewers
RETURNED: Final = "returned"  # sent back to the community
RECOGNISED: Final = "recognised"  # the last review stage approved; publish steps may follow
PUBLISHED: Final = "published"  # every publish step recorded


@dataclass(frozen=True)
class Stage:
    index: int
    name: str
    role: StageRole


@dataclass(frozen=True)
class Chain:
    """A program's stages in order, each with the role that acts on it."""

    stages: tuple[Stage, ...]

    @classmethod
    def from_names(cls, names: Sequence[str], words: Sequence[tuple[str, str]]) -> Chain:
        """Read each stage's role from its name: the first (role, word) whose word it contains.

        A name matching no word is the city's. A program without a street stage skips it.
        """
        out = []
        for i, name in enumerate(names):
            role = next((r for r, w in words if w in name), "city")
            out.append(Stage(i, name, role))
        return cls(tuple(out))

    @property
    def reviews(self) -> tuple[Stage, ...]:
        return tuple(s for s in self.stages if s.role in REVIEW_ROLES)

    @property
    def publishing(self) -> tuple[Stage, ...]:
        return tuple(s for s in self.stages if s.role == "publish")

    def stage(self, name: str) -> Stage | None:
        return next((s for s in self.stages if s.name == name), None)

    def first(self) -> Stage | None:
        """The first review stage (None: the program has no review chain)."""
        reviews = self.reviews
        return reviews[0] if reviews else None

    def after(self, name: str) -> Stage | None:
        """The review or publish stage that follows `name` (None: it was the last)."""
        later = [s for s in self.stages if s.role != "worker" and s.index > self._index(name)]
        return later[0] if later else None

    def _index(self, name: str) -> int:
        found = self.stage(name)
        return found.index if found else len(self.stages)

    @property
    def workflow(self) -> Workflow:
        return Workflow.from_chain([s.name for s in self.reviews])


@dataclass(frozen=True)
class Scope:
    """Where a check sits: its community, street (None: not known) and county."""

    community_id: int
    street_id: int | None
    county_id: int


def may_act(
    admin: bool, streets: frozenset[int], counties: frozenset[int], role: StageRole, at: Scope
) -> bool:
    """Whether a reviewer may act on (and see) a check at a stage of `role`; deny by default.

    Street reviewers act for their streets, county contacts for their counties, the city
    (admins) on every stage. Workers never: a community cannot approve its own check.
    """
    if admin:
        return True
    if role == "street":
        return at.street_id is not None and at.street_id in streets
    if role == "county":
        return at.county_id in counties
    return False


def may_see(admin: bool, streets: frozenset[int], counties: frozenset[int], at: Scope) -> bool:
    """A reviewer sees the checks of their streets or counties (admins: every check)."""
    on_street = at.street_id is not None and at.street_id in streets
    return admin or on_street or at.county_id in counties
