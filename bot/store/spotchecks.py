"""All SQL of spot checks (抽查): draws, the spot checks, the inspector's answers, comments,
files and history, reply prompts, and the experts' program years.

The caller (bot.services.spotchecks) owns the unit of work and passes every timestamp in.
"""

from __future__ import annotations

from typing import Any

import sqlite_utils

from bot.domain.answers import Answer, Row, decode_deductions
from bot.domain.answers import encode_deductions as encode
from bot.domain.spotchecks import SpotRow

_SPOT = """
SELECT s.id, s.year, s.community_id, c.name, c.county_id, co.name, s.assessment_id, s.state,
       s.inspector_id, CASE WHEN s.inspector_id IS NULL THEN NULL
       ELSE ifnull(u.name, s.inspector_id) END, s.drawn_at, s.due, s.reason, s.decided_at
FROM spot_checks s JOIN communities c ON c.id = s.community_id
JOIN counties co ON co.id = c.county_id LEFT JOIN users u ON u.id = s.inspector_id
"""

_FILE = """
SELECT f.id, s.assessment_id, f.question_id, f.kind, f.file_id, f.file_name, f.mime_type,
       f.file_size, f.created_at, s.community_id, s.year, f.sha256, f.stored_at, f.attempts,
       f.chat_id, f.user_id, f.spot_id
FROM spot_files f JOIN spot_checks s ON s.id = f.spot_id
"""
_FILE_KEYS = ("id", "aid", "qid", "kind", "file_id", "name", "mime", "size", "created_at",
              "community_id", "cycle", "sha256", "stored_at", "attempts", "chat_id", "user_id",
              "spot_id")  # fmt: skip


def _spot(row: tuple[Any, ...]) -> SpotRow:
    return SpotRow._make((*row[:9], None if row[9] is None else str(row[9]), *row[10:]))


