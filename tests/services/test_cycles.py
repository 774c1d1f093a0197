"""Years: a new year's check carries last year's answers as a draft, confirmed item
by item; targets in force with their source year; status by each year's end."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from bot.catalog import catalog
from bot.clock import FixedClock
from bot.domain.access import SYSTEM, Principal
from bot.domain.errors import CheckError, TargetError
from bot.services.checks import Checks
from bot.services.reviews import Reviews
from tests.harness import reports_of, sample_roster

ADMIN = Principal(1, admin=True)
TZ = ZoneInfo("Asia/Shanghai")


class Clock(FixedClock):
    def __init__(self, year: int) -> None:
        super().__init__(TZ, dt.datetime(year, 6, 1, 9, tzinfo=TZ))

    def year(self, year: int, month: int = 6) -> None:
        self.set(dt.datetime(year, month, 1, 9, tzinfo=TZ))


def _checks(db, program: str = "heyuan-2021") -> tuple[Checks, Clock]:
    sample_roster(db)
    cat = catalog()
    clock = Clock(2021)
    return Checks(db, cat, cat.programs[program], clock=clock), clock


def _answer_all(checks: Checks, aid: int) -> None:
    for q in checks.standard_for(checks.get(aid)).questions:  # type: ignore[arg-type]
        checks.answer(ADMIN, aid, q.id, "met")


def test_a_new_year_carries_answers_forward_as_a_draft_that_counts_only_once_confirmed(fresh_db):
    checks, clock = _checks(fresh_db)
    a21 = checks.start(1)
    assert a21.cycle == 2021
    _answer_all(checks, a21.id)
    checks.submit(ADMIN, a21.id)
    clock.year(2022)
    a22 = checks.start(1)
    assert a22.id != a21.id and a22.cycle == 2022
    draft = checks.carried(a22.id)
    qids = [q.id for q in checks.standard_for(a22).questions]
    assert set(draft) == set(qids)  # every answered item carried
    assert checks.rows(a22.id) == {}  # nothing counts yet
    assert checks.view(a22).result.answered == 0
    tapped = checks.confirm(ADMIN, a22.id, qids[0])
    assert tapped.changed and tapped.view.result.answered == 1
    assert qids[0] not in checks.carried(a22.id)
    with pytest.raises(CheckError):
        checks.confirm(ADMIN, a22.id, qids[0])  # confirmed already: no draft left
    # last year's check is kept beside this year's, unchanged
    assert checks.in_year(1, 2021).id == a21.id  # type: ignore[union-attr]
    assert checks.view(checks.get(a21.id)).result.answered == len(qids)  # type: ignore[arg-type]
    assert checks.start(1).id == a22.id  # the same year: the same check
    with pytest.raises(CheckError) as exc:  # last year's check is read-only now
        checks.answer(ADMIN, a21.id, qids[0], "not_met")
    assert exc.value.code == "locked"


def test_targets_are_shown_with_the_year_they_come_from_and_admins_set_new_ones(fresh_db):
    checks, clock = _checks(fresh_db)
    program, targets = checks.program, checks.targets
    assert targets.in_force(2021) == (30, 2021, None)
    assert targets.in_force(2026) == (60, 2022, None)  # not invented
    clock.set(dt.datetime(2026, 1, 2, tzinfo=TZ))
    targets.set_target(2026, 70, "admin 1")
    assert targets.in_force(2026) == (70, 2026, "admin 1")
    assert targets.in_force(2025) == (60, 2022, None)
    assert targets.history()[0]["set_by"] == "admin 1"
    rows = reports_of(fresh_db, program).county_status_as_of(2026, SYSTEM, TZ)
    assert (rows[-1].target_pct, rows[-1].target_year, rows[-1].target_by) == (70, 2026, "admin 1")
    with pytest.raises(TargetError):
        targets.set_target(2026, 170, "x")


def _recognise(checks: Checks, aid: int) -> None:
    """Submit the check and pass every stage of its chain (the admin acts for each)."""
    reviews = Reviews(checks)
    reviews.submit(ADMIN, aid)
    while (row := reviews.store.review(aid)) is not None and row.state == "waiting":
        stage = reviews.chain_of(aid).named(row.stage)
        assert stage is not None
        if stage.act == "publish":  # the day after a 公示 of one day
            checks.clock.advance(dt.timedelta(days=1))  # type: ignore[attr-defined]
        reviews.approve(ADMIN, aid, stage.index, days=1)


def test_status_counts_a_community_once_and_by_each_year_end(fresh_db):
    checks, clock = _checks(fresh_db)
    a21 = checks.start(1)
    _answer_all(checks, a21.id)
    _recognise(checks, a21.id)
    clock.year(2022)
    a22 = checks.start(1)
    for qid in checks.carried(a22.id):
        checks.confirm(ADMIN, a22.id, qid)
    checks.submit(ADMIN, a22.id)

    def passed(year: int) -> int:
        return reports_of(fresh_db, checks.program).county_status_as_of(year, SYSTEM, TZ)[-1].passed

    assert (passed(2020), passed(2021), passed(2022)) == (0, 1, 1)
    total = reports_of(fresh_db, checks.program).county_status_as_of(2022, SYSTEM, TZ)[-1]
    assert (total.started, total.submitted) == (1, 1)  # two checks, one community


def test_recognised_communities_of_a_re_reviewing_program_get_a_rereview_check_each_year(fresh_db):
    checks, clock = _checks(fresh_db, "qinhuangdao-etdz-2021")
    assert checks.program.rereview_chain
    a21 = checks.start(1)
    _answer_all(checks, a21.id)
    _recognise(checks, a21.id)
    assert checks.open_rereviews() == []  # this year's check is the creation one
    clock.year(2022, 1)
    opened = checks.open_rereviews()
    assert len(opened) == 1 and checks.kind(opened[0]) == "rereview"
    assert checks.get(opened[0]).cycle == 2022  # type: ignore[union-attr]
    assert set(checks.carried(opened[0]))  # last year's answers as the draft
    assert checks.open_rereviews() == []  # once a year
    heyuan, _ = _checks(fresh_db, "heyuan-2021")
    assert not heyuan.program.rereview_chain and heyuan.open_rereviews() == []
