"""The whole loop in the demo, typed as piped input: the worker submits, the street comments
and sends back, the worker fixes the item, each stage approves, the city recognises; each
persona presses the buttons of the notices it received (listed when it becomes that persona)."""

from __future__ import annotations

import datetime as dt
import io
import logging
import os
import re
import sqlite3
from pathlib import Path

import pytest

from bot.clock import FixedClock
from bot.texts import t
from handlers.demo import PERSONAS, run_demo
from tests.cli.test_demo import _answer_everything, demo
from tests.harness import NOW, ZONE

NEXT_DAY = "2 "  # "2" typed the next day (Typist moves the clock a day before it)
# (typed line, what the console shows after it): the Heyuan chain on the sample roster
LOOP: list[tuple[str, list[str]]] = [
    ("/check", ["已答 0/42"]),
    *[("7", ["已保存"])] * 42,  # [7] ✅ 符合 on every item
    ("/submit", ["[1] ✅ 确认提交"]),
    ("1", ["自查已提交", "→ 发给 街道审核员"]),
    # the street: the notice waits with its buttons; 查看, the 目录, 2.1, a comment
    ("/as street", ["收到 1 条消息", "📥 江滨社区 已提交自查", "[1] 🔍 查看  [2] ✅ 通过"]),
    ("1", ["审核环节：街道推荐", "1.1 社区层面", "[8] 📋 目录", "[12] ↩️ 退回"]),
    ("8", ["目录 1/2", "▫️ 2.1 建立社区管理", "[4] ▫️ 2.1", "[26] ▶"]),
    ("4", ["2.1 建立社区管理", "核定：-", "[5] 💬 意见"]),
    ("5", ["写下对 2.1 的审核意见"]),
    ("联席会议缺签到表", ["已记录对 2.1 的意见"]),  # a plain line answers the prompt
    ("12", ["写下退回理由"]),
    (">请补充签到表", ["已退回 江滨社区，重新开放 1 项", "→ 发给 社区工作人员"]),
    # the worker: the send-back's button opens 2.1 with the comment; a photo fixes it
    (
        "/as worker",
        ["收到 1 条消息", "理由：请补充签到表", "2.1：联席会议缺签到表", "[1] ✏️ 修改 2.1"],
    ),
    ("1", ["💬 街道推荐：联席会议缺签到表", "2.1 建立社区管理", "[5] 📎 材料"]),
    ("5", ["江滨社区 2.1 的照片或文件"]),
    ("!photo", ["已归入 2.1"]),
    ("/submit", ["[1] ✅ 确认提交"]),
    ("1", ["自查已提交", "→ 发给 街道审核员", "社区已修改 1 项：2.1"]),
    # the street again: 查看 opens on the changed item, verified afresh, then 通过
    ("/as street", ["收到 1 条消息", "重新提交", "[1] 🔍 查看"]),
    ("1", ["2.1 建立社区管理", "核定：🔄 已修改，待核定", "材料 1 份", "[11] ✅ 通过"]),
    ("1", ["已核定", "核定：✅ 符合"]),
    ("11", ["转入「县（区）初审」", "→ 发给 县区联系人", "→ 发给 社区工作人员"]),
    ("/as contact", ["收到 1 条消息", "待「县（区）初审」审核", "[2] ✅ 通过"]),
    ("2", ["转入「市级认定」", "→ 发给 管理员"]),
    ("/as admin", ["收到 1 条消息", "待「市级认定」审核", "[2] ✅ 通过"]),
    ("2", ["已通过认定", "[2] 📢 记录公示", "被认定为绿色社区"]),
    ("2", ["原文未规定公示天数"]),  # the seed prints no length: the city gives it
    (">1", ["公示期 2026-11-20 至 2026-11-20（1 天）", "[2] 📢 记录公布"]),
    ("2", ["期满后才能公布"]),  # the same day: the period runs
    (NEXT_DAY, ["转入「授牌」", "[2] 📢 记录授牌"]),
    ("2", ["已完成全部环节"]),
    # the worker heard of every step, and each notice still opens the check
    (
        "/as worker",
        [
            "收到 6 条消息",
            "在「街道推荐」通过",
            "在「县（区）初审」通过",
            "被认定为绿色社区",
            "已进入「公示」",
            "已「公布」",
            "已完成「授牌」",
            "[6] 📋 查看自查",
        ],
    ),
    ("3", ["🌿 江滨社区", "🏅 已认定"]),
]


