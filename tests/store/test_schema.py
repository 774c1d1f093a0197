"""The schema module: migrations 6-8 (cycle, claims, rev) and its dependencies."""

from __future__ import annotations

import ast
import sqlite3
from pathlib import Path

import pytest

import bot.store.schema
from bot.store.db import connect
from bot.store.schema import applied


def test_store_imports_nothing_outside_store_and_domain():
    for path in Path(bot.store.schema.__file__).parent.glob("*.py"):
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("bot"):
                allowed = ("bot.store", "bot.domain", "bot.clock")  # the clock's pure stamp()
                assert node.module.startswith(allowed), (path, node.module)


def test_old_checks_get_the_year_they_began_as_their_cycle(tmp_path, monkeypatch):
    path = tmp_path / "old.db"
    real = list(bot.store.schema.MIGRATIONS)
    monkeypatch.setattr(bot.store.schema, "MIGRATIONS", real[:5])
    old = connect(path)
    county = old.execute("INSERT INTO counties (name) VALUES ('源城区')").lastrowid
    for name in ("江滨社区", "上城社区"):
        old.execute("INSERT INTO communities (county_id, name) VALUES (?, ?)", [county, name])
    old.execute(
        "INSERT INTO assessments (community_id, program_id, standard_id, created_at)"
        " VALUES (1, 'heyuan-2021', 'guangdong-2021', '2024-05-01T00:00:00.000000Z')"
    )
    old.execute(
        "INSERT INTO assessments (community_id, program_id, standard_id)"
        " VALUES (2, 'heyuan-2021', 'guangdong-2021')"
    )
    old.conn.close()
    monkeypatch.setattr(bot.store.schema, "MIGRATIONS", real)
    db = connect(path)
    assert applied(db) >= {6, 7, 8}
    rows = db.execute("SELECT community_id, cycle, rev FROM assessments ORDER BY id").fetchall()
    assert rows == [(1, 2024, 0), (2, None, 0)]  # NULL: the first cycle
    with pytest.raises(sqlite3.IntegrityError):  # still one check per community and standard
        db.execute(
            "INSERT INTO assessments (community_id, program_id, standard_id)"
            " VALUES (2, 'heyuan-2021', 'guangdong-2021')"
        )
    db.execute(  # … per cycle: next year's check is another row
        "INSERT INTO assessments (community_id, program_id, standard_id, cycle)"
        " VALUES (1, 'heyuan-2021', 'guangdong-2021', 2025)"
    )


def test_a_card_write_with_an_update_id_claims_it_once(fresh_db):
    card = "INSERT INTO cards (chat_id, message_id, assessment_id, question_id, last_update_id)"
    fresh_db.execute(card + " VALUES (1, 1, 1, '1.1', 77)")
    fresh_db.execute(card + " VALUES (1, 2, 1, '1.1', NULL)")  # navigation claims nothing
    with pytest.raises(sqlite3.IntegrityError, match="processed_updates"):
        fresh_db.execute(card + " VALUES (1, 3, 1, '1.1', 77)")
    assert fresh_db.execute("SELECT update_id FROM processed_updates").fetchall() == [(77,)]


def test_any_change_of_answers_or_files_bumps_the_checks_rev(fresh_db):
    fresh_db.execute("INSERT INTO counties (name) VALUES ('源城区')")
    fresh_db.execute("INSERT INTO communities (county_id, name) VALUES (1, '江滨社区')")
    fresh_db.execute(
        "INSERT INTO assessments (community_id, program_id, standard_id) VALUES (1, 'p', 's')"
    )
    fresh_db.execute(
        "INSERT INTO answers (assessment_id, question_id, status) VALUES (1, '1', 'met')"
    )
    fresh_db.execute("UPDATE answers SET status = 'not_met'")
    fresh_db.execute(
        "INSERT INTO evidence (assessment_id, question_id, kind, file_id, file_unique_id)"
        " VALUES (1, '1', 'photo', 'f', 'u')"
    )
    fresh_db.execute("DELETE FROM evidence")
    assert fresh_db.execute("SELECT rev FROM assessments").fetchone()[0] == 4


def test_card_claims_forget_ids_far_behind_now_and_then(fresh_db):
    card = "INSERT INTO cards (chat_id, message_id, assessment_id, question_id, last_update_id)"
    fresh_db.execute(card + " VALUES (1, 1, 1, '1.1', 5)")
    fresh_db.execute(card + " VALUES (1, 2, 1, '1.1', 100999)")  # not a multiple of 1000
    fresh_db.execute(card + " VALUES (1, 3, 1, '1.1', 200000)")
    ids = [r[0] for r in fresh_db.execute("SELECT update_id FROM processed_updates ORDER BY 1")]
    assert ids == [100999, 200000]
