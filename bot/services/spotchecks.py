"""Spot checks (抽查) as use cases: draw, assign, re-verify on site, decide the outcome, the
city's confirmation of a withdrawal, and the agreement figures.

"我局将会同相关单位，组织专家，开展动态核查，进行随机检查抽查" (seed 000 四（四）). The city (admins)
draws a reproducible sample of the communities that count as done in a year (recognised, where
the program recognises) and assigns each to an inspector: an admin, or an expert it invited for
that program year. The inspector re-verifies the community's check item by item (the review
card's buttons, comments, photos through the evidence store) — answers kept apart from the
chain's verification — and decides: confirmed; discrepancies, each failing item opening a 整改
action; or a proposal to withdraw the title, which the city confirms (recorded as a withdrawal
with the reason, like a failed 复审) or declines. The rules are bot.domain.spotchecks; the SQL
bot.store.spotchecks. Each use case is one unit of work returning data.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any, NamedTuple

import sqlite_utils

from bot.clock import stamp, year_end_stamp
from bot.domain import answers, spotchecks, workflow
from bot.domain.access import Principal, is_expert_for
from bot.domain.answers import Row, View
from bot.domain.errors import SpotError
from bot.domain.scoring import score
from bot.domain.spotchecks import Candidate, SpotReport, SpotRow, Tally
from bot.domain.text import given, stored
from bot.services.evidence import ERROR_CHARS, MAX_ATTEMPTS, Photo, Stored, provenance
from bot.services.notices import tell
from bot.services.reviews import Reviews
from bot.services.targets import RECOGNITIONS
from bot.store import actions as action_store
from bot.store import cycles as cycle_store
from bot.store import publicity as publicity_store
from bot.store.db import transaction
from bot.store.people import load_principal
from bot.store.reviews import files
from bot.store.spotchecks import SpotStore

TEXT_MAX = 1000  # characters of a comment or a reason
NAME_MAX = 255  # characters of a file name


class Drawn(NamedTuple):
    year: int
    seed: int
    population: int  # communities that could be drawn
    drawn: list[Candidate]
    added: int  # spot checks created (a community already drawn this year is kept as it was)


class SpotDetail(NamedTuple):
    """A spot check as its card shows it."""

    spot: SpotRow
    view: View  # the community's check, its own answers
    verified: dict[str, Row]  # the review chain's verified answers
    answers: dict[str, Row]  # the inspector's
    comments: dict[str, list[str]]  # the inspector's, by item
    files: dict[str, int]  # the inspector's files, by item
    tally: Tally
    acts: bool  # the reader is its inspector and may re-verify it now
    decides: bool  # the reader (an admin) may confirm or decline a proposed withdrawal


class Decided(NamedTuple):
    spot: SpotRow
    actions: list[int]  # the 整改 actions opened


def _too_long(length: int, limit: int) -> SpotError:
    return SpotError("too_long", length=length, limit=limit)


def _pair(row: Row | None) -> spotchecks.Answer | None:
    return (row.status, row.points) if row is not None and row.status is not None else None


def _pairs(rows: dict[str, Row]) -> dict[str, spotchecks.Answer]:
    """(status, points) of the answered items."""
    return {q: (r.status, r.points) for q, r in rows.items() if r.status is not None}


class SpotChecks:
    """Spot checks over the review chain's database, program and clock."""

    def __init__(self, reviews: Reviews) -> None:
        self.reviews = reviews
        self.checks = reviews.checks
        self.db = reviews.db
        self.clock = reviews.clock
        self.program = reviews.program
        self.targets = reviews.targets
        self.store = SpotStore(reviews.db)

    # -- the draw ----------------------------------------------------------------------------

    def population(self, year: int, county_id: int | None = None) -> list[Candidate]:
        """The communities that count as done at the end of `year` (or now, if sooner), each
        with the check its verdict rests on: recognised, where the program recognises."""
        at = min(self.clock.stamp(), year_end_stamp(year, self.clock.zone))
        found = self.targets.standing(at, self._kinds())
        names = self.store.communities(list(found))
        return [
            Candidate(cid, names[cid][0], names[cid][2], found[cid].since, found[cid].aid)
            for cid in sorted(found)
            if cid in names and county_id in (None, names[cid][1])
        ]

    def draw(self, p: Principal, year: int, n: int, seed: int, options: dict[str, Any]) -> Drawn:
        """Draw `n` communities for `year` from `seed` (options: county_id, stratified,
        weighted) and record the draw and a spot check for each one not drawn this year yet."""
        if not p.admin:
            raise SpotError("admin_only")
        if n < 1:
            raise SpotError("bad_n")
        county_id, stratified = options.get("county_id"), bool(options.get("stratified", True))
        weighted = bool(options.get("weighted"))
        population = self.population(year, county_id)
        weights = self._weights(year, population) if weighted else None
        picked = spotchecks.draw(population, n, seed, stratified, weights)
        at = self.clock.stamp()
        record = {"year": year, "seed": seed, "n": n, "county_id": county_id,
                  "stratified": int(stratified), "weighted": int(weighted),
                  "population": len(population), "user_id": p.user_id, "at": at}  # fmt: skip
        with transaction(self.db):
            draw_id = self.store.insert_draw(record)
            added = [self.store.add(year, c.community_id, c.aid, draw_id, at) for c in picked]
            for sid in filter(None, added):
                self.store.event(sid, "draw", p.user_id, at, comment=f"seed {seed}")
        return Drawn(year, seed, len(population), picked, sum(1 for a in added if a))

    def _weights(self, year: int, population: list[Candidate]) -> dict[str, float]:
        """Each county's weight from its agreement with self-assessments in earlier years."""
        earlier = [r for r in self._finished(None) if r.year < year]
        figures = spotchecks.by_county((r.county, t) for r, t in self._tallies(earlier))
        rates = {f.county: f.rate_self for f in figures}
        return spotchecks.weights_from(rates, {c.county for c in population})

    # -- assigning ----------------------------------------------------------------------------

    def assign(self, p: Principal, spot_id: int, inspector_id: int) -> SpotRow:
        """Give a spot check to an inspector: an admin, or an expert of its year (admins); the
        inspector is told."""
        if not p.admin:
            raise SpotError("admin_only")
        at = self.clock.stamp()
        with transaction(self.db):
            spot = self._get(spot_id)
            who = load_principal(self.db, inspector_id)
            if not (who.admin or is_expert_for(who, spot.year)):
                raise SpotError("not_inspector", year=spot.year)
            self._move(spot, spotchecks.ASSIGN, {"inspector_id": inspector_id})
            self.store.event(spot.id, spotchecks.ASSIGN, p.user_id, at,
                             (None, str(spot.inspector_id or ""), str(inspector_id)))  # fmt: skip
            self._tell("spot_assigned", [inspector_id], spot, at)
        return self._get(spot_id)

    def _tell(self, kind: str, to: list[int], spot: SpotRow, at: str) -> None:
        """Queue a notice of the spot check (inside the caller's unit of work)."""
        tell(self.db, kind, to, at, spot.assessment_id, spot=spot.id, community=spot.community,
             county=spot.county, year=spot.year, reason=spot.reason or "")  # fmt: skip

    def _get(self, spot_id: int) -> SpotRow:
        spot = self.store.get(spot_id)
        if spot is None:
            raise SpotError("stale")
        return spot

    def _move(self, spot: SpotRow, transition: str, fields: dict[str, Any]) -> SpotRow:
        """The declared transition (bot.domain.spotchecks.SPOT) from the spot check's state."""
        target = spotchecks.SPOT.target(transition, spot.state)
        if target is None or not self.store.set_state(spot.id, spot.state, target, fields):
            raise SpotError("spot_moved", state=spot.state)
        return spot._replace(state=target)

    def row(self, spot_id: int) -> SpotRow:
        """A spot check as stored (no reader: for notices)."""
        return self._get(spot_id)

    def find(self, year: int, community_id: int) -> SpotRow | None:
        return self.store.of_community(year, community_id)

    # -- reading -----------------------------------------------------------------------------

    def listing(self, p: Principal, year: int | None = None) -> list[SpotRow]:
        """The spot checks `p` sees: admins every one, county contacts their county's,
        inspectors the ones assigned to them."""
        return [s for s in self.store.listing(year) if self._sees(p, s)]

    def _sees(self, p: Principal, spot: SpotRow) -> bool:
        return p.admin or spot.county_id in p.counties or spot.inspector_id == p.user_id

    def _inspects(self, p: Principal, spot: SpotRow) -> bool:
        """Whether `p` re-verifies the spot check now: its inspector, while still an admin or
        an expert of its year, and while it is assigned."""
        mine = spot.inspector_id == p.user_id and (p.admin or is_expert_for(p, spot.year))
        return mine and spotchecks.SPOT.can(workflow.ANSWER, spot.state)

    def detail(self, p: Principal, spot_id: int) -> SpotDetail:
        spot = self._get(spot_id)
        if not self._sees(p, spot):
            raise SpotError("no_permission")
        return self._detail(p, spot)

    def _detail(self, p: Principal, spot: SpotRow) -> SpotDetail:
        a, rows = self.checks.store.load(spot.assessment_id)
        if a is None:
            raise SpotError("stale")
        std = self.checks.standard_for(a)
        view = View(a, std, rows, score(std, rows, strict=False))
        verified = self.reviews.store.verified(a.id)
        mine = self.store.answers([spot.id]).get(spot.id, {})
        t = self._tally(mine, rows, verified)
        decides = p.admin and spot.state == spotchecks.PROPOSED
        return SpotDetail(spot, view, verified, mine, self.store.comments(spot.id),
                          self.store.file_counts(spot.id), t, self._inspects(p, spot),
                          decides)  # fmt: skip

    @staticmethod
    def _tally(mine: dict[str, Row], own: dict[str, Row], verified: dict[str, Row]) -> Tally:
        return spotchecks.tally(_pairs(mine), _pairs(own), _pairs(verified))

    # -- re-verifying ------------------------------------------------------------------------

    def _inspecting(self, p: Principal, spot_id: int) -> SpotRow:
        spot = self._get(spot_id)
        if not self._inspects(p, spot):
            raise SpotError("not_yours" if spot.inspector_id != p.user_id else "spot_closed")
        return spot

    def verify(self, p: Principal, spot_id: int, qid: str, code: str) -> SpotDetail:
        """The inspector's answer on an item: the worker's buttons' codes, "k" the same as the
        community's own answer."""
        at = self.clock.stamp()
        with transaction(self.db):
            spot = self._inspecting(p, spot_id)
            d = self._detail(p, spot)
            q = answers.question(d.view.standard, qid, SpotError)
            own, before = d.view.rows.get(qid), d.answers.get(qid)
            if code == "k":
                if own is None or own.status is None:
                    raise SpotError("bad_answer")
                new = answers.Answer(own.status, own.points, own.deductions)
            else:
                new = answers.resolve(q, code, before or own)[0]
            self.store.answer(spot.id, qid, new, p.user_id, at)
            self.store.event(spot.id, "verify", p.user_id, at, (qid, _label(before), _label(new)))
            return self._detail(p, spot)

    def comment(self, p: Principal, spot_id: int, qid: str, text: str) -> None:
        """The inspector's comment on an item (what a 整改 action opened on it says)."""
        body = stored(text, TEXT_MAX, _too_long)
        if not body:
            raise SpotError("empty")
        at = self.clock.stamp()
        with transaction(self.db):
            spot = self._inspecting(p, spot_id)
            self.store.comment(spot.id, qid, body, p.user_id, at)
            self.store.event(spot.id, "comment", p.user_id, at, (qid, None, None), body)

    # -- deciding ----------------------------------------------------------------------------

    def decide(
        self, p: Principal, spot_id: int, outcome: str, due: dt.date | None = None,
        reason: str | None = None,
    ) -> Decided:  # fmt: skip
        """The inspector's outcome: confirm; rectify (each item found failing where the check
        said otherwise opens a 整改 action due on `due`); or propose to withdraw (`reason`)."""
        if outcome not in spotchecks.OUTCOMES:
            raise SpotError("bad_outcome")
        text = stored(reason or "", TEXT_MAX, _too_long)
        at = self.clock.stamp()
        with transaction(self.db):
            spot = self._inspecting(p, spot_id)
            d = self._detail(p, spot)
            if not d.answers:
                raise SpotError("nothing_checked")
            opened, fields = self._outcome(p, d, outcome, (due, text), at)
            spot = self._move(spot, outcome, fields | {"decided_by": p.user_id, "decided_at": at})
            self.store.event(
                spot.id, outcome, p.user_id, at, (None, None, spot.state), text or None
            )
            if outcome == spotchecks.PROPOSE:  # the city confirms it
                admins = self.reviews.store.role_users("admin", None, None)
                self._tell("spot_proposed", admins, spot._replace(reason=text), at)
        return Decided(self._get(spot_id), opened)

    def _outcome(
        self, p: Principal, d: SpotDetail, outcome: str, given_: tuple[dt.date | None, str],
        at: str,
    ) -> tuple[list[int], dict[str, Any]]:  # fmt: skip
        """What an outcome needs and does: rectify opens the actions, propose needs a reason."""
        due, text = given_
        if outcome == spotchecks.RECTIFY:
            if due is None:
                raise SpotError("due_needed")
            failing = self.discrepancies(d)
            if not failing:
                raise SpotError("no_discrepancy")
            return self._open_actions(p, d, failing, due, at), {"due": due.isoformat()}
        if outcome == spotchecks.PROPOSE and not text:
            raise SpotError("reason_needed")
        return [], {"reason": text or None}

    @staticmethod
    def discrepancies(d: SpotDetail) -> list[str]:
        """Items the inspector found failing (not met, partly met) where the verified result
        said otherwise, in the standard's order."""
        out = []
        for q in d.view.standard.questions:
            mine = _pair(d.answers.get(q.id))
            earlier = _pair(d.verified.get(q.id) or d.view.rows.get(q.id))
            if mine and mine[0] in spotchecks.ACTIONABLE and not spotchecks.agrees(mine, earlier):
                out.append(q.id)
        return out

    def _open_actions(
        self, p: Principal, d: SpotDetail, items: list[str], due: dt.date, at: str
    ) -> list[int]:
        """One 整改 action per item, owned by the community's first worker (none: unowned),
        who is told of each, as of an action a reviewer opens."""
        spot, out = d.spot, []
        workers = action_store.workers(self.db, spot.community_id)
        owner = workers[0] if workers else None
        for qid in items:
            problem = (d.comments.get(qid) or [qid])[-1]
            values = {"community_id": spot.community_id, "assessment_id": spot.assessment_id,
                      "question_id": qid, "problem": problem, "owner_id": owner,
                      "due": due.isoformat(), "opened_by": p.user_id, "opened_at": at}  # fmt: skip
            action_id = action_store.insert(self.db, values)
            action_store.event(self.db, action_id, "open", p.user_id, at,
                               (None, workflow.ACTION_OPEN), problem)  # fmt: skip
            tell(self.db, "action_opened", [owner or 0], at, spot.assessment_id, action_id,
                 community=spot.community, item=qid, problem=problem, due=due.isoformat())  # fmt: skip
            out.append(action_id)
        return out

    def _kinds(self) -> tuple[str, ...] | None:
        """The verdicts a title rests on: recognitions where the program recognises, else any."""
        recognises = self.program.chain.recognising or self.program.direct.recognising
        return RECOGNITIONS if recognises else None

    def confirm_withdrawal(self, p: Principal, spot_id: int) -> Decided:
        """The city confirms a proposed withdrawal: the community's title is withdrawn from now,
        recorded with the inspector's reason (cause spotcheck) in the withdrawals and in its
        check's history."""
        if not p.admin:
            raise SpotError("admin_only")
        at = self.clock.stamp()
        with transaction(self.db):
            spot = self._move(self._get(spot_id), spotchecks.WITHDRAW, {})
            found = self.targets.standing(at, self._kinds())
            done = found.get(spot.community_id)
            if done is None:
                raise SpotError("not_recognised")
            reason = spot.reason or ""
            cycle_store.withdraw(self.db, done.aid, "spotcheck", reason, p.user_id, at)
            self.reviews.store.event(done.aid, None, workflow.WITHDRAW, (p.user_id, "city"), at,
                                     (None, None, "spotcheck"), reason)  # fmt: skip
            self.store.event(spot.id, spotchecks.WITHDRAW, p.user_id, at, comment=reason)
            workers = action_store.workers(self.db, spot.community_id)
            self._tell("spot_withdrawn", [*workers, spot.inspector_id or 0], spot, at)
        return Decided(self._get(spot_id), [])

    def decline(self, p: Principal, spot_id: int) -> Decided:
        """The city declines a proposed withdrawal: the inspector decides again."""
        if not p.admin:
            raise SpotError("admin_only")
        at = self.clock.stamp()
        with transaction(self.db):
            spot = self._move(self._get(spot_id), spotchecks.DECLINE, {"reason": None})
            self.store.event(spot.id, spotchecks.DECLINE, p.user_id, at)
            self._tell("spot_declined", [spot.inspector_id or 0], spot, at)
        return Decided(self._get(spot_id), [])

    # -- figures -----------------------------------------------------------------------------

    def _finished(self, year: int | None) -> list[SpotRow]:
        return [s for s in self.store.listing(year) if s.state in spotchecks.FINISHED]

    def _tallies(self, spots: list[SpotRow]) -> list[tuple[SpotRow, Tally]]:
        aids = [s.assessment_id for s in spots]
        mine = self.store.answers([s.id for s in spots])
        own, verified = self.store.own(aids), self.store.verified(aids)
        return [
            (s, spotchecks.tally(_pairs(mine.get(s.id, {})), own.get(s.assessment_id, {}),
                                 _pairs(verified.get(s.assessment_id, {}))))
            for s in spots
        ]  # fmt: skip

    def report(self, p: Principal, year: int, county_id: int | None = None) -> SpotReport:
        """The agreement figures of `year`'s finished spot checks that `p` sees: per county,
        per community, and the items that disagree most across them."""
        if not (p.admin or p.counties):
            raise SpotError("no_permission")
        spots = [
            s
            for s in self._finished(year)
            if (p.admin or s.county_id in p.counties) and county_id in (None, s.county_id)
        ]
        tallies = self._tallies(spots)
        questions = self.checks.catalog.standard(self.program.standard).questions
        counties = spotchecks.by_county((s.county, t) for s, t in tallies)
        items = spotchecks.disagreeing_items([t for _, t in tallies], [q.id for q in questions])
        listed = {q for q, _ in items}
        wording = {q.id: q.text for q in questions if q.id in listed}
        return SpotReport(year, counties, items, tallies, wording)

    # -- reply prompts (spot checks' and 公示's) ---------------------------------------------

    def ask(self, p: Principal, card: tuple[int, int], target: tuple[str, int, str, int | None]
            ) -> None:  # fmt: skip
        """Remember a reply prompt `p` got in `card` = (chat, message): (kind, spot check /
        check / objection, item, stage index)."""
        kind, tid, qid, index = target
        with transaction(self.db):
            aid, stage = self._prompt_check(kind, tid, index)
            where = (card[0], p.user_id, card[1])
            self.store.set_prompt(where, (kind, tid, aid, qid, stage), self.clock.stamp())

    def _prompt_check(self, kind: str, tid: int, index: int | None) -> tuple[int, str | None]:
        """The check a prompt concerns and (a 公示's) the name of its stage."""
        if kind.startswith("sp_"):
            return self._get(tid).assessment_id, None
        if kind == "pb_days":
            stage = self.reviews.chain_of(tid).at(index or 0)
            return tid, stage.name if stage else None
        found = publicity_store.objection(self.db, tid)
        if found is None:
            raise SpotError("objection_resolved")
        return found.assessment_id, None

    def prompt(self, chat_id: int, user_id: int, message_id: int
               ) -> tuple[str, int, str, int | None] | None:  # fmt: skip
        """(kind, target id, item, stage index) of the user's prompt that `message_id` is
        (None: the message is not their pending spot-check or 公示 prompt)."""
        found = self.store.prompt(chat_id, user_id)
        if found is None or found[5] != message_id:
            return None
        kind, tid, aid, qid, stage, _ = found
        index = self.reviews.stage_index(aid, stage) if stage else None
        return kind, tid, qid, index

    def clear_prompt(self, chat_id: int, user_id: int) -> None:
        """The prompt was answered: it takes nothing more."""
        with transaction(self.db):
            self.store.clear_prompt(chat_id, user_id)

    # -- the inspector's files ---------------------------------------------------------------

    def attach(self, p: Principal, spot_id: int, qid: str, info: dict[str, Any]) -> int | None:
        """A photo or document the inspector sent for an item (None: it is there already)."""
        at = self.clock.stamp()
        with transaction(self.db):
            spot = self._inspecting(p, spot_id)
            answers.question(self.checks.catalog.standard(self.program.standard), qid, SpotError)
            values = {"spot_id": spot.id, "question_id": qid, "kind": info["kind"],
                      "file_id": info["file_id"], "file_unique_id": info["file_unique_id"],
                      "file_name": given(info.get("file_name"), NAME_MAX),
                      "mime_type": given(info.get("mime_type"), NAME_MAX),
                      "file_size": info.get("file_size"), "chat_id": info.get("chat_id"),
                      "user_id": p.user_id, "created_at": at}  # fmt: skip
            fid = self.store.add_file(values)
            if fid is not None:
                self.store.event(spot.id, "file", p.user_id, at, (qid, None, info["kind"]))
        return fid

    def files(self, p: Principal, spot_id: int, qid: str) -> list[tuple[str, str]]:
        """(kind, file id) of an item's files: the community's, then the inspector's."""
        spot = self.detail(p, spot_id).spot
        return files(self.db, spot.assessment_id, qid) + self.store.files(spot_id, qid)


