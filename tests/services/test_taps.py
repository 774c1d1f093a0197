"""A tap is one service call and one transaction: statement budget, redelivery, races."""

from __future__ import annotations

import datetime as dt
import sqlite3
import threading
from itertools import groupby

import pytest

from bot.catalog import catalog
from bot.clock import FixedClock
from bot.domain.access import Principal
from bot.domain.errors import Busy, CheckError
from bot.services.checks import Checks
from bot.store import db as store_db
from bot.store.db import connect
from tests.harness import sample_roster

WORKER = Principal(7, communities=frozenset({1}))
ADMIN = Principal(1, admin=True)
CARD = (7, 500)
CLOCK = dt.datetime(2026, 3, 1, 9, 0, tzinfo=dt.UTC)


def _checks(db, program: str = "heyuan-2021") -> Checks:
    cat = catalog()
    return Checks(db, cat, cat.programs[program], clock=FixedClock(CLOCK.tzinfo or dt.UTC, CLOCK))


@pytest.fixture
def path(tmp_path):
    p = tmp_path / "gc.db"
    db = connect(p)
    sample_roster(db)
    db.close()
    return p


@pytest.fixture
def checks(path):
    return _checks(connect(path))


def statements(conn: sqlite3.Connection, work):
    """Run `work` and return the statements the connection executed meanwhile.

    How it counts: every statement the connection runs between the start and the end of the
    call, BEGIN and COMMIT included, from `set_trace_callback`. SQLite reports a statement
    again when it starts each trigger subprogram (e.g. the answer_history trigger) with the
    same text, so consecutive repeats of one text are one statement.
    """
    seen: list[str] = []
    conn.set_trace_callback(seen.append)
    try:
        result = work()
    finally:
        conn.set_trace_callback(None)
    return result, [text for text, _ in groupby(seen)], seen


def test_an_answer_tap_is_one_transaction_of_at_most_six_statements(checks):
    """The write is one transaction of ≤ 6 statements; after it, the card's two reads (last
    year's draft of the next item, the user's pending prompt) and nothing else: the adapter
    calls no other service."""
    aid = checks.open(WORKER, 1).view.assessment.id
    checks.show(CARD, aid, "1.1")
    checks.tap(WORKER, aid, "1.1", "y", CARD, 1000)  # warm: the standard is cached
    done, run, raw = statements(
        checks.db.conn, lambda: checks.tap(WORKER, aid, "1.2", "n", CARD, 1001)
    )
    assert done.changed and not done.repeat and done.next_qid == "1.3"
    end = run.index("COMMIT")
    write, after = run[: end + 1], run[end + 1 :]
    assert len(write) <= 6, write
    assert write[0] == "BEGIN IMMEDIATE"
    assert sum(1 for s in run if s in ("BEGIN IMMEDIATE", "COMMIT")) == 2  # one transaction
    assert len(after) == 2 and all(s.startswith("SELECT") for s in after), after
    assert done.draft is None and done.prompt is None and done.outcome is None
    assert not any("sqlite_master" in s or s.startswith("PRAGMA") for s in raw)  # no introspection
    row = checks.db.execute("SELECT answered, gap_count FROM assessments WHERE id = ?", [aid])
    assert row.fetchone() == (2, done.view.result.gap_count)  # the cached summary follows


def test_a_deduction_tap_also_fits_the_budget(path):
    checks = _checks(connect(path), "chuxiong-2021")
    aid = checks.open(WORKER, 1).view.assessment.id
    checks.tap(WORKER, aid, "8", "da2", CARD, 1)
    done, run, _ = statements(checks.db.conn, lambda: checks.tap(WORKER, aid, "8", "db1", CARD, 2))
    assert len(run[: run.index("COMMIT") + 1]) <= 6, run
    assert dict(done.view.rows["8"].deductions) == {"a": 2.0, "b": 1.0}
    assert done.next_qid == "8"  # a deduction keeps the card on the item


