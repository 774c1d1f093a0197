"""Status reports: numbers equal what the database holds, access rules, chat text, CLI."""

from __future__ import annotations

import json
import random
from pathlib import Path
from typing import Any

import pytest
import sqlite_utils

from bot.domain.programs import Program
from bot.domain.scoring import Answer, score
from bot.domain.standards import catalog
from bot.reports import (
    CountyRow,
    ReportError,
    Scope,
    community_detail,
    community_status,
    county_status,
    has_progress_summary,
    install_progress_summary,
    missing,
    render_community_detail,
    render_community_status,
    render_county_status,
    render_missing,
    resolve_community,
    resolve_county,
)
from bot.roster import RosterError, load_sample
from bot.store.db import connect, transaction
from bot.texts.layout import display_width, pad, paginate, table, truncate

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
        for k, qid in enumerate(qs[:n]):
            status = "met" if kind == "passed" else rng.choice(("met", "met", "partial", "na"))
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


@pytest.fixture
def db(tmp_path: Path) -> sqlite_utils.Database:
    d = connect(tmp_path / "gc.db")
    load_sample(d)
    with transaction(d):
        populate(d)
    return d


@pytest.fixture
def program() -> Program:
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
    out: dict[int, dict[str, Any]] = {}
    for cid, name in db.conn.execute("SELECT id, name FROM counties"):
        out[cid] = dict.fromkeys(
            ("communities", "livable", "green", "planned", "started", "submitted", "passed"), 0
        )
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
            e["passed"] += status == "submitted" and passed == 1
    return out


def check_rows(rows: list[CountyRow], want: dict[int, dict], target: float | None) -> None:
    counties = [r for r in rows if not r.is_total]
    assert [r.county_id for r in counties] == sorted(want)
    for r in counties:
        e = want[r.county_id]
        got = (r.county, r.communities, r.former_livable, r.former_green, r.planned)
        assert got == (e["name"], e["communities"], e["livable"], e["green"], e["planned"])
        assert (r.started, r.submitted, r.passed) == (e["started"], e["submitted"], e["passed"])
        assert r.participation_pct == round(100 * e["started"] / e["communities"], 1)
        assert r.completion_pct == round(100 * e["passed"] / e["communities"], 1)
        assert r.target_pct == target
    total = rows[-1]
    assert total.is_total and total.county == "合计"
    for key, attr in (("communities", "communities"), ("started", "started"), ("passed", "passed")):
        assert getattr(total, attr) == sum(e[key] for e in want.values())
    n = sum(e["communities"] for e in want.values())
    assert total.completion_pct == round(100 * sum(e["passed"] for e in want.values()) / n, 1)


@pytest.mark.parametrize("year", [2021, 2022])
def test_county_status_equals_a_loop_over_the_rows(db, program, year):
    want = expected_counties(db, "guangdong-2021", year)
    target = program.target_for(year)
    assert target is not None
    check_rows(county_status(db, program, year, use_summary=False), want, target.pct)
    install_progress_summary(db)
    check_rows(county_status(db, program, year), want, target.pct)


def test_target_is_the_programs_figure_for_the_year(db, program):
    assert county_status(db, program, 2021)[-1].target_pct == 30
    assert county_status(db, program, 2022)[-1].target_pct == 60  # the higher of the two
    assert county_status(db, program, 2030)[-1].target_pct == 60


