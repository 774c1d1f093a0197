"""Start-up of the read-only CLI commands against `sqlite-utils tables DB --counts`.

    .venv/bin/python tests/bench/bench_startup.py [--runs 5]

Builds a sample database in a temporary folder (`greencheck init --sample`), then times each
command as a fresh process (wall clock, median of `--runs`), interleaved with the baseline so both
see the same machine load. Our modules' .pyc are written on the first run, as a user's Python does. Prints one line per command with its ratio to the baseline; the goal
(issue 15) is every ratio ≤ 1.5. The last line is `max_ratio=<x>`.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
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
            print(
                f"greencheck {' '.join(cmd):<32} {o * 1000:6.0f} ms  baseline {b * 1000:6.0f} ms  ratio {o / b:.2f}"
            )
        print(f"max_ratio={worst:.2f}")


if __name__ == "__main__":
    main()
