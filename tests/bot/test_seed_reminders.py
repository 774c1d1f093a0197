"""What reminders and /deadlines tell users about the seeds: an inferred date says so with its
reasoning, and a year before the program's first target year shows no target."""

from __future__ import annotations

import datetime as dt
import json

from bot.domain.catalog import STANDARDS_DIR
from bot.domain.standards import catalog
from bot.services.roster import import_roster
from bot.store.db import connect
from tests.bot.reminder_support import (
    CONTACT,
    WORKER,
    at,
    contact,
    quiet,
    reminders_to,
    tick,
    worker,
)
from tests.harness import ADMIN_ID, Harness, cli

CHUXIONG_WORKER_DAY = dt.date(2021, 8, 20)  # community-self-check: inferred from "8月下旬"


async def test_an_inferred_deadline_says_so_in_the_reminder_and_in_deadlines(tmp_path):
    async with Harness(tmp_path / "gc.db", program="chuxiong-2021") as h:
        quiet(h)
        await worker(h)
        await tick(h, at(CHUXIONG_WORKER_DAY - dt.timedelta(days=14)))
        (text,) = reminders_to(h, WORKER)
        assert "社区对照创建标准完成自查" in text
        assert "日期为推定（方案未印此日期）：方案未规定社区的日期" in text
        assert "按每年8月20日推定" in text
        await h.send(ADMIN_ID, "/deadlines")
        listing = h.last_text(ADMIN_ID)
        mine = listing.split("社区对照创建标准完成自查")[1].split("\n\n")[0]
        assert "日期为推定：方案未规定社区的日期" in mine
        other = listing.split("年度总结评估报告")[1].split("\n\n")[0]
        assert "推定" not in other  # 10-20 is printed: nothing to flag


async def test_remind_due_json_names_the_inferred_deadlines(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("GREENCHECK_DB", str(tmp_path / "gc.db"))
    monkeypatch.setenv("GREENCHECK_PROGRAM", "chuxiong-2021")
    async with Harness(tmp_path / "gc.db", program="chuxiong-2021") as h:
        quiet(h)
        await worker(h)
        await contact(h)
    day = "2021-08-17"  # 3 days before the worker day, 14 before the 08-31 list
    assert cli(["remind", "due", "--on", day, "--json"]) == 0
    rows = {r["deadline"]: r for r in json.loads(capsys.readouterr().out)}
    assert "推定" in rows["community-self-check"]["inferred"]
    assert rows["self-evaluation-list"]["inferred"] is None
    assert cli(["remind", "due", "--on", day]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert [ln for ln in lines if "（日期为推定）" in ln] == [
        ln for ln in lines if "community-self-check" in ln
    ]


async def test_a_reminder_before_the_first_target_year_shows_no_target(tmp_path):
    # national: the first target is 2022's 60%; the provincial plans are due 2020-08-31
    async with Harness(tmp_path / "gc.db", program="national-2020") as h:
        quiet(h)
        await contact(h)
        await tick(h, at(dt.date(2020, 8, 17)))
        (text,) = reminders_to(h, CONTACT)
        assert "源城区现状（2020 年无目标）" in text
        assert "60%" not in text
        await tick(h, at(dt.date(2022, 11, 16)))  # the 2022 annual report: 60% is in force
        assert "源城区现状（2022 年目标 60%）" in reminders_to(h, CONTACT)[-1]


# -- Qingyang: "各社区…于每年11月20日前报送年度评估总结情况" is each community's own report --------

QY_WORKER, QY_OTHER, QY_LATER, QY_STREET = 2101, 2102, 2103, 3101
ANNUAL_EVALUATION = dt.date(2022, 11, 20)


async def _qingyang(tmp_path) -> Harness:
    db = connect(tmp_path / "gc.db")
    import_roster(db, STANDARDS_DIR / "rosters" / "qingyang-sample.csv", region="青阳街道")
    db.close()
    h = Harness(tmp_path / "gc.db", program="qingyang-2022", sample=False)
    await h.__aenter__()
    quiet(h)
    await worker(h, QY_WORKER, "梅岭社区")  # planned 2021: a pilot
    await worker(h, QY_OTHER, "阳光社区")  # planned 2021: a pilot
    await worker(h, QY_LATER, "竹树社区")  # planned 2022
    await contact(h, QY_STREET, "青阳街道")
    return h


def test_a_duty_the_seed_gives_communities_reminds_communities_not_a_contact():
    for prog in catalog().programs.values():
        for d in prog.deadlines:
            if d.submitter.endswith("社区"):  # 各社区, 试点社区, 拟创建社区
                assert d.audience in ("worker", "community"), (prog.id, d.id)
            else:
                assert d.audience == "contact", (prog.id, d.id)
    qingyang = catalog().programs["qingyang-2022"]
    assert qingyang.deadline("annual-evaluation").audience == "community"
    assert qingyang.deadline("list-2022").audience == "contact"  # 街道…报送


async def test_qingyangs_annual_evaluation_reminds_each_community_until_it_confirms(tmp_path):
    h = await _qingyang(tmp_path)
    try:
        await tick(h, at(ANNUAL_EVALUATION - dt.timedelta(days=14)))
        assert reminders_to(h, QY_STREET) == []  # the street receives it; it does not report
        (text,) = reminders_to(h, QY_WORKER)
        assert "报送年度评估总结情况" in text and "梅岭社区：⏳ 未报送" in text
        assert "报送对象：青阳街道绿色社区创建行动工作领导小组办公室" in text
        assert len(reminders_to(h, QY_OTHER)) == len(reminders_to(h, QY_LATER)) == 1
        _, forged = h.button(QY_WORKER, "✅ 已报送 · 梅岭社区")  # another community's worker
        await h.press(QY_OTHER, forged, h.card(QY_OTHER)[0])
        assert "只有 梅岭社区 的社区工作者" in h.alerts()[-1]
        await h.tap(QY_WORKER, "✅ 已报送 · 梅岭社区")
        assert "已确认：梅岭社区 已报送“报送年度评估总结情况" in h.last_text(QY_WORKER)
        await h.send(QY_WORKER, "/deadlines")
        assert "梅岭社区：✅ 已报送" in h.last_text(QY_WORKER)
        await h.send(QY_STREET, "/deadlines")
        listing = h.last_text(QY_STREET)
        assert "已报送 1/8：梅岭社区" in listing and "阳光社区" in listing.split("未报送：")[1]
        await tick(h, at(ANNUAL_EVALUATION - dt.timedelta(days=7)))
        assert len(reminders_to(h, QY_WORKER)) == 1  # confirmed: no more for 梅岭社区
        assert len(reminders_to(h, QY_OTHER)) == 2
    finally:
        await h.__aexit__(None, None, None)


async def test_a_pilot_duty_reminds_only_the_pilot_communities(tmp_path):
    # 四（二）1: "试点社区…2022年2月20日前将试点工作经验汇报材料报送…"; pilots: the 2021 list
    h = await _qingyang(tmp_path)
    try:
        await tick(h, at(dt.date(2022, 2, 6)))
        assert any("试点工作经验汇报材料" in x for x in reminders_to(h, QY_WORKER))
        assert not any("试点工作经验汇报材料" in x for x in reminders_to(h, QY_LATER))
        assert reminders_to(h, QY_STREET) and not any(
            "试点工作经验汇报材料" in x for x in reminders_to(h, QY_STREET)
        )  # the street is reminded of its own list (list-2022), not the pilots' report
    finally:
        await h.__aexit__(None, None, None)
