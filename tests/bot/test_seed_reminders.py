"""What reminders and /deadlines tell users about the seeds: an inferred date says so with its
reasoning, and a year before the program's first target year shows no target."""

from __future__ import annotations

import datetime as dt
import json

from bot.catalog import catalog
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


# -- duties of streets and communities: reminded to them, not to the county's contact ---------

QY_WORKER, QY_OTHER, QY_LATER, QY_STREET, QY_CITY = 2101, 2102, 2103, 3101, 3102
ANNUAL_EVALUATION = dt.date(2022, 11, 20)


async def _qingyang(tmp_path) -> Harness:
    # the sample roster: county 晋江市, street 青阳街道, 8 communities (2 planned for 2021)
    h = Harness(tmp_path / "gc.db", program="qingyang-2022", roster="qingyang-2022")
    await h.__aenter__()
    quiet(h)
    await worker(h, QY_WORKER, "梅岭社区")  # planned 2021: a pilot
    await worker(h, QY_OTHER, "阳光社区")  # planned 2021: a pilot
    await worker(h, QY_LATER, "竹树社区")  # planned 2022
    await h.register(QY_STREET, "street", "青阳街道")
    await contact(h, QY_CITY, "晋江市")
    return h


def test_a_duty_reminds_whom_the_seed_makes_do_it():
    for prog in catalog().programs.values():
        for d in prog.deadlines:
            if d.submitter.endswith("社区"):  # 各社区, 试点社区, 拟创建社区
                assert d.audience in ("worker", "community"), (prog.id, d.id)
            elif d.submitter.endswith(("乡街", "街道")):  # 各乡街, 青阳街道
                assert d.audience == "street", (prog.id, d.id)
            else:  # 各县（区）…, 各县市…, 各省（区、市）…
                assert d.audience == "contact", (prog.id, d.id)
    qingyang = catalog().programs["qingyang-2022"]
    assert qingyang.deadline("annual-evaluation").audience == "community"


async def test_qingyangs_annual_evaluation_reminds_each_community_until_it_confirms(tmp_path):
    # 五（六）: "各社区…于每年11月20日前报送年度评估总结情况至青阳街道…办公室"
    h = await _qingyang(tmp_path)
    try:
        await tick(h, at(ANNUAL_EVALUATION - dt.timedelta(days=14)))
        assert reminders_to(h, QY_STREET) == reminders_to(h, QY_CITY) == []  # they receive it
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
        await h.send(ADMIN_ID, "/deadlines")
        listing = h.last_text(ADMIN_ID)
        assert "已报送 1/8：梅岭社区" in listing and "阳光社区" in listing.split("未报送：")[1]
        await tick(h, at(ANNUAL_EVALUATION - dt.timedelta(days=7)))
        assert len(reminders_to(h, QY_WORKER)) == 1  # confirmed: no more for 梅岭社区
        assert len(reminders_to(h, QY_OTHER)) == 2
    finally:
        await h.__aexit__(None, None, None)


async def test_a_pilot_duty_reminds_the_pilots_and_the_streets_list_its_street(tmp_path):
    # 四（二）: "试点社区…2022年2月20日前将试点工作经验汇报材料报送…" (pilots: the 2021 list);
    # "街道…2022年2月20日前将当年度拟创建社区清单报送至晋江市…": the street's own duty
    h = await _qingyang(tmp_path)
    try:
        await tick(h, at(dt.date(2022, 2, 6)))
        assert any("试点工作经验汇报材料" in x for x in reminders_to(h, QY_WORKER))
        assert not any("试点工作经验汇报材料" in x for x in reminders_to(h, QY_LATER))
        (street,) = reminders_to(h, QY_STREET)
        assert "报送当年度拟创建社区清单" in street and "青阳街道：⏳ 未报送" in street
        assert reminders_to(h, QY_CITY) == []  # 晋江市 receives the list; it owes nothing
        await h.tap(QY_STREET, "✅ 已报送 · 青阳街道")
        assert "已确认：青阳街道 已报送“报送当年度拟创建社区清单" in h.last_text(QY_STREET)
        await h.send(QY_STREET, "/deadlines")
        assert "青阳街道：✅ 已报送" in h.last_text(QY_STREET)
        await tick(h, at(dt.date(2022, 2, 13)))
        assert len(reminders_to(h, QY_STREET)) == 1  # confirmed: no more
    finally:
        await h.__aexit__(None, None, None)


async def test_qinhuangdaos_yearly_re_review_reminds_each_xiangjie_and_says_its_date_is_ours(
    tmp_path,
):
    # 五（二）: "被市级以上命名的‘绿色社区’每年都要组织复审一次" (责任单位：各乡街), no date
    street, other, zone = 3201, 3202, 3203
    async with Harness(
        tmp_path / "gc.db", program="qinhuangdao-etdz-2021", roster="qinhuangdao-etdz-2021"
    ) as h:
        quiet(h)
        await h.register(street, "street", "珠江道街道")
        await h.register(other, "street", "黄河道街道")
        await contact(h, zone, "秦皇岛经济技术开发区")
        await tick(h, at(dt.date(2021, 12, 17)))
        (text,) = reminders_to(h, street)
        assert "已命名“绿色社区”年度复审" in text and "珠江道街道：⏳ 未报送" in text
        assert "日期为推定（方案未印此日期）：方案只说" in text
        assert len(reminders_to(h, other)) == 1 and reminders_to(h, zone) == []
        _, forged = h.button(street, "✅ 已报送 · 珠江道街道")  # another street's reviewer
        await h.press(other, forged, h.card(other)[0])
        assert "只有 珠江道街道 的街道审核人" in h.alerts()[-1]
        await h.press(zone, forged, h.card(street)[0])  # the 开发区's contact may confirm
        assert "已确认：珠江道街道" in h.last_text(zone)
        await tick(h, at(dt.date(2021, 12, 24)))
        assert len(reminders_to(h, street)) == 1 and len(reminders_to(h, other)) == 2


async def test_a_streets_duty_with_no_reviewer_is_listed_as_reaching_no_one(
    tmp_path, monkeypatch, capsys
):
    monkeypatch.setenv("GREENCHECK_DB", str(tmp_path / "gc.db"))
    monkeypatch.setenv("GREENCHECK_PROGRAM", "qinhuangdao-etdz-2021")
    async with Harness(
        tmp_path / "gc.db", program="qinhuangdao-etdz-2021", roster="qinhuangdao-etdz-2021"
    ) as h:
        quiet(h)
        await h.register(3201, "street", "珠江道街道")
        await tick(h, at(dt.date(2021, 12, 17)))
        told = [x for x in h.texts(ADMIN_ID) if "没有人接收" in x]
        assert told and "已命名“绿色社区”年度复审" in told[-1] and "黄河道街道" in told[-1]
        assert "珠江道街道" not in told[-1]
    assert cli(["remind", "due", "--on", "2021-12-17", "--json"]) == 0
    nobody = [r for r in json.loads(capsys.readouterr().out) if r["recipient"] is None]
    (row,) = nobody
    assert row["kind"] == "street" and row["deadline"] == "annual-re-review"
    assert "黄河道街道" in row["street_names"] and "珠江道街道" not in row["street_names"]
