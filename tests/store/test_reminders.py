"""The reminder store (bot/store/reminders.py): claims, attempts, stale claims, confirmations."""

from __future__ import annotations

import datetime as dt

from bot.domain.schedule import MAX_ATTEMPTS, STALE_SENDING, Due
from bot.store import reminders as store

NOW = dt.datetime(2021, 11, 8, 1, 30, tzinfo=dt.UTC)
DUE = Due(3001, "annual-report", dt.date(2021, 11, 15), 7, True, "group", (1,))


def test_a_reminder_is_claimed_once_and_done_once_sent(fresh_db):
    assert store.claim(fresh_db, "p", DUE, NOW)
    assert not store.claim(fresh_db, "p", DUE, NOW)  # in flight
    assert store.done(fresh_db, "p", DUE.deadline, DUE.occurrence, 7, NOW) == {3001}
    assert store.finish(fresh_db, "p", DUE, "sent", None, NOW) == 1
    assert not store.claim(fresh_db, "p", DUE, NOW + dt.timedelta(days=1))


def test_a_failed_reminder_is_claimed_again_up_to_the_cap(fresh_db):
    attempts = []
    when = NOW
    while store.claim(fresh_db, "p", DUE, when):
        attempts.append(store.finish(fresh_db, "p", DUE, "failed", "boom", when))
        when += dt.timedelta(minutes=5)
    assert attempts == list(range(1, MAX_ATTEMPTS + 1))
    [f] = store.failures(fresh_db, "p")
    assert (f.recipient, f.error, f.attempts, f.retrying) == (3001, "boom", MAX_ATTEMPTS, False)


def test_a_sending_claim_is_never_taken_over_once_stale_it_becomes_uncertain(fresh_db):
    """A stale 'sending' row (a crash after Telegram accepted) was claimed
    again and resent. It is never claimed again; the sweep marks it 'uncertain'."""
    assert store.claim(fresh_db, "p", DUE, NOW)
    later = NOW + STALE_SENDING + dt.timedelta(seconds=1)
    assert not store.claim(fresh_db, "p", DUE, later)
    assert store.sweep_stale(fresh_db, "p", NOW + STALE_SENDING - dt.timedelta(seconds=1)) == 0
    assert store.sweep_stale(fresh_db, "p", later) == 1
    assert not store.claim(fresh_db, "p", DUE, later + dt.timedelta(hours=1))
    [u] = store.uncertain(fresh_db, "p")
    assert (u.recipient, u.error) == (3001, "interrupted while sending")
    assert not store.touch(fresh_db, "p", DUE, later)  # its old sender may not send
    # an admin's tap takes it once; a second tap gets nothing
    assert store.take_uncertain(fresh_db, "p", u.row, later) == (
        "annual-report",
        dt.date(2021, 11, 15),
        3001,
        7,
    )
    assert store.take_uncertain(fresh_db, "p", u.row, later) is None
    assert store.finish(fresh_db, "p", DUE, "sent", None, later) == 2


def test_a_later_send_clears_the_failure(fresh_db):
    store.claim(fresh_db, "p", DUE, NOW)
    store.finish(fresh_db, "p", DUE, "failed", "boom", NOW)
    later = Due(3001, "annual-report", dt.date(2021, 11, 15), 3, True, "group", (1,))
    store.claim(fresh_db, "p", later, NOW + dt.timedelta(days=4))
    store.finish(fresh_db, "p", later, "sent", None, NOW + dt.timedelta(days=4))
    assert store.failures(fresh_db, "p") == []


def test_confirmations_are_idempotent_and_stamped_with_the_clock(fresh_db):
    args = ("p", "annual-report", dt.date(2021, 11, 15), 1, 3001)
    assert store.confirm(fresh_db, *args, NOW)
    assert not store.confirm(fresh_db, *args, NOW)
    got = store.confirmations(fresh_db, "p", "annual-report", dt.date(2021, 11, 15))
    assert got == {1: (3001, "2021-11-08T01:30:00.000000Z")}


def test_custom_deadlines_are_added_listed_and_deleted(fresh_db):
    row = store.insert_custom(fresh_db, "p", "T", dt.date(2021, 12, 1), None, 1, NOW)
    assert row[1:] == ("T", "2021-12-01", None, "2021-11-08T01:30:00.000000Z")
    assert store.custom_rows(fresh_db, "p") == [row]
    store.delete_custom(fresh_db, "p", row[0])
    assert store.custom_rows(fresh_db, "p") == []
