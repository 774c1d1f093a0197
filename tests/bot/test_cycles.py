"""Years in Telegram: last year's answers as a 上年 draft, 与上年相同, past years read-only."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from bot.catalog import catalog
from tests.bot.test_check import PROGRAM_COMMUNITY, WORKER, _answer_label, _register_worker
from tests.harness import ADMIN_ID, Harness

TZ = ZoneInfo("Asia/Shanghai")


def _at(h: Harness, year: int) -> None:
    h.clock.set(dt.datetime(year, 6, 1, 9, tzinfo=TZ))


async def _check_everything(h: Harness, n: int) -> None:
    await h.send(WORKER, "/check")
    for _ in range(n):
        _, _, buttons = h.card(WORKER)
        await h.tap(WORKER, _answer_label(buttons))
    await h.send(WORKER, "/submit")
    await h.tap(WORKER, "✅ 确认提交")


async def test_a_new_year_shows_last_years_answers_to_confirm_and_past_years_read_only(tmp_path):
    n = len(catalog().standard(catalog().programs["heyuan-2021"].standard).questions)
    async with Harness(tmp_path / "gc.db") as h:
        await _register_worker(h)
        _at(h, 2021)
        await _check_everything(h, n)
        _at(h, 2022)
        await h.send(WORKER, "/check")
        _, text, buttons = h.card(WORKER)
        assert "上年：" in text and "已答 0/" in text
        assert "与上年相同" in [b[0] for b in buttons]
        await h.tap(WORKER, "与上年相同")
        _, text, _ = h.card(WORKER)
        assert "已答 1/" in text
        assert h.alerts()[-1] == "已按上年确认。"
        await h.send(ADMIN_ID, f"/check {PROGRAM_COMMUNITY} 2021")
        assert "2021 年的自查（只读）" in "\n".join(h.texts(ADMIN_ID))
        _, text, buttons = h.card(ADMIN_ID)
        assert f"已答 {n}/{n}" in text and "与上年相同" not in [b[0] for b in buttons]
        await h.send(ADMIN_ID, f"/check {PROGRAM_COMMUNITY} 2019")
        assert "没有 2019 年的自查" in h.last_text(ADMIN_ID)
