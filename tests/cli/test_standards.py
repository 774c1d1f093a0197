"""`greencheck standards list | show | validate | score` (moved from tests/test_cli.py)."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.harness import cli

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
    assert cli(list(argv)) == 0
    return json.loads(capsys.readouterr().out)


def check_standard_list(rows):
    assert sorted(r["id"] for r in rows) == sorted(SEED_COUNTS)
    for r in rows:
        assert r.keys() >= SUMMARY_KEYS
        want = SEED_COUNTS[r["id"]]
        assert {k: r[k] for k in want} == want, r["id"]
        if r["mode"] == "checklist":
            assert r["max_score"] is None and r["pass_score"] is None


# -- standards ----------------------------------------------------------------------------------


def test_standards_list_json_shows_the_five_standards(capsys):
    check_standard_list(run_json(capsys, "standards", "list", "--json"))


def test_standards_list_json_via_the_installed_script():
    proc = subprocess.run(
        [str(GREENCHECK), "standards", "list", "--json"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    check_standard_list(json.loads(proc.stdout))


def test_standards_list_text_names_every_standard(capsys):
    assert cli(["standards", "list"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert sorted(line.split()[0] for line in lines) == sorted(SEED_COUNTS)


def test_standards_show_json(capsys):
    data = run_json(capsys, "standards", "show", "qinhuangdao-etdz-2021", "--json")
    assert data["id"] == "qinhuangdao-etdz-2021"
    assert sum(len(a["items"]) for a in data["areas"]) == 31 == data["summary"]["items"]
    assert data["bonus"]["max"] == 3
    assert [v["id"] for v in data["vetoes"]] == ["V1", "V2", "V3", "V4"]


def test_standards_show_text_lists_sub_items(capsys):
    assert cli(["standards", "show", "guangdong-2021"]) == 0
    out = capsys.readouterr().out
    assert "11.1 建立了紧急时刻社区封闭管理的工作方案。" in out
    assert "17.2 " in out


def test_standards_show_unknown_id_exits_1(capsys):
    assert cli(["standards", "show", "nope-2000"]) == 1
    captured = capsys.readouterr()
    assert captured.err == "error: unknown standard 'nope-2000'\n"


def write_answers(tmp_path, answers):
    path = tmp_path / "answers.json"
    path.write_text(json.dumps(answers, ensure_ascii=False), encoding="utf-8")
    return path


def test_standards_score_json(tmp_path, capsys):
    answers = {str(n): {"status": "met", "evidence": 1} for n in range(1, 17)}
    answers["8"] = {"status": "partial", "points": 3}
    path = write_answers(tmp_path, answers)
    data = run_json(capsys, "standards", "score", "chuxiong-2021", str(path), "--json")
    assert {"score", "max_score", "passed", "vetoed", "answered", "total", "gaps"} <= data.keys()
    assert data["score"] == 15 * 6 + 3
    assert data["max_score"] == 100
    assert (data["answered"], data["total"]) == (16, 17)
    # the bonus (item 17) is optional: unanswered, it counts 0, is listed, never blocks
    assert data["passed"] is True
    assert data["complete"] is True
    assert data["vetoed"] is False
    assert [{"id": g["id"], "reason": g["reason"]} for g in data["gaps"]] == [
        {"id": "8", "reason": "partial"},
        {"id": "17", "reason": "unanswered"},
    ]


def test_standards_score_json_reports_a_veto(tmp_path, capsys):
    answers = {str(n): {"status": "met", "evidence": 1} for n in range(1, 32)}
    answers |= {"bonus": {"status": "met", "points": 3, "evidence": 1}}
    answers |= {v: {"status": "met"} for v in ("V1", "V2", "V4")} | {"V3": {"status": "not_met"}}
    path = write_answers(tmp_path, answers)
    data = run_json(capsys, "standards", "score", "qinhuangdao-etdz-2021", str(path), "--json")
    assert (data["score"], data["passed"], data["vetoed"]) == (100, False, True)
    assert [(g["id"], g["reason"]) for g in data["gaps"]] == [("V3", "veto")]


def test_standards_score_text(tmp_path, capsys):
    answers = {str(n): {"status": "met"} for n in range(1, 18)}
    path = write_answers(tmp_path, answers)
    assert cli(["standards", "score", "chuxiong-2021", str(path)]) == 0
    out = capsys.readouterr().out
    assert "得分 100/100" in out
    assert "结论：达标" in out


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ('{"99": {"status": "met"}}', "unknown ids for chuxiong-2021: 99"),
        ('{"1": {"status": "yes"}}', "1: status must be one of"),
        ("[1, 2]", "expected an object"),
        ("{not json", "cannot read answers"),
    ],
)
def test_standards_score_bad_answers_exit_1_with_one_line(tmp_path, capsys, content, message):
    path = tmp_path / "answers.json"
    path.write_text(content, encoding="utf-8")
    assert cli(["standards", "score", "chuxiong-2021", str(path)]) == 1
    err = capsys.readouterr().err
    assert err.startswith("error: ")
    assert message in err
    assert len(err.splitlines()) == 1


# -- only reachable results, complete, show ------------------------------------------------


@pytest.mark.parametrize(
    ("sid", "answers", "line"),
    [
        ("guangdong-2021", {"4.1": {"status": "met", "points": 1}}, "4.1: a checklist question"),
        ("national-2020", {"1": {"status": "na", "note": "x"}}, "1: this question cannot be"),
        ("chuxiong-2021", {"11": {"status": "partial", "points": 3}}, "11: 3 points cannot be"),
        ("chuxiong-2021", {"10": {"status": "partial", "points": 4.5}}, "10: 4.5 points cannot"),
        ("chuxiong-2021", {"1": {"status": "not_met", "points": 6}}, "1: status 'not_met' contra"),
        ("chuxiong-2021", {"1": {"status": "met", "evidence": -1}}, "1: evidence must be a count"),
        ("qinhuangdao-etdz-2021", {"24": {"status": "partial", "points": 2}}, "24: 2 points"),
        ("qinhuangdao-etdz-2021", {"15": {"status": "partial", "points": 3.25}}, "15: 3.25 po"),
        ("qinhuangdao-etdz-2021", {"V1": {"status": "partial"}}, "V1: a veto is answered met"),
        ("qinhuangdao-etdz-2021", {"V1": {"status": "na"}}, "V1: this question cannot be"),
    ],
)
def test_standards_score_refuses_what_the_standard_does_not_allow(
    tmp_path, capsys, sid, answers, line
):
    path = write_answers(tmp_path, answers)
    assert cli(["standards", "score", sid, str(path)]) == 1
    err = capsys.readouterr().err
    assert err.startswith(f"error: {line}")
    assert len(err.splitlines()) == 1


def test_standards_score_refuses_nan_points(tmp_path, capsys):
    path = tmp_path / "answers.json"
    path.write_text('{"1": {"status": "partial", "points": NaN}}', encoding="utf-8")
    assert cli(["standards", "score", "chuxiong-2021", str(path)]) == 1
    assert capsys.readouterr().err.startswith("error: 1: points must be a finite number")


def test_standards_score_takes_deductions_and_reports_complete(tmp_path, capsys):
    answers = {str(n): {"status": "met"} for n in range(1, 32)}
    answers |= {"15": {"status": "partial", "deductions": {"b": 2, "c": 2}}}
    answers |= {v: {"status": "met"} for v in ("V1", "V2", "V3", "V4")}
    answers["1"] = {"status": "met", "evidence": 1}
    path = write_answers(tmp_path, answers)
    data = run_json(capsys, "standards", "score", "qinhuangdao-etdz-2021", str(path), "--json")
    item15 = next(i for i in data["items"] if i["id"] == "15")
    assert (item15["status"], item15["points"]) == ("partial", 2)  # 绿地率 part kept
    assert data["score"] == 98 and data["passed"] is True
    assert data["complete"] is False  # other items demand evidence
    assert ("bonus", "unanswered") in [(g["id"], g["reason"]) for g in data["gaps"]]


def test_standards_score_text_names_a_triggered_veto(tmp_path, capsys):
    answers = {str(n): {"status": "met"} for n in range(1, 32)}
    answers |= {v: {"status": "met"} for v in ("V2", "V3", "V4")} | {"V1": {"status": "not_met"}}
    path = write_answers(tmp_path, answers)
    assert cli(["standards", "score", "qinhuangdao-etdz-2021", str(path)]) == 0
    out = capsys.readouterr().out
    assert "结论：未达标（触发否决项 V1）" in out and "填报完整：否" in out


def test_standards_show_prints_criteria_methods_departments_parts_and_readings(capsys):
    assert cli(["standards", "show", "qinhuangdao-etdz-2021"]) == 0
    out = capsys.readouterr().out
    assert "考评标准：社区高度重视创建工作" in out
    assert "考评方式：现场查看、查阅资料" in out
    assert "责任部门：各乡街" in out and "监督指导部门：领导小组" in out
    assert "第2部分 2 分：因地制宜开展绿化工作" in out
    assert "c) 发现一处养护不到位现象扣0.5分〔第2部分〕 — 可扣 0.5/1/1.5/2" in out
    assert "可答不适用（须写明原因）：没有老旧小区改造任务的此项不扣分。" in out
    assert "可得分值：4、0" in out  # items 13 and 24
    assert cli(["standards", "show", "chuxiong-2021"]) == 0
    out = capsys.readouterr().out
    assert "加14分" in out and "【识读】OCR：原文“加14分”应为“加1-4分”" in out


def test_standards_show_in_english_labels_the_fields(capsys, monkeypatch):
    monkeypatch.setenv("GREENCHECK_LANG", "en")
    assert cli(["standards", "show", "national-2020"]) == 0
    out = capsys.readouterr().out
    assert "N.A. not allowed" in out and "may be N.A. (a note must say why)" in out


@pytest.mark.parametrize(
    ("program", "zh", "en"),
    [
        ("chuxiong-2021", "评分标准：", "Scoring criteria: "),
        ("qinhuangdao-etdz-2021", "考评标准：", "Assessment criteria: "),
    ],
)
def test_standards_show_labels_the_criteria_in_the_cli_language(
    capsys, monkeypatch, program, zh, en
):
    assert cli(["standards", "show", program]) == 0
    out = capsys.readouterr().out
    assert zh in out and en not in out
    monkeypatch.setenv("GREENCHECK_LANG", "en")
    assert cli(["standards", "show", program]) == 0
    out = capsys.readouterr().out
    assert en in out and zh not in out
