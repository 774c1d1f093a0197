"""The local demo: the real Application and handlers, the Bot API answered in-process.

Each bot message is printed with its number (#N) and its buttons numbered; typing a number
presses that button, any other line is sent as a message (as a reply when the bot asked for
one). Console commands (never sent to the bot):

- `/as ROLE` switches who you are (`PERSONAS`: one demo user per role, granted through the
  people services; `/as` alone lists them);
- `>text` replies to the last bot message, `>N text` to message #N (a note that is a number,
  evidence by reply);
- `!photo` and `!doc NAME` send a sample photo or document.

Files the bot sends (`/export`, `/form`, `/chart`) are saved under a folder (`./demo-files/` or
`--files DIR`) and their paths printed. The sample roster matches GREENCHECK_PROGRAM
(bot.services.roster.SAMPLE_ROSTERS, sample data). Works with piped stdin.
"""

from __future__ import annotations

import asyncio
import contextlib
import html
import itertools
import json
import logging
import re
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO

from telegram import Update
from telegram.request import RequestData

from bot.clock import Clock, SystemClock
from bot.config import Settings
from bot.services.container import Services
from bot.texts import LANGS, plural, t
from handlers.app import GreenApp, build_application, running
from handlers.localapi import Call, LocalBotAPI

TAG = re.compile(r"<[^>]+>")
REPLY = re.compile(r"(\d+)\s+(.+)")  # after ">": `N text` replies to message #N (if it exists)
FILES_DIR = "demo-files"

# program id -> its sample roster under standards/rosters/ (invented names, every row marked as sample data)


@dataclass(frozen=True)
class Place:
    """Where the demo users work: the roster's first community, its county and street."""

    community_id: int
    community: str
    county_id: int
    county: str
    street: str


@dataclass(frozen=True)
class Persona:
    """One demo user: an id, a catalogue key for the name, and how to grant the role."""

    uid: int
    key: str  # demo_as_<key>: the role's name in the console
    grant: Callable[[Services, int, Place], None] | None


def _grant_street(s: Services, uid: int, at: Place) -> None:
    """The street reviewer of the demo community's street (the review chain's first stage)."""
    s.people.grant_street(uid, at.community_id)


# Who the console can be. Adding a role is one entry.
PERSONAS: dict[str, Persona] = {
    "worker": Persona(
        10001, "worker", lambda s, u, at: s.people.grant(u, "worker", at.community_id)
    ),
    "contact": Persona(
        10002, "contact", lambda s, u, at: s.people.grant(u, "contact", county_id=at.county_id)
    ),
    "admin": Persona(10003, "admin", lambda s, u, at: s.people.grant(u, "admin")),
    "street": Persona(10005, "street", _grant_street),
    "new": Persona(10004, "new", None),  # nobody yet: redeem an invite with /join CODE
}
FIRST = "worker"


class DemoAPI(LocalBotAPI):
    """The local Bot API, also keeping the names of the files the bot sends."""

    def __init__(self, clock: Clock, on_call: Callable[[Call], None] | None = None) -> None:
        super().__init__(clock, on_call=on_call)
        self.file_names: dict[str, str] = {}  # multipart part -> file name (of the last call)

    async def do_request(
        self, url: str, method: str, request_data: RequestData | None = None, *a: Any, **k: Any
    ) -> tuple[int, bytes]:
        self.file_names = {}
        if request_data is not None and request_data.contains_files:
            for part, value in request_data.multipart_data.items():
                if isinstance(value, tuple) and value and isinstance(value[0], str):
                    self.file_names[part] = value[0]
        return await super().do_request(url, method, request_data, *a, **k)


