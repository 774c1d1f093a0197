"""bot.domain.text: what every stored free text and every file's text is cleaned of."""

from __future__ import annotations

import unicodedata

import pytest

from bot.domain.text import clean, given, stored


def _is_noncharacter(c: str) -> bool:
    return 0xFDD0 <= ord(c) <= 0xFDEF or ord(c) & 0xFFFE == 0xFFFE


def test_every_control_noncharacter_and_surrogate_goes_and_nothing_else():
    for cp in range(0x110000):
        c = chr(cp)
        category = unicodedata.category(c)
        gone = (category in ("Cc", "Cs") and c not in "\t\n") or _is_noncharacter(c)
        assert (clean(c) == "") == gone, f"U+{cp:04X} {category}"


def test_text_keeps_its_words_tabs_and_lines():
    text = "东门\t消防通道\n常被占 😀 \u202e\ue000 =1+1"
    assert clean(text) == text


def test_stored_text_is_stripped_and_an_over_long_one_refused_in_the_callers_words():
    assert stored(" \x07 东门 \uffff ", 10, ValueError) == "东门"

    def too_long(length: int, limit: int) -> Exception:
        return ValueError(f"{length} > {limit}")

    with pytest.raises(ValueError, match="11 > 10"):
        stored("长" * 11 + "\x00" * 5, 10, too_long)  # counted after cleaning


def test_a_given_name_is_cut_never_refused():
    assert given("😀" * 300, 128) == "😀" * 128
    assert given("\x00\uffff", 128) is None and given(None, 128) is None
