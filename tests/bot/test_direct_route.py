"""Heyuan's direct route (seed 000 四（二）) in chat: a former 省级宜居社区 submitting in the 2021
分类推进 stage goes to an expert the city invited for 2021, then the city recognises it directly,
then 公示 (its days asked) and 公开 after the period."""

from __future__ import annotations

import datetime as dt

from bot.catalog import catalog
from tests.bot.test_review_chain import _answer_all, _fine, _reply_to_prompt
from tests.harness import ADMIN_ID, ZONE, Harness

WORKER, EXPERT, LATE_EXPERT, PLAIN_WORKER = 4001, 4002, 4003, 4004
FORMER = "江滨社区"  # former_livable in the sample roster
PLAIN = "宝塔社区"  # not a former provincial community (same street)
AUTUMN_2021 = dt.datetime(2021, 10, 15, 10, 0, tzinfo=ZONE)


def _row(h: Harness, community: str) -> tuple[str, str, str]:
    """(kind, stage, state) of the community's check."""
    return h.db.execute(
        "SELECT a.kind, r.stage, r.state FROM assessments a JOIN communities c"
        " ON c.id = a.community_id JOIN reviews r ON r.assessment_id = a.id WHERE c.name = ?",
        [community],
    ).fetchone()


async def _expert(h: Harness, uid: int, year: int) -> None:
    await h.send(ADMIN_ID, f"/invite expert {year}")
    await h.send(uid, f"/start {h.invite_link_code(ADMIN_ID)}")
    assert "评定专家" in h.last_text(uid)


async def test_a_former_livable_community_takes_the_direct_route_in_2021(tmp_path):
    n = len(catalog().standard("guangdong-2021").questions)
    async with Harness(tmp_path / "gc.db", at=AUTUMN_2021) as h:
        await h.register(WORKER, "worker", FORMER)
        await _expert(h, EXPERT, 2021)
        await _expert(h, LATE_EXPERT, 2022)
        await _answer_all(h, n, WORKER)
        await h.submit(WORKER)
        assert _row(h, FORMER) == ("direct", "专家评定", "waiting")
        await h.send(WORKER, "/check")  # the worker sees the route's own stage
        assert "在「专家评定」审核中" in h.card(WORKER)[1]
        # the 2021 expert is told; the 2022 one is not and cannot act
        assert "专家评定" in h.last_text(EXPERT) and FORMER in h.last_text(EXPERT)
        await h.send(LATE_EXPERT, "/review")
        assert "没有待您审核" in h.last_text(LATE_EXPERT)
        # the expert assesses on the review card: a verified answer, then 通过
        await h.tap(EXPERT, "查看")
        _, card, buttons = h.card(EXPERT)
        assert "专家评定" in card
        await h.tap(EXPERT, _fine(buttons))
        assert "核定" in h.card(EXPERT)[1]
        await h.tap(EXPERT, "通过")
        assert _row(h, FORMER) == ("direct", "直接认定", "waiting")
        history = h.db.execute(
            "SELECT role FROM review_events WHERE stage = '专家评定' AND action != 'submit'"
        )
        assert {r for (r,) in history} == {"expert"}
        # the city recognises it directly
        assert "直接认定" in h.last_text(ADMIN_ID)
        await h.tap(ADMIN_ID, "通过")
        assert _row(h, FORMER) == ("direct", "公示", "waiting")
        kinds = h.db.execute("SELECT kind FROM verdicts").fetchall()
        assert kinds == [("recognised",)]
        # 公示: the seed prints no length, so the city gives it; 公开 only after the end
        await h.tap(ADMIN_ID, "记录公示")
        await _reply_to_prompt(h, ADMIN_ID, "5")
        assert _row(h, FORMER) == ("direct", "公开", "waiting")
        await h.send(ADMIN_ID, f"/publish {FORMER}")
        assert "2021-10-19" in h.last_text(ADMIN_ID)  # refused: the period runs to the 19th
        h.clock.advance(dt.timedelta(days=5))
        await h.send(ADMIN_ID, f"/publish {FORMER}")
        assert _row(h, FORMER) == ("direct", "公开", "done")


async def test_other_communities_and_later_submissions_take_the_review_chain(tmp_path):
    n = len(catalog().standard("guangdong-2021").questions)
    async with Harness(tmp_path / "gc.db", at=AUTUMN_2021) as h:
        await h.register(PLAIN_WORKER, "worker", PLAIN)
        await _answer_all(h, n, PLAIN_WORKER)
        await h.submit(PLAIN_WORKER)
        assert _row(h, PLAIN) == ("create", "街道推荐", "waiting")
    async with Harness(tmp_path / "late.db", at=dt.datetime(2022, 1, 5, 9, 0, tzinfo=ZONE)) as h:
        await h.register(WORKER, "worker", FORMER)
        await _answer_all(h, n, WORKER)
        await h.submit(WORKER)  # after the 分类推进 stage (2021年年底前)
        assert _row(h, FORMER) == ("create", "街道推荐", "waiting")
