"""The local demo: the real Application and handlers, the Bot API answered in-process.

Each bot message is printed with its buttons numbered; typing a number presses that button,
any other line is sent as a message (as a reply when the bot asked for one). `!photo` and
`!doc NAME` send a sample photo or document. Works with piped stdin.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import html
import itertools
import logging
import re
import sys
import tempfile
import time
from pathlib import Path
from typing import Any, TextIO

from telegram import Update

from bot.config import Settings
from bot.services import people, roster
from bot.store.db import connect
from bot.store.updates import last_update_id
from bot.texts import t
from handlers.app import GreenApp, build_application, running
from handlers.localapi import Call, LocalBotAPI

DEMO_NAME = t("zh", "demo_user")  # the demo user talks to the bot in Chinese (try /lang en)
USER: dict[str, Any] = {
    "id": 10001,
    "is_bot": False,
    "first_name": DEMO_NAME,
    "language_code": "zh-hans",
}
CHAT: dict[str, Any] = {"id": 10001, "type": "private", "first_name": DEMO_NAME}
QUIT = ("quit", "exit", t("zh", "demo_quit"))
TAG = re.compile(r"<[^>]+>")


class Console:
    """Print bot messages and map typed numbers to the last keyboard's buttons."""

    def __init__(self, out: TextIO, lang: str = "zh") -> None:
        self.out = out
        self.lang = lang  # the console's own lines (GREENCHECK_LANG); the chat is the user's
        self.buttons: list[str] = []  # callback data of the last keyboard, by number
        self.prompt_id: int | None = None  # the last ForceReply prompt

    def show(self, call: Call) -> None:
        p = call.params
        if call.method == "answerCallbackQuery" and p.get("text"):
            self.out.write(f"  ⓘ {p['text']}\n")
        elif call.method in ("sendMessage", "editMessageText"):
            head = "🤖" if call.method == "sendMessage" else t(self.lang, "demo_edited")
            text = html.unescape(TAG.sub("", str(p.get("text", ""))))
            self.out.write(f"\n{head}\n{text}\n")
            markup = p.get("reply_markup") or {}
            rows = markup.get("inline_keyboard") if isinstance(markup, dict) else None
            if rows:
                self.buttons = []
                for row in rows:
                    labels = []
                    for b in row:
                        self.buttons.append(b.get("callback_data", ""))
                        labels.append(f"[{len(self.buttons)}] {b['text']}")
                    self.out.write("  " + "  ".join(labels) + "\n")
            if isinstance(markup, dict) and markup.get("force_reply"):
                self.out.write(t(self.lang, "demo_reply_hint"))
        elif call.method in ("sendDocument", "sendPhoto"):
            self.out.write(t(self.lang, "demo_file_sent", caption=p.get("caption", "")))
        self.out.flush()


def _prepare(db_path: str) -> str:
    """Load the sample roster once; make the demo user an admin and a worker; return the
    community's name."""
    db = connect(db_path)
    if not roster.has_communities(db):
        roster.load_sample(db)
    first = roster.first_community(db)
    assert first is not None  # the sample has 95
    now = dt.datetime.now(dt.UTC)
    people.touch_user(db, USER["id"], USER["first_name"], None, now)
    people.grant(db, USER["id"], "admin", now)
    people.grant(db, USER["id"], "worker", now, community_id=first[0])
    db.close()
    return first[1]


async def _dispatch(app: GreenApp, api: LocalBotAPI, console: Console, uid: int, text: str) -> None:
    """Press a numbered button, send a sample photo or document, or send the text."""
    if text.isdigit() and 1 <= int(text) <= len(console.buttons):
        data = console.buttons[int(text) - 1]
        await _press(app, api, uid, _message_of(api, data), data)
    elif text.startswith("!photo"):
        await _send_media(app, api, uid, "photo")
    elif text.startswith("!doc"):
        name = text[4:].strip() or t(console.lang, "demo_doc")
        await _send_media(app, api, uid, "document", name)
    else:
        await _send_text(app, uid, text, _prompt_id(api))


