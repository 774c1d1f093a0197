"""The review chain: hand a submitted check over, review it item by item, send it back with
reasons, approve it stage by stage, recognise and publish it; the history of all of it.

One method per intent, one unit of work each, returning data. The stages come from the active
program's `review_chain` (bot.domain.workflow.Chain); who may act is bot.domain.workflow.may_act;
the SQL is bot.store.reviews. The clock is injected (`now` parameters).
"""

from __future__ import annotations

import datetime as dt
from typing import NamedTuple

import sqlite_utils

from bot.clock import stamp
from bot.domain import answers, cycles, workflow
from bot.domain.access import Principal
from bot.domain.answers import CheckError, Row, View
from bot.domain.schedule import Due
from bot.domain.scoring import Result, score
from bot.domain.workflow import Chain, Scope, Stage
from bot.services.checks import Checks
from bot.store import cycles as cycle_store
from bot.store import people as people_store
from bot.store.db import transaction
from bot.store.reviews import Comment, Event, ReviewRow, ReviewStore, Waiting, files
from bot.texts import t
from bot.texts.review import STAGE_WORDS


class Handed(NamedTuple):
    stage: Stage
    reviewers: list[int]
    again: bool  # a resubmission after a send-back: back to the reviewer who sent it


class Moved(NamedTuple):
    """After an approval or a publish step: where the check is now and who to tell."""

    done: Stage  # the stage just approved or recorded
    next: Stage | None
    notify: list[int]
    state: str


class SentBack(NamedTuple):
    reopened: list[str]
    reason: str
    comments: list[Comment]
    workers: list[int]
    community: str


class Summary(NamedTuple):
    """The chain in figures, for what `p` sees: checks waiting per stage, verified 达标."""

    waiting: list[tuple[str, int]]  # (stage, checks waiting there), in chain order
    returned: int
    recognised: int  # recognised or published
    verified: int  # checks some reviewer approved (their 达标 is the verified one)
    verified_passed: int
    self_passed_of_verified: int  # of those, how many the community's own result called 达标


class Recognised(NamedTuple):
    community: str
    street: str | None
    county: str
    self_score: float
    verified_score: float | None
    recognised_at: str | None
    published_at: str | None


class Detail(NamedTuple):
    """A check as a reviewer reads it: the worker's view, the verified answers and results."""

    view: View
    review: ReviewRow | None
    verified: dict[str, Row]
    merged: Result  # the worker's answers with the verified ones in their place
    comments: list[Comment]
    reopened: list[str]
    stage: Stage | None


def figure(r: Result) -> float:
    """A check's headline figure: its score (points standards) or its met count."""
    return r.score if r.score is not None else float(r.met)


