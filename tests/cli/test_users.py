"""`greencheck users list [--json]` and `users revoke ID [--role R]`."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from bot.services.roster import Roster
from bot.store.db import connect
from tests.harness import cli, people_of

T0 = dt.datetime(2022, 3, 1, 9, 0, tzinfo=dt.UTC)


@pytest.fixture
def db_path(tmp_path, monkeypatch):
    path = tmp_path / "g.db"
    monkeypatch.setenv("GREENCHECK_DB", str(path))
    monkeypatch.setenv("GREENCHECK_LANG", "en")
    monkeypatch.setenv("GREENCHECK_ADMINS", "1")
    assert cli(["init", "--sample"]) == 0
    db = connect(path)
    people = people_of(db, T0)
    people.ensure_admins([1])
    code = people.create_invite(
        "worker", 1, community_id=Roster(db).find_community("江滨社区")[0][0]
    )
    people.redeem_invite(code, 7, "王五", "wangwu")
    db.conn.close()
    return path


def test_users_list_json_shows_roles_and_every_grant(db_path, capsys):
    capsys.readouterr()
    assert cli(["users", "list", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    users = {u["user_id"]: u for u in data["users"]}
    assert users[7]["roles"][0] | {"granted_at": ""} == {
        "role": "worker", "scope": "江滨社区", "source": "invite", "granted_at": ""
    }  # fmt: skip
    assert users[1]["roles"][0]["source"] == "env"
    assert [(e["action"], e["user_id"], e["by"]) for e in data["events"]] == [
        ("grant", 1, None),
        ("grant", 7, 1),
    ]


def test_users_revoke_removes_the_role_and_list_shows_the_revoke(db_path, capsys):
    assert cli(["users", "revoke", "7", "--role", "worker"]) == 0
    assert "Revoked from 7: worker of 江滨社区" in capsys.readouterr().out
    assert cli(["users", "list"]) == 0
    out = capsys.readouterr().out
    assert "\trevoke\t7\tworker\t江滨社区\tsource cli\tby system" in out
    assert not [line for line in out.splitlines() if line.startswith("7\t")]


def test_users_revoke_of_an_unknown_user_or_the_last_admin_is_one_line_exit_1(db_path, capsys):
    capsys.readouterr()
    assert cli(["users", "revoke", "999"]) == 1
    assert capsys.readouterr().err.strip() == "error: ❓ No registered user 999."
    assert cli(["users", "revoke", "1"]) == 1
    assert capsys.readouterr().err.strip() == "error: ⛔ The last admin cannot be revoked."


@pytest.mark.parametrize(
    "command", [["users", "list"], ["status", "--json"], ["actions", "list"], ["remind", "due"]]
)
def test_a_command_run_without_the_bots_environment_keeps_its_admins(db_path, monkeypatch, command):
    """Only the bot's start makes the admins follow GREENCHECK_ADMINS: a shell that lacks the
    variable must not demote them."""
    monkeypatch.delenv("GREENCHECK_ADMINS")
    cli(command)
    db = connect(db_path)
    admins = db.execute("SELECT user_id FROM roles WHERE role = 'admin'").fetchall()
    db.conn.close()
    assert admins == [(1,)]
