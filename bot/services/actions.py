"""Corrective actions (整改): open, list, remind, close with evidence, confirm or reopen.

One method per intent, one unit of work each, returning data; the time comes from the clock.
An action is opened on a not-met or partial item, an item a reviewer commented on (sent back),
or a failed 复审 item; its owner is a worker of the community. Closing needs a file attached to
the item after the action was opened (the evidence flow's table); a reviewer of the county
(or an admin) confirms the close or reopens the action. Every change writes an event.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import sqlite_utils

from bot.clock import Clock
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

_REFUSED = {workflow.CLOSE: "not_open", workflow.CONFIRM: "not_closing", REOPEN: "not_closing"}


def _too_long(length: int, limit: int) -> ActionError:
    return ActionError("too_long", length=length, limit=limit)


def names_owner(token: str) -> bool:
    """Whether an /action word names an owner (@username or a user id) rather than the problem."""
    return token.startswith("@") or token.isdigit()


class Actions:
    """Corrective actions over one database and the clock."""

    def __init__(self, db: sqlite_utils.Database, clock: Clock) -> None:
        self.db = db
        self.clock = clock
        self.check_store = CheckStore(db)

    def _check(self, aid: int) -> Assessment:
        a = self.check_store.assessment(aid)
        if a is None:
            raise ActionError("stale")
        return a

    def _get(self, action_id: int) -> ActionRow:
        row = store.get(self.db, action_id)
        if row is None:
            raise ActionError("stale")
        return row

    def worked_on(self, p: Principal, action_id: int) -> ActionRow:
        """An action `p` works on (its community's workers, admins:
        bot.domain.access.can_work_on_action)."""
        row = self._get(action_id)
        if not can_work_on_action(p, row.community_id):
            raise ActionError("no_permission")
        return row

    def get(self, action_id: int) -> ActionRow | None:
        return store.get(self.db, action_id)

    def history(self, action_id: int) -> list[tuple[Any, ...]]:
        return store.events(self.db, action_id)

    # -- opening -----------------------------------------------------------------------------

    def open(
        self,
        p: Principal,
        target: tuple[int, str],
        owner: int | str | None,
        due: dt.date,
        problem: str | None = None,
    ) -> int:
        """Open an action on (check id, item) for `owner` (a user id; a worker named in chat,
        @username or id; None: the community's first worker), due on `due`; return its id."""
        aid, qid = target
        a = self._check(aid)
        if not can_review(p, a.county_id):
            raise ActionError("no_permission")
        owner_id = self._owner(a.community_id, a.community, owner)
        status, verified, comment = store.item_state(self.db, aid, qid)
        failed = (verified or status) in ACTIONABLE or comment is not None
        if not failed:
            raise ActionError("not_actionable", qid=qid)
        if not store.is_worker(self.db, owner_id, a.community_id) and owner_id != p.user_id:
            raise ActionError("owner_not_worker", owner=owner_id)
        text = stored(problem or comment or "", PROBLEM_MAX, _too_long) or qid
        at = self.clock.stamp()
        values = {"community_id": a.community_id, "assessment_id": aid, "question_id": qid,
                  "problem": text, "owner_id": owner_id, "due": due.isoformat(),
                  "opened_by": p.user_id, "opened_at": at}  # fmt: skip
        with transaction(self.db):
            action_id = store.insert(self.db, values)
            store.event(self.db, action_id, "open", p.user_id, at,
                        (None, workflow.ACTION_OPEN), text)  # fmt: skip
            tell(self.db, "action_opened", [owner_id], at, aid, action_id,
                 community=a.community, item=qid, problem=text, due=due.isoformat())  # fmt: skip
        return action_id

    def _owner(self, community_id: int, community: str, owner: int | str | None) -> int:
        if isinstance(owner, int):
            return owner
        if owner is not None:
            return self.owner_named(community_id, owner)
        found = store.workers(self.db, community_id)  # none named: the first worker
        if not found:
            raise ActionError("no_check_or_worker", community=community)
        return found[0]

    def owner_named(self, community_id: int, token: str) -> int:
        """The worker `token` (@username or user id) names; ActionError owner_not_worker if
        none."""
        found = store.worker_named(self.db, community_id, token)
        if found is None:
            raise ActionError("owner_not_worker", owner=token)
        return found

    # -- closing -----------------------------------------------------------------------------

    def ask_file(self, p: Principal, action_id: int, where: tuple[int, int]) -> ActionRow:
        """Remember the 📎 prompt (chat, message) that asks for the action's closing file."""
        row = self.worked_on(p, action_id)
        if row.status != workflow.ACTION_OPEN:
            raise ActionError("not_open")
        with transaction(self.db):
            prompts.put(self.db, (where[0], p.user_id, where[1]), ("action", row.assessment_id,
                        row.question_id), self.clock.stamp(), action_id=row.id)  # fmt: skip
        return row

    def attach(self, p: Principal, action_id: int, file: dict[str, Any]) -> bool:
        """Attach a closing file to an open action, whatever the check's state (its answers
        stay as they are); False when this file is attached already."""
        row = self.worked_on(p, action_id)
        if row.status != workflow.ACTION_OPEN:
            raise ActionError("not_open")
        with transaction(self.db):
            return store.attach(self.db, row, p.user_id, self.clock.stamp(), file)

    def close(self, p: Principal, action_id: int) -> ActionRow:
        """The owner (or a worker of the community) closes it with a file: attached to it, or
        to its item since it opened."""
        row = self.worked_on(p, action_id)
        at = self.clock.stamp()
        with transaction(self.db):
            found = store.evidence_since(self.db, row)
            if found is None and workflow.ACTION.can(workflow.CLOSE, row.status):
                raise ActionError("needs_evidence", qid=row.question_id)
            fields = {"closed_at": at, "evidence_id": found}
            self._move(row, workflow.CLOSE, (p.user_id, at), fields)
            tell(self.db, "action_closed", [row.opened_by or 0], at, row.assessment_id, row.id,
                 community=row.community, item=row.question_id)  # fmt: skip
        return self._get(action_id)

    def _move(
        self,
        row: ActionRow,
        transition: str,
        who: tuple[int, str],
        fields: dict[str, Any],
        reason: str | None = None,
    ) -> None:
        """Take the declared transition (bot.domain.workflow.ACTION) from the action's state,
        with its event; ActionError when the table does not allow it (or it moved meanwhile)."""
        target = workflow.ACTION.target(transition, row.status)
        if target is None or not store.set_state(self.db, row.id, target, row.status, fields):
            raise ActionError(_REFUSED[transition])
        store.event(self.db, row.id, transition, who[0], who[1], (row.status, target), reason)

    def review(
        self, p: Principal, action_id: int, confirm: bool, reason: str | None = None
    ) -> ActionRow:
        """A reviewer confirms a close (closed) or reopens the action (open again, with a
        reason)."""
        row = self._get(action_id)
        reason = (stored(reason, PROBLEM_MAX, _too_long) if reason else "") or None
        if not can_review(p, row.county_id):
            raise ActionError("no_permission")
        at = self.clock.stamp()
        with transaction(self.db):
            if confirm:
                fields: dict[str, Any] = {"confirmed_by": p.user_id, "confirmed_at": at}
                self._move(row, workflow.CONFIRM, (p.user_id, at), fields)
            else:
                fields = {"closed_at": None, "evidence_id": None, "confirmed_by": None}
                self._move(row, REOPEN, (p.user_id, at), fields, reason)
            kind = "action_confirmed" if confirm else "action_reopened"
            tell(self.db, kind, [row.owner_id or 0], at, row.assessment_id, row.id,
                 community=row.community, item=row.question_id, reason=reason)  # fmt: skip
        return self._get(action_id)

    def reassign(self, p: Principal, action_id: int, token: str) -> ActionRow:
        """Give an unfinished action to another worker of its community (`token`: @username or
        user id), who is told; reviewers only."""
        row = self._get(action_id)
        if not can_review(p, row.county_id):
            raise ActionError("no_permission")
        if row.status == workflow.ACTION_CLOSED:
            raise ActionError("not_open")
        owner = self.owner_named(row.community_id, token)
        at = self.clock.stamp()
        with transaction(self.db):
            store.set_owner(self.db, row.id, owner)
            store.event(self.db, row.id, "reassign", p.user_id, at,
                        (str(row.owner_id), str(owner)))  # fmt: skip
            tell(self.db, "action_reassigned", [owner], at, row.assessment_id, row.id,
                 community=row.community, item=row.question_id, problem=row.problem,
                 due=row.due)  # fmt: skip
        return self._get(action_id)

    # -- lists -------------------------------------------------------------------------------

    def listing(
        self,
        p: Principal,
        *,
        community: int | None = None,
        status: str | None = None,
        mine: bool = False,
    ) -> list[Listed]:
        """Actions `p` sees (mine: the ones it owns), overdue first (today, by the clock);
        `status` open|overdue|closed."""
        if mine or not p.registered:
            rows = store.listing(self.db, owner=p.user_id, community=community)
        elif p.admin:
            rows = store.listing(self.db, community=community)
        else:
            rows = store.listing(self.db, counties=p.counties, communities=p.communities,
                                 community=community)  # fmt: skip
        rows = [r for r in rows
                if can_view(p, r.community_id, r.county_id) or r.owner_id == p.user_id]  # fmt: skip
        today = self.clock.today()
        order = cycles.overdue_first([(r.status, r.due) for r in rows], today)
        out = [Listed(rows[i], cycles.action_state(rows[i].status, rows[i].due, today))
               for i in order]  # fmt: skip
        if status == workflow.ACTION_OPEN:
            return [
                x
                for x in out
                if x.state in (workflow.ACTION_OPEN, cycles.OVERDUE, workflow.ACTION_CLOSING)
            ]
        if status is not None:
            return [x for x in out if x.state == status]
        return out

    def due_reminders(self, today: dt.date) -> list[tuple[Due, ActionRow]]:
        """Owners to remind on `today` (the reminder run's day): before the due day and after
        it while the action stays open.

        Keyed like deadline reminders (deadline `action-<id>`, occurrence the due day, lead the
        days before it, negative after) so the reminder log's claim makes each leave once.
        """
        out = []
        for r in store.listing(self.db):
            if r.status != workflow.ACTION_OPEN or r.owner_id is None:
                continue
            lead = cycles.reminder_day(dt.date.fromisoformat(r.due), today)
            if lead is None:
                continue
            d = Due(r.owner_id, f"action-{r.id}", dt.date.fromisoformat(r.due), lead, True,
                    "worker", communities=(r.community_id,), lang=r.lang or "zh")  # fmt: skip
            out.append((d, r))
        return out
