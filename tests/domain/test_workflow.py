"""The check's life cycle, declared once (bot.domain.workflow)."""

from __future__ import annotations

from bot.domain import workflow
from bot.domain.answers import Assessment
from bot.domain.workflow import ANSWER, CHECK, OPEN, REOPEN, SUBMIT, SUBMITTED


def test_a_check_is_open_until_submitted_and_an_admin_may_reopen_it():
    assert CHECK.states == (OPEN, SUBMITTED)
    assert CHECK.can(SUBMIT, OPEN) and not CHECK.can(SUBMIT, SUBMITTED)
    assert CHECK.can(REOPEN, SUBMITTED) and not CHECK.can(REOPEN, OPEN)
    assert CHECK.can(ANSWER, OPEN) and not CHECK.can(ANSWER, SUBMITTED)
    assert CHECK.target(SUBMIT, OPEN) == SUBMITTED and CHECK.target(SUBMIT, SUBMITTED) is None


def test_a_check_in_review_waits_returns_and_completes_by_the_declared_table():
    review = workflow.REVIEW
    assert review.target(SUBMIT, workflow.NONE) == workflow.WAITING
    assert review.target(SUBMIT, workflow.RETURNED) == workflow.WAITING
    assert review.target(workflow.APPROVE, workflow.WAITING) == workflow.WAITING
    assert review.target(workflow.COMPLETE, workflow.WAITING) == workflow.DONE
    assert review.target(workflow.SEND_BACK, workflow.WAITING) == workflow.RETURNED
    assert not review.can(workflow.SEND_BACK, workflow.DONE)  # a finished chain stays finished
    assert not review.can(workflow.APPROVE, workflow.RETURNED)
    assert CHECK.target(workflow.SEND_BACK, SUBMITTED) == OPEN


def test_an_action_closes_with_evidence_and_a_reviewer_confirms_or_reopens_it():
    action = workflow.ACTION
    assert action.target(workflow.CLOSE, workflow.ACTION_OPEN) == workflow.ACTION_CLOSING
    assert action.target(workflow.CONFIRM, workflow.ACTION_CLOSING) == workflow.ACTION_CLOSED
    assert action.target(REOPEN, workflow.ACTION_CLOSED) == workflow.ACTION_OPEN
    assert not action.can(workflow.CONFIRM, workflow.ACTION_OPEN)


def test_an_assessment_is_locked_unless_its_state_is_editable():
    base = Assessment(1, 1, "c", 1, "co", "p", "s", "h", OPEN, None)
    assert not base.locked
    assert Assessment(1, 1, "c", 1, "co", "p", "s", "h", SUBMITTED, "2026").locked
    assert workflow.CHECK.editable == frozenset({OPEN})
