"""`greencheck invite --days`: 1..365, else one `error:` line and exit 1."""

from __future__ import annotations

import pytest

from bot.store.db import connect
from tests.harness import cli


@pytest.fixture
def db_path(tmp_path, monkeypatch):
    path = tmp_path / "g.db"
    monkeypatch.setenv("GREENCHECK_DB", str(path))
    monkeypatch.setenv("GREENCHECK_LANG", "en")
    monkeypatch.setenv("GREENCHECK_BOT_USERNAME", "greencheck_bot")
    assert cli(["init", "--sample"]) == 0
    return path


@pytest.mark.parametrize("days", ["0", "-3", "366", "99999999"])
def test_invite_days_outside_1_to_365_is_one_line_and_exit_1(db_path, capsys, days):
    capsys.readouterr()
    assert cli(["invite", "--role", "admin", "--days", days]) == 1
    out = capsys.readouterr()
    assert out.out == ""
    assert out.err.strip() == f"error: an invite lives 1 to 365 days (got {int(days)})."
    assert connect(db_path)["invites"].count == 0


@pytest.mark.parametrize("days", ["1", "365"])
def test_invite_days_at_the_bounds_work(db_path, capsys, days):
    assert cli(["invite", "--role", "admin", "--days", days]) == 0
    assert f"{days}" in capsys.readouterr().out
    assert connect(db_path)["invites"].count == 1
