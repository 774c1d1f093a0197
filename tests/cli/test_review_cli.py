"""`greencheck review status|list` and `invite --role street`: the issue-11 contract."""

from __future__ import annotations

import json

from bot.catalog import catalog
from tests.bot.test_review_chain import COMMUNITY, STREET, WORKER, _answer_all, _people
from tests.harness import Harness

KEYS = {"community", "stage", "self_score", "verified_score", "history"}
EVENT_KEYS = {"stage", "action", "by", "role", "at", "comment"}


async def test_review_status_and_list_follow_the_contract(tmp_path, monkeypatch, capsys):
    from tests.harness import cli

    monkeypatch.setenv("GREENCHECK_DB", str(tmp_path / "gc.db"))
    monkeypatch.setenv("GREENCHECK_PROGRAM", "heyuan-2021")
    monkeypatch.chdir(tmp_path)
    std = catalog().standard(catalog().programs["heyuan-2021"].standard)
    async with Harness(tmp_path / "gc.db") as h:
        await _people(h)
        await _answer_all(h, len(std.questions))
        await h.submit(WORKER)
        await h.tap(STREET, "通过")
    capsys.readouterr()
    assert cli(["review", "status", "--community", COMMUNITY, "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert set(data) >= KEYS and data["stage"] == "县（区）初审"
    assert data["self_score"] == data["verified_score"] == len(std.questions)
    assert [e["action"] for e in data["history"]] == ["submit", "approve"]
    assert all(set(e) == EVENT_KEYS for e in data["history"])
    assert data["history"][1]["role"] == "street"
    assert cli(["review", "list", "--stage", "县（区）初审", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert [r["community"] for r in rows] == [COMMUNITY]
    assert cli(["review", "list", "--stage", "市级认定", "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == []


async def test_invite_street_from_the_command_line(tmp_path, monkeypatch, capsys):
    from tests.harness import cli

    monkeypatch.setenv("GREENCHECK_DB", str(tmp_path / "gc.db"))
    monkeypatch.chdir(tmp_path)
    async with Harness(tmp_path / "gc.db") as h:
        pass
    capsys.readouterr()
    assert cli(["invite", "--role", "street", "--street", "新江街道"]) == 0
    out = capsys.readouterr().out
    assert "/join " in out  # without a bot username the command prints the code to /join
    async with Harness(tmp_path / "gc.db") as h:
        code = out.split("/join ")[1].split()[0]
        await h.send(5001, f"/start {code}")
        assert "街道审核员" in h.last_text(5001)
        await h.send(5001, "/review")
        assert "没有待您审核" in h.last_text(5001)
