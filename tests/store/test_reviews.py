"""The review chain's tables (migration 9) and store."""

from __future__ import annotations

from bot.domain.answers import Answer
from bot.store.reviews import ReviewStore
from tests.harness import sample_roster

AT = "2026-05-01T09:00:00.000000Z"


def test_redeeming_a_street_invite_grants_its_street(fresh_db):
    sample_roster(fresh_db)
    store = ReviewStore(fresh_db)
    street_id, _, county_id = store.find_street("新江街道")[0]
    fresh_db.execute(
        "INSERT INTO invites (code, role, county_id, created_at, expires_at)"
        " VALUES ('c1', 'street', ?, ?, ?)",
        [county_id, AT, AT],
    )
    store.set_invite_street("c1", street_id)
    assert store.streets_of(42) == frozenset()
    fresh_db.execute("UPDATE invites SET used_by = 42, used_at = ? WHERE code = 'c1'", [AT])
    assert store.streets_of(42) == frozenset({street_id})
    assert store.street_reviewers(street_id) == [42]


def test_verified_rows_and_reopened_items_round_trip(fresh_db):
    sample_roster(fresh_db)
    fresh_db.execute(
        "INSERT INTO assessments (id, community_id, program_id, standard_id, standard_hash,"
        " status, created_at, updated_at, answered, total, gap_count, passed)"
        " VALUES (1, 1, 'p', 's', 'h', 'submitted', ?, ?, 0, 1, 0, 0)",
        [AT, AT],
    )
    store = ReviewStore(fresh_db)
    store.enter(1, "街道推荐", "waiting", AT)
    store.verify(1, "4.2", Answer("partial", None, {}), "街道推荐", 7, AT)
    assert store.verified(1)["4.2"].status == "partial"
    store.comment(1, "4.2", "缺照片", "街道推荐", 7, AT)
    store.comment(1, "", "整体意见", "街道推荐", 7, AT)
    assert store.reopen_commented(1) == ["4.2"]  # a comment on the whole check reopens nothing
    assert store.comments(1) == []  # closed by the send-back
    assert store.reopened(1) == ["4.2"]
    store.clear_reopened(1)
    assert store.reopened(1) == []
