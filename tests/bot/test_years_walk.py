"""An injected clock walks 2021 → 2022 → 2023 for Heyuan and Qinhuangdao.

Carry-forward and confirmation, targets with their source year, an action from a sent-back
item reminded (once per slot), closed with evidence and confirmed, a failed 复审 withdrawing
recognition, and status for each year matching what the database holds at that year's end.
"""

from __future__ import annotations

import datetime as dt
import io
from zoneinfo import ZoneInfo

from openpyxl import load_workbook

from bot.catalog import catalog
from bot.domain.access import SYSTEM, Principal
from handlers import actions as action_handlers
from handlers import callbacks
from handlers.delivery import Delivery, delivery_of
from handlers.notices import send_pending
from tests.bot.test_review_chain import COMMUNITY, COUNTY, STREET, WORKER, _answer_all, _people
from tests.harness import ADMIN_ID, Harness

TZ = ZoneInfo("Asia/Shanghai")
ADMIN = Principal(ADMIN_ID, admin=True)
# Heyuan's walk: a community that was not a former provincial one, so its 2021 check takes the
# review chain (a former one takes the direct route in 2021: tests/bot/test_direct_route.py).
PLAIN = "宝塔社区"  # 源城区 · 新江街道, like COMMUNITY


async def _plain_people(h: Harness) -> None:
    await h.register(WORKER, "worker", PLAIN)
    await h.register(STREET, "street", "新江街道")
    await h.register(COUNTY, "contact", "源城区")


def _at(h: Harness, day: dt.date) -> dt.datetime:
    now = dt.datetime(day.year, day.month, day.day, 9, tzinfo=TZ)
    h.clock.set(now)
    return now


def _aid(h: Harness) -> int:
    return int(h.db.execute("SELECT max(id) FROM assessments").fetchone()[0])


def _passed(h: Harness, year: int) -> int:
    s = h.app.bot_data
    return s.reports.county_status_as_of(year, SYSTEM, TZ)[-1].passed


async def _approve_all(h: Harness) -> None:
    """The admin passes every stage the newest check waits at, one after the other, and the
    notices those approvals queued go out (as after a tap)."""
    reviews = h.app.bot_data.reviews
    aid = _aid(h)
    while (row := reviews.store.review(aid)) is not None and row.state == "waiting":
        stage = reviews.chain_of(aid).named(row.stage)
        assert stage is not None
        if stage.act == "publish":  # the day after a 公示 of one day
            h.clock.advance(dt.timedelta(days=1))
        reviews.approve(ADMIN, aid, stage.index, days=1)
    await send_pending(h.app.bot, h.app.bot_data, delivery_of(h.app))


def _button(h: Harness, chat: int, label: str) -> tuple[str, int]:
    """(data, message id) of the newest message in `chat` with a button labelled `label`."""
    for (cid, mid), msg in sorted(h.api.messages.items(), key=lambda kv: -kv[0][1]):
        rows = (msg.get("reply_markup") or {}).get("inline_keyboard", [])
        for b in (b for r in rows for b in r):
            if cid == chat and label in b["text"]:
                return b["callback_data"], mid
    raise LookupError(label)


async def _nosleep(_: float) -> None:
    return None


async def _remind(h: Harness, now: dt.datetime) -> int:
    s = h.app.bot_data
    report = await action_handlers.remind_owners(h.app.bot, s, now, Delivery(sleep=_nosleep))
    return report.sent


async def _send_back_and_act(h: Harness, item: str) -> None:
    """The street comments on `item` and sends the check back; the county opens an action."""
    await h.send(STREET, "/review")
    await h.tap(STREET, PLAIN)
    mid, _, _ = h.card(STREET)
    await h.press(STREET, callbacks.encode("rv:q", _aid(h), item, "a"), mid)
    await h.tap(STREET, "意见")
    prompt = max(m for (c, m) in h.api.messages if c == STREET)
    await h.send(STREET, "照片看不清", reply_to=prompt)
    await h.tap(STREET, "退回")
    prompt = max(m for (c, m) in h.api.messages if c == STREET)
    await h.send(STREET, "请补充材料", reply_to=prompt)
    await h.send(COUNTY, f"/action {PLAIN} {item} 2021-06-10 @nobody 补拍清晰照片")
    assert "责任人必须是该社区的工作人员：@nobody" in h.last_text(COUNTY)
    await h.send(COUNTY, f"/action {PLAIN} {item} 2021-06-10 {WORKER} 补拍清晰照片")
    assert "整改任务 #1 已创建" in h.last_text(COUNTY)