def test_summary_table_follows_every_kind_of_change(db, program):
    install_progress_summary(db)
    assert has_progress_summary(db)
    conn = db.conn
    rng = random.Random(3)
    aids = [
        r[0]
        for r in conn.execute(
            "SELECT id FROM assessments WHERE standard_id = ?", ["guangdong-2021"]
        )
    ]
    for aid in rng.sample(aids, 15):
        conn.execute(
            "UPDATE assessments SET answered = ?, status = ?, passed = ? WHERE id = ?",
            [rng.choice((0, 5, 42)), rng.choice(("open", "submitted")), rng.choice((0, 1)), aid],
        )
    conn.execute("UPDATE assessments SET answered = answered WHERE id = ?", [aids[0]])  # no-op
    conn.execute("UPDATE assessments SET status = NULL, answered = NULL WHERE id = ?", [aids[1]])
    # A community moves to another county with its checks.
    cid = conn.execute("SELECT community_id FROM assessments WHERE id = ?", [aids[2]]).fetchone()[0]
    conn.execute("UPDATE communities SET county_id = 7 WHERE id = ?", [cid])
    # A new check, and a check without answers deleted.
    free = conn.execute(
        "SELECT id FROM communities WHERE id NOT IN (SELECT community_id FROM assessments"
        " WHERE standard_id = 'guangdong-2021') LIMIT 2"
    ).fetchall()
    conn.execute(
        "INSERT INTO assessments (community_id, program_id, standard_id, status, answered, total,"
        " gap_count, passed) VALUES (?, 'heyuan-2021', 'guangdong-2021', 'submitted', 42, 42, 0, 1)",
        [free[0][0]],
    )
    empty = conn.execute(
        "SELECT a.id FROM assessments a WHERE NOT EXISTS (SELECT 1 FROM answers q"
        " WHERE q.assessment_id = a.id) AND NOT EXISTS (SELECT 1 FROM evidence e"
        " WHERE e.assessment_id = a.id) LIMIT 1"
    ).fetchone()
    conn.execute("DELETE FROM assessments WHERE id = ?", [empty[0]])
    for year in (2021, 2022):
        want = expected_counties(db, "guangdong-2021", year)
        fast = county_status(db, program, year)
        assert fast == county_status(db, program, year, use_summary=False)
        check_rows(fast, want, program.target_for(year).pct)


def test_installing_the_summary_twice_counts_once(db, program):
    install_progress_summary(db)
    first = county_status(db, program, 2022)
    install_progress_summary(db)
    assert county_status(db, program, 2022) == first
    assert first == county_status(db, program, 2022, use_summary=False)


def test_other_standards_checks_never_count(db, program):
    national = catalog().programs["national-2020"]
    rows = county_status(db, national, 2022)
    want = expected_counties(db, "national-2020", 2022)
    check_rows(rows, want, 60)
    assert rows[-1].passed != county_status(db, program, 2022)[-1].passed


def test_community_status_equals_the_rows_of_one_county(db, program):
    std = catalog().standard("guangdong-2021")
    for county_id in (1, 4):
        rows = community_status(db, county_id, program)
        names = [
            r[0]
            for r in db.conn.execute(
                "SELECT name FROM communities WHERE county_id = ?", [county_id]
            )
        ]
        assert sorted(r.community for r in rows) == sorted(names)
        for r in rows:
            a = db.conn.execute(
                "SELECT id, status, answered, total, gap_count, passed, updated_at FROM assessments"
                " WHERE community_id = ? AND standard_id = 'guangdong-2021'",
                [r.community_id],
            ).fetchone()
            if a is None:
                assert (r.state, r.answered, r.total, r.last_activity) == (
                    "not_started",
                    0,
                    len(std.questions),
                    None,
                )
                continue
            aid, status, answered, total, gaps, passed, updated = a
            met = sum(
                1
                for (s,) in db.conn.execute(
                    "SELECT status FROM answers WHERE assessment_id = ?", [aid]
                )
                if s == "met"
            )
            assert (r.answered, r.total, r.gap_count, r.met) == (answered, total, gaps, met)
            assert r.passed == (status == "submitted" and passed == 1)
            assert r.last_activity == updated
            want_state = (
                "submitted" if status == "submitted" else "open" if answered else "not_started"
            )
            assert r.state == want_state


def test_a_contact_never_sees_another_county(db, program):
    contact = Scope(counties=frozenset({2}))
    rows = county_status(db, program, 2022, contact)
    assert [r.county_id for r in rows if not r.is_total] == [2]
    assert rows[-1].communities == rows[0].communities
    assert community_status(db, 1, program, contact) == []
    assert {r.county_id for r in community_status(db, 2, program, contact)} == {2}
    assert {r.county_id for r in missing(db, None, program, contact)} <= {2}
    other = db.conn.execute("SELECT id FROM communities WHERE county_id = 1 LIMIT 1").fetchone()[0]
    with pytest.raises(ReportError):
        community_detail(db, other, program, viewer=contact)


def test_a_worker_never_sees_another_community(db, program):
    mine = db.conn.execute(
        "SELECT id, county_id FROM communities WHERE county_id = 1 LIMIT 1"
    ).fetchone()
    worker = Scope(communities=frozenset({mine[0]}))
    assert [r for r in county_status(db, program, 2022, worker) if not r.is_total] == []
    rows = community_status(db, 1, program, worker)
    assert [r.community_id for r in rows] == [mine[0]]
    assert community_status(db, 2, program, worker) == []
    assert {r.community_id for r in missing(db, None, program, worker)} <= {mine[0]}
    assert community_detail(db, mine[0], program, viewer=worker).community_id == mine[0]
    neighbour = db.conn.execute(
        "SELECT id FROM communities WHERE county_id = 1 AND id != ? LIMIT 1", [mine[0]]
    ).fetchone()[0]
    with pytest.raises(ReportError):
        community_detail(db, neighbour, program, viewer=worker)


