import datetime as dt
import shutil

import pytest
import yaml

from bot.catalog import (
    STANDARDS_DIR,
    load_program,
    load_standard,
    program_files,
    read_catalog,
    standard_files,
)
from bot.domain.standards import StandardError
from tests.harness import cli

STANDARD_FILES = standard_files()
PROGRAM_FILES = program_files()
POINTS = ("chuxiong-2021", "qinhuangdao-etdz-2021")


@pytest.fixture(scope="module")
def cat():
    return read_catalog()


def std_data(sid):
    return yaml.safe_load((STANDARDS_DIR / f"{sid}.yaml").read_text(encoding="utf-8"))


def write_yaml(path, data):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def broken_standard(tmp_path, sid, mutate):
    data = std_data(sid)
    mutate(data)
    return write_yaml(tmp_path / f"{sid}.yaml", data)


def error_lines(exc_info):
    return str(exc_info.value).splitlines()


# -- every file loads ---------------------------------------------------------------------------


def test_there_are_five_standards_and_five_programs():
    assert len(STANDARD_FILES) == 5
    assert len(PROGRAM_FILES) == 5


@pytest.mark.parametrize("path", STANDARD_FILES, ids=lambda p: p.name)
def test_every_standard_file_loads(path):
    std = load_standard(path)
    assert std.id == path.stem


@pytest.mark.parametrize("path", PROGRAM_FILES, ids=lambda p: p.name)
def test_every_program_file_loads(path):
    prog = load_program(path)
    assert prog.id == path.stem


def test_catalog_loads_every_standard_and_program(cat):
    assert sorted(cat.standards) == sorted(p.stem for p in STANDARD_FILES)
    assert sorted(cat.programs) == sorted(p.stem for p in PROGRAM_FILES)
    assert set(cat.hashes) == set(cat.standards)


def test_catalog_unknown_standard_raises(cat):
    with pytest.raises(StandardError, match="nope"):
        cat.standard("nope")


# -- numbering ----------------------------------------------------------------------------------


@pytest.mark.parametrize("path", STANDARD_FILES, ids=lambda p: p.name)
def test_items_are_numbered_one_to_n_in_order(path):
    std = load_standard(path)
    assert [i.id for i in std.items] == [str(n) for n in range(1, len(std.items) + 1)]


@pytest.mark.parametrize("path", STANDARD_FILES, ids=lambda p: p.name)
def test_sub_item_ids_are_unique_and_belong_to_their_item(path):
    std = load_standard(path)
    all_subs = [s.id for i in std.items for s in i.sub_items]
    assert len(all_subs) == len(set(all_subs))
    for item in std.items:
        for k, sub in enumerate(item.sub_items, start=1):
            assert sub.id == f"{item.id}.{k}"


@pytest.mark.parametrize("path", STANDARD_FILES, ids=lambda p: p.name)
def test_question_ids_are_unique(path):
    std = load_standard(path)
    ids = [q.id for q in std.questions]
    assert len(ids) == len(set(ids))


@pytest.mark.parametrize("path", STANDARD_FILES, ids=lambda p: p.name)
def test_deduction_keys_are_unique_within_an_item(path):
    for item in load_standard(path).items:
        keys = [r.key for r in item.deductions]
        assert len(keys) == len(set(keys)), item.id


# -- points add up ------------------------------------------------------------------------------


def test_qinhuangdao_area_subtotals_are_10_40_30_10_10(cat):
    std = cat.standard("qinhuangdao-etdz-2021")
    sums = [sum(i.points for i in a.items) for a in std.areas]
    assert sums == [10, 40, 30, 10, 10]
    assert [a.points for a in std.areas] == sums
    assert sum(sums) == std.max_score == 100
    assert std.bonus.max == 3
    assert std.total_cap == 100
    assert std.pass_score == 80


def test_qinhuangdao_has_31_items_and_4_vetoes(cat):
    std = cat.standard("qinhuangdao-etdz-2021")
    assert len(std.items) == 31
    assert [v.id for v in std.vetoes] == ["V1", "V2", "V3", "V4"]


