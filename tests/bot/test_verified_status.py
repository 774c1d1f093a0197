"""Every figure says whose verdict: 达标 counts a community from its verdict (Heyuan: the
recognition; Chuxiong: its 县市's list), dated by that event, never by the submission; a
self-assessed pass waiting for review is its own line, not 达标."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from openpyxl import load_workbook

from bot.domain.access import Principal
from tests.bot.test_review_chain import FIRST, WORKER, _staff
from tests.harness import ADMIN_ID, ZONE, Harness, cli

ADMIN = Principal(ADMIN_ID, admin=True)
SUBMITTED = dt.datetime(2021, 12, 20, 10, tzinfo=ZONE)
RECOGNISED = dt.datetime(2022, 3, 1, 10, tzinfo=ZONE)


async def _submit_then_recognise(h: Harness, program: str) -> None:
    """Every item met; submitted on 2021-12-20; every stage passed on 2022-03-01."""
    community = await _staff(h, program)
    s = h.app.bot_data
    cid = h.db.execute("SELECT id FROM communities WHERE name = ?", [community]).fetchone()[0]
    a = s.checks.start(cid)
    for q in s.checks.standard_for(a).questions:
        if q.role != "bonus":
            s.checks.answer(ADMIN, a.id, q.id, "met")
    await h.submit(WORKER)
    await h.send(ADMIN_ID, "/status")
    assert "另有 1 个社区自评达标，待审核" in h.last_text(ADMIN_ID)
    h.clock.set(RECOGNISED)
    chain = s.reviews.chain_of(a.id)  # Heyuan's former provincial community: the direct route
    while (row := h.db.execute("SELECT stage, state FROM reviews").fetchone())[1] == "waiting":
        stage = chain.named(row[0])
        assert stage is not None
        if stage.act == "publish":  # after a 公示 of one day
            h.clock.advance(dt.timedelta(days=1))
        s.reviews.approve(ADMIN, a.id, stage.index, days=1)


def _status(year: int, capsys: pytest.CaptureFixture[str]) -> tuple[int, int]:
    assert cli(["status", "--year", str(year), "--json"], at=RECOGNISED) == 0
    rows = json.loads(capsys.readouterr().out)
    return sum(r["passed"] for r in rows), sum(r["awaiting"] for r in rows)


def _export(kind: str, year: int, tmp_path) -> list[list[object]]:
    out = tmp_path / f"{kind}-{year}.xlsx"
    assert cli(["export", kind, "--year", str(year), "--out", str(out)], at=RECOGNISED) == 0
    ws = load_workbook(out).worksheets[0]
    return [[c.value for c in r] for r in ws.iter_rows()]


@pytest.fixture
def env(tmp_path, monkeypatch):
    def use(program: str) -> None:
        monkeypatch.setenv("GREENCHECK_DB", str(tmp_path / "gc.db"))
        monkeypatch.setenv("GREENCHECK_PROGRAM", program)
        monkeypatch.chdir(tmp_path)

    return use


async def test_a_check_recognised_in_2022_counts_for_2022_not_2021(tmp_path, env, capsys):
    program = "heyuan-2021"
    async with Harness(tmp_path / "gc.db", program=program, at=SUBMITTED) as h:
        await _submit_then_recognise(h, program)
        await h.send(ADMIN_ID, "/status 2021")
        assert "另有 1 个社区自评达标，待审核" in h.last_text(ADMIN_ID)
    env(program)
    assert _status(2021, capsys) == (0, 1)  # submitted, not yet recognised at 2021's end
    assert _status(2022, capsys) == (1, 0)
    for year, done in ((2021, 0), (2022, 1)):  # the 进度表: 达标 and its note
        rows = _export("progress", year, tmp_path)
        total = next(r for r in rows if r[0] == "合计")
        assert total[5] == done
        note = next(r[0] for r in rows if isinstance(r[0], str) and r[0].startswith("说明："))
        assert "经「市级认定」认定的社区，按认定日期计" in note
        assert ("待审核" in note) is (year == 2021)


async def test_chuxiong_lists_a_community_in_the_year_its_county_listed_it(tmp_path, env):
    program = "chuxiong-2021"
    async with Harness(tmp_path / "gc.db", program=program, roster=program, at=SUBMITTED) as h:
        await _submit_then_recognise(h, program)
    env(program)
    rows = _export("summary", 2022, tmp_path)
    head = next(i for i, r in enumerate(rows) if r[0] == "县（市、区）")
    titles = [str(t).replace("\n", "") for t in rows[head]]  # a title may break in its column
    county = next(r for r in rows if r[0] == FIRST[program][1])
    listed = dict(zip(titles, county, strict=True))
    assert not listed["2021 年绿色社区名单"] and listed["2021 年完成数量"] == 0
    assert listed["2022 年绿色社区名单"] == FIRST[program][0] and listed["2022 年完成数量"] == 1
