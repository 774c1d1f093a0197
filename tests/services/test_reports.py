"""Report services: one county's communities, access rules, the communities not started, one
community's check, names."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import sqlite_utils

from bot.catalog import catalog
from bot.domain.access import SYSTEM, Principal
from bot.domain.errors import ReportError
from bot.domain.programs import Program
from bot.domain.scoring import Answer, score
from bot.services.reports import Reports
from bot.texts.layout import user_label
from bot.texts.refusals import refusal
from bot.texts.report_views import render_community_detail
from tests.harness import checks_of, reports_of
from tests.store.progress_data import make_db, the_program


@pytest.fixture
def db(tmp_path: Path) -> sqlite_utils.Database:
    return make_db(tmp_path)


@pytest.fixture
def program() -> Program:
    return the_program()


@pytest.fixture
def reports(db: sqlite_utils.Database, program: Program) -> Reports:
    return reports_of(db, program)


def test_community_status_equals_the_rows_of_one_county(db, program, reports):
    std = catalog().standard("guangdong-2021")
    for county_id in (1, 4):
        rows = reports.community_status(county_id)
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
            done = db.conn.execute(
                "SELECT count(*) FROM verdicts WHERE community_id = ?"
                " AND standard_id = 'guangdong-2021'",
                [r.community_id],
            ).fetchone()[0]
            assert r.passed == bool(done)  # a verdict counts, not the community's own result
            assert r.awaiting == (not done and status == "submitted" and passed == 1)
            assert r.last_activity == updated
            want_state = (
                "submitted" if status == "submitted" else "open" if answered else "not_started"
            )
            assert r.state == want_state


def test_a_contact_never_sees_another_county(db, program, reports):
    contact = Principal(0, counties=frozenset({2}))
    rows = reports.county_status(2022, contact)
    assert [r.county_id for r in rows if not r.is_total] == [2]
    assert rows[-1].communities == rows[0].communities
    assert reports.community_status(1, contact) == []
    assert {r.county_id for r in reports.community_status(2, contact)} == {2}
    assert {r.county_id for r in reports.missing(None, contact)} <= {2}
    other = db.conn.execute("SELECT id FROM communities WHERE county_id = 1 LIMIT 1").fetchone()[0]
    with pytest.raises(ReportError):
        reports.community_detail(other, principal=contact)


def test_a_worker_never_sees_another_community(db, program, reports):
    mine = db.conn.execute(
        "SELECT id, county_id FROM communities WHERE county_id = 1 LIMIT 1"
    ).fetchone()
    worker = Principal(0, communities=frozenset({mine[0]}))
    assert [r for r in reports.county_status(2022, worker) if not r.is_total] == []
    rows = reports.community_status(1, worker)
    assert [r.community_id for r in rows] == [mine[0]]
    assert reports.community_status(2, worker) == []
    assert {r.community_id for r in reports.missing(None, worker)} <= {mine[0]}
    assert reports.community_detail(mine[0], principal=worker).community_id == mine[0]
    neighbour = db.conn.execute(
        "SELECT id FROM communities WHERE county_id = 1 AND id != ? LIMIT 1", [mine[0]]
    ).fetchone()[0]
    with pytest.raises(ReportError):
        reports.community_detail(neighbour, principal=worker)


def test_missing_lists_exactly_the_communities_without_an_answer(db, program, reports):
    started = {
        r[0]
        for r in db.conn.execute(
            "SELECT community_id FROM assessments WHERE standard_id = 'guangdong-2021'"
            " AND answered > 0"
        )
    }
    everyone = [r for r in db.conn.execute("SELECT id, county_id FROM communities")]
    want = {cid for cid, _ in everyone if cid not in started}
    rows = reports.missing(None)
    assert {r.community_id for r in rows} == want
    assert len(rows) == len(want)
    in_three = {cid for cid, county in everyone if county == 3 and cid not in started}
    assert {r.community_id for r in reports.missing(3)} == in_three


def test_community_detail_scores_gaps_counts_evidence_and_names_who(db, program, reports):
    std = catalog().standard("guangdong-2021")
    aid, cid = db.conn.execute(
        "SELECT id, community_id FROM assessments WHERE standard_id = 'guangdong-2021'"
        " AND answered BETWEEN 1 AND 41 ORDER BY id LIMIT 1"
    ).fetchone()
    d = reports.community_detail(cid)
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
        assert line.user is not None and user_label(*line.user) == names[uid]
    hist = db.conn.execute("SELECT count(*) FROM answer_history WHERE assessment_id = ?", [aid])
    assert len(d.history) == min(30, hist.fetchone()[0])
    assert sum(n for _, n, _ in d.contributors) == len(answers)
    text = render_community_detail(d)
    assert d.community in text and "缺项" in text


def test_community_detail_of_a_community_without_a_check(db, program, reports):
    cid = db.conn.execute(
        "SELECT id FROM communities WHERE id NOT IN (SELECT community_id FROM assessments)"
    ).fetchone()[0]
    d = reports.community_detail(cid)
    assert d.state == "not_started" and d.assessment_id is None
    assert d.result is not None and len(d.gaps) == len(
        catalog().standard("guangdong-2021").questions
    )
    with pytest.raises(ReportError):
        reports.community_detail(10**6)


def test_names_match_forgivingly_and_ambiguity_lists_candidates(db, reports):
    assert reports.resolve_county("源城")[1] == "源城区"
    assert reports.resolve_county("龙川县")[1] == "龙川县"
    names = [r[0] for r in db.conn.execute("SELECT name FROM communities")]
    firsts: dict[str, list[str]] = {}
    for n in names:
        firsts.setdefault(n[0], []).append(n)
    prefix, group = next((k, v) for k, v in firsts.items() if len(v) > 1)
    with pytest.raises(ReportError) as err:
        reports.resolve_community(prefix)
    said = refusal(err.value, "zh", html=False)
    assert "不唯一" in said and all(n in said for n in group[:10])
    with pytest.raises(ReportError, match="not_found"):
        reports.resolve_county("不存在县")


def test_community_detail_reads_the_check_through_bot_checks(db, program):
    """The check's own standard version (its snapshot), through the shared Checks and its cache,
    scored as the worker's card scores it."""
    import json

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
    checks = checks_of(db, program)
    calls: list[str] = []
    real = checks.standard_for

    def spy(a: Any) -> Any:
        calls.append(a.standard_hash)
        return real(a)

    checks.standard_for = spy
    d = Reports(checks, cat.standard(program.standard)).community_detail(cid)
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
    assert (
        reports_of(db, program).community_detail(cid).standard.title == "旧版标准"
    )  # a new service too


