"""The life cycles, declared once: a check's states, its way through the program's review chain,
and a corrective action's states — each a table of transitions, nothing implied elsewhere.

A check is `open` (answers may change) until it is `submitted`. A program's review chain is a
list of declared stages (standards/programs/*.yaml, `review_chain`), each saying who acts on it
(`actor`: the community, the street, the county, the city, an expert the city invited) and what
it does (`act`), with the
seed sentence it comes from. The first stage is the community's own submission; every later one
waits for its actor. Which people act as an actor is decided by bot.domain.access, never read
from a stage's wording.

What a stage's act allows:
- recommend, review, recognise, list, receive, rereview: the actor verifies items, comments and
  approves or sends the check back (VERIFIES);
- recognise, award, list: the stage attests that the check meets the standard, so it refuses
  a check whose verified result fails it (ATTESTS); recognise records the recognition;
- publicise, publish, award: the city records a date (公示, 公布, 授牌); nothing is verified
  after recognition;
- rereview: a 复审 whose verified result fails withdraws the recognition instead.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final, Literal

# -- the check ---------------------------------------------------------------------------------

OPEN: Final = "open"
SUBMITTED: Final = "submitted"

SUBMIT: Final = "submit"
REOPEN: Final = "reopen"  # an admin takes a submitted check back to the community
SEND_BACK: Final = "send_back"  # a reviewer returns it with reasons
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
        return self.target(transition, state) is not None

    def target(self, transition: str, state: str) -> str | None:
        """The state `transition` leads to from `state`, or None when it is not allowed."""
        for t in self.transitions:
            if t.name == transition and t.source == state:
                return t.target
        return None


CHECK: Final = Workflow(
    (OPEN, SUBMITTED),
    frozenset({OPEN}),
    (
        Transition(SUBMIT, OPEN, SUBMITTED),
        Transition(SEND_BACK, SUBMITTED, OPEN),
        Transition(REOPEN, SUBMITTED, OPEN),
    ),
)

# -- the review chain --------------------------------------------------------------------------

# expert: someone the city invites for one program year (组织专家进行评定, seed 000 四（二）)
Actor = Literal["community", "street", "county", "city", "expert"]
Act = Literal[
    "apply",  # the community submits its check (社区申请, 社区申报)
    "recommend",  # 推荐
    "review",  # 初审, 评估验收
    "recognise",  # 认定: records the recognition
    "publicise",  # 公示
    "publish",  # 公布
    "award",  # 授牌
    "list",  # 列入名单 (a county's list of communities that meet the standard)
    "receive",  # an office receives the community's own evaluation (报送)
    "rereview",  # 复审: a failing result withdraws the recognition
]
VERIFIES: Final = frozenset({"recommend", "review", "recognise", "list", "receive", "rereview"})
ATTESTS: Final = frozenset({"recognise", "award", "list"})
AFTER_RECOGNITION: Final = frozenset({"publicise", "publish", "award"})

APPROVE: Final = "approve"  # a stage passes the check on (to the next stage)
COMPLETE: Final = "complete"  # the last stage passes it: the chain is done
VERIFY: Final = "verify"
COMMENT: Final = "comment"
WITHDRAW: Final = "withdraw"

NONE: Final = "none"  # not in the chain (no review row): never submitted, or reopened
WAITING: Final = "waiting"  # at a stage, for its actor
RETURNED: Final = "returned"  # sent back to the community
DONE: Final = "done"  # every stage passed

REVIEW: Final = Workflow(
    (NONE, WAITING, RETURNED, DONE),
    frozenset(),
    (
        Transition(SUBMIT, NONE, WAITING),
        Transition(SUBMIT, RETURNED, WAITING),  # resubmitted: back to the stage that returned it
        Transition(APPROVE, WAITING, WAITING),
        Transition(COMPLETE, WAITING, DONE),
        Transition(SEND_BACK, WAITING, RETURNED),
        Transition(REOPEN, WAITING, NONE),
        Transition(REOPEN, RETURNED, NONE),
    ),
)


@dataclass(frozen=True)
class Stage:
    index: int  # its place in the chain; 0 is the community's own submission
    name: str
    actor: Actor
    act: Act
    body: str | None = None  # the seed's name for who acts (领导小组…), when it gives one

    @property
    def verifies(self) -> bool:
        return self.act in VERIFIES

    @property
    def attests(self) -> bool:
        return self.act in ATTESTS


Done = Literal["recognised", "verified", "self"]


@dataclass(frozen=True)
class Chain:
    """A program's stages in order (empty: the program describes none)."""

    stages: tuple[Stage, ...]

    @classmethod
    def of(cls, stages: Sequence[tuple[str, Actor, Act, str | None]]) -> Chain:
        """The chain of (name, actor, act, body) as a program file declares them."""
        return cls(tuple(Stage(i, *s) for i, s in enumerate(stages)))

    def at(self, index: int) -> Stage | None:
        return self.stages[index] if 0 < index < len(self.stages) else None

    def named(self, name: str) -> Stage | None:
        return next((s for s in self.stages[1:] if s.name == name), None)

    def first(self) -> Stage | None:
        """The first stage after the community's submission (None: no review at all)."""
        return self.at(1)

    def after(self, stage: Stage) -> Stage | None:
        """The stage that follows (None: `stage` was the last)."""
        return self.at(stage.index + 1)

    @property
    def recognising(self) -> Stage | None:
        return next((s for s in self.stages if s.act == "recognise"), None)

    @property
    def done_by(self) -> Done:
        """What makes a community count as done (达标) in this program, and from when:
        its recognition; else the verified result at the chain's last stage; else (no chain)
        its own passing, submitted result."""
        if self.recognising is not None:
            return "recognised"
        return "verified" if self.first() is not None else "self"


# -- a corrective action (整改) -----------------------------------------------------------------

ACTION_OPEN: Final = "open"
ACTION_CLOSING: Final = "closing"  # closed by its owner with evidence; a reviewer confirms it
ACTION_CLOSED: Final = "closed"
CLOSE: Final = "close"
CONFIRM: Final = "confirm"

ACTION: Final = Workflow(
    (ACTION_OPEN, ACTION_CLOSING, ACTION_CLOSED),
    frozenset({ACTION_OPEN}),
    (
        Transition(CLOSE, ACTION_OPEN, ACTION_CLOSING),
        Transition(CONFIRM, ACTION_CLOSING, ACTION_CLOSED),
        Transition(REOPEN, ACTION_CLOSING, ACTION_OPEN),
        Transition(REOPEN, ACTION_CLOSED, ACTION_OPEN),
    ),
)
