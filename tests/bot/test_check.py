"""The self-check in Telegram, end to end through Application.process_update."""

from __future__ import annotations

import datetime as dt

import pytest

from bot.catalog import catalog
from bot.domain.answers import PROMPT_TTL
from tests.harness import ADMIN_ID, Harness, group

WORKER = 2001
OTHER = 2002
PROGRAM_COMMUNITY = "江滨社区"  # first community of the Heyuan sample roster


@pytest.fixture
async def bot(tmp_path):
    async with Harness(tmp_path / "gc.db") as h:
        yield h


def _answer_label(buttons: list[tuple[str, str]]) -> str:
    """Pick the 'everything fine' button of a card: 符合, 满分, top bonus or 不存在."""
    labels = [b[0] for b in buttons]
    for want in ("✅ 符合", "✅ 满分", "✅ 不存在"):
        for lab in labels:
            if lab.startswith(want):
                return lab
    bonus = [lab for lab in labels if lab.startswith("+")]
    if bonus:
        return bonus[-1]
    raise AssertionError(f"no answer button in {labels}")


async def _register_worker(
    h: Harness, uid: int = WORKER, community: str = PROGRAM_COMMUNITY
) -> None:
    await h.register(uid, "worker", community)
    assert "注册成功" in h.last_text(uid)


@pytest.mark.parametrize(
    "program",
    ["heyuan-2021", "national-2020", "chuxiong-2021", "qingyang-2022", "qinhuangdao-etdz-2021"],
)
async def test_worker_registers_checks_every_item_and_submits(tmp_path, program):
    std = catalog().standard(catalog().programs[program].standard)
    async with Harness(tmp_path / "gc.db", program=program) as h:
        await _register_worker(h)
        await h.send(WORKER, "/check")
        for _ in std.questions:
            _, _, buttons = h.card(WORKER)
            await h.tap(WORKER, _answer_label(buttons))
        _, text, _ = h.card(WORKER)
        assert f"已答 {len(std.questions)}/{len(std.questions)}" in text
        await h.send(WORKER, "/gaps")
        gaps_text = h.last_text(WORKER)
        assert "未作答" not in gaps_text
        await h.send(WORKER, "/submit")
        assert "确认提交" in h.last_text(WORKER)
        await h.tap(WORKER, "✅ 确认提交")
        done = h.last_text(WORKER)
        assert "已提交" in done and "达标" in done and "未达标" not in done
        row = h.db.execute("SELECT status, answered, total, passed FROM assessments").fetchone()
        assert row == ("submitted", len(std.questions), len(std.questions), 1)
        if std.mode == "points":
            assert "100/100" in done


async def test_unknown_used_and_expired_invites_get_clear_messages(bot):
    await bot.send(WORKER, "/start nosuchcode")
    assert "邀请码无效" in bot.last_text(WORKER)
    await bot.send(ADMIN_ID, f"/invite worker {PROGRAM_COMMUNITY}")
    code = bot.invite_link_code(ADMIN_ID)
    await bot.send(WORKER, f"/join {code}")
    assert "注册成功" in bot.last_text(WORKER)
    await bot.send(OTHER, f"/start {code}")
    assert "已被使用" in bot.last_text(OTHER)
    await bot.send(ADMIN_ID, f"/invite worker {PROGRAM_COMMUNITY}")
    late = bot.invite_link_code(ADMIN_ID)
    bot.clock.advance(dt.timedelta(days=bot.settings.invite_days, seconds=1))  # it lapses
    await bot.send(OTHER, f"/start {late}")
    assert "已过期" in bot.last_text(OTHER)
    assert (
        bot.db.execute("SELECT count(*) FROM roles WHERE user_id = ?", [OTHER]).fetchone()[0] == 0
    )


async def test_invite_link_is_a_deep_link_with_the_code(bot):
    await bot.send(ADMIN_ID, "/invite contact 源城")
    text = bot.last_text(ADMIN_ID)
    assert "https://t.me/GreenCheckDemoBot?start=" in text
    code = bot.invite_link_code(ADMIN_ID)
    assert len(code) <= 64 and code.replace("-", "").replace("_", "").isalnum()
    await bot.send(OTHER, f"/start {code}")
    assert "源城区 的县区联系人" in bot.last_text(OTHER)
    await bot.send(OTHER, "/me")
    assert "源城区 县区联系人" in bot.last_text(OTHER)


