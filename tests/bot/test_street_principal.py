"""A street reviewer (街道) is a first-class principal: /me, /help, the command menu,
/review, and /revoke take their street role from the same one-query principal."""

from __future__ import annotations

import pytest

from bot.domain.access import menu_role
from bot.store.people import load_principal
from bot.texts import t
from handlers.menus import MENUS
from tests.harness import ADMIN_ID, Harness

STREET = 3102


@pytest.fixture
async def bot(tmp_path):
    async with Harness(tmp_path / "gc.db") as h:
        yield h


async def test_a_street_only_user_is_registered_with_its_own_help_menu_and_label(bot):
    await bot.register(STREET, "street", "新江街道")
    p = load_principal(bot.db, STREET)
    assert p.registered and len(p.streets) == 1 and menu_role(p) == "street"
    await bot.send(STREET, "/me")
    assert "新江街道 街道审核员" in bot.last_text(STREET)
    assert t("zh", "role_none") not in bot.last_text(STREET)
    await bot.send(STREET, "/help")
    assert bot.last_text(STREET) == t("zh", "help_head") + "\n\n" + t("zh", "help_street")
    await bot.send(STREET, "/lang en")
    await bot.send(STREET, "/me")
    assert "street reviewer of 新江街道" in bot.last_text(STREET)
    menus = [
        c for c in bot.api.calls
        if c.method == "setMyCommands" and str(STREET) in str(c.params.get("scope"))
    ]  # fmt: skip
    assert menus, "the street reviewer gets a menu of their own"
    commands = {cmd["command"] for cmd in _commands(menus[0])}
    assert commands == set(MENUS["street"]) and "review" in commands
    await bot.send(STREET, "/review")
    assert t("en", "rv_not_reviewer") not in bot.last_text(STREET)


async def test_revoking_the_street_role_takes_the_street_away(bot):
    await bot.register(STREET, "street", "新江街道")
    await bot.send(ADMIN_ID, f"/revoke {STREET} street")
    await bot.tap(ADMIN_ID, t("zh", "btn_revoke_confirm"))
    p = load_principal(bot.db, STREET)
    assert not p.registered and not p.streets
    deleted = [c for c in bot.api.calls if c.method == "deleteMyCommands"]
    assert deleted and all(str(STREET) in str(c.params.get("scope")) for c in deleted)
    await bot.send(STREET, "/help")
    assert bot.last_text(STREET) == t("zh", "welcome")


def _commands(call):
    import json

    raw = call.params["commands"]
    return json.loads(raw) if isinstance(raw, str) else raw


async def test_a_street_only_user_gets_a_clear_reply_to_every_command(bot):
    await bot.register(STREET, "street", "新江街道")
    commands = sorted({c for menu in MENUS.values() for c in menu} - {"lang"})
    for command in commands:
        before = len(bot.api.calls)
        await bot.send(STREET, f"/{command}")  # a handler exception fails the test
        replies = [c for c in bot.api.calls[before:] if c.method == "sendMessage"]
        assert replies, command
    await bot.send(STREET, "/missing")  # never "every community has started"
    assert t("zh", "rp_err_no_scope") in bot.last_text(STREET)
    await bot.send(STREET, "/status")
    assert bot.last_text(STREET) == t("zh", "rv_status_street")