async def _chat(app: GreenApp, api: LocalBotAPI, console: Console, inp: TextIO, first: int) -> None:
    """Read lines until EOF or `quit`, each one an update."""
    ids = itertools.count(first)
    async with running(app):
        await _send_text(app, next(ids), "/start", None)
        while True:
            line = await asyncio.to_thread(inp.readline)
            if not line or line.strip() in QUIT:
                break
            text = line.strip()
            if text:
                console.out.write(f"\n👤 {text}\n")
                await _dispatch(app, api, console, next(ids), text)


async def run_demo(inp: TextIO, out: TextIO, db_path: str | None = None) -> int:
    """Run the console chat until EOF or `quit`."""
    tmp = None
    if db_path is None:
        tmp = tempfile.TemporaryDirectory(prefix="greencheck-demo-")
        db_path = str(Path(tmp.name) / "demo.db")
    community = _prepare(db_path)
    logging.basicConfig(filename=db_path + ".log", level=logging.INFO)
    settings = Settings(GREENCHECK_DB=db_path, GREENCHECK_RATE_LIMIT=False)
    console = Console(out, settings.lang)
    api = LocalBotAPI(on_call=console.show)
    app = build_application(settings, request=api)
    out.write(t(console.lang, "demo_banner", db=db_path, community=community))
    await _chat(app, api, console, inp, _next_update_id(db_path))
    if tmp is not None:
        tmp.cleanup()
    out.write(t(console.lang, "demo_bye"))
    return 0


def _next_update_id(db_path: str) -> int:
    """Continue after the update ids a kept demo database has seen (repeats are dropped)."""
    db = connect(db_path)
    last = last_update_id(db)
    db.close()
    return last + 1


def _message_of(api: LocalBotAPI, data: str) -> int:
    """Return the id of the newest message showing a button with this callback data."""
    for (chat, mid), msg in sorted(api.messages.items(), key=lambda kv: -kv[0][1]):
        rows = (msg.get("reply_markup") or {}).get("inline_keyboard") or []
        if chat == CHAT["id"] and any(b.get("callback_data") == data for r in rows for b in r):
            return mid
    return 0


def _prompt_id(api: LocalBotAPI) -> int | None:
    """Return the newest ForceReply prompt the bot sent, to reply to it like a phone would."""
    for key, msg in sorted(api.messages.items(), key=lambda kv: -kv[0][1]):
        if key in api.force_replies:
            return key[1]
        if msg.get("reply_markup"):
            return None
    return None


def _base(uid: int) -> dict[str, Any]:
    return {"message_id": 50000 + uid, "date": int(time.time()), "chat": CHAT, "from": USER}


async def _send_text(app: GreenApp, uid: int, text: str, reply_to: int | None) -> None:
    msg = _base(uid) | {"text": text}
    if text.startswith("/"):
        cmd = text.split()[0]
        msg["entities"] = [{"type": "bot_command", "offset": 0, "length": len(cmd)}]
    elif reply_to is not None:
        msg["reply_to_message"] = _stub(reply_to)
    await app.process_update(Update.de_json({"update_id": uid, "message": msg}, app.bot))


def _stub(mid: int) -> dict[str, Any]:
    return {"message_id": mid, "date": int(time.time()), "chat": CHAT, "text": "…"}


async def _send_media(app: GreenApp, api: LocalBotAPI, uid: int, kind: str, name: str = "") -> None:
    msg = _base(uid)
    fid = {"file_id": f"demo-{uid}", "file_unique_id": f"demo-u{uid}", "file_size": 20480}
    if kind == "photo":
        msg["photo"] = [fid | {"width": 320, "height": 240}, fid | {"width": 1280, "height": 960}]
    else:
        msg["document"] = fid | {"file_name": name, "mime_type": "application/pdf"}
    prompt = _prompt_id(api)
    if prompt is not None:
        msg["reply_to_message"] = _stub(prompt)
    await app.process_update(Update.de_json({"update_id": uid, "message": msg}, app.bot))


async def _press(app: GreenApp, api: LocalBotAPI, uid: int, mid: int, data: str) -> None:
    message = dict(api.messages.get((CHAT["id"], mid), _stub(mid)))
    query = {
        "id": f"q{uid}",
        "from": USER,
        "chat_instance": "demo",
        "data": data,
        "message": message,
    }
    await app.process_update(Update.de_json({"update_id": uid, "callback_query": query}, app.bot))


def main(db_path: str | None = None) -> int:
    return asyncio.run(run_demo(sys.stdin, sys.stdout, db_path))