async def test_non_admin_cannot_invite(bot):
    await _register_worker(bot)
    await bot.send(WORKER, "/invite admin")
    assert "仅限管理员" in bot.last_text(WORKER)


async def test_answer_moves_to_next_unanswered_and_is_stored(bot):
    await _register_worker(bot)
    await bot.send(WORKER, "/check")
    await bot.tap(WORKER, "✅ 符合")
    _, text, _ = bot.card(WORKER)
    assert "1.2" in text and "已答 1/42" in text
    row = bot.db.execute("SELECT question_id, status, user_id FROM answers").fetchone()
    assert row == ("1.1", "met", WORKER)


async def test_points_deductions_add_up_and_show_the_running_score(tmp_path):
    async with Harness(tmp_path / "gc.db", program="chuxiong-2021") as h:
        await _register_worker(h)
        await h.send(WORKER, "/check")
        mid, _, _ = h.card(WORKER)
        await h.press(WORKER, _data(h, "q:", ":8"), mid)
        _, text, _ = h.card(WORKER)
        assert "乱停车每发现1处扣1分" in text and "满分 6" in text
        await h.tap(WORKER, "a −2")
        await h.tap(WORKER, "b −1")
        _, text, buttons = h.card(WORKER)
        assert "本项 3/6" in text
        assert "当前得分 3/100" in text
        assert any(lab == "✓a −2" for lab, _ in buttons)
        # tapping the selected deduction again clears it
        await h.tap(WORKER, "✓a −2")
        _, text, _ = h.card(WORKER)
        assert "本项 5/6" in text
        row = h.db.execute(
            "SELECT status, points, deductions FROM answers WHERE question_id = '8'"
        ).fetchone()
        assert row == ("partial", 5.0, "b:1")


def _data(h: Harness, prefix: str, suffix: str) -> str:
    """Build navigation data for the chat's card from its assessment id."""
    aid = h.db.execute("SELECT id FROM assessments").fetchone()[0]
    return f"{prefix}{aid}{suffix}"


async def test_cross_community_tap_in_a_group_is_refused(bot):
    chat = group()
    await _register_worker(bot, WORKER, PROGRAM_COMMUNITY)
    second = bot.db.execute("SELECT name FROM communities ORDER BY id LIMIT 1 OFFSET 1").fetchone()[
        0
    ]
    await _register_worker(bot, OTHER, second)
    await bot.send(WORKER, "/check", chat=chat)
    mid, text, _ = bot.card(chat["id"])
    assert PROGRAM_COMMUNITY in text
    _, data = bot.button(chat["id"], "✅ 符合")
    await bot.press(OTHER, data, mid, chat)
    assert "无权限" in bot.alerts()[-1]
    assert bot.db.execute("SELECT count(*) FROM answers").fetchone()[0] == 0
    await bot.press(WORKER, data, mid, chat)
    assert bot.db.execute("SELECT count(*) FROM answers").fetchone()[0] == 1
    # the second worker's own card in the same group is their own community's
    await bot.send(OTHER, "/check", chat=chat)
    _, text, _ = bot.card(chat["id"])
    assert second in text


async def test_bind_ties_a_group_to_a_community(bot):
    chat = group(-100777)
    await bot.send(ADMIN_ID, f"/bind {PROGRAM_COMMUNITY}", chat=chat)
    assert "已绑定" in bot.last_text(chat["id"])
    await bot.send(WORKER, "/bind 源城区", chat=chat)
    assert "仅限管理员" in bot.last_text(chat["id"])
    row = bot.db.execute(
        "SELECT community_id FROM groups WHERE chat_id = ?", [chat["id"]]
    ).fetchone()
    assert row[0] is not None