def test_chuxiong_is_sixteen_items_of_6_plus_a_bonus_item_of_4(cat):
    std = cat.standard("chuxiong-2021")
    regular = [i for i in std.items if not i.bonus]
    bonus = [i for i in std.items if i.bonus]
    assert [i.points for i in regular] == [6] * 16
    assert [(i.id, i.points) for i in bonus] == [("17", 4)]
    assert 16 * 6 + 4 == sum(i.points for i in std.items) == std.max_score == 100
    assert std.pass_score == 80
    assert std.bonus_max == 4


@pytest.mark.parametrize("sid", POINTS)
def test_no_deduction_choice_exceeds_its_item(cat, sid):
    for item in cat.standard(sid).items:
        for rule in item.deductions:
            choices = rule.choices(item.points)
            assert choices, (item.id, rule.key)
            assert all(0 < c <= item.points for c in choices), (item.id, rule.key, choices)


@pytest.mark.parametrize("sid", ["national-2020", "guangdong-2021", "qingyang-2022"])
def test_checklists_have_no_points(cat, sid):
    std = cat.standard(sid)
    assert std.mode == "checklist"
    assert std.max_score is None and std.pass_score is None
    assert all(i.points is None and not i.deductions for i in std.items)


# -- seed wording -------------------------------------------------------------------------------


def test_qingyang_items_8_and_11_are_worded_as_seed_003(cat):
    qy = cat.standard("qingyang-2022")
    nat = cat.standard("national-2020")
    text = {i.id: i.text for i in qy.items}
    # seed 003, 附件2, rows 8 and 11
    assert (
        text["8"]
        == "社区停车秩序规范，按规划设置消防车通道标志标线，无占压消防、救护等生命通道的情况"
    )
    assert text["11"] == "完成智慧安防系统建设，并实现与公安机关联网对接"
    national = {i.id: i.text for i in nat.items}
    assert text["8"] != national["8"]
    assert text["11"] != national["11"]


def test_guangdong_item_11_is_the_shortfall_item_with_two_sub_items(cat):
    item = next(i for i in cat.standard("guangdong-2021").items if i.id == "11")
    assert item.text == "加快补齐在卫生防疫、社区服务等方面的短板"
    assert [s.id for s in item.sub_items] == ["11.1", "11.2"]
    assert item.sub_items[0].text == "建立了紧急时刻社区封闭管理的工作方案。"
    assert item.sub_items[1].text.startswith("社区供水、供电、燃气、垃圾清运、消防救急")


def test_guangdong_sub_items_run_from_1_1_to_17_2(cat):
    std = cat.standard("guangdong-2021")
    subs = [s.id for i in std.items for s in i.sub_items]
    assert len(std.items) == 17
    assert len(subs) == 42
    assert subs[0] == "1.1" and subs[-1] == "17.2"


# -- programs -----------------------------------------------------------------------------------


def test_each_program_names_a_standard_that_exists(cat):
    for prog in cat.programs.values():
        assert prog.standard in cat.standards, prog.id


def test_deadline_ids_are_unique_within_each_program(cat):
    for prog in cat.programs.values():
        ids = [d.id for d in prog.deadlines]
        assert len(ids) == len(set(ids)), prog.id


def test_each_program_self_check_deadline_is_one_of_its_deadlines(cat):
    for prog in cat.programs.values():
        if prog.self_check_deadline:
            assert prog.deadline(prog.self_check_deadline).id == prog.self_check_deadline


def test_heyuan_progress_table_is_due_on_the_four_seed_dates(cat):
    d = cat.programs["heyuan-2021"].deadline("progress-table")
    got = d.occurrences(dt.date(2021, 1, 1), dt.date(2022, 12, 31))
    want = [
        dt.date(2021, 8, 30),
        dt.date(2021, 11, 15),
        dt.date(2022, 6, 30),
        dt.date(2022, 11, 15),
    ]
    assert got == want


def test_chuxiong_annual_report_falls_on_10_20_every_year(cat):
    d = cat.programs["chuxiong-2021"].deadline("annual-report")
    got = d.occurrences(dt.date(2020, 1, 1), dt.date(2023, 12, 31))
    assert got == [dt.date(y, 10, 20) for y in (2021, 2022, 2023)]


def test_heyuan_keeps_both_2022_targets_from_the_seed(cat):
    pcts = sorted(t.pct for t in cat.programs["heyuan-2021"].targets if t.year == 2022)
    assert pcts == [40, 60]


