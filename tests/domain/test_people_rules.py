"""Pure rules of people and places: role lists, menu roles, forgiving name matching."""

from __future__ import annotations

from bot.domain.access import Principal, menu_role, roles
from bot.domain.names import match_names, stem


def test_roles_are_listed_strongest_first_with_their_scopes():
    p = Principal(1, admin=True, communities=frozenset({3, 2}), counties=frozenset({9}))
    assert roles(p) == [("admin", None), ("worker", 2), ("worker", 3), ("contact", 9)]
    assert roles(Principal(1)) == []


def test_menu_role_is_the_strongest_staff_role():
    assert menu_role(Principal(1, admin=True, counties=frozenset({1}))) == "admin"
    assert menu_role(Principal(1, counties=frozenset({1}))) == "contact"
    assert menu_role(Principal(1, communities=frozenset({1}))) is None


def test_stem_drops_one_suffix_but_never_the_whole_name():
    assert stem("江滨社区") == "江滨"
    assert stem("东门社区居委会") == "东门"
    assert stem("龙川县") == "龙川"
    assert stem("区") == "区"


def test_match_prefers_exact_then_stem_then_prefix():
    names = [(1, "江滨社区"), (2, "江滨"), (3, "江东新区"), (4, "龙川县")]
    assert match_names("江滨", names) == [(2, "江滨")]
    assert match_names("龙川", names) == [(4, "龙川县")]
    assert match_names("江东", names) == [(3, "江东新区")]
    assert match_names("江", names) == [(1, "江滨社区"), (2, "江滨"), (3, "江东新区")]
    assert match_names(" 不存在 ", names) == []


def test_shared_and_bot_identities_are_never_attributable():
    from bot.domain.access import ANONYMOUS_ADMIN_ID, attributable, invite_days_ok

    assert attributable(42, is_bot=False, via_chat=False)
    assert not attributable(ANONYMOUS_ADMIN_ID, is_bot=False, via_chat=False)
    assert not attributable(777000, is_bot=False, via_chat=True)
    assert not attributable(42, is_bot=True, via_chat=False)
    assert not attributable(42, is_bot=False, via_chat=True)
    assert [d for d in (-1, 0, 1, 365, 366, 10**9) if invite_days_ok(d)] == [1, 365]
