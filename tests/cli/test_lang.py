"""The command line speaks GREENCHECK_LANG (default zh), from the catalogue; no import cycle."""

from __future__ import annotations

import subprocess
import sys

import pytest
from pydantic import ValidationError

from bot.config import Settings
from tests.harness import cli


@pytest.fixture
def db_path(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # no stray .env
    monkeypatch.delenv("GREENCHECK_LANG", raising=False)
    path = tmp_path / "g.db"
    monkeypatch.setenv("GREENCHECK_DB", str(path))
    return path


def test_settings_lang_defaults_to_chinese_and_accepts_only_zh_or_en(monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("GREENCHECK_LANG", raising=False)
    assert Settings().lang == "zh"
    assert Settings(GREENCHECK_LANG="EN").lang == "en"
    with pytest.raises(ValidationError):
        Settings(GREENCHECK_LANG="fr")


def test_init_and_roster_speak_chinese_by_default(db_path, tmp_path, capsys):
    assert cli(["init", "--sample"]) == 0
    out = capsys.readouterr().out
    assert "结构版本" in out and "95 个社区，分布在 7 个县区" in out
    assert cli(["roster", "show", "--county", "龙川县"]) == 0
    assert capsys.readouterr().out.splitlines()[-1] == "（共 15 个社区）"
    bad = tmp_path / "r.csv"
    bad.write_text("县区,街道,社区\n紫金县,紫城镇,\n", encoding="utf-8")
    assert cli(["roster", "import", str(bad)]) == 1
    assert capsys.readouterr().err == f"error: {bad}：第 2 行：社区为空\n"


def test_the_same_commands_in_english(db_path, monkeypatch, capsys):
    monkeypatch.setenv("GREENCHECK_LANG", "en")
    assert cli(["init", "--sample"]) == 0
    assert "sample roster loaded: 95 communities in 7 counties" in capsys.readouterr().out
    assert cli(["programs", "list"]) == 0
    assert "targets 2021: 20%, 2022: 60%" in capsys.readouterr().out


def test_a_bad_setting_is_one_error_line(db_path, monkeypatch, capsys):
    monkeypatch.setenv("GREENCHECK_LANG", "fr")
    assert cli(["init"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("error: 配置 GREENCHECK_LANG") and len(err.splitlines()) == 1


def test_invite_errors_in_chinese(db_path, capsys):
    cli(["init", "--sample"])
    capsys.readouterr()
    assert cli(["invite", "--role", "worker"]) == 1
    assert capsys.readouterr().err == "error: worker 邀请需要 --community 名称\n"
    assert cli(["invite", "--role", "contact", "--county", "不存在"]) == 1
    assert "没有匹配" in capsys.readouterr().err


@pytest.mark.parametrize(
    "module",
    ["bot.cli.reports", "bot.cli.remind", "bot.cli.bot", "bot.cli.roster", "bot.cli.programs"],
)
def test_command_modules_do_not_import_main(module):
    code = f"import sys, {module}; print('bot.cli.main' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
