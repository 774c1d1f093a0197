"""The worker's card after issues 9, 15 (1–5) and 10 (11): through Application.process_update."""

from __future__ import annotations

import json

import pytest

from bot.catalog import catalog
from tests.harness import ADMIN_ID, Harness, group

WORKER = 2001
CONTACT = 2003
COMMUNITY = "江滨社区"


async def _worker(h: Harness, uid: int = WORKER) -> None:
    await h.register(uid, "worker", COMMUNITY)
    await h.send(uid, "/check")


@pytest.fixture
async def bot(tmp_path):
    async with Harness(tmp_path / "gc.db") as h:
        await _worker(h)
        yield h


def _aid(h: Harness) -> int:
    return int(h.db.execute("SELECT id FROM assessments").fetchone()[0])


def _labels(h: Harness, uid: int = WORKER) -> list[str]:
    return [b[0] for b in h.card(uid)[2]]


async def _goto(h: Harness, qid: str, uid: int = WORKER) -> None:
    mid, _, _ = h.card(uid)
    await h.press(uid, f"q:{_aid(h)}:{qid}", mid)


def _std(program: str):
    cat = catalog()
    return cat.standard(cat.programs[program].standard)


# -- only reachable answers, N.A. with a reason, the verdict shown ---------------------


async def test_na_button_only_where_allowed_and_na_asks_for_its_reason(bot):
    assert not [x for x in _labels(bot) if "不适用" in x]  # 1.1: the seed allows no N.A.
    await _goto(bot, "17.1")
    assert "— 不适用" in _labels(bot)
    await bot.tap(WORKER, "— 不适用")
    prompt = bot.last_text(WORKER)
    assert "17.1 选了不适用" in prompt and "理由" in prompt and COMMUNITY in prompt
    await bot.send(WORKER, "/gaps")
    assert "17.1 ✏️缺不适用原因" in bot.last_text(WORKER)
    await bot.send(WORKER, "本社区无此设施")  # the fresh prompt takes the reason
    assert "已保存 17.1 的备注" in bot.last_text(WORKER)
    await bot.send(WORKER, "/gaps")
    assert "17.1" not in bot.last_text(WORKER)


@pytest.mark.parametrize(
    ("program", "data"),
    [
        ("qinhuangdao-etdz-2021", "a:{aid}:V1:p"),
        ("qinhuangdao-etdz-2021", "a:{aid}:V1:x"),
        ("qinhuangdao-etdz-2021", "a:{aid}:bonus:y"),
        ("qinhuangdao-etdz-2021", "a:{aid}:bonus:b9"),
        ("qinhuangdao-etdz-2021", "a:{aid}:15:y"),
        ("qinhuangdao-etdz-2021", "a:{aid}:1:x"),
        ("qinhuangdao-etdz-2021", "a:{aid}:15:da9"),
        ("heyuan-2021", "a:{aid}:1.1:da0"),
        ("heyuan-2021", "a:{aid}:1.1:f"),
        ("heyuan-2021", "a:{aid}:1.1:x"),
        ("chuxiong-2021", "a:{aid}:17:f"),
    ],
)
async def test_codes_the_buttons_cannot_produce_are_refused_with_an_alert(tmp_path, program, data):
    async with Harness(tmp_path / "gc.db", program=program) as h:
        await _worker(h)
        mid, _, _ = h.card(WORKER)
        await h.press(WORKER, data.format(aid=_aid(h)), mid)
        assert "不能这样作答" in h.alerts()[-1]  # a clear alert; no error handler (harness)
        assert h.db.execute("SELECT count(*) FROM answers").fetchone()[0] == 0


async def test_deductions_are_capped_at_their_part_and_the_capped_points_stored(tmp_path):
    async with Harness(tmp_path / "gc.db", program="qinhuangdao-etdz-2021") as h:
        await _worker(h)
        await _goto(h, "15")
        await h.tap(WORKER, "b −2")
        await h.tap(WORKER, "c −2")  # b and c share the 2-point 养护 part: 4 − 2, not 0
        pts = h.db.execute("SELECT points, status FROM answers WHERE question_id = '15'")
        assert pts.fetchone() == (2.0, "partial")
        assert "本项 2/4" in h.card(WORKER)[1]


