"""Status, files and charts in chat, with each role's access rules, via process_update."""

from __future__ import annotations

import io

import pytest
from docx import Document
from openpyxl import load_workbook
from PIL import Image

from bot.files.forms import fields_of
from tests.harness import ADMIN_ID, Harness

WORKER = 2001
CONTACT = 3001


@pytest.fixture
async def bot(tmp_path):
    async with Harness(tmp_path / "gc.db") as h:
        await h.register(WORKER, "worker", "江滨社区")
        await h.register(CONTACT, "contact", "龙川县")
        await h.send(WORKER, "/check")
        for _ in range(3):
            await h.tap(WORKER, "✅ 符合")
        yield h


def _county_counts(h: Harness) -> dict[str, tuple[int, int]]:
    """Communities and started checks per county, counted in plain Python."""
    comms = h.db.execute(
        "SELECT c.id, co.name FROM communities c JOIN counties co ON co.id = c.county_id"
    ).fetchall()
    started = {
        r[0] for r in h.db.execute("SELECT community_id FROM assessments WHERE answered > 0")
    }
    out: dict[str, tuple[int, int]] = {}
    for cid, county in comms:
        n, s = out.get(county, (0, 0))
        out[county] = (n + 1, s + (cid in started))
    return out


async def test_admin_status_shows_every_county_with_the_databases_numbers(bot):
    await bot.send(ADMIN_ID, "/status")
    text = bot.last_text(ADMIN_ID)
    assert "<pre>" in text and "合计" in text
    for county, (n, started) in _county_counts(bot).items():
        line = next(ln for ln in text.splitlines() if ln.startswith(county))
        cells = line.split()
        assert cells[1] == str(n) and cells[2] == str(started), line
    total = next(ln for ln in text.splitlines() if ln.startswith("合计")).split()
    assert total[1] == "95" and total[2] == "1"


async def test_county_status_pages_with_buttons(bot):
    await bot.send(ADMIN_ID, "/status 源城")
    mid, text, _ = bot.card(ADMIN_ID)
    assert "源城区 · 社区 44" in text and "第 1/3 页" in text
    await bot.tap(ADMIN_ID, "下一页")
    _, text, _ = bot.card(ADMIN_ID)
    assert "第 2/3 页" in text
    assert bot.card(ADMIN_ID)[0] == mid  # edited in place


async def test_contact_sees_only_their_county(bot):
    await bot.send(CONTACT, "/status")
    text = bot.last_text(CONTACT)
    assert "龙川县 · 社区 15" in text and "江滨社区" not in text
    await bot.send(CONTACT, "/status 源城区")
    assert "无权查看" in bot.last_text(CONTACT)
    await bot.send(CONTACT, "/community 江滨社区")
    assert "无权查看" in bot.last_text(CONTACT)


async def test_worker_sees_only_their_community(bot):
    await bot.send(WORKER, "/status")
    text = bot.last_text(WORKER)
    assert "江滨社区" in text and "3/42" in text
    other = bot.db.execute("SELECT name FROM communities WHERE id = 2").fetchone()[0]
    await bot.send(WORKER, f"/community {other}")
    assert "无权查看" in bot.last_text(WORKER)
    await bot.send(WORKER, "/export progress")
    assert "仅限管理员" in bot.last_text(WORKER)


async def test_community_detail_names_who_answered(bot):
    await bot.send(ADMIN_ID, "/community 江滨")
    text = bot.last_text(ADMIN_ID)
    assert "江滨社区" in text and "用户2001" in text


async def test_ambiguous_name_lists_candidates(bot):
    await bot.send(ADMIN_ID, "/community 新")
    text = bot.last_text(ADMIN_ID)
    assert "不唯一" in text or "找不到" in text


async def test_missing_lists_not_started_communities(bot):
    await bot.send(ADMIN_ID, "/missing")
    text = bot.last_text(ADMIN_ID)
    assert "尚未开始自查的社区（94）" in text and "江滨社区" not in text


async def test_export_progress_is_a_real_xlsx_with_the_counts(bot):
    await bot.send(ADMIN_ID, "/export progress")
    call = bot.api.last("sendDocument")
    wb = load_workbook(io.BytesIO(call.files["document"]))
    values = [
        c for row in wb.worksheets[0].iter_rows(values_only=True) for c in row if c is not None
    ]
    assert "社区总数量（个）" in "".join(str(v) for v in values) or any(
        "社区总数" in str(v) for v in values
    )
    assert 95 in values  # the total row holds all communities