class Console:
    """Print bot messages, map typed numbers to the current chat's last keyboard, save files."""

    def __init__(self, out: TextIO, lang: str, files: Path) -> None:
        self.out = out
        self.lang = lang  # the console's own lines: GREENCHECK_LANG, then the user's /lang
        self.files = files
        self.chat = PERSONAS[FIRST].uid  # who you are (user id = private chat id)
        self.names: dict[int, str] = {}
        # (message id, callback data) of the buttons typing a number presses: the current
        # chat's last keyboard, or every keyboard of the messages listed on switching to it
        self.buttons: list[tuple[int, str]] = []
        # messages the bot sent to another demo user while you were someone else, per chat:
        # listed with their buttons when you become that user (`/as`)
        self.unseen: dict[int, list[int]] = {}
        self.api: DemoAPI | None = None

    def say(self, key: str, **kw: Any) -> None:
        self.out.write(t(self.lang, key, **kw))
        self.out.flush()

    def show(self, call: Call) -> None:
        p = call.params
        chat = int(p.get("chat_id") or self.chat)
        if call.method == "answerCallbackQuery" and p.get("text"):
            self.out.write(f"  ⓘ {p['text']}\n")
        elif call.method in ("sendMessage", "editMessageText"):
            self._message(call, chat)
        elif call.method in ("sendDocument", "sendPhoto"):
            self._file(call, chat)
        self.out.flush()

    def _head(self, call: Call, chat: int) -> str:
        if call.method == "editMessageText":
            head = t(self.lang, "demo_edited", n=call.params.get("message_id", "?"))
        else:
            head = t(self.lang, "demo_sent", n=self._next_id(chat))
        if chat != self.chat:
            head += t(self.lang, "demo_to", name=self.names.get(chat, str(chat)))
        return head

    def _next_id(self, chat: int) -> int:
        return (self.api.next_id.get(chat, 1000) + 1) if self.api else 0

    def _message(self, call: Call, chat: int) -> None:
        p = call.params
        self.out.write(f"\n{self._head(call, chat)}\n{_plain(p.get('text'))}\n")
        markup = p.get("reply_markup") or {}
        if isinstance(markup, str):
            markup = json.loads(markup)
        mid = int(p.get("message_id") or self._next_id(chat))
        if chat != self.chat:  # another user's buttons are theirs to press, after `/as`
            if mid not in self.unseen.setdefault(chat, []):
                self.unseen[chat].append(mid)
            return
        if not isinstance(markup, dict):
            return
        if markup.get("inline_keyboard"):
            self.buttons = []
            self._keyboard(mid, markup["inline_keyboard"])
        if markup.get("force_reply"):
            self.say("demo_reply_hint")

    def _keyboard(self, mid: int, rows: list[list[dict[str, Any]]]) -> None:
        """Number the buttons of message `mid` after those already numbered; typing a number
        presses one."""
        for row in rows:
            labels = []
            for b in row:
                self.buttons.append((mid, b.get("callback_data", "")))
                labels.append(f"[{len(self.buttons)}] {b['text']}")
            self.out.write("  " + "  ".join(labels) + "\n")

    def catch_up(self) -> None:
        """After `/as`: the messages this user got meanwhile, as they stand now, their buttons
        numbered one after another (a notice's buttons stay pressable)."""
        self.buttons = []
        waiting = [m for m in self.unseen.pop(self.chat, []) if self.api and
                   (self.chat, m) in self.api.messages]  # fmt: skip
        if not waiting or self.api is None:
            return
        self.out.write(plural(self.lang, len(waiting), "demo_unseen"))
        for mid in waiting:
            msg = self.api.messages[(self.chat, mid)]
            self.out.write(f"\n{t(self.lang, 'demo_sent', n=mid)}\n{_plain(msg.get('text'))}\n")
            rows = (msg.get("reply_markup") or {}).get("inline_keyboard")
            if rows:
                self._keyboard(mid, rows)

    def _file(self, call: Call, chat: int) -> None:
        part = "document" if call.method == "sendDocument" else "photo"
        data = call.files.get(part)
        caption = _plain(call.params.get("caption"))
        self.out.write(f"\n{self._head(call, chat)}\n" + (f"{caption}\n" if caption else ""))
        if data is None:
            self.say("demo_file_sent")
            return
        name = (self.api.file_names.get(part) if self.api else None) or ""
        path = _free_path(self.files / _file_name(name, part, data))
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        self.say("demo_file_saved", path=path, size=len(data))


def _plain(text: Any) -> str:
    """A message's HTML as the phone shows it."""
    return html.unescape(TAG.sub("", str(text or "")))


def _file_name(name: str, part: str, data: bytes) -> str:
    """The sent file's own name, or one with the suffix its bytes call for (a chart's PNG)."""
    name = Path(name).name
    if Path(name).suffix.lower() in (".xlsx", ".docx", ".png", ".jpg", ".pdf", ".zip", ".csv"):
        return name
    suffix = ".png" if data.startswith(b"\x89PNG") else ".jpg" if data[:2] == b"\xff\xd8" else ""
    return f"{part}{suffix or '.bin'}"


def _free_path(path: Path) -> Path:
    """`path`, or `name-2.ext`, `name-3.ext`… when a file of that name was saved already."""
    n = 2
    found = path
    while found.exists():
        found = path.with_name(f"{path.stem}-{n}{path.suffix}")
        n += 1
    return found


# -- preparing the database ----------------------------------------------------------------------