class SpotStore:
    """The spot-check aggregate's SQL over one connection."""

    def __init__(self, db: sqlite_utils.Database) -> None:
        self.db = db
        self.conn = db.conn

    # -- draws and spot checks ---------------------------------------------------------------

    def communities(self, ids: list[int]) -> dict[int, tuple[str, int, str]]:
        """{community id: (name, county id, county name)}."""
        marks = ",".join(str(int(i)) for i in ids) or "NULL"
        rows = self.conn.execute(
            "SELECT c.id, c.name, c.county_id, co.name FROM communities c"
            f" JOIN counties co ON co.id = c.county_id WHERE c.id IN ({marks})"
        )
        return {int(i): (str(n), int(co), str(con)) for i, n, co, con in rows}

    def insert_draw(self, values: dict[str, Any]) -> int:
        cols = ", ".join(values)
        marks = ", ".join("?" * len(values))
        cur = self.conn.execute(
            f"INSERT INTO spot_draws ({cols}) VALUES ({marks})", list(values.values())
        )
        return int(cur.lastrowid or 0)

    def add(self, year: int, community_id: int, aid: int, draw_id: int, at: str) -> int | None:
        """A community drawn for `year` (once a year: None when it was drawn already)."""
        cur = self.conn.execute(
            "INSERT OR IGNORE INTO spot_checks (year, community_id, assessment_id, draw_id,"
            " state, drawn_at) VALUES (?,?,?,?,'drawn',?)",
            [year, community_id, aid, draw_id, at],
        )
        return int(cur.lastrowid) if cur.rowcount == 1 and cur.lastrowid else None

    def get(self, spot_id: int) -> SpotRow | None:
        row = self.conn.execute(_SPOT + " WHERE s.id = ?", [spot_id]).fetchone()
        return _spot(row) if row else None

    def of_community(self, year: int, community_id: int) -> SpotRow | None:
        row = self.conn.execute(
            _SPOT + " WHERE s.year = ? AND s.community_id = ?", [year, community_id]
        ).fetchone()
        return _spot(row) if row else None

    def listing(self, year: int | None = None, inspector: int | None = None) -> list[SpotRow]:
        """Spot checks (of a year, of an inspector), by county and community."""
        rows = self.conn.execute(
            _SPOT + " WHERE (?1 IS NULL OR s.year = ?1) AND (?2 IS NULL OR s.inspector_id = ?2)"
            " ORDER BY s.year, co.name, c.name",
            [year, inspector],
        )
        return [_spot(r) for r in rows]

    def set_state(self, spot_id: int, before: str, after: str, fields: dict[str, Any]) -> bool:
        """Move a spot check from `before` to `after` with `fields`; False if it moved meanwhile."""
        sets = "".join(f", {k} = ?" for k in fields)
        cur = self.conn.execute(
            f"UPDATE spot_checks SET state = ?{sets} WHERE id = ? AND state = ?",
            [after, *fields.values(), spot_id, before],
        )
        return cur.rowcount == 1

    def event(self, spot_id: int, action: str, by: int | None, at: str,
              item: tuple[str | None, str | None, str | None] = (None, None, None),
              comment: str | None = None) -> None:  # fmt: skip
        """Append to the spot check's history: item (question, before, after)."""
        self.conn.execute(
            "INSERT INTO spot_events (spot_id, action, user_id, at, question_id, before, after,"
            " comment) VALUES (?,?,?,?,?,?,?,?)",
            [spot_id, action, by, at, *item, comment],
        )

    def events(self, spot_id: int) -> list[tuple[Any, ...]]:
        """(action, who, at, item, before, after, comment), oldest first."""
        return list(
            self.conn.execute(
                "SELECT e.action, ifnull(u.name, e.user_id), e.at, e.question_id, e.before,"
                " e.after, e.comment FROM spot_events e LEFT JOIN users u ON u.id = e.user_id"
                " WHERE e.spot_id = ? ORDER BY e.id",
                [spot_id],
            )
        )

    # -- the inspector's answers and comments ------------------------------------------------

    def answers(self, spot_ids: list[int]) -> dict[int, dict[str, Row]]:
        """{spot id: {question: the inspector's answer}}."""
        return self._rows("SELECT spot_id, question_id, status, points, deductions FROM spot_items"
                          " WHERE spot_id IN ({})", spot_ids)  # fmt: skip

    def _rows(self, sql: str, ids: list[int]) -> dict[int, dict[str, Row]]:
        """{id: {question: answer}} of (id, question, status, points, deductions) rows."""
        marks = ",".join(str(int(i)) for i in ids) or "NULL"
        out: dict[int, dict[str, Row]] = {}
        for key, q, status, points, deds in self.conn.execute(sql.format(marks)):
            row = Row(status, points, decode_deductions(deds), None, 0)
            out.setdefault(int(key), {})[str(q)] = row
        return out

    def answer(self, spot_id: int, qid: str, a: Answer, by: int, at: str) -> None:
        self.conn.execute(
            "INSERT OR REPLACE INTO spot_items (spot_id, question_id, status, points,"
            " deductions, user_id, at) VALUES (?,?,?,?,?,?,?)",
            [spot_id, qid, a.status, a.points, encode(a.deductions), by, at],
        )

    def comment(self, spot_id: int, qid: str, body: str, by: int, at: str) -> None:
        self.conn.execute(
            "INSERT INTO spot_comments (spot_id, question_id, body, user_id, at) VALUES (?,?,?,?,?)",
            [spot_id, qid, body, by, at],
        )

    def comments(self, spot_id: int) -> dict[str, list[str]]:
        """{question: the inspector's comments on it, oldest first}."""
        out: dict[str, list[str]] = {}
        rows = self.conn.execute(
            "SELECT question_id, body FROM spot_comments WHERE spot_id = ? ORDER BY id", [spot_id]
        )
        for q, body in rows:
            out.setdefault(str(q), []).append(str(body))
        return out

    def verified(self, aids: list[int]) -> dict[int, dict[str, Row]]:
        """{check: {question: the review chain's verified answer}}."""
        return self._rows("SELECT assessment_id, question_id, status, points, deductions"
                          " FROM review_items WHERE assessment_id IN ({}) AND status IS NOT NULL",
                          aids)  # fmt: skip

    def own(self, aids: list[int]) -> dict[int, dict[str, tuple[Any, Any]]]:
        """{check: {question: (status, points) the community answered}}."""
        marks = ",".join(str(int(i)) for i in aids) or "NULL"
        out: dict[int, dict[str, tuple[Any, Any]]] = {}
        rows = self.conn.execute(
            "SELECT assessment_id, question_id, status, points FROM answers"
            f" WHERE assessment_id IN ({marks}) AND status IS NOT NULL"
        )
        for aid, q, status, points in rows:
            out.setdefault(int(aid), {})[str(q)] = (status, points)
        return out

    # -- files -------------------------------------------------------------------------------

    def add_file(self, values: dict[str, Any]) -> int | None:
        """A file the inspector attached (None: that file is on that item already)."""
        cols = ", ".join(values)
        marks = ", ".join("?" * len(values))
        cur = self.conn.execute(
            f"INSERT OR IGNORE INTO spot_files ({cols}) VALUES ({marks})", list(values.values())
        )
        return int(cur.lastrowid) if cur.rowcount == 1 and cur.lastrowid else None

    def file(self, fid: int) -> dict[str, Any] | None:
        row = self.conn.execute(_FILE + " WHERE f.id = ?", [fid]).fetchone()
        return dict(zip(_FILE_KEYS, row, strict=True)) if row else None

    def files(self, spot_id: int, qid: str) -> list[tuple[str, str]]:
        """(kind, Telegram file id) of the inspector's files on an item, in the order they came."""
        rows = self.conn.execute(
            "SELECT kind, file_id FROM spot_files WHERE spot_id = ? AND question_id = ?"
            " ORDER BY id",
            [spot_id, qid],
        )
        return [(str(k), str(f)) for k, f in rows]

    def file_counts(self, spot_id: int) -> dict[str, int]:
        rows = self.conn.execute(
            "SELECT question_id, count(*) FROM spot_files WHERE spot_id = ? GROUP BY question_id",
            [spot_id],
        )
        return {str(q): int(n) for q, n in rows}

    def pending_files(self, max_attempts: int, limit: int) -> list[int]:
        rows = self.conn.execute(
            "SELECT id FROM spot_files WHERE stored_at IS NULL AND attempts < ?"
            " ORDER BY id LIMIT ?",
            [max_attempts, limit],
        )
        return [int(r[0]) for r in rows]

    def count_attempt(self, fid: int, max_attempts: int) -> bool:
        cur = self.conn.execute(
            "UPDATE spot_files SET attempts = attempts + 1"
            " WHERE id = ? AND stored_at IS NULL AND attempts < ?",
            [fid, max_attempts],
        )
        return cur.rowcount == 1

    def others(self, fid: int) -> list[dict[str, Any]]:
        """Every other stored file, the communities' and the inspectors' (for provenance)."""
        rows = self.conn.execute(
            "SELECT e.id, e.assessment_id, e.question_id, a.community_id, a.cycle, e.sha256,"
            " e.phash FROM evidence e JOIN assessments a ON a.id = e.assessment_id"
            " WHERE e.sha256 IS NOT NULL UNION ALL"
            " SELECT -f.id, s.assessment_id, f.question_id, s.community_id, s.year, f.sha256,"
            " f.phash FROM spot_files f JOIN spot_checks s ON s.id = f.spot_id"
            " WHERE f.id != ? AND f.sha256 IS NOT NULL",
            [fid],
        ).fetchall()
        keys = ("id", "aid", "qid", "community_id", "cycle", "sha256", "phash")
        return [dict(zip(keys, r, strict=True)) for r in rows]

    def record_stored(self, fid: int, at: str, values: dict[str, Any]) -> None:
        sets = ", ".join(f"{k} = ?" for k in values)
        self.conn.execute(
            f"UPDATE spot_files SET {sets}, stored_at = ?, error = NULL WHERE id = ?",
            [*values.values(), at, fid],
        )

    def record_failure(self, fid: int, error: str, attempts: int | None) -> None:
        self.conn.execute(
            "UPDATE spot_files SET error = ?, attempts = coalesce(?, attempts) WHERE id = ?",
            [error, attempts, fid],
        )

    # -- prompts and experts ---------------------------------------------------------------

    def set_prompt(
        self, where: tuple[int, int, int], target: tuple[str, int, int, str, str | None], at: str
    ) -> None:
        """Remember the prompt message `where` = (chat, user, message) asks for `target` =
        (kind, spot check / objection / check, its check, item, stage name), in the one prompts
        table (the user's newest prompt in the chat wins)."""
        chat_id, user_id, message_id = where
        kind, target_id, aid, qid, stage = target
        self.conn.execute(
            "INSERT OR REPLACE INTO prompts (chat_id, user_id, kind, assessment_id, question_id,"
            " message_id, created_at, stage, target_id) VALUES (?,?,?,?,?,?,?,?,?)",
            [chat_id, user_id, kind, aid, qid, message_id, at, stage, target_id],
        )

    def prompt(
        self, chat_id: int, user_id: int
    ) -> tuple[str, int, int, str, str | None, int] | None:
        """(kind, target id, check, item, stage name, message id) of the user's pending spot-check
        or 公示 prompt in the chat (None: their newest prompt is another kind, or none)."""
        row = self.conn.execute(
            "SELECT kind, target_id, assessment_id, question_id, stage, message_id FROM prompts"
            " WHERE chat_id = ? AND user_id = ? AND target_id IS NOT NULL",
            [chat_id, user_id],
        ).fetchone()
        if row is None:
            return None
        return str(row[0]), int(row[1]), int(row[2]), str(row[3]), row[4], int(row[5])

    def clear_prompt(self, chat_id: int, user_id: int) -> None:
        self.conn.execute(
            "DELETE FROM prompts WHERE chat_id = ? AND user_id = ? AND target_id IS NOT NULL",
            [chat_id, user_id],
        )

    def set_invite_year(self, code: str, year: int) -> None:
        self.conn.execute("UPDATE invites SET year = ? WHERE code = ?", [year, code])

    def grant_expert(self, user_id: int, year: int, at: str) -> None:
        self.conn.execute(
            "INSERT OR IGNORE INTO expert_years (user_id, year, granted_at) VALUES (?,?,?)",
            [user_id, year, at],
        )