async def test_contact_export_is_limited_to_their_county(bot):
    await bot.send(CONTACT, "/export progress")
    wb = load_workbook(io.BytesIO(bot.api.last("sendDocument").files["document"]))
    text = " ".join(
        str(c) for row in wb.worksheets[0].iter_rows(values_only=True) for c in row if c
    )
    assert "龙川县" in text and "源城区" not in text


async def test_form_is_a_docx_with_the_community(bot):
    await bot.send(ADMIN_ID, "/form 江滨社区")
    doc = Document(io.BytesIO(bot.api.last("sendDocument").files["document"]))
    body = "\n".join(p.text for p in doc.paragraphs) + "".join(
        c.text for t in doc.tables for r in t.rows for c in r.cells
    )
    assert "绿色社区申报表" in body and "江滨社区" in body


async def test_chart_is_a_png(bot):
    await bot.send(ADMIN_ID, "/chart")
    img = Image.open(io.BytesIO(bot.api.last("sendPhoto").files["photo"]))
    assert img.format == "PNG" and img.size[0] > 600


async def test_status_buttons_send_the_chart_and_the_export(bot):
    await bot.send(ADMIN_ID, "/status")
    await bot.tap(ADMIN_ID, "图表")
    assert bot.api.sent("sendPhoto")
    await bot.tap(ADMIN_ID, "导出进度表")
    assert bot.api.sent("sendDocument")


async def test_unregistered_user_gets_no_status(bot):
    await bot.send(4004, "/status")
    assert "还没有注册" in bot.last_text(4004)


async def test_status_toggles_to_every_column_the_issue_lists(bot):
    await bot.send(ADMIN_ID, "/status")
    await bot.tap(ADMIN_ID, "全部列")
    _, text, _ = bot.card(ADMIN_ID)
    for title in ("原宜居", "原绿色", "计划", "开始", "提交", "达标", "参与率", "完成率"):
        assert title in text
    total = next(ln for ln in text.splitlines() if ln.startswith("合计")).split()
    assert total[1:4] == ["95", "92", "0"]  # communities, former 宜居, former 绿色
    await bot.tap(ADMIN_ID, "精简表")
    _, text, _ = bot.card(ADMIN_ID)
    assert "参与率 " in text and "原宜居 92" in text


# -- in English (/lang en): every status view, its buttons and its errors --------------------------

ALLOWED_TAGS = {"b", "i", "u", "s", "code", "pre", "a", "blockquote"}
CHINESE_LABELS = ("合计", "页", "未开始", "已提交", "进行中", "缺项", "另", "未显示")
CHINESE_LABELS += ("无权查看", "找不到", "不唯一", "作答人", "最近", "参与率", "完成率")


def valid_telegram_html(text: str) -> bool:
    """Only the tags Telegram accepts, each closed in order; `&` only as an entity."""
    import re

    stack: list[str] = []
    for closing, name in re.findall(r"<(/?)([^\s>/]*)[^>]*>", text):
        if name not in ALLOWED_TAGS:
            return False
        if not closing:
            stack.append(name)
        elif not stack or stack.pop() != name:
            return False
    bare_amp = re.search(r"&(?!(?:lt|gt|amp|quot|#\d+|#x[0-9a-fA-F]+);)", text)
    return not stack and bare_amp is None


def english(text: str) -> None:
    assert valid_telegram_html(text), text
    assert not any(label in text for label in CHINESE_LABELS), text


@pytest.fixture
async def en(bot):
    for uid in (ADMIN_ID, CONTACT, WORKER):
        await bot.send(uid, "/lang en")
    return bot


async def test_english_county_table_and_its_buttons(en):
    await en.send(ADMIN_ID, "/status")
    text = en.last_text(ADMIN_ID)
    english(text)
    assert "green community progress" in text and "Total" in text and "<pre>" in text
    total = next(ln for ln in text.splitlines() if ln.startswith("Total")).split()
    assert total[1] == "95" and total[2] == "1"
    await en.tap(ADMIN_ID, "All columns")
    _, text, buttons = en.card(ADMIN_ID)
    english(text)
    assert "Partic." in text and "Compact table" in {b[0].split(" ", 1)[1] for b in buttons}
    await en.tap(ADMIN_ID, "Compact table")
    english(en.card(ADMIN_ID)[1])


