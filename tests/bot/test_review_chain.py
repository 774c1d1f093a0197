"""The review chain end to end through process_update: each program's declared stages."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
from openpyxl import load_workbook

from bot.catalog import catalog
from bot.domain.access import Principal
from bot.services.reviews import figure
from bot.texts import t
from handlers import callbacks
from tests.harness import ADMIN_ID, Harness

ADMIN_PRINCIPAL = Principal(ADMIN_ID, admin=True)

WORKER, STREET, OTHER_STREET, COUNTY, OTHER_COUNTY = 3001, 3002, 3003, 3004, 3005
COMMUNITY = "江滨社区"  # 源城区 · 新江街道 in the sample roster


async def _people(h: Harness) -> None:
    await h.register(WORKER, "worker", COMMUNITY)
    await h.register(STREET, "street", "新江街道")
    assert "街道审核员" in h.last_text(STREET)
    await h.register(OTHER_STREET, "street", "源西街道")
    await h.register(COUNTY, "contact", "源城区")
    await h.register(OTHER_COUNTY, "contact", "东源县")


def _fine(buttons: list[tuple[str, str]]) -> str:
    for want in ("✅ 符合", "✅ 满分", "✅ 不存在"):
        for label, _ in buttons:
            if label.startswith(want):
                return label
    plus = [b[0] for b in buttons if b[0].startswith("+")]
    return plus[-1]


async def _answer_all(h: Harness, n: int, worker: int = WORKER) -> None:
    await h.send(worker, "/check")
    for _ in range(n):
        _, _, buttons = h.card(worker)
        await h.tap(worker, _fine(buttons))


def _aid(h: Harness) -> int:
    return int(h.db.execute("SELECT id FROM assessments").fetchone()[0])


def _review(h: Harness) -> tuple[str, str]:
    return h.db.execute("SELECT stage, state FROM reviews").fetchone()


async def _reply_to_prompt(h: Harness, uid: int, text: str) -> None:
    prompt = max(m for (c, m) in h.api.messages if c == uid)
    await h.send(uid, text, reply_to=prompt)


async def test_the_whole_heyuan_chain(tmp_path):
    program = catalog().programs["heyuan-2021"]
    std, names = catalog().standard(program.standard), [s.name for s in program.chain.stages]
    async with Harness(tmp_path / "gc.db") as h:
        await _people(h)
        await _answer_all(h, len(std.questions))
        await h.submit(WORKER)
        aid = _aid(h)
        # submit hands over to the street only: notice with 查看 · 通过 · 退回
        notice = h.last_text(STREET)
        assert COMMUNITY in notice and "自评" in notice and names[1] in notice
        assert "核定结论：✅ 达标" in notice
        assert [b[0] for b in h.card(STREET)[2]] == ["🔍 查看", "✅ 通过", "↩️ 退回"]
        assert not any(COMMUNITY in x for x in h.texts(OTHER_STREET)[1:])
        await h.send(OTHER_STREET, "/review")
        assert "没有待您审核" in h.last_text(OTHER_STREET)
        # a worker can never approve
        await h.press(WORKER, callbacks.encode("rv:y", aid, 1), 1)
        assert "无权" in h.alerts()[-1] and _review(h) == (names[1], "waiting")
        # street: comment on 4.2 and send back with a reason
        await h.send(STREET, "/review")
        assert "已等待 0 天" in h.last_text(STREET)
        await h.tap(STREET, COMMUNITY)
        mid, _, _ = h.card(STREET)
        await h.press(STREET, callbacks.encode("rv:q", aid, "4.2", "a"), mid)
        assert "<b>4.2</b>" in h.card(STREET)[1]
        await h.tap(STREET, "意见")
        await _reply_to_prompt(h, STREET, "照片看不清")
        assert "已记录" in h.last_text(STREET)
        await h.tap(STREET, "退回")
        await _reply_to_prompt(h, STREET, "请补充材料")
        assert "重新开放 1 项" in h.last_text(STREET)
        back = h.last_text(WORKER)
        assert "请补充材料" in back and "4.2：照片看不清" in back
        assert h.db.execute("SELECT status FROM assessments").fetchone() == ("open",)
        # the worker may change only the reopened item
        first = std.questions[0].id
        await h.press(WORKER, callbacks.encode("a", aid, first, "n"), 1)
        assert h.alerts()[-1] == t("zh", "not_reopened")
        await h.tap(WORKER, "修改 4.2")
        assert "4.2" in h.card(WORKER)[1] and "照片看不清" in h.card(WORKER)[1]
        await h.tap(WORKER, "✅ 符合")
        before = h.db.execute("SELECT question_id, status FROM answers ORDER BY 1").fetchall()
        await h.submit(WORKER)
        assert "重新提交" in h.last_text(STREET) and _review(h) == (names[1], "waiting")
        # street approves: the county is told
        await h.tap(STREET, "通过")
        assert _review(h) == (names[2], "waiting") and names[2] in h.last_text(COUNTY)
        assert not any(COMMUNITY in x for x in h.texts(OTHER_COUNTY)[1:])
        # the county marks an item not met: 通过 warns and names it; it confirms
        await h.tap(COUNTY, "查看")
        mid, _, _ = h.card(COUNTY)
        await h.press(COUNTY, callbacks.encode("rv:q", aid, first, "a"), mid)
        worse = next(b for b in h.card(COUNTY)[2] if b[0].startswith("❌"))
        await h.press(COUNTY, worse[1], mid)
        assert "已核定 1/" in h.card(COUNTY)[1] and f"未达标（{first}）" in h.card(COUNTY)[1]
        await h.tap(COUNTY, "通过")
        assert "仍在" in h.card(COUNTY)[1] and _review(h) == (names[2], "waiting")
        await h.tap(COUNTY, "仍然通过")
        assert _review(h) == (names[3], "waiting")
        # the city cannot recognise a failing check: it names the item
        await h.tap(ADMIN_ID, "通过")
        assert "不能认定" in h.alerts()[-1] and first in h.alerts()[-1]
        assert _review(h) == (names[3], "waiting")
        # the city checks on site: the item is met after all; now it recognises
        await h.tap(ADMIN_ID, "查看")
        mid, _, _ = h.card(ADMIN_ID)
        await h.press(ADMIN_ID, callbacks.encode("rv:q", aid, first, "a"), mid)
        await h.tap(ADMIN_ID, "✅ 符合")
        await h.tap(ADMIN_ID, "通过")
        assert _review(h) == ("公示", "waiting")
        recognised = h.db.execute("SELECT recognised_at FROM reviews").fetchone()[0]
        assert recognised
        # 公示, 公布, 授牌: recorded by the city, from the notice or with /publish
        await h.send(ADMIN_ID, "/review")
        assert "公示" in h.last_text(ADMIN_ID)
        await h.tap(ADMIN_ID, COMMUNITY)
        await h.tap(ADMIN_ID, "记录公示")  # the seed prints no length: the city gives it
        assert _review(h) == ("公示", "waiting") and "天数" in h.last_text(ADMIN_ID)
        await h.send(ADMIN_ID, "7", reply_to=max(m for (c, m) in h.api.messages if c == ADMIN_ID))
        assert _review(h) == ("公布", "waiting")
        assert any("公示期" in x for x in h.texts(ADMIN_ID)[-2:])
        await h.send(ADMIN_ID, f"/publish {COMMUNITY}")  # the period runs: refused
        assert _review(h) == ("公布", "waiting") and "期满后" in h.last_text(ADMIN_ID)
        h.clock.advance(dt.timedelta(days=7))
        await h.send(ADMIN_ID, f"/publish {COMMUNITY}")
        await h.send(ADMIN_ID, f"/publish {COMMUNITY}")
        assert _review(h) == ("授牌", "done")
        await h.send(ADMIN_ID, f"/publish {COMMUNITY}")
        assert "不在待公示" in h.last_text(ADMIN_ID)
        after = h.db.execute("SELECT question_id, status FROM answers ORDER BY 1").fetchall()
        assert after == before  # nothing the worker answered was lost
        await h.send(ADMIN_ID, f"/history {COMMUNITY}")
        hist = h.last_text(ADMIN_ID)
        for word in ("提交", "意见", "退回", "通过", "核定"):
            assert word in hist
        actions = [r[0] for r in h.db.execute("SELECT action FROM review_events ORDER BY id")]
        assert actions[:4] == ["submit", "comment", "send_back", "submit"]
        assert actions[-1] == "complete"
        await h.send(ADMIN_ID, f"/community {COMMUNITY}")
        assert "审核核定" in h.last_text(ADMIN_ID)
        await h.send(ADMIN_ID, "/status")
        assert "审核进度" in h.last_text(ADMIN_ID) and "已认定 1" in h.last_text(ADMIN_ID)
        # the list for public notice and the history sheet
        d = h.app.bot_data.reviews.current(aid)
        await h.send(ADMIN_ID, "/export recognised")
        wb = load_workbook(io.BytesIO(h.api.last("sendDocument").files["document"]))
        listed = _table(wb["认定名单"], "序号")
        assert len(listed) == 1 and listed[0][1] == COMMUNITY and listed[0][6]
        points = d.view.result.mode == "points"
        shown = [f"{figure(r):g} 分" if points else f"符合 {figure(r):g}/{d.view.result.total} 项"
                 for r in (d.view.result, d.merged)]  # fmt: skip
        assert listed[0][4:6] == shown  # results as they read, never a bare count
        period = [c.date() for c in listed[0][7:9]]  # the 公示 list shows the period, as dates
        assert period == [dt.date(2026, 11, 20), dt.date(2026, 11, 26)]
        logged = [r[3] for r in _table(wb["审核记录"], "社区")]
        assert logged == [t("zh", f"rv_action_{a}") for a in actions]  # labels, never codes
        await h.send(ADMIN_ID, "/chart stages")
        assert h.api.last("sendPhoto").files["photo"][:4] == b"\x89PNG"
        for outsider in (OTHER_STREET, OTHER_COUNTY):  # they cannot open the card
            await h.press(outsider, callbacks.encode("rv:o", aid), 1)
            assert "无权" in h.alerts()[-1]


# -- every program with a chain, walked from its declared stages -------------------------------

FIRST = {  # the first community of each sample roster: its county and street
    "heyuan-2021": ("江滨社区", "源城区", "新江街道"),
    "qinhuangdao-etdz-2021": ("海滨社区", "秦皇岛经济技术开发区", "珠江道街道"),
    "chuxiong-2021": ("龙川社区", "楚雄市", "鹿城镇"),
    "qingyang-2022": ("梅岭社区", "晋江市", "青阳街道"),
}
ACTOR = {"street": STREET, "county": COUNTY, "city": ADMIN_ID}


async def _staff(h: Harness, program: str) -> str:
    community, county, street = FIRST[program]
    await h.register(WORKER, "worker", community)
    await h.register(STREET, "street", street)
    await h.register(COUNTY, "contact", county)
    return community


async def _pass_stage(h: Harness, actor: int) -> None:
    """The stage's actor taps 通过 (or 记录…) on the newest notice in their chat. Recording a
    公示 asks for its days (one, replied to the prompt); 公布 waits for the day after."""
    labels = [b[0] for b in h.card(actor)[2]]
    if "✅ 通过" in labels:
        await h.tap(actor, "通过")
        return
    publicity = any("公示" in label for label in labels)
    await h.tap(actor, "记录")
    if publicity:
        await h.send(actor, "1", reply_to=max(m for (c, m) in h.api.messages if c == actor))
        h.clock.advance(dt.timedelta(days=1))


def _answer(h: Harness, program: str, failing: tuple[str, ...]) -> int:
    """Through the check service: every item met (full marks), the `failing` ones not met (a
    veto: present); return the check's id."""
    checks, community = h.app.bot_data.checks, FIRST[program][0]
    cid = h.db.execute("SELECT id FROM communities WHERE name = ?", [community]).fetchone()[0]
    a = checks.start(cid)
    for q in checks.standard_for(a).questions:
        if q.role != "bonus":
            status = "not_met" if q.id in failing else "met"
            checks.answer(ADMIN_PRINCIPAL, a.id, q.id, status)
    return a.id