async def test_a_triggered_veto_heads_the_card_the_gap_list_and_the_locked_card(tmp_path):
    std = _std("qinhuangdao-etdz-2021")
    async with Harness(tmp_path / "gc.db", program="qinhuangdao-etdz-2021") as h:
        await _worker(h)
        await _goto(h, "V1")
        await h.tap(WORKER, "❌ 存在")
        text = h.card(WORKER)[1]
        assert text.splitlines()[1] == "⛔ 否决项 V1 已触发 — 不能认定"
        assert "当前得分 0/100 · 未答项全部满分可达 100" in text
        await h.send(WORKER, "/gaps")
        assert "⛔ 否决项 V1 已触发" in h.last_text(WORKER)
        for q in std.questions:
            if q.id == "V1":
                continue
            await _goto(h, q.id)
            label = {"veto": "✅ 不存在", "bonus": "无（0 分）"}.get(q.role, "✅ 满分")
            await h.tap(WORKER, label)
        await h.send(WORKER, "/submit")
        assert "⛔ 否决项 V1 已触发" in h.last_text(WORKER)
        await h.tap(WORKER, "✅ 确认提交")
        done = h.last_text(WORKER)
        assert "未达标" in done and "触发否决项" in done
        await h.send(WORKER, "/check")
        locked = h.last_text(WORKER)
        assert "⛔ 否决项 V1 已触发" in locked and "❌ 未达标" in locked and "🔒 已提交" in locked
        assert "得分 100/100（达标线 80）" in locked  # the score as it is, with the verdict
        assert "结论：✅ 达标" not in locked


async def test_items_show_criteria_methods_departments_and_ocr_readings(tmp_path):
    async with Harness(tmp_path / "gc.db", program="qinhuangdao-etdz-2021") as h:
        await _worker(h)
        await _goto(h, "15")
        text = h.card(WORKER)[1]
        assert "考评标准：2017年以来新建居住小区绿地率应达到35%" in text
        assert "考评方式：现场查看" in text and "责任部门：" in text and "监督指导：" in text
    async with Harness(tmp_path / "cx.db", program="chuxiong-2021") as h:
        await _worker(h)
        await _goto(h, "17")
        text = h.card(WORKER)[1]
        assert "评分标准：" in text and "加14分" in text and "ℹ️ 识读：" in text
        assert "加1-4分" in text
        assert [x for x in _labels(h) if x.startswith("+")] == ["+1", "+2", "+3", "+4"]
        await _goto(h, "12")  # a rule's own reading sits under the rule, beside its buttons
        text = h.card(WORKER)[1]
        assert "a 覆盖面每降低5%扣1分，最高扣6分\n   ℹ️ 识读：以本项标准的30%为基数" in text
        assert "5%扣5分，0%扣6分" in text
        assert [x for x in _labels(h) if x.startswith("a −")] == [f"a −{k}" for k in range(1, 7)]


async def test_an_old_row_the_rules_now_refuse_shows_as_a_gap_never_a_crash(bot):
    aid = _aid(bot)
    bot.db.execute(
        "INSERT INTO answers (assessment_id, question_id, status) VALUES (?, '1.1', 'na')", [aid]
    )
    await bot.send(WORKER, "/check")
    assert "<b>1.1</b>" in bot.last_text(WORKER) and "已答 0/42" in bot.last_text(WORKER)
    await bot.send(WORKER, "/gaps")
    assert "1.1 ⚠️答案无效" in bot.last_text(WORKER)


# -- the card: answering, going back, submitting -----------------------------------


async def test_submit_asks_to_confirm_with_the_gap_count_and_cancel_keeps_it_open(tmp_path):
    async with Harness(tmp_path / "gc.db", program="national-2020") as h:
        await _worker(h)
        for _ in range(16):
            await h.tap(WORKER, "◐ 部分符合")
        await h.send(WORKER, "/submit")
        assert "还有 16 个缺项，确认提交？" in h.last_text(WORKER)
        await h.tap(WORKER, "↩ 取消")
        assert h.last_text(WORKER) == "已取消，未提交。"
        assert h.db.execute("SELECT status FROM assessments").fetchone()[0] == "open"
        await h.send(WORKER, "/submit")
        mid, data = h.button(WORKER, "✅ 确认提交")
        minute = int(data.split(":")[2])
        await h.press(WORKER, f"sy:{_aid(h)}:{minute - 11}", mid)  # asked 11 minutes ago
        assert "已过期" in h.alerts()[-1]
        assert h.db.execute("SELECT status FROM assessments").fetchone()[0] == "open"
        await h.send(WORKER, "/submit")
        await h.tap(WORKER, "✅ 确认提交")
        assert h.db.execute("SELECT status FROM assessments").fetchone()[0] == "submitted"


