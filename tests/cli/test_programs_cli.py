"""`greencheck programs list` (default language); the standards commands are in test_standards.py."""

import json
import sys
from pathlib import Path

from bot.cli.main import main
from bot.domain.programs import program_files

GREENCHECK = Path(sys.executable).with_name("greencheck")

# The seed README's figures for each standard.
SEED_COUNTS = {
    "national-2020": {"mode": "checklist", "items": 16, "sub_items": 0},
    "guangdong-2021": {"mode": "checklist", "items": 17, "sub_items": 42},
    "qingyang-2022": {"mode": "checklist", "items": 16, "sub_items": 0},
    "chuxiong-2021": {
        "mode": "points",
        "items": 17,
        "max_score": 100,
        "pass_score": 80,
        "bonus_max": 4,
        "vetoes": 0,
    },
    "qinhuangdao-etdz-2021": {
        "mode": "points",
        "items": 31,
        "max_score": 100,
        "pass_score": 80,
        "bonus_max": 3,
        "vetoes": 4,
    },
}
SUMMARY_KEYS = {
    "id",
    "title",
    "mode",
    "items",
    "sub_items",
    "max_score",
    "pass_score",
    "bonus_max",
    "vetoes",
}


def run_json(capsys, *argv):
    assert main(list(argv)) == 0
    return json.loads(capsys.readouterr().out)


# -- programs -----------------------------------------------------------------------------------


def test_programs_list_json_lists_the_five_programs(capsys):
    rows = run_json(capsys, "programs", "list", "--json")
    assert sorted(r["id"] for r in rows) == sorted(p.stem for p in program_files())
    assert len(rows) == 5
    assert {r["id"]: r["standard"] for r in rows} == {
        "chuxiong-2021": "chuxiong-2021",
        "heyuan-2021": "guangdong-2021",
        "national-2020": "national-2020",
        "qingyang-2022": "qingyang-2022",
        "qinhuangdao-etdz-2021": "qinhuangdao-etdz-2021",
    }
    chuxiong = next(r for r in rows if r["id"] == "chuxiong-2021")
    assert chuxiong["targets"] == [{"year": 2021, "pct": 20}, {"year": 2022, "pct": 60}]


def test_programs_list_text(capsys):
    assert main(["programs", "list"]) == 0
    assert "楚住建城〔2021〕1号" in capsys.readouterr().out