def _place(s: Services) -> Place:
    first = s.roster.first_community()
    assert first is not None  # every sample roster has communities
    row = next(r for r in s.roster.roster() if r["community"] == first[1])
    county_id = s.roster.find_county(row["county"])[0][0]
    return Place(first[0], first[1], county_id, row["county"], row["street"] or "")


def _prepare(s: Services) -> Place:
    """Load the program's sample roster once; register one demo user per persona."""
    if not s.roster.has_communities():
        s.roster.load_sample(s.program)
    place = _place(s)
    lang = s.settings.lang
    for persona in PERSONAS.values():
        if persona.grant is not None:
            s.people.set_language(persona.uid, lang, t(lang, f"demo_as_{persona.key}"), None)
            persona.grant(s, persona.uid, place)
    return place


# -- the console commands ------------------------------------------------------------------------


def _switch(console: Console, place: Place, arg: str) -> None:
    """`/as ROLE`: become that demo user; `/as` alone lists them."""
    persona = PERSONAS.get(arg.strip().lower())
    if persona is None:
        names = " | ".join(PERSONAS)
        lines = [
            t(console.lang, "demo_as_line", role=k, who=_who(console.lang, p, place))
            for k, p in PERSONAS.items()
        ]
        console.say("demo_as_usage", roles=names, lines="\n".join(lines))
        return
    console.chat = persona.uid
    console.say("demo_as_now", who=_who(console.lang, persona, place))
    console.catch_up()


def _who(lang: str, persona: Persona, place: Place) -> str:
    scope = {
        "worker": place.community,
        "contact": place.county,
        "street": place.street,
    }.get(persona.key, "")
    role = t(lang, f"demo_as_{persona.key}")
    return t(lang, "demo_who", role=role, scope=scope) if scope else role


class Session:
    """One demo run: the Application, its Bot API, the console and the demo's place."""

    def __init__(self, app: GreenApp, api: DemoAPI, console: Console, place: Place) -> None:
        self.app, self.api, self.console, self.place = app, api, console, place

    async def line(self, uid: int, text: str) -> None:
        """One typed line: a console command, a button, a reply, a sample file or a message."""
        c = self.console
        c.out.write(f"\n👤 {c.names.get(c.chat, '')}: {text}\n")
        if text == "/as" or text.startswith("/as "):
            _switch(c, self.place, text[3:])
        elif text.isdigit() and 1 <= int(text) <= len(c.buttons):
            await self.press(uid, *c.buttons[int(text) - 1])
        elif text.startswith(">"):
            mid, body = _reply_target(self.api, c.chat, text[1:])
            await self.text(uid, body, mid)
        elif text.startswith("!photo"):
            await self.media(uid, "photo")
        elif text.startswith("!doc"):
            await self.media(uid, "document", text[4:].strip() or t(c.lang, "demo_doc"))
        else:
            await self.text(uid, text, _prompt_id(self.api, c.chat))
            _follow_lang(c, text)

    def _user(self) -> dict[str, Any]:
        c = self.console
        code = "en" if c.lang == "en" else "zh-hans"
        return {"id": c.chat, "is_bot": False, "first_name": c.names.get(c.chat, "demo")} | {
            "language_code": code
        }

    def _base(self, uid: int) -> dict[str, Any]:
        user = self._user()
        chat = {"id": user["id"], "type": "private", "first_name": user["first_name"]}
        return {"message_id": 50000 + uid, "date": _date(self.api), "chat": chat, "from": user}

    async def _process(self, update: dict[str, Any]) -> None:
        await self.app.process_update(Update.de_json(update, self.app.bot))

    async def text(self, uid: int, text: str, reply_to: int | None) -> None:
        msg = self._base(uid) | {"text": text}
        if text.startswith("/"):
            cmd = text.split()[0]
            msg["entities"] = [{"type": "bot_command", "offset": 0, "length": len(cmd)}]
        elif reply_to is not None:
            msg["reply_to_message"] = _stub(self.api, self.console.chat, reply_to)
        await self._process({"update_id": uid, "message": msg})

    async def media(self, uid: int, kind: str, name: str = "") -> None:
        msg = self._base(uid)
        fid = {"file_id": f"demo-{uid}", "file_unique_id": f"demo-u{uid}", "file_size": 20480}
        if kind == "photo":
            msg["photo"] = [
                fid | {"width": 320, "height": 240},
                fid | {"width": 1280, "height": 960},
            ]
        else:
            msg["document"] = fid | {"file_name": name, "mime_type": "application/pdf"}
        prompt = _prompt_id(self.api, self.console.chat)
        if prompt is not None:
            msg["reply_to_message"] = _stub(self.api, self.console.chat, prompt)
        await self._process({"update_id": uid, "message": msg})

    async def press(self, uid: int, mid: int, data: str) -> None:
        chat = self.console.chat
        message = dict(_stub(self.api, chat, mid))
        query = {
            "id": f"q{uid}",
            "from": self._user(),
            "chat_instance": "demo",
            "data": data,
            "message": message,
        }
        await self._process({"update_id": uid, "callback_query": query})


