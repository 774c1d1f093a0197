"""In chat: /users, /revoke with a confirmation button, a second worker
invite asks move or add; GREENCHECK_ADMINS followed at each start."""

from __future__ import annotations

import pytest

from bot.config import Settings
from bot.services.container import Services
from bot.texts import t
from tests.harness import ADMIN_ID, Harness

WORKER = 2301
OTHER = 2302


@pytest.fixture
async def bot(tmp_path):
    async with Harness(tmp_path / "gc.db") as h:
        yield h


async def test_an_admin_revokes_a_worker_after_confirming(bot):
    await bot.register(WORKER, "worker", "江滨社区")
    await bot.send(ADMIN_ID, "/users")
    assert f"ID {WORKER}" in bot.last_text(ADMIN_ID) and "江滨社区 社区工作者" in bot.last_text(
        ADMIN_ID
    )
    await bot.send(ADMIN_ID, f"/revoke {WORKER}")
    assert "确定撤销" in bot.last_text(ADMIN_ID)
    assert bot.db.execute("SELECT count(*) FROM roles WHERE user_id = ?", [WORKER]).fetchone()[0]
    await bot.tap(ADMIN_ID, t("zh", "btn_revoke_confirm"))
    assert "已撤销" in bot.last_text(ADMIN_ID)
    await bot.send(WORKER, "/check")
    assert bot.last_text(WORKER) == t("zh", "not_registered")
    row = bot.db.execute(
        "SELECT action, source, by_user FROM role_events WHERE user_id = ? ORDER BY id DESC",
        [WORKER],
    ).fetchone()
    assert tuple(row) == ("revoke", "chat", ADMIN_ID)


async def test_revoke_is_for_admins_and_a_forged_confirmation_changes_nothing(bot):
    await bot.register(WORKER, "worker", "江滨社区")
    await bot.register(OTHER, "contact", "源城区")
    await bot.send(OTHER, f"/revoke {WORKER}")
    assert bot.last_text(OTHER) == t("zh", "admin_only")
    await bot.press(OTHER, f"rk:{WORKER}:all", 1)
    assert bot.alerts()[-1] == t("zh", "admin_only")
    assert bot.db.execute("SELECT count(*) FROM roles WHERE user_id = ?", [WORKER]).fetchone()[0]
    for bad in ("/revoke", f"/revoke {WORKER} boss", "/revoke @nobody"):
        await bot.send(ADMIN_ID, bad)
    assert "用法" in bot.texts(ADMIN_ID)[-3] and "用法" in bot.texts(ADMIN_ID)[-2]
    assert "@nobody" in bot.last_text(ADMIN_ID)


async def test_a_second_worker_invite_asks_and_moves(bot):
    await bot.register(WORKER, "worker", "江滨社区")
    await bot.send(ADMIN_ID, "/invite worker 河畔社区")
    code = bot.invite_link_code(ADMIN_ID)
    await bot.send(WORKER, f"/start {code}")
    assert "江滨社区" in bot.last_text(WORKER) and "河畔社区" in bot.last_text(WORKER)
    await bot.tap(WORKER, t("zh", "btn_invite_move"))
    assert "不再负责 江滨社区" in bot.last_text(WORKER)
    await bot.send(WORKER, "/me")
    assert "河畔社区 社区工作者" in bot.last_text(WORKER) and "江滨" not in bot.last_text(WORKER)


async def test_a_second_worker_invite_can_keep_both(bot):
    await bot.register(WORKER, "worker", "江滨社区")
    await bot.send(ADMIN_ID, "/invite worker 河畔社区")
    code = bot.invite_link_code(ADMIN_ID)
    await bot.send(WORKER, f"/join {code}")
    await bot.tap(WORKER, t("zh", "btn_invite_add"))
    assert "同时是 河畔社区 和 江滨社区" in bot.last_text(WORKER)


def test_greencheck_admins_is_followed_at_each_start(tmp_path):
    path = str(tmp_path / "gc.db")
    for admins, expected in (("5,6", {5, 6}), ("5", {5}), ("", set())):
        s = Services()
        s.open(Settings(GREENCHECK_DB=path, GREENCHECK_ADMINS=admins), bot_start=True)
        got = {r[0] for r in s.db.execute("SELECT user_id FROM roles WHERE role = 'admin'")}
        s.close()
        assert got == expected, admins


async def test_a_revoked_contact_loses_the_contact_menu(bot):
    await bot.register(OTHER, "contact", "源城区")
    await bot.send(ADMIN_ID, f"/revoke {OTHER} contact")
    await bot.tap(ADMIN_ID, t("zh", "btn_revoke_confirm"))
    deleted = [c for c in bot.api.calls if c.method == "deleteMyCommands"]
    assert deleted and all(str(OTHER) in str(c.params.get("scope")) for c in deleted)
    await bot.send(OTHER, "/status")
    assert bot.last_text(OTHER) == t("zh", "not_registered")


async def test_only_the_invited_worker_can_answer_the_move_or_add_question(bot):
    await bot.register(WORKER, "worker", "江滨社区")
    await bot.send(ADMIN_ID, "/invite worker 河畔社区")
    code = bot.invite_link_code(ADMIN_ID)
    await bot.send(WORKER, f"/start {code}")
    mid, data = bot.button(WORKER, t("zh", "btn_invite_move"))
    await bot.press(OTHER, data, mid, chat={"id": WORKER, "type": "private"})
    assert bot.alerts()[-1] == t("zh", "button_not_yours")
    assert bot.db.execute("SELECT used_by FROM invites WHERE code = ?", [code]).fetchone() == (
        None,
    )
