"""What the community reads of its submitted check in /check, /status and /community: where it
waits and since when, the verified conclusion, recognition, publication, a withdrawn title."""

from __future__ import annotations

import datetime as dt

from bot.catalog import catalog
from bot.domain.access import Principal
from handlers import callbacks
from tests.bot.test_review_chain import FIRST, WORKER, _answer, _staff
from tests.harness import ADMIN_ID, ZONE, Harness

ADMIN = Principal(ADMIN_ID, admin=True)


def _day(h: Harness, day: int) -> None:
    h.clock.set(dt.datetime(2026, 11, day, 10, tzinfo=ZONE))


def _pass_every_stage(h: Harness, aid: int, program: str) -> None:
    """An admin passes each stage the check waits at, a day apart from the 21st."""
    reviews = h.app.bot_data.reviews
    day = 21
    while (row := reviews.store.review(aid)) is not None and row.state == "waiting":
        stage = catalog().programs[program].chain.named(row.stage)
        assert stage is not None
        _day(h, day)
        reviews.approve(ADMIN, aid, stage.index, days=1)  # a 公示 of one day, 公布 the next
        day += 1


async def _submitted(h: Harness, program: str, failing: tuple[str, ...] = ()) -> int:
    """The first community of the program's roster answers (the `failing` items not met) and
    submits on the 20th."""
    _day(h, 20)
    await _staff(h, program)
    aid = _answer(h, program, failing)
    await h.submit(WORKER)
    return aid


async def test_a_recognised_check_reads_recognised_not_its_own_failing_result(tmp_path):
    async with Harness(tmp_path / "gc.db") as h:
        aid = await _submitted(h, "heyuan-2021", failing=("1.3",))
        await h.send(WORKER, "/check")
        assert "⏳ 在「街道推荐」审核中 · 自 2026-11-20" in h.card(WORKER)[1]
        assert "核定结论" not in h.card(WORKER)[1]  # nobody has vouched for a result yet
        # the street finds 1.3 met on site; then every stage passes
        h.app.bot_data.reviews.verify(ADMIN, aid, 1, "1.3", "y")
        _pass_every_stage(h, aid, "heyuan-2021")
        await h.send(WORKER, "/check")
        text = h.card(WORKER)[1]
        assert "结论：❌ 未达标" not in text and "自评：❌ 未达标" in text
        assert "核定结论：✅ 达标" in text and "🏅 已认定 2026-11-23" in text
        assert "📢 公示 2026-11-24 · 公布 2026-11-25 · 授牌 2026-11-26" in text
        assert "✅ 审核流程已完成（授牌 · 2026-11-26）" in text
        await h.send(WORKER, "/community")
        assert "🏅 已认定 2026-11-23" in h.last_text(WORKER)
        # a withdrawn title is said, with its reason, wherever the worker looks
        _day(h, 28)
        await h.send(ADMIN_ID, f"/withdraw {FIRST['heyuan-2021'][0]} 复审不合格")
        for command in ("/check", "/status", "/community"):
            await h.send(WORKER, command)
            assert "⚠️ 认定已撤销 2026-11-28（复审不合格）" in h.last_text(WORKER), command


async def test_a_chain_that_recognises_no_one_says_where_it_ended(tmp_path):
    async with Harness(tmp_path / "gc.db", program="chuxiong-2021", roster="chuxiong-2021") as h:
        aid = await _submitted(h, "chuxiong-2021")
        _pass_every_stage(h, aid, "chuxiong-2021")
        await h.send(WORKER, "/status")
        text = h.last_text(WORKER)
        assert "✅ 审核流程已完成（县市自评并列入创建成果名单 · 2026-11-21）" in text
        assert "核定结论：✅ 达标" in text and "已认定" not in text


async def test_a_program_without_a_chain_shows_the_self_result_as_before(tmp_path):
    async with Harness(tmp_path / "gc.db", program="national-2020", roster="heyuan-2021") as h:
        await h.register(WORKER, "worker", FIRST["heyuan-2021"][0])
        checks = h.app.bot_data.checks
        a = checks.start(1)
        for q in checks.standard_for(a).questions:
            if q.role != "bonus":
                checks.answer(ADMIN, a.id, q.id, "met")
        await h.submit(WORKER)
        await h.send(WORKER, "/check")
        assert "结论：✅ 达标" in h.card(WORKER)[1] and "审核" not in h.card(WORKER)[1]
        await h.send(WORKER, "/status")
        assert "审核进度" not in h.last_text(WORKER)


async def test_the_outcome_in_english(tmp_path):
    async with Harness(tmp_path / "gc.db") as h:
        aid = await _submitted(h, "heyuan-2021")
        _pass_every_stage(h, aid, "heyuan-2021")
        await h.send(WORKER, "/lang en")
        await h.send(WORKER, "/status")
        text = h.last_text(WORKER)
        assert "Recognised 2026-11-23" in text and "Verified result: ✅ passed" in text


async def test_a_long_reason_and_many_long_comments_still_reach_the_worker(tmp_path):
    """Ten 500-character comments on 2.1 and a 500-character reason: the card is cut to fit
    (the local Bot API refuses over 4,096 UTF-16 units, which would fail this test)."""
    async with Harness(tmp_path / "gc.db") as h:
        aid = await _submitted(h, "heyuan-2021")
        reviews = h.app.bot_data.reviews
        for k in range(10):
            reviews.comment(ADMIN, aid, 1, "2.1", f"{k}" + "照" * 499)
        reviews.send_back(ADMIN, aid, 1, "由" * 500)
        await h.send(WORKER, "/check")
        _, text, _ = h.card(WORKER)
        assert "需修改 1/1" in text and text.count("💬") == 3 and "…" in text
        mid = h.card(WORKER)[0]
        await h.press(WORKER, callbacks.encode("rv:w", aid, "2.1"), mid)
        assert "需修改 1/1" in h.card(WORKER)[1]
