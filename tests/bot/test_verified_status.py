"""Issue 11 point 6: /status, `greencheck status` and the 进度表 count 达标 from the verified
result once a reviewer approved a check (the note says so) and show the checks per stage."""

from __future__ import annotations

import io
import json
import os

from openpyxl import load_workbook

from bot.domain.access import SYSTEM
from bot.domain.standards import catalog
from bot.services.reports import county_status, county_status_as_of
from bot.texts import t
from bot.texts.report_views import render_county_status
from handlers import callbacks
from tests.bot.test_review_chain import (
    COMMUNITY,
    COUNTY,
    STREET,
    WORKER,
    _aid,
    _answer_all,
    _people,
)
from tests.harness import ADMIN_ID, Harness

PROGRAM = "heyuan-2021"


def _yuancheng(rows):
    return next(r for r in rows if r.county == "源城区")


async def _approved_with_a_worse_item(h: Harness) -> None:
    """The worker passes on their own answers; the street marks 1.1 not met and approves."""
    std = catalog().standard(catalog().programs[PROGRAM].standard)
    await _people(h)
    await _answer_all(h, len(std.questions))
    await h.submit(WORKER)
    aid = _aid(h)
    await h.tap(STREET, "查看")
    mid, _, _ = h.card(STREET)
    await h.press(STREET, callbacks.encode("rv:q", aid, std.questions[0].id, "a"), mid)
    worse = next(b for b in h.card(STREET)[2] if b[0].startswith("❌"))
    await h.press(STREET, worse[1], mid)
    await h.tap(STREET, "通过")


async def test_status_counts_verified_passed_and_says_so(tmp_path):
    async with Harness(tmp_path / "gc.db", program=PROGRAM) as h:
        await _people(h)
        await _answer_all(
            h, len(catalog().standard(catalog().programs[PROGRAM].standard).questions)
        )
        await h.submit(WORKER)
        self_passed = _yuancheng(county_status(h.db, catalog().programs[PROGRAM], 2026)).passed
        assert self_passed == 1  # the community's own result: 达标
        await h.send(ADMIN_ID, "/status")
        assert "按核定结果计" not in h.last_text(ADMIN_ID)  # nothing verified yet
        assert "街道推荐 1" in h.last_text(ADMIN_ID)  # one check waits for the street

    async with Harness(tmp_path / "gc2.db", program=PROGRAM) as h:
        await _approved_with_a_worse_item(h)
        row = h.db.execute("SELECT verified_passed FROM reviews").fetchone()
        assert row == (0,)  # the verified result does not pass
        rows = county_status(h.db, catalog().programs[PROGRAM], 2026)
        assert _yuancheng(rows).passed == 0 and _yuancheng(rows).verified == 1
        assert rows[-1].passed == 0 and rows[-1].verified == 1
        await h.send(ADMIN_ID, "/status")
        text = h.last_text(ADMIN_ID)
        assert t("zh", "rp_verified_note", n=1) in text  # the table's note line
        assert "县（区）初审 1" in text and "街道推荐 0" in text  # checks per stage
        await h.send(COUNTY, "/status")  # the contact's county view: the community not 达标
        assert "达标 0" in h.last_text(COUNTY) and COMMUNITY in h.last_text(COUNTY)
        await h.send(ADMIN_ID, "/lang en")
        await h.send(ADMIN_ID, "/status")
        assert t("en", "rp_verified_note", n=1) in h.last_text(ADMIN_ID)


async def test_progress_export_and_cli_status_count_verified_passed(tmp_path, monkeypatch, capsys):
    async with Harness(tmp_path / "gc.db", program=PROGRAM) as h:
        await _approved_with_a_worse_item(h)
        await h.send(ADMIN_ID, "/export progress")
        data = h.api.last("sendDocument").files["document"]
        ws = load_workbook(io.BytesIO(data)).active
        cells = [[c.value for c in r] for r in ws.iter_rows()]
        county = next(r for r in cells if r[0] == "源城区")
        total = next(r for r in cells if r[0] == "合计")
        assert county[5] == 0 and total[5] == 0  # 达标 from the verified result
        notes = [r[0] for r in cells if isinstance(r[0], str) and r[0].startswith("说明：")]
        assert notes == ["说明：1 个已审核通过的社区按核定结果计达标，其余为社区自评。"]
        rows = county_status_as_of(h.db, catalog().programs[PROGRAM], 2026, SYSTEM)
        assert _yuancheng(rows).passed == 0
        cli = render_county_status(
            rows, catalog().programs[PROGRAM], wide=True, html_out=False, limit=None
        )
        assert t("zh", "rp_verified_note", n=1) in cli
    # `greencheck status` (text and JSON) on the same database
    from tests.harness import cli

    for k in [k for k in os.environ if k.startswith(("GREENCHECK_", "TELEGRAM_"))]:
        monkeypatch.delenv(k)
    monkeypatch.setenv("GREENCHECK_DB", str(tmp_path / "gc.db"))
    monkeypatch.setenv("GREENCHECK_PROGRAM", PROGRAM)
    monkeypatch.chdir(tmp_path)
    capsys.readouterr()
    assert cli(["status", "--year", "2026"]) == 0
    assert t("zh", "rp_verified_note", n=1) in capsys.readouterr().out
    assert cli(["status", "--year", "2026", "--json"]) == 0
    got = {r["county"]: r for r in json.loads(capsys.readouterr().out)}
    assert got["源城区"]["passed"] == 0 and got["源城区"]["verified"] == 1
