"""Backup while taps run, restore into an empty directory, refuse a corrupted archive."""

from __future__ import annotations

import asyncio
import hashlib
import json
import sqlite3
import zipfile

from bot.files.store import FileStore
from handlers import evidence
from tests.evidence_support import PDF, jpeg
from tests.harness import Harness, cli

WORKER = 2001
COMMUNITY = "江滨社区"


async def _check_with_files(h: Harness) -> None:
    h.api.files |= {"id-j1": jpeg(1), "id-d1": PDF, "id-j2": jpeg(2)}
    await h.register(WORKER, "worker", COMMUNITY)
    await h.send(WORKER, "/check")
    mid, _, _ = h.card(WORKER)
    await h.send_file(WORKER, "document", "j1", reply_to=mid, file_name="a.jpg")
    await h.tap(WORKER, "✅ 符合")
    await h.send_file(WORKER, "document", "d1", reply_to=mid, file_name="b.pdf")
    await h.send_file(WORKER, "photo", "j2", reply_to=mid)
    await evidence.settle()


def _rows(path, sql: str) -> set[tuple[object, ...]]:
    conn = sqlite3.connect(path)
    try:
        return set(conn.execute(sql).fetchall())
    finally:
        conn.close()


ANSWERS = "SELECT assessment_id, question_id, status FROM answers"
FILES = "SELECT question_id, sha256 FROM evidence"


async def test_backup_while_tapping_restores_every_file_and_answer(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("GREENCHECK_DB", str(tmp_path / "gc.db"))
    archive = tmp_path / "backup.zip"
    async with Harness(tmp_path / "gc.db") as h:
        await _check_with_files(h)
        before_answers, before_files = _rows(h.db_path, ANSWERS), _rows(h.db_path, FILES)

        async def taps() -> None:
            for _ in range(6):
                await h.tap(WORKER, "✅ 符合")
                await asyncio.sleep(0)

        backup = asyncio.to_thread(cli, ["backup", "--out", str(archive)])
        code, _ = await asyncio.gather(backup, taps())
        assert code == 0
        after_answers = _rows(h.db_path, ANSWERS)
    assert cli(["backup", "--verify", str(archive)]) == 0
    to = tmp_path / "restored"
    assert cli(["restore", str(archive), "--to", str(to)]) == 0
    restored = to / "greencheck.db"
    got_answers, got_files = _rows(restored, ANSWERS), _rows(restored, FILES)
    assert before_answers <= got_answers <= after_answers  # a consistent copy, taken mid-taps
    assert got_files == before_files and all(sha for _, sha in got_files)
    store = FileStore(to / "greencheck.files")
    for _, sha in got_files:
        assert hashlib.sha256(store.get(str(sha))).hexdigest() == sha


def _corrupt(archive, out) -> str:
    """Copy the archive with one stored file's bytes changed; return that file's name."""
    with zipfile.ZipFile(archive) as src, zipfile.ZipFile(out, "w") as dst:
        names = src.namelist()
        victim = next(n for n in names if n.startswith("files/"))
        for n in names:
            data = src.read(n)
            dst.writestr(n, data[:-1] + bytes([data[-1] ^ 1]) if n == victim else data)
    return victim


async def test_restore_refuses_a_corrupted_archive(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("GREENCHECK_DB", str(tmp_path / "gc.db"))
    async with Harness(tmp_path / "gc.db") as h:
        await _check_with_files(h)
    archive, bad = tmp_path / "ok.zip", tmp_path / "bad.zip"
    assert cli(["backup", "--out", str(archive)]) == 0
    victim = _corrupt(archive, bad)
    capsys.readouterr()
    assert cli(["backup", "--verify", str(bad)]) == 1
    assert f"{victim}: corrupted" in capsys.readouterr().out
    to = tmp_path / "restored"
    assert cli(["restore", str(bad), "--to", str(to)]) == 1
    assert "corrupted" in capsys.readouterr().err
    assert not (to / "greencheck.db").exists()
    assert cli(["restore", str(archive), "--to", str(to)]) == 0
    assert cli(["restore", str(archive), "--to", str(to)]) == 1  # never over a database


async def test_evidence_list_json_has_the_issue_keys(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("GREENCHECK_DB", str(tmp_path / "gc.db"))
    async with Harness(tmp_path / "gc.db") as h:
        await _check_with_files(h)
    capsys.readouterr()
    assert cli(["evidence", "list", "--community", COMMUNITY, "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    keys = ["item", "sha256", "size", "name", "mime", "taken_at", "flags", "stored"]
    assert [list(r) for r in rows] == [keys] * 3
    assert [(r["item"], r["stored"]) for r in rows] == [("1.1", True), ("1.2", True), ("1.2", True)]
    assert (
        rows[0]["taken_at"] == "2026-11-20T10:00:00" and rows[2]["flags"] == []
    )  # sent as a photo, EXIF kept (here)
    assert rows[1] | {"sha256": ""} == {
        "item": "1.2", "sha256": "", "size": len(PDF), "name": "b.pdf",
        "mime": "application/pdf", "taken_at": None, "flags": [], "stored": True,
    }  # fmt: skip
