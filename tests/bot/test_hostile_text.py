"""Every Unicode category edge through every free-text input, and every file still opens.

The text holds the first and the last code point of every Unicode general category (U+0000,
U+009F, the surrogates' ends, U+10FFFF…) plus the characters an attack used (BEL, ESC, NEL,
U+FFFE, U+FFFF, U+FDD0, a lone surrogate, a bidi override). It goes in as a Telegram name, a
group's title, a note, a file name, a form field, a reviewer's comment, a send-back reason, an
action's problem and a deadline's title; then no stored text holds a character
bot.domain.text removes, and every file the bot sends opens in openpyxl or python-docx, each of
its XML parts in a strict XML parser (expat), and the whole ZIP passes `unzip -t`.
"""

from __future__ import annotations

import io
import subprocess
import unicodedata
import xml.etree.ElementTree as ET
import zipfile
from functools import cache
from typing import Any

from docx import Document
from openpyxl import load_workbook

from bot.catalog import catalog
from bot.services import exports
from handlers import callbacks, evidence
from tests.bot.test_review_chain import _pass_stage
from tests.evidence_support import PDF
from tests.harness import ADMIN_ID, Harness

WORKER, STREET, COUNTY = 4101, 4102, 4103
COMMUNITY = "江滨社区"
ATTACK = "\x07\x1b\x85\ufffe\uffff\ufdd0\U0001fffe\ud800\u202e\t"


@cache
def hostile() -> str:
    """The first and last code point of every general category, and the attack's characters."""
    first: dict[str, int] = {}
    last: dict[str, int] = {}
    for cp in range(0x110000):
        cat = unicodedata.category(chr(cp))
        first.setdefault(cat, cp)
        last[cat] = cp
    edges = sorted(set(first.values()) | set(last.values()))
    return "甲" + "".join(chr(c) for c in edges) + ATTACK + "乙"


def _forbidden(text: str) -> list[str]:
    """Characters no stored text may hold, found independently of bot.domain.text."""
    return [
        f"U+{ord(c):04X}"
        for c in text
        if (unicodedata.category(c) in ("Cc", "Cs") and c not in "\t\n")
        or 0xFDD0 <= ord(c) <= 0xFDEF
        or ord(c) & 0xFFFE == 0xFFFE
    ]


async def _send_named(h: Harness, uid: int, text: str, **where: Any) -> None:
    """A message from `uid`, whose Telegram name is the hostile text."""
    msg = h._message(uid, where.get("chat"), text=text)
    msg["from"] = {"id": uid, "is_bot": False, "first_name": hostile(), "username": "u" + str(uid)}
    if text.startswith("/"):
        msg["entities"] = [{"type": "bot_command", "offset": 0, "length": len(text.split()[0])}]
    if "reply_to" in where:
        msg["reply_to_message"] = h._stub(msg["chat"], where["reply_to"])
    await h.feed({"message": msg})


async def _reply_to_prompt(h: Harness, uid: int, text: str) -> None:
    await h.send(uid, text, reply_to=max(m for (c, m) in h.api.messages if c == uid))


def _fine(buttons: list[tuple[str, str]]) -> str:
    return next(label for label, _ in buttons if label.startswith(("✅ 符合", "✅ 满分")))


async def _answer_with_note_and_file(h: Harness) -> None:
    """The worker's check: a note and a file named with the text on the first item."""
    h.api.files["id-hostile"] = PDF
    await h.send(WORKER, "/check")
    await h.tap(WORKER, "备注")
    await _reply_to_prompt(h, WORKER, hostile())
    mid, _, _ = h.card(WORKER)
    await h.send_file(WORKER, "document", "hostile", reply_to=mid, file_name=hostile() + ".pdf")
    await evidence.settle()
    program = catalog().programs["heyuan-2021"]
    for _ in catalog().standard(program.standard).questions:
        _, _, buttons = h.card(WORKER)
        await h.tap(WORKER, _fine(buttons))
    await h.send(WORKER, "/form")
    await h.tap(WORKER, "社区地址")
    await _reply_to_prompt(h, WORKER, hostile())


async def _review(h: Harness) -> str:
    """Submit; the street comments on the first item and sends it back; then every stage
    approves. Returns the commented item."""
    await h.submit(WORKER)
    await h.send(STREET, "/review")
    await h.tap(STREET, COMMUNITY)
    await h.tap(STREET, "意见")
    await _reply_to_prompt(h, STREET, hostile())
    item = h.db.execute("SELECT question_id FROM review_comments").fetchone()[0]
    await h.tap(STREET, "退回")
    await _reply_to_prompt(h, STREET, hostile())
    await h.submit(WORKER)
    await h.tap(STREET, "通过")
    await h.tap(COUNTY, "通过")
    while h.db.execute("SELECT state FROM reviews").fetchone()[0] == "waiting":
        await _pass_stage(h, ADMIN_ID)  # 公示 (its days asked), 公布, 授牌
    return str(item)


