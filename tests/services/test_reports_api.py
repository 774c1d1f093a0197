"""Report services over data made through the public API (roster import, people, checks)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import sqlite_utils

from bot.catalog import catalog
from bot.domain.access import SYSTEM, Principal
from bot.domain.programs import Program
from bot.services.reports import Reports
from bot.store.db import connect
from bot.texts.report_views import render_community_detail
from tests.harness import checks_of, people_of, reports_of, sample_roster

NOW = dt.datetime(2022, 3, 1, tzinfo=dt.UTC)


@pytest.fixture
def db(tmp_path: Path) -> sqlite_utils.Database:
    d = connect(tmp_path / "gc.db")
    sample_roster(d)
    return d


@pytest.fixture
def reports(db: sqlite_utils.Database, program: Program) -> Reports:
    return reports_of(db, program)


@pytest.fixture
def program() -> Program:
    return catalog().programs["heyuan-2021"]


def _county_row(reports: Reports, county_id: int) -> tuple[int, ...]:
    row = next(r for r in reports.county_status(2022, SYSTEM) if r.county_id == county_id)
    return row.started, row.submitted


def test_answers_and_a_submit_show_in_every_report(db, program, reports):
    checks = checks_of(db, program)
    cid, _ = reports.resolve_community("江滨社区")
    county = reports_of(db, program).community_detail(cid).county_id
    people = people_of(db, NOW)
    people.set_language(7, "zh", "", "ann")  # a user who gave only a username
    people.set_language(8, "zh", "", None)  # one who gave nothing
    assert _county_row(reports, county) == (0, 0)
    a = checks.start(cid)
    std = checks.standard_for(a)
    ann, nameless = Principal(7, admin=True), Principal(8, admin=True)
    for k, q in enumerate(std.questions[:3]):
        checks.answer(ann if k else nameless, a.id, q.id, "met")
    row = next(r for r in reports.community_status(county) if r.community_id == cid)
    assert (row.state, row.answered, row.met) == ("open", 3, 3)
    assert _county_row(reports, county) == (1, 0)
    assert cid not in {r.community_id for r in reports.missing(county)}
    d = reports_of(db, program).community_detail(cid)
    assert [(c[0].username, c[0].id, c[1]) for c in d.contributors] == [("ann", 7, 2), (None, 8, 1)]
    assert "@ann" in render_community_detail(d) and "用户8" in render_community_detail(d)
    assert "user 8" in render_community_detail(d, lang="en")  # labelled where shown
    for q in std.questions[3:]:
        checks.answer(ann, a.id, q.id, "met")
    checks.submit(ann, a.id)
    row = next(r for r in reports.community_status(county) if r.community_id == cid)
    assert row.state == "submitted" and row.answered == len(std.questions)
    assert _county_row(reports, county) == (1, 1)


def test_a_worker_sees_their_community_only(db, program, reports):
    cid, _ = reports.resolve_community("江滨社区")
    county = reports_of(db, program).community_detail(cid).county_id
    worker = Principal(9, communities=frozenset({cid}))
    assert [r.community_id for r in reports.community_status(county, worker)] == [cid]
    assert [r for r in reports.county_status(2022, worker) if not r.is_total] == []
    assert {r.community_id for r in reports.missing(county, worker)} == {cid}
