"""The reminder services (bot/services/reminders.py): what is due, deadlines, confirmations."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from bot.catalog import catalog
from bot.domain.access import SYSTEM, Principal
from bot.domain.programs import Program, ReminderPolicy
from bot.services import reminders as rem
from tests.harness import people_of, reminders_of, sample_roster

TZ = ZoneInfo("Asia/Shanghai")
CONTACT = 3001  # a contact of county 1

NOW = dt.datetime(2021, 6, 1, tzinfo=dt.UTC)


def at(day: dt.date, hour: int = 9, minute: int = 30) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=TZ)


def _override(program: Program, did: str, policy: ReminderPolicy) -> Program:
    deadlines = [
        d.model_copy(update={"policy": policy}) if d.id == did else d for d in program.deadlines
    ]
    return program.model_copy(update={"deadlines": deadlines})


def test_a_deadline_can_override_leads_repeats_and_hour(fresh_db):
    sample_roster(fresh_db)
    people = people_of(fresh_db, NOW)
    people.set_language(CONTACT, "zh", "c", None)
    people.grant(CONTACT, "contact", county_id=1)
    base = catalog().programs["heyuan-2021"]
    pol = ReminderPolicy(lead_days=[2], overdue_every=2, overdue_max=2, hour=15)
    program = _override(base, "contact-list", pol)
    occ = dt.date(2021, 8, 10)

    reminders = reminders_of(fresh_db, program)

    def leads_at(when: dt.datetime) -> list[int]:
        return [d.lead for d in reminders.due(when) if d.deadline == "contact-list"]

    assert leads_at(at(occ - dt.timedelta(days=7))) == []  # the default 7-day lead is gone
    assert leads_at(at(occ - dt.timedelta(days=2), 14, 59)) == []  # not before 15:00
    assert leads_at(at(occ - dt.timedelta(days=2), 15, 0)) == [2]
    assert leads_at(at(occ, 15, 0)) == [2]  # no lead 0: the 2-day one is still the latest
    assert leads_at(at(occ + dt.timedelta(days=1), 16)) == [2]
    assert leads_at(at(occ + dt.timedelta(days=2), 15)) == [-2]
    assert leads_at(at(occ + dt.timedelta(days=4), 15)) == [-4]
    assert leads_at(at(occ + dt.timedelta(days=6), 15)) == []  # at most 2 overdue repeats
    # other deadlines keep the program's policy
    others = reminders.due(at(dt.date(2021, 11, 8)))
    assert {(d.deadline, d.lead) for d in others} == {("progress-table", 7), ("annual-report", 7)}


def test_a_policy_without_reminders_sends_nothing(fresh_db):
    sample_roster(fresh_db)
    base = catalog().programs["heyuan-2021"]
    silent = base.model_copy(
        update={"reminder_policy": ReminderPolicy(lead_days=[], overdue_max=0)}
    )
    assert reminders_of(fresh_db, silent).due(at(dt.date(2021, 11, 15))) == []


PROGRAM = catalog().programs["heyuan-2021"]


def _team(db):
    sample_roster(db)
    people = people_of(db, NOW)
    people.set_language(CONTACT, "zh", "c", None)
    people.grant(CONTACT, "contact", county_id=1)
    people.set_language(2001, "zh", "w", None)
    people.grant(2001, "worker", community_id=1)
    return people.load_principal(CONTACT), people.load_principal(2001)


def test_custom_deadlines_through_the_service(fresh_db):
    admin = Principal(user_id=1, admin=True)
    reminders = reminders_of(fresh_db, PROGRAM, at(dt.date(2026, 11, 23)))
    d = reminders.add_deadline(admin, " 专项  报送 ", due=dt.date(2026, 12, 15))
    assert (d.id, d.title, d.dates) == ("custom-1", "专项 报送", [dt.date(2026, 12, 15)])
    a = reminders.add_deadline(admin, "年度", annual="11-20")
    assert a.annual == "11-20" and reminders.find_deadline("custom-2") == a
    for kw, code in (
        ({"due": dt.date(2020, 1, 1)}, "date_past"),
        ({}, "bad_date"),
        ({"annual": "02-29"}, "bad_date"),
    ):
        with pytest.raises(rem.ReminderError) as exc:
            reminders.add_deadline(admin, "x", **kw)
        assert exc.value.code == code
    assert reminders.delete_deadline("custom-1") == d
    with pytest.raises(rem.ReminderError):
        reminders.delete_deadline("custom-1")
    assert [x.id for x in reminders.custom_deadlines()] == ["custom-2"]


def test_confirm_says_why_it_was_refused(fresh_db):
    contact, worker = _team(fresh_db)
    now = at(dt.date(2021, 11, 8))
    occ = dt.date(2021, 11, 15)
    reminders = reminders_of(fresh_db, PROGRAM, now)

    def status(p, did="annual-report", day=occ, county=1):
        return reminders.confirm(p, did, day, county).status

    assert status(contact, did="nope") == "stale"
    assert status(contact, day=dt.date(2022, 11, 15)) == "not_confirmable"
    assert status(worker) == "denied"
    assert status(contact) == "confirmed"
    assert status(contact) == "already"
    assert reminders.due(now) != []
    left = {(d.deadline, d.counties) for d in reminders.due(now)}
    assert ("annual-report", (1,)) not in left and ("progress-table", (1,)) in left


def test_overview_and_details_are_data_for_the_principal(fresh_db):
    contact, worker = _team(fresh_db)
    today = dt.date(2021, 12, 10)
    reminders = reminders_of(fresh_db, PROGRAM)
    mine = reminders.overview(worker, today, 10)
    assert {e.deadline.audience for e in mine.entries} == {"worker"}
    assert mine.mine is not None and mine.submitted is None and mine.failures == []
    theirs = reminders.overview(contact, today, 10)
    assert theirs.submitted is not None and theirs.uncovered == []
    admin = reminders.overview(SYSTEM, today, 10)
    assert len(admin.uncovered) == len(admin.counties) - 1
    view = reminders.county_details(contact, 1)
    assert view.rows and all(r.county_id == 1 for r in view.rows)
    for p, county, code in ((worker, 1, "details_denied"), (contact, 999, "unknown_county")):
        with pytest.raises(rem.ReminderError) as exc:
            reminders.county_details(p, county)
        assert exc.value.code == code