async def test_english_county_pages(en):
    await en.send(ADMIN_ID, "/status 源城")
    mid, text, _ = en.card(ADMIN_ID)
    english(text)
    assert "源城区 · communities 44" in text and "page 1/3" in text
    await en.tap(ADMIN_ID, "Next")
    got, text, _ = en.card(ADMIN_ID)
    english(text)
    assert got == mid and "page 2/3" in text
    await en.tap(ADMIN_ID, "Prev")
    assert "page 1/3" in en.card(ADMIN_ID)[1]


async def test_english_missing_and_its_pages(en):
    await en.send(ADMIN_ID, "/missing")
    text = en.last_text(ADMIN_ID)
    english(text)
    assert "Communities not started (94)" in text and "page 1/5" in text
    await en.tap(ADMIN_ID, "Next")
    text = en.card(ADMIN_ID)[1]
    english(text)
    assert "page 2/5" in text
    await en.send(ADMIN_ID, "/status 龙川")
    await en.tap(ADMIN_ID, "Not started")  # v:miss:<county>: a new message
    text = en.last_text(ADMIN_ID)
    english(text)
    assert "Communities not started (15)" in text and "龙川县" in text


async def test_english_community_detail(en):
    await en.send(ADMIN_ID, "/community 江滨")
    text = en.last_text(ADMIN_ID)
    english(text)
    assert "江滨社区" in text and "in progress · answered 3/42" in text
    assert "Answered by" in text and "用户2001" in text and "Recent records" in text
    await en.send(WORKER, "/status")
    english(en.last_text(WORKER))
    assert "Gaps (42)" in en.last_text(WORKER)


async def test_english_not_found_ambiguous_and_forbidden(en):
    await en.send(ADMIN_ID, "/status 不存在")
    text = en.last_text(ADMIN_ID)
    english(text)
    assert "No county matches “不存在”" in text
    await en.send(ADMIN_ID, "/community 新")
    text = en.last_text(ADMIN_ID)
    english(text)
    assert "matches" in text
    await en.send(CONTACT, "/status 源城区")
    english(en.last_text(CONTACT))
    assert "You may not view 源城区" in en.last_text(CONTACT)
    await en.send(CONTACT, "/community 江滨社区")
    assert "You may not view 江滨社区" in en.last_text(CONTACT)
    await en.send(ADMIN_ID, "/community")
    english(en.last_text(ADMIN_ID))
    assert "Usage: /community &lt;community&gt;" in en.last_text(ADMIN_ID)


async def test_a_forged_or_foreign_view_button_gets_an_english_alert(en):
    await en.send(ADMIN_ID, "/status")
    mid = en.card(ADMIN_ID)[0]
    await en.press(ADMIN_ID, "v:c:999:1", mid)  # no such county
    assert en.alerts()[-1] == "County 999 does not exist"
    await en.press(CONTACT, "v:c:1:1", mid)  # someone else's county
    assert en.alerts()[-1] == "You may not view 源城区"
    await en.press(WORKER, "v:exp:progress", mid)
    assert en.alerts()[-1] == "⛔ Admins only."


# -- /export, /community; /form fields in chat ----------------------


async def test_export_without_argument_offers_the_programs_own_tables(bot):
    await bot.send(ADMIN_ID, "/export")
    _, text, buttons = bot.card(ADMIN_ID)
    assert "请选择" in text
    assert [data for _, data in buttons] == [  # Heyuan's seed forms, then GreenCheck's own
        "v:exp:progress",
        "v:exp:plan",
        "v:exp:contacts",
        "v:exp:answers",
        "v:exp:actions",
        "v:exp:recognised",
    ]
    await bot.tap(ADMIN_ID, "联系人名单")
    wb = load_workbook(io.BytesIO(bot.api.last("sendDocument").files["document"]))
    assert wb.worksheets[0]["A2"].value == "河源市绿色社区创建工作联系人名单"
    await bot.send(ADMIN_ID, "/export summary")  # Heyuan's seed has no 汇总表
    assert "progress | plan | contacts" in bot.last_text(ADMIN_ID)


async def test_a_generic_community_word_lists_candidates(bot):
    await bot.send(ADMIN_ID, "/community 社区")
    text = bot.last_text(ADMIN_ID)
    assert "找不到" not in text
    assert "太笼统" in text and "95" in text and "江滨社区" in text


async def test_an_unstarted_community_says_it_has_not_started(bot):
    await bot.send(ADMIN_ID, "/community 河畔社区")
    text = bot.last_text(ADMIN_ID)
    assert "尚未开始自查" in text and "42" in text
    assert "未作答" not in text


