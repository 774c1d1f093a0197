"""All SQL of a check: assessments, answers, evidence, cards, prompts (history: by trigger).

Prepared statements over one connection; the caller (bot.services.checks) owns the unit of
work and passes every timestamp in. `load` reads a check's state, answers and file counts in
ONE statement, so a tap reads once inside its transaction.
"""

from __future__ import annotations

import sqlite3
from typing import Any

import sqlite_utils

from bot.domain.answers import NO_DEDUCTIONS, Answer, Assessment, Row, decode_deductions
from bot.domain.answers import encode_deductions as encode
from bot.domain.scoring import Result
from bot.domain.workflow import OPEN, RETURNED, SUBMITTED


class Repeated(Exception):
    """The update id was claimed before: a redelivered tap (the transaction must roll back)."""


_ASSESSMENT = """
SELECT a.id, a.community_id, c.name, c.county_id, co.name, a.program_id, a.standard_id,
       a.standard_hash, a.status, a.submitted_at, a.cycle
FROM assessments a JOIN communities c ON c.id = a.community_id
JOIN counties co ON co.id = c.county_id
"""
# The current check of a community for a standard: the newest cycle (today there is one).
_CURRENT = (
    _ASSESSMENT
    + """
WHERE a.community_id = ? AND a.standard_id = ? ORDER BY ifnull(a.cycle, 0) DESC LIMIT 1
"""
)

# kind 0: the check itself (and its rev) · 1: an answer row (with its file count) · 2: files
# on an unanswered question. One statement, one index range per table. ?2 is the rev the
# caller's copy of the rows was read at: when the rows have not changed since (rev is bumped
# by trigger on every change of answers or evidence), they are not sent again.
_REV = "(SELECT rev FROM assessments WHERE id = ?1)"
_LOAD = f"""
SELECT 0, a.id, a.community_id, c.name, c.county_id, co.name, a.program_id, a.standard_id,
       a.standard_hash, a.status, a.submitted_at, a.cycle, a.rev
FROM assessments a JOIN communities c ON c.id = a.community_id
JOIN counties co ON co.id = c.county_id WHERE a.id = ?1
UNION ALL
SELECT 1, question_id, status, points, deductions, note,
       (SELECT count(*) FROM evidence e WHERE e.assessment_id = ?1
          AND e.question_id = answers.question_id AND e.action_id IS NULL),
       NULL, NULL, NULL, NULL, NULL, NULL
FROM answers WHERE assessment_id = ?1 AND {_REV} IS NOT ?2
UNION ALL
SELECT 2, question_id, NULL, NULL, NULL, NULL, count(*), NULL, NULL, NULL, NULL, NULL, NULL
FROM evidence e WHERE assessment_id = ?1 AND action_id IS NULL AND {_REV} IS NOT ?2
  AND NOT EXISTS
  (SELECT 1 FROM answers x WHERE x.assessment_id = ?1 AND x.question_id = e.question_id)
GROUP BY question_id
"""

_UPSERT_ANSWER = """
INSERT INTO answers (assessment_id, question_id, status, points, deductions, user_id, updated_at)
VALUES (?, ?, ?, ?, ?, ?, ?)
ON CONFLICT (assessment_id, question_id) DO UPDATE SET
    status = excluded.status, points = excluded.points, deductions = excluded.deductions,
    user_id = excluded.user_id, updated_at = excluded.updated_at
WHERE answers.status IS NOT excluded.status OR answers.points IS NOT excluded.points
   OR answers.deductions IS NOT excluded.deductions
"""

_UPSERT_NOTE = """
INSERT INTO answers (assessment_id, question_id, note, note_by, note_at)
VALUES (?, ?, ?, ?, ?)
ON CONFLICT (assessment_id, question_id) DO UPDATE SET
    note = excluded.note, note_by = excluded.note_by, note_at = excluded.note_at
WHERE answers.note IS NOT excluded.note
"""

