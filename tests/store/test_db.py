import sqlite3

import pytest

import bot.store.schema
from bot.store.db import connect, transaction
from bot.store.schema import applied, migrate

TABLES = {
    "migrations",
    "counties",
    "streets",
    "communities",
    "contacts",
    "users",
    "roles",
    "invites",
    "groups",
    "assessments",
    "answers",
    "answer_history",
    "evidence",
    "cards",
    "prompts",
    "custom_deadlines",
    "deadline_confirmations",
    "reminder_log",
}


def add_assessment(db):
    county = db.execute("INSERT INTO counties (name) VALUES ('源城区')").lastrowid
    community = db.execute(
        "INSERT INTO communities (county_id, name) VALUES (?, '江滨社区')", [county]
    ).lastrowid
    return db.execute(
        "INSERT INTO assessments (community_id, program_id, standard_id) VALUES (?, ?, ?)",
        [community, "heyuan-2021", "guangdong-2021"],
    ).lastrowid


def test_connect_creates_all_tables(fresh_db):
    assert set(fresh_db.table_names()) >= TABLES


def test_connect_applies_every_registered_migration(fresh_db):
    assert applied(fresh_db) == {v for v, _, _ in bot.store.schema.MIGRATIONS}


def test_connect_turns_on_wal(fresh_db):
    assert fresh_db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_connect_turns_on_foreign_keys(fresh_db):
    with pytest.raises(sqlite3.IntegrityError):
        fresh_db.execute("INSERT INTO communities (county_id, name) VALUES (999, 'x')")


def test_migrate_twice_is_a_no_op(fresh_db):
    before = fresh_db.execute("SELECT * FROM migrations ORDER BY version").fetchall()
    assert migrate(fresh_db) == []
    assert fresh_db.execute("SELECT * FROM migrations ORDER BY version").fetchall() == before


def test_reconnecting_does_not_reapply_migrations(tmp_path):
    path = tmp_path / "t.db"
    db = connect(path)
    before = db.execute("SELECT * FROM migrations ORDER BY version").fetchall()
    db.conn.close()
    again = connect(path)
    assert again.execute("SELECT * FROM migrations ORDER BY version").fetchall() == before


def test_old_database_is_upgraded_in_place_keeping_its_rows(tmp_path, monkeypatch):
    path = tmp_path / "old.db"
    real = list(bot.store.schema.MIGRATIONS)
    monkeypatch.setattr(bot.store.schema, "MIGRATIONS", real[:1])
    old = connect(path)
    assert applied(old) == {1}
    old.execute("INSERT INTO counties (name, region) VALUES ('龙川县', '河源市')")
    old.conn.close()

    def add_population(db):
        db["counties"].add_column("population", int)

    new_version = real[-1][0] + 1
    monkeypatch.setattr(
        bot.store.schema, "MIGRATIONS", [*real, (new_version, "population", add_population)]
    )
    db = connect(path)
    assert applied(db) == {v for v, _, _ in real} | {new_version}
    assert "population" in db["counties"].columns_dict
    assert list(db.query("SELECT name, region, population FROM counties")) == [
        {"name": "龙川县", "region": "河源市", "population": None}
    ]


def test_failed_migration_is_rolled_back_and_not_recorded(tmp_path, monkeypatch):
    path = tmp_path / "t.db"
    real = list(bot.store.schema.MIGRATIONS)
    connect(path).conn.close()

    def broken(db):
        db["counties"].add_column("half_done", str)
        raise RuntimeError("boom")

    version = real[-1][0] + 1
    monkeypatch.setattr(bot.store.schema, "MIGRATIONS", [*real, (version, "broken", broken)])
    with pytest.raises(RuntimeError):
        connect(path)
    monkeypatch.setattr(bot.store.schema, "MIGRATIONS", real)
    db = connect(path)
    assert version not in applied(db)
    assert "half_done" not in db["counties"].columns_dict


def test_migrations_must_be_registered_in_order(monkeypatch):
    monkeypatch.setattr(bot.store.schema, "MIGRATIONS", list(bot.store.schema.MIGRATIONS))
    with pytest.raises(ValueError, match="out of order"):
        bot.store.schema.migration(1, "again")(lambda db: None)


def test_answer_history_records_each_insert_and_update(fresh_db):
    aid = add_assessment(fresh_db)
    fresh_db.execute(
        "INSERT INTO answers (assessment_id, question_id, status, user_id, updated_at)"
        " VALUES (?, '1.1', 'not_met', 7, 't1')",
        [aid],
    )
    fresh_db.execute(
        "UPDATE answers SET status = 'met', note = '已整改', updated_at = 't2'"
        " WHERE assessment_id = ? AND question_id = '1.1'",
        [aid],
    )
    rows = list(
        fresh_db.query(
            "SELECT assessment_id, question_id, status, note, user_id, at"
            " FROM answer_history ORDER BY id"
        )
    )
    assert rows == [
        {
            "assessment_id": aid,
            "question_id": "1.1",
            "status": "not_met",
            "note": None,
            "user_id": 7,
            "at": "t1",
        },
        {
            "assessment_id": aid,
            "question_id": "1.1",
            "status": "met",
            "note": "已整改",
            "user_id": 7,
            "at": "t2",
        },
    ]
    assert fresh_db.execute("SELECT count(*) FROM answers").fetchone()[0] == 1


def test_transaction_rolls_back_on_error(fresh_db):
    with pytest.raises(RuntimeError), transaction(fresh_db):
        fresh_db.execute("INSERT INTO counties (name) VALUES ('紫金县')")
        raise RuntimeError
    assert fresh_db.execute("SELECT count(*) FROM counties").fetchone()[0] == 0


def test_nested_transaction_commits_with_the_outer_one(fresh_db):
    with transaction(fresh_db):
        with transaction(fresh_db):
            fresh_db.execute("INSERT INTO counties (name) VALUES ('连平县')")
        assert fresh_db.conn.in_transaction
    assert not fresh_db.conn.in_transaction
    assert fresh_db.execute("SELECT count(*) FROM counties").fetchone()[0] == 1