def test_redelivered_update_writes_nothing_and_shows_the_card(checks):
    aid = checks.open(WORKER, 1).view.assessment.id
    first = checks.tap(WORKER, aid, "1.1", "y", CARD, 5000)
    again = checks.tap(WORKER, aid, "1.1", "n", CARD, 5000)  # same update id
    assert first.changed and again.repeat and not again.changed
    assert again.next_qid == first.next_qid  # the question the card shows
    assert checks.rows(aid)["1.1"].status == "met"
    assert checks.db.execute("SELECT count(*) FROM answer_history").fetchone()[0] == 1


def test_out_of_order_update_ids_are_both_applied(checks):
    """Admin taps 1.2 as update 900101, then the worker's 1.1 arrives as 900100."""
    aid = checks.open(WORKER, 1).view.assessment.id
    admin = checks.tap(ADMIN, aid, "1.2", "y", CARD, 900101)
    worker = checks.tap(WORKER, aid, "1.1", "n", CARD, 900100)
    assert admin.changed and worker.changed and not worker.repeat
    rows = checks.rows(aid)
    assert (rows["1.1"].status, rows["1.2"].status) == ("not_met", "met")


def test_tap_refuses_other_communities_unknown_items_and_bad_codes(checks):
    aid = checks.open(WORKER, 1).view.assessment.id
    stranger = Principal(9, communities=frozenset({2}))
    for who, qid, code, error in [
        (stranger, "1.1", "y", "no_permission"),
        (WORKER, "99.9", "y", "bad_question"),
        (WORKER, "1.1", "f", "bad_answer"),  # a plain item takes y/p/n/x
    ]:
        with pytest.raises(CheckError) as exc:
            checks.tap(who, aid, qid, code, CARD, 42)
        assert exc.value.code == error
    with pytest.raises(CheckError) as exc:
        checks.tap(WORKER, 999_999, "1.1", "y", CARD, 43)
    assert exc.value.code == "stale"
    assert checks.db.execute("SELECT count(*) FROM answers").fetchone()[0] == 0


def test_open_uses_the_injected_clock_and_keeps_one_check_per_cycle(checks):
    a = checks.open(WORKER, 1).view.assessment
    assert a.cycle == 2026 and checks.start(1).id == a.id
    created = checks.db.execute("SELECT created_at FROM assessments").fetchone()[0]
    assert created.startswith("2026-03-01T09:00:00")
    checks.clock.set(CLOCK.replace(year=2027))  # a later year: its own check
    later = checks.open(WORKER, 1).view.assessment
    assert later.id != a.id and later.cycle == 2027 and checks.in_year(1, 2026).id == a.id


# -- races: two connections (as two processes or webhook workers would have) ------------------


def test_two_concurrent_deduction_taps_on_one_item_both_land(path):
    """Each tap reads the stored deductions inside its own write transaction."""
    one, two = _checks(connect(path), "chuxiong-2021"), _checks(connect(path), "chuxiong-2021")
    aid = one.open(WORKER, 1).view.assessment.id
    inside = threading.Event()
    real_load = one.store.load_since

    def slow_load(a, version):  # tap one holds the write lock while tap two starts
        out = real_load(a, version)
        inside.set()
        threading.Event().wait(0.2)
        return out

    one.store.load_since = slow_load  # type: ignore[method-assign]
    first = threading.Thread(target=lambda: one.tap(WORKER, aid, "8", "da2", (7, 1), 11))
    first.start()
    assert inside.wait(2)
    two.tap(WORKER, aid, "8", "db1", (7, 2), 12)  # waits for the lock, then reads a:2
    first.join()
    assert dict(two.rows(aid)["8"].deductions) == {"a": 2.0, "b": 1.0}


def _answer_all(checks: Checks, aid: int) -> None:
    for q in checks.standard_for(checks.get(aid)).questions:
        checks.answer(ADMIN, aid, q.id, "met", points=q.max_points if q.kind == "bonus" else None)


