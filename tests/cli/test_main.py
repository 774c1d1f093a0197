"""`greencheck init`, `roster …`, and every command's help (GREENCHECK_LANG=en: the English
messages are asserted here; tests/cli/test_lang.py covers Chinese)."""

import argparse
import json
from pathlib import Path

import pytest

from bot.cli.main import build_parser
from bot.store.db import connect
from tests.harness import cli

README = Path(__file__).resolve().parents[2] / "README.md"


@pytest.fixture(autouse=True)
def english(monkeypatch):
    monkeypatch.setenv("GREENCHECK_LANG", "en")


def run_json(capsys, *argv):
    assert cli(list(argv)) == 0
    return json.loads(capsys.readouterr().out)


@pytest.fixture
def db_path(tmp_path, monkeypatch):
    path = tmp_path / "g.db"
    monkeypatch.setenv("GREENCHECK_DB", str(path))
    return path


# -- init and roster ----------------------------------------------------------------------------


def test_init_sample_loads_95_communities_in_7_counties(db_path, capsys):
    assert cli(["init", "--sample"]) == 0
    assert "95 communities in 7 counties" in capsys.readouterr().out
    db = connect(db_path)
    assert db["communities"].count == 95
    assert db["counties"].count == 7


def test_init_without_sample_creates_an_empty_database(db_path, capsys):
    assert cli(["init"]) == 0
    assert str(db_path) in capsys.readouterr().out
    assert connect(db_path)["communities"].count == 0


def test_init_twice_is_a_no_op(db_path, capsys):
    assert cli(["init", "--sample"]) == 0
    db = connect(db_path)
    migrations = db.execute("SELECT * FROM migrations").fetchall()
    ids = db.execute("SELECT id, name FROM communities ORDER BY id").fetchall()
    db.conn.close()
    assert cli(["init", "--sample"]) == 0
    db = connect(db_path)
    assert db.execute("SELECT * FROM migrations").fetchall() == migrations
    assert db.execute("SELECT id, name FROM communities ORDER BY id").fetchall() == ids


def test_roster_show_county_json(db_path, capsys):
    cli(["init", "--sample"])
    capsys.readouterr()
    rows = run_json(capsys, "roster", "show", "--county", "源城区", "--json")
    assert len(rows) == 44
    assert {r["county"] for r in rows} == {"源城区"}


def test_roster_show_text_counts_rows(db_path, capsys):
    cli(["init", "--sample"])
    capsys.readouterr()
    assert cli(["roster", "show"]) == 0
    assert capsys.readouterr().out.splitlines()[-1] == "(95 communities)"


def test_roster_import_csv(db_path, tmp_path, capsys):
    path = tmp_path / "r.csv"
    path.write_text(
        "县区,街道,社区\n紫金县,紫城镇,城南社区\n紫金县,紫城镇,城北社区\n", encoding="utf-8"
    )
    assert cli(["roster", "import", str(path)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[-1] == f"imported 2 communities in 1 counties from {path}"
    assert connect(db_path)["communities"].count == 2


def test_roster_import_bad_row_exits_1_naming_the_line(db_path, tmp_path, capsys):
    path = tmp_path / "r.csv"
    path.write_text("县区,街道,社区\n紫金县,紫城镇,城南社区\n紫金县,紫城镇,\n", encoding="utf-8")
    assert cli(["roster", "import", str(path)]) == 1
    assert capsys.readouterr().err == f"error: {path}: line 3: community is empty\n"
    assert connect(db_path)["communities"].count == 0


def test_roster_import_missing_file_exits_1_with_one_line(db_path, tmp_path, capsys):
    path = tmp_path / "missing.csv"
    assert cli(["roster", "import", str(path)]) == 1
    err = capsys.readouterr().err
    assert err.startswith("error: ")
    assert str(path) in err
    assert len(err.splitlines()) == 1


# -- help and docs ------------------------------------------------------------------------------


def command_paths():
    """Yield (path words, parser) for greencheck and every command and sub-command."""

    def walk(parser, path):
        yield path, parser
        for action in parser._actions:
            if isinstance(action, argparse._SubParsersAction):
                for name, sub in action.choices.items():
                    yield from walk(sub, (*path, name))

    return list(walk(build_parser(), ("greencheck",)))


def test_every_command_has_help_with_an_example():
    paths = command_paths()
    assert len(paths) >= 10
    for path, parser in paths:
        text = parser.format_help()
        assert parser.description, path
        assert "example:" in text, path
        example = text.split("example:", 1)[1]
        assert " ".join(path) in example, path


def test_help_flag_prints_the_example_and_exits_0(capsys):
    with pytest.raises(SystemExit) as exc:
        cli(["standards", "score", "--help"])
    assert exc.value.code == 0
    assert "example:\n  greencheck standards score chuxiong-2021" in capsys.readouterr().out


def test_every_command_path_appears_in_the_readme():
    assert README.exists(), f"{README} is missing"
    text = README.read_text(encoding="utf-8")
    missing = [" ".join(p) for p, _ in command_paths() if " ".join(p) not in text]
    assert missing == []
