"""All SQL of the review chain: stages, verifications, comments, reopened items, history.

The caller (bot.services.reviews) owns the unit of work and passes every timestamp in.
"""

from __future__ import annotations

import sqlite3
from typing import Any

import sqlite_utils

from bot.domain.access import Scope
from bot.domain.answers import Answer, Row, decode_deductions
from bot.domain.answers import encode_deductions as encode
from bot.domain.reviews import Comment, Event, ReviewRow, Waiting
from bot.domain.workflow import SUBMITTED, WAITING

_WAITING = """
SELECT r.assessment_id, c.id, c.name, c.street_id, s.name, c.county_id, co.name, r.stage,
       r.state, r.entered_at, a.score, a.passed, r.recognised_at, r.published_at, a.cycle
FROM reviews r JOIN assessments a ON a.id = r.assessment_id
JOIN communities c ON c.id = a.community_id JOIN counties co ON co.id = c.county_id
LEFT JOIN streets s ON s.id = c.street_id
"""

# When each item of a check last changed: its answer, its note, a file attached (not an
# action's closing file), removed or moved (away from the item or onto it). (question, at)
_CHANGES = """
SELECT question_id, updated_at AS at FROM answers WHERE assessment_id = ?1
UNION ALL SELECT question_id, note_at FROM answers WHERE assessment_id = ?1
UNION ALL SELECT question_id, created_at FROM evidence WHERE assessment_id = ?1 AND action_id IS NULL
UNION ALL SELECT question_id, at FROM evidence_events WHERE assessment_id = ?1
UNION ALL SELECT before, at FROM evidence_events WHERE assessment_id = ?1
"""

_EVENT = """
INSERT INTO review_events (assessment_id, stage, action, user_id, role, at, question_id,
    before, after, comment) VALUES (?,?,?,?,?,?,?,?,?,?)
"""


