"""Shared data for the report tests: random checks on the sample roster, written with plain SQL
(as the check module would), and the numbers a plain loop computes from them."""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

import sqlite_utils

from bot.catalog import catalog
from bot.domain.programs import Program
from bot.domain.reports import CountyRow
from bot.store.db import connect, transaction
from tests.harness import sample_roster

PROGRAM = "heyuan-2021"
STAMPS = (
    "2021-03-02T02:00:00.000000Z",
    "2021-09-15T08:30:00.000000Z",
    "2021-12-31T17:00:00.000000Z",  # 2022-01-01 in Asia/Shanghai
    "2022-05-20T03:00:00.000000Z",
    "2022-11-01T09:45:00.000000Z",
)


def populate(db: sqlite_utils.Database, seed: int = 7) -> None:
    """Random checks on the sample roster, written with plain SQL (as the check module would)."""
    rng = random.Random(seed)
    cat = catalog()
    std = cat.standard("guangdong-2021")
    other = cat.standard("national-2020")
    qs = [q.id for q in std.questions]
    db.conn.executemany(
        "INSERT INTO users (id, name, username) VALUES (?, ?, ?)",
        [(11, "张三", "zs"), (12, None, "lisi"), (13, "王五", None), (14, "赵六", "zl")],
    )
    ids = [r[0] for r in db.conn.execute("SELECT id FROM communities ORDER BY id")]
    for cid in ids:
        kind = rng.choice(("none", "none", "empty", "partial", "complete", "passed", "failed"))
        if rng.random() < 0.3:  # an older national check: must never count for heyuan
            cur = db.conn.execute(
                "INSERT INTO assessments (community_id, program_id, standard_id, status,"
                " answered, total, gap_count, passed, updated_at, submitted_at)"
                " VALUES (?, 'national-2020', 'national-2020', 'submitted', ?, ?, 0, 1, ?, ?)",
                [cid, len(other.questions), len(other.questions), STAMPS[0], STAMPS[0]],
            )
            _verdict(db, cur.lastrowid, "self", STAMPS[0])  # no chain: its own pass counts
        if kind == "none":
            continue
        n = {"empty": 0, "partial": rng.randint(1, len(qs) - 1)}.get(kind, len(qs))
        submitted = kind in ("passed", "failed")
        at = rng.choice(STAMPS)
        cur = db.conn.execute(
            "INSERT INTO assessments (community_id, program_id, standard_id, standard_hash,"
            " status, created_at, updated_at, submitted_at, answered, total, gap_count, score,"
            " passed) VALUES (?, ?, 'guangdong-2021', ?, ?, ?, ?, ?, ?, ?, ?, NULL, ?)",
            [
                cid,
                PROGRAM,
                cat.hashes["guangdong-2021"],
                "submitted" if submitted else "open",
                STAMPS[0],
                at,
                at if submitted else None,
                n,
                len(qs),
                len(qs) - n + rng.randint(0, 2),
                int(kind == "passed"),
            ],
        )
        aid = cur.lastrowid
        if kind == "passed" and cid % 3:  # recognised; the rest wait for review
            _verdict(db, aid, "recognised", at)
        for k, qid in enumerate(qs[:n]):
            status = "met" if kind == "passed" else rng.choice(("met", "met", "partial", "na"))
            if status == "na" and not std.question(qid).na_allowed:
                status = "met"  # N.A. only where the standard allows it
            note = "东门消防通道常被占" if rng.random() < 0.1 else None
            db.conn.execute(
                "INSERT INTO answers (assessment_id, question_id, status, points, deductions,"
                " note, user_id, updated_at) VALUES (?, ?, ?, NULL, NULL, ?, ?, ?)",
                [aid, qid, status, note, rng.choice((11, 12, 13, 14)), at],
            )
            for e in range(rng.choice((0, 0, 1, 2))):
                db.conn.execute(
                    "INSERT INTO evidence (assessment_id, question_id, kind, file_id,"
                    " file_unique_id, user_id, created_at) VALUES (?, ?, 'photo', ?, ?, 11, ?)",
                    [aid, qid, f"f{aid}-{k}-{e}", f"u{aid}-{k}-{e}", at],
                )
        if kind == "partial" and n < len(qs):  # a note on an unanswered question
            db.conn.execute(
                "INSERT INTO answers (assessment_id, question_id, note, user_id, updated_at)"
                " VALUES (?, ?, '待补充', 11, ?)",
                [aid, qs[n], at],
            )


def _verdict(db: sqlite_utils.Database, aid: int | None, kind: str, at: str) -> None:
    db.conn.execute(
        "INSERT INTO verdicts (community_id, assessment_id, standard_id, kind, at)"
        " SELECT community_id, id, standard_id, ?, ? FROM assessments WHERE id = ?",
        [kind, at, aid],
    )


