"""The schedule maths (bot/domain/schedule.py): pure, no database, no clock."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from bot.catalog import catalog
from bot.domain import schedule
from bot.domain.programs import ReminderPolicy

TZ = ZoneInfo("Asia/Shanghai")


def at(day: dt.date, hour: int = 9, minute: int = 30) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=TZ)


def test_default_policy_reminds_14_7_3_1_0_days_before_then_three_days_overdue() -> None:
    pol = ReminderPolicy()
    assert schedule.leads(pol) == [14, 7, 3, 1, 0, -1, -2, -3]
    s = schedule.slots(dt.date(2021, 11, 15), pol, TZ)
    assert [x.at for x in s][:2] == [at(dt.date(2021, 11, 1), 9, 0), at(dt.date(2021, 11, 8), 9, 0)]
    assert s[-1].until == at(dt.date(2021, 11, 19), 9, 0)


PROGRAM = catalog().programs["heyuan-2021"]


def test_titles_and_annual_days_are_cleaned_or_refused() -> None:
    assert schedule.clean_title("  a   b ") == "a b"
    for bad, code in (("  ", "title_missing"), ("x" * 101, "title_too_long")):
        with pytest.raises(schedule.ReminderError) as exc:
            schedule.clean_title(bad)
        assert exc.value.code == code
    assert schedule.clean_annual("1-5") == "01-05"
    for bad in ("02-29", "13-01", "x"):
        with pytest.raises(schedule.ReminderError):
            schedule.clean_annual(bad)


def test_custom_keys_tell_program_deadlines_from_unknown_ones() -> None:
    assert schedule.custom_key(PROGRAM, "custom-3") == 3
    assert schedule.custom_key(PROGRAM, " 7 ") == 7
    with pytest.raises(schedule.ReminderError) as exc:
        schedule.custom_key(PROGRAM, "annual-report")
    assert exc.value.code == "program_deadline"
    with pytest.raises(schedule.ReminderError) as exc:
        schedule.custom_key(PROGRAM, "nope")
    assert exc.value.code == "unknown_deadline"


def test_confirmable_within_the_first_lead_and_only_real_occurrences() -> None:
    d = PROGRAM.deadline("annual-report")
    occ = dt.date(2021, 11, 15)
    assert schedule.confirmable(PROGRAM, d, occ, occ - dt.timedelta(days=14))
    assert not schedule.confirmable(PROGRAM, d, occ, occ - dt.timedelta(days=15))
    assert schedule.confirmable(PROGRAM, d, occ, occ + dt.timedelta(days=30))  # late is fine
    assert not schedule.confirmable(PROGRAM, d, dt.date(2021, 11, 16), occ)


def test_active_slots_are_read_from_the_now_passed_in() -> None:
    got = schedule.active(PROGRAM.deadlines, PROGRAM, at(dt.date(2021, 11, 8)))
    assert {(d.id, occ, s.lead) for d, occ, s in got} >= {
        ("annual-report", dt.date(2021, 11, 15), 7),
        ("progress-table", dt.date(2021, 11, 15), 7),
    }
    assert schedule.active(PROGRAM.deadlines, PROGRAM, at(dt.date(2021, 11, 8), 8, 59)) != got


def test_due_for_skips_done_recipients_and_confirmed_counties() -> None:
    pool = [
        schedule.Recipient(1, "contact", (10, 11)),
        schedule.Recipient(2, "contact", (10,)),
        schedule.Recipient(3, "worker", (), (5,)),
        schedule.Recipient(4, "group", (11,)),
    ]
    occ = dt.date(2021, 11, 15)
    rows = schedule.due_for(pool, "d", occ, 7, confirmed={10}, done={4})
    assert [(r.recipient, r.counties, r.communities) for r in rows] == [
        (1, (11,), ()),
        (3, (), (5,)),
    ]
    assert rows[0].as_dict()["occurrence"] == "2021-11-15"


def test_day_helpers() -> None:
    assert schedule.end_of_day(dt.date(2021, 1, 2), TZ) == at(
        dt.date(2021, 1, 2), 23, 59
    ) + dt.timedelta(seconds=59)
    assert schedule.days_left(dt.date(2021, 1, 2), dt.date(2021, 1, 5)) == -3
    d = PROGRAM.deadline("annual-report")
    assert schedule.next_occurrence(d, dt.date(2021, 11, 16)) == dt.date(2022, 11, 15)


def test_a_one_off_date_lies_between_today_and_a_year_ahead() -> None:
    today = dt.date(2026, 11, 28)
    assert schedule.check_due(today, today) == today
    assert schedule.check_due(dt.date(2027, 11, 29), today) == dt.date(2027, 11, 29)
    for day, code in ((dt.date(2026, 11, 27), "date_past"), (dt.date(2031, 5, 5), "date_too_far")):
        with pytest.raises(schedule.ReminderError) as err:
            schedule.check_due(day, today)
        assert err.value.code == code