@pytest.mark.parametrize(
    ("program", "failing"),
    [
        ("heyuan-2021", ("1.3",)),
        ("qinhuangdao-etdz-2021", ("V1",)),  # a triggered veto: 不能被认定绿色社区
        ("chuxiong-2021", ("1", "2", "4")),  # 78 of 100: below the 80 line
        ("qingyang-2022", ("3",)),
    ],
)
async def test_each_program_walks_its_declared_stages(tmp_path, program, failing):
    chain = catalog().programs[program].chain
    async with Harness(tmp_path / "gc.db", program=program, roster=program) as h:
        community = await _staff(h, program)
        aid = _answer(h, program, failing)
        await h.submit(WORKER)
        # each stage's actor gets the notice and acts on it, with the program's sample roster;
        # a stage that attests refuses the failing check, naming the item; others ask first
        for stage in chain.stages[1:]:
            actor = ACTOR[stage.actor]
            assert _review(h) == (stage.name, "waiting")
            assert community in h.last_text(actor) and stage.name in h.last_text(actor)
            await h.tap(actor, "通过")
            if stage.attests:
                assert failing[0] in h.alerts()[-1] and _review(h) == (stage.name, "waiting")
                break
            assert failing[0] in h.card(actor)[1]  # the warning names what fails
            await h.tap(actor, "仍然通过")
        assert h.db.execute("SELECT count(*) FROM verdicts").fetchone()[0] == 0
        # reopened and fixed, the check passes every stage and counts
        await h.send(ADMIN_ID, f"/reopen {community}")
        for qid in failing:
            h.app.bot_data.checks.answer(ADMIN_PRINCIPAL, aid, qid, "met")
        await h.submit(WORKER)
        while (row := _review(h)) is not None and row[1] == "waiting":
            stage = chain.named(row[0])
            assert stage is not None
            await _pass_stage(h, ACTOR[stage.actor])
        assert _review(h)[1] == "done"
        kinds = [k for (k,) in h.db.execute("SELECT kind FROM verdicts")]
        assert kinds == ["recognised" if chain.recognising else "verified"]