async def test_heyuan_2021_to_2023(tmp_path):
    n = len(catalog().standard(catalog().programs["heyuan-2021"].standard).questions)
    async with Harness(tmp_path / "gc.db") as h:
        _at(h, dt.date(2021, 6, 1))
        await _plain_people(h)
        await _answer_all(h, n)
        await h.submit(WORKER)
        await _send_back_and_act(h, "4.2")
        # reminded before and after the due day, each slot once
        early = dt.datetime(2021, 6, 7, 6, tzinfo=TZ)  # before the program's reminder hour
        assert await _remind(h, early) == 0
        assert await _remind(h, _at(h, dt.date(2021, 6, 7))) == 1
        assert "还有 3 天" in h.last_text(WORKER)
        assert await _remind(h, _at(h, dt.date(2021, 6, 7))) == 0  # claimed: not again
        assert await _remind(h, _at(h, dt.date(2021, 6, 11))) == 1
        assert "逾期 1 天" in h.last_text(WORKER)
        await h.send(WORKER, "/actions")
        assert "已逾期" in h.last_text(WORKER)
        await h.tap(WORKER, "#1 已整改")  # no file yet
        assert "📎 上传整改材料" in h.alerts()[-1]
        data, card = _button(h, WORKER, "修改 4.2")
        await h.press(WORKER, data, card)  # the notice turns into the item's card
        await h.send_file(WORKER, "photo", "fix1", reply_to=card)
        await h.send(WORKER, "/actions")
        await h.tap(WORKER, "#1 已整改")
        assert "等待审核确认" in h.last_text(WORKER)
        await h.send(COUNTY, "/actions")
        await h.tap(COUNTY, "#1 确认")
        assert "已确认完成" in h.last_text(COUNTY)
        status = h.db.execute("SELECT status, evidence_id IS NOT NULL FROM actions").fetchone()
        assert status == ("closed", 1)
        await h.send(COUNTY, "/export actions")  # the 整改台账
        wb = load_workbook(io.BytesIO(h.api.last("sendDocument").files["document"]))
        rows = [list(r) for r in wb["整改台账"].iter_rows(values_only=True)]
        head = next(k for k, r in enumerate(rows) if r[0] == "序号")
        assert rows[head][1:] == ["社区", "条目", "问题", "责任人", "整改期限", "状态", "完成日期",
                                  "佐证"]  # fmt: skip
        row = rows[head + 1]
        assert row[1] == PLAIN and row[2].startswith("4.2 ")  # the item's id and its words
        assert row[6:8] == ["已完成", dt.datetime(2021, 6, 11)]  # a date, not text
        assert row[8]  # the closing file
        await h.submit(WORKER)
        await _approve_all(h)
        # 2022: a new year's check, last year's answers as a draft; the 2022 target
        _at(h, dt.date(2022, 6, 1))
        await h.send(WORKER, "/check")
        _, text, _ = h.card(WORKER)
        assert "上年：" in text and "已答 0/" in text
        await h.tap(WORKER, "与上年相同")
        assert "已答 1/" in h.card(WORKER)[1]
        await h.send(ADMIN_ID, "/target")
        assert "2022 年的目标：60%（来自 2022 年方案）" in h.last_text(ADMIN_ID)
        # 2023: no target in the program: the 2022 one, with its year; then an admin's own
        _at(h, dt.date(2023, 2, 1))
        await h.send(ADMIN_ID, "/target")
        assert "2023 年的目标：60%（来自 2022 年方案）" in h.last_text(ADMIN_ID)
        await h.send(ADMIN_ID, "/target 2023 70%")
        assert "2023 年目标设为 70%" in h.last_text(ADMIN_ID)
        await h.send(WORKER, "/target 2023 90%")
        assert "只有管理员" in h.last_text(WORKER)
        # status per year: what the database holds at each year's end
        assert [_passed(h, y) for y in (2020, 2021, 2022, 2023)] == [0, 1, 1, 1]
        await h.send(ADMIN_ID, "/status 2022")  # the year switch in chat
        assert "目标 60%（2022 年方案）" in h.last_text(ADMIN_ID)
        await h.tap(ADMIN_ID, "2023 ▶")
        assert "目标 70%（2023 年" in h.last_text(ADMIN_ID)
        await h.tap(ADMIN_ID, "◀ 2022")
        await h.tap(ADMIN_ID, "◀ 2021")
        assert "目标 30%（2021 年方案）" in h.last_text(ADMIN_ID)
        await h.send(ADMIN_ID, f"/community {PLAIN} 2021")
        assert "已提交（2021-06-11）" in h.last_text(ADMIN_ID)  # the 2021 check, not 2022's
        await h.send(ADMIN_ID, f"/community {PLAIN} 2019")
        assert "未开始 · 已答 0/" in h.last_text(ADMIN_ID)  # no check that year
        await h.send(WORKER, f"/check {PLAIN} 2021")
        assert "2021 年的自查（只读）" in "\n".join(h.texts(WORKER))


