"""Identity and floods: anonymous admins and channels (1), edits (6), the duplicate
guard failing (7), invite lifetimes (12), strangers' floods (13); through process_update."""

from __future__ import annotations

import itertools
import sqlite3
from typing import Any

import pytest

from bot.domain.errors import Busy
from bot.services import updates
from bot.texts import t
from tests.harness import ADMIN_ID, Harness, group, private, user

ANONYMOUS_ADMIN_ID = 1087968824  # GroupAnonymousBot
WORKER = 2201
STRANGER = 2202
COMMUNITY = "江滨社区"
_MIDS = itertools.count(700000)
ANON = {
    "id": ANONYMOUS_ADMIN_ID,
    "is_bot": True,
    "first_name": "Group",
    "username": "GroupAnonymousBot",
}


@pytest.fixture
async def bot(tmp_path):
    async with Harness(tmp_path / "gc.db") as h:
        yield h


def _msg(h: Harness, sender: dict[str, Any], chat: dict[str, Any], text: str, **kw: Any) -> Any:
    msg = {
        "message_id": next(_MIDS),
        "date": h.message_date(),
        "chat": chat,
        "from": sender,
        "text": text,
        **kw,
    }
    if text.startswith("/"):
        msg["entities"] = [{"type": "bot_command", "offset": 0, "length": len(text.split()[0])}]
    return msg


def sent_to(h: Harness, chat_id: int) -> list[str]:
    return [
        str(c.params["text"])
        for c in h.api.calls
        if c.method == "sendMessage" and int(c.params["chat_id"]) == chat_id
    ]


def roles_of(h: Harness, uid: int) -> list[tuple[Any, ...]]:
    return h.db.execute("SELECT role FROM roles WHERE user_id = ?", [uid]).fetchall()


async def _code(h: Harness, role: str, scope: str = "") -> str:
    await h.send(ADMIN_ID, f"/invite {role} {scope}".strip())
    return h.invite_link_code(ADMIN_ID)


# -- 1. anonymous admins, channels and bots are nobody ------------------------------------------


@pytest.mark.parametrize(
    ("sender", "extra"),
    [
        (ANON, {"sender_chat": {"id": -100500, "type": "supergroup", "title": "社区工作群"}}),
        (
            {"id": 136817688, "is_bot": True, "first_name": "Channel"},
            {"sender_chat": {"id": -100777, "type": "channel", "title": "频道"}},
        ),
        ({"id": 5555, "is_bot": True, "first_name": "somebot"}, {}),
        (user(2299), {"sender_chat": {"id": -100777, "type": "channel", "title": "频道"}}),
    ],
)
async def test_an_invite_redeemed_anonymously_registers_nobody(bot, sender, extra):
    code = await _code(bot, "contact", "源城区")
    chat = group()
    await bot.feed({"message": _msg(bot, sender, chat, f"/join {code}", **extra)})
    await bot.feed({"message": _msg(bot, sender, chat, f"/start {code}", **extra)})
    assert roles_of(bot, sender["id"]) == []
    assert bot.db.execute("SELECT used_by FROM invites WHERE code = ?", [code]).fetchone() == (
        None,
    )
    # told once (rate-limited per chat) to post as themselves
    assert sent_to(bot, chat["id"]) == [t("zh", "post_as_yourself")]


async def test_a_role_already_on_the_shared_id_grants_nothing(bot):
    """A role left on the anonymous admin id by the old bug authorizes nothing."""
    bot.db.execute(
        "INSERT INTO users (id, name, lang, reachable, created_at) VALUES (?, 'G', 'zh', 1, 'x')",
        [ANONYMOUS_ADMIN_ID],
    )
    bot.db.execute(
        "INSERT INTO roles (user_id, role, granted_at) VALUES (?, 'admin', 'x')",
        [ANONYMOUS_ADMIN_ID],
    )
    chat = group()
    sender_chat = {"sender_chat": {"id": chat["id"], "type": "supergroup", "title": "群"}}
    for command in ("/status", "/me", "/export answers"):
        await bot.feed({"message": _msg(bot, ANON, chat, command, **sender_chat)})
    texts = sent_to(bot, chat["id"])
    assert texts == [t("zh", "post_as_yourself")]  # one reply, no status, no roles, no file
    assert not bot.api.sent("sendDocument")


async def test_a_button_tapped_by_a_bot_id_is_refused_politely(bot):
    await bot.register(WORKER, "worker", COMMUNITY)
    await bot.send(WORKER, "/check")
    mid, _, buttons = bot.card(WORKER)
    for data in (buttons[0][1], "t:1", "g:1"):
        query = {
            "id": f"anon{data}",
            "from": ANON,
            "chat_instance": "ci",
            "data": data,
            "message": bot.api.messages[(WORKER, mid)],
        }
        await bot.feed({"callback_query": query})
    assert bot.alerts()[-3:] == [t("zh", "post_as_yourself")] * 3
    assert bot.db.execute("SELECT count(*) FROM answers").fetchone()[0] == 0