def _reply_target(api: LocalBotAPI, chat: int, rest: str) -> tuple[int | None, str]:
    """`N text` -> (N, text); `text` -> (the last bot message, text)."""
    m = REPLY.fullmatch(rest.strip())
    if m and (chat, int(m.group(1))) in api.messages:
        return int(m.group(1)), m.group(2)
    mids = [mid for (c, mid) in api.messages if c == chat]
    return (max(mids) if mids else None), rest.strip()


def _follow_lang(console: Console, text: str) -> None:
    """After `/lang en` the console's own lines switch too."""
    parts = text.split()
    if len(parts) == 2 and parts[0] == "/lang" and parts[1].lower() in LANGS:
        console.lang = parts[1].lower()
        console.names = _names(console.lang)


def _names(lang: str) -> dict[int, str]:
    """Each demo user's name (the console labels lines with it)."""
    return {p.uid: t(lang, f"demo_as_{p.key}") for p in PERSONAS.values()}


async def _chat(session: Session, inp: TextIO, first: int) -> None:
    """Read lines until EOF or `quit`, each one an update."""
    ids = itertools.count(first)
    quit_words = {"quit", "exit", t("zh", "demo_quit"), t("en", "demo_quit")}
    async with running(session.app):
        await session.text(next(ids), "/start", None)
        while True:
            line = await asyncio.to_thread(inp.readline)
            if not line or line.strip() in quit_words:
                break
            if line.strip():
                await session.line(next(ids), line.strip())


async def run_demo(
    inp: TextIO,
    out: TextIO,
    db_path: str | None = None,
    files: str | None = None,
    clock: Clock | None = None,
) -> int:
    """Run the console chat until EOF or `quit` (on the wall clock unless given one)."""
    tmp = None
    if db_path is None:
        tmp = tempfile.TemporaryDirectory(prefix="greencheck-demo-")
        db_path = str(Path(tmp.name) / "demo.db")
    settings = Settings(GREENCHECK_DB=db_path, GREENCHECK_RATE_LIMIT=False)
    clock = clock or SystemClock(settings.zone)
    # The Application opens its own services at start-up; these only prepare the database.
    with contextlib.closing(Services.opened(settings, clock)) as s:
        place = _prepare(s)
        first_update = s.updates.last() + 1  # a kept demo database saw some (repeats are dropped)
    logging.basicConfig(filename=db_path + ".log", level=logging.INFO)
    console = Console(out, settings.lang, Path(files or FILES_DIR))
    console.names = _names(settings.lang)
    api = DemoAPI(clock, on_call=console.show)
    console.api = api
    session = Session(build_application(settings, request=api, clock=clock), api, console, place)
    who = _who(console.lang, PERSONAS[FIRST], place)
    roles = " | ".join(PERSONAS)
    console.say("demo_banner", db=db_path, who=who, files=console.files, roles=roles)
    await _chat(session, inp, first_update)
    if tmp is not None:
        tmp.cleanup()
    console.say("demo_bye")
    return 0


def _prompt_id(api: LocalBotAPI, chat: int) -> int | None:
    """Return the newest ForceReply prompt the bot sent, to reply to it like a phone would."""
    mine = [(key, msg) for key, msg in api.messages.items() if key[0] == chat]
    for key, msg in sorted(mine, key=lambda kv: -kv[0][1]):
        if key in api.force_replies:
            return key[1]
        if msg.get("reply_markup"):
            return None
    return None


def _date(api: LocalBotAPI) -> int:
    return int(api.clock.read().timestamp())


def _stub(api: LocalBotAPI, chat: int, mid: int) -> dict[str, Any]:
    """The message replied to or pressed, as the bot sent it (text included, so a reply to a
    prompt is recognised as one); a bare stub for a message the console never saw."""
    known = api.messages.get((chat, mid))
    if known is not None:
        return known
    return {"message_id": mid, "date": _date(api), "chat": {"id": chat, "type": "private"}}


def main(db_path: str | None = None, files: str | None = None) -> int:
    return asyncio.run(run_demo(sys.stdin, sys.stdout, db_path, files))