@pytest.mark.parametrize(
    "data",
    [
        "zz",
        "a:999999:1.1:y",
        "a:{aid}:99.9:y",
        "a:{aid}:1.1:q",
        "q:{aid}:bonus",
        "a:{aid}:1.1:da9",
        "a:{aid}:1.1:x",
        "x" * 64,
    ],
)
async def test_forged_or_malformed_callback_data_is_refused_politely(bot, data):
    await _register_worker(bot)
    await bot.send(WORKER, "/check")
    mid, _, _ = bot.card(WORKER)
    aid = bot.db.execute("SELECT id FROM assessments").fetchone()[0]
    await bot.press(WORKER, data.format(aid=aid), mid)
    assert any(w in bot.alerts()[-1] for w in ("已失效", "不能这样作答", "没有这个条目"))
    assert bot.db.execute("SELECT count(*) FROM answers").fetchone()[0] == 0


async def test_redelivered_update_changes_nothing(bot):
    await _register_worker(bot)
    await bot.send(WORKER, "/check")
    mid, data = bot.button(WORKER, "✅ 符合")
    query = {"id": "same", "from": {"id": WORKER, "is_bot": False, "first_name": "w"},
             "chat_instance": "ci", "data": data, "message": bot.api.messages[(WORKER, mid)]}  # fmt: skip
    await bot.feed({"update_id": 424242, "callback_query": query})
    await bot.feed({"update_id": 424242, "callback_query": query})
    assert bot.db.execute("SELECT count(*) FROM answer_history").fetchone()[0] == 1
    assert bot.db.execute("SELECT answered FROM assessments").fetchone()[0] == 1


async def test_restart_between_taps_loses_nothing_and_old_buttons_work(tmp_path):
    path = tmp_path / "gc.db"
    async with Harness(path) as h:
        await _register_worker(h)
        await h.send(WORKER, "/check")
        await h.tap(WORKER, "✅ 符合")
        mid, data = h.button(WORKER, "❌ 不符合")
        old_message = h.api.messages[(WORKER, mid)]
    async with Harness(path) as h2:  # a new Application on the same file, as after kill -9
        h2.api.messages[(WORKER, mid)] = old_message
        h2.api.next_id[WORKER] = mid
        await h2.press(WORKER, data, mid)
        rows = h2.db.execute(
            "SELECT question_id, status FROM answers ORDER BY question_id"
        ).fetchall()
        assert rows == [("1.1", "met"), ("1.2", "not_met")]
        _, text, _ = h2.card(WORKER)
        assert "已答 2/42" in text


async def test_note_by_reply_is_stored_and_too_long_note_is_refused(bot):
    await _register_worker(bot)
    await bot.send(WORKER, "/check")
    await bot.tap(WORKER, "备注")
    prompt_id = max(mid for (chat, mid) in bot.api.force_replies if chat == WORKER)
    await bot.send(WORKER, "东门消防通道常被占", reply_to=prompt_id)
    assert "已保存 1.1 的备注" in bot.last_text(WORKER)
    assert (
        bot.db.execute("SELECT note FROM answers WHERE question_id = '1.1'").fetchone()[0]
        == "东门消防通道常被占"
    )
    await bot.tap(WORKER, "备注")
    prompt_id = max(mid for (chat, mid) in bot.api.force_replies if chat == WORKER)
    await bot.send(WORKER, "长" * 600, reply_to=prompt_id)
    assert "最多 500 字" in bot.last_text(WORKER)
    assert (
        bot.db.execute("SELECT note FROM answers WHERE question_id = '1.1'").fetchone()[0]
        == "东门消防通道常被占"
    )


async def test_note_in_a_group_works_by_reply_to_the_prompt(bot):
    chat = group()
    await _register_worker(bot)
    await bot.send(WORKER, "/check", chat=chat)
    await bot.tap(WORKER, "备注", chat=chat)
    prompt_text = bot.last_text(chat["id"])
    assert f"tg://user?id={WORKER}" in prompt_text
    prompt_id = max(mid for (c, mid) in bot.api.force_replies if c == chat["id"])
    await bot.send(WORKER, "群里备注", chat=chat, reply_to=prompt_id)
    assert bot.db.execute("SELECT note FROM answers").fetchone()[0] == "群里备注"


