"""The guided fix's pure rules: ◀ ▶ between reopened items, and what counts as changed."""

from __future__ import annotations

from bot.catalog import catalog
from bot.domain.answers import NO_DEDUCTIONS, Row
from bot.domain.outcome import ANSWER, FILES, NOTE, Fix, changes

STD = catalog().standard(catalog().programs["heyuan-2021"].standard)


def _fix(*items: str) -> Fix:
    return Fix(tuple(items), {}, {})


def test_arrows_walk_the_reopened_items_in_the_send_backs_order_and_wrap():
    fix = _fix("4.2", "2.1")
    assert [fix.step(STD, "4.2", 1), fix.step(STD, "2.1", 1)] == ["2.1", "4.2"]
    assert fix.step(STD, "4.2", -1) == "2.1"


def test_from_another_item_the_arrows_reach_the_nearest_reopened_one_in_the_standard():
    fix = _fix("4.2", "2.1")
    assert fix.step(STD, "3.1", 1) == "4.2" and fix.step(STD, "3.1", -1) == "2.1"
    assert fix.step(STD, "1.1", -1) == "4.2"  # wraps to the last one
    assert fix.step(STD, "17.2", 1) == "2.1"  # wraps to the first one


def test_an_answer_given_another_way_and_back_is_no_change_but_a_new_note_is():
    now = {
        "2.1": Row("met", None, NO_DEDUCTIONS, "补拍", 1),
        "4.2": Row("met", None, NO_DEDUCTIONS, None, 0),
    }
    then = {"2.1": ("met", None, None, None), "4.2": ("met", None, None, None)}
    found = changes(("2.1", "4.2"), now, then, frozenset({"2.1", "4.2"}), frozenset({"2.1"}))
    assert found == {"2.1": (NOTE, FILES), "4.2": ()}


def test_an_item_with_no_row_at_the_send_back_changed_once_answered():
    now = {"2.1": Row("partial", None, NO_DEDUCTIONS, None, 0)}
    found = changes(("2.1",), now, {}, frozenset({"2.1"}), frozenset())
    assert found == {"2.1": (ANSWER,)}
    assert Fix(("2.1",), {}, found).done and not _fix("2.1").done
