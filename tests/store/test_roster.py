"""The roster store: counties, streets, communities, contacts by name."""

from __future__ import annotations

from bot.store import roster as store


def _community(county_id: int, name: str, street_id: int | None = None) -> dict[str, object]:
    return {
        "county_id": county_id,
        "street_id": street_id,
        "community": name,
        "former_livable": 1,
        "former_green": 0,
        "planned_year": 2022,
        "address": None,
        "note": None,
    }


def test_counties_streets_and_communities(fresh_db):
    assert store.county_id(fresh_db, "源城区") is None
    c = store.insert_county(fresh_db, "源城区", "河源市")
    assert store.county_id(fresh_db, "源城区") == c
    s = store.insert_street(fresh_db, c, "新江街道")
    assert store.street_id(fresh_db, c, "新江街道") == s
    assert store.first_community(fresh_db) is None and store.community_count(fresh_db) == 0
    store.upsert_community(fresh_db, _community(c, "江滨社区", s))
    store.upsert_community(fresh_db, _community(c, "江北社区"))
    store.upsert_community(fresh_db, _community(c, "江滨社区", s) | {"planned_year": 2023})
    assert store.community_count(fresh_db) == 2
    first = store.first_community(fresh_db)
    assert first is not None and first[1] == "江滨社区"
    assert [n for _, n in store.communities_from(fresh_db, "江")] == ["江滨社区", "江北社区"]
    assert store.communities_from(fresh_db, "河") == []
    rows = {r["community"]: r for r in store.roster(fresh_db, "源城区")}
    assert rows["江滨社区"]["planned_year"] == 2023 and rows["江滨社区"]["street"] == "新江街道"
    assert store.community_name(fresh_db, first[0]) == "江滨社区"
    assert store.community_name(fresh_db, 999) is None
    assert store.county_name(fresh_db, c) == "源城区" and store.county_name(fresh_db, 999) is None
    assert store.counties(fresh_db) == [(c, "源城区")]


def test_contacts_upsert_by_county_and_name(fresh_db):
    c = store.insert_county(fresh_db, "源城区", None)
    row = {"name": "张三", "unit": "局", "office": "", "mobile": "1", "phone": ""}
    store.upsert_contact(fresh_db, c, row)
    store.upsert_contact(fresh_db, c, row | {"mobile": "2"})
    assert fresh_db.execute("SELECT name, mobile FROM contacts").fetchall() == [("张三", "2")]