async def test_album_evidence_is_kept_whole_on_one_item(bot):
    await _register_worker(bot)
    await bot.send(WORKER, "/check")
    await bot.tap(WORKER, "材料")
    prompt_id = max(mid for (chat, mid) in bot.api.force_replies if chat == WORKER)
    before = len(bot.api.sent("sendMessage"))
    await bot.send_file(WORKER, "photo", "p1", reply_to=prompt_id, media_group_id="album1")
    await bot.send_file(WORKER, "photo", "p2", media_group_id="album1")
    await bot.send_file(WORKER, "photo", "p3", media_group_id="album1")
    rows = bot.db.execute("SELECT question_id, file_unique_id FROM evidence ORDER BY id").fetchall()
    assert rows == [("1.1", "p1"), ("1.1", "p2"), ("1.1", "p3")]
    assert len(bot.api.sent("sendMessage")) == before  # no new message for an album
    assert bot.texts(WORKER)[-1] == bot.api.messages[(WORKER, prompt_id)]["text"]  # the prompt
    assert "相册已归入 1.1" in bot.last_text(WORKER)


async def test_evidence_replied_to_the_card_attaches_to_its_item_and_clears_the_gap(bot):
    await _register_worker(bot)
    await bot.send(WORKER, "/check")
    mid, _, _ = bot.card(WORKER)
    await bot.tap(WORKER, "✅ 符合")  # 1.1 met, card now shows 1.2
    await bot.send_file(WORKER, "document", "d1", reply_to=mid)
    assert bot.db.execute("SELECT question_id FROM evidence").fetchone()[0] == "1.2"
    await bot.send(WORKER, "/gaps")
    assert "1.1 📎缺材料" in bot.last_text(WORKER)
    assert "1.2 📎缺材料" not in bot.last_text(WORKER)


async def test_unsupported_file_and_stray_text_get_a_clear_reply(bot):
    await _register_worker(bot)
    await bot.send(WORKER, "/check")
    mid, _, _ = bot.card(WORKER)
    await bot.send_file(WORKER, "video", "v1", reply_to=mid)
    assert "暂不支持" in bot.last_text(WORKER)
    await bot.send_file(WORKER, "document", "x1", reply_to=mid, file_name="setup.exe")
    assert "暂不支持" in bot.last_text(WORKER)
    await bot.send(WORKER, "符合")
    assert "请点按卡片上的按钮" in bot.last_text(WORKER)
    assert bot.db.execute("SELECT count(*) FROM evidence").fetchone()[0] == 0


async def test_submit_refuses_while_items_are_unanswered_naming_them(bot):
    await _register_worker(bot)
    await bot.send(WORKER, "/check")
    await bot.tap(WORKER, "✅ 符合")
    await bot.send(WORKER, "/submit")
    text = bot.last_text(WORKER)
    assert "41 项未作答" in text and "1.2" in text and "17.2" in text
    assert bot.db.execute("SELECT status FROM assessments").fetchone()[0] == "open"


async def test_locked_check_refuses_taps_until_an_admin_reopens_it(tmp_path):
    async with Harness(tmp_path / "gc.db", program="national-2020") as h:
        await _register_worker(h)
        await h.send(WORKER, "/check")
        mid, data = h.button(WORKER, "✅ 符合")
        for _ in range(16):
            await h.tap(WORKER, "✅ 符合")
        await h.send(WORKER, "/submit")
        await h.tap(WORKER, "✅ 确认提交")
        assert "已提交" in h.last_text(WORKER)
        await h.press(WORKER, data, mid)
        assert "已提交" in h.alerts()[-1]
        await h.send(ADMIN_ID, f"/reopen {PROGRAM_COMMUNITY}")
        assert "已重新开放" in h.last_text(ADMIN_ID)
        await h.press(WORKER, data.replace(":y", ":n"), mid)
        assert (
            h.db.execute("SELECT status FROM answers WHERE question_id = '1'").fetchone()[0]
            == "not_met"
        )


async def test_gaps_lists_reasons_and_the_projected_score(tmp_path):
    async with Harness(tmp_path / "gc.db", program="chuxiong-2021") as h:
        await _register_worker(h)
        await h.send(WORKER, "/check")
        await h.tap(WORKER, "✅ 满分")  # item 1: 6
        await h.tap(WORKER, "a −3")  # item 2: 3
        await h.send(WORKER, "/gaps")
        text = h.last_text(WORKER)
        assert "未作答 15 · 部分符合 1" in text
        assert "2 ◐部分" in text and "一、建立健全党建引领的治理机制" in text
        assert "当前得分 9" in text and "可达 97" in text and "达标线 80" in text