def _stored_texts(h: Harness) -> list[tuple[str, str, str]]:
    """(table, column, value) of every text the database holds."""
    out = []
    for (table,) in h.db.execute("SELECT name FROM sqlite_master WHERE type = 'table'"):
        cols = [r[1] for r in h.db.execute(f"PRAGMA table_info({table})")]
        for row in h.db.execute(f"SELECT * FROM {table}"):
            out += [(table, c, v) for c, v in zip(cols, row, strict=True) if isinstance(v, str)]
    return out


async def _every_file(h: Harness) -> list[tuple[str, bytes]]:
    """Each document the bot sends for the pack, the form and every export."""
    commands = [(WORKER, "/pack"), (WORKER, "/form")]
    kinds = exports.offered(h.app.bot_data.program)  # every table the program offers
    commands += [(ADMIN_ID, f"/export {kind}") for kind in kinds]
    out = []
    for uid, command in commands:
        before = len(h.api.sent("sendDocument"))
        await h.send(uid, command)
        sent = h.api.sent("sendDocument")[before:]
        assert sent, command
        out += [(command, c.files["document"]) for c in sent]
    return out


def _opens(command: str, data: bytes, folder: Any) -> None:
    path = folder / "out.zip"
    path.write_bytes(data)
    tested = subprocess.run(["unzip", "-t", str(path)], capture_output=True, text=True)
    assert tested.returncode == 0, (command, tested.stdout, tested.stderr)
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        for name in z.namelist():
            if name.endswith((".xml", ".rels")):
                ET.fromstring(z.read(name))  # expat: strict XML 1.0
            elif name.endswith(".xlsx"):
                _opens(f"{command} {name}", z.read(name), folder)
        names = z.namelist()
        hidden = [n for n in names if any(unicodedata.category(c) in ("Cf", "Zl", "Zp") for c in n)]
        assert hidden == [], command  # no name that reads other than it is (U+202E)
        body = z.read("word/document.xml").decode() if "word/document.xml" in names else ""
    if body:
        Document(io.BytesIO(data))
        assert hostile()[0] in body  # the form field is on the form
    elif "xl/workbook.xml" in names:
        load_workbook(io.BytesIO(data))


async def test_every_category_edge_goes_in_everywhere_and_every_file_still_opens(tmp_path):
    async with Harness(tmp_path / "gc.db") as h:
        for uid, role, scope in ((WORKER, "worker", COMMUNITY), (STREET, "street", "新江街道"),
                                 (COUNTY, "contact", "源城区")):  # fmt: skip
            await h.register(uid, role, scope)
            await _send_named(h, uid, "/lang zh")
        await _answer_with_note_and_file(h)
        item = await _review(h)
        await _send_named(h, COUNTY, f"/action {COMMUNITY} {item} 2026-12-20 {hostile()}")
        await h.send(ADMIN_ID, f"/deadline add 2026-12-15 {hostile()}")
        group = {"id": -100700, "type": "supergroup", "title": hostile()}
        await _send_named(h, ADMIN_ID, f"/bind {COMMUNITY}", chat=group)
        stored = _stored_texts(h)
        files = await _every_file(h)
    kept = {(t, c) for t, c, v in stored if "甲" in v}
    for where in [("users", "name"), ("groups", "title"), ("answers", "note"),
                  ("evidence", "file_name"), ("form_fields", "value"),
                  ("review_comments", "body"), ("review_events", "comment"),
                  ("actions", "problem"), ("custom_deadlines", "title")]:  # fmt: skip
        assert where in kept, where  # the text went in through this input …
    assert [(t, c, _forbidden(v)) for t, c, v in stored if _forbidden(v)] == []  # … cleaned
    for command, data in files:
        _opens(command, data, tmp_path)


async def test_an_na_without_its_reason_is_named_on_the_form(tmp_path):
    """Found by the fuzz once it tapped real buttons: the gap had no catalogue text."""
    async with Harness(tmp_path / "gc.db") as h:
        await h.register(WORKER, "worker", COMMUNITY)
        await h.send(WORKER, "/check")
        aid = h.db.execute("SELECT id FROM assessments").fetchone()[0]
        await h.press(WORKER, callbacks.encode("a", aid, "17.1", "x"), h.card(WORKER)[0])
        assert h.db.execute("SELECT status FROM answers").fetchone() == ("na",)
        await h.send(WORKER, "/form")
        await h.tap(WORKER, "自查结果表")  # the check's gaps are GreenCheck's file, not the form's
        summary = h.api.sent("sendDocument")[-1]
        assert "不适用未说明原因" in "".join(
            p.text for p in Document(io.BytesIO(summary.files["document"])).paragraphs
        )
