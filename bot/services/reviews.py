"""The review chain as use cases: submit (the hand-over included), verify, comment, send back,
approve (recognise, publicise, publish, award), withdraw, reopen; the queue, a check's detail,
its history and the recognised communities.

Each use case is one unit of work that checks access (bot.domain.access), follows the declared
transition (bot.domain.workflow: the check's table and the review table), writes the event and,
where a community comes to count as done, its verdict; it returns data, including who must be
told (`Notice`). A button names the check and the stage it was sent for, so a second tap on an
old notice, a second admin or a replay finds the stage already left and changes nothing.
The stages come from the program file (`review_chain`, `rereview_chain`); the SQL is
bot.store.reviews; the clock is the check service's.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, NamedTuple

from bot.domain import answers, cycles, publicity, workflow
from bot.domain.access import Principal, Scope, can_act, can_see_check
from bot.domain.answers import Row, View
from bot.domain.errors import ReviewError
from bot.domain.programs import MAX_PUBLICITY_DAYS
from bot.domain.reviews import Comment, Event, Recognised, ReviewRow, Summary, Waiting
from bot.domain.schedule import Due
from bot.domain.scoring import Result, failing, score
from bot.domain.standards import Standard
from bot.domain.workflow import Chain, Stage
from bot.services.checks import Checks, Submitted
from bot.services.notices import tell
from bot.services.targets import RECOGNITIONS
from bot.store import cycles as cycle_store
from bot.store import prompts
from bot.store import publicity as publicity_store
from bot.store.db import transaction
from bot.store.reviews import ReviewStore, files


class Handed(NamedTuple):
    """After a submit: the check as submitted, the stage it waits at (None: no chain)."""

    submitted: Submitted
    stage: Stage | None


class Moved(NamedTuple):
    """After an approval: the stage just passed, where the check is now, who to tell."""

    done: Stage
    next: Stage | None  # None: the chain is complete
    recognised: bool  # this approval recognised the community
    withdrawn: bool  # a failed 复审 withdrew its recognition
    detail: Detail  # the check as it now stands (what the reply shows)


class SentBack(NamedTuple):
    reopened: list[str]
    reason: str
    comments: list[Comment]
    community: str


class Detail(NamedTuple):
    """A check as a reviewer reads it: the worker's view, the verified answers and results."""

    view: View
    review: ReviewRow | None
    verified: dict[str, Row]
    merged: Result  # the worker's answers with the verified ones in their place
    failing: list[str]  # the items that keep the verified result from passing
    comments: list[Comment]
    reopened: list[str]
    stage: Stage | None  # the stage it waits at (or last passed)
    acts: bool  # whether the reader acts on that stage now
    # Items changed since this stage last sent the check back, in the standard's order: what a
    # re-review looks at first (a changed item has no verification until it is verified again).
    changed: list[str]


def figure(r: Result) -> float:
    """A check's headline figure: its score (points standards) or its met count."""
    return r.score if r.score is not None else float(r.met)


def stage_facts(stage: Stage) -> dict[str, Any]:
    """The stage a reviewer's notice is for: its buttons name it."""
    return {"stage": stage.index, "stage_name": stage.name, "verifies": stage.verifies,
            "act": stage.act}  # fmt: skip


def card_facts(view: View, verified: dict[str, Row], merged: Result) -> dict[str, Any]:
    """What a reviewer's notice shows of a check: its community, both figures, how many items
    are verified, gaps and files, and the verified conclusion."""
    own = view.result
    return {
        "community": view.assessment.community,
        "own": figure(own),
        "verified": figure(merged),
        "n": len(verified),
        "total": own.total,
        "gaps": own.gap_count,
        "files": sum(row.evidence for row in view.rows.values()),
        "passed": merged.passed,
        "failing": failing(view.standard, merged),
    }


