"""A corrective action (整改) as the services hand it out: the row, and its state as listed
(the rules of its states are bot.domain.workflow.ACTION; overdue: bot.domain.cycles)."""

from __future__ import annotations

from typing import Any, NamedTuple


class ActionRow(NamedTuple):
    id: int
    community_id: int
    community: str
    county_id: int
    assessment_id: int
    question_id: str
    problem: str
    owner_id: int | None
    owner: str | None
    due: str
    status: str
    opened_at: str
    closed_at: str | None
    evidence_id: int | None
    evidence: str | None  # the closing file's name (or kind)
    lang: str | None  # the owner's language
    opened_by: int | None  # the reviewer who opened it (who confirms its close)


class Listed(NamedTuple):
    row: ActionRow
    state: str  # open | overdue | closing | closed (bot.domain.cycles.action_state)

    def as_dict(self) -> dict[str, Any]:
        """The CLI's contract: id, community, item, problem, owner, due, status, closed_at,
        evidence."""
        r = self.row
        return {
            "id": r.id, "community": r.community, "item": r.question_id, "problem": r.problem,
            "owner": r.owner, "due": r.due, "status": self.state, "closed_at": r.closed_at,
            "evidence": r.evidence,
        }  # fmt: skip
