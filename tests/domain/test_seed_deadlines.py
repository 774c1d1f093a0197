"""Every program deadline against its seed: a date the seed prints is taken as printed; a date it
does not print is marked inferred (推定) with the reasoning, or is not there at all."""

from __future__ import annotations

import calendar
import datetime as dt

import pytest

from bot.catalog import catalog


@pytest.fixture(scope="module")
def programs():
    return catalog().programs


def _printed(source: str, month: int, day: int) -> bool:
    """Whether `source` prints this month-day: "8月30日", "3月底", "10月底", "年底"."""
    last = day == calendar.monthrange(2001, month)[1]
    return (
        f"{month}月{day}日" in source
        or (last and f"{month}月底" in source)
        or (month == 12 and day == 31 and "年底" in source)
    )


def _days(deadline) -> list[tuple[int, int]]:
    if deadline.annual:
        month, day = (int(x) for x in deadline.annual.split("-"))
        return [(month, day)]
    return [(d.month, d.day) for d in deadline.dates]


def test_a_deadline_date_the_seed_does_not_print_is_marked_inferred(programs):
    for prog in programs.values():
        for d in prog.deadlines:
            unprinted = [md for md in _days(d) if not _printed(d.source, *md)]
            if unprinted:
                assert d.inferred, (prog.id, d.id, unprinted)


def test_the_inferred_deadlines_are_chuxiongs_worker_day_and_qinhuangdaos_re_review(programs):
    inferred = {(p.id, d.id) for p in programs.values() for d in p.deadlines if d.inferred}
    assert inferred == {
        ("chuxiong-2021", "community-self-check"),
        ("qinhuangdao-etdz-2021", "annual-re-review"),
    }
    worker = programs["chuxiong-2021"].deadline("community-self-check")
    assert "8月下旬" in worker.inferred and "8月20日" in worker.inferred
    review = programs["qinhuangdao-etdz-2021"].deadline("annual-re-review")
    assert "每年都要组织复审一次" in review.inferred and "未给日期" in review.inferred


def test_qinhuangdao_sets_no_yearly_community_deadline_the_seed_does_not_print(programs):
    # 五（一）: "创建的绿色社区名单于2021年3月底前报…" is the 乡街's list, once; no community date.
    qhd = programs["qinhuangdao-etdz-2021"]
    assert [d.id for d in qhd.deadlines if d.audience in ("worker", "community")] == []
    assert qhd.deadline("candidate-list").dates == [dt.date(2021, 3, 31)]
    assert qhd.self_check_deadline is None


def test_heyuans_full_creation_stage_is_a_community_deadline_at_the_end_of_2022(programs):
    heyuan = programs["heyuan-2021"]
    d = heyuan.deadline("full-creation")
    assert d.dates == [dt.date(2022, 12, 31)]
    assert d.audience == "worker" and d.submitter == "各社区"
    assert "到2022年底，全市不低于40%的城市社区要参与创建并达到要求" in d.source
    assert "社区申请—街道推荐—县（区）初审—市级认定—公示—公布" in d.source


def test_heyuans_2025_consolidation_is_a_participation_goal_not_a_reporting_deadline(programs):
    heyuan = programs["heyuan-2021"]
    assert not [
        d.id for d in heyuan.deadlines if d.occurrences(dt.date(2023, 1, 1), dt.date(2030, 12, 31))
    ]
    assert heyuan.participation_target_for(2025).source.endswith("所有城市社区参与创建行动。")
