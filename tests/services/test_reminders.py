"""The reminder services (bot/services/reminders.py): what is due, deadlines, confirmations."""

from __future__ import annotations

import datetime as dt

from bot.domain.programs import ReminderPolicy
from bot.domain.standards import catalog
from bot.people import grant, touch_user
from bot.roster import load_sample
from bot.services import reminders as rem
from tests.bot.reminder_support import CONTACT, _override, at


def test_a_deadline_can_override_leads_repeats_and_hour(fresh_db):
    load_sample(fresh_db)
    touch_user(fresh_db, CONTACT, "c")
    grant(fresh_db, CONTACT, "contact", county_id=1)
    base = catalog().programs["heyuan-2021"]
    pol = ReminderPolicy(lead_days=[2], overdue_every=2, overdue_max=2, hour=15)
    program = _override(base, "contact-list", pol)
    occ = dt.date(2021, 8, 10)

    def leads_at(when: dt.datetime) -> list[int]:
        return [d.lead for d in rem.due(fresh_db, program, when) if d.deadline == "contact-list"]

    assert leads_at(at(occ - dt.timedelta(days=7))) == []  # the default 7-day lead is gone
    assert leads_at(at(occ - dt.timedelta(days=2), 14, 59)) == []  # not before 15:00
    assert leads_at(at(occ - dt.timedelta(days=2), 15, 0)) == [2]
    assert leads_at(at(occ, 15, 0)) == [2]  # no lead 0: the 2-day one is still the latest
    assert leads_at(at(occ + dt.timedelta(days=1), 16)) == [2]
    assert leads_at(at(occ + dt.timedelta(days=2), 15)) == [-2]
    assert leads_at(at(occ + dt.timedelta(days=4), 15)) == [-4]
    assert leads_at(at(occ + dt.timedelta(days=6), 15)) == []  # at most 2 overdue repeats
    # other deadlines keep the program's policy
    others = rem.due(fresh_db, program, at(dt.date(2021, 11, 8)))
    assert {(d.deadline, d.lead) for d in others} == {("progress-table", 7), ("annual-report", 7)}


def test_a_policy_without_reminders_sends_nothing(fresh_db):
    load_sample(fresh_db)
    base = catalog().programs["heyuan-2021"]
    silent = base.model_copy(
        update={"reminder_policy": ReminderPolicy(lead_days=[], overdue_max=0)}
    )
    assert rem.due(fresh_db, silent, at(dt.date(2021, 11, 15))) == []