async def _recognised_in_2021_then_rereviewed_in_2022(h: Harness, items: int) -> int:
    """Recognise the community in 2021 and open its 2022 check (a 复审); return 2021's check."""
    _at(h, dt.date(2021, 6, 1))
    await _people(h)
    await _answer_all(h, items)
    await h.submit(WORKER)
    first = _aid(h)
    await _approve_all(h)
    assert [r.community for r in h.app.bot_data.reviews.recognised(SYSTEM)] == [COMMUNITY]
    _at(h, dt.date(2022, 9, 1))
    await h.send(WORKER, "/check")  # recognised: this year's check is a 复审
    return first


async def test_qinhuangdao_a_failed_rereview_withdraws_recognition(tmp_path):
    program = "qinhuangdao-etdz-2021"
    std = catalog().standard(catalog().programs[program].standard)
    async with Harness(tmp_path / "gc.db", program=program) as h:
        first = await _recognised_in_2021_then_rereviewed_in_2022(h, len(std.questions))
        aid = _aid(h)
        assert h.db.execute("SELECT kind FROM assessments WHERE id = ?", [aid]).fetchone()[0] == (
            "rereview"
        )
        await h.send(ADMIN_ID, f"/withdraw {COMMUNITY} 垃圾分类设施缺失，复查不达标")
        assert "已取消" in h.last_text(ADMIN_ID)
        row = h.db.execute("SELECT reason, cause, assessment_id FROM withdrawals").fetchone()
        assert row == ("垃圾分类设施缺失，复查不达标", "admin", first)  # the recognised check
        assert h.app.bot_data.reviews.recognised(SYSTEM) == []
        assert [_passed(h, y) for y in (2021, 2022, 2023)] == [1, 0, 0]
        events = [e.action for e in h.app.bot_data.reviews.store.events(first)]
        assert events[-1] == "withdraw"


async def test_qinhuangdao_a_rereview_that_fails_its_review_withdraws_recognition_by_itself(
    tmp_path,
):
    program = "qinhuangdao-etdz-2021"
    std = catalog().standard(catalog().programs[program].standard)
    async with Harness(tmp_path / "gc.db", program=program) as h:
        await _recognised_in_2021_then_rereviewed_in_2022(h, len(std.questions))
        aid, checks = _aid(h), h.app.bot_data.checks
        for q in std.questions:  # this year every item falls to its floor: far below 80
            if q.kind != "bonus":
                checks.answer(ADMIN, aid, q.id, "met" if q.kind == "veto" else "not_met")
        await h.submit(WORKER)
        await _approve_all(h)
        cause = h.db.execute("SELECT cause FROM withdrawals").fetchone()[0]
        assert cause == "rereview_failed"
        assert h.app.bot_data.reviews.recognised(SYSTEM) == []
        assert [_passed(h, y) for y in (2021, 2022)] == [1, 0]
        assert "withdraw" in [e.action for e in h.app.bot_data.reviews.store.events(aid)]
