"""The report commands: status (text and JSON), errors on one line, examples."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
import sqlite_utils

from bot.domain.access import Principal
from bot.domain.programs import Program
from tests.harness import checks_of
from tests.store.progress_data import PROGRAM, expected_counties, make_db, the_program


@pytest.fixture
def db(tmp_path: Path) -> sqlite_utils.Database:
    return make_db(tmp_path)


@pytest.fixture
def program() -> Program:
    return the_program()


@pytest.fixture
def cli_env(db, tmp_path, monkeypatch):
    monkeypatch.setenv("GREENCHECK_DB", str(tmp_path / "gc.db"))
    monkeypatch.setenv("GREENCHECK_PROGRAM", PROGRAM)
    monkeypatch.chdir(tmp_path)  # no stray .env
    return db


def test_cli_status_json_has_the_county_numbers(cli_env, program, capsys):
    from tests.harness import cli

    assert cli(["status", "--json", "--year", "2022"]) == 0
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
    from tests.harness import cli

    assert cli(["status", "--county", "龙川", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert len(data) == 15 and {d["county"] for d in data} == {"龙川县"}
    assert cli(["status", "--county", "龙川县"]) == 0
    assert "龙川县" in capsys.readouterr().out


def test_cli_unknown_or_ambiguous_name_prints_one_line_and_exits_1(cli_env, capsys):
    from tests.harness import cli

    assert cli(["status", "--county", "不存在"]) == 1
    err = capsys.readouterr().err.strip()
    assert err.count("\n") == 0 and "找不到" in err
    names = [r[0] for r in cli_env.conn.execute("SELECT name FROM communities")]
    prefix = next(n[0] for n in names if sum(m.startswith(n[0]) for m in names) > 1)
    assert cli(["form", "--community", prefix, "--out", "x.docx"]) == 1
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


def test_cli_speaks_greencheck_lang(cli_env, capsys, monkeypatch):
    from tests.harness import cli

    monkeypatch.setenv("GREENCHECK_LANG", "en")
    assert cli(["status", "--year", "2022"]) == 0
    out = capsys.readouterr().out
    assert "green community progress" in out and "Total" in out and "合计" not in out
    assert cli(["status", "--county", "不存在"]) == 1
    err = capsys.readouterr().err.strip()
    assert err == "error: No county matches “不存在”"
    assert cli(["status", "--county", "龙川县"]) == 0
    assert "龙川县 · communities 15" in capsys.readouterr().out


@pytest.fixture
def sample_env(tmp_path, monkeypatch):
    from tests.files.sample_dbs import build_db

    db = build_db(tmp_path / "s.db", "heyuan-2021", 7, 6)
    old = db.conn.execute("SELECT id FROM communities ORDER BY id DESC LIMIT 1").fetchone()[0]
    national = checks_of(db, "national-2020", dt.datetime(2021, 5, 1, tzinfo=dt.UTC))
    a = national.start(old)  # a check begun on another program's standard, one item answered
    first = national.standard_for(a).questions[0].id
    national.answer(Principal(1, admin=True), a.id, first, "met")
    monkeypatch.setenv("GREENCHECK_DB", str(tmp_path / "s.db"))
    monkeypatch.setenv("GREENCHECK_PROGRAM", "heyuan-2021")
    monkeypatch.chdir(tmp_path)
    return db


def test_cli_status_year_counts_completions_by_the_end_of_that_year(sample_env, capsys):
    from tests.harness import cli

    passed = {}
    for year in (2021, 2022, 2026):
        assert cli(["status", "--json", "--year", str(year)]) == 0
        passed[year] = sum(d["passed"] for d in json.loads(capsys.readouterr().out))
    assert passed[2021] < passed[2022] <= passed[2026]  # the sample's checks: 2021 and 2022


def test_cli_export_answers_is_the_active_standard_unless_all(sample_env, tmp_path, capsys):
    from openpyxl import load_workbook

    from tests.harness import cli

    titles = {}
    for flag in ([], ["--all"]):
        out = tmp_path / f"a{len(flag)}.xlsx"
        assert cli(["export", "answers", "--out", str(out), *flag]) == 0
        ws = load_workbook(out).worksheets[0]
        titles[bool(flag)] = {r[4] for r in ws.iter_rows(min_row=3, values_only=True)}
    assert titles[False] == {"广东省绿色社区创建工作要求（试行）"}
    assert len(titles[True]) == 2 and titles[False] < titles[True]
    capsys.readouterr()
