"""Start-up of the read-only CLI commands against `sqlite-utils tables DB --counts`.

    .venv/bin/python tests/bench/bench_startup.py [--runs 5]

Builds a sample database in a temporary folder (`greencheck init --sample`), then times each
command as a fresh process (wall clock, median of `--runs`), interleaved with the baseline so both
see the same machine load. Our modules' .pyc are written on the first run, as a user's Python does. Prints one line per command with its ratio to the baseline; the goal
is every ratio ≤ 1.5. Then `greencheck run` against a local fake Bot API that hands
out one /start: seconds from spawning the process to its answer (goal: within 1 s). The last line
is `max_ratio=<x> run_first_answer_s=<y>`.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

BIN = Path(sys.executable).parent
COMMANDS = [
    ["status"],
    ["status", "--county", "源城区"],
    ["roster", "show", "--county", "和平县"],
    ["programs", "list"],
    ["standards", "list"],
    ["remind", "due"],
    ["status", "--help"],
]


def _wall(cmd: list[str], env: dict[str, str], cwd: str) -> float:
    t = time.perf_counter()
    subprocess.run(cmd, env=env, cwd=cwd, stdout=subprocess.DEVNULL, check=True)
    return time.perf_counter() - t


# -- `greencheck run`: from the process start to its answer to the first update -------------------

BOT = {"id": 1, "is_bot": True, "first_name": "GreenCheck", "username": "GreenCheckBot"}
START = {
    "update_id": 1,
    "message": {
        "message_id": 1,
        "date": 0,
        "chat": {"id": 42, "type": "private"},
        "from": {"id": 42, "is_bot": False, "first_name": "U"},
        "text": "/start",
        "entities": [{"type": "bot_command", "offset": 0, "length": 6}],
    },
}


class FakeTelegram(BaseHTTPRequestHandler):
    """A Bot API that hands out one /start and notes when the first sendMessage arrives."""

    answered: float | None = None
    served = False
    update_id = 1

    def do_POST(self) -> None:
        method = self.path.rsplit("/", 1)[-1]
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        result: object = True
        if method == "getMe":
            result = BOT
        elif method == "getUpdates":
            update = START | {"update_id": FakeTelegram.update_id}  # new per run: no repeat
            result = [] if FakeTelegram.served else [update]
            FakeTelegram.served = True
            if not result:
                time.sleep(0.2)
        elif method == "sendMessage":
            FakeTelegram.answered = FakeTelegram.answered or time.perf_counter()
            result = {"message_id": 2, "date": 0, "chat": {"id": 42, "type": "private"}}
        body = json.dumps({"ok": True, "result": result}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass

    def handle(self) -> None:
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):  # the bot stopped
            super().handle()


def first_answer(env: dict[str, str], cwd: str) -> float:
    """Seconds from spawning `greencheck run` to its first sendMessage (a fresh fake API)."""
    FakeTelegram.answered, FakeTelegram.served = None, False
    FakeTelegram.update_id += 1
    server = ThreadingHTTPServer(("127.0.0.1", 0), FakeTelegram)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_port}/bot"
    env = env | {"TELEGRAM_BOT_TOKEN": "1:x", "TELEGRAM_API_BASE_URL": base}
    start = time.perf_counter()
    proc = subprocess.Popen(
        [str(BIN / "greencheck"), "run"], env=env, cwd=cwd, stderr=subprocess.DEVNULL
    )
    while FakeTelegram.answered is None and time.perf_counter() - start < 30:
        time.sleep(0.005)
    proc.send_signal(signal.SIGINT)
    proc.wait(timeout=30)
    server.shutdown()
    return (FakeTelegram.answered or float("nan")) - start


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=5)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        db = str(Path(tmp) / "gc.db")
        # PYTHONDONTWRITEBYTECODE would recompile our modules on every run while sqlite-utils'
        # come precompiled from site-packages: measure what a user's Python does (write .pyc once)
        env = {
            k: v
            for k, v in os.environ.items()
            if not k.startswith("GREENCHECK_") and k != "PYTHONDONTWRITEBYTECODE"
        }
        env["GREENCHECK_DB"] = db
        gc = [str(BIN / "greencheck")]
        subprocess.run([*gc, "init", "--sample"], env=env, cwd=tmp, check=True, capture_output=True)
        base_cmd = [str(BIN / "sqlite-utils"), "tables", db, "--counts"]
        worst = 0.0
        for cmd in COMMANDS:
            _wall([*gc, *cmd], env, tmp)  # warm the OS cache (and the catalogue cache)
            ours, base = [], []
            for _ in range(args.runs):
                ours.append(_wall([*gc, *cmd], env, tmp))
                base.append(_wall(base_cmd, env, tmp))
            o, b = statistics.median(ours), statistics.median(base)
            worst = max(worst, o / b)
            name = " ".join(cmd)
            print(
                f"greencheck {name:<32} {o * 1000:6.0f} ms  baseline {b * 1000:6.0f} ms"
                f"  ratio {o / b:.2f}  (fastest runs: {min(ours) / min(base):.2f})"
            )
        runs = [first_answer(env, tmp) for _ in range(args.runs)]
        print(f"greencheck run: first update answered {statistics.median(runs):.2f} s after start")
        print(f"max_ratio={worst:.2f} run_first_answer_s={statistics.median(runs):.2f}")


if __name__ == "__main__":
    main()
