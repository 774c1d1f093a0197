"""The evidence pack: /pack in chat and `greencheck pack`."""

from __future__ import annotations

import io
import subprocess
import zipfile

from openpyxl import load_workbook

from bot.services import evidence as evidence_service
from handlers import evidence
from tests.bot.test_backup import COMMUNITY, WORKER, _check_with_files
from tests.evidence_support import PDF
from tests.harness import Harness, cli


def _index(z: zipfile.ZipFile) -> list[tuple[object, ...]]:
    """The index's table: its header row, then its rows (the title above is skipped)."""
    ws = load_workbook(io.BytesIO(z.read("目录.xlsx"))).active
    rows = [tuple(r) for r in ws.iter_rows(values_only=True)]
    return rows[next(k for k, r in enumerate(rows) if r[0] == "条目") :]


async def test_pack_in_chat_holds_the_index_and_the_named_files(tmp_path):
    async with Harness(tmp_path / "gc.db") as h:
        await _check_with_files(h)
        await h.send(WORKER, "/pack")
        [doc] = h.api.sent("sendDocument")
    with zipfile.ZipFile(io.BytesIO(doc.files["document"])) as z:
        names = sorted(z.namelist())
        rows = _index(z)
    assert names == ["1.1-1-a.jpg", "1.2-1-b.pdf", "1.2-2-photo.jpg", "目录.xlsx"]
    assert rows[0][:4] == ("条目", "答案", "说明", "文件名")
    assert [r[0] for r in rows[1:]] == ["1.1", "1.2", "1.2"]
    assert rows[2][3] == "1.2-1-b.pdf" and len(rows[2][5]) == 64


async def test_pack_cli_writes_parts_when_over_the_limit(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("GREENCHECK_DB", str(tmp_path / "gc.db"))
    async with Harness(tmp_path / "gc.db") as h:
        await _check_with_files(h)
    out = tmp_path / "pack.zip"
    assert cli(["pack", "--community", COMMUNITY, "--out", str(out)]) == 0
    with zipfile.ZipFile(out) as z:
        assert len(z.namelist()) == 4
    monkeypatch.setattr(evidence_service, "PART_BYTES", 3000)
    assert cli(["pack", "--community", COMMUNITY, "--out", str(out)]) == 0
    parts = sorted(tmp_path.glob("pack-*.zip"))
    assert len(parts) >= 2
    members = [n for p in parts for n in zipfile.ZipFile(p).namelist()]
    assert sorted(members) == ["1.1-1-a.jpg", "1.2-1-b.pdf", "1.2-2-photo.jpg", "目录.xlsx"]
    assert cli(["pack", "--community", "没有这个社区", "--out", str(out)]) == 1


async def test_pack_member_and_part_names_fit_every_unzip(tmp_path, monkeypatch):
    long_name = "😀" * 80 + ".pdf"  # 324 bytes of UTF-8: unzip skipped such a member
    monkeypatch.setattr(evidence, "PART_BYTES", 3000)
    async with Harness(tmp_path / "gc.db") as h:
        await _check_with_files(h)
        h.api.files["id-long"] = PDF + b"%long"
        await h.send_file(WORKER, "document", "long", reply_to=h.card(WORKER)[0],
                          file_name=long_name)  # fmt: skip
        await evidence.settle()
        await h.send(WORKER, "/pack")
        docs = h.api.sent("sendDocument")
    assert len(docs) > 1 and all("/" not in d.file_names["document"] for d in docs)
    names = []
    for i, doc in enumerate(docs):
        path = tmp_path / f"part{i}.zip"
        path.write_bytes(doc.files["document"])
        assert subprocess.run(["unzip", "-tq", str(path)], capture_output=True).returncode == 0
        names += zipfile.ZipFile(path).namelist()
    [kept] = [n for n in names if "😀" in n]
    assert len(kept.encode()) <= 255 and kept.endswith(".pdf") and kept.startswith("1.2-3-")