async def test_two_admins_and_three_taps_on_one_notice_move_the_check_one_stage(tmp_path):
    std = catalog().standard(catalog().programs["heyuan-2021"].standard)
    async with Harness(tmp_path / "gc.db") as h:
        await _people(h)
        await h.register(7, "admin")
        await _answer_all(h, len(std.questions))
        await h.submit(WORKER)
        await h.tap(STREET, "通过")
        await h.tap(COUNTY, "通过")
        assert _review(h)[0] == "市级认定"
        mids = {uid: h.card(uid)[0] for uid in (ADMIN_ID, 7)}
        data = h.button(ADMIN_ID, "通过")[1]
        for _ in range(3):
            await h.press(ADMIN_ID, data, mids[ADMIN_ID])
        await h.press(7, data, mids[7])
        assert _review(h) == ("公示", "waiting")
        approvals = h.db.execute(
            "SELECT count(*) FROM review_events WHERE stage = '市级认定' AND action = 'approve'"
        )
        assert approvals.fetchone()[0] == 1
        assert "已由" in h.alerts()[-1] and "通过" in h.alerts()[-1]


def _table(ws: Any, first: str) -> list[list[Any]]:
    """The rows under a sheet's header row (the one whose first cell is `first`)."""
    rows = [list(r) for r in ws.iter_rows(values_only=True)]
    return rows[next(k for k, r in enumerate(rows) if r[0] == first) + 1 :]