class Reviews:
    """The review chain over the check service's database and the active program."""

    def __init__(self, checks: Checks) -> None:
        self.checks = checks
        self.db = checks.db
        self.store = ReviewStore(checks.db)
        self.clock = checks.clock
        self.program = checks.program
        self.targets = checks.targets

    # -- the chain a check follows ----------------------------------------------------------

    def chain_of(self, aid: int) -> Chain:
        """The chain the check follows (by its kind: Program.chain_for)."""
        return self.program.chain_for(self.checks.kind(aid))

    def _route(self, aid: int, at: str) -> None:
        """Which route a check entering the chain takes: the program's direct route when its
        community is one the route is for and it is submitted by the route's last day (Heyuan:
        former provincial communities in the 2021 分类推进 stage), else the review chain. A
        复审 keeps its own chain."""
        route, kind = self.program.direct_route, self.checks.kind(aid)
        if route is None or kind == cycles.REREVIEW:
            return
        direct = self.clock.day(at) <= route.until and self.store.former_provincial(aid)
        cycle_store.set_kind(self.db, aid, cycles.DIRECT if direct else cycles.CREATE)

    def _acting(self, p: Principal, aid: int, index: int) -> tuple[ReviewRow, Stage, Scope, Chain]:
        """The check at stage `index`, if `p` acts there and the check still waits there
        (one read: bot.store.reviews.place)."""
        found = self.store.place(aid)
        if found is None:
            raise ReviewError("stale")
        r, at, status, kind = found
        chain = self.program.chain_for(kind)
        stage, asked = (chain.named(r.stage) if r else None), chain.at(index)
        if r is None or stage is None or asked is None:
            raise ReviewError("stale")
        if not can_act(p, asked.actor, at):
            raise ReviewError("no_permission")
        if stage.index != index or r.state != workflow.WAITING or status != workflow.SUBMITTED:
            raise self._moved(aid, asked)
        return r, stage, at, chain

    def _moved(self, aid: int, asked: Stage) -> ReviewError:
        """Why nothing happens at a stage the check has left: who decided there, and when."""
        found = self.store.last_decision(aid, asked.name)
        if found is None:
            return ReviewError("locked")
        action, by, at = found
        return ReviewError("decided", action=action, by=by or "-", at=at, stage=asked.name)

    # -- the community's side ---------------------------------------------------------------

    def submit(self, p: Principal, aid: int) -> Handed:
        """Lock the check and hand it to its chain's first stage (or back to the stage that
        returned it), in one unit of work. A program with no chain records the submission and,
        when the check passes, its verdict."""
        with transaction(self.db):
            done = self.checks.submit(p, aid)
            if not done.done:
                return Handed(done, None)
            at = done.view.assessment.submitted_at or self.clock.stamp()
            r = self.store.review(aid)
            if r is None:  # entering the chain (not a resubmission): choose the route
                self._route(aid, at)
            chain, scope = self.chain_of(aid), self.store.scope(aid)
            assert scope is not None
            first = chain.first()
            if first is None:
                self.store.event(aid, None, workflow.SUBMIT, (p.user_id, "community"), at)
                if done.view.result.passed:
                    self.store.verdict(aid, "self", at)
                return Handed(done, None)
            again = r is not None and r.state == workflow.RETURNED
            stage = (chain.named(r.stage) if r and again else None) or first
            self.store.enter(aid, stage.name, workflow.WAITING, at)
            self.store.clear_reopened(aid)
            if again:
                self.store.drop_outdated(aid)
            self.store.event(aid, stage.name, workflow.SUBMIT, (p.user_id, "community"), at)
            who = [r.returned_by] if r and again and r.returned_by else self.reviewers(stage, scope)
            view, verified, merged = self._result(aid)
            facts = card_facts(view, verified, merged) | stage_facts(stage)
            if again:
                facts["changed"] = self._changed(view.standard, aid, stage)
            tell(self.db, "resubmitted" if again else "submitted", who, at, aid, **facts)
        return Handed(done, stage)

    def reopen(self, p: Principal, community_id: int) -> str:
        """An admin takes a submitted check back to the community: it leaves the chain (a
        resubmission starts at the first stage again). A recognised community is withdrawn
        with /withdraw, never reopened; a program without a chain loses the check's verdict."""
        if not p.admin:
            raise ReviewError("admin_only")
        at = self.clock.stamp()
        with transaction(self.db):
            a = self.checks.for_community(community_id)
            if a is None:
                named = dict(self.checks.community_names([community_id]))
                raise ReviewError("reopen_no_check", community=named.get(community_id, ""))
            if not workflow.CHECK.can(workflow.REOPEN, a.status):
                raise ReviewError("reopen_not_submitted", community=a.community)
            r = self.store.review(a.id)
            if r is not None and r.recognised_at is not None:
                raise ReviewError("reopen_recognised", community=a.community)
            self.checks.unlock(a.id)
            self.store.leave(a.id)
            if self.chain_of(a.id).first() is None and a.submitted_at is not None:
                cycle_store.withdraw(self.db, a.id, "reopened", "", p.user_id, at)
            self.store.event(a.id, r.stage if r else None, workflow.REOPEN, (p.user_id, "city"), at)
            scope = self.store.scope(a.id)
            assert scope is not None
            tell(self.db, "reopened", self.workers(scope), at, a.id, community=a.community,
                 community_id=a.community_id)  # fmt: skip
        return a.community

    def reviewers(self, stage: Stage, at: Scope) -> list[int]:
        """Who acts on a stage for a check: its street's reviewers, its county's contacts (and
        groups bound to the county), or the admins."""
        if stage.actor == "street":
            return self.store.street_reviewers(at.street_id)
        if stage.actor == "county":
            contacts = self.store.role_users("contact", None, at.county_id)
            return contacts + self.store.county_groups(at.county_id)
        if stage.actor == "expert":
            return self.store.experts(at.cycle)
        return self.store.role_users("admin", None, None)

    def workers(self, at: Scope) -> list[int]:
        return self.store.role_users("worker", at.community_id, None)

    def langs(self, user_ids: list[int]) -> dict[int, str]:
        """The recipients' languages (zh for the unknown)."""
        known = self.store.langs(user_ids) if user_ids else {}
        return {u: known.get(u, "zh") for u in user_ids}

    def overdue(self, now: dt.datetime) -> list[tuple[Due, Waiting]]:
        """Reminders for checks waiting at a stage longer than the program's
        `review_remind_days` (N): one per reviewer every N days, keyed like deadline
        reminders (deadline `review-<check>-<stage>`, occurrence the day it became due) so the
        reminder log's claim makes each one leave once."""
        days = self.program.review_remind_days
        out = []
        for w in self.store.waiting(workflow.WAITING):
            stage = self.chain_of(w.assessment_id).named(w.stage)
            since = self.clock.day(w.entered_at)  # local days: the queue counts them so too
            waited = (self.clock.local(now).date() - since).days
            if stage is None or waited < days:
                continue
            due_on = since + dt.timedelta(days=days * (waited // days))
            scope = w.scope
            for uid, lang in self.langs(self.reviewers(stage, scope)).items():
                key = f"review-{w.assessment_id}-{stage.index}"
                out.append((Due(uid, key, due_on, -waited, True, "contact", lang=lang), w))
        return out

    # -- reading ----------------------------------------------------------------------------

    def queue(self, p: Principal) -> list[Waiting]:
        """What waits for `p` (at stages they act on), oldest first."""
        out = []
        for w in self.store.waiting(workflow.WAITING):
            s = self.chain_of(w.assessment_id).named(w.stage)
            if s and can_act(p, s.actor, w.scope):
                out.append(w)
        return out

    def listing(self, p: Principal, stage: str | None = None) -> list[Waiting]:
        """Every check in the chain `p` may see (any state), oldest first."""
        return [w for w in self.store.waiting(None, stage) if can_see_check(p, w.scope)]

    def detail(self, p: Principal, aid: int) -> Detail:
        at = self.store.scope(aid)
        if at is None:
            raise ReviewError("stale")
        if not can_see_check(p, at):
            raise ReviewError("no_permission")
        return self._detail(aid, p, at)

    def current(self, aid: int) -> Detail:
        """The check as its reviewers are shown it (no reader: for notices)."""
        return self._detail(aid, None, None)

    def _detail(self, aid: int, p: Principal | None, at: Scope | None) -> Detail:
        view, verified, merged = self._result(aid)
        r = self.store.review(aid)
        stage = self.chain_of(aid).named(r.stage) if r else None
        waiting = r is not None and r.state == workflow.WAITING and view.assessment.locked
        acts = bool(p and at and stage and waiting and can_act(p, stage.actor, at))
        comments, reopened = self.store.comments(aid, False), self.store.reopened(aid)
        std = view.standard
        changed = self._changed(std, aid, stage)
        return Detail(view, r, verified, merged, failing(std, merged), comments, reopened,
                      stage, acts, changed)  # fmt: skip

    def _changed(self, std: Standard, aid: int, stage: Stage | None) -> list[str]:
        """The items changed since `stage` last sent the check back, in the standard's order."""
        found = self.store.changed(aid, stage.name) if stage else set()
        return [q.id for q in std.questions if q.id in found]

    def _result(self, aid: int) -> tuple[View, dict[str, Row], Result]:
        """The check, the reviewers' verified answers, and its result with them in place."""
        a, rows = self.checks.stored(aid)
        if a is None:
            raise ReviewError("stale")
        std = self.checks.standard_for(a)
        verified = self.store.verified(aid)
        merged = score(std, {**rows, **{q: v._replace(note=None) for q, v in verified.items()}})
        return View(a, std, rows, score(std, rows)), verified, merged

    def for_community(self, p: Principal, community_id: int) -> Detail:
        a = self.checks.for_community(community_id)
        if a is None:
            raise ReviewError("no_check")
        return self.detail(p, a.id)

    def files(self, p: Principal, aid: int, qid: str) -> list[tuple[str, str]]:
        """(kind, file id) of an item's evidence, for whoever may see the check."""
        self.detail(p, aid)  # access
        return files(self.db, aid, qid)

    def summary(self, p: Principal) -> Summary:
        """Checks per stage, sent back and recognised, within the counties `p` sees."""
        rows = [r for r in self.store.counts() if p.admin or r[2] in p.counties]
        stages = [*self.program.chain.stages[1:], *self.program.direct.stages[1:]]
        per = {s.name: 0 for s in stages}
        for stage, state, *_ in rows:
            if state == workflow.WAITING and stage in per:
                per[stage] += 1
        recognised = len(self.recognised(p)) if self.program.chain.recognising else 0
        returned = sum(r[1] == workflow.RETURNED for r in rows)
        return Summary(list(per.items()), returned, recognised)

    def recognised(self, p: Principal) -> list[Recognised]:
        """The communities recognised now, each once, with the result of its latest check that
        was recognised or passed its 复审, in the order they were first recognised."""
        latest = self.targets.standing(self.clock.stamp(), RECOGNITIONS)
        shown = [w for w in self.listing(p) if w.community_id in latest]
        periods = publicity_store.periods(self.db, [w.assessment_id for w in shown])
        out = []
        for w in shown:
            found = latest[w.community_id]
            if found.aid != w.assessment_id:
                continue
            d, period = self._detail(w.assessment_id, None, None), periods.get(w.assessment_id)
            out.append(Recognised(w.community, w.street, w.county, figure(d.view.result),
                                  figure(d.merged), found.since, w.published_at,
                                  (period.start, period.end) if period else None))  # fmt: skip
        return sorted(out, key=lambda r: r.recognised_at or "")

    def all_history(self, p: Principal) -> list[tuple[str, Event]]:
        """(community, event) for every check in the chain `p` sees, whole, oldest check first."""
        return [
            (w.community, e) for w in self.listing(p) for e in self.store.events(w.assessment_id)
        ]

    def verified_by(self, aid: int) -> str | None:
        """Who last vouched for the verified result (None: nobody approved it yet)."""
        return self.store.verified_row(aid)[2]

    def history(self, p: Principal, aid: int) -> list[Event]:
        self.detail(p, aid)  # access
        return self.store.events(aid)

    # -- reviewing --------------------------------------------------------------------------

    def may_act(self, p: Principal, aid: int, index: int) -> None:
        """ReviewError unless `p` acts at stage `index` of the check now."""
        self._acting(p, aid, index)

    def ask(self, p: Principal, card: tuple[int, int], target: tuple[str, int, str, int]) -> None:
        """Remember a reply prompt (kind reason | comment, check, item, stage) a reviewer got."""
        kind, aid, qid, index = target
        with transaction(self.db):
            _, stage, _, _ = self._acting(p, aid, index)
            where = (card[0], p.user_id, card[1])
            prompts.put(self.db, where, (kind, aid, qid), self.clock.stamp(), stage=stage.name)

    def stage_index(self, aid: int, name: str | None) -> int:
        """The index of a stage named in a prompt (-1: the chain has no such stage now)."""
        stage = self.chain_of(aid).named(name or "")
        return stage.index if stage else -1

    def verify(self, p: Principal, aid: int, index: int, qid: str, code: str) -> Detail:
        """Set an item's verified answer (`code` as the worker's buttons; "k": confirm theirs)."""
        at = self.clock.stamp()
        with transaction(self.db):
            _, stage, scope, _ = self._acting(p, aid, index)
            if not stage.verifies:
                raise ReviewError("not_verifying")
            d = self._detail(aid, p, scope)
            q = answers.question(d.view.standard, qid, ReviewError)
            own = d.view.rows.get(qid)
            before = d.verified.get(qid) or own
            if code == "k":
                if own is None or own.status is None:
                    raise ReviewError("bad_answer")
                new = answers.Answer(own.status, own.points, own.deductions)
            else:
                new = answers.resolve(q, code, d.verified.get(qid) or own)[0]
            self.store.verify(aid, qid, new, stage.name, p.user_id, at)
            item = (
                qid,
                _label(before),
                _label(Row(new.status, new.points, new.deductions, None, 0)),
            )
            self.store.event(aid, stage.name, workflow.VERIFY, self._who(p, stage), at, item)
        return self._detail(aid, p, scope)

    def comment(self, p: Principal, aid: int, index: int, qid: str, text: str) -> None:
        """A reviewer's comment on an item ('' : the check): reopened if the check is sent back."""
        at, text = self.clock.stamp(), answers.clean_note(text, ReviewError)
        with transaction(self.db):
            _, stage, _, _ = self._acting(p, aid, index)
            self.store.comment(aid, qid, text, stage.name, p.user_id, at)
            self.store.event(aid, stage.name, workflow.COMMENT, self._who(p, stage), at,
                             (qid or None, None, None), text)  # fmt: skip

    def send_back(self, p: Principal, aid: int, index: int, reason: str) -> SentBack:
        """Return the check to the community with the reason; reopen only the commented items."""
        at, reason = self.clock.stamp(), answers.clean_note(reason, ReviewError)
        with transaction(self.db):
            r, stage, scope, _ = self._acting(p, aid, index)
            if not stage.verifies or not workflow.REVIEW.can(workflow.SEND_BACK, r.state):
                raise ReviewError("locked")
            comments = self.store.comments(aid)
            reopened = self.store.reopen_commented(aid)
            self.store.set_returned(aid, p.user_id, at)
            self.store.send_back(aid)
            self.store.event(aid, stage.name, workflow.SEND_BACK, self._who(p, stage), at,
                             (None, stage.name, workflow.RETURNED), reason)  # fmt: skip
            back = self._tell_sent_back(aid, scope, stage.name, (reason, comments, reopened), at)
        return back

    def _tell_sent_back(self, aid: int, scope: Scope, stage: str,
                        said: tuple[str, list[Comment], list[str]], at: str) -> SentBack:  # fmt: skip
        """The community's workers hear why their check came back (reason, item comments,
        the items reopened), inside the caller's unit of work."""
        reason, comments, reopened = said
        a = self.checks.get(aid)
        community = a.community if a else ""
        items = [(c.question_id, c.body) for c in comments if c.question_id]
        tell(self.db, "sent_back", self.workers(scope), at, aid, community=community,
             stage_name=stage, reason=reason, comments=items, reopened=reopened)  # fmt: skip
        return SentBack(reopened, reason, comments, community)

    def approve(
        self, p: Principal, aid: int, index: int, confirmed: bool = False, days: int | None = None
    ) -> Moved:
        """通过 at stage `index`: the check moves to the next stage (or completes the chain).

        A stage that attests (认定, 授牌, a county's list) refuses a check whose verified result
        fails the standard ("fails_standard", naming the items); an earlier stage asks to
        confirm first ("confirm_failing"); a 复审 that fails withdraws the recognition. The
        recognising stage records the recognition and its verdict; with no such stage, passing
        the last stage is the verdict. Recording a 公示 starts its period (`days`, where the
        program prints none); 公布 waits for its end (bot.domain.publicity).
        """
        at = self.clock.stamp()
        with transaction(self.db):
            r, stage, scope, chain = self._acting(p, aid, index)
            self._publicity(aid, stage, days, (p.user_id, at))
            view, verified, merged = self._result(aid)
            failed = failing(view.standard, merged)
            self._check_result(stage, merged.passed, failed, confirmed, view.assessment.community)
            nxt = chain.after(stage)
            move = workflow.APPROVE if nxt is not None else workflow.COMPLETE
            state = workflow.REVIEW.target(move, r.state)
            assert state is not None
            vouched = (figure(merged), merged.passed, p.user_id) if stage.verifies else None
            dates = (
                at if stage.act == "recognise" else None,
                at if stage.act == "publish" else None,
            )
            self.store.move(aid, ((nxt or stage).name, state, at), vouched, dates)
            withdrawn = self._record(aid, stage, chain, merged.passed, (at, p.user_id))
            self.store.event(aid, stage.name, move, self._who(p, stage), at,
                             (None, stage.name, (nxt.name if nxt else state)))  # fmt: skip
            moved = Moved(stage, nxt, stage.act == "recognise", withdrawn,
                          Detail(view, r._replace(stage=(nxt or stage).name, state=state,
                                                  entered_at=at),
                                 verified, merged, failed, [], [], nxt or stage, False, []))  # fmt: skip
            self._tell_moved(moved, scope, at)
        return moved

    def _publicity(self, aid: int, stage: Stage, days: int | None, by: tuple[int, str]) -> None:
        """公示 is a period: recording it starts one of the program's days where its seed
        prints them, else the city's `days` ("publicity_days" when none is given); 公布 is
        refused before its end and while an objection is open."""
        uid, at = by
        today = self.clock.day(at)
        if stage.act == "publicise":
            n = self.program.publicity_days(stage.name) or days
            if n is None or not 1 <= n <= MAX_PUBLICITY_DAYS:
                raise ReviewError("publicity_days", stage=stage.name, max=MAX_PUBLICITY_DAYS)
            first, last = publicity.period(today, n)
            publicity_store.start(self.db, aid, stage.name, (first, last, n), uid, at)
        elif stage.act == "publish":
            found = publicity_store.current(self.db, aid)
            if found is not None:
                publicity.check_publish(today, found.end, found.open)

    def return_recognised(self, p: Principal, aid: int, reason: str, cause: str) -> SentBack:
        """After recognition (an objection upheld during 公示): the recognition is withdrawn
        (`cause`, with the reason) and the check goes back to the community; resubmitted, it
        returns to the recognising stage, then 公示 again. Inside the caller's unit of work."""
        at, chain, r = self.clock.stamp(), self.chain_of(aid), self.store.review(aid)
        recognising, scope = chain.recognising, self.store.scope(aid)
        if r is None or recognising is None or scope is None or r.recognised_at is None:
            raise ReviewError("not_recognised")
        who = (p.user_id, "city")
        cycle_store.withdraw(self.db, aid, cause, reason, p.user_id, at)
        self.store.event(aid, r.stage, workflow.WITHDRAW, who, at, (None, None, cause), reason)
        comments, reopened = self.store.comments(aid), self.store.reopen_commented(aid)
        self.store.enter(aid, recognising.name, workflow.RETURNED, at)
        self.store.set_returned(aid, p.user_id, at)
        self.store.clear_recognition(aid)
        self.store.send_back(aid)
        self.store.event(aid, r.stage, workflow.SEND_BACK, who, at,
                         (None, r.stage, workflow.RETURNED), reason)  # fmt: skip
        return self._tell_sent_back(aid, scope, r.stage, (reason, comments, reopened), at)

    def _tell_moved(self, moved: Moved, scope: Scope, at: str) -> None:
        """The next stage's people get the check to act on; the community hears what
        happened to it (approved, recognised, recorded, completed, withdrawn)."""
        d, aid = moved.detail, moved.detail.view.assessment.id
        if moved.next is not None:
            facts = card_facts(d.view, d.verified, d.merged) | stage_facts(moved.next)
            tell(self.db, "reached", self.reviewers(moved.next, scope), at, aid, **facts)
        kind = (
            "withdrawn" if moved.withdrawn
            else "recognised" if moved.recognised
            else f"recorded_{moved.done.act}" if not moved.done.verifies
            else "completed" if moved.next is None
            else "approved"
        )  # fmt: skip
        tell(self.db, kind, self.workers(scope), at, aid, community=d.view.assessment.community,
             community_id=scope.community_id, stage_name=moved.done.name,
             next_name=moved.next.name if moved.next else None, passed=d.merged.passed)  # fmt: skip

    def _check_result(
        self, stage: Stage, passed: bool, failed: list[str], confirmed: bool, community: str
    ) -> None:
        """Refuse, or ask to confirm, a check whose verified result fails (what the adapter
        needs to say so travels with the error: it reads nothing again)."""
        if passed or stage.act == "rereview" or not (stage.verifies or stage.attests):
            return
        if stage.attests:
            raise ReviewError("fails_standard", ids=failed)
        if not confirmed:
            raise ReviewError("confirm_failing", ids=failed, community=community,
                             stage=stage.name, index=stage.index)  # fmt: skip

    def _record(
        self, aid: int, stage: Stage, chain: Chain, passed: bool, when: tuple[str, int]
    ) -> bool:
        """The verdict an approval makes (or the recognition a failed 复审 withdraws); True
        when it withdrew one."""
        at, uid = when
        if stage.act == "recognise":
            self.store.verdict(aid, "recognised", at)
        elif stage.act == "rereview" and not passed:
            cycle_store.withdraw(self.db, aid, "rereview_failed", "", uid, at)
            self.store.event(aid, stage.name, workflow.WITHDRAW, (uid, stage.actor), at,
                             (None, None, "rereview_failed"))  # fmt: skip
            return True
        elif stage.act == "rereview":
            self.store.verdict(aid, "rereview", at)
        if chain.after(stage) is None and chain.done_by == "verified" and passed:
            self.store.verdict(aid, "verified", at)
        return False

    def _who(self, p: Principal, stage: Stage) -> tuple[int, str]:
        """Who acted, under which role: an admin acts as the city whatever the stage."""
        return (p.user_id, "city" if p.admin else stage.actor)

    def withdraw(self, p: Principal, community_id: int, reason: str) -> str:
        """Withdraw a recognised community's recognition (admins), with the reason: recorded in
        the withdrawals and its latest recognised check's history."""
        if not p.admin:
            raise ReviewError("withdraw_admin_only")
        try:
            text = answers.clean_note(reason, ReviewError)
        except ReviewError as exc:
            if exc.code == "note_empty":
                raise ReviewError("withdraw_reason_needed") from None
            raise
        at = self.clock.stamp()
        with transaction(self.db):
            found = self.targets.standing(at, RECOGNITIONS).get(community_id)
            if found is None:
                named = dict(self.checks.community_names([community_id]))
                raise ReviewError("withdraw_not_recognised", community=named.get(community_id, ""))
            aid = found.aid
            cycle_store.withdraw(self.db, aid, "admin", text, p.user_id, at)
            self.store.event(aid, None, workflow.WITHDRAW, (p.user_id, "city"), at,
                             (None, None, "admin"), text)  # fmt: skip
            a, scope = self.checks.get(aid), self.store.scope(aid)
            community = a.community if a else ""
            if scope is not None:
                tell(self.db, "withdrawn", self.workers(scope), at, aid, community=community,
                     community_id=scope.community_id, reason=text)  # fmt: skip
        return community


def _label(row: Row | None) -> str | None:
    if row is None or row.status is None:
        return None
    return row.status if row.points is None else f"{row.status} {row.points:g}"
