"""Time the spot-check draw and the agreement report, each against a baseline in the same run.

    .venv/bin/python tests/bench/bench_spotchecks.py [--population 100000] [--n 500] [--runs 20]

1. The draw (bot.domain.spotchecks.draw), stratified over 30 counties, on a synthetic
   population, against sorting it and `random.sample` (the floor of a reproducible draw: a
   fixed order, then a seeded sample).
2. The report (SpotChecks.report) on a city of 40 recognised Heyuan communities with 8 decided
   spot checks of 42 items each (built through the services), against one
   `SELECT count(*) FROM spot_items` (the floor of reading them at all).

Prints p50 of each and the ratio; the last line is `draw_ms=<x> draw_ratio=<y> report_ms=<z>
report_ratio=<w>`.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from bot.domain import spotchecks as sc
from bot.domain.access import Principal


def p50(fn: Callable[[], Any], runs: int) -> float:
    fn()
    ts = []
    for _ in range(runs):
        t = time.perf_counter()
        fn()
        ts.append((time.perf_counter() - t) * 1000)
    return statistics.median(ts)


def population(size: int) -> list[sc.Candidate]:
    rng = random.Random(1)
    return [sc.Candidate(i, f"c{i:06d}", f"county-{rng.randrange(30):02d}", "", i)
            for i in range(size)]  # fmt: skip


def city() -> Any:
    """8 decided spot checks of every item on 40 recognised communities (through services)."""
    from bot.store.db import connect
    from tests.harness import NOW, people_of, sample_roster
    from tests.services.test_spotchecks import ADMIN, _forty, _spots

    db = connect(Path(tempfile.mkdtemp()) / "bench.db")
    sample_roster(db)
    people_of(db, NOW).ensure_admins([ADMIN.user_id])
    s = _spots(db)
    _forty(db, s)
    for i, c in enumerate(s.draw(ADMIN, NOW.year, 8, 20261120, {}).drawn):
        spot = s.find(NOW.year, c.community_id)
        s.assign(ADMIN, spot.id, ADMIN.user_id)
        for k, q in enumerate(s.checks.catalog.standard("guangdong-2021").questions):
            s.verify(ADMIN, spot.id, q.id, "n" if (i + k) % 5 == 0 else "k")
        s.decide(ADMIN, spot.id, "confirm")
    return s


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--population", type=int, default=100_000)
    ap.add_argument("--n", type=int, default=500)
    ap.add_argument("--runs", type=int, default=20)
    args = ap.parse_args()
    pop = population(args.population)
    draw = p50(lambda: sc.draw(pop, args.n, 7), args.runs)
    floor = p50(lambda: random.Random(7).sample(sorted(pop), args.n), args.runs)
    print(f"draw of {args.n} from {args.population} over 30 counties: {draw:.2f} ms"
          f" (sorted + random.sample: {floor:.2f} ms, x{draw / floor:.1f})")  # fmt: skip
    s = city()
    admin = Principal(1, admin=True)
    report = p50(lambda: s.report(admin, 2026), args.runs)
    count = p50(lambda: s.db.execute("SELECT count(*) FROM spot_items").fetchone(), args.runs)
    print(f"report of 8 spot checks x 42 items: {report:.2f} ms (count(*): {count:.3f} ms)")
    print(f"draw_ms={draw:.2f} draw_ratio={draw / floor:.1f} report_ms={report:.2f}"
          f" report_ratio={report / count:.0f}")  # fmt: skip


if __name__ == "__main__":
    main()
