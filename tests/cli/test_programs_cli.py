"""`greencheck programs list` (default language); the standards commands are in test_standards.py."""

import json

from bot.catalog import program_files
from tests.harness import cli


def run_json(capsys, *argv):
    assert cli(list(argv)) == 0
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
    heyuan = next(r for r in rows if r["id"] == "heyuan-2021")
    assert heyuan["participation_targets"] == [{"year": 2025, "pct": 100}]  # 所有城市社区参与


def test_programs_list_text(capsys):
    assert cli(["programs", "list"]) == 0
    assert "楚住建城〔2021〕1号" in capsys.readouterr().out