def _label(a: Row | answers.Answer | None) -> str | None:
    if a is None or a.status is None:
        return None
    return a.status if a.points is None else f"{a.status} {a.points:g}"


class SpotFiles:
    """The inspector's files as the download loop sees them (bot.services.evidence.FileRows):
    the same file store, limits, attempts and provenance flags as a community's evidence."""

    def __init__(self, db: sqlite_utils.Database) -> None:
        self.store = SpotStore(db)

    def row(self, fid: int) -> dict[str, Any] | None:
        return self.store.file(fid)

    def attempt(self, fid: int) -> bool:
        return self.store.count_attempt(fid, MAX_ATTEMPTS)

    def failed(self, fid: int, error: str, retry: bool = True) -> None:
        text = given(error, ERROR_CHARS) or "?"
        self.store.record_failure(fid, text, None if retry else MAX_ATTEMPTS)

    def record(
        self, fid: int, kept: tuple[str, int, Photo | None], now: dt.datetime
    ) -> Stored | None:
        """The stored file's hash, EXIF and provenance flags against every other file."""
        row = self.store.file(fid)
        if row is None:
            return None
        sha, size, photo = kept
        assert now.tzinfo is not None
        flags = provenance(row, sha, photo, self.store.others(fid), now.tzinfo)
        taken, gps = (photo.taken_at, photo.gps) if photo else (None, None)
        values = {"sha256": sha, "file_size": size, "taken_at": taken, "gps": gps,
                  "phash": photo.phash if photo else None, "flags": json.dumps(flags)}  # fmt: skip
        self.store.record_stored(fid, stamp(now), values)
        return Stored(fid, row["qid"], sha, size, flags, taken, gps)

    def pending(self, limit: int = 20) -> list[int]:
        """Files still to download, oldest first (each attempt counted, at most MAX_ATTEMPTS)."""
        return self.store.pending_files(MAX_ATTEMPTS, limit)
