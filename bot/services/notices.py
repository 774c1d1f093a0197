"""Notices: who must be told of a transition, written in the transition's own unit of work
(`tell`), then claimed before they are sent (`Notices.take`, `finish`), like reminders: a notice
is never lost to a crash and never sent twice by itself; one that did not surely arrive is
listed to admins with a one-tap resend.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import sqlite_utils

from bot.clock import Clock, stamp
from bot.domain.access import Principal
from bot.domain.errors import CheckError
from bot.domain.notices import Notice
from bot.domain.schedule import STALE_SENDING
from bot.store import notices as store
from bot.store.db import transaction

BATCH = 50  # notices taken for sending at a time


def tell(
    db: sqlite_utils.Database,
    kind: str,
    to: Iterable[int],
    at: str,
    aid: int | None = None,
    action: int | None = None,
    **facts: Any,
) -> None:
    """Queue a notice of `kind` for each of `to` (inside the caller's unit of work)."""
    people = [u for u in to if u]
    if people:
        store.add(db, kind, people, (aid, action), facts, at)


class Notices:
    """The outbox over one database and the clock."""

    def __init__(self, db: sqlite_utils.Database, clock: Clock) -> None:
        self.db = db
        self.clock = clock

    def take(self, limit: int = BATCH) -> list[Notice]:
        """Claim the next notices to send (a crash's leftovers become 'uncertain' first)."""
        with transaction(self.db):
            store.sweep(self.db, stamp(self.clock.read() - STALE_SENDING))
            return store.claim(self.db, self.clock.stamp(), limit)

    def finish(self, n: Notice, status: str, error: str | None) -> None:
        """How a claimed notice ended: sent, failed (retried by a later run), uncertain,
        unreachable."""
        with transaction(self.db):
            store.finish(self.db, n.id, status, error, self.clock.stamp())

    def undelivered(self, p: Principal) -> list[Notice]:
        """The notices that did not surely arrive (admins)."""
        return store.undelivered(self.db) if p.admin else []

    def resend(self, p: Principal, nid: int) -> Notice | None:
        """Claim one undelivered notice again (admins); None when another tap took it."""
        if not p.admin:
            raise CheckError("admin_only")
        with transaction(self.db):
            return store.take_resend(self.db, nid, self.clock.stamp())
