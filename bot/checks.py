"""The self-check domain: open, answer, annotate, attach evidence, submit, reopen.

The database is the only state. Every change is one short transaction of prepared SQL that
also refreshes the assessment's cached summary (answered, gaps, score) for status reports.
Writes are idempotent: applying the same answer twice changes nothing and logs no history.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any, NamedTuple

import sqlite_utils

from bot.domain.programs import Program
from bot.domain.scoring import Result, Status, deduction_points, score, status_for_points
from bot.domain.standards import Catalog, Question, Standard
from bot.store.db import now, transaction

NOTE_MAX = 500  # characters; a card must stay under Telegram's 4096
PROMPT_TTL = dt.timedelta(minutes=15)  # a pending 📎/✏️ prompt takes unreplied messages this long


class CheckError(ValueError):
    """A request the check cannot take; `code` selects the user-facing message."""

    def __init__(self, code: str, **info: Any) -> None:
        super().__init__(code)
        self.code = code
        self.info = info


@dataclass(frozen=True)
class Assessment:
    id: int
    community_id: int
    community: str
    county_id: int
    county: str
    program_id: str
    standard_id: str
    standard_hash: str
    status: str
    submitted_at: str | None

    @property
    def locked(self) -> bool:
        return self.status == "submitted"


class Row(NamedTuple):
    """One stored answer row: status may be None when only a note was given."""

    status: Status | None
    points: float | None
    deductions: Mapping[str, float]
    note: str | None
    evidence: int


class Answered(NamedTuple):
    changed: bool
    view: View
    next_qid: str  # the question the card shows next


@dataclass(frozen=True)
class View:
    """Everything a card or gap list needs about one check."""

    assessment: Assessment
    standard: Standard
    rows: dict[str, Row]
    result: Result


_ASSESSMENT_SQL = """
SELECT a.id, a.community_id, c.name, c.county_id, co.name, a.program_id, a.standard_id,
       a.standard_hash, a.status, a.submitted_at
FROM assessments a JOIN communities c ON c.id = a.community_id
JOIN counties co ON co.id = c.county_id
"""

_ANSWERS_SQL = """
SELECT question_id, status, points, deductions, note FROM answers WHERE assessment_id = ?
"""
_EVIDENCE_COUNTS_SQL = """
SELECT question_id, count(*) FROM evidence WHERE assessment_id = ? GROUP BY question_id
"""

_UPSERT_ANSWER_SQL = """
INSERT INTO answers (assessment_id, question_id, status, points, deductions, user_id, updated_at)
VALUES (?, ?, ?, ?, ?, ?, ?)
ON CONFLICT (assessment_id, question_id) DO UPDATE SET
    status = excluded.status, points = excluded.points, deductions = excluded.deductions,
    user_id = excluded.user_id, updated_at = excluded.updated_at
WHERE answers.status IS NOT excluded.status OR answers.points IS NOT excluded.points
   OR answers.deductions IS NOT excluded.deductions
"""

_UPSERT_NOTE_SQL = """
INSERT INTO answers (assessment_id, question_id, note, note_by, note_at)
VALUES (?, ?, ?, ?, ?)
ON CONFLICT (assessment_id, question_id) DO UPDATE SET
    note = excluded.note, note_by = excluded.note_by, note_at = excluded.note_at
WHERE answers.note IS NOT excluded.note
"""

_CARD_SEEN_SQL = "SELECT last_update_id FROM cards WHERE chat_id = ? AND message_id = ?"

_SUMMARY_SQL = """
UPDATE assessments SET answered = ?, total = ?, gap_count = ?, score = ?, passed = ?,
    updated_at = ? WHERE id = ?