async def test_index_jumps_to_an_area(bot):
    await _register_worker(bot)
    await bot.send(WORKER, "/check")
    await bot.tap(WORKER, "目录")
    _, text, buttons = bot.card(WORKER)
    assert "目录" in text and len(buttons) == 6
    await bot.tap(WORKER, "五、")
    _, text, _ = bot.card(WORKER)
    assert "14.1" in text


async def test_language_switch_to_english(bot):
    await _register_worker(bot)
    await bot.send(WORKER, "/lang en")
    assert bot.last_text(WORKER) == "✅ Language set to English."
    await bot.send(WORKER, "/check")
    _, text, buttons = bot.card(WORKER)
    assert "Answered 0/42" in text
    assert "社区层面建立党建引领的基层治理机制" in text  # standard text stays as the seed wrote it
    assert any(lab == "✅ Met" for lab, _ in buttons)


async def test_unregistered_user_is_told_how_to_join(bot):
    await bot.send(3003, "/check")
    assert "还没有注册" in bot.last_text(3003)
    await bot.send(3003, "/start")
    assert "邀请链接" in bot.last_text(3003)


async def test_command_menu_is_published_per_scope_and_language(bot):
    from handlers.menus import STAFF_MENUS_JOB

    await bot.app.job_queue.get_jobs_by_name(STAFF_MENUS_JOB)[0].run(bot.app)
    calls = bot.api.sent("setMyCommands")
    scopes = {
        ((c.params.get("scope") or {}).get("type"), c.params.get("language_code")) for c in calls
    }
    assert ("all_group_chats", None) in scopes and ("all_group_chats", "en") in scopes
    assert ("all_private_chats", None) in scopes
    admin_menus = [c for c in calls if (c.params.get("scope") or {}).get("chat_id") == ADMIN_ID]
    assert admin_menus and any(
        cmd["command"] == "invite" for cmd in admin_menus[0].params["commands"]
    )


async def test_callback_data_fits_in_64_bytes_on_every_card(tmp_path):
    async with Harness(tmp_path / "gc.db", program="qinhuangdao-etdz-2021") as h:
        await _register_worker(h)
        await h.send(WORKER, "/check")
        std = catalog().standard("qinhuangdao-etdz-2021")
        mid, _, _ = h.card(WORKER)
        aid = h.db.execute("SELECT id FROM assessments").fetchone()[0]
        for q in std.questions:
            await h.press(WORKER, f"q:{aid}:{q.id}", mid)
            _, _, buttons = h.card(WORKER)
            assert all(len(data.encode()) <= 64 for _, data in buttons)
            assert all(
                len(row) <= 8
                for row in h.api.messages[(WORKER, mid)]["reply_markup"]["inline_keyboard"]
            )


async def test_redelivered_older_tap_does_not_undo_a_later_answer(bot):
    await _register_worker(bot)
    await bot.send(WORKER, "/check")
    mid, met = bot.button(WORKER, "✅ 符合")
    first = {"id": "q-old", "from": {"id": WORKER, "is_bot": False, "first_name": "w"},
             "chat_instance": "ci", "data": met, "message": bot.api.messages[(WORKER, mid)]}  # fmt: skip
    later = first | {"id": "q-new", "data": met.replace(":y", ":n")}
    await bot.feed({"update_id": 515151, "callback_query": first})
    await bot.feed({"update_id": 515152, "callback_query": later})  # the worker changes their mind
    await bot.feed({"update_id": 515151, "callback_query": first})  # Telegram redelivers
    assert (
        bot.db.execute("SELECT status FROM answers WHERE question_id = '1.1'").fetchone()[0]
        == "not_met"
    )


async def test_text_after_an_evidence_prompt_is_not_taken_as_a_note(bot):
    await _register_worker(bot)
    await bot.send(WORKER, "/check")
    await bot.tap(WORKER, "材料")
    await bot.send(WORKER, "你好")
    assert "请点按卡片上的按钮" in bot.last_text(WORKER)
    assert bot.db.execute("SELECT count(*) FROM answers WHERE note IS NOT NULL").fetchone()[0] == 0