def test_missing_lists_exactly_the_communities_without_an_answer(db, program):
    started = {
        r[0]
        for r in db.conn.execute(
            "SELECT community_id FROM assessments WHERE standard_id = 'guangdong-2021'"
            " AND answered > 0"
        )
    }
    everyone = [r for r in db.conn.execute("SELECT id, county_id FROM communities")]
    want = {cid for cid, _ in everyone if cid not in started}
    rows = missing(db, None, program)
    assert {r.community_id for r in rows} == want
    assert len(rows) == len(want)
    in_three = {cid for cid, county in everyone if county == 3 and cid not in started}
    assert {r.community_id for r in missing(db, 3, program)} == in_three


def test_community_detail_scores_gaps_counts_evidence_and_names_who(db, program):
    std = catalog().standard("guangdong-2021")
    aid, cid = db.conn.execute(
        "SELECT id, community_id FROM assessments WHERE standard_id = 'guangdong-2021'"
        " AND answered BETWEEN 1 AND 41 ORDER BY id LIMIT 1"
    ).fetchone()
    d = community_detail(db, cid, program)
    evidence: dict[str, int] = {}
    for (qid,) in db.conn.execute(
        "SELECT question_id FROM evidence WHERE assessment_id = ?", [aid]
    ):
        evidence[qid] = evidence.get(qid, 0) + 1
    answers = {
        qid: Answer(st, pts, evidence.get(qid, 0), note)
        for qid, st, pts, note in db.conn.execute(
            "SELECT question_id, status, points, note FROM answers WHERE assessment_id = ?", [aid]
        )
        if st is not None
    }
    want = score(std, answers)
    assert d.result is not None
    assert [(g.id, g.reason) for g in d.gaps] == [(g.id, g.reason) for g in want.gaps]
    assert (d.result.answered, d.result.met) == (want.answered, want.met)
    assert d.evidence_total == sum(evidence.values())
    assert {a.question_id: a.evidence for a in d.answers} == {
        q: evidence.get(q, 0) for q in {a.question_id for a in d.answers}
    }
    names = {11: "张三", 12: "@lisi", 13: "王五", 14: "赵六"}
    for line in d.answers:
        uid = db.conn.execute(
            "SELECT user_id FROM answers WHERE assessment_id = ? AND question_id = ?",
            [aid, line.question_id],
        ).fetchone()[0]
        assert line.user == names[uid]
    hist = db.conn.execute("SELECT count(*) FROM answer_history WHERE assessment_id = ?", [aid])
    assert len(d.history) == min(30, hist.fetchone()[0])
    assert sum(n for _, n, _ in d.contributors) == len(answers)
    text = render_community_detail(d)
    assert d.community in text and "缺项" in text


def test_community_detail_of_a_community_without_a_check(db, program):
    cid = db.conn.execute(
        "SELECT id FROM communities WHERE id NOT IN (SELECT community_id FROM assessments)"
    ).fetchone()[0]
    d = community_detail(db, cid, program)
    assert d.state == "not_started" and d.assessment_id is None
    assert d.result is not None and len(d.gaps) == len(
        catalog().standard("guangdong-2021").questions
    )
    with pytest.raises(ReportError):
        community_detail(db, 10**6, program)


# -- text --------------------------------------------------------------------------------------


def test_display_width_counts_a_chinese_character_as_two_columns():
    assert display_width("源城区") == 6
    assert display_width("abc") == 3
    assert display_width("江东新区 5") == 10
    assert display_width("（%）") == 5  # full-width brackets are wide, % is not
    assert pad("源城区", 10) == "源城区    "
    assert pad("44", 5, "right") == "   44"
    assert display_width(pad("江东新区", 12)) == 12


def test_truncate_keeps_within_the_display_width():
    assert truncate("秦皇岛经济技术开发区", 10) == "秦皇岛经…"
    assert display_width(truncate("秦皇岛经济技术开发区", 10)) <= 10
    assert truncate("源城区", 10) == "源城区"


