"""Reminders at scale: working out what is due, and the paced fan-out.

(a) `Reminders.due` for 3,000 counties with 10 deadlines each (all of them inside their reminder
    window), cold (nothing sent yet), with 10 % of the counties confirmed, and in the steady
    state (everything already sent: what every 5-minute tick pays).
(b) Reminders through the real send path — the JobQueue job's callback, `send_due`,
    `context.bot.send_message`, PTB's request layer — against a local Bot API that enforces
    Telegram's overall 30 messages/second over any sliding second and answers 429 with
    `retry_after` beyond it. Two runs:
    - scaled: 10,000 reminders, limit ×10 = 300/s (about half a minute), the Delivery paced at
      that limit and PTB's AIORateLimiter off (it would cap the run at 30/s);
    - production: the configuration `greencheck run` uses — GREENCHECK_RATE_LIMIT on, so
      bot/app.py installs AIORateLimiter(max_retries=3) under the default Delivery (30/s) — at
      the real 30/s, with 1,500 reminders so it stays under a minute.
    Last line, for the production run: `efficiency=<achieved/limit> throttled=<429s>`.

    python tests/bench/bench_reminders.py [--counties 3000] [--fanout 10000] [--scale 10]
                                          [--prod-fanout 1500]
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import statistics
import sys
import tempfile
import time
from collections import deque
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from bot.catalog import catalog
from bot.clock import FixedClock, stamp
from bot.config import Settings
from bot.store.db import connect
from handlers.app import build_application, running
from handlers.localapi import LocalBotAPI
from handlers.reminders import JOB_NAME, Delivery, schedule
from handlers.render_reminders import reminder
from tests.harness import reminders_of

TZ = ZoneInfo("Asia/Shanghai")
PROGRAM = "national-2020"  # its own deadlines are quiet in June; the 10 below are custom ones
TODAY = dt.date(2030, 6, 3)
NOW = dt.datetime.combine(TODAY, dt.time(9, 30), tzinfo=TZ)
TELEGRAM_RATE = 30  # messages per second, per bot


def build(path: Path, counties: int, per_county: int, contacts: int, offsets: list[int]) -> None:
    """A roster of `counties` × `per_county` communities, `contacts` contacts per county,
    a mix of checks, and one custom deadline per offset (days from TODAY)."""
    db = connect(path)
    c = db.conn
    ts = stamp(dt.datetime.now(dt.UTC))
    c.execute("BEGIN")
    c.executemany(
        "INSERT INTO counties (id, name, region) VALUES (?, ?, '全国')",
        [(i, f"县区{i:05d}") for i in range(1, counties + 1)],
    )
    comms = []
    checks = []
    cid = 0
    for county in range(1, counties + 1):
        for k in range(per_county):
            cid += 1
            comms.append((cid, county, f"社区{cid:06d}"))
            kind = (cid * 7) % 5  # 0 none, 1 open, 2 open, 3 submitted+passed, 4 submitted
            if kind:
                status = "submitted" if kind >= 3 else "open"
                answered = 16 if status == "submitted" else 3 + k
                gaps = 0 if kind == 3 else 16 - answered if status == "open" else 2
                checks.append((cid, status, answered, gaps, int(kind == 3)))
    c.executemany("INSERT INTO communities (id, county_id, name) VALUES (?, ?, ?)", comms)
    c.executemany(
        "INSERT INTO assessments (community_id, program_id, standard_id, status, answered, total,"
        " gap_count, passed) VALUES (?, 'national-2020', 'national-2020', ?, ?, 16, ?, ?)",
        checks,
    )
    users = []
    roles = []
    uid = 100_000
    for county in range(1, counties + 1):
        for _ in range(contacts):
            uid += 1
            users.append((uid, f"联系人{uid}", ts))
            roles.append((uid, county, ts))
    c.executemany(
        "INSERT INTO users (id, name, lang, reachable, created_at) VALUES (?, ?, 'zh', 1, ?)", users
    )
    c.executemany(
        "INSERT INTO roles (user_id, role, county_id, granted_at) VALUES (?, 'contact', ?, ?)",
        roles,
    )
    c.executemany(
        "INSERT INTO custom_deadlines (program_id, title, due, created_by, created_at, deleted)"
        " VALUES (?, ?, ?, 1, ?, 0)",
        [
            (PROGRAM, f"专项报送 {i + 1}", (TODAY + dt.timedelta(days=off)).isoformat(), ts)
            for i, off in enumerate(offsets)
        ],
    )
    c.execute("COMMIT")
    db.close()


def timed(fn: Any, repeat: int) -> tuple[float, Any]:
    times = []
    out = None
    for _ in range(repeat):
        t0 = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times), out


def bench_due(counties: int) -> None:
    program = catalog().programs[PROGRAM]
    offsets = [0, 1, 2, 3, 5, 7, 10, 14, -1, -2]  # 10 deadlines, each with an active slot now
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "due.db"
        t0 = time.perf_counter()
        build(path, counties, per_county=5, contacts=1, offsets=offsets)
        print(f"(a) built {counties} counties, {counties * 5} communities, {len(offsets)} deadlines"
              f" in {time.perf_counter() - t0:.1f} s")  # fmt: skip
        db = connect(path)
        reminders = reminders_of(db, program, NOW)
        pairs = counties * len(offsets)
        sec, rows = timed(lambda: reminders.due(NOW), 5)
        print(f"    cold: {len(rows)} reminders due ({pairs} county×deadline pairs)"
              f" in {sec * 1000:.0f} ms  ({pairs / sec:,.0f} pairs/s)")  # fmt: skip
        # 10 % of the counties confirmed every deadline
        conf = [
            (
                PROGRAM,
                r.deadline,
                r.occurrence.isoformat(),
                r.counties[0],
                0,
                stamp(dt.datetime.now(dt.UTC)),
            )
            for r in rows
            if r.counties[0] % 10 == 0
        ]
        db.conn.executemany("INSERT INTO deadline_confirmations VALUES (?, ?, ?, ?, ?, ?)", conf)
        sec, rows = timed(lambda: reminders.due(NOW), 5)
        print(f"    10 % confirmed: {len(rows)} due in {sec * 1000:.0f} ms")
        # steady state: every one of them already sent (what each 5-minute tick pays)
        db.conn.execute("BEGIN")
        for r in rows:
            reminders.claim(r, NOW)
        db.conn.execute("UPDATE reminder_log SET status = 'sent'")
        db.conn.execute("COMMIT")
        sec, rows = timed(lambda: reminders.due(NOW), 5)
        print(f"    steady state (all sent): {len(rows)} due in {sec * 1000:.0f} ms")
        snaps = reminders.snapshots(TODAY)
        sample = reminders.due(NOW + dt.timedelta(days=1))[:counties]
        t0 = time.perf_counter()
        snaps.prefetch(sample)  # as deliver() does: every county's numbers in one query
        for d in sample:
            reminder(d, snaps)
        sec = time.perf_counter() - t0
        print(f"    composing {len(sample)} reminder texts (one per county, live numbers):"
              f" {sec * 1000:.0f} ms ({sec / max(1, len(sample)) * 1000:.2f} ms each)")  # fmt: skip
        db.close()


class ThrottledAPI(LocalBotAPI):
    """The local Bot API with Telegram's overall flood limit: `limit` sendMessage per second
    over any sliding second; beyond it, 429 with retry_after."""

    def __init__(self, limit: int, clock: FixedClock) -> None:
        super().__init__(clock)
        self.limit = limit
        self.window: deque[float] = deque()
        self.accepted: list[float] = []
        self.throttled = 0

    async def do_request(
        self, url: str, method: str, request_data: Any = None, *args: Any, **kw: Any
    ) -> tuple[int, bytes]:
        if url.endswith("/sendMessage"):
            t = time.monotonic()
            while self.window and self.window[0] <= t - 1.0:
                self.window.popleft()
            if len(self.window) >= self.limit:
                self.throttled += 1
                body = {
                    "ok": False,
                    "error_code": 429,
                    "description": "Too Many Requests: retry after 1",
                    "parameters": {"retry_after": 1},
                }
                return 429, json.dumps(body).encode()
            self.window.append(t)
            self.accepted.append(t)
        return await super().do_request(url, method, request_data, *args, **kw)


async def bench_fanout(n: int, scale: float, production: bool) -> tuple[float, int]:
    """Send `n` reminders through the job; `production`: AIORateLimiter on, default Delivery."""
    limit = int(TELEGRAM_RATE * scale)
    counties, contacts = max(1, n // 10), 10
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "fanout.db"
        build(path, counties, per_county=10, contacts=contacts, offsets=[0])
        settings = Settings(
            GREENCHECK_DB=str(path),
            GREENCHECK_PROGRAM=PROGRAM,
            GREENCHECK_ADMINS="1",
            # production: bot/app.py adds AIORateLimiter(max_retries=3), as `greencheck run` does;
            # scaled: off, since AIORateLimiter would cap the run at Telegram's real 30/s
            GREENCHECK_RATE_LIMIT=production,
        )
        clock = FixedClock(TZ, NOW)  # every deadline's slot is open at NOW
        api = ThrottledAPI(limit, clock)
        app = build_application(settings, request=api, publish=False, clock=clock)
        if production:
            assert app.bot.rate_limiter is not None, "the production path has AIORateLimiter"
        async with running(app):
            assert app.job_queue is not None
            for job in app.job_queue.jobs():
                job.enabled = False
            # production: the Delivery schedule() builds by default (30/s); scaled: the same
            # limit the server enforces
            schedule(app, None if production else Delivery(rate=limit))
            for job in app.job_queue.jobs():
                job.enabled = False
            job = app.job_queue.get_jobs_by_name(JOB_NAME)[0]
            t0 = time.perf_counter()
            await job.run(app)  # the job callback: due → compose → paced send_message
            wall = time.perf_counter() - t0
            sent = app.bot_data.db.execute(
                "SELECT count(*) FROM reminder_log WHERE status = 'sent'"
            ).fetchone()[0]
        times = api.accepted
        span = times[-1] - times[0] if len(times) > 1 else float("inf")
        achieved = (len(times) - 1) / span
        label = "production (AIORateLimiter on)" if production else "scaled (AIORateLimiter off)"
        print(f"(b) {label}: {sent} of {counties * contacts} reminders sent in {wall:.1f} s wall"
              f" against a limit of {limit}/s ({TELEGRAM_RATE}/s × {scale:g})")  # fmt: skip
        print(f"    achieved {achieved:.1f} msg/s between first and last send ="
              f" {achieved / limit:.3f} of the limit; 429 answers: {api.throttled}")  # fmt: skip
        return achieved / limit, api.throttled


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--counties", type=int, default=3000)
    ap.add_argument("--fanout", type=int, default=10_000)
    ap.add_argument("--scale", type=float, default=10.0, help="limit = 30/s × scale")
    ap.add_argument(
        "--prod-fanout", type=int, default=1500, help="reminders in the production-path run"
    )
    args = ap.parse_args()
    bench_due(args.counties)
    scaled, scaled_429 = asyncio.run(bench_fanout(args.fanout, args.scale, production=False))
    efficiency, throttled = asyncio.run(bench_fanout(args.prod_fanout, 1.0, production=True))
    print(f"scaled run (×{args.scale:g}, AIORateLimiter off): efficiency={scaled:.3f}"
          f" throttled={scaled_429}")  # fmt: skip
    print(f"efficiency={efficiency:.3f} throttled={throttled}")


if __name__ == "__main__":
    main()
