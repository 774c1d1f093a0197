"""The progress read models: the county table equals a loop over the rows, from the summary
table its triggers keep current or from a GROUP BY."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
import sqlite_utils

from bot.catalog import catalog
from bot.domain.programs import Program
from tests.harness import reports_of
from tests.store.progress_data import check_rows, expected_counties, make_db, the_program


@pytest.fixture
def db(tmp_path: Path) -> sqlite_utils.Database:
    return make_db(tmp_path)


@pytest.fixture
def program() -> Program:
    return the_program()


@pytest.mark.parametrize("year", [2021, 2022])
def test_county_status_equals_a_loop_over_the_rows(db, program, year):
    want = expected_counties(db, "guangdong-2021", year)
    target = program.target_for(year)
    assert target is not None
    check_rows(reports_of(db, program).county_status(year, use_summary=False), want, target.pct)
    check_rows(reports_of(db, program).county_status(year), want, target.pct)


def test_target_is_the_programs_figure_for_the_year(db, program):
    reports = reports_of(db, program)
    assert reports.county_status(2021)[-1].target_pct == 30
    assert reports.county_status(2022)[-1].target_pct == 60  # the higher of the two
    assert reports.county_status(2030)[-1].target_pct == 60


def test_summary_table_follows_every_kind_of_change(db, program):
    conn = db.conn
    rng = random.Random(3)
    aids = [
        r[0]
        for r in conn.execute(
            "SELECT id FROM assessments WHERE standard_id = ?", ["guangdong-2021"]
        )
    ]
    for aid in rng.sample(aids, 15):
        conn.execute(
            "UPDATE assessments SET answered = ?, status = ?, passed = ? WHERE id = ?",
            [rng.choice((0, 5, 42)), rng.choice(("open", "submitted")), rng.choice((0, 1)), aid],
        )
    conn.execute("UPDATE assessments SET answered = answered WHERE id = ?", [aids[0]])  # no-op
    conn.execute("UPDATE assessments SET status = NULL, answered = NULL WHERE id = ?", [aids[1]])
    # A community moves to another county with its checks.
    cid = conn.execute("SELECT community_id FROM assessments WHERE id = ?", [aids[2]]).fetchone()[0]
    conn.execute("UPDATE communities SET county_id = 7 WHERE id = ?", [cid])
    # A new check, and a check without answers deleted.
    free = conn.execute(
        "SELECT id FROM communities WHERE id NOT IN (SELECT community_id FROM assessments"
        " WHERE standard_id = 'guangdong-2021') LIMIT 2"
    ).fetchall()
    conn.execute(
        "INSERT INTO assessments (community_id, program_id, standard_id, status, answered, total,"
        " gap_count, passed) VALUES (?, 'heyuan-2021', 'guangdong-2021', 'submitted', 42, 42, 0, 1)",
        [free[0][0]],
    )
    empty = conn.execute(
        "SELECT a.id FROM assessments a WHERE NOT EXISTS (SELECT 1 FROM answers q"
        " WHERE q.assessment_id = a.id) AND NOT EXISTS (SELECT 1 FROM evidence e"
        " WHERE e.assessment_id = a.id) LIMIT 1"
    ).fetchone()
    conn.execute("DELETE FROM assessments WHERE id = ?", [empty[0]])
    for year in (2021, 2022):
        want = expected_counties(db, "guangdong-2021", year)
        reports = reports_of(db, program)
        fast = reports.county_status(year)
        assert fast == reports.county_status(year, use_summary=False)
        check_rows(fast, want, program.target_for(year).pct)


def test_other_standards_checks_never_count(db, program):
    national = catalog().programs["national-2020"]
    rows = reports_of(db, national).county_status(2022)
    want = expected_counties(db, "national-2020", 2022)
    check_rows(rows, want, 60)
    assert rows[-1].passed != reports_of(db, program).county_status(2022)[-1].passed


def test_county_status_reads_the_summary_without_a_schema_query(db, program):
    assert _summary_objects(db) == 1 + 4  # the table and its triggers: migration 3 installs them
    reports = reports_of(db, program)
    seen: list[str] = []
    db.conn.set_trace_callback(seen.append)
    try:
        rows = reports.county_status(2022)
    finally:
        db.conn.set_trace_callback(None)
    assert seen and not any("sqlite_master" in sql for sql in seen)
    assert any("county_progress" in sql for sql in seen)
    assert rows == reports.county_status(2022, use_summary=False)


def _summary_objects(db: sqlite_utils.Database) -> int:
    row = db.conn.execute(
        "SELECT count(*) FROM sqlite_master WHERE type IN ('table', 'trigger')"
        " AND name LIKE 'county\\_progress%' ESCAPE '\\'"
    ).fetchone()
    return int(row[0])