class Reviews:
    """The review chain over the check service's database and the active program."""

    def __init__(self, checks: Checks) -> None:
        self.checks = checks
        self.db = checks.db
        self.store = ReviewStore(checks.db)
        self.clock = checks.clock
        self.chain = Chain.from_names(checks.program.review_chain, STAGE_WORDS)

    # -- access -----------------------------------------------------------------------------

    def is_reviewer(self, p: Principal) -> bool:
        return p.admin or bool(p.counties) or bool(p.streets)

    def _may_act(self, p: Principal, stage: Stage, at: Scope) -> bool:
        return workflow.may_act(p.admin, p.streets, p.counties, stage.role, at)

    def _sees(self, p: Principal, at: Scope) -> bool:
        return workflow.may_see(p.admin, p.streets, p.counties, at)

    def _acting(self, p: Principal, aid: int) -> tuple[ReviewRow, Stage, Scope]:
        """The check's review row and stage, if `p` may act on it now (else CheckError)."""
        r, at = self.store.review(aid), self.store.scope(aid)
        if r is None or at is None:
            raise CheckError("stale")
        stage = self.chain.stage(r.stage)
        if stage is None or not self._may_act(p, stage, at):
            raise CheckError("no_permission")
        if r.state not in (workflow.WAITING, workflow.RECOGNISED):
            raise CheckError("locked")
        a = self.checks.store.assessment(aid)
        if a is None or a.status != workflow.SUBMITTED:  # reopened by an admin meanwhile
            raise CheckError("locked")
        return r, stage, at

    def may_act(self, p: Principal, aid: int) -> None:
        """CheckError unless `p` may act on the check now."""
        self._acting(p, aid)

    def acts_on(self, p: Principal, d: Detail) -> bool:
        """Whether the review card `p` sees offers the stage's buttons."""
        at = self.store.scope(d.view.assessment.id)
        if d.stage is None or at is None or d.review is None:
            return False
        return d.review.state == workflow.WAITING and self._may_act(p, d.stage, at)

    def ask(self, p: Principal, card: tuple[int, int], target: tuple[str, int, str],
            now: dt.datetime) -> None:  # fmt: skip
        """Remember a reply prompt (kind reason | comment, check, item) a reviewer was sent."""
        with transaction(self.db):
            self.store.set_prompt(card, p.user_id, target, stamp(now))

    def prompt(self, chat_id: int, message_id: int) -> tuple[int, str, str, int] | None:
        """(user id, kind, item, check) of the reply prompt a message answers (None: not ours)."""
        return self.store.prompt(chat_id, message_id)

    def files(self, p: Principal, aid: int, qid: str) -> list[tuple[str, str]]:
        """(kind, file id) of an item's evidence, for whoever may see the check."""
        self.detail(p, aid)  # access
        return files(self.db, aid, qid)

    def current(self, aid: int) -> Detail:
        """The check as its reviewers are shown it (no access check: for notifications)."""
        return self._detail(aid)

    def role_of(self, p: Principal, stage: Stage) -> str:
        """The role an action is recorded under: the city for admins, else the stage's."""
        return "city" if p.admin else stage.role

    # -- the community's side ---------------------------------------------------------------

    def editable(self, aid: int, qid: str) -> bool:
        """A sent-back check: only the reopened items may change (the others stay as answered)."""
        r = self.store.review(aid)
        return r is None or r.state != workflow.RETURNED or self.store.is_reopened(aid, qid)

    def handover(self, p: Principal, aid: int, now: dt.datetime) -> Handed | None:
        """After /submit: the check enters the first review stage (or goes back to the stage
        that sent it back). None when the program has no review chain."""
        first = self.chain.first()
        if first is None:
            return None
        at = stamp(now)
        with transaction(self.db):
            r, scope = self.store.review(aid), self.store.scope(aid)
            assert scope is not None
            again = r is not None and r.state == workflow.RETURNED
            stage = (self.chain.stage(r.stage) if r and again else None) or first
            self.store.enter(aid, stage.name, workflow.WAITING, at)
            self.store.clear_reopened(aid)
            self.store.event(aid, stage.name, workflow.SUBMIT, (p.user_id, "worker"), at)
            who = [r.returned_by] if r and again and r.returned_by else self.reviewers(stage, scope)
        return Handed(stage, who, again)

    def reviewers(self, stage: Stage, at: Scope) -> list[int]:
        if stage.role == "street":
            return self.store.street_reviewers(at.street_id)
        if stage.role == "county":  # its contacts, and groups bound to the county
            contacts = self.store.role_users("contact", None, at.county_id)
            return contacts + self.store.county_groups(at.county_id)
        return self.store.role_users("admin", None, None)

    def langs(self, user_ids: list[int]) -> dict[int, str]:
        """The recipients' languages (zh for the unknown)."""
        known = self.store.langs(user_ids) if user_ids else {}
        return {u: known.get(u, "zh") for u in user_ids}

    def overdue(self, now: dt.datetime) -> list[tuple[Due, Waiting]]:
        """Reminders for checks waiting at a stage longer than the program's
        `review_remind_days` (N): one per reviewer every N days, keyed like deadline
        reminders (deadline `review-<check>-<stage>`, occurrence the day it became due) so the
        reminder log's claim makes each one leave once."""
        days = self.checks.program.review_remind_days
        out = []
        for w in self.store.waiting(workflow.WAITING):
            stage = self.chain.stage(w.stage)
            since = self.clock.day(w.entered_at)  # local days: the queue counts them so too
            waited = (self.clock.local(now).date() - since).days
            if stage is None or waited < days:
                continue
            due_on = since + dt.timedelta(days=days * (waited // days))
            scope = Scope(w.community_id, w.street_id, w.county_id)
            for uid, lang in self.langs(self.reviewers(stage, scope)).items():
                key = f"review-{w.assessment_id}-{stage.index}"
                out.append((Due(uid, key, due_on, -waited, True, "contact", lang=lang), w))
        return out

    def workers(self, at: Scope) -> list[int]:
        return self.store.role_users("worker", at.community_id, None)

    # -- reading ----------------------------------------------------------------------------

    def queue(self, p: Principal, stage: str | None = None) -> list[Waiting]:
        """What waits for `p` (at stages they act on), oldest first."""
        out = []
        for w in self.store.waiting(workflow.WAITING, stage):
            s = self.chain.stage(w.stage)
            if s and self._may_act(p, s, Scope(w.community_id, w.street_id, w.county_id)):
                out.append(w)
        return out

    def listing(self, p: Principal, stage: str | None = None) -> list[Waiting]:
        """Every check in the chain `p` may see (any state), oldest first."""
        return [
            w
            for w in self.store.waiting(None, stage)
            if self._sees(p, Scope(w.community_id, w.street_id, w.county_id))
        ]

    def detail(self, p: Principal, aid: int) -> Detail:
        at = self.store.scope(aid)
        if at is None:
            raise CheckError("stale")
        if not (self._sees(p, at) or p.can_answer(at.community_id)):
            raise CheckError("no_permission")
        return self._detail(aid)

    def _detail(self, aid: int) -> Detail:
        a, rows = self.checks.store.load(aid)
        if a is None:
            raise CheckError("stale")
        std = self.checks.standard_for(a)
        verified = self.store.verified(aid)
        merged = {**rows, **{q: v._replace(note=None) for q, v in verified.items()}}
        r = self.store.review(aid)
        view = View(a, std, rows, score(std, rows))
        stage = self.chain.stage(r.stage) if r else None
        comments, reopened = self.store.comments(aid, False), self.store.reopened(aid)
        return Detail(view, r, verified, score(std, merged), comments, reopened, stage)

    def for_community(self, p: Principal, community_id: int) -> Detail:
        a = self.checks.for_community(community_id)
        if a is None:
            raise CheckError("no_check")
        return self.detail(p, a.id)

    def summary(self, p: Principal) -> Summary:
        """Checks per stage and verified 达标, within the counties `p` sees (admins: all)."""
        rows = [r for r in self.store.counts() if p.admin or r[2] in p.counties]
        per = {s.name: 0 for s in self.chain.reviews}
        for stage, state, *_ in rows:
            if state == workflow.WAITING and stage in per:
                per[stage] += 1
        done = (workflow.RECOGNISED, workflow.PUBLISHED)
        verified = [r for r in rows if r[3] is not None]
        return Summary(
            list(per.items()),
            sum(r[1] == workflow.RETURNED for r in rows),
            sum(r[1] in done for r in rows),
            len(verified),
            sum(bool(r[3]) for r in verified),
            sum(bool(r[4]) for r in verified),
        )

    def passed_delta(self, p: Principal) -> dict[int, int]:
        """Per county: verified 达标 minus self-assessed 达标 over the checks a reviewer approved.

        Added to a county's self-assessed 达标 count, it gives the count the progress table
        should show "from verified results once a check is verified" (the reports code reads
        self-assessed counts; wiring this in is theirs)."""
        out: dict[int, int] = {}
        for _, _, county, verified, own in self.store.counts():
            if verified is None or not (p.admin or county in p.counties):
                continue
            out[county] = out.get(county, 0) + int(bool(verified)) - int(bool(own))
        return out

    def recognised(self, p: Principal) -> list[Recognised]:
        """The recognised communities (for public notice), in the order they were recognised;
        a recognition withdrawn since (a failed 复审, issue 13) is left out."""
        out = []
        dropped: dict[int, str] = {}
        for cid, at, _ in cycle_store.withdrawals(self.db):
            dropped[cid] = max(at, dropped.get(cid, ""))
        for w in self.listing(p):
            if w.state not in (workflow.RECOGNISED, workflow.PUBLISHED):
                continue
            if dropped.get(w.community_id, "") >= (w.recognised_at or "~"):  # at or after it
                continue
            d = self._detail(w.assessment_id)
            out.append(Recognised(w.community, w.street, w.county, figure(d.view.result),
                                  figure(d.merged), w.recognised_at, w.published_at))  # fmt: skip
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

    def verify(self, p: Principal, aid: int, qid: str, code: str, now: dt.datetime) -> Detail:
        """Set an item's verified answer (`code` as the worker's buttons; "k": confirm theirs)."""
        at = stamp(now)
        with transaction(self.db):
            _r, stage, _ = self._acting(p, aid)
            d = self._detail(aid)
            q = answers.question(d.view.standard, qid)
            own = d.view.rows.get(qid)
            before = d.verified.get(qid) or own
            if code == "k":
                if own is None or own.status is None:
                    raise CheckError("bad_answer")
                new = answers.Answer(own.status, own.points, own.deductions)
            else:
                new = answers.resolve(q, code, d.verified.get(qid) or own)[0]
            self.store.verify(aid, qid, new, stage.name, p.user_id, at)
            was = _label(before)
            item = (qid, was, _label(Row(new.status, new.points, new.deductions, None, 0)))
            self.store.event(aid, stage.name, workflow.VERIFY, (p.user_id, self.role_of(p, stage)),
                             at, item)  # fmt: skip
        return self._detail(aid)

    def comment(self, p: Principal, aid: int, qid: str, text: str, now: dt.datetime) -> None:
        """A reviewer's comment on an item ('' : the check): reopened if the check is sent back."""
        at, text = stamp(now), answers.clean_note(text)
        with transaction(self.db):
            _r, stage, _ = self._acting(p, aid)
            self.store.comment(aid, qid, text, stage.name, p.user_id, at)
            who = (p.user_id, self.role_of(p, stage))
            self.store.event(aid, stage.name, workflow.COMMENT, who, at, (qid or None, None, None),
                             text)  # fmt: skip

    def send_back(self, p: Principal, aid: int, reason: str, now: dt.datetime) -> SentBack:
        """Return the check to the community with the reason; reopen only the commented items."""
        at, reason = stamp(now), answers.clean_note(reason)
        with transaction(self.db):
            r, stage, scope = self._acting(p, aid)
            if stage.role not in workflow.REVIEW_ROLES or r.state != workflow.WAITING:
                raise CheckError("locked")
            comments = self.store.comments(aid)
            reopened = self.store.reopen_commented(aid)
            self.store.set_returned(aid, p.user_id, at)
            self.store.send_back(aid)
            who = (p.user_id, self.role_of(p, stage))
            self.store.event(aid, stage.name, workflow.SEND_BACK, who, at,
                             (None, stage.name, "open"), reason)  # fmt: skip
            a = self.checks.store.assessment(aid)
        community = a.community if a else ""
        return SentBack(reopened, reason, comments, self.workers(scope), community)

    def approve(self, p: Principal, aid: int, now: dt.datetime) -> Moved:
        """通过: move on to the next stage; the last review stage records the recognition;
        a publish stage (公示, 公布) records its date."""
        at = stamp(now)
        with transaction(self.db):
            _r, stage, scope = self._acting(p, aid)
            nxt = self.chain.after(stage.name)
            if stage.role == "publish":
                action, state = workflow.PUBLISH, workflow.RECOGNISED if nxt else workflow.PUBLISHED
                self.store.set_dates(aid, None, at if nxt is None else None)
            else:
                action = workflow.APPROVE
                last = nxt is None or nxt.role == "publish"
                state = workflow.RECOGNISED if last else workflow.WAITING
                if last:
                    self.store.set_dates(aid, at, None if nxt else at)
                    state = state if nxt else workflow.PUBLISHED
            self.store.enter(aid, nxt.name if nxt else stage.name, state, at)
            who = (p.user_id, self.role_of(p, stage))
            if action == workflow.APPROVE:  # the approver vouches for the verified result
                merged = self._detail(aid).merged
                self.store.set_verified(aid, figure(merged), merged.passed, p.user_id)
                if state != workflow.WAITING and not merged.passed:
                    self._rereview_failed(aid, stage, who, merged, at)
            after = nxt.name if nxt else state
            self.store.event(aid, stage.name, action, who, at, (None, stage.name, after))
        notify = self.reviewers(nxt, scope) if nxt and state == workflow.WAITING else []
        return Moved(stage, nxt, notify, state)

    # -- issue 13: 复审 (a yearly re-review of a recognised community) ------------------------

    def _rereview_failed(
        self, aid: int, stage: Stage, who: tuple[int, str], merged: Result, at: str
    ) -> None:
        """A 复审 whose verified result fails at its last review stage withdraws the community's
        recognition, recorded with the reason (in the program's language: it is data)."""
        a = self.checks.get(aid)
        if a is None or self.checks.kind(aid) != cycles.REREVIEW:
            return
        reason = t("zh", "rv_rereview_failed", score=f"{figure(merged):g}")
        cycle_store.withdraw(self.db, a.community_id, aid, reason, who[0], at)
        self.store.event(aid, stage.name, "withdraw", who, at, comment=reason)

    def withdraw(self, p: Principal, aid: int, reason: str, now: dt.datetime) -> str:
        """复审不合格: withdraw the community's recognition (admins), recorded with the reason
        in the withdrawals table and the check's history; return the community's name."""
        if not p.admin:
            raise CheckError("no_permission")
        a = self.checks.get(aid)
        if a is None or self.checks.kind(aid) != cycles.REREVIEW:
            raise CheckError("not_rereview")
        text = answers.clean_note(reason)
        if not text:
            raise CheckError("reason_needed")
        at = stamp(now)
        with transaction(self.db):
            cycle_store.withdraw(self.db, a.community_id, aid, text, p.user_id, at)
            self.store.event(aid, None, "withdraw", (p.user_id, "admin"), at, comment=text)
        return a.community

    def publish(self, p: Principal, aid: int, now: dt.datetime) -> Moved:
        """Record the next publish step (公示, then 公布) of a recognised check (the city)."""
        r = self.store.review(aid)
        if r is None or r.state != workflow.RECOGNISED:
            raise CheckError("not_recognised")
        return self.approve(p, aid, now)


def _label(row: Row | None) -> str | None:
    if row is None or row.status is None:
        return None
    return row.status if row.points is None else f"{row.status} {row.points:g}"


def grant_street(
    db: sqlite_utils.Database, user_id: int, community_id: int, now: dt.datetime
) -> int | None:
    """Make a user the street reviewer of a community's street (the demo's role table, the
    tests); return the street id (None: the community has no street in the roster). The role
    is recorded like an invite's ('street' for the county, in roles), so /revoke removes it."""
    store = ReviewStore(db)
    street = store.street_of(community_id)
    if street is not None:
        with transaction(db):
            store.grant_street(user_id, street, stamp(now))
            at, county = stamp(now), store.street_county(street)
            people_store.insert_user_if_missing(db, user_id, f"user {user_id}", at)
            people_store.insert_role(db, user_id, "street", None, county, at, "cli")
    return street


def find_streets(db: sqlite_utils.Database, name: str) -> list[tuple[int, str, int]]:
    """Streets matching `name` (an exact name alone when there is one): (id, name, county)."""
    found = ReviewStore(db).find_street(name)
    exact = [f for f in found if f[1] == name]
    return exact or found


def street_invite(
    db: sqlite_utils.Database,
    street: tuple[int, str, int],
    created_by: int | None,
    now: dt.datetime,
    days: int,
) -> str:
    """A single-use invite for a street reviewer; redeeming it grants the street (trigger)."""
    from bot.services.people import create_invite

    street_id, _, county_id = street
    with transaction(db):
        code = create_invite(db, "street", created_by, now, None, county_id, days)
        ReviewStore(db).set_invite_street(code, street_id)
    return code