async def test_the_card_submit_button_confirms_then_the_card_is_read_only_but_browsable(tmp_path):
    async with Harness(tmp_path / "gc.db", program="national-2020") as h:
        await _worker(h)
        for _ in range(16):
            await h.tap(WORKER, "✅ 符合")
        await h.tap(WORKER, "📤 提交")
        mid, text, _ = h.card(WORKER)
        assert "还有 4 个缺项" in text and "缺材料 4" in text  # four items demand files
        assert h.db.execute("SELECT status FROM assessments").fetchone()[0] == "open"
        await h.tap(WORKER, "✅ 确认提交")
        assert h.db.execute("SELECT status FROM assessments").fetchone()[0] == "submitted"
        card_mid, text, buttons = h.card(WORKER)
        assert card_mid == mid and "🔒 已提交" in text
        assert [b[0] for b in buttons] == ["◀ 上一项", "📋 目录", "缺项 4", "下一项 ▶"]
        await h.tap(WORKER, "下一项 ▶")
        assert "<b>1</b>" in h.card(WORKER)[1]  # paged on, still read-only
        await h.tap(WORKER, "目录")
        assert "目录" in h.card(WORKER)[1]
        await h.tap(WORKER, "↩ 返回")
        await h.tap(WORKER, "缺项")
        assert "已于" in h.card(WORKER)[1]  # the footer says it is submitted
        await h.send(WORKER, "/gaps")
        assert "只能查看" in h.last_text(WORKER)


async def test_a_county_contact_browses_a_community_card_read_only(bot):
    await bot.tap(WORKER, "✅ 符合")
    await bot.register(CONTACT, "contact", "源城区")
    await bot.send(CONTACT, f"/check {COMMUNITY}")
    mid, text, buttons = bot.card(CONTACT)
    assert COMMUNITY in text and [b[0] for b in buttons][:1] == ["◀ 上一项"]
    assert not [b for b in buttons if "符合" in b[0] or "备注" in b[0]]
    await bot.tap(CONTACT, "下一项 ▶")
    assert "1.3" in bot.card(CONTACT)[1]
    for data in (
        f"a:{_aid(bot)}:1.3:y",
        f"s:{_aid(bot)}",
        f"sy:{_aid(bot)}:1",
        f"o:{_aid(bot)}:1.3",
    ):
        await bot.press(CONTACT, data, mid)
        assert "无权限" in bot.alerts()[-1]
    assert bot.db.execute("SELECT status FROM assessments").fetchone()[0] == "open"


async def test_the_counter_shows_answered_unanswered_and_missing_files_apart(bot):
    await bot.tap(WORKER, "✅ 符合")
    await bot.tap(WORKER, "◐ 部分符合")
    text = bot.card(WORKER)[1]
    assert "已答 2/42 · 未答 40 · 缺材料 2" in text


async def test_unknown_commands_get_a_reply_and_known_ones_still_work(bot):
    await bot.send(WORKER, "/foo")
    assert bot.last_text(WORKER) == "/foo：未知命令，发送 /help 查看可用命令。"
    await bot.send(WORKER, "/help")
    assert "未知命令" not in bot.last_text(WORKER)
    chat = group()
    before = len(bot.texts(chat["id"]))
    await bot.send(WORKER, "/foo", chat=chat)  # perhaps for another bot: silence
    await bot.send(WORKER, "/foo@OtherBot", chat=chat)
    assert len(bot.texts(chat["id"])) == before
    await bot.send(WORKER, "/foo@GreenCheckDemoBot", chat=chat)
    assert "未知命令" in bot.last_text(chat["id"])


async def test_the_gaps_footer_follows_the_state(tmp_path):
    async with Harness(tmp_path / "gc.db", program="national-2020") as h:
        await _worker(h)
        await h.send(WORKER, "/gaps")
        assert "还有 16 项未答" in h.last_text(WORKER)
        for _ in range(16):
            await h.tap(WORKER, "✅ 符合")
        await h.send(WORKER, "/gaps")
        assert "全部已作答，可以 /submit 提交" in h.last_text(WORKER)