def test_chuxiong_targets_are_20_then_60_percent(cat):
    prog = cat.programs["chuxiong-2021"]
    assert prog.target_for(2021).pct == 20
    assert prog.target_for(2022).pct == 60


# -- validation errors --------------------------------------------------------------------------


def test_fixed_deduction_without_points_names_file_and_field(tmp_path):
    def mutate(d):
        del d["areas"][0]["items"][0]["deductions"][0]["points"]

    path = broken_standard(tmp_path, "chuxiong-2021", mutate)
    with pytest.raises(StandardError) as exc:
        load_standard(path)
    lines = error_lines(exc)
    assert len(lines) == 1
    assert lines[0].startswith(f"{path}: areas[0].items[0].deductions[0].points: ")


def test_non_numeric_points_names_file_and_field(tmp_path):
    def mutate(d):
        d["areas"][0]["items"][1]["points"] = "six"

    path = broken_standard(tmp_path, "chuxiong-2021", mutate)
    with pytest.raises(StandardError) as exc:
        load_standard(path)
    lines = error_lines(exc)
    assert len(lines) == 1
    assert lines[0].startswith(f"{path}: areas[0].items[1].points: ")


def test_bad_standard_file_reports_one_line_per_error(tmp_path):
    def mutate(d):
        d["areas"][0]["items"][1]["points"] = "six"
        d["areas"][1]["items"][0]["text"] = ""

    path = broken_standard(tmp_path, "chuxiong-2021", mutate)
    with pytest.raises(StandardError) as exc:
        load_standard(path)
    lines = error_lines(exc)
    assert len(lines) == 2
    assert all(line.startswith(f"{path}: ") for line in lines)
    assert any(line.startswith(f"{path}: areas[0].items[1].points: ") for line in lines)
    assert any(line.startswith(f"{path}: areas[1].items[0].text: ") for line in lines)


def test_item_id_out_of_order_names_file_and_field(tmp_path):
    def mutate(d):
        items = d["areas"][0]["items"]
        items[1]["id"], items[2]["id"] = items[2]["id"], items[1]["id"]

    path = broken_standard(tmp_path, "chuxiong-2021", mutate)
    with pytest.raises(StandardError) as exc:
        load_standard(path)
    lines = error_lines(exc)
    assert any(line.startswith(f"{path}: areas[0].items[1].id: ") for line in lines), lines


def test_unknown_field_in_standard_is_named(tmp_path):
    def mutate(d):
        d["areas"][2]["items"][0]["weight"] = 1

    path = broken_standard(tmp_path, "qingyang-2022", mutate)
    with pytest.raises(StandardError) as exc:
        load_standard(path)
    assert error_lines(exc)[0].startswith(f"{path}: areas[2].items[0].weight: ")


def test_area_subtotal_that_does_not_add_up_is_rejected(tmp_path):
    def mutate(d):
        d["areas"][0]["points"] = 11

    path = broken_standard(tmp_path, "qinhuangdao-etdz-2021", mutate)
    with pytest.raises(
        StandardError, match=r"areas\[0\]\.points: items add up to 10, stated 11"
    ) as exc:
        load_standard(path)
    assert str(path) in str(exc.value)


def test_standard_id_must_match_file_name(tmp_path):
    path = write_yaml(tmp_path / "other.yaml", std_data("national-2020"))
    with pytest.raises(StandardError) as exc:
        load_standard(path)
    assert error_lines(exc) == [f"{path}: id: 'national-2020' does not match the file name"]


def test_unparseable_yaml_is_reported_on_one_line(tmp_path):
    path = tmp_path / "national-2020.yaml"
    path.write_text("id: [unclosed\n  title: x\n", encoding="utf-8")
    with pytest.raises(StandardError) as exc:
        load_standard(path)
    lines = error_lines(exc)
    assert len(lines) == 1
    assert lines[0].startswith(f"{path}: ")


@pytest.fixture
def standards_copy(tmp_path):
    root = tmp_path / "standards"
    shutil.copytree(STANDARDS_DIR, root, ignore=shutil.ignore_patterns("rosters"))
    return root