def test_a_submit_cannot_land_between_a_taps_read_and_write(path):
    tapper, submitter = _checks(connect(path)), _checks(connect(path))
    aid = tapper.open(WORKER, 1).view.assessment.id
    _answer_all(tapper, aid)
    submitted = threading.Event()
    real_load = tapper.store.load_since

    def load_then_let_submit_try(a, version):
        out = real_load(a, version)
        t = threading.Thread(target=lambda: (submitter.submit(ADMIN, aid), submitted.set()))
        t.start()
        assert not submitted.wait(0.3)  # the submit waits for the tap's write lock
        return out

    tapper.store.load_since = load_then_let_submit_try  # type: ignore[method-assign]
    done = tapper.tap(WORKER, aid, "1.1", "n", CARD, 77)
    assert done.changed and submitted.wait(5)
    at, status = tapper.db.execute(
        "SELECT updated_at, status FROM answers WHERE question_id = '1.1'"
    ).fetchone()
    sub_at, state = tapper.db.execute("SELECT submitted_at, status FROM assessments").fetchone()
    assert status == "not_met" and state == "submitted" and at <= sub_at  # answer, then submit


def test_a_tap_after_a_concurrent_submit_is_refused_and_writes_nothing(path):
    tapper, submitter = _checks(connect(path)), _checks(connect(path))
    aid = tapper.open(WORKER, 1).view.assessment.id
    _answer_all(tapper, aid)
    before = tapper.db.execute("SELECT count(*) FROM answer_history").fetchone()[0]
    tapped: list[object] = []
    real_submit = submitter.store.submit

    def submit_then_let_tap_try(*args):
        real_submit(*args)
        t = threading.Thread(target=lambda: tapped.append(_try_tap(tapper, aid)))
        t.start()
        t.join(0.3)
        assert not tapped  # the tap waits for the submit's write lock

    submitter.store.submit = submit_then_let_tap_try  # type: ignore[method-assign]
    submitter.submit(ADMIN, aid)
    for _ in range(50):
        if tapped:
            break
        threading.Event().wait(0.1)
    assert tapped == ["locked"]
    after = tapper.db.execute("SELECT count(*) FROM answer_history").fetchone()[0]
    assert after == before and tapper.rows(aid)["1.1"].status == "met"


def _try_tap(checks: Checks, aid: int) -> str:
    try:
        checks.tap(WORKER, aid, "1.1", "n", CARD, 78)
    except CheckError as exc:
        return exc.code
    return "applied"


def test_a_lock_held_elsewhere_raises_busy_fast_and_writes_nothing(path):
    checks = _checks(connect(path, busy_ms=store_db.BOT_BUSY_MS))
    aid = checks.open(WORKER, 1).view.assessment.id
    other = sqlite3.connect(str(path), isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    try:  # the other connection never lets go: only a short busy timeout gets the tap back
        assert checks.db.execute("PRAGMA busy_timeout").fetchone()[0] == store_db.BOT_BUSY_MS
        with pytest.raises(Busy):
            checks.tap(WORKER, aid, "1.1", "y", CARD, 31)
    finally:
        other.execute("ROLLBACK")
    assert checks.rows(aid) == {}
    assert checks.tap(WORKER, aid, "1.1", "y", CARD, 31).changed  # the id was not claimed


def test_rows_kept_between_taps_follow_changes_made_elsewhere(path):
    mine, other = _checks(connect(path)), _checks(connect(path))
    aid = mine.open(WORKER, 1).view.assessment.id
    mine.tap(WORKER, aid, "1.1", "y", CARD, 1)  # mine keeps the rows it wrote
    other.tap(WORKER, aid, "1.2", "n", (7, 501), 2)  # another process answers 1.2
    other.note(WORKER, aid, "1.1", "东门")
    done = mine.tap(WORKER, aid, "1.3", "y", CARD, 3)
    rows = done.view.rows
    assert (rows["1.1"].note, rows["1.2"].status, rows["1.3"].status) == ("东门", "not_met", "met")
    assert rows == mine.rows(aid)  # exactly what is stored