_SUMMARY = """
UPDATE assessments SET answered = ?, total = ?, gap_count = ?, score = ?, passed = ?,
    updated_at = ? WHERE id = ? RETURNING rev
"""

# last_update_id: the tap that wrote the row (NULL: navigation). A non-NULL id is claimed in
# processed_updates by trigger (migration 7); a redelivered id fails this statement.
_CARD = """
INSERT INTO cards (chat_id, message_id, assessment_id, question_id, last_update_id, tapped_at)
VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (chat_id, message_id) DO UPDATE SET
    assessment_id = excluded.assessment_id, question_id = excluded.question_id,
    last_update_id = excluded.last_update_id, tapped_at = excluded.tapped_at
"""

_EVIDENCE = """
INSERT OR IGNORE INTO evidence (assessment_id, question_id, kind, file_id, file_unique_id,
    file_name, mime_type, file_size, media_group_id, chat_id, message_id, user_id, created_at)
VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)
"""


def _row(kind: int, qid: str, status: Any, points: Any, deds: Any, note: Any, n: Any) -> Row:
    if kind == 2:
        return Row(None, None, NO_DEDUCTIONS, None, int(n))
    return Row(status, points, decode_deductions(deds) if deds else NO_DEDUCTIONS, note, int(n))


class CheckStore:
    """The check aggregate's SQL over one connection."""

    def __init__(self, db: sqlite_utils.Database) -> None:
        self.db = db
        self.conn: sqlite3.Connection = db.conn

    # -- reading ----------------------------------------------------------------------------

    def assessment(self, aid: int) -> Assessment | None:
        row = self.conn.execute(_ASSESSMENT + " WHERE a.id = ?", [aid]).fetchone()
        return Assessment(*row) if row else None

    def held_back(self, aid: int, qid: str) -> bool:
        """Whether a sent-back check keeps this item as answered (only its reopened items may
        change)."""
        row = self.conn.execute(
            "SELECT 1 FROM reviews WHERE assessment_id = ?1 AND state = ?3 AND NOT EXISTS"
            " (SELECT 1 FROM review_reopened WHERE assessment_id = ?1 AND question_id = ?2)",
            [aid, qid, RETURNED],
        ).fetchone()
        return row is not None

    def current(self, community_id: int, standard_id: str) -> Assessment | None:
        row = self.conn.execute(_CURRENT, [community_id, standard_id]).fetchone()
        return Assessment(*row) if row else None

    def load(self, aid: int) -> tuple[Assessment | None, dict[str, Row]]:
        """The check and its rows (answers and file counts, by question) in one statement."""
        a, rows, _ = self.load_since(aid, None)
        assert rows is not None
        return a, rows

    def load_since(
        self, aid: int, version: int | None
    ) -> tuple[Assessment | None, dict[str, Row] | None, int | None]:
        """The check, its rows and the data version, in one statement.

        With `version` (the rev a copy of the rows was read at), rows is None when they have
        not changed since: the copy is still exact.
        """
        a: Assessment | None = None
        rows: dict[str, Row] = {}
        now = None
        for kind, *rest in self.conn.execute(_LOAD, [aid, version]):
            if kind == 0:
                a, now = Assessment(*rest[:-1]), rest[-1]
            else:
                rows[rest[0]] = _row(kind, *rest[:6])
        if a is None:
            return None, {}, None
        return a, (None if now == version and not rows else rows), now

    def standard_body(self, standard_hash: str) -> str | None:
        row = self.conn.execute(
            "SELECT body FROM standard_versions WHERE hash = ?", [standard_hash]
        ).fetchone()
        return str(row[0]) if row else None

    def album_target(self, chat_id: int, media_group_id: str) -> tuple[int, str] | None:
        """(assessment id, question id) an album's earlier files went to."""
        row = self.conn.execute(
            "SELECT assessment_id, question_id FROM evidence WHERE chat_id = ?"
            " AND media_group_id = ? ORDER BY id LIMIT 1",
            [chat_id, media_group_id],
        ).fetchone()
        return (int(row[0]), str(row[1])) if row else None

    def community_names(self, ids: list[int]) -> list[tuple[int, str]]:
        marks = ",".join("?" * len(ids))
        sql = f"SELECT id, name FROM communities WHERE id IN ({marks}) ORDER BY id"
        return [(int(i), str(n)) for i, n in self.conn.execute(sql, ids)]

    # -- writing (inside the caller's unit of work) -----------------------------------------

    def create(
        self,
        community_id: int,
        program_id: str,
        std: tuple[str, str, str, int],
        at: str,
        cycle: int,
    ) -> None:
        """Store the standard version (id, hash, body, questions) and open its check."""
        sid, h, body, n = std
        self.conn.execute(
            "INSERT OR IGNORE INTO standard_versions (hash, standard_id, body, stored_at)"
            " VALUES (?, ?, ?, ?)",
            [h, sid, body, at],
        )
        self.conn.execute(
            "INSERT OR IGNORE INTO assessments (community_id, program_id, standard_id,"
            " standard_hash, status, created_at, updated_at, answered, total, gap_count,"
            " passed, cycle) VALUES (?, ?, ?, ?, ?, ?, ?, 0, ?, ?, 0, ?)",
            [community_id, program_id, sid, h, OPEN, at, at, n, n, cycle],
        )

    def write_answer(self, aid: int, qid: str, answer: Answer, user_id: int, at: str) -> bool:
        cur = self.conn.execute(
            _UPSERT_ANSWER,
            [aid, qid, answer.status, answer.points, encode(answer.deductions), user_id, at],
        )
        return cur.rowcount > 0

    def write_note(self, aid: int, qid: str, text: str | None, user_id: int, at: str) -> bool:
        return self.conn.execute(_UPSERT_NOTE, [aid, qid, text, user_id, at]).rowcount > 0

    def write_evidence(self, aid: int, qid: str, user_id: int, at: str, f: dict[str, Any]) -> bool:
        cur = self.conn.execute(
            _EVIDENCE,
            [aid, qid, f["kind"], f["file_id"], f["file_unique_id"], f.get("file_name"),
             f.get("mime_type"), f.get("file_size"), f.get("media_group_id"), f.get("chat_id"),
             f.get("message_id"), user_id, at],
        )  # fmt: skip
        return cur.rowcount > 0

    def write_summary(self, aid: int, r: Result, at: str) -> int:
        """The cached summary status reports read (and migration 3's triggers count); the rev."""
        row = self.conn.execute(
            _SUMMARY, [r.answered, r.total, r.gap_count, r.score, int(r.passed), at, aid]
        ).fetchone()
        return int(row[0])

    def submit(self, aid: int, user_id: int, at: str) -> bool:
        cur = self.conn.execute(
            "UPDATE assessments SET status = ?, submitted_at = ?, submitted_by = ?"
            " WHERE id = ? AND status = ?",
            [SUBMITTED, at, user_id, aid, OPEN],
        )
        return cur.rowcount > 0

    def reopen(self, aid: int) -> None:
        self.conn.execute(
            "UPDATE assessments SET status = ?, submitted_at = NULL WHERE id = ?", [OPEN, aid]
        )

    # -- cards and prompts ------------------------------------------------------------------

    def remember_card(
        self, card: tuple[int, int], aid: int, qid: str, update_id: int | None, at: str | None
    ) -> None:
        """Record the question a card shows; a tap's `update_id` is claimed (else Repeated)."""
        try:
            self.conn.execute(_CARD, [card[0], card[1], aid, qid, update_id, at])
        except sqlite3.IntegrityError as exc:
            if "processed_updates" in str(exc):
                raise Repeated(update_id) from exc
            raise

    def card(self, chat_id: int, message_id: int) -> tuple[int, str] | None:
        row = self.conn.execute(
            "SELECT assessment_id, question_id FROM cards WHERE chat_id = ? AND message_id = ?",
            [chat_id, message_id],
        ).fetchone()
        return (int(row[0]), str(row[1])) if row else None
