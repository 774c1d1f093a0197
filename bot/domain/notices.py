"""A notice: one person told of one transition (the outbox row bot.services.notices writes).

`kind` names what happened (the catalogue has a text per kind); `payload` holds the facts the
message shows, as they were when it happened (community, stages, reasons, figures…), so a notice
sent late still tells what happened then.
"""

from __future__ import annotations

from typing import Any, Final, NamedTuple

MAX_ATTEMPTS: Final = 5  # sending runs after which a failing notice is listed, not retried


class Notice(NamedTuple):
    id: int
    kind: str
    recipient: int
    aid: int | None
    action_id: int | None
    payload: dict[str, Any]
    lang: str  # the recipient's language (zh for the unknown)
    status: str = "pending"
    error: str | None = None
