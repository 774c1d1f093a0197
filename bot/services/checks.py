"""The self-check service: one method per user intent, each one unit of work, returning data.

Intents: open a check, tap an answer, write a note, attach a file, submit, reopen, ask for a
note or a file (prompts), look at a card. Access is checked here (bot.domain.access), the
answer rules are bot.domain.answers, the life cycle bot.domain.workflow, the SQL
bot.store.checks. The clock is injected (`clock`); nothing below reads the time.

A tap is ONE transaction (BEGIN IMMEDIATE … COMMIT): read the check's state and rows, check
the lock, merge the deduction into what is stored, claim the update id with the card row,
write the answer and the cached summary. Statements: BEGIN, load, card (+claim), answer,
summary, COMMIT — six (four when the answer does not change).
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Callable
from typing import Any, NamedTuple

import sqlite_utils

from bot.clock import Clock, stamp
from bot.domain import answers, cycles, scoring, workflow
from bot.domain.access import Principal, can_answer, can_view
from bot.domain.answers import Answer, Assessment, Row, View
from bot.domain.catalog import Catalog
from bot.domain.errors import CheckError
from bot.domain.outcome import Fix, Outcome, changes
from bot.domain.outcome import outcome as outcome_of
from bot.domain.programs import Program
from bot.domain.reviews import Comment
from bot.domain.scoring import Part, Status, score
from bot.domain.standards import Question, Standard
from bot.domain.text import given
from bot.services.targets import RECOGNITIONS, Targets
from bot.store import cycles as cycle_store
from bot.store import outcome as since_store
from bot.store import prompts
from bot.store.checks import CheckStore, Repeated
from bot.store.db import transaction
from bot.store.reviews import ReviewStore

ROWS_CACHED = 5000  # checks whose rows a service keeps between taps
FILE_NAME_MAX = 255  # characters of a stored file name or MIME type (Telegram sends up to 255)
Card = tuple[int, int]  # (chat id, message id)


class Tapped(NamedTuple):
    """What an answer tap did, and everything its card needs (read after the write's
    transaction, so the adapter calls nothing else)."""

    view: View
    next_qid: str  # the question the card shows next
    changed: bool  # False: the same answer again (nothing written)
    repeat: bool = False  # a redelivered update: nothing written, the card is shown again
    draft: Row | None = None  # last year's answer to the next question, while it is unanswered
    outcome: Outcome | None = None  # where a submitted check stands (None: never submitted)
    prompt: Prompt | None = None  # the user's pending 📎/✏️ prompt in the card's chat


class _Copy(NamedTuple):
    """A check's rows as this service last read or wrote them, and their score parts."""

    rev: int | None  # the check's rev they are exact at
    rows: dict[str, Row]
    parts: list[Part] | None  # per question (bot.domain.scoring.part), None: not worked out yet


class _Tap(NamedTuple):
    """Who taps what, from which card, as which update, when."""

    p: Principal
    qid: str
    card: Card | None
    update_id: int | None
    at: str


class Opened(NamedTuple):
    view: View
    qid: str  # the first unanswered question (or the first; sent back: the first to fix)
    outcome: Outcome | None = None  # where it stands, once submitted


class Look(NamedTuple):
    view: View
    here: str  # the question the card shows now


class Submitted(NamedTuple):
    view: View
    done: bool  # False: it was submitted before


class Noted(NamedTuple):
    changed: bool
    old: str | None  # the note it replaced (None: there was none)


class Attached(NamedTuple):
    added: bool  # False: this file was attached before
    files: int  # files on the item now


class Prompt(NamedTuple):
    """The user's pending reply prompt in a chat (bot.store.prompts: one table, every kind)."""

    kind: (
        str  # note | evidence | comment | reason | action | form | sp_* | pb_* (spot checks, 公示)
    )
    aid: int  # 0: a form prompt (no check)
    qid: str
    message_id: int
    fresh: bool  # younger than PROMPT_TTL: a message that is no reply still goes to it
    stage: str | None = None  # comment | reason: the review stage it was asked at
    action_id: int | None = None  # action: the corrective action
    form: tuple[int, int] | None = None  # form: (community, year); the field is qid