async def test_notes_replace_visibly_can_be_cleared_and_a_used_prompt_says_so(bot):
    await bot.tap(WORKER, "✏️ 备注")
    prompt = bot.api.sent("sendMessage")[-1]
    assert COMMUNITY in prompt.params["text"] and "1.1" in prompt.params["text"]
    prompt_id = max(mid for (cid, mid) in bot.api.messages if cid == WORKER)
    await bot.send(WORKER, "东门", reply_to=prompt_id)
    assert "已保存 1.1 的备注" in bot.last_text(WORKER)
    await bot.send(WORKER, "西门", reply_to=prompt_id)  # the used prompt again
    assert "已用过" in bot.last_text(WORKER)
    chat = group()
    await bot.send(ADMIN_ID, "/gaps 江滨社区", chat=chat)
    listing = max(mid for (cid, mid) in bot.api.messages if cid == chat["id"])
    before = len(bot.texts(chat["id"]))
    await bot.send(WORKER, "收到", chat=chat, reply_to=listing)  # chatter, not a note
    assert len(bot.texts(chat["id"])) == before
    await bot.tap(WORKER, "✏️ 备注")
    assert "当前备注：东门" in bot.last_text(WORKER)
    await bot.send(WORKER, "西门")
    assert "已替换 1.1 的备注（原备注：东门）" in bot.last_text(WORKER)
    await bot.tap(WORKER, "✏️ 备注")
    await bot.send(WORKER, "清除")
    assert "已清除 1.1 的备注" in bot.last_text(WORKER)
    note = bot.db.execute("SELECT note FROM answers WHERE question_id = '1.1'").fetchone()[0]
    assert note is None


async def test_the_index_cuts_long_area_names_with_an_ellipsis(bot):
    await bot.tap(WORKER, "目录")
    areas = [x for x in _labels(bot) if "、" in x]
    assert any("…" in x for x in areas)


async def test_the_in_card_gap_list_pages(bot):
    await bot.tap(WORKER, "缺项")
    first = [x for x in _labels(bot) if x[0].isdigit()]
    assert len(first) == 6 and "第 1/7 页" in _labels(bot)
    await bot.tap(WORKER, "下一页")
    second = [x for x in _labels(bot) if x[0].isdigit()]
    assert len(second) == 6 and not set(first) & set(second)
    assert "第 2/7 页" in _labels(bot)


async def test_after_a_deduction_done_sits_where_next_was_and_navigation_never_moves(tmp_path):
    async with Harness(tmp_path / "gc.db", program="chuxiong-2021") as h:
        await _worker(h)
        fixed = _labels(h)[:6]
        assert fixed[0] == "◀ 上一项" and fixed[3] == "下一项 ▶" and fixed[4] == "📎 材料"
        await h.tap(WORKER, "✅ 满分")  # item 1 → item 2
        assert [x.split(" ")[0] for x in _labels(h)[:6]] == [x.split(" ")[0] for x in fixed]
        await h.tap(WORKER, "a −3")  # the card stays on item 2
        labels = _labels(h)
        assert labels[3] == "完成本项 ▶" and "<b>2</b>" in h.card(WORKER)[1]
        await h.tap(WORKER, "完成本项 ▶")
        assert "<b>3</b>" in h.card(WORKER)[1]


# -- stale and redelivered taps ------------------------------------------


async def test_a_tap_on_a_card_whose_message_is_gone_sends_a_fresh_card(bot):
    mid, data = bot.button(WORKER, "✅ 符合")
    del bot.api.messages[(WORKER, mid)]
    await bot.press(WORKER, data, mid)
    assert bot.alerts()[-1] == "已保存"
    new_mid, text, _ = bot.card(WORKER)
    assert new_mid != mid and "1.2" in text
    await bot.tap(WORKER, "✅ 符合")  # the fresh card works
    assert bot.db.execute("SELECT count(*) FROM answers").fetchone()[0] == 2


