"""The roster service: import (all rows or none), the sample, name matching."""

import re

import pytest
from openpyxl import Workbook

from bot.services.roster import (
    Roster,
    RosterError,
    read_roster,
)
from bot.texts import t
from tests.harness import sample_roster

HEADER = "county,street,community,former_livable,former_green,planned_year,note"
GOOD = [
    "源城区,新江街道,江滨社区,1,0,2021,",
    "源城区,源西街道,河畔社区,1,0,,",
    "龙川县,老隆镇,东门社区,0,0,2022,备注",
]


def write_csv(path, lines, encoding="utf-8"):
    path.write_text("\n".join(lines) + "\n", encoding=encoding)
    return path


def write_xlsx(path, rows):
    wb = Workbook()
    ws = wb.active
    for row in rows:
        ws.append(row)
    wb.save(path)
    return path


def english(exc: RosterError) -> str:
    """The error as the CLI prints it in English (GREENCHECK_LANG=en)."""
    return t("en", exc.key, **exc.info)


def raises(call, pattern, *args):
    """Run `call(*args)`; assert it raises RosterError whose English text matches `pattern`."""
    with pytest.raises(RosterError) as err:
        call(*args)
    assert re.search(pattern, english(err.value)), english(err.value)
    return err.value


def counts(db):
    return {
        t: db.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
        for t in ("counties", "streets", "communities", "contacts")
    }


def test_import_csv(fresh_db, tmp_path):
    result = Roster(fresh_db).import_roster(write_csv(tmp_path / "r.csv", [HEADER, *GOOD]))
    assert (result.kind, result.rows, result.counties) == ("communities", 3, 2)
    assert Roster(fresh_db).roster() == [
        {
            "county": "源城区",
            "street": "新江街道",
            "community": "江滨社区",
            "former_livable": 1,
            "former_green": 0,
            "planned_year": 2021,
            "note": None,
        },
        {
            "county": "源城区",
            "street": "源西街道",
            "community": "河畔社区",
            "former_livable": 1,
            "former_green": 0,
            "planned_year": None,
            "note": None,
        },
        {
            "county": "龙川县",
            "street": "老隆镇",
            "community": "东门社区",
            "former_livable": 0,
            "former_green": 0,
            "planned_year": 2022,
            "note": "备注",
        },
    ]
    assert [r["community"] for r in Roster(fresh_db).roster("龙川县")] == ["东门社区"]


def test_import_csv_with_byte_order_mark(fresh_db, tmp_path):
    path = write_csv(tmp_path / "r.csv", [HEADER, *GOOD], encoding="utf-8-sig")
    assert Roster(fresh_db).import_roster(path).rows == 3


def test_import_xlsx_with_chinese_headers(fresh_db, tmp_path):
    path = write_xlsx(
        tmp_path / "r.xlsx",
        [
            ["县区", "街道", "社区", "原宜居社区", "原绿色社区", "计划创建年份", "备注"],
            ["和平县", "阳明镇", "东山社区", "是", "否", 2021, None],
            ["和平县", "阳明镇", "西山社区", "否", "是", None, "样例"],
        ],
    )
    result = Roster(fresh_db).import_roster(path)
    assert (result.kind, result.rows, result.counties) == ("communities", 2, 1)
    rows = Roster(fresh_db).roster("和平县")
    assert [(r["community"], r["former_livable"], r["former_green"]) for r in rows] == [
        ("东山社区", 1, 0),
        ("西山社区", 0, 1),
    ]
    assert [r["planned_year"] for r in rows] == [2021, None]
    assert {r["street"] for r in rows} == {"阳明镇"}


@pytest.mark.parametrize(
    ("bad", "message"),
    [
        ("源城区,新江街道,,1,0,2021,", "community is empty"),
        (",新江街道,新社区,1,0,2021,", "county is empty"),
        ("源城区,新江街道,江滨社区,1,0,2021,", "appears twice"),
        ("源城区,新江街道,新社区,1,0,abc,", "planned_year"),
        ("源城区,新江街道,新社区,maybe,0,2021,", "former_livable"),
        ("源城区,新江街道,新社区,1,maybe,2021,", "former_green"),
    ],
)
def test_bad_row_reports_its_line_and_imports_nothing(fresh_db, tmp_path, bad, message):
    Roster(fresh_db).import_roster(write_csv(tmp_path / "first.csv", [HEADER, GOOD[2]]))
    before = counts(fresh_db)
    path = write_csv(tmp_path / "r.csv", [HEADER, GOOD[0], GOOD[1], bad])
    raises(Roster(fresh_db).import_roster, f"^line 4: .*{message}", path)
    assert counts(fresh_db) == before


