"""`greencheck roster import`: the plan, --dry-run, --help listing
the columns, refusals in GREENCHECK_LANG, and every refusal one line with exit status 1 (also as
a real process: no traceback, bounded memory)."""

import os
import re
import subprocess
import sys
import zipfile

import pytest
from openpyxl import Workbook

from bot.store.db import connect
from tests.harness import cli

SAMPLE = "standards/rosters/heyuan-sample.csv"


@pytest.fixture
def db_path(tmp_path, monkeypatch):
    path = tmp_path / "g.db"
    monkeypatch.setenv("GREENCHECK_DB", str(path))
    monkeypatch.setenv("GREENCHECK_LANG", "en")
    return path


def counts(path):
    db = connect(path)
    try:
        return tuple(db[t].count for t in ("counties", "streets", "communities", "contacts"))
    finally:
        db.conn.close()


def write(path, text):
    path.write_text(text, encoding="utf-8")
    return path


def test_help_lists_the_columns_of_both_kinds(db_path, capsys):
    with pytest.raises(SystemExit) as done:
        cli(["roster", "import", "--help"])
    assert done.value.code == 0
    out = " ".join(capsys.readouterr().out.split())
    assert "community list columns: county: county/县区" in out
    assert "community: community/社区/社区名称" in out
    assert "contact list columns: county: county/县区" in out
    assert "person: 姓名/联系人/name/名称 unit: unit/单位 office: office/股室" in out
    assert "--dry-run" in out and "--county" in out


def test_help_in_chinese(db_path, monkeypatch, capsys):
    monkeypatch.setenv("GREENCHECK_LANG", "zh")
    with pytest.raises(SystemExit):
        cli(["roster", "import", "--help"])
    out = capsys.readouterr().out
    assert "社区名单的列" in out and "联系人名单的列" in out


