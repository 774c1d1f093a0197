"""`greencheck remind due` and `greencheck remind send`."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.cli.bot import send_reminders as send_on
from bot.clock import FixedClock
from bot.config import Settings
from bot.store.db import connect
from handlers.localapi import LocalBotAPI
from handlers.reminders import Delivery
from tests.bot.reminder_support import CONTACT, OTHER_CONTACT
from tests.harness import NOW, ZONE, cli, sample_roster


@pytest.fixture
def cli_db(tmp_path, monkeypatch) -> Iterator[Path]:
    path = tmp_path / "cli.db"
    monkeypatch.setenv("GREENCHECK_DB", str(path))
    monkeypatch.setenv("GREENCHECK_PROGRAM", "heyuan-2021")
    monkeypatch.delenv("TELEGRAM_BOT_TOKEN", raising=False)
    monkeypatch.setenv("GREENCHECK_LANG", "en")  # the messages these tests read (default: zh)
    db = connect(path)
    sample_roster(db)
    for uid, county in ((CONTACT, "源城区"), (OTHER_CONTACT, "龙川县")):
        db.execute(
            "INSERT INTO users (id, name, reachable) VALUES (?, ?, ?)",
            [uid, f"c{uid}", int(uid == CONTACT)],
        )
        db.execute(
            "INSERT INTO roles (user_id, role, county_id) SELECT ?, 'contact', id FROM counties WHERE name = ?",
            [uid, county],
        )
    db.close()
    yield path


def test_remind_due_json_lists_what_would_be_sent(cli_db, capsys):
    assert cli(["remind", "due", "--on", "2021-11-08", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    got = {
        (r["recipient"], r["deadline"], r["occurrence"], r["lead"], r["reachable"])
        for r in rows
        if r["recipient"] is not None
    }
    assert got == {
        (CONTACT, "progress-table", "2021-11-15", 7, True),
        (CONTACT, "annual-report", "2021-11-15", 7, True),
        (OTHER_CONTACT, "progress-table", "2021-11-15", 7, False),
        (OTHER_CONTACT, "annual-report", "2021-11-15", 7, False),
    }
    assert cli(["remind", "due", "--on", "2021-11-08"]) == 0
    out = capsys.readouterr().out
    assert "4 reminders due" in out and "(unreachable)" in out
    assert "2 more reminders due reach no one" in out


def test_remind_due_lists_reminders_for_counties_without_a_contact(cli_db, capsys):
    """On the sample roster `remind due --on 2022-11-08 --json` printed []."""
    db = connect(cli_db)
    db.execute("DELETE FROM roles")
    db.close()
    assert cli(["remind", "due", "--on", "2022-11-08", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert rows, "a due reminder for a county without a contact must not vanish"
    assert {r["deadline"] for r in rows} == {"progress-table", "annual-report"}
    for r in rows:
        assert r["recipient"] is None and r["reachable"] is False
        assert r["reason"] == "no_contact" and r["kind"] == "contact"
        assert len(r["counties"]) == 7 and "源城区" in r["county_names"]
    assert cli(["remind", "due", "--on", "2022-11-08"]) == 0
    out = capsys.readouterr().out
    assert "0 reminders due" in out and "2 more reminders due reach no one" in out
    assert "no contact registered" in out


def test_remind_send_without_a_token_exits_1(cli_db, capsys):
    assert cli(["remind", "send", "--on", "2021-11-08"]) == 1
    assert "TELEGRAM_BOT_TOKEN" in capsys.readouterr().err


def test_remind_due_bad_date_is_a_usage_error(cli_db, capsys):
    with pytest.raises(SystemExit) as exc:
        cli(["remind", "due", "--on", "2021-13-40"])
    assert exc.value.code == 2
    assert "not a date" in capsys.readouterr().err


async def test_remind_send_sends_exactly_what_due_lists(cli_db, capsys):
    assert cli(["remind", "due", "--on", "2021-11-08", "--json"]) == 0
    listed = json.loads(capsys.readouterr().out)
    api = LocalBotAPI(FixedClock(ZONE, NOW))
    settings = Settings(GREENCHECK_DB=str(cli_db), GREENCHECK_RATE_LIMIT=False)

    async def no_sleep(seconds: float) -> None:
        return None

    report = await send_on(
        settings,
        FixedClock(ZONE, NOW),
        dt.date(2021, 11, 8),
        request=api,
        delivery=Delivery(sleep=no_sleep),
    )
    sendable = [r for r in listed if r["recipient"] is not None]
    assert report.due == len(sendable) == 4
    assert report.sent + len(report.unreachable) == 4
    sent_to = sorted(int(c.params["chat_id"]) for c in api.sent("sendMessage"))
    assert sent_to == sorted(r["recipient"] for r in sendable)
    assert cli(["remind", "due", "--on", "2021-11-08", "--json"]) == 0
    left = json.loads(capsys.readouterr().out)  # only what reaches no one is still listed
    assert left and all(r["reason"] == "no_contact" for r in left)


def test_remind_messages_follow_greencheck_lang_default_chinese(cli_db, capsys, monkeypatch):
    monkeypatch.delenv("GREENCHECK_LANG")
    assert cli(["remind", "due", "--on", "2021-11-08"]) == 0
    out = capsys.readouterr().out
    assert "应发 4 条提醒" in out and "（无法送达）" in out
    assert cli(["remind", "send", "--on", "2021-11-08"]) == 1
    assert "未设置 TELEGRAM_BOT_TOKEN" in capsys.readouterr().err
    assert cli(["remind", "due", "--on", "2021-11-08", "--json"]) == 0
    keys = set(json.loads(capsys.readouterr().out)[0])
    assert keys == {
        "recipient",
        "deadline",
        "occurrence",
        "lead",
        "reachable",
        "reason",
        "kind",
        "counties",
        "communities",
        "streets",
        "name",
        "county_names",
        "street_names",
        "community_names",
        "inferred",
    }
