"""Corrective actions (整改): open, list, remind, close with evidence, confirm or reopen.

One function per intent, one unit of work each, returning data; the time is passed in (`now`).
An action is opened on a not-met or partial item, an item a reviewer commented on (sent back),
or a failed 复审 item; its owner is a worker of the community. Closing needs a file attached to
the item after the action was opened (the evidence flow's table); a reviewer of the county
(or an admin) confirms the close or reopens the action. Every change writes an event.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import sqlite_utils

from bot.clock import stamp
from bot.domain import cycles, workflow
from bot.domain.access import Principal, can_review, can_view, can_work_on_action
from bot.domain.actions import ActionRow, Listed
from bot.domain.answers import Assessment
from bot.domain.errors import ActionError
from bot.domain.schedule import Due
from bot.domain.text import stored
from bot.domain.workflow import REOPEN
from bot.services.notices import tell
from bot.store import actions as store
from bot.store import prompts
from bot.store.checks import CheckStore
from bot.store.db import transaction

ACTIONABLE = ("not_met", "partial")  # the item states an action may follow
PROBLEM_MAX = 500  # characters of a problem or a reopening reason


def _check(db: sqlite_utils.Database, aid: int) -> Assessment:
    a = CheckStore(db).assessment(aid)
    if a is None:
        raise ActionError("stale")
    return a


def open_action(
    db: sqlite_utils.Database,
    p: Principal,
    target: tuple[int, str],
    owner_id: int,
    due: dt.date,
    now: dt.datetime,
    problem: str | None = None,
) -> int:
    """Open an action on (check id, item) for `owner_id`, due on `due`; return its id."""
    aid, qid = target
    a = _check(db, aid)
    if not can_review(p, a.county_id):
        raise ActionError("no_permission")
    status, verified, comment = store.item_state(db, aid, qid)
    failed = (verified or status) in ACTIONABLE or comment is not None
    if not failed:
        raise ActionError("not_actionable", qid=qid)
    if not store.is_worker(db, owner_id, a.community_id) and owner_id != p.user_id:
        raise ActionError("owner_not_worker", owner=owner_id)
    text = stored(problem or comment or "", PROBLEM_MAX, _too_long) or qid
    at = stamp(now)
    values = {"community_id": a.community_id, "assessment_id": aid, "question_id": qid,
              "problem": text, "owner_id": owner_id, "due": due.isoformat(),
              "opened_by": p.user_id, "opened_at": at}  # fmt: skip
    with transaction(db):
        action_id = store.insert(db, values)
        store.event(db, action_id, "open", p.user_id, at, (None, workflow.ACTION_OPEN), text)
        tell(db, "action_opened", [owner_id], at, aid, action_id, community=a.community,
             item=qid, problem=text, due=due.isoformat())  # fmt: skip
    return action_id


def _too_long(length: int, limit: int) -> ActionError:
    return ActionError("too_long", length=length, limit=limit)


def _get(db: sqlite_utils.Database, action_id: int) -> ActionRow:
    row = store.get(db, action_id)
    if row is None:
        raise ActionError("stale")
    return row


def _owned(db: sqlite_utils.Database, p: Principal, action_id: int) -> ActionRow:
    """The action, if `p` works on it (bot.domain.access.can_work_on_action)."""
    row = _get(db, action_id)
    if not can_work_on_action(p, row.community_id):
        raise ActionError("no_permission")
    return row


def worked_on(db: sqlite_utils.Database, p: Principal, action_id: int) -> ActionRow:
    """An action `p` works on (its community's workers, admins)."""
    return _owned(db, p, action_id)


def ask_file(
    db: sqlite_utils.Database,
    p: Principal,
    action_id: int,
    where: tuple[int, int],
    now: dt.datetime,
) -> ActionRow:
    """Remember the 📎 prompt (chat, message) that asks for the action's closing file."""
    row = _owned(db, p, action_id)
    if row.status != workflow.ACTION_OPEN:
        raise ActionError("not_open")
    with transaction(db):
        prompts.put(db, (where[0], p.user_id, where[1]), ("action", row.assessment_id,
                    row.question_id), stamp(now), action_id=row.id)  # fmt: skip
    return row


def attach(
    db: sqlite_utils.Database, p: Principal, action_id: int, file: dict[str, Any], now: dt.datetime
) -> bool:
    """Attach a closing file to an open action, whatever the check's state (its answers stay
    as they are); False when this file is attached already."""
    row = _owned(db, p, action_id)
    if row.status != workflow.ACTION_OPEN:
        raise ActionError("not_open")
    with transaction(db):
        return store.attach(db, row, p.user_id, stamp(now), file)


def close(db: sqlite_utils.Database, p: Principal, action_id: int, now: dt.datetime) -> ActionRow:
    """The owner (or a worker of the community) closes it with a file: attached to it, or to
    its item since it opened."""
    row = _owned(db, p, action_id)
    at = stamp(now)
    with transaction(db):
        found = store.evidence_since(db, row)
        if found is None and workflow.ACTION.can(workflow.CLOSE, row.status):
            raise ActionError("needs_evidence", qid=row.question_id)
        _move(db, row, workflow.CLOSE, (p.user_id, at), {"closed_at": at, "evidence_id": found})
        tell(db, "action_closed", [row.opened_by or 0], at, row.assessment_id, row.id,
             community=row.community, item=row.question_id)  # fmt: skip
    return _get(db, action_id)


_REFUSED = {workflow.CLOSE: "not_open", workflow.CONFIRM: "not_closing", REOPEN: "not_closing"}


def _move(
    db: sqlite_utils.Database,
    row: ActionRow,
    transition: str,
    who: tuple[int, str],
    fields: dict[str, Any],
    reason: str | None = None,
) -> None:
    """Take the declared transition (bot.domain.workflow.ACTION) from the action's state, with
    its event; ActionError when the table does not allow it (or it moved meanwhile)."""
    target = workflow.ACTION.target(transition, row.status)
    if target is None or not store.set_state(db, row.id, target, row.status, fields):
        raise ActionError(_REFUSED[transition])
    store.event(db, row.id, transition, who[0], who[1], (row.status, target), reason)


def review(
    db: sqlite_utils.Database,
    p: Principal,
    action_id: int,
    confirm: bool,
    now: dt.datetime,
    reason: str | None = None,
) -> ActionRow:
    """A reviewer confirms a close (closed) or reopens the action (open again, with a reason)."""
    row = _get(db, action_id)
    reason = (stored(reason, PROBLEM_MAX, _too_long) if reason else "") or None
    if not can_review(p, row.county_id):
        raise ActionError("no_permission")
    at = stamp(now)
    with transaction(db):
        if confirm:
            fields: dict[str, Any] = {"confirmed_by": p.user_id, "confirmed_at": at}
            _move(db, row, workflow.CONFIRM, (p.user_id, at), fields)
        else:
            fields = {"closed_at": None, "evidence_id": None, "confirmed_by": None}
            _move(db, row, REOPEN, (p.user_id, at), fields, reason)
        kind = "action_confirmed" if confirm else "action_reopened"
        tell(db, kind, [row.owner_id or 0], at, row.assessment_id, row.id,
             community=row.community, item=row.question_id, reason=reason)  # fmt: skip
    return _get(db, action_id)


def listing(
    db: sqlite_utils.Database,
    p: Principal,
    today: dt.date,
    *,
    community: int | None = None,
    status: str | None = None,
    mine: bool = False,
) -> list[Listed]:
    """Actions `p` sees (mine: the ones it owns), overdue first; `status` open|overdue|closed."""
    if mine or not p.registered:
        rows = store.listing(db, owner=p.user_id, community=community)
    elif p.admin:
        rows = store.listing(db, community=community)
    else:
        rows = store.listing(db, counties=p.counties, communities=p.communities,
                             community=community)  # fmt: skip
    rows = [r for r in rows if can_view(p, r.community_id, r.county_id) or r.owner_id == p.user_id]
    order = cycles.overdue_first([(r.status, r.due) for r in rows], today)
    out = [Listed(rows[i], cycles.action_state(rows[i].status, rows[i].due, today)) for i in order]
    if status == workflow.ACTION_OPEN:
        return [
            x
            for x in out
            if x.state in (workflow.ACTION_OPEN, cycles.OVERDUE, workflow.ACTION_CLOSING)
        ]
    if status is not None:
        return [x for x in out if x.state == status]
    return out


def history(db: sqlite_utils.Database, action_id: int) -> list[tuple[Any, ...]]:
    return store.events(db, action_id)


def get(db: sqlite_utils.Database, action_id: int) -> ActionRow | None:
    return store.get(db, action_id)


def due_reminders(db: sqlite_utils.Database, today: dt.date) -> list[tuple[Due, ActionRow]]:
    """Owners to remind today: before the due day and after it while the action stays open.

    Keyed like deadline reminders (deadline `action-<id>`, occurrence the due day, lead the
    days before it, negative after) so the reminder log's claim makes each leave once.
    """
    out = []
    for r in store.listing(db):
        if r.status != workflow.ACTION_OPEN or r.owner_id is None:
            continue
        lead = cycles.reminder_day(dt.date.fromisoformat(r.due), today)
        if lead is None:
            continue
        d = Due(r.owner_id, f"action-{r.id}", dt.date.fromisoformat(r.due), lead, True,
                "worker", communities=(r.community_id,), lang=r.lang or "zh")  # fmt: skip
        out.append((d, r))
    return out


def reassign(
    db: sqlite_utils.Database, p: Principal, action_id: int, token: str, now: dt.datetime
) -> ActionRow:
    """Give an unfinished action to another worker of its community (`token`: @username or
    user id), who is told; reviewers only."""
    row = _get(db, action_id)
    if not can_review(p, row.county_id):
        raise ActionError("no_permission")
    if row.status == workflow.ACTION_CLOSED:
        raise ActionError("not_open")
    owner = owner_named(db, row.community_id, token)
    at = stamp(now)
    with transaction(db):
        store.set_owner(db, row.id, owner)
        store.event(db, row.id, "reassign", p.user_id, at, (str(row.owner_id), str(owner)))
        tell(db, "action_reassigned", [owner], at, row.assessment_id, row.id,
             community=row.community, item=row.question_id, problem=row.problem, due=row.due)  # fmt: skip
    return _get(db, action_id)


def default_owner(db: sqlite_utils.Database, community_id: int) -> int | None:
    """The worker an action goes to when none is named: the community's first worker."""
    found = store.workers(db, community_id)
    return found[0] if found else None


def owner_named(db: sqlite_utils.Database, community_id: int, token: str) -> int:
    """The worker `token` (@username or user id) names; ActionError owner_not_worker if none."""
    found = store.worker_named(db, community_id, token)
    if found is None:
        raise ActionError("owner_not_worker", owner=token)
    return found


def names_owner(token: str) -> bool:
    """Whether an /action word names an owner (@username or a user id) rather than the problem."""
    return token.startswith("@") or token.isdigit()
