"""The layering rules, checked on the people/roster/CLI-core files (the rest follows at merge)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
NO_SQL = [
    "bot/services/people.py",
    "bot/services/roster.py",
    "bot/services/container.py",
    "bot/files/rosters.py",
    "bot/cli/main.py",
    "bot/cli/common.py",
    "bot/cli/bot.py",
    "bot/cli/roster.py",
    "bot/cli/programs.py",
    "handlers/app.py",
    "handlers/registration.py",
    "handlers/menus.py",
    "handlers/demo.py",
    "handlers/fallbacks.py",
]
SQL = re.compile(r"\.execute\(|\.query\(|\.table\(|\bSELECT\b|\bINSERT\b|\bUPDATE\b")
CLOCK = re.compile(r"datetime\.now|date\.today|time\.time\(\)")
CJK = re.compile(r"[\u4e00-\u9fff]")


@pytest.mark.parametrize("path", NO_SQL)
def test_no_sql_outside_the_store(path):
    assert not SQL.search((ROOT / path).read_text(encoding="utf-8")), path


def test_bot_never_imports_telegram_except_the_command_that_starts_it():
    offenders = [
        str(p.relative_to(ROOT))
        for p in (ROOT / "bot").rglob("*.py")
        if re.search(r"^\s*(from|import) telegram", p.read_text(encoding="utf-8"), re.M)
    ]
    assert offenders == ["bot/cli/bot.py"]


@pytest.mark.parametrize(
    "path",
    ["bot/domain/access.py", "bot/domain/names.py", "bot/store/people.py", "bot/store/roster.py",
     "bot/services/people.py", "bot/services/roster.py"],
)  # fmt: skip
def test_nothing_below_the_container_reads_the_clock(path):
    assert not CLOCK.search((ROOT / path).read_text(encoding="utf-8")), path


@pytest.mark.parametrize(
    "path",
    ["handlers/app.py", "handlers/registration.py", "handlers/menus.py", "handlers/demo.py",
     "handlers/fallbacks.py", "bot/services/people.py", "bot/cli/common.py"],  # examples: data
)  # fmt: skip
def test_no_chinese_text_in_code(path):
    assert not CJK.search((ROOT / path).read_text(encoding="utf-8")), path
