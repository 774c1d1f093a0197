"""One clock: every date a user sees and every day count is local (GREENCHECK_TZ), whatever
the hour — the date-sensitive paths run at 23:30 and 00:30 local time and in UTC.

At 23:30 in Shanghai the UTC date is still the day before; at 23:30 UTC Shanghai is already
on the next day. A day count or a date taken from the UTC text of a stamp is wrong at one of
these four instants, so each path below runs at all four.
"""

from __future__ import annotations

import datetime as dt
import io
import json

import pytest
from openpyxl import load_workbook

from bot.catalog import catalog
from handlers import review
from handlers.delivery import Delivery
from tests.bot.test_review_chain import COMMUNITY, STREET, WORKER, _answer_all, _people
from tests.harness import ADMIN_ID, ZONE, Harness, cli

UTC = dt.UTC
INSTANTS = [
    dt.datetime(2026, 11, 20, 23, 30, tzinfo=ZONE),  # local 23:30: UTC says 11-20 15:30
    dt.datetime(2026, 11, 21, 0, 30, tzinfo=ZONE),  # local 00:30: UTC still says 11-20
    dt.datetime(2026, 11, 20, 23, 30, tzinfo=UTC),  # UTC 23:30: local is 11-21 07:30
    dt.datetime(2026, 11, 21, 0, 30, tzinfo=UTC),  # UTC 00:30: local is 11-21 08:30
]
IDS = ["local-2330", "local-0030", "utc-2330", "utc-0030"]


async def _nosleep(_: float) -> None:
    return None


async def _submitted(h: Harness) -> None:
    std = catalog().standard(catalog().programs["heyuan-2021"].standard)
    await _people(h)
    await _answer_all(h, len(std.questions))
    await h.submit(WORKER)


@pytest.mark.parametrize("at", INSTANTS, ids=IDS)
async def test_a_submission_shows_its_local_date_and_waits_local_days(tmp_path, at):
    local = at.astimezone(ZONE)
    async with Harness(tmp_path / "gc.db", at=at) as h:
        await _submitted(h)
        await h.send(WORKER, "/check")
        assert f"已提交 · {local.date().isoformat()}" in h.last_text(WORKER)
        await h.send(STREET, "/review")
        assert "已等待 0 天" in h.last_text(STREET)
        # the queue counts local days: the next one starts at local midnight, not UTC's
        h.clock.advance(dt.timedelta(hours=1))
        await h.send(STREET, "/review")
        next_day = h.clock.now().date() > local.date()
        assert f"已等待 {int(next_day)} 天" in h.last_text(STREET)


@pytest.mark.parametrize("at", INSTANTS, ids=IDS)
async def test_a_waiting_check_reminds_its_stage_after_seven_local_days(tmp_path, at):
    async with Harness(tmp_path / "gc.db", at=at) as h:
        await _submitted(h)
        s, delivery = h.app.bot_data, Delivery(sleep=_nosleep)
        day = at.astimezone(ZONE).date()
        due = dt.datetime.combine(day, dt.time(0), tzinfo=ZONE) + dt.timedelta(days=7)
        early = due - dt.timedelta(minutes=1)  # the last minute of the sixth local day after
        assert (await review.remind_reviewers(h.app.bot, s, early, delivery)).due == 0
        report = await review.remind_reviewers(h.app.bot, s, due, delivery)
        assert (report.due, report.sent) == (1, 1)
        assert "等待审核 7 天" in h.last_text(STREET)


@pytest.mark.parametrize("at", INSTANTS, ids=IDS)
async def test_history_json_and_the_review_sheet_are_in_local_time(tmp_path, at):
    local = at.astimezone(ZONE)
    async with Harness(tmp_path / "gc.db", at=at) as h:
        await _submitted(h)
        await h.send(ADMIN_ID, f"/history {COMMUNITY}")
        assert local.strftime("%Y-%m-%d %H:%M") in h.last_text(ADMIN_ID)
        await h.send(ADMIN_ID, "/export recognised")
        sent = h.api.sent("sendDocument")[-1]
        sheet = load_workbook(io.BytesIO(next(iter(sent.files.values()))))["审核记录"]
        rows = list(sheet.iter_rows(values_only=True))
        head = next(k for k, r in enumerate(rows) if r[0] == "社区")
        times = [r[1] for r in rows[head + 1 :]]
        assert times == [local.replace(tzinfo=None, second=0, microsecond=0)]


@pytest.mark.parametrize("at", INSTANTS, ids=IDS)
async def test_the_cli_prints_history_times_in_local_iso_with_the_offset(
    tmp_path, monkeypatch, capsys, at
):
    async with Harness(tmp_path / "gc.db", at=at) as h:
        await _submitted(h)
    monkeypatch.setenv("GREENCHECK_DB", str(tmp_path / "gc.db"))
    monkeypatch.chdir(tmp_path)
    assert cli(["review", "status", "--community", COMMUNITY, "--json"], at=at) == 0
    [event] = json.loads(capsys.readouterr().out)["history"]
    assert event["at"] == at.astimezone(ZONE).isoformat(timespec="seconds")
    assert event["at"].endswith("+08:00")