async def test_a_redelivered_tap_is_answered(bot):
    mid, data = bot.button(WORKER, "下一项")
    message = bot.api.messages[(WORKER, mid)]
    for kind in (data, bot.button(WORKER, "✅ 符合")[1]):
        query = {"id": f"r-{kind}", "from": {"id": WORKER, "is_bot": False, "first_name": "w"},
                 "chat_instance": "ci", "data": kind, "message": message}  # fmt: skip
        before = len(bot.api.sent("answerCallbackQuery"))
        update_id = 777000 + len(kind)
        await bot.feed({"update_id": update_id, "callback_query": query})
        await bot.feed({"update_id": update_id, "callback_query": query})
        assert len(bot.api.sent("answerCallbackQuery")) == before + 2


async def test_an_admin_picking_a_community_that_does_not_exist_gets_an_alert(bot):
    for data in ("c:0", "c:99999"):
        await bot.press(ADMIN_ID, data, 1)
        assert "已失效" in bot.alerts()[-1]
    assert bot.db.execute("SELECT count(*) FROM assessments").fetchone()[0] == 1


async def test_a_whole_guangdong_check_survives_an_accidental_submit_tap(tmp_path):
    """42 answers, one stray 📤, and nothing is submitted or lost."""
    async with Harness(tmp_path / "gc.db") as h:  # heyuan-2021: the Guangdong requirements
        await _worker(h)
        for _ in range(42):
            await h.tap(WORKER, "✅ 符合")
        answered = "SELECT count(*) FROM answers WHERE status = 'met'"
        assert h.db.execute(answered).fetchone()[0] == 42
        await h.tap(WORKER, "📤 提交")  # the mis-tap: a confirmation, not a submit
        assert "确认提交" in h.last_text(WORKER) and "缺项" in h.last_text(WORKER)
        assert h.db.execute("SELECT status FROM assessments").fetchone()[0] == "open"
        await h.tap(WORKER, "↩ 取消")
        assert h.db.execute("SELECT status FROM assessments").fetchone()[0] == "open"
        assert h.db.execute(answered).fetchone()[0] == 42


async def test_qinhuangdaos_bonus_counts_only_once_its_evidence_is_attached(
    tmp_path, monkeypatch, capsys
):
    # 加分项: "可加分，最高加3分，需提供佐证材料": the card, /gaps and `standards score` agree
    from tests.harness import cli

    std = _std("qinhuangdao-etdz-2021")
    async with Harness(tmp_path / "gc.db", program="qinhuangdao-etdz-2021") as h:
        await _worker(h)
        await _goto(h, "5")
        await h.tap(WORKER, "a −3")  # 97 from the items once all are met
        for q in std.questions:
            if q.id not in ("5", "bonus"):
                await _goto(h, q.id)
                await h.tap(WORKER, "✅ 不存在" if q.role == "veto" else "✅ 满分")
        await _goto(h, "bonus")
        await h.tap(WORKER, "+3")
        card = h.card(WORKER)[1]
        assert "当前得分 97/100 · 未答项全部满分可达 100" in card
        assert "需提供佐证材料：未附材料，暂不计分" in card
        await h.send(WORKER, "/gaps")
        gaps = h.last_text(WORKER)
        assert "bonus 📎缺材料" in gaps and "需要：命名或表彰的证书、文件（附上后计 +3 分）" in gaps
        await _goto(h, "bonus")
        await h.send_file(WORKER, "photo", "award", reply_to=h.card(WORKER)[0])
        await h.send(WORKER, "/check")
        card = h.card(WORKER)[1]
        assert "当前得分 100/100" in card and "暂不计分" not in card
    answers = {q.id: {"status": "met", "evidence": 1} for q in std.questions}
    answers["5"] = {"status": "partial", "deductions": {"a": 3}, "evidence": 1}
    answers["bonus"] = {"status": "met", "points": 3}
    path = tmp_path / "answers.json"
    path.write_text(json.dumps(answers), encoding="utf-8")
    assert cli(["standards", "score", std.id, str(path), "--json"]) == 0
    shown = json.loads(capsys.readouterr().out)
    assert (shown["score"], shown["projected_score"]) == (97, 100)
    assert {"id": "bonus", "status": "met", "points": 0.0, "max_points": 3.0} in shown["items"]
    assert [g["uncounted"] for g in shown["gaps"] if g["id"] == "bonus"] == [3]
    answers["bonus"]["evidence"] = 1
    path.write_text(json.dumps(answers), encoding="utf-8")
    assert cli(["standards", "score", std.id, str(path)]) == 0
    assert "100" in capsys.readouterr().out.splitlines()[0]
