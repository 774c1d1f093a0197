"""Drive the real Application with `Update.de_json` updates; only the Bot API is local.

`Harness` builds the Application exactly as `greencheck run` does, but with
`bot.localapi.LocalBotAPI` as its request object, and records handler errors so a test fails
on any exception PTB would otherwise swallow.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import itertools
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from telegram import Update

from bot.clock import FixedClock
from bot.config import Settings
from bot.services.people import People
from bot.services.roster import Roster
from bot.store.db import connect
from handlers.app import build_application, running
from handlers.localapi import LocalBotAPI

ADMIN_ID = 1
ZONE = ZoneInfo("Asia/Shanghai")  # GREENCHECK_TZ's default
# Where the harness's clock stands unless a test moves it: never the wall clock.
NOW = dt.datetime(2026, 11, 20, 10, 0, tzinfo=ZONE)
_ids = itertools.count(1)


def user(uid: int, name: str = "") -> dict[str, Any]:
    return {"id": uid, "is_bot": False, "first_name": name or f"用户{uid}"}


def private(uid: int) -> dict[str, Any]:
    return {"id": uid, "type": "private", "first_name": f"用户{uid}"}


def group(chat_id: int = -100500) -> dict[str, Any]:
    return {"id": chat_id, "type": "supergroup", "title": "社区工作群"}


def cli(argv: list[str], at: dt.datetime = NOW) -> int:
    """Run the command line as `greencheck` would, on a clock standing at `at` (never the wall
    clock)."""
    from bot.cli.main import main

    return main(argv, clock=FixedClock(ZONE, at))


def sample_roster(db: Any, program: str = "heyuan-2021") -> Any:
    """Load a program's sample roster into `db` (what `greencheck init --sample` does)."""
    from bot.catalog import catalog

    return Roster(db).load_sample(catalog().programs[program])


def people_of(db: Any, at: dt.datetime = NOW) -> People:
    """The people service over `db` on its own clock standing at `at` (move it with
    `.clock.set`): what `Services.open` builds, for tests below the chat."""
    return People(db, FixedClock(ZONE, at), Roster(db))


def checks_of(db: Any, program: Any, at: dt.datetime = NOW) -> Any:
    """The check service over `db` for a program (an id or a Program), on a clock standing at
    `at`: what the bot and the CLI build, for tests below the chat."""
    from bot.catalog import catalog
    from bot.services.checks import Checks

    cat = catalog()
    found = cat.programs[program] if isinstance(program, str) else program
    return Checks(db, cat, found, FixedClock(ZONE, at))


def reports_of(db: Any, program: Any, at: dt.datetime = NOW) -> Any:
    """The reports service over `db` for a program (an id or a Program), as Services builds it."""
    from bot.services.reports import Reports

    checks = checks_of(db, program, at)
    return Reports(checks, checks.catalog.standard(checks.program.standard))


def form_fields_of(db: Any, at: dt.datetime = NOW) -> Any:
    """The forms' fields service over `db`, on a clock standing at `at`."""
    from bot.services.form_fields import FormFields

    return FormFields(db, FixedClock(ZONE, at))


def exports_of(db: Any, program: Any, at: dt.datetime = NOW) -> Any:
    """The exports service over `db` for a program (an id or a Program), as Services builds it,
    every part on one clock standing at `at`."""
    from bot.services.exports import Exports
    from bot.services.reviews import Reviews

    reports = reports_of(db, program, at)
    fields = form_fields_of(db, at)
    return Exports(reports, Reviews(reports.checks), fields, reports.checks.clock)


def reminders_of(db: Any, program: Any, at: dt.datetime = NOW) -> Any:
    """The reminders service over `db` for a program (an id or a Program) and its reports, on
    a clock standing at `at`: what the bot and the CLI build, for tests below the chat."""
    from bot.catalog import catalog
    from bot.services.reminders import Reminders

    cat = catalog()
    found = cat.programs[program] if isinstance(program, str) else program
    return Reminders(db, FixedClock(ZONE, at), found, reports_of(db, found, at))


def actions_of(db: Any, at: dt.datetime = NOW) -> Any:
    """The corrective-action service over `db`, on a clock of its own standing at `at` (a test
    moves it with `.clock.set`): what the bot and the CLI build, for tests below the chat."""
    from bot.services.actions import Actions

    return Actions(db, FixedClock(ZONE, at))


