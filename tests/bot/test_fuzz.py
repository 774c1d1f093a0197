"""Fuzz: random updates of every kind through `Application.process_update`.

Hypothesis draws batches of updates — messages, edited messages, commands with random
arguments, replies to the bot's prompts, photos, documents, callbacks with valid, random or
forged data for every prefix of `handlers/callbacks.py`, taps of the buttons the bot showed,
text answering its prompts — from admins, workers, contacts,
strangers, bots, anonymous admins and channels (`sender_chat`), in private chats and groups, in
Chinese and English; texts and file names draw on C0/C1 control characters and noncharacters
(U+FFFE, U+FFFF…) as well. No exception may reach the error handler. The budget is fixed
(`derandomize`, `max_examples`) so the test runs in `make test` in a few seconds; a longer,
random run: `GREENCHECK_FUZZ_EXAMPLES=5000 .venv/bin/pytest tests/bot/test_fuzz.py`.
"""

from __future__ import annotations

import asyncio
import itertools
import os
from collections.abc import Iterator
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from handlers import callbacks
from tests.harness import ADMIN_ID, NOW, Harness

WORKER, WORKER_EN, CONTACT, STRANGER = 2401, 2402, 2403, 2404
GROUP = -100600
ANON = {"id": 1087968824, "is_bot": True, "first_name": "Group", "username": "GroupAnonymousBot"}
BOT = {"id": 5555, "is_bot": True, "first_name": "otherbot"}
PEOPLE = (ADMIN_ID, WORKER, WORKER_EN, CONTACT, STRANGER)
COMMANDS = [
    "check",
    "gaps",
    "submit",
    "reopen",
    "pack",
    "start",
    "join",
    "help",
    "me",
    "lang",
    "invite",
    "bind",
    "users",
    "review",
    "history",
    "publish",
    "revoke",
    "deadlines",
    "deadline",
    "remind",
    "status",
    "community",
    "missing",
    "export",
    "form",
    "chart",
    "target",
    "action",
    "actions",
    "reassign",
    "withdraw",
    "spotcheck",
    "publicity",
    "objection",
]
WORDS = ["江滨社区", "源城区", "worker", "contact", "admin", "en", "zh", "add", "del", "answers",
         "draw", "assign", "2026", "8", "expert", "weighted",
         "progress", "2031-06-06", "每年", "11-20", "0", "-1", "99999999", "@wangwu", "custom-1",
         str(WORKER), "<b>", "&amp;", "=1+1", "１２", "\u202e", "x" * 70, "\x07铃\uffff",
         "\x1b[31m\ufffe"]  # fmt: skip
# What an attack sends: C0/C1 controls and noncharacters (bot.domain.text cleans them away).
EDGES = [chr(c) for c in (*range(0x20), *range(0x7F, 0xA0))]
EDGES += ["\ufdd0", "\ufdef", "\ufffe", "\uffff", "\U0001fffe", "\U0010ffff"]
FILE_NAMES = ["a.pdf", "\x07\uffff.pdf", "😀" * 80 + ".pdf", "a/../b.pdf"]
_ids = itertools.count(5_000_000)


def _field(grammar: str) -> st.SearchStrategy[str]:
    """A value for one callback field: usually valid for its grammar, sometimes not."""
    valid = st.from_regex(f"^(?:{grammar})$", fullmatch=True)
    if grammar == callbacks.ID:  # mostly ids that exist (and 0)
        valid = st.one_of(st.integers(min_value=0, max_value=8).map(str), valid)
    junk = st.sampled_from(["0", "1", "99999", "999999999999", "x", "", "１", "V1", "bonus"])
    return st.one_of(valid, valid, valid, junk)


def _callback_data() -> st.SearchStrategy[str]:
    per_prefix = [
        st.tuples(*[_field(g) for _, g in a.fields]).map(
            lambda values, p=a.prefix: ":".join([p, *values])
        )
        for a in callbacks.ACTIONS.values()
    ]
    forged = st.tuples(st.sampled_from(sorted(callbacks.ACTIONS)), st.text(max_size=20)).map(
        lambda pv: f"{pv[0]}:{pv[1]}"
    )
    return st.one_of(*per_prefix, *per_prefix, forged, st.text(max_size=70))


senders = st.sampled_from(
    [("user", uid) for uid in PEOPLE for _ in range(2)] + [("anon", 0), ("bot", 0), ("channel", 0)]
)
texts = st.one_of(
    st.tuples(st.sampled_from(COMMANDS), st.lists(st.sampled_from(WORDS), max_size=3)).map(
        lambda cw: " ".join([f"/{cw[0]}", *cw[1]])
    ),
    st.text(st.one_of(st.characters(), st.sampled_from(EDGES)), min_size=1, max_size=40),
    st.sampled_from(WORDS),
)
updates = st.fixed_dictionaries(
    {
        "sender": senders,
        "group": st.booleans(),
        "kind": st.sampled_from(
            ["text", "text", "edit", "photo", "document", "post"] + ["callback", "tap"] * 3
        ),
        "text": texts,
        "data": _callback_data(),
        "reply": st.booleans(),
        "pick": st.integers(min_value=0, max_value=10_000),
        "file_name": st.sampled_from(FILE_NAMES),
    }
)


