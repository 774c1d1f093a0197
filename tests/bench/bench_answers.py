"""Time `export answers` (bot/files/answers.py, streamed) on the national database.

    .venv/bin/python tests/bench/gen_national.py        # once: /tmp/greencheck-national.db
    .venv/bin/python tests/bench/bench_answers.py [--path …] [--limit N] [--all]

Writes the heyuan-2021 program's answers (its standard only, as the bot does; `--all`: every
standard) to a temporary file and prints rows, seconds, rows/s, the file's size, the number of
sheets (a new one past Excel's 1,048,576 rows) and the peak RSS. `--limit N` stops after N rows
(a quicker run: the rows/s figure is the same order). The last line is
`rows=<n> rows_per_s=<x> cpu_rows_per_s=<c> mb=<y> sheets=<k> rss_mb=<z>`.
"""

from __future__ import annotations

import argparse
import datetime as dt
import itertools
import resource
import sys
import tempfile
import time
import zipfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from bot.catalog import catalog
from bot.clock import FixedClock
from bot.domain.access import SYSTEM
from bot.domain.exports import Answers
from bot.files import answers
from bot.services.checks import Checks
from bot.services.reports import Reports
from bot.store.db import connect

DEFAULT_PATH = "/tmp/greencheck-national.db"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    ap.add_argument("--path", default=DEFAULT_PATH)
    ap.add_argument("--limit", type=int, default=0)
    ap.add_argument("--all", action="store_true")
    args = ap.parse_args(argv)
    if not Path(args.path).exists():
        print(f"{args.path} not found: run tests/bench/gen_national.py first")
        return 1
    db = connect(Path(args.path))
    program = catalog().program("heyuan-2021")
    now = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)  # dates the title only (no wall clock)
    checks = Checks(db, catalog(), program, FixedClock(dt.UTC, now))
    reports = Reports(checks, catalog().standard(program.standard))
    records = reports.answer_records(SYSTEM, None if args.all else program.standard)
    if args.limit:  # stop the stream after --limit rows
        records = itertools.islice(records, args.limit)
    data = Answers(records, catalog(), None)
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "answers.xlsx"
        t, cpu = time.perf_counter(), time.process_time()
        with out.open("wb") as fh:
            rows = answers.write_answers(fh, data, program, tz=dt.UTC, now=now)
        took = time.perf_counter() - t
        cpu = time.process_time() - cpu
        mb = out.stat().st_size / 2**20
        sheets = sum(n.startswith("xl/worksheets/") for n in zipfile.ZipFile(out).namelist())
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"wrote {rows} rows in {took:.1f} s ({rows / took:,.0f} rows/s wall clock;"
        f" {rows / cpu:,.0f} rows/s of CPU time: on a busy machine the wall figure is lower),"
        f" {mb:.1f} MB, {sheets} sheet(s)"
    )
    print(
        f"rows={rows} rows_per_s={rows / took:.0f} cpu_rows_per_s={rows / cpu:.0f}"
        f" mb={mb:.1f} sheets={sheets} rss_mb={rss:.0f}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
