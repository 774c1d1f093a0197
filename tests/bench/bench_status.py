"""Time the status report on the national-scale database built by gen_national.py.

    .venv/bin/python tests/bench/bench_status.py [--path /tmp/greencheck-national.db] [--runs 30]

Times `Reports.county_status` for all counties (the admin's /status) and, for one county (the largest),
both its county row and its community table (/status <县区>); prints p50 and p95 of repeated runs
after one warm-up, the GROUP BY without the summary table (`use_summary=False`) for reference
(it must agree with the summary), and the peak RSS. The last line is `p50_all_ms=<x> p50_county_ms=<y> rss_mb=<z>`, where the county figure is
the slower of the two one-county views.
"""

from __future__ import annotations

import argparse
import datetime as dt
import resource
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from bot.catalog import catalog
from bot.clock import FixedClock
from bot.services.checks import Checks
from bot.services.reports import Reports
from bot.store.db import connect

DEFAULT_PATH = "/tmp/greencheck-national.db"


def timed(fn: Callable[[], Any], runs: int) -> tuple[float, float, Any]:
    """Return (p50 ms, p95 ms, last result) over `runs` calls after one warm-up call."""
    out = fn()
    ts = []
    for _ in range(runs):
        t = time.perf_counter()
        out = fn()
        ts.append((time.perf_counter() - t) * 1000)
    ts.sort()
    p95 = ts[min(len(ts) - 1, max(0, round(0.95 * len(ts)) - 1))]
    return statistics.median(ts), p95, out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="time the status report at national scale")
    ap.add_argument("--path", default=DEFAULT_PATH)
    ap.add_argument("--runs", type=int, default=30)
    ap.add_argument("--program", default="heyuan-2021")
    ap.add_argument("--year", type=int, default=2022)
    args = ap.parse_args(argv)
    if not Path(args.path).exists():
        print(f"{args.path} is missing: run tests/bench/gen_national.py first", file=sys.stderr)
        return 1
    db = connect(args.path)
    program = catalog().programs[args.program]
    # the status reads never ask the clock; the check service under the reports needs one
    clock = FixedClock(ZoneInfo("Asia/Shanghai"), dt.datetime(args.year, 12, 1, tzinfo=dt.UTC))
    reports = Reports(Checks(db, catalog(), program, clock), catalog().standard(program.standard))
    n_comm = db.conn.execute("SELECT count(*) FROM communities").fetchone()[0]
    n_ans = db.conn.execute("SELECT count(*) FROM answers").fetchone()[0]
    big = db.conn.execute(
        "SELECT county_id, count(*) AS n FROM communities GROUP BY county_id"
        " ORDER BY n DESC LIMIT 1"
    ).fetchone()
    county_id, county_size = int(big[0]), int(big[1])

    p50_all, p95_all, rows = timed(lambda: reports.county_status(args.year), args.runs)
    p50_row, p95_row, _ = timed(
        lambda: reports.county_status(args.year, counties=[county_id]), args.runs
    )
    p50_tab, p95_tab, comm = timed(lambda: reports.community_status(county_id), args.runs)
    runs_fb = max(3, args.runs // 5)
    p50_fb, p95_fb, rows_fb = timed(
        lambda: reports.county_status(args.year, use_summary=False), runs_fb
    )
    if rows_fb != rows:
        print("error: the summary table and the fallback GROUP BY disagree", file=sys.stderr)
        return 1
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    total = rows[-1]
    print(
        f"database: {len(rows) - 1} counties, {n_comm} communities, {n_ans} answers;"
        f" total row: started {total.started}, submitted {total.submitted},"
        f" passed {total.passed}, completion {total.completion_pct}%"
    )
    print(f"status, all counties ({args.runs} runs):  p50 {p50_all:.1f} ms  p95 {p95_all:.1f} ms")
    print(
        f"status, one county row (county {county_id}):  p50 {p50_row:.1f} ms  p95 {p95_row:.1f} ms"
    )
    print(
        f"status <county>, {len(comm)} communities (largest county, {county_size}):"
        f"  p50 {p50_tab:.1f} ms  p95 {p95_tab:.1f} ms"
    )
    print(
        f"fallback GROUP BY without county_progress ({runs_fb} runs):"
        f"  p50 {p50_fb:.1f} ms  p95 {p95_fb:.1f} ms"
    )
    p50_county = max(p50_row, p50_tab)
    print(f"p50_all_ms={p50_all:.1f} p50_county_ms={p50_county:.1f} rss_mb={rss_mb:.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