@pytest.fixture(autouse=True)
def clean_env(monkeypatch):
    for k in list(os.environ):
        if k.startswith(("GREENCHECK_", "TELEGRAM_")):
            monkeypatch.delenv(k)


class Typist(io.StringIO):
    """Piped input typed a second apart, on a clock that moves only then (a fix made after
    the send-back is later than it, as on a phone); NEXT_DAY is typed a day later."""

    def __init__(self, text: str, clock: FixedClock) -> None:
        super().__init__(text)
        self.clock = clock

    def readline(self, size: int | None = -1) -> str:  # type: ignore[override]
        line = super().readline(size)
        later = dt.timedelta(days=1) if line == NEXT_DAY + "\n" else dt.timedelta(seconds=1)
        self.clock.advance(later)
        return line


def _steps(out: str) -> list[tuple[str, str]]:
    """(typed line, what followed it) for every line the console echoed."""
    parts = re.split(r"^👤 [^:\n]*: (.*)$", out, flags=re.M)
    return list(zip(parts[1::2], parts[2::2], strict=True))


async def test_the_demo_walks_the_whole_loop_with_each_persona_pressing_its_notices(
    tmp_path, caplog
):
    clock = FixedClock(ZONE, NOW)
    script = "".join(line + "\n" for line, _ in LOOP) + "quit\n"
    out = io.StringIO()
    db = tmp_path / "d.db"
    assert await run_demo(Typist(script, clock), out, str(db), str(tmp_path / "f"), clock) == 0
    steps = _steps(out.getvalue())
    assert [line for line, _ in steps] == [line.strip() for line, _ in LOOP]
    for (line, shown), (_, wanted) in zip(steps, LOOP, strict=True):
        for want in wanted:
            assert want in shown, f"after {line!r}: {want!r} not in\n{shown}"
    assert [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR] == []


@pytest.mark.parametrize(
    ("persona", "before"),
    [
        ("street", []),
        ("contact", ["/as street", "1", "11"]),  # the street's 查看, then 通过
        ("admin", ["/as street", "1", "11", "/as contact", "2"]),  # and the county's 通过
    ],
)
async def test_every_reviewer_comments_and_sends_back_by_replying(tmp_path, persona, before):
    """`>text` answers the comment prompt, a plain line the reason prompt, whoever reviews."""
    db = tmp_path / "d.db"
    await demo(tmp_path, "", db)  # the roster and the demo's users
    _answer_everything(db)
    # [1] 查看 on the notice; on the card [5] 💬 意见 and [12] ↩️ 退回
    lines = ["/submit", "1", *before, f"/as {persona}", "1", "5", ">照片看不清", "12", "请补拍"]
    out = await demo(tmp_path, "".join(f"{x}\n" for x in lines), db)
    mine = out.split(f"👤 {t('zh', f'demo_as_{persona}')}: 5", 1)[1]
    assert "已记录对 1.1 的意见" in mine and "已退回 江滨社区，重新开放 1 项" in mine
    assert "→ 发给 社区工作人员" in mine and "1.1：照片看不清" in mine
    back = sqlite3.connect(db).execute(
        "SELECT user_id, comment FROM review_events WHERE action = 'send_back'"
    )
    assert back.fetchall() == [(PERSONAS[persona].uid, "请补拍")]


def test_the_readme_lists_every_persona():
    readme = (Path(__file__).parents[2] / "README.md").read_text(encoding="utf-8")
    assert "`/as " + "\\|".join(PERSONAS) + "`" in readme
    for key in PERSONAS:
        assert f"| `{key}` |" in readme, key