def test_program_with_unknown_standard_fails_naming_standard(standards_copy):
    path = standards_copy / "programs" / "heyuan-2021.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["standard"] = "guangdong-2099"
    write_yaml(path, data)
    with pytest.raises(StandardError) as exc:
        read_catalog(standards_copy)
    lines = error_lines(exc)
    assert len(lines) == 1
    assert lines[0].startswith(f"{path}: standard: ")
    assert "guangdong-2099" in lines[0]


def test_program_with_duplicate_deadline_ids_is_rejected(standards_copy):
    path = standards_copy / "programs" / "chuxiong-2021.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["deadlines"][1]["id"] = data["deadlines"][0]["id"]
    write_yaml(path, data)
    with pytest.raises(StandardError, match="duplicate deadline ids") as exc:
        load_program(path)
    assert str(path) in str(exc.value)


def test_program_with_impossible_annual_date_is_rejected_on_load(standards_copy):
    path = standards_copy / "programs" / "chuxiong-2021.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["deadlines"][1]["annual"] = "02-30"
    write_yaml(path, data)
    with pytest.raises(StandardError) as exc:
        load_program(path)
    assert error_lines(exc)[0].startswith(f"{path}: deadlines[1].annual: ")


# -- greencheck standards validate --------------------------------------------------------------


def test_validate_with_no_files_checks_everything(capsys):
    assert cli(["standards", "validate"]) == 0
    out = capsys.readouterr().out
    assert out.strip() == f"ok: {len(STANDARD_FILES) + len(PROGRAM_FILES)} files valid"


def test_validate_good_file_says_ok(capsys):
    path = STANDARDS_DIR / "guangdong-2021.yaml"
    assert cli(["standards", "validate", str(path)]) == 0
    assert capsys.readouterr().out.strip() == f"ok: {path}"


def test_validate_broken_file_exits_1_with_the_field_on_stderr(tmp_path, capsys):
    def mutate(d):
        d["areas"][0]["items"][1]["points"] = "six"

    path = broken_standard(tmp_path, "chuxiong-2021", mutate)
    assert cli(["standards", "validate", str(path)]) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    lines = captured.err.splitlines()
    assert len(lines) == 1
    assert lines[0].startswith(f"error: {path}: areas[0].items[1].points: ")


def test_validate_program_with_unknown_standard_exits_1(standards_copy, capsys):
    path = standards_copy / "programs" / "qingyang-2022.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["standard"] = "qingyang-2099"
    write_yaml(path, data)
    assert cli(["standards", "validate", str(path)]) == 1
    err = capsys.readouterr().err
    assert f"{path}: standard: " in err
    assert "qingyang-2099" in err


# -- parts and N.A. are validated data ---------------------------------------------------


def _qhd_item(d, iid):
    return next(i for a in d["areas"] for i in a["items"] if i["id"] == iid)


@pytest.mark.parametrize(
    ("mutate", "field", "problem"),
    [
        (
            lambda d: _qhd_item(d, "15")["parts"][0].update(points=3),
            "areas[2].items[0].parts",
            "parts add up to 5, the item is 4",
        ),
        (
            lambda d: _qhd_item(d, "15")["deductions"][2].update(cap=3),
            "areas[2].items[0].deductions[2]",
            "deducts more than part 2's 2 points",
        ),
        (
            lambda d: _qhd_item(d, "15")["deductions"][2].update(part=3),
            "areas[2].items[0]",
            "rule c: part 3 does not exist",
        ),
        (
            lambda d: _qhd_item(d, "11").pop("na_basis"),
            "areas[1].items[6]",
            "na_allowed needs na_basis",
        ),
    ],
)
def test_parts_and_na_are_checked_naming_file_and_field(tmp_path, mutate, field, problem):
    path = broken_standard(tmp_path, "qinhuangdao-etdz-2021", mutate)
    with pytest.raises(StandardError) as exc:
        load_standard(path)
    (line,) = error_lines(exc)
    assert line.startswith(f"{path}: {field}")
    assert problem in line


def test_a_checklist_item_takes_no_parts(tmp_path):
    def mutate(d):
        d["areas"][0]["items"][0]["parts"] = [{"points": 1, "text": "x"}]

    path = broken_standard(tmp_path, "national-2020", mutate)
    with pytest.raises(StandardError, match="a checklist item has no points, parts or deductions"):
        load_standard(path)
