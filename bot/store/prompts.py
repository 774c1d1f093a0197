"""Reply prompts, one table for every kind: a user's pending prompt in a chat (the newest one
wins). kind: note | evidence (an item of the check), comment | reason (a review stage),
action (a corrective action's closing file), form (a field of a community's 申报表 for a year; no
check: its aid reads 0), sp_* and pb_* (a spot check's or 公示's remark, photo, due day, reason or
days: bot.store.spotchecks writes them, naming their target in target_id).

The caller owns the unit of work and passes every timestamp in.
"""

from __future__ import annotations

from typing import Any, NamedTuple

import sqlite_utils


class PromptRow(NamedTuple):
    kind: str
    aid: int
    qid: str
    message_id: int
    created_at: str
    stage: str | None  # a review prompt: the stage it was asked at
    action_id: int | None  # an action prompt: the action
    form: tuple[int, int] | None  # a form prompt: (community, year); its field is qid


def put(
    db: sqlite_utils.Database,
    where: tuple[int, int, int],
    target: tuple[str, int, str],
    at: str,
    stage: str | None = None,
    action_id: int | None = None,
) -> None:
    """Remember the prompt message `where` = (chat, user, message) asks about `target` =
    (kind, check id, item)."""
    chat_id, user_id, message_id = where
    db.conn.execute(
        "INSERT OR REPLACE INTO prompts (chat_id, user_id, kind, assessment_id, question_id,"
        " message_id, created_at, stage, action_id) VALUES (?,?,?,?,?,?,?,?,?)",
        [chat_id, user_id, *target, message_id, at, stage, action_id],
    )


def put_form(
    db: sqlite_utils.Database,
    where: tuple[int, int, int],
    form: tuple[int, int],
    field: str,
    at: str,
) -> None:
    """Remember the prompt message `where` = (chat, user, message) asks for `field` of the form
    `form` = (community, year)."""
    chat_id, user_id, message_id = where
    db.conn.execute(
        "INSERT OR REPLACE INTO prompts (chat_id, user_id, kind, question_id, message_id,"
        " created_at, community_id, year) VALUES (?,?,'form',?,?,?,?,?)",
        [chat_id, user_id, field, message_id, at, *form],
    )


def get(db: sqlite_utils.Database, chat_id: int, user_id: int) -> PromptRow | None:
    row: Any = db.conn.execute(
        "SELECT kind, coalesce(assessment_id, 0), question_id, message_id, created_at, stage,"
        " action_id, community_id, year FROM prompts WHERE chat_id = ? AND user_id = ?",
        [chat_id, user_id],
    ).fetchone()
    if row is None:
        return None
    form = (int(row[7]), int(row[8])) if row[7] is not None else None
    return PromptRow(str(row[0]), int(row[1]), str(row[2]), int(row[3]), str(row[4]), row[5],
                     row[6], form)  # fmt: skip


def clear(db: sqlite_utils.Database, chat_id: int, user_id: int) -> None:
    db.conn.execute("DELETE FROM prompts WHERE chat_id = ? AND user_id = ?", [chat_id, user_id])
