"""Reading roster files: CSV syntax, characters, where the header is, which
kind of list a header means. Resource bombs are in test_rosters_bombs.py."""

import re

import pytest
from openpyxl import Workbook

from bot.files.rosters import RosterError, read_roster
from bot.texts import t

HEADER = "county,street,community,former_livable,former_green,planned_year,note"


def write_csv(path, lines):
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def write_xlsx(path, rows):
    wb = Workbook()
    for row in rows:
        wb.active.append(row)
    wb.save(path)
    return path


def refused(path, pattern, county=None, lang="en"):
    with pytest.raises(RosterError) as err:
        read_roster(path, county)
    text = t(lang, err.value.key, **err.value.info)
    assert re.search(pattern, text), text
    assert "\n" not in text
    return text


# -- CSV syntax ---------------------------------------------------------------------------------


def test_unterminated_quote_is_refused_with_its_line(tmp_path):
    lines = [HEADER, "源城区,新江街道,江滨社区,1,0,2021,", '源城区,源西街道,"河畔社区,1,0,,']
    lines += [f"源城区,源西街道,社区{n},1,0,," for n in range(20)]
    refused(write_csv(tmp_path / "r.csv", lines), r"^line 3: a quote opened on this line is never")


def test_quote_closed_later_cannot_smuggle_a_newline_into_a_name(tmp_path):
    lines = [HEADER, '源城区,新江街道,"江滨社区', '源城区",1,0,2021,']
    refused(write_csv(tmp_path / "r.csv", lines), r"^line 2: community contains .*U\+000A")


def test_field_over_the_csv_limit_is_a_clear_message_with_its_line(tmp_path):
    lines = [HEADER, "源城区,新江街道,江滨社区,1,0,2021,", "源城区,新江街道," + "长" * 140_000]
    refused(write_csv(tmp_path / "r.csv", lines), r"^line 3: a cell longer than 131072 characters")


@pytest.mark.parametrize(
    ("name", "char"),
    [
        ("江滨\x00社区", "U+0000"),
        ("江滨\t社区", "U+0009"),
        ("江滨\u202e社区", "U+202E"),  # right-to-left override: looks like another name
        ("江滨\u200b社区", "U+200B"),  # zero-width space: two names that look the same
        ("江滨\x1b[31m社区", "U+001B"),
    ],
)
def test_control_characters_in_names_are_refused(tmp_path, name, char):
    path = write_csv(tmp_path / "r.csv", [HEADER, f"源城区,新江街道,{name},1,0,2021,"])
    refused(path, rf"^line 2: community contains the control character {re.escape(char)}")


def test_newline_in_an_xlsx_name_is_refused(tmp_path):
    path = write_xlsx(
        tmp_path / "r.xlsx", [["县区", "街道", "社区"], ["源城区", "新江", "江滨\n社区"]]
    )
    refused(path, r"^line 2: community contains the control character U\+000A")


def test_a_note_may_wrap_but_not_hold_nul(tmp_path):
    ok = write_xlsx(
        tmp_path / "ok.xlsx", [["县区", "社区", "备注"], ["源城区", "江滨社区", "一\n二"]]
    )
    assert read_roster(ok)[1][0]["note"] == "一\n二"
    csv_bad = write_csv(tmp_path / "b.csv", ["county,community,note", "源城区,江滨社区,a\x01b"])
    refused(csv_bad, r"^line 2: note contains the control character U\+0001")


def test_overlong_name_is_refused(tmp_path):
    path = write_csv(tmp_path / "r.csv", [HEADER, f"源城区,新江街道,{'长' * 201},1,0,2021,"])
    refused(path, r"^line 2: community has 201 characters, at most 200")


# -- the header: where it is ------------------------------------------------------------------


ANNEX4_TITLE = [
    ["附件4"],
    ["河源市绿色社区创建工作联系人名单"],
    ["牵头部门：源城区住房和城乡建设局"],
]
ANNEX4_HEADER = ["姓  名", "单 位", "股  室", "手 机", "固定电话"]  # the seed's own titles


def test_official_annex4_with_title_rows_is_read_with_county(tmp_path):
    rows = [*ANNEX4_TITLE, ANNEX4_HEADER, ["张三", "源城区住建局", "城建股", 13800000001, None]]
    kind, out = read_roster(write_xlsx(tmp_path / "a4.xlsx", rows), "源城区")
    assert kind == "contacts"
    assert out == [
        {
            "county": "源城区",
            "name": "张三",
            "unit": "源城区住建局",
            "office": "城建股",
            "mobile": "13800000001",
            "phone": "",
            "line": 5,
        }
    ]


