"""What reminders and /deadlines tell users about the seeds: an inferred date says so with its
reasoning, and a year before the program's first target year shows no target."""

from __future__ import annotations

import datetime as dt
import json

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
