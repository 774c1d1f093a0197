"""Build a national-scale GreenCheck database for the status benchmark.

120,000 communities in about 3,000 counties, 6 million answers (with their history rows, as the
answer triggers would write them), evidence on a share of the answers, and the cached summary on
every assessment. Most communities run the Guangdong check (the heyuan-2021 program's standard,
42 questions); many also hold an older national-2020 check, so reports must filter by standard.

    .venv/bin/python tests/bench/gen_national.py [--path /tmp/greencheck-national.db] [--force]

The schema comes from bot.db.connect (every migration, including migration 3's per-county
summary `county_progress`); rows go in with executemany of plain SQL inside one transaction, with
the answer-history and summary triggers dropped for speed. Then the history triggers are put back,
and migration 3's statements (bot/store/schema.py) re-create the summary triggers and count the
summary from scratch. Rebuilding is skipped when the file exists, unless --force.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from collections.abc import Iterator
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from bot.catalog import catalog
from bot.store.db import connect
from bot.store.schema import PROGRESS_BACKFILL_SQL, PROGRESS_SUMMARY_SQL, ROSTER_INDEX_SQL

DEFAULT_PATH = "/tmp/greencheck-national.db"
MAIN_STANDARD = "guangdong-2021"
MAIN_PROGRAM = "heyuan-2021"
OLD_STANDARD = "national-2020"
OLD_PROGRAM = "national-2020"


_SYL = (
    "安宁平和兴华东西南北中新城江河山海云龙凤阳光明永长福寿泰康金银玉石清水"
    "沙田林川桥湖岭峰溪源坪塘湾洲港岗台庄"
)


def _names(rng: random.Random, n: int, suffixes: tuple[str, ...], used: set[str]) -> list[str]:
    out: list[str] = []
    while len(out) < n:
        k = rng.choice((2, 2, 2, 3))
        name = "".join(rng.choice(_SYL) for _ in range(k)) + rng.choice(suffixes)
        if name not in used:
            used.add(name)
            out.append(name)
    return out


def _stamps(rng: random.Random, n: int) -> list[str]:
    out = []
    for _ in range(n):
        m, d = rng.randint(1, 12), rng.randint(1, 28)
        h, mi, s = rng.randint(0, 23), rng.randint(0, 59), rng.randint(0, 59)
        year = rng.choice((2021, 2022))
        out.append(f"{year}-{m:02d}-{d:02d}T{h:02d}:{mi:02d}:{s:02d}.000000Z")
    return sorted(out)


def build(path: Path, communities: int, counties: int, answers: int, seed: int) -> dict[str, int]:
    rng = random.Random(seed)
    cat = catalog()
    main_q = [q.id for q in cat.standard(MAIN_STANDARD).questions]
    old_q = [q.id for q in cat.standard(OLD_STANDARD).questions]
    main_ev = {q.id for q in cat.standard(MAIN_STANDARD).questions if q.evidence}
    main_hash, old_hash = cat.hashes[MAIN_STANDARD], cat.hashes[OLD_STANDARD]

    db = connect(path)
    conn = db.conn
    conn.execute("PRAGMA journal_mode = DELETE")  # a fresh file: no WAL copy of every page
    conn.execute("PRAGMA synchronous = OFF")
    conn.execute("PRAGMA cache_size = -200000")
    stamps = _stamps(rng, 4000)
    used: set[str] = set()
    county_names = _names(rng, counties, ("县", "区", "市"), used)
    users = [(100000 + k, f"用户{k}", f"user{k}") for k in range(max(100, communities // 20))]

    conn.execute("BEGIN")
    # The summary is counted once after the load (below), not row by row by its triggers.
    for (name,) in conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'county_progress_%'"
    ).fetchall():
        conn.execute(f"DROP TRIGGER {name}")
    conn.execute("DELETE FROM county_progress")
    conn.executemany(
        "INSERT INTO counties (id, name, region) VALUES (?, ?, ?)",
        [(k + 1, n, f"省{k // 100 + 1:02d}") for k, n in enumerate(county_names)],
    )
    conn.executemany(
        "INSERT INTO users (id, name, username, lang, reachable, created_at)"
        " VALUES (?, ?, ?, 'zh', 1, '2021-07-01T00:00:00.000000Z')",
        users,
    )
    # Communities: counties sized unevenly (1 … ~80), ids contiguous within a county.
    weights = [rng.paretovariate(1.6) for _ in range(counties)]
    scale = communities / sum(weights)
    sizes = [max(1, round(w * scale)) for w in weights]
    diff = communities - sum(sizes)
    k = 0
    while diff:
        j = k % counties
        if diff > 0:
            sizes[j] += 1
            diff -= 1
        elif sizes[j] > 1:
            sizes[j] -= 1
            diff += 1
        k += 1
    street_rows: list[tuple[int, int, str]] = []
    comm_rows: list[tuple[object, ...]] = []
    comm_names = _names(rng, communities, ("社区",), set())
    cid = 0
    for county_id, size in enumerate(sizes, start=1):
        n_streets = max(1, size // 8)
        first_street = len(street_rows) + 1
        for s in range(n_streets):
            street_rows.append((first_street + s, county_id, f"第{s + 1}街道"))
        for _ in range(size):
            name = comm_names[cid]
            cid += 1
            r = rng.random()
            planned = 2021 if r < 0.15 else 2022 if r < 0.45 else None
            comm_rows.append(
                (
                    cid,
                    county_id,
                    first_street + rng.randrange(n_streets),
                    name,
                    int(rng.random() < 0.6),
                    int(rng.random() < 0.05),
                    planned,
                    f"{county_names[county_id - 1]}{name}",
                )
            )
    conn.executemany("INSERT INTO streets (id, county_id, name) VALUES (?, ?, ?)", street_rows)
    conn.executemany(
        "INSERT INTO communities (id, county_id, street_id, name, former_livable, former_green,"
        " planned_year, address) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        comm_rows,
    )

    # Assessments: the main check on 95% of communities (75% of them complete), then old
    # national checks on as many communities as the remaining answer budget allows.
    plan: list[tuple[int, str, int]] = []  # (community, standard, answered)
    main_total = 0
    for c in range(1, communities + 1):
        if rng.random() < 0.95:
            n = len(main_q) if rng.random() < 0.75 else rng.randint(0, len(main_q) - 1)
            plan.append((c, MAIN_STANDARD, n))
            main_total += n
    remaining = max(0, answers - main_total)
    old_count = min(communities, remaining // len(old_q))
    for c in rng.sample(range(1, communities + 1), old_count):
        plan.append((c, OLD_STANDARD, len(old_q)))
    short = answers - main_total - old_count * len(old_q)
    # Top up: give unfinished main checks more answers until the total is reached.
    if short > 0:
        for i, (c, sid, n) in enumerate(plan):
            if sid == MAIN_STANDARD and n < len(main_q):
                add = min(short, len(main_q) - n)
                plan[i] = (c, sid, n + add)
                short -= add
                if not short:
                    break

    ass_rows: list[tuple[object, ...]] = []
    for aid, (c, sid, n) in enumerate(plan, start=1):
        total = len(main_q) if sid == MAIN_STANDARD else len(old_q)
        complete = n == total
        submitted = complete and rng.random() < 0.8
        passed = int(submitted and rng.random() < 0.85)
        gaps = (total - n) + (0 if passed else rng.randint(0, 4) if complete else 0)
        t0 = rng.randrange(len(stamps) - 200)
        ts = stamps[t0 + min(n, 199)]
        ass_rows.append(
            (
                aid,
                c,
                MAIN_PROGRAM if sid == MAIN_STANDARD else OLD_PROGRAM,
                sid,
                main_hash if sid == MAIN_STANDARD else old_hash,
                "submitted" if submitted else "open",
                stamps[t0],
                ts,
                ts if submitted else None,
                users[c % len(users)][0] if submitted else None,
                n,
                total,
                gaps,
                None,
                passed,
            )
        )
    conn.executemany(
        "INSERT INTO assessments (id, community_id, program_id, standard_id, standard_hash,"
        " status, created_at, updated_at, submitted_at, submitted_by, answered, total,"
        " gap_count, score, passed) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
        ass_rows,
    )

    # Answers: written with the history triggers dropped and the history rows inserted in
    # bulk alongside (same rows the triggers would write), then the triggers put back.
    triggers = conn.execute(
        "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'answers'"
    ).fetchall()
    for name, _ in triggers:
        conn.execute(f"DROP TRIGGER {name}")

    def answer_rows() -> Iterator[tuple[object, ...]]:
        for aid, (c, sid, n) in enumerate(plan, start=1):
            qs = main_q if sid == MAIN_STANDARD else old_q
            ok = ass_rows[aid - 1][14] == 1
            uid = users[c % len(users)][0]
            t0 = rng.randrange(len(stamps) - 60)
            for j, q in enumerate(qs[:n]):
                r = rng.random()
                status = "met" if ok or r < 0.8 else "partial" if r < 0.9 else "not_met"
                note = "已整改" if r > 0.97 else None
                yield (aid, q, status, None, None, note, uid, stamps[t0 + j])

    ev_rows: list[tuple[object, ...]] = []
    n_answers = 0
    batch: list[tuple[object, ...]] = []
    ins_a = (
        "INSERT INTO answers (assessment_id, question_id, status, points, deductions, note,"
        " user_id, updated_at) VALUES (?,?,?,?,?,?,?,?)"
    )
    ins_h = (
        "INSERT INTO answer_history (assessment_id, question_id, status, points, deductions,"
        " note, user_id, at) VALUES (?,?,?,?,?,?,?,?)"
    )
    for row in answer_rows():
        batch.append(row)
        if row[1] in main_ev and rng.random() < 0.5:
            ev_rows.append((row[0], row[1], "photo", f"F{len(ev_rows)}", f"U{len(ev_rows)}"))
        if len(batch) >= 200_000:
            conn.executemany(ins_a, batch)
            conn.executemany(ins_h, batch)
            n_answers += len(batch)
            batch = []
    conn.executemany(ins_a, batch)
    conn.executemany(ins_h, batch)
    n_answers += len(batch)
    for _, sql in triggers:
        conn.execute(sql)
    conn.executemany(
        "INSERT INTO evidence (assessment_id, question_id, kind, file_id, file_unique_id,"
        " created_at) VALUES (?, ?, ?, ?, ?, '2022-01-01T00:00:00.000000Z')",
        ev_rows,
    )
    conn.execute("COMMIT")
    # Migration 3's summary triggers back, and the summary counted once from the loaded rows.
    conn.execute("BEGIN IMMEDIATE")
    for sql in (*PROGRESS_SUMMARY_SQL, ROSTER_INDEX_SQL, "DELETE FROM county_progress"):
        conn.execute(sql)
    conn.execute(PROGRESS_BACKFILL_SQL)
    conn.execute("COMMIT")
    conn.execute("PRAGMA journal_mode = WAL")
    conn.close()
    return {
        "counties": counties,
        "communities": communities,
        "assessments": len(ass_rows),
        "answers": n_answers,
        "evidence": len(ev_rows),
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    ap.add_argument("--path", default=DEFAULT_PATH)
    ap.add_argument("--communities", type=int, default=120_000)
    ap.add_argument("--counties", type=int, default=3_000)
    ap.add_argument("--answers", type=int, default=6_000_000)
    ap.add_argument("--seed", type=int, default=20221115)
    ap.add_argument("--force", action="store_true", help="rebuild even if the file exists")
    args = ap.parse_args(argv)
    path = Path(args.path)
    if path.exists() and not args.force:
        print(f"{path} exists; skipping (use --force to rebuild)")
        return 0
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(str(path) + suffix).unlink(missing_ok=True)
    t = time.perf_counter()
    counts = build(path, args.communities, args.counties, args.answers, args.seed)
    took = time.perf_counter() - t
    size = path.stat().st_size / 2**20
    summary = " ".join(f"{k}={v}" for k, v in counts.items())
    print(f"built {path} in {took:.1f} s ({size:.0f} MiB): {summary}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