class Runner:
    """One Harness on its own event loop, shared by every example."""

    def __init__(self, h: Harness) -> None:
        self.h = h
        self.loop = asyncio.new_event_loop()

    def run(self, coro: Any) -> Any:
        return self.loop.run_until_complete(coro)

    def payload(self, u: dict[str, Any]) -> dict[str, Any]:
        kind, who = u["sender"]
        sender = {"anon": ANON, "bot": BOT, "channel": {**BOT, "id": 136817688}}.get(
            kind, {"id": who, "is_bot": False, "first_name": f"用户{who}"}
        )
        chat = (
            {"id": GROUP, "type": "supergroup", "title": "群"}
            if u["group"] or kind != "user"
            else {"id": who, "type": "private", "first_name": "x"}
        )
        mine = [m for (cid, _), m in self.h.api.messages.items() if cid == chat["id"]]
        target = mine[u["pick"] % len(mine)] if mine else None
        prompts = sorted(m for c, m in self.h.api.force_replies if c == chat["id"])
        if u["kind"] == "text" and prompts and u["pick"] % 2:  # answer the newest prompt
            target = self.h.api.messages.get((chat["id"], prompts[-1]), target)
        keyboards = [m for m in mine if m.get("reply_markup")]
        if u["kind"] == "tap" and keyboards:  # mostly the newest card
            target = keyboards[-1 - u["pick"] % min(3, len(keyboards))]
        if u["kind"] in ("callback", "tap"):
            message = target or {"message_id": 1, "date": 0, "chat": chat, "text": "…"}
            query = {"id": f"f{next(_ids)}", "from": sender, "chat_instance": "ci"}
            data = self._button(message, u["pick"]) if u["kind"] == "tap" else None
            return {"callback_query": {**query, "data": data or u["data"], "message": message}}
        msg: dict[str, Any] = {
            "message_id": next(_ids),
            "date": int(NOW.timestamp()),
            "chat": chat,
            "from": sender,
        }
        if kind in ("anon", "channel"):
            msg["sender_chat"] = {"id": GROUP if kind == "anon" else -100777, "type": "channel"}
        if u["reply"] and target is not None:
            msg["reply_to_message"] = target
        if u["kind"] == "post":  # a channel post: no sender at all
            channel = {"id": -100777, "type": "channel", "title": "频道"}
            body = {k: v for k, v in self._body(u, msg).items() if k != "from"}
            return {"channel_post": {**body, "chat": channel, "sender_chat": channel}}
        return {("edited_message" if u["kind"] == "edit" else "message"): self._body(u, msg)}

    @staticmethod
    def _button(message: dict[str, Any], pick: int) -> str | None:
        """The data of one of the message's own buttons (a tap a user could make)."""
        rows = (message.get("reply_markup") or {}).get("inline_keyboard", [])
        data = [b["callback_data"] for r in rows for b in r if "callback_data" in b]
        return data[pick % len(data)] if data else None

    def _body(self, u: dict[str, Any], msg: dict[str, Any]) -> dict[str, Any]:
        base = {"file_id": f"f{next(_ids)}", "file_unique_id": f"u{next(_ids)}", "file_size": 9}
        if u["kind"] == "photo":
            return {**msg, "photo": [{**base, "width": 9, "height": 9}]}
        if u["kind"] == "document":
            return {
                **msg,
                "document": {**base, "file_name": u["file_name"], "mime_type": "application/pdf"},
            }
        text = u["text"]
        msg["text"] = text
        if text.startswith("/"):
            msg["entities"] = [{"type": "bot_command", "offset": 0, "length": len(text.split()[0])}]
        if u["kind"] == "edit":
            msg["edit_date"] = int(NOW.timestamp())
        return msg

    def feed(self, batch: list[dict[str, Any]]) -> None:
        for u in batch:
            self.run(self.h.feed(self.payload(u)))


@pytest.fixture(scope="module")
def runner(tmp_path_factory) -> Iterator[Runner]:
    h = Harness(tmp_path_factory.mktemp("fuzz") / "gc.db")
    r = Runner(h)
    registered = {
        c for hs in h.app.handlers.values() for x in hs for c in getattr(x, "commands", ())
    }
    assert registered == set(COMMANDS), registered ^ set(COMMANDS)  # every command is fuzzed
    r.run(h.__aenter__())

    async def setup() -> None:
        await h.register(WORKER, "worker", "江滨社区")
        await h.register(WORKER_EN, "worker", "河畔社区")
        await h.register(CONTACT, "contact", "源城区")
        await h.send(WORKER_EN, "/lang en")
        await h.send(STRANGER, "/lang en")
        for uid in (WORKER, WORKER_EN):
            await h.send(uid, "/check")
        await h.send(ADMIN_ID, "/status")

    r.run(setup())
    yield r
    h.errors.clear()
    r.run(h.__aexit__(None, None, None))
    r.loop.close()


@settings(
    max_examples=int(os.environ.get("GREENCHECK_FUZZ_EXAMPLES", "300")),  # the fixed budget
    deadline=None,
    derandomize="GREENCHECK_FUZZ_EXAMPLES" not in os.environ,  # a longer run explores anew
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(batch=st.lists(updates, min_size=1, max_size=6))
def test_no_random_update_reaches_the_error_handler(runner, batch):
    runner.h.errors.clear()
    runner.feed(batch)
    assert runner.h.errors == [], batch