# -- 6. edits count nowhere -------------------------------------------------------------------


async def _edit(h: Harness, uid: int, text: str, **kw: Any) -> None:
    msg = _msg(h, user(uid), kw.pop("chat", private(uid)), text, edit_date=h.message_date(), **kw)
    await h.feed({"edited_message": msg})


async def test_an_edited_invite_or_deadline_command_runs_nothing(bot):
    await bot.send(ADMIN_ID, "/invite worker 江滨社区")
    await bot.send(ADMIN_ID, "/deadline add 2027-06-06 编辑前")
    before = len(bot.api.calls)
    await _edit(bot, ADMIN_ID, "/invite worker 江滨社区")
    await _edit(bot, ADMIN_ID, "/deadline add 2027-06-06 编辑后")
    assert bot.db.execute("SELECT count(*) FROM invites").fetchone()[0] == 1
    assert bot.db.execute("SELECT count(*) FROM custom_deadlines").fetchone()[0] == 1
    assert len(bot.api.calls) == before  # and no reply either


async def test_an_edited_note_reply_is_not_saved_again(bot):
    await bot.register(WORKER, "worker", COMMUNITY)
    await bot.send(WORKER, "/check")
    await bot.tap(WORKER, "备注")
    prompt_id = max(mid for (chat, mid) in bot.api.force_replies if chat == WORKER)
    await bot.send(WORKER, "原来的备注", reply_to=prompt_id)
    calls = len(bot.api.calls)
    for target in (prompt_id, bot.card(WORKER)[0]):  # the prompt, or the card itself
        stub = bot.api.messages.get((WORKER, target))
        await _edit(bot, WORKER, "改过的备注", reply_to_message=stub)
    assert bot.db.execute("SELECT note FROM answers").fetchall() == [("原来的备注",)]
    assert len(bot.api.calls) == calls  # no second save, no hint: the edit is ignored


# -- 7. the duplicate guard fails: one outcome, told once ---------------------------------------


@pytest.mark.parametrize(
    "error", [sqlite3.OperationalError("database or disk is full"), Busy("locked")]
)
async def test_a_failing_duplicate_guard_processes_the_update_and_says_nothing_of_it(
    bot, monkeypatch, error
):
    def broken(*args: Any) -> bool:
        raise error

    monkeypatch.setattr(updates, "claim_update", broken)
    await bot.send(ADMIN_ID, "/invite worker 江滨社区")
    texts = sent_to(bot, ADMIN_ID)
    assert len(texts) == 1 and "?start=" in texts[0]  # the invite, and nothing about a failure
    assert bot.db.execute("SELECT count(*) FROM invites").fetchone()[0] == 1


# -- 12. invite lifetimes ---------------------------------------------------------------------


@pytest.mark.parametrize("days", [0, -1, 366, 99999999])
def test_create_invite_refuses_lifetimes_outside_1_to_365_days(bot, days):

    from bot.domain.errors import InviteError

    with pytest.raises(InviteError) as err:
        bot.app.bot_data.people.create_invite("admin", None, days=days)
    assert err.value.code == "days"


def test_invite_days_setting_is_bounded():
    from pydantic import ValidationError

    from bot.config import Settings

    with pytest.raises(ValidationError):
        Settings(GREENCHECK_INVITE_DAYS=99999999)


# -- 13. strangers' floods --------------------------------------------------------------------


async def test_a_stranger_flood_gets_a_few_replies_and_never_delays_a_worker(bot):
    await bot.register(WORKER, "worker", COMMUNITY)
    for i in range(300):
        await bot.send(STRANGER, "/status" if i % 2 else "你好")
    stranger_replies = len(sent_to(bot, STRANGER))
    assert 1 <= stranger_replies <= 10  # the burst, with the production limiter off
    await bot.send(WORKER, "/check")
    assert bot.card(WORKER)  # the worker is answered at once


async def test_repeated_bad_invite_codes_get_one_reply_per_half_minute(bot):
    await bot.register(WORKER, "worker", COMMUNITY)
    for i in range(20):
        await bot.send(WORKER, f"/join wrongcode{i}")
    assert sent_to(bot, WORKER).count(t("zh", "invite_unknown")) == 1
    code = await _code(bot, "contact", "源城区")
    await bot.send(WORKER, f"/join {code}")  # a right code still works at once
    assert ("contact",) in roles_of(bot, WORKER)
