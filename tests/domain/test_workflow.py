"""The check's life cycle, declared once (bot.domain.workflow)."""

from __future__ import annotations

from bot.domain import workflow
from bot.domain.answers import Assessment
from bot.domain.workflow import ANSWER, CHECK, OPEN, REOPEN, SUBMIT, SUBMITTED, Workflow


def test_today_a_check_is_open_until_submitted_and_an_admin_may_reopen_it():
    assert CHECK.states == (OPEN, SUBMITTED)
    assert CHECK.can(SUBMIT, OPEN) and not CHECK.can(SUBMIT, SUBMITTED)
    assert CHECK.can(REOPEN, SUBMITTED) and not CHECK.can(REOPEN, OPEN)
    assert CHECK.can(ANSWER, OPEN) and not CHECK.can(ANSWER, SUBMITTED)
    assert CHECK.target(SUBMIT, OPEN) == SUBMITTED and CHECK.target(SUBMIT, SUBMITTED) is None


def test_a_review_chain_adds_one_approval_per_stage_and_a_send_back():
    wf = Workflow.from_chain(["street", "county", "city"])
    assert wf.states == (
        OPEN, SUBMITTED, "approved:street", "approved:county", "approved:city",
    )  # fmt: skip
    assert wf.target("approve:street", SUBMITTED) == "approved:street"
    assert wf.target("approve:county", "approved:street") == "approved:county"
    assert not wf.can("approve:county", SUBMITTED)  # stages go in order
    assert wf.target("send_back:county", "approved:street") == OPEN
    assert wf.can(REOPEN, "approved:city") and not wf.can(ANSWER, "approved:city")


def test_an_assessment_is_locked_unless_its_state_is_editable():
    base = Assessment(1, 1, "c", 1, "co", "p", "s", "h", OPEN, None)
    assert not base.locked
    assert Assessment(1, 1, "c", 1, "co", "p", "s", "h", SUBMITTED, "2026").locked
    assert workflow.CHECK.editable == frozenset({OPEN})