def test_import_shows_the_plan_then_imports(db_path, tmp_path, capsys):
    path = write(
        tmp_path / "r.csv", "区县,街道办,社区名称\n紫金县,紫城镇,城南社区\n紫金县,紫城镇,城北社区\n"
    )
    assert cli(["roster", "import", str(path)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out == [
        "will import: new 1 counties, 1 streets, 2 communities, 0 contacts; 0 rows updated;"
        " 0 unchanged",
        "  new counties: 紫金县",
        "  new streets: 紫金县/紫城镇",
        "  new communities: 城南社区, 城北社区",
        f"imported 2 communities in 1 counties from {path}",
    ]
    assert counts(db_path) == (1, 1, 2, 0)


def test_dry_run_prints_the_plan_only(db_path, capsys):
    assert cli(["init"]) == 0
    capsys.readouterr()
    assert cli(["roster", "import", SAMPLE, "--dry-run"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith("will import: new 7 counties, ")
    assert ", 95 communities, 0 contacts; 0 rows updated; 0 unchanged" in out[0]
    assert out[-1] == "dry run: nothing written"
    assert counts(db_path) == (0, 0, 0, 0)


def test_reimport_of_the_sample_changes_nothing(db_path, capsys):
    assert cli(["init", "--sample"]) == 0
    capsys.readouterr()
    assert cli(["roster", "import", SAMPLE, "--dry-run"]) == 0
    assert capsys.readouterr().out.splitlines()[0] == (
        "will import: new 0 counties, 0 streets, 0 communities, 0 contacts; 0 rows updated;"
        " 95 unchanged"
    )


def test_contacts_for_a_misspelled_county_exit_1_in_chinese(db_path, tmp_path, monkeypatch, capsys):
    assert cli(["init", "--sample"]) == 0
    capsys.readouterr()
    monkeypatch.setenv("GREENCHECK_LANG", "zh")
    path = write(tmp_path / "c.csv", "县区,姓名,手机\n源城区,张三,138\n源城区X,李四,139\n")
    assert cli(["roster", "import", str(path)]) == 1
    assert capsys.readouterr().err == (  # every row error names the file first
        f"error: {path}：第 3 行：名册中没有县区“源城区X”，是否指“源城区”？联系人名单不会新建县区\n"
    )
    assert counts(db_path)[3] == 0
    assert counts(db_path)[0] == 7


def test_near_duplicate_county_exits_1_naming_line_and_existing(db_path, tmp_path, capsys):
    assert cli(["init", "--sample"]) == 0
    capsys.readouterr()
    before = counts(db_path)
    path = write(
        tmp_path / "r.csv", "区县,街道办,社区名称\n源城区,新江街道,新社区\n源城,新江街道,另一社区\n"
    )
    assert cli(["roster", "import", str(path)]) == 1
    assert capsys.readouterr().err == (
        f"error: {path}: line 3: county '源城' differs from the existing '源城区' only by a"
        " suffix; use '源城区' or fix the name\n"
    )
    assert counts(db_path) == before


def test_ambiguous_header_is_refused_in_chinese(db_path, tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("GREENCHECK_LANG", "zh")
    path = write(tmp_path / "r.csv", "county,name\n源城区,江滨社区\n")
    assert cli(["roster", "import", str(path)]) == 1
    err = capsys.readouterr().err
    assert err.startswith(f"error: {path}：第 1 行：表头只有县区和 name") and err.count("\n") == 1


def test_annex4_with_county_option(db_path, tmp_path, capsys):
    assert cli(["init", "--sample"]) == 0
    wb = Workbook()
    for row in (["河源市绿色社区创建工作联系人名单"], ["牵头部门："], ["姓  名", "单 位", "手 机"]):
        wb.active.append(row)
    wb.active.append(["张三", "和平县住建局", 13800000001])
    wb.save(tmp_path / "a4.xlsx")
    capsys.readouterr()
    assert cli(["roster", "import", str(tmp_path / "a4.xlsx"), "--county", "和平县"]) == 0
    assert capsys.readouterr().out.splitlines()[-1].startswith("imported 1 contacts in 1 counties")
    assert counts(db_path)[3] == 1


# -- as a real process: one line, exit 1, no traceback ----------------------------------------


def run(tmp_path, *argv, lang="en"):
    env = {**os.environ, "GREENCHECK_DB": str(tmp_path / "p.db"), "GREENCHECK_LANG": lang}
    code = (
        "import resource, sys\n"
        "from bot.cli.main import main\n"
        "rc = main(sys.argv[1:])\n"
        # VmHWM is this process's own high-water mark; ru_maxrss may carry the parent's over
        # fork and exec (it read pytest's size when run late in the suite)
        "status = open('/proc/self/status').read()\n"
        "hwm = [l.split()[1] for l in status.splitlines() if l.startswith('VmHWM:')]\n"
        "peak = int(hwm[0]) if hwm else resource.getrusage(resource.RUSAGE_SELF).ru_maxrss\n"
        "print(f'peak-rss-kb {peak}', file=sys.stdout)\n"
        "sys.exit(rc)\n"
    )
    return subprocess.run(
        [sys.executable, "-c", code, *argv],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        timeout=120,
    )


def peak_mb(proc):
    found = re.search(r"peak-rss-kb (\d+)", proc.stdout)
    assert found, proc.stdout
    return int(found.group(1)) / 1024


def refused_in_a_process(tmp_path, path, pattern, lang="en"):
    proc = run(tmp_path, "roster", "import", str(path), lang=lang)
    assert proc.returncode == 1, proc
    assert "Traceback" not in proc.stderr
    assert proc.stderr.count("\n") == 1, proc.stderr
    sep = "：" if lang == "zh" else ": "  # every row error names the file first
    assert re.match(rf"error: ({re.escape(str(path) + sep)})?{pattern}", proc.stderr), proc.stderr
    return peak_mb(proc)


def test_csv_field_bomb_in_a_process(tmp_path):
    path = write(tmp_path / "r.csv", 'county,community\n源城区,"' + "x" * 300_000 + "\n")
    mb = refused_in_a_process(tmp_path, path, r"line 2: a cell longer than 131072 characters")
    print(f"\nCSV field bomb: peak RSS {mb:.0f} MB")
    assert mb < 200


def test_dimension_bomb_in_a_process(tmp_path):
    wb = Workbook()
    wb.active.append(["county", "community"])
    wb.active["XFD1048576"] = "x"
    wb.save(tmp_path / "far.xlsx")
    assert (tmp_path / "far.xlsx").stat().st_size < 10_000
    mb = refused_in_a_process(
        tmp_path, tmp_path / "far.xlsx", r"line 200001: more than 200000 rows"
    )
    print(f"\nfar cell XFD1048576 (A1:XFD1048576), real limits: peak RSS {mb:.0f} MB")
    assert mb < 200


def sheet_bomb(path, megabytes):
    """A valid XLSX whose sheet holds `megabytes` MB of identical rows (compresses ~1000:1)."""
    Workbook().save(path.with_suffix(".src.xlsx"))
    row = b'<row><c t="inlineStr"><is><t>x</t></is></c><c t="inlineStr"><is><t>y</t></is></c></row>'
    chunk = row * (1024 * 1024 // len(row))
    with (
        zipfile.ZipFile(path.with_suffix(".src.xlsx")) as src,
        zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out,
    ):
        for item in src.infolist():
            if item.filename != "xl/worksheets/sheet1.xml":
                out.writestr(item, src.read(item.filename))
        with out.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            sheet.write(
                b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
            )
            sheet.write(
                b"<sheetData>" + row.replace(b">x<", b">county<").replace(b">y<", b">community<")
            )
            for _ in range(megabytes):
                sheet.write(chunk)
            sheet.write(b"</sheetData></worksheet>")
    return path


def test_deflate_bomb_in_a_process_in_chinese(tmp_path):
    path = sheet_bomb(tmp_path / "bomb.xlsx", 80)
    assert path.stat().st_size < 300_000
    mb = refused_in_a_process(tmp_path, path, r".*疑似压缩炸弹，拒绝导入", lang="zh")
    print(f"\ndeflate bomb 80 MB in {path.stat().st_size} bytes: peak RSS {mb:.0f} MB")
    assert mb < 200


def test_unterminated_quote_in_a_process(tmp_path):
    path = write(tmp_path / "r.csv", 'county,community\n源城区,"江滨社区\n源城区,河畔社区\n')
    refused_in_a_process(tmp_path, path, r"第 2 行：此行开始的引号没有闭合", lang="zh")