def test_missing_refuses_a_county_the_viewer_may_not_see(db, program, reports):
    contact = Principal(0, counties=frozenset({2}))
    with pytest.raises(ReportError, match="forbidden") as err:
        reports.missing(1, contact)
    assert "无权查看 源城区" in refusal(err.value, "zh")
    assert {r.county_id for r in reports.missing(2, contact)} <= {2}
    mine = db.conn.execute(
        "SELECT c.id FROM communities c WHERE c.county_id = 1 AND NOT EXISTS (SELECT 1 FROM"
        " assessments a WHERE a.community_id = c.id AND a.answered > 0) LIMIT 1"
    ).fetchone()[0]
    worker = Principal(0, communities=frozenset({mine}))
    assert [r.community_id for r in reports.missing(1, worker)] == [mine]
    with pytest.raises(ReportError, match="forbidden"):
        reports.missing(2, worker)
    with pytest.raises(ReportError, match="forbidden"):
        reports.missing(1, Principal(0))
    with pytest.raises(ReportError, match="county_unknown"):
        reports.missing(999)
    assert len(reports.missing(1)) == len(reports.missing(1, SYSTEM))


def test_report_errors_carry_a_code_and_values_in_both_languages(db, program, reports):
    with pytest.raises(ReportError) as err:
        reports.missing(999)
    assert (err.value.code, err.value.info) == ("county_unknown", {"county": 999})
    assert refusal(err.value, "en") == "County 999 does not exist"
    assert refusal(err.value, "zh") == "县区 999 不存在"
    with pytest.raises(ReportError) as err:
        reports.resolve_county("不存在县")
    assert err.value.code == "county_not_found" and "不存在县" in refusal(err.value, "en")
