"""Resource bombs: refused or read in bounded memory and time.

Each test measures the peak of Python allocations (tracemalloc) while reading the bomb and
prints it (`pytest -s`); the bounds asserted are generous: the old reader used gigabytes.
"""

import re
import tracemalloc
import zipfile

import pytest
from openpyxl import Workbook

from bot.files import rosters
from bot.files.rosters import RosterError, read_roster
from bot.texts import t

MB = 1024 * 1024


def peak_of(call, *args):
    """Run call(*args); return (result or the RosterError raised, peak bytes allocated)."""
    tracemalloc.start()
    try:
        try:
            result = call(*args)
        except RosterError as exc:
            result = exc
        return result, tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def english(exc):
    assert isinstance(exc, RosterError), exc
    return t("en", exc.key, **exc.info)


def small_xlsx(path, extra=()):
    wb = Workbook()
    ws = wb.active
    ws.append(["县区", "街道", "社区"])
    ws.append(["源城区", "新江街道", "江滨社区"])
    ws.append(["源城区", "源西街道", "河畔社区"])
    for cell, value in extra:
        ws[cell] = value
    wb.save(path)
    return path


def with_dimension(src, dst, ref):
    """Copy an XLSX, declaring `ref` as the sheet's dimension (nothing else changes)."""
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = re.sub(rb'<dimension ref="[^"]*"', f'<dimension ref="{ref}"'.encode(), data)
                assert ref.encode() in data
            zout.writestr(item, data)
    return dst


def test_declared_dimension_a1_xfd1048576_costs_nothing(tmp_path):
    path = with_dimension(small_xlsx(tmp_path / "s.xlsx"), tmp_path / "d.xlsx", "A1:XFD1048576")
    assert path.stat().st_size < 10_000
    (kind, rows), peak = peak_of(read_roster, path)
    print(f"\ndimension A1:XFD1048576, 3 rows: peak {peak / MB:.1f} MB")
    assert (kind, [r["community"] for r in rows]) == ("communities", ["江滨社区", "河畔社区"])
    assert peak < 20 * MB


def test_one_far_cell_stops_at_the_row_limit(tmp_path, monkeypatch):
    monkeypatch.setattr(rosters, "MAX_ROWS", 20_000)  # test-sized: the real limit is 200,000
    path = small_xlsx(tmp_path / "far.xlsx", [("XFD1048576", "x")])
    err, peak = peak_of(read_roster, path)
    print(f"\nfar cell XFD1048576: peak {peak / MB:.1f} MB")
    assert english(err) == "line 20001: more than 20000 rows; split the file"
    assert peak < 20 * MB


def test_a_far_column_is_never_allocated(tmp_path):
    path = small_xlsx(tmp_path / "wide.xlsx", [("XFD2", "x")])
    (_, rows), peak = peak_of(read_roster, path)
    print(f"\nfar cell XFD2: peak {peak / MB:.1f} MB")
    assert len(rows) == 2  # columns past the limit are not read (they have no header there)
    assert peak < 20 * MB


def test_a_cell_just_past_the_column_limit_is_refused(tmp_path):
    path = small_xlsx(tmp_path / "wide.xlsx", [("AY3", "x")])  # column 51
    err, _ = peak_of(read_roster, path)
    assert english(err) == "line 3: cells beyond column 50; a roster has at most 50 columns"


def deflate_bomb(path, member_mb):
    """A valid small XLSX plus one member of `member_mb` MB of zeros (compresses ~1000:1)."""
    small_xlsx(path)
    chunk = b"\0" * MB
    with (
        zipfile.ZipFile(path, "a", zipfile.ZIP_DEFLATED) as zf,
        zf.open("xl/media/image1.bin", "w", force_zip64=True) as member,
    ):
        for _ in range(member_mb):
            member.write(chunk)
    return path


def test_deflate_bomb_is_refused_before_opening(tmp_path):
    path = deflate_bomb(tmp_path / "bomb.xlsx", 8)
    assert path.stat().st_size < 100_000
    err, peak = peak_of(read_roster, path)
    print(f"\ndeflate bomb 8 MB in {path.stat().st_size} bytes: peak {peak / MB:.2f} MB")
    assert re.match(
        r".*: the XLSX member xl/media/image1.bin unpacks to 8388608 bytes", english(err)
    )
    assert "possible zip bomb" in english(err)
    assert peak < 2 * MB


def test_too_much_unpacked_in_all_is_refused(tmp_path, monkeypatch):
    monkeypatch.setattr(rosters, "MAX_UNZIPPED", 4 * MB)  # test-sized: the real limit is 64 MB
    monkeypatch.setattr(rosters, "MAX_RATIO", 10_000)  # the total, not the ratio, refuses it
    err, peak = peak_of(read_roster, deflate_bomb(tmp_path / "bomb.xlsx", 5))
    assert "possible zip bomb" in english(err)
    assert peak < 2 * MB


def test_too_many_shared_strings_are_refused(tmp_path):
    # openpyxl keeps every shared string in memory (60 MB of them took 425 MB): at most 16 MB.
    path = small_xlsx(tmp_path / "sst.xlsx")
    with (
        zipfile.ZipFile(path, "a", zipfile.ZIP_DEFLATED) as zf,
        zf.open("xl/sharedStrings.xml", "w", force_zip64=True) as member,
    ):
        n = 0
        while n < 17 * MB:
            chunk = b"".join(b"<si><t>%x</t></si>" % (n + i) for i in range(10_000))
            member.write(chunk)
            n += len(chunk)
    err, peak = peak_of(read_roster, path)
    assert re.match(
        r".*: the XLSX shared-string table xl/sharedStrings.xml has \d+ bytes", english(err)
    )
    assert peak < 2 * MB


def test_file_size_is_checked_before_reading(tmp_path):
    path = tmp_path / "big.csv"
    with path.open("wb") as f:  # sparse: 11 MB declared, nothing written
        f.truncate(11 * MB)
    err, peak = peak_of(read_roster, path)
    assert english(err) == f"{path}: the file has {11 * MB} bytes, more than the limit of {10 * MB}"
    assert peak < MB


def test_csv_row_limit(tmp_path, monkeypatch):
    monkeypatch.setattr(rosters, "MAX_ROWS", 100)
    path = tmp_path / "r.csv"
    path.write_text("county,community\n" + "".join(f"源城区,社区{n}\n" for n in range(200)))
    assert english(peak_of(read_roster, path)[0]) == "line 101: more than 100 rows; split the file"


@pytest.mark.parametrize("quoted", [False, True])
def test_csv_field_bomb_is_a_clear_message(tmp_path, quoted):
    q = '"' if quoted else ""
    path = tmp_path / "r.csv"
    path.write_text(f"county,community\n源城区,江滨社区\n源城区,{q}{'x' * 2_000_000}{q}\n")
    err, peak = peak_of(read_roster, path)
    print(f"\nCSV field of 2,000,000 characters: peak {peak / MB:.1f} MB")
    assert english(err) == "line 3: a cell longer than 131072 characters (an unclosed quote?)"
    assert peak < 40 * MB