def make_db(tmp_path: Path) -> sqlite_utils.Database:
    """The sample roster with random checks (each test module's `db` fixture)."""
    d = connect(tmp_path / "gc.db")
    sample_roster(d)
    with transaction(d):
        populate(d)
    return d


def the_program() -> Program:
    return catalog().programs[PROGRAM]


def expected_counties(db: sqlite_utils.Database, standard: str, year: int) -> dict[int, dict]:
    """Per county, computed with a plain loop over rows."""
    checks = {
        r[0]: r[1:]
        for r in db.conn.execute(
            "SELECT community_id, answered, status, passed FROM assessments WHERE standard_id = ?",
            [standard],
        )
    }
    done = {
        r[0] for r in db.conn.execute("SELECT community_id FROM verdicts WHERE standard_id = ?",
                                      [standard])
    }  # fmt: skip
    out: dict[int, dict[str, Any]] = {}
    for cid, name in db.conn.execute("SELECT id, name FROM counties"):
        out[cid] = dict.fromkeys(
            ("communities", "livable", "green", "planned", "started", "submitted", "passed",
             "awaiting"), 0
        )  # fmt: skip
        out[cid]["name"] = name
    for cid, county, liv, grn, planned in db.conn.execute(
        "SELECT id, county_id, former_livable, former_green, planned_year FROM communities"
    ):
        e = out[county]
        e["communities"] += 1
        e["livable"] += liv
        e["green"] += grn
        e["planned"] += planned == year
        if cid in checks:
            answered, status, passed = checks[cid]
            e["started"] += (answered or 0) > 0
            e["submitted"] += status == "submitted"
            e["passed"] += cid in done
            e["awaiting"] += cid not in done and status == "submitted" and passed == 1
    return out


def check_rows(rows: list[CountyRow], want: dict[int, dict], target: float | None) -> None:
    counties = [r for r in rows if not r.is_total]
    assert [r.county_id for r in counties] == sorted(want)
    for r in counties:
        e = want[r.county_id]
        got = (r.county, r.communities, r.former_livable, r.former_green, r.planned)
        assert got == (e["name"], e["communities"], e["livable"], e["green"], e["planned"])
        assert (r.started, r.submitted, r.passed) == (e["started"], e["submitted"], e["passed"])
        assert r.awaiting == e["awaiting"]
        assert r.participation_pct == round(100 * e["started"] / e["communities"], 1)
        assert r.completion_pct == round(100 * e["passed"] / e["communities"], 1)
        assert r.target_pct == target
    total = rows[-1]
    assert total.is_total and total.county == "合计"
    for key, attr in (("communities", "communities"), ("started", "started"), ("passed", "passed")):
        assert getattr(total, attr) == sum(e[key] for e in want.values())
    n = sum(e["communities"] for e in want.values())
    assert total.completion_pct == round(100 * sum(e["passed"] for e in want.values()) / n, 1)


def _long_check(db: sqlite_utils.Database, users: int = 40) -> int:
    """A check on community 1 with every question 不符合, each with a 500-character note full of
    characters HTML must escape, answered by many people with long names; long place names."""
    std = catalog().standard("guangdong-2021")
    conn = db.conn
    conn.execute("DELETE FROM assessments WHERE community_id = 1")
    conn.execute("UPDATE communities SET name = ? WHERE id = 1", ["长" * 300 + "社区"])
    conn.execute(
        "UPDATE counties SET name = ? WHERE id = (SELECT county_id FROM communities WHERE id = 1)",
        ["<县&区>" * 50],
    )
    conn.executemany(
        "INSERT INTO users (id, name) VALUES (?, ?)",
        [(1000 + k, f"志愿者{k}号" + "&" * 80) for k in range(users)],
    )
    aid = conn.execute(
        "INSERT INTO assessments (community_id, program_id, standard_id, status, answered,"
        " total, gap_count, passed, updated_at) VALUES (1, ?, 'guangdong-2021', 'open', ?, ?, ?,"
        " 0, ?)",
        [PROGRAM, len(std.questions), len(std.questions), len(std.questions), STAMPS[1]],
    ).lastrowid
    note = ("消防通道被占用&<b>需整改</b>\n" * 40)[:500]
    for k, q in enumerate(std.questions):
        conn.execute(
            "INSERT INTO answers (assessment_id, question_id, status, points, deductions, note,"
            " user_id, updated_at) VALUES (?, ?, 'not_met', NULL, NULL, ?, ?, ?)",
            [aid, q.id, note, 1000 + k % users, STAMPS[1]],
        )
    assert aid is not None
    return int(aid)