def test_bad_row_in_xlsx_reports_its_line_and_imports_nothing(fresh_db, tmp_path):
    path = write_xlsx(
        tmp_path / "r.xlsx",
        [
            ["县区", "街道", "社区", "计划创建年份"],
            ["紫金县", "紫城镇", "城南社区", 2022],
            ["紫金县", "紫城镇", "城北社区", "明年"],
        ],
    )
    raises(Roster(fresh_db).import_roster, r"^line 3: planned_year", path)
    assert counts(fresh_db) == {"counties": 0, "streets": 0, "communities": 0, "contacts": 0}


def test_blank_lines_are_skipped_but_keep_line_numbers(fresh_db, tmp_path):
    path = write_csv(tmp_path / "r.csv", [HEADER, GOOD[0], "", ",,,,,,", "源城区,新江街道,,1,0,,"])
    raises(read_roster, r"^line 5: ", path)


def test_header_without_county_and_community_is_rejected(tmp_path):
    path = write_csv(tmp_path / "r.csv", ["区,名称", "源城区,江滨社区"])
    raises(read_roster, "no header row in the first 10 rows", path)


def test_header_only_file_is_rejected(tmp_path):
    raises(read_roster, "no rows", write_csv(tmp_path / "r.csv", [HEADER]))


def test_unsupported_file_type_is_rejected(tmp_path):
    path = tmp_path / "r.txt"
    path.write_text(HEADER, encoding="utf-8")
    raises(read_roster, "unsupported", path)


def test_gbk_csv_is_imported_or_reported_not_crashed(fresh_db, tmp_path):
    # Excel on a Chinese Windows saves "CSV" in GBK.
    path = write_csv(tmp_path / "r.csv", [HEADER, *GOOD], encoding="gbk")
    try:
        Roster(fresh_db).import_roster(path)
    except RosterError as exc:
        assert str(path) in english(exc)
    else:
        assert [r["community"] for r in Roster(fresh_db).roster()] == [
            "江滨社区",
            "河畔社区",
            "东门社区",
        ]


def test_reimport_updates_communities_in_place(fresh_db, tmp_path):
    Roster(fresh_db).import_roster(write_csv(tmp_path / "a.csv", [HEADER, *GOOD]))
    ids = dict(fresh_db.execute("SELECT name, id FROM communities").fetchall())
    changed = "源城区,新江街道,江滨社区,1,0,2022,已调整"
    Roster(fresh_db).import_roster(write_csv(tmp_path / "b.csv", [HEADER, changed, *GOOD[1:]]))
    assert counts(fresh_db)["communities"] == 3
    assert dict(fresh_db.execute("SELECT name, id FROM communities").fetchall()) == ids
    row = next(r for r in Roster(fresh_db).roster() if r["community"] == "江滨社区")
    assert (row["planned_year"], row["note"]) == (2022, "已调整")


CONTACTS = [
    "county,name,unit,office,mobile,phone",
    "源城区,张三,源城区住房和城乡建设局,城建股,13800000001,0762-1234567",
    "龙川县,李四,龙川县住房和城乡建设局,,13800000002,",
]


@pytest.fixture
def counties_db(fresh_db, tmp_path):
    """The counties contacts may name (a contact list never creates counties)."""
    rows = [HEADER, *GOOD, "连平县,元善镇,中山社区,0,0,,"]
    Roster(fresh_db).import_roster(write_csv(tmp_path / "communities.csv", rows))
    return fresh_db


def test_import_contacts(counties_db, tmp_path):
    fresh_db = counties_db
    result = Roster(fresh_db).import_roster(write_csv(tmp_path / "c.csv", CONTACTS))
    assert (result.kind, result.rows, result.counties) == ("contacts", 2, 2)
    rows = list(
        fresh_db.query(
            "SELECT co.name AS county, c.name, c.unit, c.office, c.mobile, c.phone"
            " FROM contacts c JOIN counties co ON co.id = c.county_id ORDER BY c.id"
        )
    )
    assert rows == [
        {
            "county": "源城区",
            "name": "张三",
            "unit": "源城区住房和城乡建设局",
            "office": "城建股",
            "mobile": "13800000001",
            "phone": "0762-1234567",
        },
        {
            "county": "龙川县",
            "name": "李四",
            "unit": "龙川县住房和城乡建设局",
            "office": "",
            "mobile": "13800000002",
            "phone": "",
        },
    ]
    assert counts(fresh_db)["communities"] == 4