def test_table_columns_line_up_by_display_width():
    text = table(
        ["县区", "社区", "完成率"],
        [["源城区", "44", "15.9%"], ["江东新区", "5", "0.0%"], ["A县", "123", "100.0%"]],
    )
    lines = text.splitlines()
    assert len({display_width(line) for line in lines}) == 1  # right-aligned last column
    # the second column ends at the same display column on every line
    ends = []
    for line in lines:
        cut = line.rstrip().rsplit("  ", 1)[0].rstrip()
        ends.append(display_width(cut))
    assert len(set(ends)) == 1


def test_paginate_clamps_the_page_and_counts_pages():
    items = list(range(45))
    p = paginate(items, 3, 20)
    assert (p.items, p.page, p.pages, p.total) == (list(range(40, 45)), 3, 3, 45)
    assert p.has_prev and not p.has_next and p.label() == "第 3/3 页"
    assert paginate(items, 99, 20).page == 3
    assert paginate(items, 0, 20).page == 1
    assert paginate([], 1, 20).pages == 1


def test_status_text_is_a_padded_pre_table_and_pages(db, program):
    rows = county_status(db, program, 2022)
    text = render_county_status(rows, program, page=2, size=3)
    assert "<pre>" in text and "</pre>" in text and "2022 年目标 60%" in text
    assert "第 2/3 页" in text
    body = text.split("<pre>")[1].split("</pre>")[0].splitlines()
    assert [line.split()[0] for line in body[1:]] == ["和平县", "龙川县", "紫金县", "合计"]
    widths = {display_width(line) for line in body}
    assert len(widths) == 1
    wide = render_county_status(rows, program, wide=True, html_out=False)
    assert "原宜居" in wide and "<pre>" not in wide and "合计" in wide


def test_status_text_escapes_html(db, program):
    db.conn.execute("UPDATE counties SET name = '<b>县' WHERE id = 1")
    text = render_county_status(county_status(db, program, 2022), program)
    assert "&lt;b&gt;县" in text and "<b>" not in text


def test_community_and_missing_texts_page(db, program):
    rows = community_status(db, 1, program)
    text = render_community_status(rows, "源城区", program, page=2, size=10)
    assert "第 2/5 页" in text and "<pre>" in text
    m = missing(db, None, program)
    assert f"（{len(m)}）" in render_missing(m, size=5)


def test_names_match_forgivingly_and_ambiguity_lists_candidates(db):
    assert resolve_county(db, "源城")[1] == "源城区"
    assert resolve_county(db, "龙川县")[1] == "龙川县"
    names = [r[0] for r in db.conn.execute("SELECT name FROM communities")]
    firsts: dict[str, list[str]] = {}
    for n in names:
        firsts.setdefault(n[0], []).append(n)
    prefix, group = next((k, v) for k, v in firsts.items() if len(v) > 1)
    with pytest.raises(RosterError) as err:
        resolve_community(db, prefix)
    assert "不唯一" in str(err.value) and all(n in str(err.value) for n in group[:10])
    with pytest.raises(RosterError, match="找不到"):
        resolve_county(db, "不存在县")


# -- CLI ---------------------------------------------------------------------------------------


@pytest.fixture
def cli_env(db, tmp_path, monkeypatch):
    monkeypatch.setenv("GREENCHECK_DB", str(tmp_path / "gc.db"))
    monkeypatch.setenv("GREENCHECK_PROGRAM", PROGRAM)
    monkeypatch.chdir(tmp_path)  # no stray .env
    return db


def test_cli_status_json_has_the_county_numbers(cli_env, program, capsys):
    from bot.cli.main import main

    assert main(["status", "--json", "--year", "2022"]) == 0
    data = json.loads(capsys.readouterr().out)
    want = expected_counties(cli_env, "guangdong-2021", 2022)
    assert [d["county_id"] for d in data] == sorted(want)
    for d in data:
        e = want[d["county_id"]]
        assert d["county"] == e["name"]
        assert (d["communities"], d["started"], d["submitted"], d["passed"]) == (
            e["communities"],
            e["started"],
            e["submitted"],
            e["passed"],
        )
        assert d["participation_pct"] == round(100 * e["started"] / e["communities"], 1)
        assert d["completion_pct"] == round(100 * e["passed"] / e["communities"], 1)
        assert d["target_pct"] == 60