async def test_a_stale_prompt_no_longer_catches_unreplied_files(bot):
    await _register_worker(bot)
    await bot.send(WORKER, "/check")
    await bot.tap(WORKER, "材料")
    await bot.tap(WORKER, "▶")  # the card moves on to 1.2; the prompt asked about 1.1
    bot.clock.advance(PROMPT_TTL + dt.timedelta(seconds=1))  # the prompt is stale
    await bot.send_file(WORKER, "photo", "late")  # goes to the item on the card
    prompt_id = max(mid for (chat, mid) in bot.api.force_replies if chat == WORKER)
    await bot.send_file(
        WORKER, "photo", "late2", reply_to=prompt_id
    )  # an explicit reply still works
    rows = bot.db.execute("SELECT file_unique_id, question_id FROM evidence ORDER BY id").fetchall()
    assert rows == [("late", "1.2"), ("late2", "1.1")]


async def test_ordinary_group_messages_get_no_reply(bot):
    chat = group()
    await _register_worker(bot)
    before = len(bot.api.calls)
    await bot.send_file(OTHER, "photo", "holiday", chat=chat)
    await bot.send_file(OTHER, "video", "clip", chat=chat)
    assert len(bot.api.calls) == before


async def test_invite_is_refused_in_a_group(bot):
    chat = group()
    await bot.send(ADMIN_ID, "/invite admin", chat=chat)
    assert "私聊" in bot.last_text(chat["id"])
    assert bot.db.execute("SELECT count(*) FROM invites").fetchone()[0] == 0


async def test_a_note_by_a_colleague_keeps_who_answered(bot):
    await _register_worker(bot, WORKER)
    await _register_worker(bot, OTHER)
    await bot.send(WORKER, "/check")
    await bot.tap(WORKER, "✅ 符合")  # 1.1 by WORKER
    await bot.send(OTHER, "/check")
    other_card, _, _ = bot.card(OTHER)
    aid = bot.db.execute("SELECT id FROM assessments").fetchone()[0]
    await bot.press(OTHER, f"o:{aid}:1.1", other_card)
    prompt_id = max(m for (chat, m) in bot.api.force_replies if chat == OTHER)
    await bot.send(OTHER, "同事补充的备注", reply_to=prompt_id)
    assert bot.db.execute(
        "SELECT user_id, note_by FROM answers WHERE question_id = '1.1'"
    ).fetchone() == (WORKER, OTHER)
    last = bot.db.execute(
        "SELECT user_id, note FROM answer_history ORDER BY id DESC LIMIT 1"
    ).fetchone()
    assert last == (OTHER, "同事补充的备注")


def test_fit_cuts_long_html_at_a_line_and_closes_the_pre_block():
    from handlers.common import fit

    text = (
        "<b>标题</b>\n<pre>" + "\n".join(f"行{k:04d} " + "宽" * 30 for k in range(400)) + "</pre>"
    )
    out = fit(text)
    assert len(out) <= 4096
    assert out.count("<pre>") == out.count("</pre>") == 1
    assert out.endswith("已截断）") and "行0000" in out
    assert fit("短消息") == "短消息"


async def test_an_ambiguous_name_lists_the_candidates(bot):
    await bot.send(ADMIN_ID, "/invite worker 新")
    text = bot.last_text(ADMIN_ID)
    assert "对应多个" in text and all(n in text for n in ("新风社区", "新城社区", "新塘社区"))
    await bot.send(ADMIN_ID, "/invite worker 不存在的社区")
    assert "没有找到" in bot.last_text(ADMIN_ID)
    assert bot.db.execute("SELECT count(*) FROM invites").fetchone()[0] == 0


async def test_a_redelivered_command_runs_once(bot):
    msg = {"message_id": 77, "date": 0, "chat": {"id": ADMIN_ID, "type": "private"},
           "from": {"id": ADMIN_ID, "is_bot": False, "first_name": "a"}, "text": "/invite admin",
           "entities": [{"type": "bot_command", "offset": 0, "length": 7}]}  # fmt: skip
    await bot.feed({"update_id": 626262, "message": msg})
    await bot.feed({"update_id": 626262, "message": msg})
    assert bot.db.execute("SELECT count(*) FROM invites").fetchone()[0] == 1