def test_import_contacts_with_chinese_headers(counties_db, tmp_path):
    fresh_db = counties_db
    path = write_xlsx(
        tmp_path / "c.xlsx",
        [
            ["县区", "姓名", "单位", "股室", "手机", "固定电话"],
            ["连平县", "王五", "连平县住建局", "", 13800000003, None],
        ],
    )
    result = Roster(fresh_db).import_roster(path)
    assert (result.kind, result.rows) == ("contacts", 1)
    row = fresh_db.execute("SELECT name, mobile FROM contacts").fetchone()
    assert tuple(row) == ("王五", "13800000003")


def test_contact_without_name_reports_its_line(counties_db, tmp_path):
    fresh_db = counties_db
    path = write_csv(tmp_path / "c.csv", [*CONTACTS, "紫金县,,紫金县住建局,,,"])
    raises(Roster(fresh_db).import_roster, r"^line 4: name is empty", path)
    assert counts(fresh_db)["contacts"] == 0


def test_reimport_contacts_updates_in_place(counties_db, tmp_path):
    fresh_db = counties_db
    Roster(fresh_db).import_roster(write_csv(tmp_path / "c.csv", CONTACTS))
    changed = CONTACTS[1].replace("13800000001", "13900000009")
    Roster(fresh_db).import_roster(
        write_csv(tmp_path / "d.csv", [CONTACTS[0], changed, CONTACTS[2]])
    )
    rows = fresh_db.execute("SELECT name, mobile FROM contacts ORDER BY name").fetchall()
    assert sorted(tuple(r) for r in rows) == [("张三", "13900000009"), ("李四", "13800000002")]


# -- the Heyuan sample (seed README: 附件5 河源市绿色社区创建计划表) ------------------------------


@pytest.fixture
def sample_db(fresh_db):
    sample_roster(fresh_db)
    return fresh_db


def test_sample_has_95_communities_in_7_counties(sample_db):
    rows = Roster(sample_db).roster()
    assert len(rows) == 95
    assert {r["county"] for r in rows} == {
        "源城区",
        "江东新区",
        "东源县",
        "和平县",
        "龙川县",
        "紫金县",
        "连平县",
    }


def test_sample_county_counts_follow_the_seed(sample_db):
    per_county = {}
    for r in Roster(sample_db).roster():
        per_county[r["county"]] = per_county.get(r["county"], 0) + 1
    legible = {"源城区": 44, "江东新区": 5, "和平县": 10, "龙川县": 15, "连平县": 5}
    assert {k: per_county[k] for k in legible} == legible
    assert per_county["东源县"] + per_county["紫金县"] == 16


def test_sample_flags_and_plan_years_follow_the_seed(sample_db):
    rows = Roster(sample_db).roster()
    assert sum(r["former_livable"] for r in rows) == 92
    assert sum(r["former_green"] for r in rows) == 0
    assert sum(r["planned_year"] == 2021 for r in rows) == 13
    assert sum(r["planned_year"] == 2022 for r in rows) == 26


def test_sample_rows_are_marked_as_sample_data(sample_db):
    assert all("样例数据" in (r["note"] or "") for r in Roster(sample_db).roster())


def test_loading_the_sample_twice_changes_nothing(sample_db):
    before = counts(sample_db)
    sample_roster(sample_db)
    assert counts(sample_db) == before


# -- name matching ------------------------------------------------------------------------------


def test_find_community_and_county_forgive_suffixes(fresh_db, tmp_path):
    Roster(fresh_db).import_roster(write_csv(tmp_path / "r.csv", [HEADER, *GOOD]))
    assert [n for _, n in Roster(fresh_db).find_community("江滨社区")] == ["江滨社区"]
    assert [n for _, n in Roster(fresh_db).find_community("江滨")] == ["江滨社区"]
    assert [n for _, n in Roster(fresh_db).find_community("东门社区居委会")] == ["东门社区"]
    assert [n for _, n in Roster(fresh_db).find_county("龙川")] == ["龙川县"]
    assert Roster(fresh_db).find_community("不存在") == []


