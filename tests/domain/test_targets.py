"""Targets as the seeds set them: no figure before a program's first target year, and a goal of
taking part kept apart from a goal of taking part and meeting the requirements."""

from __future__ import annotations

import pytest

from bot.catalog import catalog
from bot.domain import cycles

DONE_WORDS = ("达到创建要求", "达到要求")  # 参与创建行动并达到创建要求 and its variants


@pytest.fixture(scope="module")
def programs():
    return catalog().programs


@pytest.mark.parametrize(
    ("program", "years"),
    [("heyuan-2021", (2019, 2020)), ("national-2020", (2019, 2020, 2021))],
)
def test_no_target_before_a_programs_first_target_year(programs, program, years):
    prog = programs[program]
    for year in years:
        assert prog.target_for(year) is None, year
        own = [(t.year, t.pct) for t in prog.targets]
        assert cycles.target_in_force(own, [], year) is None, year
    first = prog.first_target_year
    assert first == max(years) + 1
    assert prog.target_for(first) is not None


def test_every_program_has_no_target_the_year_before_its_first(programs):
    for prog in programs.values():
        if prog.first_target_year is not None:
            assert prog.target_for(prog.first_target_year - 1) is None, prog.id


def test_a_target_set_by_an_admin_for_an_early_year_is_in_force_from_that_year():
    own = [(2021, 30.0)]
    assert cycles.target_in_force(own, [(2020, 10.0, "admin")], 2020) == (10, 2020, "admin")
    assert cycles.target_in_force(own, [(2020, 10.0, "admin")], 2019) is None


def test_heyuan_2025_goal_is_every_community_taking_part_not_a_done_target(programs):
    heyuan = programs["heyuan-2021"]
    goal = heyuan.participation_target_for(2025)
    assert goal is not None
    assert (goal.year, goal.pct) == (2025, 100)
    assert "所有城市社区参与创建行动" in goal.source
    assert heyuan.target_for(2025).pct == 60  # the done-target stays 2022's
    assert heyuan.target_for(2025).year == 2022
    assert heyuan.participation_target_for(2024) is None


def test_done_targets_say_meeting_the_requirements_and_participation_targets_do_not(programs):
    for prog in programs.values():
        for target in prog.targets:
            assert any(w in target.source for w in DONE_WORDS), (prog.id, target.year)
        for target in prog.participation_targets:
            assert "参与" in target.source, (prog.id, target.year)
            assert not any(w in target.source for w in DONE_WORDS), (prog.id, target.year)


def test_a_target_whose_year_the_seed_does_not_print_says_so(programs):
    qhd = programs["qinhuangdao-etdz-2021"]
    assert all(t.inferred and "原文未写年份" in t.inferred for t in qhd.targets)
    # the others print their years beside the figures
    for pid in ("heyuan-2021", "chuxiong-2021", "qingyang-2022", "national-2020"):
        assert not any(t.inferred for t in programs[pid].targets), pid