def _first_open(v: View) -> str:
    """The first question still to answer (an old answer the rules now refuse counts), else 1."""
    for g in v.result.gaps:
        if g.reason in ("unanswered", "invalid"):
            return g.id
    return v.standard.questions[0].id


class Checks:
    """The self-check over one database, the loaded catalog and the active program."""

    def __init__(
        self,
        db: sqlite_utils.Database,
        catalog: Catalog,
        program: Program,
        clock: Clock,
    ) -> None:
        self.db = db
        self.catalog = catalog
        self.program = program
        self.clock = clock
        self.store = CheckStore(db)
        self.reviews = ReviewStore(db)
        # over the same database and program: the standings a check's kind rests on, and the
        # review chain's (Reviews, SpotChecks take it from here; Services exposes it)
        self.targets = Targets(db, program, clock)
        self._versions: dict[str, Standard] = {}  # standard snapshots by hash
        # aid -> (rev, rows): the rows as this service last read or wrote them; the store
        # resends them only when the check's rev moved (someone else changed them).
        self._rows: dict[int, _Copy] = {}

    # -- reading ----------------------------------------------------------------------------

    def get(self, aid: int) -> Assessment | None:
        return self.store.assessment(aid)

    def for_community(self, community_id: int) -> Assessment | None:
        """The community's current check of the program's standard (None: not started)."""
        return self.store.current(community_id, self.program.standard)

    def standard_for(self, a: Assessment) -> Standard:
        """Return the standard version the check was started on (cached; no SQL when current)."""
        std = self._versions.get(a.standard_hash)
        if std is not None:
            return std
        if self.catalog.hashes.get(a.standard_id) == a.standard_hash:
            std = self._versions[a.standard_hash] = self.catalog.standard(a.standard_id)
            return std
        body = self.store.standard_body(a.standard_hash)
        if body is None:  # no snapshot: fall back to the current file
            return self.catalog.standard(a.standard_id)
        std = self._versions[a.standard_hash] = Standard.model_validate(json.loads(body))
        return std

    def rows(self, aid: int) -> dict[str, Row]:
        """The stored answers and evidence counts of a check, by question id."""
        return self.store.load(aid)[1]

    def stored(self, aid: int) -> tuple[Assessment | None, dict[str, Row]]:
        """The check and its rows in one read (no access decided: the caller has)."""
        return self.store.load(aid)

    def view(self, a: Assessment) -> View:
        fresh, rows = self.store.load(a.id)
        a = fresh or a
        std = self.standard_for(a)
        return View(a, std, rows, score(std, rows, strict=False))

    def _load(self, aid: int) -> tuple[Assessment | None, _Copy]:
        """The check and a private copy of its rows (inside the caller's transaction)."""
        kept = self._rows.get(aid)
        a, rows, rev = self.store.load_since(aid, kept.rev if kept else None)
        if rows is None and kept is not None:  # unchanged since we kept them
            parts = list(kept.parts) if kept.parts is not None else None
            return a, _Copy(kept.rev, dict(kept.rows), parts)
        return a, _Copy(rev, rows or {}, None)

    def _keep(self, aid: int, copy: _Copy) -> None:
        """Remember the rows as committed (call after the transaction commits)."""
        if copy.rev is None:
            return
        if len(self._rows) > ROWS_CACHED:
            self._rows.clear()
        self._rows[aid] = copy

    def _visible(
        self, p: Principal, aid: int, *, viewing: bool = False
    ) -> tuple[Assessment, dict[str, Row]]:
        """The check and its rows, if `p` may answer it (`viewing`: may look at it)."""
        a, rows = self.store.load(aid)
        if a is None:
            raise CheckError("stale")
        allowed = (
            can_view(p, a.community_id, a.county_id) if viewing else can_answer(p, a.community_id)
        )
        if not allowed:
            raise CheckError("no_permission")
        return a, rows

    def look(self, p: Principal, aid: int, card: Card | None = None) -> Look:
        """The check as a card shows it (read-only for viewers), and the question shown now."""
        a, rows = self._visible(p, aid, viewing=True)
        std = self.standard_for(a)
        shown = self.store.card(*card) if card else None
        here = shown[1] if shown and shown[0] == a.id else std.questions[0].id
        return Look(View(a, std, rows, score(std, rows, strict=False)), here)

    def card(self, chat_id: int, message_id: int) -> tuple[int, str] | None:
        """(assessment id, question id) a card shows."""
        return self.store.card(chat_id, message_id)

    def album_target(self, chat_id: int, media_group_id: str) -> tuple[int, str] | None:
        return self.store.album_target(chat_id, media_group_id)

    def community_names(self, ids: list[int]) -> list[tuple[int, str]]:
        return self.store.community_names(sorted(ids))

    # -- opening ----------------------------------------------------------------------------

    def start(self, community_id: int, kind: str = cycles.CREATE) -> Assessment:
        """Return the community's check of this year, creating it if needed.

        # -- a new year's check carries last year's answers forward as a
        # draft (上年, table `carried`); nothing of it counts until confirmed (`confirm`).
        """
        found = self.for_community(community_id)
        now = self.clock.now()
        year = cycles.cycle_of(now.date())
        if found and (found.cycle is None or found.cycle >= year):
            return found
        sid = self.program.standard
        std = self.catalog.standard(sid)
        version = (sid, self.catalog.hashes[sid], std.model_dump_json(), len(std.questions))
        with transaction(self.db):
            self.store.create(community_id, self.program.id, version, stamp(now), year)
            aid = cycle_store.in_cycle(self.db, community_id, sid, year)
            assert aid is not None
            kind = self._kind(community_id, stamp(now)) if found is not None else kind
            if kind != cycles.CREATE:
                cycle_store.set_kind(self.db, aid, kind)
            if found is not None:
                cycle_store.carry(self.db, aid, found.id)
        a = self.for_community(community_id)
        assert a is not None
        return a

    # -- years --------------------------------------------------------------------

    def in_year(self, community_id: int, year: int) -> Assessment | None:
        """The community's check of `year` (None: there is none)."""
        aid = cycle_store.in_cycle(self.db, community_id, self.program.standard, year)
        return self.get(aid) if aid is not None else None

    def carried(self, aid: int) -> dict[str, Row]:
        """Last year's answers still waiting for confirmation, by item (answered ones drop)."""
        answered = self.rows(aid)
        return {
            qid: Row(r[0], r[1], answers.decode_deductions(r[2]), r[3], 0)
            for qid, r in cycle_store.carried(self.db, aid).items()
            if answered.get(qid) is None or answered[qid].status is None
        }

    def draft(self, aid: int, qid: str) -> Row | None:
        """Last year's answer carried into one item (whether or not answered since)."""
        r = cycle_store.carried_one(self.db, aid, qid)
        return Row(r[0], r[1], answers.decode_deductions(r[2]), r[3], 0) if r else None

    def next_draft(self, v: View, qid: str) -> Row | None:
        """The draft a card shows: last year's answer while the item is unanswered and the
        check open (no read otherwise)."""
        row = v.rows.get(qid)
        if v.assessment.locked or (row is not None and row.status is not None):
            return None
        return self.draft(v.assessment.id, qid)

    def _recognised(self, at: str) -> dict[int, cycles.Standing]:
        return self.targets.standing(at, RECOGNITIONS)

    def _kind(self, community_id: int, at: str) -> str:
        """创建, or 复审 for a community recognised now in a re-reviewing program."""
        rereviews = bool(self.program.rereview_chain)
        return cycles.kind_for(rereviews, rereviews and community_id in self._recognised(at))

    def open_rereviews(self) -> list[int]:
        """Open this year's 复审 check of every community recognised now (programs with a
        `rereview_chain` only; last year's answers carried as the draft); the ids opened."""
        if not self.program.rereview_chain:
            return []
        now = self.clock.now()
        opened = []
        for cid in sorted(self._recognised(stamp(now))):
            if cycle_store.in_cycle(self.db, cid, self.program.standard, now.year) is None:
                opened.append(self.start(cid).id)
        return opened

    def kind(self, aid: int) -> str:
        return cycle_store.kind(self.db, aid) or cycles.CREATE

    def confirm(
        self,
        p: Principal,
        aid: int,
        qid: str,
        card: Card | None = None,
        update_id: int | None = None,
    ) -> Tapped:
        """与上年相同: store last year's answer on `qid` as this year's (it counts from now)."""
        before = self.carried(aid).get(qid)
        if before is None or before.status is None:
            raise CheckError("no_carried")

        def decide(q: Question, stored: Row | None) -> tuple[Answer, bool]:
            assert before is not None
            return answers.settle(q, before.status, before.deductions, before.points), False

        return self._answer(p, aid, qid, decide, card, update_id)

    def open(self, p: Principal, community_id: int) -> Opened:
        """Open (or resume) a community's check: its view and the first unanswered question."""
        if not can_answer(p, community_id):
            raise CheckError("no_permission")
        if not self.store.community_names([community_id]):
            raise CheckError("stale")  # no such community (forged or from a deleted roster)
        v = self.view(self.start(community_id))
        found = self.outcome(v)
        fix = found.fix if found is not None else None
        return Opened(v, fix.items[0] if fix and fix.items else _first_open(v), found)

    def browse(self, p: Principal, community_id: int) -> Opened | None:
        """A started check as a viewer sees it (read-only); None when it is not started."""
        a = self.for_community(community_id)
        if a is None:
            return None
        if not can_view(p, a.community_id, a.county_id):
            raise CheckError("no_permission")
        v = self.view(a)
        return Opened(v, _first_open(v))

    def browse_check(self, p: Principal, aid: int) -> Opened:
        """One check (any year) as a viewer sees it; CheckError no_permission / stale."""
        a, _ = self._visible(p, aid, viewing=True)
        v = self.view(a)
        return Opened(v, _first_open(v))

    # -- where a submitted check stands ----------------------------------------------------

    def outcome(self, v: View) -> Outcome | None:
        """Where the check stands in its chain, what was decided, and (sent back) what to fix;
        None, with no SQL, for a check never submitted."""
        a = v.assessment
        if a.submitted_at is None:
            return None
        found = self.reviews.place(a.id)
        if found is None:
            return None
        review, _, _, kind = found
        verified = self.reviews.verified_row(a.id)[1] if review is not None else None
        events = self.reviews.events(a.id)
        chain = self.program.chain_for(kind)
        done = outcome_of(a.submitted_at, review, None if verified is None else bool(verified),
                          events, chain)  # fmt: skip
        if not done.returned or done.since is None:
            return done
        return done._replace(fix=self._fix(v, done.since))

    def _fix(self, v: View, since: str) -> Fix:
        """The reopened items, the reviewers' comments on them, what changed since `since`."""
        aid = v.assessment.id
        items = tuple(self.reviews.reopened(aid))
        said: dict[str, list[Comment]] = {}
        for c in self.reviews.comments(aid, False):
            if c.question_id in items and c.at <= since:
                said.setdefault(c.question_id, []).append(c)
        touched = since_store.touched(self.db, aid, since)
        then = since_store.answers_at(self.db, aid, since) if touched else {}
        files = since_store.files_touched(self.db, aid, since)
        changed = changes(items, v.rows, then, touched, files)
        return Fix(items, {q: tuple(c) for q, c in said.items()}, changed)

    def show(self, card: Card, aid: int, qid: str) -> None:
        """Record the question a card shows (after navigation or sending it)."""
        with transaction(self.db):
            self.store.remember_card(card, aid, qid, None, None)

    # -- answering --------------------------------------------------------------------------

    def _editable(self, p: Principal, a: Assessment | None, qid: str) -> tuple[Standard, Question]:
        """The check's standard and item, or CheckError (stale / no_permission / locked)."""
        if a is None:
            raise CheckError("stale")
        if not can_answer(p, a.community_id):
            raise CheckError("no_permission")
        std = self.standard_for(a)
        q = answers.question(std, qid)
        if not workflow.CHECK.can(workflow.ANSWER, a.status):
            raise CheckError("locked")
        if a.submitted_at is not None and self.store.held_back(a.id, qid):
            raise CheckError("not_reopened")
        if a.cycle is not None and a.cycle < self.clock.now().year and self._superseded(a):
            raise CheckError("locked")  # a past year's check once a newer one exists
        return std, q

    def _superseded(self, a: Assessment) -> bool:
        newest = self.store.current(a.community_id, a.standard_id)
        return newest is not None and newest.id != a.id

    def tap(
        self,
        p: Principal,
        aid: int,
        qid: str,
        code: str,
        card: Card | None = None,
        update_id: int | None = None,
    ) -> Tapped:
        """Apply a tapped answer code (see bot.domain.answers) in one transaction.

        With `card` and `update_id`, the update id is claimed with the card row: an update
        seen before (a redelivery) writes nothing and returns `repeat=True` with the card's
        current view. Out-of-order ids are applied (only an exact repeat is refused).
        """

        def decide(q: Question, stored: Row | None) -> tuple[Answer, bool]:
            return answers.resolve(q, code, stored)

        return self._answer(p, aid, qid, decide, card, update_id)

    def answer(
        self,
        p: Principal,
        aid: int,
        qid: str,
        status: Status,
        deductions: dict[str, float] | None = None,
        points: float | None = None,
    ) -> Tapped:
        """Store an answer given as a status (deductions set a points item's points)."""

        def decide(q: Question, stored: Row | None) -> tuple[Answer, bool]:
            return answers.settle(q, status, deductions, points), False

        return self._answer(p, aid, qid, decide, None, None)

    def _answer(
        self,
        p: Principal,
        aid: int,
        qid: str,
        decide: Callable[[Question, Row | None], tuple[Answer, bool]],
        card: Card | None,
        update_id: int | None,
    ) -> Tapped:
        tap = _Tap(p, qid, card, update_id, self.clock.stamp())
        try:
            with transaction(self.db):
                a, copy = self._load(aid)  # inside the lock: the state and the stored rows
                std, q = self._editable(p, a, qid)
                assert a is not None
                answer, stay = decide(q, copy.rows.get(qid))
                done, copy = self._write(tap, a, std, q, copy, answer, stay)
        except Repeated:
            look = self.look(p, aid, card)
            done = Tapped(look.view, look.here, False, True)
        else:
            self._keep(aid, copy)
        return done._replace(
            draft=self.next_draft(done.view, done.next_qid),
            outcome=self.outcome(done.view),
            prompt=self.prompt(card[0], p.user_id) if card is not None else None,
        )

    def _write(
        self,
        tap: _Tap,
        a: Assessment,
        std: Standard,
        q: Question,
        copy: _Copy,
        answer: Answer,
        stay: bool,
    ) -> tuple[Tapped, _Copy]:
        """Write the answer on the rows read in this transaction (no re-read after it).

        The result is re-added from each question's part, only this one's recomputed.
        """
        qid, rows, rev = tap.qid, copy.rows, copy.rev
        parts = copy.parts if copy.parts is not None else scoring.parts(std, rows, strict=False)
        stored = rows.get(qid)
        changed = answers.changes(stored, answer)
        if changed:
            rows[qid] = answers.answered_row(stored, answer)
            parts[std.question_index[qid]] = scoring.part(q, rows[qid], strict=False)
        result = scoring.combine(std, parts)
        stays = stay or result.answered == result.total  # all answered: the card stays
        following = qid if stays else answers.next_open(std, rows, qid) or qid
        if tap.card is not None:  # first: it claims the update id (or raises Repeated)
            self.store.remember_card(tap.card, a.id, following, tap.update_id, tap.at)
        if changed:
            self.store.write_answer(a.id, qid, answer, tap.p.user_id, tap.at)
            rev = self.store.write_summary(a.id, result, tap.at)
        return Tapped(View(a, std, rows, result), following, changed), _Copy(rev, rows, parts)

    def note(self, p: Principal, aid: int, qid: str, text: str | None) -> Noted:
        """Store a note on an item (None clears it); return whether it changed and the old one."""
        text = None if text is None else answers.clean_note(text)
        at = self.clock.stamp()
        with transaction(self.db):
            a, copy = self._load(aid)
            std, _ = self._editable(p, a, qid)
            rows = copy.rows
            old = rows.get(qid) or Row(None, None, answers.NO_DEDUCTIONS, None, 0)
            if text is None and old.note is None:
                return Noted(False, None)  # nothing to clear
            if not self.store.write_note(aid, qid, text, p.user_id, at):
                return Noted(False, old.note)
            rows[qid] = old._replace(note=text)
            rev = self.store.write_summary(aid, score(std, rows, strict=False), at)
        self._keep(aid, _Copy(rev, rows, None))
        return Noted(True, old.note)

    def attach(self, p: Principal, aid: int, qid: str, file: dict[str, Any]) -> Attached:
        """Attach one file (kind, file_id, file_unique_id, …) to an item."""
        at = self.clock.stamp()
        file = {**file, "file_name": given(file.get("file_name"), FILE_NAME_MAX),
                "mime_type": given(file.get("mime_type"), FILE_NAME_MAX)}  # fmt: skip
        with transaction(self.db):
            a, copy = self._load(aid)
            std, _ = self._editable(p, a, qid)
            rows = copy.rows
            old = rows.get(qid) or Row(None, None, answers.NO_DEDUCTIONS, None, 0)
            if not self.store.write_evidence(aid, qid, p.user_id, at, file):
                return Attached(False, old.evidence)
            rows[qid] = old._replace(evidence=old.evidence + 1)
            rev = self.store.write_summary(aid, score(std, rows, strict=False), at)
        self._keep(aid, _Copy(rev, rows, None))
        return Attached(True, old.evidence + 1)

    def change_file(
        self, p: Principal, aid: int, qids: tuple[str, ...], change: Callable[[], bool]
    ) -> bool:
        """Remove or move an evidence file (`change`: its SQL, run in this transaction) under
        the gates of answering for every item it touches; the cached summary is refreshed with
        the new file counts. False: the file was gone (nothing changed)."""
        at = self.clock.stamp()
        with transaction(self.db):
            a, _ = self._load(aid)
            std, _ = self._editable(p, a, qids[0])
            for qid in qids[1:]:
                self._editable(p, a, qid)
            if not change():
                return False
            _, rows = self.store.load(aid)
            rev = self.store.write_summary(aid, score(std, rows, strict=False), at)
        self._keep(aid, _Copy(rev, rows, None))
        return True

    def editable(self, p: Principal, aid: int, qid: str) -> bool:
        """Whether `p` may change the item now (answer, note, files): the same gates."""
        return self.refusal(p, aid, qid) is None

    def refusal(self, p: Principal, aid: int, qid: str) -> CheckError | None:
        """Why `p` may not change the item now, None when they may."""
        try:
            self._editable(p, self.get(aid), qid)
        except CheckError as exc:
            return exc
        return None

    # -- the life cycle ---------------------------------------------------------------------

    def submit(self, p: Principal, aid: int) -> Submitted:
        """Lock the check; CheckError('unanswered', ids=[…]) names what is still missing."""
        at = self.clock.stamp()
        with transaction(self.db):
            a, rows = self._visible(p, aid)
            std = self.standard_for(a)
            v = View(a, std, rows, score(std, rows, strict=False))
            if not workflow.CHECK.can(workflow.SUBMIT, a.status):
                return Submitted(v, False)
            missing = answers.blocking(v)
            if missing:
                raise CheckError("unanswered", ids=missing)
            self.store.submit(aid, p.user_id, at)
        done = dataclasses.replace(a, status=workflow.SUBMITTED, submitted_at=at)
        return Submitted(View(done, std, rows, v.result), True)

    def unlock(self, aid: int) -> None:
        """Open a submitted check again (inside the caller's unit of work: the review chain
        records why)."""
        self.store.reopen(aid)

    # -- prompts ----------------------------------------------------------------------------

    def ask(self, p: Principal, aid: int, qid: str, kind: str, prompt: Card) -> None:
        """Remember a 📎/✏️ prompt (kind note | evidence) the user may reply to."""
        at = self.clock.stamp()
        with transaction(self.db):
            self._visible(p, aid)
            prompts.put(self.db, (prompt[0], p.user_id, prompt[1]), (kind, aid, qid), at)

    def prompt(self, chat_id: int, user_id: int) -> Prompt | None:
        """The user's pending prompt in this chat; `fresh` until PROMPT_TTL has passed."""
        row = prompts.get(self.db, chat_id, user_id)
        if row is None:
            return None
        fresh = row.created_at >= stamp(self.clock.read() - answers.PROMPT_TTL)
        return Prompt(
            row.kind, row.aid, row.qid, row.message_id, fresh, row.stage, row.action_id, row.form
        )

    def clear_prompt(self, chat_id: int, user_id: int) -> None:
        with transaction(self.db):
            prompts.clear(self.db, chat_id, user_id)