def test_reimport_never_moves_a_community_to_another_county(fresh_db, tmp_path):
    Roster(fresh_db).import_roster(write_csv(tmp_path / "a.csv", [HEADER, *GOOD]))
    moved = "龙川县,老隆镇,江滨社区,1,0,,"
    raises(
        Roster(fresh_db).import_roster,
        r"line 2: community '江滨社区' already exists in 源城区",
        write_csv(tmp_path / "b.csv", [HEADER, moved]),
    )
    county = fresh_db.execute(
        "SELECT co.name FROM communities c JOIN counties co ON co.id = c.county_id"
        " WHERE c.name = '江滨社区'"
    ).fetchone()[0]
    assert county == "源城区"


# -- nothing silently wrong ---------------------------------------------------


def test_unterminated_quote_imports_nothing(fresh_db, tmp_path):
    lines = [HEADER, GOOD[0], '源城区,源西街道,"河畔社区,1,0,,', *GOOD[2:]]
    raises(
        Roster(fresh_db).import_roster,
        r"^line 3: a quote opened on this line is never closed",
        write_csv(tmp_path / "r.csv", lines),
    )
    assert counts(fresh_db) == {"counties": 0, "streets": 0, "communities": 0, "contacts": 0}


@pytest.mark.parametrize("bad", ["江滨\x00社区", '"江滨\n社区"', "江滨\u2028社区"])
def test_nul_and_newlines_in_names_are_refused(fresh_db, tmp_path, bad):
    path = write_csv(tmp_path / "r.csv", [HEADER, GOOD[0], f"源城区,新江街道,{bad},1,0,,"])
    raises(
        Roster(fresh_db).import_roster, r"^line 3: community contains the control character", path
    )
    assert counts(fresh_db)["communities"] == 0


def contacts_file(tmp_path, *rows):
    return write_csv(tmp_path / "c.csv", [CONTACTS[0], *rows])


def test_contact_for_a_misspelled_county_is_refused_and_creates_nothing(counties_db, tmp_path):
    before = counts(counties_db)
    path = contacts_file(tmp_path, CONTACTS[1], "源城区X,王五,住建局,,138,")
    raises(
        Roster(counties_db).import_roster,
        r"^line 3: no county '源城区X' in the roster; did you mean '源城区'\?",
        path,
    )
    assert counts(counties_db) == before


def test_contact_for_an_unknown_county_is_refused(counties_db, tmp_path):
    path = contacts_file(tmp_path, "火星县,王五,住建局,,138,")
    raises(
        Roster(counties_db).import_roster,
        r"^line 2: no county '火星县' in the roster; a contact list",
        path,
    )
    assert counts(counties_db)["contacts"] == 0


def test_contacts_into_an_empty_roster_are_refused(fresh_db, tmp_path):
    raises(
        Roster(fresh_db).import_roster,
        r"^line 2: no county '源城区'",
        write_csv(tmp_path / "c.csv", CONTACTS),
    )
    assert counts(fresh_db)["counties"] == 0


def test_county_street_name_header_imports_communities_not_contacts(fresh_db, tmp_path):
    path = write_csv(tmp_path / "r.csv", ["county,street,name", "源城区,新江街道,江滨社区"])
    assert Roster(fresh_db).import_roster(path).kind == "communities"
    assert counts(fresh_db) == {"counties": 1, "streets": 1, "communities": 1, "contacts": 0}


@pytest.mark.parametrize(
    ("row", "line", "existing"),
    [
        ("源城,新江街道,新社区,1,0,,", 2, "源城区"),  # the suffix left out
        ("源城县,新江街道,新社区,1,0,,", 2, "源城区"),  # another suffix
        ("江东区,新江街道,新社区,1,0,,", 2, "江东新区"),
    ],
)
def test_near_duplicate_county_is_refused_with_line_and_existing_name(
    fresh_db, tmp_path, row, line, existing
):
    first = [HEADER, GOOD[0], "江东新区,东江街道,东江社区,0,0,,"]
    Roster(fresh_db).import_roster(write_csv(tmp_path / "a.csv", first))
    before = counts(fresh_db)
    raises(
        Roster(fresh_db).import_roster,
        rf"^line {line}: county '[^']+' differs from the existing '{existing}' only by a suffix",
        write_csv(tmp_path / "b.csv", [HEADER, row]),
    )
    assert counts(fresh_db) == before