class ReviewStore:
    """The review aggregate's SQL over one connection."""

    def __init__(self, db: sqlite_utils.Database) -> None:
        self.db = db
        self.conn: sqlite3.Connection = db.conn

    # -- reading ----------------------------------------------------------------------------

    def review(self, aid: int) -> ReviewRow | None:
        row = self.conn.execute(
            "SELECT assessment_id, stage, state, entered_at, returned_by, recognised_at,"
            " published_at FROM reviews WHERE assessment_id = ?",
            [aid],
        ).fetchone()
        return ReviewRow(*row) if row else None

    def place(self, aid: int) -> tuple[ReviewRow | None, Scope, str, str] | None:
        """Where a check is, in one statement: its review row (None: not in the chain), its
        scope, its status and its kind (create | rereview). None: no such check."""
        row = self.conn.execute(
            "SELECT r.assessment_id, r.stage, r.state, r.entered_at, r.returned_by,"
            " r.recognised_at, r.published_at, c.id, c.street_id, c.county_id, a.status, a.kind,"
            " a.cycle FROM assessments a JOIN communities c ON c.id = a.community_id"
            " LEFT JOIN reviews r ON r.assessment_id = a.id WHERE a.id = ?",
            [aid],
        ).fetchone()
        if row is None:
            return None
        review = ReviewRow(*row[:7]) if row[0] is not None else None
        at = Scope(int(row[7]), row[8], int(row[9]), row[12])
        return review, at, str(row[10]), str(row[11])

    def move(self, aid: int, to: tuple[str, str, str], verified: tuple[float, bool, int] | None,
             dates: tuple[str | None, str | None]) -> None:  # fmt: skip
        """One approval's writes to the review row: the stage and state it enters and when
        (`to`), the verified result its approver vouches for, the recognition and publication
        dates it records (None: unchanged)."""
        stage, state, at = to
        score, passed, by = verified or (None, None, None)
        self.conn.execute(
            "UPDATE reviews SET stage = ?, state = ?, entered_at = ?,"
            " verified_score = ifnull(?, verified_score),"
            " verified_passed = ifnull(?, verified_passed), verified_by = ifnull(?, verified_by),"
            " recognised_at = ifnull(?, recognised_at), published_at = ifnull(?, published_at)"
            " WHERE assessment_id = ?",
            [stage, state, at, score, None if passed is None else int(passed), by, *dates, aid],
        )

    def scope(self, aid: int) -> Scope | None:
        row = self.conn.execute(
            "SELECT c.id, c.street_id, c.county_id, a.cycle FROM assessments a"
            " JOIN communities c ON c.id = a.community_id WHERE a.id = ?",
            [aid],
        ).fetchone()
        return Scope(int(row[0]), row[1], int(row[2]), row[3]) if row else None

    def experts(self, year: int | None) -> list[int]:
        """The experts the city invited for program year `year` (holding the role)."""
        rows = self.conn.execute(
            "SELECT e.user_id FROM expert_years e WHERE e.year = ? ORDER BY e.user_id", [year]
        )
        return [int(r[0]) for r in rows]

    def former_provincial(self, aid: int) -> bool:
        """Whether the check's community was a former provincial green or livable community
        (the roster's former_green / former_livable)."""
        row = self.conn.execute(
            "SELECT c.former_green OR c.former_livable FROM assessments a"
            " JOIN communities c ON c.id = a.community_id WHERE a.id = ?",
            [aid],
        ).fetchone()
        return bool(row and row[0])

    def waiting(self, state: str | None = None, stage: str | None = None) -> list[Waiting]:
        """Checks in the chain, oldest first (optionally in one state and at one stage)."""
        sql = _WAITING + (
            " WHERE (?1 IS NULL OR r.state = ?1) AND (?2 IS NULL OR r.stage = ?2)"
            f" AND (r.state != '{WAITING}' OR a.status = '{SUBMITTED}')"  # not reopened since
        )
        rows = self.conn.execute(sql + " ORDER BY r.entered_at, r.assessment_id", [state, stage])
        return [Waiting(*r) for r in rows]

    def verified(self, aid: int) -> dict[str, Row]:
        """The reviewers' verified answers by question (note and files left empty)."""
        rows = self.conn.execute(
            "SELECT question_id, status, points, deductions FROM review_items"
            " WHERE assessment_id = ?",
            [aid],
        )
        return {
            str(q): Row(s, p, decode_deductions(d), None, 0) for q, s, p, d in rows if s is not None
        }

    def comments(self, aid: int, pending_only: bool = True) -> list[Comment]:
        rows = self.conn.execute(
            "SELECT question_id, body, stage, user_id, at FROM review_comments"
            " WHERE assessment_id = ? AND (pending = 1 OR ? = 0) ORDER BY id",
            [aid, int(pending_only)],
        )
        return [Comment(*r) for r in rows]

    def changed(self, aid: int, stage: str) -> set[str]:
        """The items changed since the check was last sent back from `stage` (none: never)."""
        rows = self.conn.execute(
            f"SELECT DISTINCT question_id FROM ({_CHANGES}) WHERE question_id IS NOT NULL"
            " AND at > (SELECT max(at) FROM review_events WHERE assessment_id = ?1"
            " AND action = 'send_back' AND stage = ?2)",
            [aid, stage],
        )
        return {str(r[0]) for r in rows}

    def reopened(self, aid: int) -> list[str]:
        rows = self.conn.execute(
            "SELECT question_id FROM review_reopened WHERE assessment_id = ? ORDER BY rowid", [aid]
        )
        return [str(r[0]) for r in rows]

    def events(self, aid: int) -> list[Event]:
        rows = self.conn.execute(
            "SELECT e.assessment_id, e.stage, e.action, e.user_id, e.role, e.at, e.question_id,"
            " e.before, e.after, e.comment, u.name FROM review_events e"
            " LEFT JOIN users u ON u.id = e.user_id WHERE e.assessment_id = ? ORDER BY e.id",
            [aid],
        )
        return [Event(*r) for r in rows]

    def streets_of(self, user_id: int) -> frozenset[int]:
        rows = self.conn.execute("SELECT street_id FROM street_roles WHERE user_id = ?", [user_id])
        return frozenset(int(r[0]) for r in rows)

    def street_county(self, street_id: int) -> int | None:
        row = self.conn.execute("SELECT county_id FROM streets WHERE id = ?", [street_id])
        found = row.fetchone()
        return int(found[0]) if found else None

    def street_reviewers(self, street_id: int | None) -> list[int]:
        rows = self.conn.execute(
            "SELECT user_id FROM street_roles WHERE street_id = ? ORDER BY user_id", [street_id]
        )
        return [int(r[0]) for r in rows]

    def role_users(self, role: str, community_id: int | None, county_id: int | None) -> list[int]:
        """Users holding `role` (worker: of the community, contact: of the county, admin)."""
        rows = self.conn.execute(
            "SELECT DISTINCT user_id FROM roles WHERE role = ?"
            " AND (? IS NULL OR community_id = ?) AND (? IS NULL OR county_id = ?)"
            " ORDER BY user_id",
            [role, community_id, community_id, county_id, county_id],
        )
        return [int(r[0]) for r in rows]

    def langs(self, user_ids: list[int]) -> dict[int, str]:
        """Each known user's language (others: absent)."""
        marks = ",".join("?" * len(user_ids))
        sql = f"SELECT id, lang FROM users WHERE id IN ({marks})"
        return {int(i): str(lang or "zh") for i, lang in self.conn.execute(sql, user_ids)}

    def county_groups(self, county_id: int) -> list[int]:
        """Group chats bound to a county (not to one of its communities)."""
        rows = self.conn.execute(
            "SELECT chat_id FROM groups WHERE county_id = ? AND community_id IS NULL"
            " ORDER BY chat_id",
            [county_id],
        )
        return [int(r[0]) for r in rows]

    def street_of(self, community_id: int) -> int | None:
        row = self.conn.execute(
            "SELECT street_id FROM communities WHERE id = ?", [community_id]
        ).fetchone()
        return int(row[0]) if row and row[0] is not None else None

    def find_street(self, name: str) -> list[tuple[int, str, int]]:
        """Streets whose name contains `name`: (id, name, county id)."""
        rows = self.conn.execute(
            "SELECT id, name, county_id FROM streets WHERE name = ?1 OR name LIKE '%' || ?1 || '%'"
            " ORDER BY name = ?1 DESC, id",
            [name],
        )
        return [(int(i), str(n), int(c)) for i, n, c in rows]

    def last_decision(self, aid: int, stage: str) -> tuple[str, str | None, str] | None:
        """(action, who, when) of the latest approval or send-back at a stage of a check."""
        row = self.conn.execute(
            "SELECT e.action, ifnull(u.name, e.user_id), e.at FROM review_events e"
            " LEFT JOIN users u ON u.id = e.user_id WHERE e.assessment_id = ? AND e.stage = ?"
            " AND e.action IN ('approve', 'complete', 'send_back') ORDER BY e.id DESC LIMIT 1",
            [aid, stage],
        ).fetchone()
        return (str(row[0]), None if row[1] is None else str(row[1]), str(row[2])) if row else None

    # -- writing (inside the caller's unit of work) -----------------------------------------

    def enter(self, aid: int, stage: str, state: str, at: str) -> None:
        self.conn.execute(
            "INSERT INTO reviews (assessment_id, stage, state, entered_at) VALUES (?,?,?,?)"
            " ON CONFLICT (assessment_id) DO UPDATE SET stage = excluded.stage,"
            " state = excluded.state, entered_at = excluded.entered_at",
            [aid, stage, state, at],
        )

    def set_returned(self, aid: int, by: int, at: str) -> None:
        self.conn.execute(
            "UPDATE reviews SET state = 'returned', returned_by = ?, entered_at = ?"
            " WHERE assessment_id = ?",
            [by, at, aid],
        )

    def counts(self) -> list[tuple[str, str, int, int | None, int | None]]:
        """(stage, state, county id, verified_passed, self passed) of every check in the chain."""
        rows = self.conn.execute(
            "SELECT r.stage, r.state, c.county_id, r.verified_passed, a.passed FROM reviews r"
            " JOIN assessments a ON a.id = r.assessment_id"
            " JOIN communities c ON c.id = a.community_id"
        )
        return [(str(s), str(st), int(c), v, p) for s, st, c, v, p in rows]

    def verified_row(self, aid: int) -> tuple[float | None, int | None, str | None]:
        row = self.conn.execute(
            "SELECT r.verified_score, r.verified_passed, u.name FROM reviews r"
            " LEFT JOIN users u ON u.id = r.verified_by WHERE r.assessment_id = ?",
            [aid],
        ).fetchone()
        return (row[0], row[1], row[2]) if row else (None, None, None)

    def clear_recognition(self, aid: int) -> None:
        """Forget the recognition and publication dates (a recognition withdrawn before 公布
        sends the check back to be recognised again)."""
        self.conn.execute(
            "UPDATE reviews SET recognised_at = NULL, published_at = NULL WHERE assessment_id = ?",
            [aid],
        )

    def verify(self, aid: int, qid: str, answer: Answer, stage: str, by: int, at: str) -> None:
        self.conn.execute(
            "INSERT OR REPLACE INTO review_items (assessment_id, question_id, status, points,"
            " deductions, stage, user_id, at) VALUES (?,?,?,?,?,?,?,?)",
            [aid, qid, answer.status, answer.points, encode(answer.deductions), stage, by, at],
        )

    def comment(self, aid: int, qid: str, body: str, stage: str, by: int, at: str) -> None:
        self.conn.execute(
            "INSERT INTO review_comments (assessment_id, question_id, body, stage, user_id, at)"
            " VALUES (?,?,?,?,?,?)",
            [aid, qid, body, stage, by, at],
        )

    def reopen_commented(self, aid: int) -> list[str]:
        """Reopen the items with pending comments; close the comments; return the items."""
        self.conn.execute("DELETE FROM review_reopened WHERE assessment_id = ?", [aid])
        self.conn.execute(
            "INSERT OR IGNORE INTO review_reopened (assessment_id, question_id)"
            " SELECT assessment_id, question_id FROM review_comments"
            " WHERE assessment_id = ? AND pending = 1 AND question_id != '' ORDER BY id",
            [aid],
        )
        self.conn.execute("UPDATE review_comments SET pending = 0 WHERE assessment_id = ?", [aid])
        return self.reopened(aid)

    def drop_outdated(self, aid: int) -> None:
        """Forget the verifications of items changed after they were verified: they judged an
        answer, note or files that no longer stand (the history keeps them)."""
        self.conn.execute(
            "DELETE FROM review_items WHERE assessment_id = ?1 AND at <"
            f" (SELECT max(c.at) FROM ({_CHANGES}) c WHERE c.question_id = review_items.question_id)",
            [aid],
        )

    def clear_reopened(self, aid: int) -> None:
        self.conn.execute("DELETE FROM review_reopened WHERE assessment_id = ?", [aid])

    def send_back(self, aid: int) -> None:
        """The check is open again for the community; submitted_at stays (it was submitted)."""
        self.conn.execute("UPDATE assessments SET status = 'open' WHERE id = ?", [aid])

    def event(self, aid: int, stage: str | None, action: str, who: tuple[int, str], at: str,
              item: tuple[str | None, str | None, str | None] = (None, None, None),
              comment: str | None = None) -> None:  # fmt: skip
        """Append to the history: who (user id, role), item (question, before, after)."""
        self.conn.execute(_EVENT, [aid, stage, action, who[0], who[1], at, *item, comment])

    def set_invite_street(self, code: str, street_id: int) -> None:
        self.conn.execute("UPDATE invites SET street_id = ? WHERE code = ?", [street_id, code])

    def grant_street(self, user_id: int, street_id: int, at: str) -> None:
        self.conn.execute(
            "INSERT OR IGNORE INTO street_roles (user_id, street_id, granted_at) VALUES (?,?,?)",
            [user_id, street_id, at],
        )

    def verdict(self, aid: int, kind: str, at: str) -> None:
        """Record what makes the check's community count as done (bot.domain.workflow.Done)."""
        self.conn.execute(
            "INSERT INTO verdicts (community_id, assessment_id, standard_id, kind, at)"
            " SELECT community_id, id, standard_id, ?, ? FROM assessments WHERE id = ?",
            [kind, at, aid],
        )

    def leave(self, aid: int) -> None:
        """Take a check out of the chain (an admin reopened it): it starts again at the first
        stage when resubmitted; its history stays."""
        for table in ("reviews", "review_reopened", "review_items"):
            self.conn.execute(f"DELETE FROM {table} WHERE assessment_id = ?", [aid])
        self.conn.execute("UPDATE review_comments SET pending = 0 WHERE assessment_id = ?", [aid])


def as_dict(e: Event) -> dict[str, Any]:
    return e._asdict()


def files(db: sqlite_utils.Database, aid: int, qid: str) -> list[tuple[str, str]]:
    """(kind, Telegram file id) of an item's evidence, in the order it came."""
    rows = db.conn.execute(
        "SELECT kind, file_id FROM evidence WHERE assessment_id = ? AND question_id = ? ORDER BY id",
        [aid, qid],
    )
    return [(str(k), str(f)) for k, f in rows]
