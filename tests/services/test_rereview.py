"""A resubmission after a send-back (bot.services.reviews): which items changed, and which
verifications still stand."""

from __future__ import annotations

import datetime as dt
import json

from bot.services.reviews import Reviews
from tests.services.test_reviews import ADMIN, WORKER, _service, _submitted


def _fixed_after_send_back(db) -> tuple[Reviews, int]:
    """Street verifies 2.1 and 4.1 not met, comments 2.1, sends back; a minute later the worker
    answers 2.1 partly met and resubmits."""
    r = _service(db, "heyuan-2021")
    aid = _submitted(r)
    for qid in ("2.1", "4.1"):
        r.verify(ADMIN, aid, 1, qid, "n")
    r.comment(ADMIN, aid, 1, "2.1", "缺签到表")
    r.send_back(ADMIN, aid, 1, "补充")
    r.clock.advance(dt.timedelta(minutes=1))
    r.checks.answer(WORKER, aid, "2.1", "partial")
    r.submit(WORKER, aid)
    return r, aid


def test_only_the_changed_item_loses_its_verification(fresh_db):
    r, aid = _fixed_after_send_back(fresh_db)
    d = r.detail(ADMIN, aid)
    assert d.changed == ["2.1"]
    assert "2.1" not in d.verified  # judged an answer that no longer stands
    assert d.verified["4.1"].status == "not_met"  # untouched: its verification stands
    assert "4.1" in d.failing
    verified = [e.question_id for e in r.store.events(aid) if e.action == "verify"]
    assert verified == ["2.1", "4.1"]  # the history keeps both


def test_the_resubmitted_notice_names_the_changed_items(fresh_db):
    _fixed_after_send_back(fresh_db)
    kind, payload = fresh_db.execute(
        "SELECT kind, payload FROM notices ORDER BY id DESC"
    ).fetchone()
    assert kind == "resubmitted" and json.loads(payload)["changed"] == ["2.1"]
