"""The answer grammar (bot.domain.answers): pure, no database."""

from __future__ import annotations

import pytest

from bot.catalog import catalog
from bot.domain.answers import (
    NO_DEDUCTIONS,
    Row,
    answered_row,
    changes,
    clean_note,
    decode_deductions,
    encode_deductions,
    merge_deduction,
    next_open,
    resolve,
    settle,
)
from bot.domain.errors import CheckError


@pytest.fixture(scope="module")
def chuxiong():
    cat = catalog()
    return cat.standard(cat.programs["chuxiong-2021"].standard)


@pytest.fixture(scope="module")
def heyuan():
    cat = catalog()
    return cat.standard(cat.programs["heyuan-2021"].standard)


def test_deductions_round_trip_sorted_and_empty_is_none():
    assert encode_deductions({"c": 1, "a": 2.5}) == "a:2.5,c:1"
    assert encode_deductions({"a": 0}) is None and encode_deductions({}) is None
    assert decode_deductions("a:2.5,c:1") == {"a": 2.5, "c": 1.0}
    assert decode_deductions(None) is NO_DEDUCTIONS


def test_merge_sets_one_deduction_and_zero_clears_it():
    assert merge_deduction({"a": 2}, "b", 1) == {"a": 2, "b": 1}
    assert merge_deduction({"a": 2, "b": 1}, "a", 0) == {"b": 1}


def test_a_deduction_tap_merges_into_the_stored_row_and_stays(chuxiong):
    q = chuxiong.question("8")
    stored = Row("partial", 4.0, {"a": 2.0}, "note", 1)
    answer, stay = resolve(q, "db1", stored)
    assert stay and dict(answer.deductions) == {"a": 2.0, "b": 1.0}
    assert answer.points == (q.max_points or 0) - 3 and answer.status == "partial"
    row = answered_row(stored, answer)
    assert row.note == "note" and row.evidence == 1  # the note and files stay


def test_codes_each_item_accepts(chuxiong, heyuan):
    plain, points = heyuan.question("1.1"), chuxiong.question("8")
    assert resolve(plain, "y", None)[0].status == "met"
    assert resolve(plain, "p", None)[0].status == "partial"
    assert resolve(points, "f", None)[0] == (
        "met",
        points.max_points,
        {},
    )
    for q, code in [(points, "y"), (plain, "f"), (plain, "da1"), (plain, "b1"), (plain, "z")]:
        with pytest.raises(CheckError) as exc:
            resolve(q, code, None)
        assert exc.value.code == "bad_answer"


def test_settle_refuses_deductions_outside_the_rules(chuxiong):
    q = chuxiong.question("8")
    for bad in ({"a": 5}, {"z": 1}):
        with pytest.raises(CheckError):
            settle(q, "met", bad)


def test_changes_compares_status_points_and_deductions(chuxiong):
    q = chuxiong.question("8")
    answer = settle(q, "met", {"a": 2})
    assert changes(None, answer)
    same = Row(answer.status, answer.points, {"a": 2.0}, None, 0)
    assert not changes(same, answer)
    assert changes(same._replace(deductions={"a": 1.0}), answer)


def test_notes_are_trimmed_and_limited():
    assert clean_note("  东门  ") == "东门"
    with pytest.raises(CheckError) as exc:
        clean_note("   ")
    assert exc.value.code == "note_empty"
    with pytest.raises(CheckError) as exc:
        clean_note("很" * 501)
    assert exc.value.info == {"length": 501, "limit": 500}


def test_next_open_wraps_and_is_none_when_all_answered(heyuan):
    qs = [q.id for q in heyuan.questions]
    rows = {qid: Row("met", None, NO_DEDUCTIONS, None, 0) for qid in qs[1:]}
    assert next_open(heyuan, rows, qs[-1]) == qs[0]
    rows[qs[0]] = Row("met", None, NO_DEDUCTIONS, None, 0)
    assert next_open(heyuan, rows, None) is None


def test_codes_no_button_produces_are_refused_naming_the_item():
    cat = catalog()
    qhd = cat.standard(cat.programs["qinhuangdao-etdz-2021"].standard)
    gd = cat.standard(cat.programs["heyuan-2021"].standard)
    for q, code in [
        (qhd.question("V1"), "p"),
        (qhd.question("V1"), "x"),
        (qhd.question("bonus"), "y"),
        (qhd.question("bonus"), "b4"),  # 最高加3分
        (qhd.question("12"), "x"),  # no 此项不扣分
        (gd.question("1.1"), "da0"),  # a checklist item has no deductions, not even 0
        (gd.question("1.1"), "x"),  # N.A. only where the data allows it
    ]:
        with pytest.raises(CheckError) as exc:
            resolve(q, code, None)
        assert exc.value.code == "bad_answer" and exc.value.info["qid"] == q.id
    assert resolve(gd.question("17.1"), "x", None)[0].status == "na"
    capped, stay = resolve(qhd.question("15"), "dc2", Row("partial", 2.0, {"b": 2.0}, None, 0))
    assert stay and capped.points == 2.0 and capped.status == "partial"
