"""公示 as a period (bot.domain.publicity)."""

from __future__ import annotations

import datetime as dt

import pytest

from bot.domain import publicity
from bot.domain.errors import ReviewError

DAY = dt.date(2026, 11, 20)


def test_a_period_of_n_days_includes_its_first_and_last_day():
    assert publicity.period(DAY, 7) == (DAY, dt.date(2026, 11, 26))
    assert publicity.period(DAY, 1) == (DAY, DAY)
    assert publicity.running(dt.date(2026, 11, 26), *publicity.period(DAY, 7))
    assert not publicity.running(dt.date(2026, 11, 27), *publicity.period(DAY, 7))


def test_publish_waits_for_the_end_and_for_every_objection():
    end = dt.date(2026, 11, 26)
    with pytest.raises(ReviewError) as exc:
        publicity.check_publish(end, end, 0)
    assert exc.value.code == "publicity_running" and exc.value.info["end"] == "2026-11-26"
    with pytest.raises(ReviewError) as exc:
        publicity.check_publish(dt.date(2026, 11, 27), end, 1)
    assert exc.value.code == "objection_open"
    publicity.check_publish(dt.date(2026, 11, 27), end, 0)