def test_cli_status_for_one_county(cli_env, capsys):
    from bot.cli.main import main

    assert main(["status", "--county", "龙川", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert len(data) == 15 and {d["county"] for d in data} == {"龙川县"}
    assert main(["status", "--county", "龙川县"]) == 0
    assert "龙川县" in capsys.readouterr().out


def test_cli_unknown_or_ambiguous_name_prints_one_line_and_exits_1(cli_env, capsys):
    from bot.cli.main import main

    assert main(["status", "--county", "不存在"]) == 1
    err = capsys.readouterr().err.strip()
    assert err.count("\n") == 0 and "找不到" in err
    names = [r[0] for r in cli_env.conn.execute("SELECT name FROM communities")]
    prefix = next(n[0] for n in names if sum(m.startswith(n[0]) for m in names) > 1)
    assert main(["form", "--community", prefix, "--out", "x.docx"]) == 1
    err = capsys.readouterr().err.strip()
    assert err.count("\n") == 0 and "候选" in err


def test_every_report_command_has_an_example():
    import argparse

    import bot.cli.reports  # noqa: F401  (registers the commands)
    from bot.cli.main import build_parser

    parser = build_parser()
    sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    for name in ("status", "export", "form", "chart"):
        assert "example:" in (sub.choices[name].epilog or "")


# -- review fixes: message length, schema queries, bot.checks reuse, time zone, access ---------


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


def _item_lines(text: str) -> int:
    return sum(1 for line in text.splitlines() if line.startswith("  ") and "…（另" not in line)


def test_community_detail_text_stays_within_the_telegram_limit(db, program):
    _long_check(db)
    d = community_detail(db, 1, program)
    assert len(d.gaps) >= 30 and all(g.note for g in d.gaps[:5])
    text = render_community_detail(d)
    assert len(text) <= 4000
    gap_lines = [line for line in text.splitlines() if " [不符合] " in line]
    assert gap_lines and all(len(line) < 300 for line in gap_lines)  # notes cut short
    assert "\n需整改" not in text and "<b>" not in text  # one line per note, escaped
    # Everything asked for: the text is cut at a line and says how many items are left out.
    big = {"gap_limit": 1000, "history_limit": 1000, "contributor_limit": 1000}
    every = render_community_detail(d, **big)
    assert len(every) <= 4000
    last = every.splitlines()[-1]
    assert last.startswith("…（另 ") and last.endswith("项，完整内容请用 /export answers）")
    left = int(last.split()[1])
    assert _item_lines(every) + left == len(d.gaps) + len(d.contributors) + len(d.history)
    full = render_community_detail(d, **big, limit=None)
    assert full.startswith("\n".join(every.splitlines()[:-1]) + "\n")  # cut at a line


def test_status_texts_stay_within_the_limit_for_long_names_and_big_pages(db, program):
    conn = db.conn
    conn.execute("UPDATE counties SET name = '&<县>' || id || ? ", ["区" * 400])
    conn.execute("UPDATE streets SET name = '&<街道>' || id || ?", ["道" * 400])
    conn.execute("UPDATE communities SET name = '&<社区>' || id || ?", ["村" * 400])
    rows = county_status(db, program, 2022)
    ones = community_status(db, 1, program)
    gone = missing(db, None, program)
    county = rows[0].county
    for size in (20, 500):
        for text in (
            render_county_status(rows, program, size=size),
            render_county_status(rows, program, size=size, wide=True),
            render_community_status(ones, county, program, size=size),
            render_missing(gone, size=size),
        ):
            assert len(text) <= 4000, len(text)
            assert text.count("<pre>") == text.count("</pre>")
    cut = render_missing(gone, size=500)
    assert "本页另" not in cut
    cut = render_missing(gone * 10, size=500)
    shown = sum(1 for line in cut.splitlines() if line.startswith("  "))
    assert len(cut) <= 4000 and cut.splitlines()[-1] == f"…（本页另 {310 - shown} 项未显示）"
    # The CLI asks for no limit and gets every row.
    full = render_county_status(rows, program, size=500, wide=True, html_out=False, limit=None)
    assert all(r.county in full for r in rows)


def test_county_status_reads_the_summary_without_a_schema_query(db, program):
    assert has_progress_summary(db)  # migration 3 (bot.db.connect) installed it
    seen: list[str] = []
    db.conn.set_trace_callback(seen.append)
    try:
        rows = county_status(db, program, 2022)
    finally:
        db.conn.set_trace_callback(None)
    assert seen and not any("sqlite_master" in sql for sql in seen)
    assert any("county_progress" in sql for sql in seen)
    assert rows == county_status(db, program, 2022, use_summary=False)


def test_community_detail_reads_the_check_through_bot_checks(db, program):
    """The check's own standard version (its snapshot), through the shared Checks and its cache,
    scored as the worker's card scores it."""
    import json

    from bot.services.checks import Checks

    cat = catalog()
    aid, cid = db.conn.execute(
        "SELECT id, community_id FROM assessments WHERE standard_id = 'guangdong-2021'"
        " AND answered BETWEEN 1 AND 41 ORDER BY id LIMIT 1"
    ).fetchone()
    body = json.loads(cat.standard("guangdong-2021").model_dump_json())
    body["title"] = "旧版标准"
    body["areas"][0]["items"][0]["text"] = "旧版第一项"
    db.conn.execute(
        "INSERT INTO standard_versions (hash, standard_id, body, stored_at) VALUES"
        " ('old-version', 'guangdong-2021', ?, '2021-01-01T00:00:00.000000Z')",
        [json.dumps(body, ensure_ascii=False)],
    )
    db.conn.execute("UPDATE assessments SET standard_hash = 'old-version' WHERE id = ?", [aid])
    checks = Checks(db, cat, program)
    calls: list[str] = []
    real = checks.standard_for

    def spy(a: Any) -> Any:
        calls.append(a.standard_hash)
        return real(a)

    checks.standard_for = spy
    d = community_detail(db, cid, program, cat, checks=checks)
    assert calls == ["old-version"] and "old-version" in checks._versions
    assert d.standard is not None and d.standard.title == "旧版标准"
    view = checks.view(checks.for_community(cid))
    assert d.result is not None
    assert d.result.gaps == view.result.gaps and d.evidence_total == sum(
        r.evidence for r in view.rows.values()
    )
    first = d.standard.questions[0].id
    assert any(g.text == "旧版第一项" for g in d.gaps if g.id == first) or first not in {
        g.id for g in d.gaps
    }
    assert community_detail(db, cid, program, cat).standard.title == "旧版标准"  # own Checks


def test_times_follow_greencheck_tz(db, program, monkeypatch, tmp_path):
    from zoneinfo import ZoneInfo

    from bot.reports import CommunityDetail, local_time

    monkeypatch.chdir(tmp_path)  # no stray .env
    d = CommunityDetail(
        community_id=1,
        community="江滨社区",
        county_id=1,
        county="源城区",
        street=None,
        address=None,
        standard=None,
        assessment_id=1,
        state="submitted",
        submitted_at=STAMPS[2],  # 2021-12-31 17:00 UTC
        updated_at=STAMPS[2],
        result=None,
    )
    monkeypatch.setenv("GREENCHECK_TZ", "UTC")
    assert local_time(STAMPS[2], "%Y-%m-%d") == "2021-12-31"
    assert "已提交（2021-12-31）" in render_community_detail(d)
    shanghai = ZoneInfo("Asia/Shanghai")
    assert "已提交（2022-01-01）" in render_community_detail(d, tz=shanghai)
    monkeypatch.delenv("GREENCHECK_TZ")
    assert "已提交（2022-01-01）" in render_community_detail(d)  # the default zone
    rows = [r for r in community_status(db, 1, program) if r.last_activity == STAMPS[2]]
    if rows:
        monkeypatch.setenv("GREENCHECK_TZ", "UTC")
        assert "12-31" in render_community_status(rows, "源城区", program)


def test_missing_refuses_a_county_the_viewer_may_not_see(db, program):
    contact = Scope(counties=frozenset({2}))
    with pytest.raises(ReportError, match="无权查看 源城区"):
        missing(db, 1, program, contact)
    assert {r.county_id for r in missing(db, 2, program, contact)} <= {2}
    mine = db.conn.execute(
        "SELECT c.id FROM communities c WHERE c.county_id = 1 AND NOT EXISTS (SELECT 1 FROM"
        " assessments a WHERE a.community_id = c.id AND a.answered > 0) LIMIT 1"
    ).fetchone()[0]
    worker = Scope(communities=frozenset({mine}))
    assert [r.community_id for r in missing(db, 1, program, worker)] == [mine]
    with pytest.raises(ReportError, match="无权查看"):
        missing(db, 2, program, worker)
    with pytest.raises(ReportError, match="无权查看"):
        missing(db, 1, program, Scope())
    with pytest.raises(ReportError, match="不存在"):
        missing(db, 999, program)
    assert len(missing(db, 1, program)) == len(missing(db, 1, program, Scope(admin=True)))
