"""The schedule maths (bot/domain/schedule.py): pure, no database, no clock."""

from __future__ import annotations

import datetime as dt

from bot.domain import schedule
from bot.domain.programs import ReminderPolicy
from tests.bot.reminder_support import TZ, at


def test_default_policy_reminds_14_7_3_1_0_days_before_then_three_days_overdue() -> None:
    pol = ReminderPolicy()
    assert schedule.leads(pol) == [14, 7, 3, 1, 0, -1, -2, -3]
    s = schedule.slots(dt.date(2021, 11, 15), pol, TZ)
    assert [x.at for x in s][:2] == [at(dt.date(2021, 11, 1), 9, 0), at(dt.date(2021, 11, 8), 9, 0)]
    assert s[-1].until == at(dt.date(2021, 11, 19), 9, 0)
