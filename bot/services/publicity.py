"""公示 as a period, as use cases: the checks in 公示 with their periods, one community's
period and objections, recording an objection (异议) and resolving it.

Recording the 公示 itself (and refusing 公布 before its end or while an objection is open) is
part of an approval (bot.services.reviews.Reviews.approve); the rules are
bot.domain.publicity; the SQL bot.store.publicity. The city (admins) records objections, with
the text and where they came from (a letter, a call, the website…), and resolves them: upheld,
the recognition is withdrawn and the check sent back to the community; dismissed, with the
city's reason. Each use case is one unit of work returning data.
"""

from __future__ import annotations

from typing import Any, NamedTuple

from bot.domain import publicity
from bot.domain.access import Principal, can_see_check
from bot.domain.errors import SpotError
from bot.domain.publicity import Objection, Period
from bot.domain.text import stored
from bot.domain.workflow import WAITING
from bot.services.reviews import Reviews, SentBack
from bot.store import publicity as store
from bot.store.db import transaction

TEXT_MAX = 1000  # characters of an objection or a reason
SOURCE_MAX = 100  # characters of where an objection came from


class InPublicity(NamedTuple):
    """A check in 公示 (or past it, waiting for 公布): the list the city publishes from."""

    community: str
    county: str
    aid: int
    stage: str  # the stage it waits at (公布, 公开)
    period: Period


class Resolved(NamedTuple):
    objection: Objection
    sent_back: SentBack | None  # upheld: what the community is told (queued as a notice)


def _too_long(length: int, limit: int) -> SpotError:
    return SpotError("too_long", length=length, limit=limit)


class Publicity:
    """公示 periods and objections over the review chain's database and program."""

    def __init__(self, reviews: Reviews) -> None:
        self.reviews = reviews
        self.db = reviews.db
        self.clock = reviews.clock

    def listing(self, p: Principal) -> list[InPublicity]:
        """The checks `p` sees whose 公示 was recorded and that wait for 公布, oldest first."""
        waiting = [w for w in self.reviews.listing(p) if w.state == WAITING]
        found = store.periods(self.db, [w.assessment_id for w in waiting])
        return [
            InPublicity(w.community, w.county, w.assessment_id, w.stage, found[w.assessment_id])
            for w in waiting
            if w.assessment_id in found and self._after_publicity(w.assessment_id, w.stage)
        ]

    def _after_publicity(self, aid: int, stage: str) -> bool:
        """Whether the check waits at the stage that follows its 公示."""
        s = self.reviews.chain_of(aid).named(stage)
        return s is not None and s.act == "publish"

    def show(self, p: Principal, community_id: int) -> tuple[Period, list[Objection]] | None:
        """A community's latest 公示 period and its objections (None: never publicised)."""
        found = store.latest_of_community(self.db, community_id)
        if found is None:
            return None
        at = self.reviews.store.scope(found.assessment_id)
        if at is None or not can_see_check(p, at):
            raise SpotError("no_permission")
        return found, store.objections(self.db, found.id)

    def as_dict(
        self, community: str, shown: tuple[Period, list[Objection]] | None
    ) -> dict[str, Any]:
        """The CLI's contract: {"community", "start", "end", "objections": [{"at", "by",
        "text", "source", "outcome"}]} (dates local, `at` local time with its offset)."""
        period, objections = shown if shown else (None, [])
        return {
            "community": community,
            "start": period.start.isoformat() if period else None,
            "end": period.end.isoformat() if period else None,
            "objections": [
                {"at": self.clock.iso(o.received_at), "by": o.by, "text": o.body,
                 "source": o.source, "outcome": o.outcome}
                for o in objections
            ],
        }  # fmt: skip

    def object(self, p: Principal, community_id: int, source: str, text: str) -> Objection:
        """Record an objection received now about a community in 公示 (admins)."""
        if not p.admin:
            raise SpotError("admin_only")
        said = (stored(source, SOURCE_MAX, _too_long), stored(text, TEXT_MAX, _too_long))
        if not all(said):
            raise SpotError("objection_empty")
        at = self.clock.stamp()
        with transaction(self.db):
            period = self._running(community_id, at)
            oid = store.add_objection(self.db, period, said, p.user_id, at)
            found = store.objection(self.db, oid)
        assert found is not None
        return found

    def _running(self, community_id: int, at: str) -> Period:
        """The community's 公示 running today ("not_in_publicity" when none is)."""
        found = store.latest_of_community(self.db, community_id)
        today = self.clock.day(at)
        r = self.reviews.store.review(found.assessment_id) if found else None
        waiting = r is not None and r.state == WAITING and r.published_at is None
        if found is None or not waiting or not publicity.running(today, found.start, found.end):
            raise SpotError("not_in_publicity")
        return found

    def pending(self, p: Principal, objection_id: int) -> Objection:
        """An open objection the city may resolve (admins); SpotError otherwise."""
        if not p.admin:
            raise SpotError("admin_only")
        found = store.objection(self.db, objection_id)
        if found is None or found.outcome is not None:
            raise SpotError("objection_resolved")
        return found

    def resolve(self, p: Principal, objection_id: int, outcome: str, reason: str) -> Resolved:
        """Uphold (the recognition is withdrawn, the check sent back to the community) or
        dismiss an open objection, with the city's reason (admins)."""
        if not p.admin:
            raise SpotError("admin_only")
        if outcome not in publicity.OUTCOMES:
            raise SpotError("bad_outcome")
        text = stored(reason, TEXT_MAX, _too_long)
        if not text:
            raise SpotError("reason_needed")
        at = self.clock.stamp()
        with transaction(self.db):
            o = store.objection(self.db, objection_id)
            if o is None or not store.resolve(self.db, objection_id, outcome, text, p.user_id, at):
                raise SpotError("objection_resolved")
            back = None
            if outcome == publicity.UPHELD:
                back = self.reviews.return_recognised(p, o.assessment_id, text, "objection")
            done = store.objection(self.db, objection_id)
        assert done is not None
        return Resolved(done, back)