def test_official_annex4_without_county_asks_for_one(tmp_path):
    rows = [*ANNEX4_TITLE, ANNEX4_HEADER, ["张三", "源城区住建局", "城建股", 13800000001, None]]
    refused(write_xlsx(tmp_path / "a4.xlsx", rows), r"^line 4: .*no county column.*--county")


def test_annex4_with_a_county_column_and_title_rows(tmp_path):
    rows = [*ANNEX4_TITLE, ["县 (区 )", *ANNEX4_HEADER], ["龙川县", "李四", "", "", "", ""]]
    kind, out = read_roster(write_xlsx(tmp_path / "a4.xlsx", rows))
    assert (kind, out[0]["county"], out[0]["name"], out[0]["line"]) == (
        "contacts",
        "龙川县",
        "李四",
        5,
    )


def test_annex5_layout_with_title_rows_and_seed_titles(tmp_path):
    rows = [
        ["附件5"],
        ["河源市绿色社区创建计划表"],
        ["序号", "县 (区 )", "街道办", "社区名称", "原宜居社区"],
        [1, "源城区", "新江街道", "江滨社区", "是"],
    ]
    kind, out = read_roster(write_xlsx(tmp_path / "a5.xlsx", rows))
    assert kind == "communities"
    assert (out[0]["county"], out[0]["street"], out[0]["community"], out[0]["line"]) == (
        "源城区",
        "新江街道",
        "江滨社区",
        4,
    )


def test_chinese_headers_are_read_as_communities(tmp_path):
    path = write_csv(tmp_path / "r.csv", ["区县,街道办,社区名称", "源城区,新江街道,江滨社区"])
    kind, out = read_roster(path)
    assert (kind, out[0]["community"]) == ("communities", "江滨社区")


def test_no_header_in_the_first_rows_lists_the_accepted_columns(tmp_path):
    path = write_csv(tmp_path / "r.csv", ["a,b", *["x,y"] * 12])
    text = refused(path, r"no header row in the first 10 rows")
    assert "community: community/社区/社区名称" in text and "person: 姓名" in text
    zh = refused(path, r"前 10 行中没有表头", lang="zh")
    assert "社区名单" in zh


# -- the header: which kind -------------------------------------------------------------------


def test_county_street_name_is_a_community_list(tmp_path):
    path = write_csv(tmp_path / "r.csv", ["county,street,name", "源城区,新江街道,江滨社区"])
    kind, out = read_roster(path)
    assert (kind, out[0]["community"], out[0]["street"]) == ("communities", "江滨社区", "新江街道")


def test_county_name_unit_is_a_contact_list(tmp_path):
    path = write_csv(tmp_path / "r.csv", ["county,name,unit", "源城区,张三,住建局"])
    kind, out = read_roster(path)
    assert (kind, out[0]["name"], out[0]["unit"]) == ("contacts", "张三", "住建局")


def test_county_and_name_alone_is_ambiguous(tmp_path):
    path = write_csv(tmp_path / "r.csv", ["county,name", "源城区,江滨社区"])
    refused(path, r"^line 1: the header has only a county and 'name'")
    refused(path, r"^第 1 行：表头只有县区和 name", lang="zh")


def test_header_mixing_both_kinds_is_refused(tmp_path):
    path = write_csv(tmp_path / "r.csv", ["县区,社区,姓名,手机", "源城区,江滨社区,张三,138"])
    refused(path, r"^line 1: the header has community-list columns \(community\)")


def test_two_columns_meaning_the_same_are_refused(tmp_path):
    path = write_csv(tmp_path / "r.csv", ["县区,社区,社区名称", "源城区,江滨社区,河畔社区"])
    refused(path, r"^line 1: header columns '社区' and '社区名称' both mean community")


def test_community_list_without_county_column(tmp_path):
    path = write_csv(tmp_path / "r.csv", ["street,community", "新江街道,江滨社区"])
    refused(path, r"^line 1: a community list's header needs a county column")


def test_county_option_is_for_contact_lists_only(tmp_path):
    path = write_csv(tmp_path / "r.csv", [HEADER, "源城区,新江街道,江滨社区,1,0,2021,"])
    refused(path, r"--county is for a contact list only", county="源城区")


def test_a_broken_xlsx_is_one_line(tmp_path):
    path = tmp_path / "r.xlsx"
    path.write_bytes(b"PK\x03\x04 not really a zip\n\nat all")
    refused(path, r"not a readable XLSX file")
