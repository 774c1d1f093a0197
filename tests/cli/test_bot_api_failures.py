"""The commands that talk to Telegram against a local HTTP server on 127.0.0.1 playing a Bot API
that rejects the token (401), is not a Bot API at all (404: a mistyped TELEGRAM_API_BASE_URL),
or fails for a while (502) before answering: never the token, one line, no traceback, exit 1;
and a passing outage at start-up never stops `greencheck run`."""

from __future__ import annotations

import json
import logging
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from bot.cli.bot import configure_logging, redact, telegram_failure
from bot.config import Settings

GREENCHECK = [sys.executable, "-m", "bot"]
TOKEN = "987654321:AAE_fakeSecretTokenValue-0123456789"
SECRET = "AAE_fakeSecretTokenValue"
ME = {"id": 987654321, "is_bot": True, "first_name": "GreenCheck", "username": "gc_test_bot"}


class FakeAPI:
    """A Bot API on 127.0.0.1: `answer(method)` gives (status, body) for each call."""

    def __init__(self, answer: Any) -> None:
        self.answer = answer
        self.calls: list[tuple[str, int]] = []
        api = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                self.rfile.read(length)
                method = self.path.rsplit("/", 1)[-1]
                status, body = api.answer(method)
                api.calls.append((method, status))
                if method == "getUpdates" and status == 200:
                    time.sleep(0.2)  # a long poll that found nothing
                data = body if isinstance(body, bytes) else json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args: Any) -> None:
                return None

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.base = f"http://127.0.0.1:{self.server.server_port}/bot"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def _ok(result: Any) -> tuple[int, dict[str, Any]]:
    return 200, {"ok": True, "result": result}


UNAUTHORIZED = (401, {"ok": False, "error_code": 401, "description": "Unauthorized"})
NOT_FOUND = (404, b"404 page not found")  # what a web server that is no Bot API answers
BAD_GATEWAY = (502, b"<html>502 Bad Gateway</html>")


@pytest.fixture
def api_401() -> Iterator[FakeAPI]:
    api = FakeAPI(lambda method: UNAUTHORIZED)
    yield api
    api.close()


@pytest.fixture
def api_404() -> Iterator[FakeAPI]:
    api = FakeAPI(lambda method: NOT_FOUND)
    yield api
    api.close()


def _env(tmp_path: Path, base: str, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "GREENCHECK_"))}
    env.update(
        GREENCHECK_DB=str(tmp_path / "gc.db"),
        TELEGRAM_BOT_TOKEN=TOKEN,
        TELEGRAM_API_BASE_URL=base,
        GREENCHECK_LANG="en",
        **extra,
    )
    return env


def _run(tmp_path: Path, base: str, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*GREENCHECK, *args],
        cwd=tmp_path,
        env=_env(tmp_path, base),
        capture_output=True,
        text=True,
        timeout=60,
    )


def _assert_one_clean_line(out: subprocess.CompletedProcess[str], base: str, status: str) -> None:
    both = out.stdout + out.stderr
    assert out.returncode == 1, both
    assert SECRET not in both and TOKEN not in both
    assert "Traceback" not in both
    assert out.stderr.strip().count("\n") == 0, out.stderr
    assert base in out.stderr and f"HTTP {status}" in out.stderr


@pytest.mark.parametrize("command", [["run"], ["remind", "send", "--on", "2021-11-08"]])
def test_a_rejected_token_is_one_line_naming_the_base_url_and_status_never_the_token(
    tmp_path, api_401, command
):
    _assert_one_clean_line(_run(tmp_path, api_401.base, *command), api_401.base, "401")


@pytest.mark.parametrize("command", [["run"], ["remind", "send", "--on", "2021-11-08"]])
def test_a_mistyped_base_url_answering_404_is_one_line_never_the_token(tmp_path, api_404, command):
    _assert_one_clean_line(_run(tmp_path, api_404.base, *command), api_404.base, "404")


def test_telegram_failure_redacts_a_token_inside_the_base_url_too():
    from telegram.error import InvalidToken

    settings = Settings(
        TELEGRAM_BOT_TOKEN=TOKEN, TELEGRAM_API_BASE_URL=f"https://proxy.example/bot{TOKEN}/"
    )
    cause = InvalidToken("Not Found")
    exc = InvalidToken(f"The token `{TOKEN}` was rejected by the server.")
    exc.__cause__ = cause
    line = telegram_failure(exc, settings)
    assert SECRET not in line and "HTTP 404" in line and "proxy.example" in line
    assert redact(f"POST https://x/bot{TOKEN}/getMe", settings) == "POST https://x/bot<token>/getMe"


def test_our_logging_config_never_emits_the_token_even_at_debug(caplog):
    settings = Settings(TELEGRAM_BOT_TOKEN=TOKEN)
    root = logging.getLogger()
    before = list(root.handlers)
    try:
        configure_logging(settings)
        caplog.set_level(logging.DEBUG)
        log = logging.getLogger("telegram.ext.test")
        log.debug("HTTP Request: POST https://api.telegram.org/bot%s/getMe", TOKEN)
        try:
            raise RuntimeError(f"The token `{TOKEN}` was rejected by the server.")
        except RuntimeError:
            log.exception("Invalid token")
        text = caplog.text
    finally:
        for h in root.handlers:
            if h not in before:
                root.removeHandler(h)
        for h in before:
            h.filters.clear()
    assert "getMe" in text and "rejected" in text
    assert SECRET not in text


# -- point 8: start-up survives a passing outage -----------------------------------------------


class Outage:
    """502 for the first `n` calls of getMe and of setMyCommands, then a working API."""

    def __init__(self, n: int) -> None:
        self.left = {"getMe": n, "setMyCommands": n}

    def __call__(self, method: str) -> tuple[int, Any]:
        if self.left.get(method, 0) > 0:
            self.left[method] -= 1
            return BAD_GATEWAY
        if method == "getMe":
            return _ok(ME)
        if method == "getUpdates":
            return _ok([])
        return _ok(True)


def test_run_survives_5xx_at_start_up_and_publishes_the_menus_once_the_api_answers(tmp_path):
    api = FakeAPI(Outage(2))
    env = _env(tmp_path, api.base)
    proc = subprocess.Popen(
        [*GREENCHECK, "run"],
        cwd=tmp_path,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + 45
        while time.monotonic() < deadline and proc.poll() is None:
            published = [c for c in api.calls if c == ("setMyCommands", 200)]
            if len(published) >= 6 and ("getUpdates", 200) in api.calls:
                break
            time.sleep(0.2)
        assert proc.poll() is None, proc.communicate()  # still running: it did not exit
    finally:
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=30)
        api.close()
    assert api.calls[:3] == [("getMe", 502), ("getMe", 502), ("getMe", 200)]
    menus = [s for m, s in api.calls if m == "setMyCommands"]
    assert menus[:2] == [502, 502] and menus[2:].count(200) == 6  # all six menus, once each
    assert "retrying" in err and SECRET not in out + err