def test_near_duplicate_counties_within_one_file(fresh_db, tmp_path):
    path = write_csv(tmp_path / "r.csv", [HEADER, GOOD[0], "源城,源西街道,河畔社区,1,0,,"])
    raises(
        Roster(fresh_db).import_roster,
        r"^line 3: county '源城' differs from the existing '源城区'",
        path,
    )
    assert counts(fresh_db)["counties"] == 0


def test_import_reports_its_plan(fresh_db, tmp_path):
    first = Roster(fresh_db).import_roster(write_csv(tmp_path / "a.csv", [HEADER, *GOOD]))
    assert first.plan.new_counties == ("源城区", "龙川县")
    assert first.plan.new_streets == ("源城区/新江街道", "源城区/源西街道", "龙川县/老隆镇")
    assert first.plan.new_communities == ("江滨社区", "河畔社区", "东门社区")
    changed = "源城区,新江街道,江滨社区,1,0,2022,已调整"
    again = Roster(fresh_db).import_roster(
        write_csv(tmp_path / "b.csv", [HEADER, changed, *GOOD[1:], "龙川县,老隆镇,西门社区,0,0,,"]),
    )
    assert (again.plan.new_counties, again.plan.new_streets) == ((), ())
    assert again.plan.new_communities == ("西门社区",)
    assert (again.plan.updated, again.plan.unchanged) == (("江滨社区",), 2)


def test_contact_plan_lists_new_and_updated(counties_db, tmp_path):
    Roster(counties_db).import_roster(write_csv(tmp_path / "c.csv", CONTACTS))
    changed = CONTACTS[1].replace("13800000001", "13900000009")
    result = Roster(counties_db).import_roster(
        contacts_file(tmp_path, changed, CONTACTS[2], "连平县,王五,住建局,,,")
    )
    assert result.plan.new_contacts == ("连平县/王五",)
    assert (result.plan.updated, result.plan.unchanged) == (("源城区/张三",), 1)


def test_dry_run_plans_and_writes_nothing(fresh_db, tmp_path):
    result = Roster(fresh_db).import_roster(
        write_csv(tmp_path / "a.csv", [HEADER, *GOOD]), dry_run=True
    )
    assert (result.written, result.plan.new_communities) == (
        False,
        ("江滨社区", "河畔社区", "东门社区"),
    )
    assert counts(fresh_db) == {"counties": 0, "streets": 0, "communities": 0, "contacts": 0}


def test_dry_run_refuses_what_the_import_would_refuse(fresh_db, tmp_path):
    Roster(fresh_db).import_roster(write_csv(tmp_path / "a.csv", [HEADER, *GOOD]))
    path = write_csv(tmp_path / "b.csv", [HEADER, "龙川,老隆镇,南门社区,0,0,,"])
    with pytest.raises(RosterError):
        Roster(fresh_db).import_roster(path, dry_run=True)


def test_official_annex4_imports_with_a_county(counties_db, tmp_path):
    path = write_xlsx(
        tmp_path / "a4.xlsx",
        [
            ["河源市绿色社区创建工作联系人名单"],
            ["牵头部门：龙川县住房和城乡建设局"],
            ["姓  名", "单 位", "股  室", "手 机", "固定电话"],
            ["赵六", "龙川县住建局", "村镇股", 13800000006, "0762-6666666"],
        ],
    )
    result = Roster(counties_db).import_roster(path, county="龙川县")
    assert (result.kind, result.plan.new_contacts) == ("contacts", ("龙川县/赵六",))
    raises(
        Roster(counties_db).import_roster, r"^line 3: the contact list has no county column", path
    )
    with pytest.raises(RosterError) as err:
        Roster(counties_db).import_roster(path, county="龙川")
    assert english(err.value).startswith(
        "line 4: no county '龙川' in the roster; did you mean '龙川县'"
    )


def test_the_plan_is_shown_before_anything_is_written(fresh_db, tmp_path):
    seen = []
    Roster(fresh_db).import_roster(
        write_csv(tmp_path / "a.csv", [HEADER, *GOOD]),
        on_plan=lambda plan: seen.append((plan.new_communities, counts(fresh_db)["communities"])),
    )
    assert seen == [(("江滨社区", "河畔社区", "东门社区"), 0)]
    assert counts(fresh_db)["communities"] == 3
