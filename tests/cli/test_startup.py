"""Start-up: read-only commands import no file writer and no Telegram code; the catalogue cache
stays correct when a data file changes (timing is in tests/bench/bench_startup.py)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from bot.catalog import STANDARDS_DIR, load_catalog, read_catalog
from bot.config import Settings
from bot.domain.standards import StandardError

ROOT = Path(__file__).resolve().parents[2]
HEAVY = ("openpyxl", "docx", "matplotlib", "telegram", "handlers", "numpy")
PROBE = """
import contextlib, io, sys
from bot.cli.main import main
with contextlib.redirect_stdout(io.StringIO()):
    try:
        code = main(sys.argv[2:])
    except SystemExit as exc:
        code = exc.code
heavy = sorted({m.split(".")[0] for m in sys.modules} & set(sys.argv[1].split(",")))
print(code, " ".join(heavy))
"""
READ_ONLY = [
    ["status"],
    ["status", "--county", "源城区", "--json"],
    ["status", "--help"],
    ["export", "--help"],
    ["roster", "show"],
    ["programs", "list"],
    ["standards", "list"],
    ["standards", "show", "guangdong-2021"],
    ["remind", "due", "--on", "2021-11-08"],
    ["invite", "--role", "admin"],
    ["--help"],
]


@pytest.fixture(scope="module")
def sample_db(tmp_path_factory):
    path = tmp_path_factory.mktemp("startup") / "gc.db"
    env = os.environ | {"GREENCHECK_DB": str(path)}
    subprocess.run([sys.executable, "-m", "bot", "init", "--sample"], env=env, check=True)
    return path


@pytest.mark.parametrize("argv", READ_ONLY, ids=" ".join)
def test_read_only_commands_import_no_file_writer_nor_telegram(sample_db, argv):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GREENCHECK_", "TELEGRAM_"))}
    env["GREENCHECK_DB"] = str(sample_db)
    out = subprocess.run(
        [sys.executable, "-c", PROBE, ",".join(HEAVY), *argv],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    code, _, heavy = out.stdout.strip().partition(" ")
    assert code in ("0", "None"), out.stderr
    assert heavy == "", f"{argv} imported {heavy}"


def test_a_file_writing_command_still_imports_its_writer(sample_db, tmp_path):
    env = os.environ | {"GREENCHECK_DB": str(sample_db)}
    out = subprocess.run(
        [
            sys.executable,
            "-c",
            PROBE,
            "openpyxl",
            "export",
            "plan",
            "--out",
            str(tmp_path / "p.xlsx"),
        ],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    assert out.stdout.split() == ["0", "openpyxl"]


def test_chart_still_draws_with_numpy_after_sqlite_utils_skipped_it(sample_db, tmp_path):
    env = os.environ | {"GREENCHECK_DB": str(sample_db)}
    png = tmp_path / "c.png"
    out = subprocess.run(
        [sys.executable, "-c", PROBE, "matplotlib,numpy", "chart", "--out", str(png)],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    assert out.stdout.split() == ["0", "matplotlib", "numpy"]
    assert png.read_bytes().startswith(b"\x89PNG")


def test_status_piped_into_head_ends_quietly(sample_db):
    env = os.environ | {"GREENCHECK_DB": str(sample_db)}
    out = subprocess.run(
        f"{sys.executable} -m bot status | head -1",
        shell=True,
        env=env,
        capture_output=True,
        text=True,
    )
    assert out.stdout.count("\n") == 1 and out.stderr == ""


@pytest.fixture
def data_copy(tmp_path):
    root = tmp_path / "standards"
    shutil.copytree(STANDARDS_DIR, root, ignore=shutil.ignore_patterns("rosters", "*.py"))
    return root


def test_the_cached_catalogue_equals_a_fresh_one_and_is_reused(data_copy, tmp_path):
    cache = tmp_path / "cache"
    first = load_catalog(cache, data_copy)
    files = list(cache.glob("catalog-*.pickle"))
    assert len(files) == 1
    again = load_catalog(cache, data_copy)
    assert again.standards == first.standards and again.programs == first.programs
    assert again.hashes == read_catalog(data_copy).hashes


def test_an_edited_file_misses_the_cache(data_copy, tmp_path):
    before = load_catalog(tmp_path / "cache", data_copy)
    path = data_copy / "programs" / "chuxiong-2021.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace(
            "title: 楚雄州绿色社区创建行动实施方案", "title: 改过的标题"
        ),
        encoding="utf-8",
    )
    assert before.programs["chuxiong-2021"].title != "改过的标题"
    assert load_catalog(tmp_path / "cache", data_copy).programs["chuxiong-2021"].title == (
        "改过的标题"
    )


def test_a_broken_file_is_reported_not_served_from_the_cache(data_copy, tmp_path):
    load_catalog(tmp_path / "cache", data_copy)
    path = data_copy / "guangdong-2021.yaml"
    path.write_text(path.read_text(encoding="utf-8") + "\nunknown_field: 1\n", encoding="utf-8")
    with pytest.raises(StandardError, match="unknown_field"):
        load_catalog(tmp_path / "cache", data_copy)


def test_a_corrupt_cache_file_is_ignored_and_caching_can_be_off(data_copy, tmp_path):
    load_catalog(tmp_path / "cache", data_copy)
    (cached,) = (tmp_path / "cache").glob("catalog-*.pickle")
    cached.write_bytes(b"not a pickle")
    assert "chuxiong-2021" in load_catalog(tmp_path / "cache", data_copy).programs
    assert "chuxiong-2021" in load_catalog(None, data_copy).programs


def test_the_cache_is_kept_under_the_data_directory_unless_told(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("GREENCHECK_CACHE_DIR", raising=False)
    settings = Settings(GREENCHECK_DB=str(tmp_path / "data" / "gc.db"))
    assert settings.catalog_cache == tmp_path / "data" / ".greencheck-cache"
    assert Settings(GREENCHECK_CACHE_DIR="").catalog_cache is None
    assert Settings(GREENCHECK_CACHE_DIR=str(tmp_path / "c")).catalog_cache == tmp_path / "c"
