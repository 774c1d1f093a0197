"""`greencheck run`, `invite` and `demo` as a user runs them, in real subprocesses."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

GREENCHECK = [sys.executable, "-m", "bot"]


def _env(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "GREENCHECK_"))}
    env.update({"GREENCHECK_DB": str(tmp_path / "gc.db"), **extra})
    return env


def test_run_without_token_prints_one_clear_line(tmp_path):
    out = subprocess.run(
        [*GREENCHECK, "run"],
        cwd=tmp_path,
        env=_env(tmp_path, GREENCHECK_LANG="en"),
        capture_output=True,
        text=True,
    )
    assert out.returncode == 1
    assert out.stderr.strip().count("\n") == 0
    assert "TELEGRAM_BOT_TOKEN is not set" in out.stderr


def test_invite_prints_code_and_deep_link(tmp_path):
    env = _env(tmp_path, GREENCHECK_BOT_USERNAME="GreenCheckBot", GREENCHECK_LANG="en")
    subprocess.run([*GREENCHECK, "init", "--sample"], cwd=tmp_path, env=env, check=True)
    out = subprocess.run(
        [*GREENCHECK, "invite", "--role", "worker", "--community", "江滨社区"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    code = out.stdout.split("code: ")[1].split()[0]
    assert f"https://t.me/GreenCheckBot?start={code}" in out.stdout
    db = sqlite3.connect(tmp_path / "gc.db")
    assert db.execute("SELECT role FROM invites WHERE code = ?", [code]).fetchone() == ("worker",)


def test_invite_for_unknown_community_fails_with_one_line(tmp_path):
    env = _env(tmp_path, GREENCHECK_LANG="en")
    subprocess.run([*GREENCHECK, "init", "--sample"], cwd=tmp_path, env=env, check=True)
    out = subprocess.run(
        [*GREENCHECK, "invite", "--role", "worker", "--community", "不存在社区"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
    )
    assert out.returncode == 1 and "no match" in out.stderr and "Traceback" not in out.stderr


def test_demo_runs_a_scripted_chat_from_piped_stdin(tmp_path):
    out = subprocess.run(
        [*GREENCHECK, "demo"],
        input="/check\n7\n/gaps\n",
        cwd=tmp_path,
        env=_env(tmp_path),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert out.returncode == 0, out.stderr
    assert "[7] ✅ 符合" in out.stdout  # [1]-[4] navigation, [5] 📎 [6] ✏️: fixed
    assert "已保存" in out.stdout and "已答 1/42" in out.stdout
    assert "缺项" in out.stdout and "未作答 41" in out.stdout
    assert "Traceback" not in out.stdout + out.stderr


def test_kill_9_mid_check_loses_no_answer(tmp_path):
    db = tmp_path / "kept.db"
    proc = subprocess.Popen(
        [*GREENCHECK, "demo", "--db", str(db)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        cwd=tmp_path,
        env=_env(tmp_path),
        text=True,
    )
    assert proc.stdin is not None and proc.stdout is not None
    proc.stdin.write("/check\n7\n9\n")  # 符合, then 不符合 on 1.2
    proc.stdin.flush()
    seen = ""
    deadline = time.monotonic() + 60
    while "已答 2/42" not in seen and time.monotonic() < deadline:
        seen += proc.stdout.readline()
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    rows = (
        sqlite3.connect(db).execute("SELECT question_id, status FROM answers ORDER BY 1").fetchall()
    )
    assert rows == [("1.1", "met"), ("1.2", "not_met")]
    again = subprocess.run(
        [*GREENCHECK, "demo", "--db", str(db)],
        input="/check\n",
        cwd=tmp_path,
        env=_env(tmp_path),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert "已答 2/42" in again.stdout


async def _no_get_me(app: object) -> None:
    return None


def test_webhook_mode_listens_on_the_urls_path_with_a_secret(tmp_path, monkeypatch):
    from telegram.ext import Application

    from tests.harness import cli

    seen: dict[str, object] = {}
    monkeypatch.setattr(Application, "run_webhook", lambda self, **kw: seen.update(kw))
    monkeypatch.setattr("bot.cli.bot._initialize", _no_get_me)  # no network in tests
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", "123:abc")
    monkeypatch.setenv("GREENCHECK_DB", str(tmp_path / "gc.db"))
    assert cli(["run", "--webhook-url", "https://bot.example.org/tg/hook", "--port", "8443"]) == 0
    assert seen["url_path"] == "tg/hook" and seen["port"] == 8443
    assert isinstance(seen["secret_token"], str) and len(seen["secret_token"]) >= 32
