"""Reviewer reminders: claimed in the reminder log, sent once."""

from __future__ import annotations

import datetime as dt

from bot.catalog import catalog
from handlers import review
from handlers.delivery import Delivery
from tests.bot.test_review_chain import (
    COMMUNITY,
    OTHER_STREET,
    STREET,
    WORKER,
    _answer_all,
    _people,
)
from tests.harness import Harness


async def _nosleep(_: float) -> None:
    return None


async def test_a_check_waiting_too_long_reminds_its_stage_once(tmp_path):
    std = catalog().standard(catalog().programs["heyuan-2021"].standard)
    async with Harness(tmp_path / "gc.db") as h:
        await _people(h)
        await _answer_all(h, len(std.questions))
        await h.submit(WORKER)
        s = h.app.bot_data
        now = s.clock.now()
        delivery = Delivery(sleep=_nosleep)
        early = await review.remind_reviewers(h.app.bot, s, now + dt.timedelta(days=6), delivery)
        assert early.due == 0
        late = now + dt.timedelta(days=8)
        first = await review.remind_reviewers(h.app.bot, s, late, delivery)
        assert (first.due, first.sent) == (1, 1)
        text = h.last_text(STREET)
        assert "等待审核 8 天" in text and COMMUNITY in text
        assert not any("等待审核" in x for x in h.texts(OTHER_STREET))
        again = await review.remind_reviewers(h.app.bot, s, late, delivery)
        assert (again.sent, again.skipped) == (0, 1)
        row = h.db.execute("SELECT deadline_id, status FROM reminder_log").fetchone()
        assert row[0].startswith("review-") and row[1] == "sent"
        assert [j.name for j in h.app.job_queue.get_jobs_by_name(review.JOB_NAME)] == [
            review.JOB_NAME
        ]