async def test_form_fields_are_asked_in_chat_and_printed_on_the_form(bot):
    await bot.send(WORKER, "/form")
    _, text, buttons = bot.card(WORKER)
    own = fields_of(bot.app.bot_data.program)  # the fields Heyuan's 附件2 prints
    assert "申报表填写内容" in text and len(buttons) == len(own) + 1  # and the 自查结果表
    await bot.tap(WORKER, "工作情况")
    prompt = bot.api.last("sendMessage")
    assert "江滨社区" in prompt.params["text"] and "force_reply" in str(prompt.params)
    prompt_id = max(m for (c, m) in bot.api.force_replies if c == WORKER)
    work = "=1+1 我们开展了垃圾分类和节水宣传。"
    await bot.send(WORKER, work, reply_to=prompt_id)
    assert "已保存" in bot.last_text(WORKER)
    assert not any(
        "按钮" in t for t in bot.texts(WORKER)[-1:]
    )  # the card's text handler stayed out
    stored = bot.db.execute("SELECT value FROM form_fields WHERE field = 'work'").fetchone()
    assert stored[0] == work
    events = bot.db.execute("SELECT new_value, user_id FROM form_field_events").fetchall()
    assert events == [(work, WORKER)]
    await bot.send(WORKER, "/form")
    doc = Document(io.BytesIO(bot.api.last("sendDocument").files["document"]))
    cells = "".join(c.text for t in doc.tables for r in t.rows for c in r.cells)
    assert work in cells


async def test_a_form_prompt_is_answered_after_a_restart_and_only_once(tmp_path):
    path = tmp_path / "gc.db"
    async with Harness(path) as h:
        await h.register(WORKER, "worker", "江滨社区")
        await h.send(WORKER, "/form")
        await h.tap(WORKER, "工作情况")
        prompt_id = max(m for (c, m) in h.api.force_replies if c == WORKER)
    async with Harness(path) as h2:  # a new Application on the same file, as after kill -9
        await h2.send_file(WORKER, "photo", "form-photo", reply_to=prompt_id)
        assert "要的是文字" in h2.last_text(WORKER)  # a field takes text, never a file
        await h2.send(WORKER, "节水宣传", reply_to=prompt_id)
        assert "已保存" in h2.last_text(WORKER)
        await h2.send(WORKER, "另一段", reply_to=prompt_id)  # the prompt was used
        assert "已保存" not in h2.last_text(WORKER)
        stored = h2.db.execute("SELECT value FROM form_fields WHERE field = 'work'").fetchall()
        assert stored == [("节水宣传",)]
        assert h2.db.execute("SELECT count(*) FROM form_field_events").fetchone()[0] == 1


async def test_another_countys_contact_may_not_fill_a_form(bot):
    await bot.send(ADMIN_ID, "/form 江滨社区")
    _, data = bot.button(ADMIN_ID, "工作情况")
    mid = bot.card(ADMIN_ID)[0]
    await bot.press(CONTACT, data, mid, chat={"id": ADMIN_ID, "type": "private"})
    assert any("无权" in a for a in bot.alerts())


async def test_an_export_over_telegrams_upload_limit_points_to_the_cli(bot, monkeypatch):
    from handlers import status

    monkeypatch.setattr(status, "UPLOAD_LIMIT", 1000)
    sent = len(bot.api.sent("sendDocument"))
    await bot.send(ADMIN_ID, "/export answers")
    assert len(bot.api.sent("sendDocument")) == sent
    text = bot.last_text(ADMIN_ID)
    assert "50 MB" in text and "greencheck export answers" in text


async def test_a_worker_asking_for_missing_is_told_who_it_is_for(bot):
    await bot.register(2001, "worker", "江滨社区")
    await bot.send(2001, "/missing")
    assert "县区联系人和管理员" in bot.last_text(2001)
    await bot.send(2001, "/lang en")
    await bot.send(2001, "/missing")
    assert bot.last_text(2001).startswith("⛔ For county contacts and admins")


async def test_chart_takes_a_year_in_chat(bot):
    await bot.send(ADMIN_ID, "/chart 2022")
    assert bot.api.last("sendPhoto").files["photo"][:4] == b"\x89PNG"
    await bot.send(ADMIN_ID, "/chart someday")
    assert "/chart 2022" in bot.last_text(ADMIN_ID)
