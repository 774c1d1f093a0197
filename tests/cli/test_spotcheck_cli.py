"""`greencheck spotcheck draw|report|assign` and `publicity show`: the contract's names and keys."""

from __future__ import annotations

import json

import pytest

from bot.store.db import connect
from tests.harness import NOW, cli, people_of, sample_roster
from tests.services.test_spotchecks import ADMIN, _forty, _spots

DRAW_KEYS = {"year", "seed", "population", "drawn"}
DRAWN_KEYS = {"community", "county", "recognised_at"}
REPORT_KEYS = {"year", "counties", "items"}
COUNTY_KEYS = {"county", "communities", "items", "agree_self", "agree_verified", "rate_self",
               "rate_verified"}  # fmt: skip


@pytest.fixture
def city(tmp_path, monkeypatch):
    """40 recognised Heyuan communities in the database the command line reads."""
    monkeypatch.setenv("GREENCHECK_DB", str(tmp_path / "gc.db"))
    monkeypatch.setenv("GREENCHECK_PROGRAM", "heyuan-2021")
    monkeypatch.chdir(tmp_path)
    db = connect(tmp_path / "gc.db")
    sample_roster(db)
    people_of(db, NOW).ensure_admins([ADMIN.user_id])
    s = _spots(db)
    _forty(db, s)
    return s


def test_draw_prints_the_contract_and_the_same_seed_draws_the_same(city, capsys):
    capsys.readouterr()
    argv = ["spotcheck", "draw", "--year", "2026", "--n", "8", "--seed", "20261120", "--json"]
    assert cli(argv) == 0
    first = json.loads(capsys.readouterr().out)
    assert set(first) == DRAW_KEYS and first["population"] == 40 and first["seed"] == 20261120
    assert len(first["drawn"]) == 8 and all(set(d) == DRAWN_KEYS for d in first["drawn"])
    assert first["drawn"][0]["recognised_at"] == "2026-11-20T10:00:00+08:00"
    assert cli(argv) == 0
    assert json.loads(capsys.readouterr().out)["drawn"] == first["drawn"]
    assert cli([*argv[:-1], "--county", "江东新区", "--json"]) == 0
    one = json.loads(capsys.readouterr().out)
    assert one["population"] == 5 and {d["county"] for d in one["drawn"]} == {"江东新区"}


def test_report_prints_the_contract_and_equals_the_service(city, capsys):
    s = city
    drawn = s.draw(ADMIN, 2026, 8, 20261120, {}).drawn
    for i, c in enumerate(drawn):
        spot = s.find(2026, c.community_id)
        assert cli(["spotcheck", "assign", "--year", "2026", "--community", c.community,
                    "--inspector", str(ADMIN.user_id)]) == 0  # fmt: skip
        s.verify(ADMIN, spot.id, "1.1", "n" if i == 0 else "k")
        s.verify(ADMIN, spot.id, "4.1", "k")
        s.decide(ADMIN, spot.id, "confirm")
    capsys.readouterr()
    assert cli(["spotcheck", "report", "--year", "2026", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert set(data) == REPORT_KEYS and data["year"] == 2026
    assert all(set(c) == COUNTY_KEYS for c in data["counties"])
    assert sum(c["communities"] for c in data["counties"]) == 8
    assert sum(c["items"] for c in data["counties"]) == 16
    assert sum(c["agree_self"] for c in data["counties"]) == 15
    assert data["items"] == [{"item": "1.1", "disagree": 1}]
    first = next(c for c in data["counties"] if c["county"] == drawn[0].county)
    assert first["rate_self"] == (first["agree_self"]) / first["items"]
    assert cli(["spotcheck", "report", "--year", "2026", "--county", "龙川县", "--json"]) == 0
    assert [c["county"] for c in json.loads(capsys.readouterr().out)["counties"]] == ["龙川县"]


def test_assign_refuses_someone_who_is_neither_admin_nor_expert(city, capsys):
    s = city
    c = s.draw(ADMIN, 2026, 1, 1, {}).drawn[0]
    capsys.readouterr()
    code = cli(["spotcheck", "assign", "--year", "2026", "--community", c.community,
                "--inspector", "424242"])  # fmt: skip
    assert code == 1 and capsys.readouterr().err.startswith("error: ")


def test_publicity_show_prints_the_period_and_objections(city, capsys):
    from bot.services.publicity import Publicity

    r = city.reviews
    pb = Publicity(r)
    aid = r.checks.for_community(1).id
    r.approve(ADMIN, aid, r.chain_of(aid).named("公示").index, days=7)
    pb.object(ADMIN, 1, "市民来电", "垃圾分类亭未启用")
    capsys.readouterr()
    assert cli(["publicity", "show", "--community", "江滨社区", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data == {
        "community": "江滨社区", "start": "2026-11-20", "end": "2026-11-26",
        "objections": [{"at": "2026-11-20T10:00:00+08:00", "by": "admin 1",
                        "text": "垃圾分类亭未启用", "source": "市民来电", "outcome": None}],
    }  # fmt: skip
    assert cli(["publicity", "show", "--community", "河畔社区", "--json"]) == 0
    other = json.loads(capsys.readouterr().out)
    assert other["start"] is None and other["objections"] == []