"""


def encode_deductions(d: Mapping[str, float]) -> str | None:
    """Encode chosen deductions as 'a:2,c:1' (sorted; None when empty)."""
    parts = [f"{k}:{v:g}" for k, v in sorted(d.items()) if v > 0]
    return ",".join(parts) or None


_NO_DEDUCTIONS: Mapping[str, float] = MappingProxyType({})


def decode_deductions(text: str | None) -> Mapping[str, float]:
    """Decode 'a:2,c:1' into {'a': 2.0, 'c': 1.0} (read-only when empty)."""
    if not text:
        return _NO_DEDUCTIONS
    out: dict[str, float] = {}
    for part in text.split(","):
        k, _, v = part.partition(":")
        out[k] = float(v)
    return out


class Checks:
    """The self-check service over one database and the loaded catalog."""

    def __init__(self, db: sqlite_utils.Database, catalog: Catalog, program: Program) -> None:
        self.db = db
        self.conn = db.conn
        self.catalog = catalog
        self.program = program
        self._versions: dict[str, Standard] = {}

    # -- reading ----------------------------------------------------------------------------

    def get(self, aid: int) -> Assessment | None:
        row = self.conn.execute(_ASSESSMENT_SQL + " WHERE a.id = ?", [aid]).fetchone()
        return Assessment(*row) if row else None

    def for_community(self, community_id: int) -> Assessment | None:
        row = self.conn.execute(
            _ASSESSMENT_SQL + " WHERE a.community_id = ? AND a.standard_id = ?",
            [community_id, self.program.standard],
        ).fetchone()
        return Assessment(*row) if row else None

    def standard_for(self, a: Assessment) -> Standard:
        """Return the standard version the check was started on."""
        if self.catalog.hashes.get(a.standard_id) == a.standard_hash:
            return self.catalog.standard(a.standard_id)
        std = self._versions.get(a.standard_hash)
        if std is None:
            row = self.conn.execute(
                "SELECT body FROM standard_versions WHERE hash = ?", [a.standard_hash]
            ).fetchone()
            if row is None:  # no snapshot: fall back to the current file
                return self.catalog.standard(a.standard_id)
            std = Standard.model_validate(json.loads(row[0]))
            self._versions[a.standard_hash] = std
        return std

    def rows(self, aid: int) -> dict[str, Row]:
        """Return the stored answers and evidence counts of a check, by question id."""
        counts = dict(self.conn.execute(_EVIDENCE_COUNTS_SQL, [aid]).fetchall())
        out: dict[str, Row] = {}
        empty = _NO_DEDUCTIONS
        for qid, status, points, deds, note in self.conn.execute(_ANSWERS_SQL, [aid]):
            d = decode_deductions(deds) if deds else empty
            out[qid] = Row(status, points, d, note, counts.pop(qid, 0) if counts else 0)
        for qid, n in counts.items():  # files on questions not answered yet
            out[qid] = Row(None, None, _NO_DEDUCTIONS, None, n)
        return out

    def view(self, a: Assessment) -> View:
        std = self.standard_for(a)
        rows = self.rows(a.id)
        return View(a, std, rows, score(std, rows))

    # -- writing ----------------------------------------------------------------------------

    def open(self, community_id: int) -> Assessment:
        """Return the community's check for the active standard, creating it if needed."""
        found = self.for_community(community_id)
        if found:
            return found
        sid = self.program.standard
        std = self.catalog.standard(sid)
        h = self.catalog.hashes[sid]
        ts = now()
        with transaction(self.db):
            self.conn.execute(
                "INSERT OR IGNORE INTO standard_versions (hash, standard_id, body, stored_at)"
                " VALUES (?, ?, ?, ?)",
                [h, sid, std.model_dump_json(), ts],
            )
            self.conn.execute(
                "INSERT OR IGNORE INTO assessments (community_id, program_id, standard_id,"
                " standard_hash, status, created_at, updated_at, answered, total, gap_count,"
                " passed) VALUES (?, ?, ?, ?, 'open', ?, ?, 0, ?, ?, 0)",
                [
                    community_id,
                    self.program.id,
                    sid,
                    h,
                    ts,
                    ts,
                    len(std.questions),
                    len(std.questions),
                ],
            )
        a = self.for_community(community_id)
        assert a is not None
        return a

    def _refresh(self, a: Assessment, at: str | None = None) -> View:
        """Re-score the check and store its cached summary (inside the caller's transaction)."""
        v = self.view(a)
        r = v.result
        self.conn.execute(
            _SUMMARY_SQL,
            [r.answered, r.total, r.gap_count, r.score, int(r.passed), at or now(), a.id],
        )
        return v

    def _check_open(self, a: Assessment, qid: str) -> Question:
        if a.locked:
            raise CheckError("locked")
        std = self.standard_for(a)
        if qid not in std.question_index:
            raise CheckError("bad_question", qid=qid)
        return std.question(qid)

    def answer(
        self,
        a: Assessment,
        qid: str,
        status: Status,
        user_id: int,
        deductions: Mapping[str, float] | None = None,
        points: float | None = None,
        card: tuple[int, int] | None = None,
        stay: bool = False,
        update_id: int | None = None,
    ) -> Answered:
        """Store an answer; deductions set the item's points.

        With `card` and `update_id`, a tap whose update is not newer than the last one the
        card took (Telegram's update ids only grow) is a redelivery: CheckError('repeat'),
        nothing written. The card row carries that id, so this costs no extra write.

        With `card` (chat id, message id), the card's next question — the next unanswered one,
        or this one when `stay` — is recorded in the same transaction.
        """
        q = self._check_open(a, qid)
        deds = dict(deductions or {})
        if deds and (q.kind != "item" or q.max_points is None):
            raise CheckError("bad_answer", qid=qid)  # only points items have deductions
        if q.max_points is not None and q.kind == "item" and status != "na":
            assert q.item is not None
            valid = {r.key: r.choices(q.max_points) for r in q.item.deductions}
            for key, amount in deds.items():
                if key not in valid or amount not in valid[key]:
                    raise CheckError("bad_answer", qid=qid)
            if deds:
                points = deduction_points(q.max_points, sum(deds.values()))
                status = status_for_points(points, q.max_points)
            elif points is None:
                points = q.max_points if status == "met" else 0.0
        if status == "na" and q.kind == "item" and q.max_points is not None:
            if not (q.item and q.item.na_allowed):
                raise CheckError("bad_answer", qid=qid)
            points = q.max_points
        if q.kind == "bonus" and points is None:
            points = q.max_points if status == "met" else 0.0
        with transaction(self.db):
            if card is not None and update_id is not None:
                seen = self.conn.execute(_CARD_SEEN_SQL, card).fetchone()
                if seen is not None and seen[0] is not None and seen[0] >= update_id:
                    raise CheckError("repeat")
            ts = now()
            cur = self.conn.execute(
                _UPSERT_ANSWER_SQL,
                [a.id, qid, status, points, encode_deductions(deds), user_id, ts],
            )
            changed = cur.rowcount > 0
            view = self._refresh(a, ts) if changed else self.view(a)
            following = qid if stay else next_open(view.standard, view.rows, qid) or qid
            if card is not None:
                self.remember_card(card[0], card[1], a.id, following, update_id)
        return Answered(changed, view, following)

    def note(self, a: Assessment, qid: str, text: str, user_id: int) -> bool:
        """Store a note on a question; return whether it changed."""
        self._check_open(a, qid)
        text = text.strip()
        if not text:
            raise CheckError("note_empty")
        if len(text) > NOTE_MAX:
            raise CheckError("note_too_long", length=len(text), limit=NOTE_MAX)
        with transaction(self.db):
            cur = self.conn.execute(_UPSERT_NOTE_SQL, [a.id, qid, text, user_id, now()])
            if cur.rowcount:
                self._refresh(a)
        return cur.rowcount > 0

    def add_evidence(self, a: Assessment, qid: str, user_id: int, **file: Any) -> bool:
        """Attach one file to a question; return False when it was already attached."""
        self._check_open(a, qid)
        with transaction(self.db):
            cur = self.conn.execute(
                "INSERT OR IGNORE INTO evidence (assessment_id, question_id, kind, file_id,"
                " file_unique_id, file_name, mime_type, file_size, media_group_id, chat_id,"
                " message_id, user_id, created_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
                [
                    a.id,
                    qid,
                    file["kind"],
                    file["file_id"],
                    file["file_unique_id"],
                    file.get("file_name"),
                    file.get("mime_type"),
                    file.get("file_size"),
                    file.get("media_group_id"),
                    file.get("chat_id"),
                    file.get("message_id"),
                    user_id,
                    now(),
                ],
            )
            if cur.rowcount:
                self._refresh(a)
        return cur.rowcount > 0

    def album_target(self, chat_id: int, media_group_id: str) -> tuple[int, str] | None:
        """Return (assessment id, question id) an album's earlier files went to."""
        row = self.conn.execute(
            "SELECT assessment_id, question_id FROM evidence WHERE chat_id = ?"
            " AND media_group_id = ? ORDER BY id LIMIT 1",
            [chat_id, media_group_id],
        ).fetchone()
        return (int(row[0]), str(row[1])) if row else None

    def submit(self, a: Assessment, user_id: int) -> View:
        """Lock the check; raise CheckError('unanswered') naming what is missing."""
        v = self.view(a)
        if a.locked:
            return v
        missing = [g.id for g in v.result.gaps if g.reason == "unanswered"]
        if missing:
            raise CheckError("unanswered", ids=missing)
        with transaction(self.db):
            self.conn.execute(
                "UPDATE assessments SET status = 'submitted', submitted_at = ?, submitted_by = ?"
                " WHERE id = ? AND status = 'open'",
                [now(), user_id, a.id],
            )
        fresh = self.get(a.id)
        assert fresh is not None
        return self.view(fresh)

    def reopen(self, a: Assessment) -> Assessment:
        with transaction(self.db):
            self.conn.execute(
                "UPDATE assessments SET status = 'open', submitted_at = NULL WHERE id = ?",
                [a.id],
            )
        fresh = self.get(a.id)
        assert fresh is not None
        return fresh

    # -- cards ------------------------------------------------------------------------------

    def remember_card(
        self, chat_id: int, message_id: int, aid: int, qid: str, update_id: int | None = None
    ) -> None:
        """Record the question a card shows (and the last answer tap it took)."""
        self.conn.execute(
            "INSERT INTO cards (chat_id, message_id, assessment_id, question_id, last_update_id)"
            " VALUES (?,?,?,?,?) ON CONFLICT (chat_id, message_id) DO UPDATE SET"
            " assessment_id = excluded.assessment_id, question_id = excluded.question_id,"
            " last_update_id = coalesce(excluded.last_update_id, cards.last_update_id)",
            [chat_id, message_id, aid, qid, update_id],
        )

    def card(self, chat_id: int, message_id: int) -> tuple[int, str] | None:
        row = self.conn.execute(
            "SELECT assessment_id, question_id FROM cards WHERE chat_id = ? AND message_id = ?",
            [chat_id, message_id],
        ).fetchone()
        return (int(row[0]), str(row[1])) if row else None

    def set_prompt(
        self, chat_id: int, user_id: int, kind: str, aid: int, qid: str, message_id: int
    ) -> None:
        self.conn.execute(
            "INSERT OR REPLACE INTO prompts (chat_id, user_id, kind, assessment_id, question_id,"
            " message_id, created_at) VALUES (?,?,?,?,?,?,?)",
            [chat_id, user_id, kind, aid, qid, message_id, now()],
        )

    def prompt(self, chat_id: int, user_id: int) -> dict[str, Any] | None:
        """Return the user's pending prompt in this chat (kind, aid, qid, message_id, fresh).

        `fresh` is False once it is older than PROMPT_TTL: a reply to the prompt still counts,
        but a message that is not a reply no longer goes to it.
        """
        row = self.conn.execute(
            "SELECT kind, assessment_id, question_id, message_id, created_at FROM prompts"
            " WHERE chat_id = ? AND user_id = ?",
            [chat_id, user_id],
        ).fetchone()
        if row is None:
            return None
        stale_before = (dt.datetime.now(dt.UTC) - PROMPT_TTL).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
        return {
            "kind": row[0],
            "aid": int(row[1]),
            "qid": row[2],
            "message_id": row[3],
            "fresh": row[4] >= stale_before,
        }

    def clear_prompt(self, chat_id: int, user_id: int) -> None:
        self.conn.execute(
            "DELETE FROM prompts WHERE chat_id = ? AND user_id = ?", [chat_id, user_id]
        )


def next_open(std: Standard, rows: Mapping[str, Row], after: str | None) -> str | None:
    """Return the next unanswered question after `after` (wrapping), or None if all answered."""
    qs = std.questions
    start = std.question_index[after] + 1 if after in std.question_index else 0
    n = len(qs)
    for k in range(n):
        qid = qs[(start + k) % n].id
        r = rows.get(qid)
        if r is None or r.status is None:
            return qid
    return None