class Harness:
    """One Application over one SQLite file, with helpers to send updates and read replies."""

    def __init__(
        self,
        db_path: Path,
        program: str = "heyuan-2021",
        sample: bool = True,
        at: dt.datetime = NOW,
        roster: str = "heyuan-2021",
    ) -> None:
        self.db_path = db_path
        self.clock = FixedClock(ZONE, at)  # the one clock of the bot, its Bot API and messages
        if sample:
            db = connect(db_path)
            if not db.execute("SELECT count(*) FROM communities").fetchone()[0]:
                sample_roster(db, roster)  # the program whose sample roster to load
            db.close()
        self.settings = Settings(
            GREENCHECK_DB=str(db_path),
            GREENCHECK_PROGRAM=program,
            GREENCHECK_ADMINS=str(ADMIN_ID),
            GREENCHECK_RATE_LIMIT=False,
        )
        self.api = LocalBotAPI(self.clock)
        self.app = build_application(self.settings, request=self.api, clock=self.clock)
        self.errors: list[BaseException] = []

        async def record(update: object, context: Any) -> None:
            self.errors.append(context.error)

        self.app.add_error_handler(record)
        self._running: Any = None

    async def __aenter__(self) -> Harness:
        self._running = running(self.app)
        await self._running.__aenter__()
        # Jobs stay scheduled but never fire on the wall clock; tests run them with their own.
        assert self.app.job_queue is not None
        self.app.job_queue.scheduler.pause()
        return self

    async def __aexit__(self, *exc: Any) -> None:
        await self._running.__aexit__(*exc)
        if self.errors:
            raise AssertionError(f"handler errors: {self.errors!r}") from self.errors[0]

    @property
    def db(self) -> Any:
        return self.app.bot_data.db

    # -- sending ------------------------------------------------------------------------------

    async def feed(self, payload: dict[str, Any]) -> None:
        payload = {"update_id": next(_ids), **payload}
        await self.app.process_update(Update.de_json(payload, self.app.bot))

    def _message(self, uid: int, chat: dict[str, Any] | None, **extra: Any) -> dict[str, Any]:
        chat = chat or private(uid)  # one message id sequence per chat, shared with the bot's
        mid = self.api.next_id[chat["id"]] = self.api.next_id.get(chat["id"], 1000) + 1
        return {
            "message_id": mid,
            "date": self.message_date(),
            "chat": chat,
            "from": user(uid),
            **extra,
        }

    async def send(
        self,
        uid: int,
        text: str,
        chat: dict[str, Any] | None = None,
        reply_to: int | None = None,
    ) -> None:
        msg = self._message(uid, chat, text=text)
        if text.startswith("/"):
            cmd = text.split()[0]
            msg["entities"] = [{"type": "bot_command", "offset": 0, "length": len(cmd)}]
        if reply_to is not None:
            msg["reply_to_message"] = self._stub(msg["chat"], reply_to)
        await self.feed({"message": msg})

    async def submit(self, uid: int, chat: dict[str, Any] | None = None) -> None:
        """Send /submit and tap its confirmation (which guards against a mis-tap), if offered."""
        chat = chat or private(uid)
        await self.send(uid, "/submit", chat)
        with contextlib.suppress(LookupError):
            mid, _, buttons = self.card(chat["id"])
            confirm = [data for _, data in buttons if data.startswith("sy:")]
            if confirm:
                await self.press(uid, confirm[0], mid, chat)

    async def send_file(
        self,
        uid: int,
        kind: str,
        unique: str,
        chat: dict[str, Any] | None = None,
        reply_to: int | None = None,
        media_group_id: str | None = None,
        file_name: str = "记录.pdf",
        size: int = 1024,
    ) -> None:
        base = {"file_id": f"id-{unique}", "file_unique_id": unique, "file_size": size}
        extra: dict[str, Any] = {}
        if kind == "photo":
            extra["photo"] = [
                {**base, "file_unique_id": unique + "s", "width": 90, "height": 90},
                {**base, "width": 1280, "height": 960},
            ]
        elif kind == "document":
            mime = "application/pdf" if file_name.endswith(".pdf") else "application/octet-stream"
            extra["document"] = {**base, "file_name": file_name, "mime_type": mime}
        elif kind == "video":
            extra["video"] = {**base, "width": 1, "height": 1, "duration": 3}
        msg = self._message(uid, chat, **extra)
        if media_group_id:
            msg["media_group_id"] = media_group_id
        if reply_to is not None:
            msg["reply_to_message"] = self._stub(msg["chat"], reply_to)
        await self.feed({"message": msg})

    def _stub(self, chat: dict[str, Any], mid: int) -> dict[str, Any]:
        known = self.api.messages.get((chat["id"], mid))
        if known is not None:
            return known
        return {"message_id": mid, "date": self.message_date(), "chat": chat, "text": "…"}

    def message_date(self) -> int:
        """A message's `date` field: the harness clock's time, never the wall clock's."""
        return int(self.clock.read().timestamp())

    async def press(
        self, uid: int, data: str, message_id: int, chat: dict[str, Any] | None = None
    ) -> None:
        chat = chat or private(uid)
        message = self.api.messages.get((chat["id"], message_id)) or self._stub(chat, message_id)
        query = {
            "id": f"q{next(_ids)}",
            "from": user(uid),
            "chat_instance": "ci",
            "data": data,
            "message": message,
        }
        await self.feed({"callback_query": query})

    # -- reading ------------------------------------------------------------------------------

    def texts(self, chat_id: int) -> list[str]:
        """Texts the bot sent or edited into `chat_id`, oldest first."""
        out = []
        for c in self.api.calls:
            if (
                c.method in ("sendMessage", "editMessageText")
                and int(c.params["chat_id"]) == chat_id
            ):
                out.append(str(c.params["text"]))
        return out

    def last_text(self, chat_id: int) -> str:
        return self.texts(chat_id)[-1]

    def alerts(self) -> list[str]:
        return [str(c.params.get("text", "")) for c in self.api.sent("answerCallbackQuery")]

    def card(self, chat_id: int) -> tuple[int, str, list[tuple[str, str]]]:
        """Return (message id, text, buttons) of the newest message with a keyboard."""
        for (cid, mid), msg in sorted(self.api.messages.items(), key=lambda kv: -kv[0][1]):
            if cid == chat_id and msg.get("reply_markup"):
                rows = msg["reply_markup"]["inline_keyboard"]
                return (
                    mid,
                    msg.get("text", ""),
                    [(b["text"], b["callback_data"]) for r in rows for b in r],
                )
        raise LookupError("no card in this chat")

    def button(self, chat_id: int, label: str) -> tuple[int, str]:
        """Return (message id, callback data) of the newest card's button whose label contains `label`."""
        mid, _, buttons = self.card(chat_id)
        for text, data in buttons:
            if label in text:
                return mid, data
        raise LookupError(f"no button '{label}' in {[b[0] for b in buttons]}")

    async def tap(self, uid: int, label: str, chat: dict[str, Any] | None = None) -> None:
        chat = chat or private(uid)
        mid, data = self.button(chat["id"], label)
        await self.press(uid, data, mid, chat)

    def invite_link_code(self, chat_id: int) -> str:
        text = self.last_text(chat_id)
        return text.split("?start=")[1].split()[0]

    async def register(self, uid: int, role: str, scope: str = "") -> None:
        """Have the admin create an invite and `uid` open its deep link."""
        await self.send(ADMIN_ID, f"/invite {role} {scope}".strip())
        code = self.invite_link_code(ADMIN_ID)
        await self.send(uid, f"/start {code}")
        if f"iv:add:{code}:{uid}" in self.last_text_markup(uid):  # a second community: keep both
            await self.press(uid, f"iv:add:{code}:{uid}", self.card(uid)[0])

    def last_text_markup(self, chat_id: int) -> str:
        """The callback data of the last message sent to `chat_id` ("" without buttons)."""
        for c in reversed(self.api.calls):
            if c.method == "sendMessage" and int(c.params["chat_id"]) == chat_id:
                return str(c.params.get("reply_markup") or "")
        return ""


def xlsx_of(data: Any, program: Any, zone: Any, now: dt.datetime) -> bytes:
    """An export's workbook as bytes (bot.files.exports.write into memory)."""
    import io

    from bot.files.exports import write

    buf = io.BytesIO()
    write(data, program, buf, zone=zone, now=now)
    return buf.getvalue()
