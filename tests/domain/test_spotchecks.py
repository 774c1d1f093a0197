"""The spot-check rules (bot.domain.spotchecks): the seeded draw, allocation, agreement."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from bot.domain import spotchecks as sc
from bot.domain.spotchecks import Candidate


def _population(sizes: dict[str, int]) -> list[Candidate]:
    out, i = [], 0
    for county, n in sizes.items():
        for k in range(n):
            i += 1
            out.append(Candidate(i, f"{county}-{k:02d}", county, "2026-01-01T00:00:00Z", 100 + i))
    return out


def test_allocation_is_proportional_with_largest_remainders():
    assert sc.allocate({"a": 20, "b": 5, "c": 5, "d": 5, "e": 5},
                       {"a": 20, "b": 5, "c": 5, "d": 5, "e": 5}, 8) == {
        "a": 4, "b": 1, "c": 1, "d": 1, "e": 1}  # fmt: skip
    # 7 of 3 + 3 + 1: shares 3, 3, 1
    assert sc.allocate({"a": 3, "b": 3, "c": 1}, {"a": 3, "b": 3, "c": 1}, 7) == {
        "a": 3, "b": 3, "c": 1}  # fmt: skip
    # ties on the remainder go by name
    assert sc.allocate({"a": 1, "b": 1}, {"a": 5, "b": 5}, 1) == {"a": 1, "b": 0}


def test_a_stratum_is_never_given_more_than_it_has():
    # the weight would give "small" 5 of 6, but it has 2: the rest goes to "big"
    assert sc.allocate({"small": 10.0, "big": 1.0}, {"small": 2, "big": 30}, 6) == {
        "small": 2, "big": 4}  # fmt: skip
    assert sc.allocate({"a": 1}, {"a": 3}, 10) == {"a": 3}


@given(
    st.dictionaries(st.sampled_from("abcdefg"), st.integers(0, 12), min_size=1),
    st.integers(0, 60),
    st.dictionaries(st.sampled_from("abcdefg"), st.floats(0.1, 3.0)),
)
def test_allocation_always_hands_out_min_n_total_within_caps(caps, n, weights):
    got = sc.allocate({k: weights.get(k, 1.0) for k in caps}, caps, n)
    assert sum(got.values()) == min(n, sum(caps.values()))
    assert all(0 <= got[k] <= caps[k] for k in caps)


def test_the_same_seed_draws_the_same_communities_whatever_the_input_order():
    pop = _population({"x": 10, "y": 6, "z": 4})
    one = sc.draw(pop, 5, 42)
    two = sc.draw(list(reversed(pop)), 5, 42)
    assert one == two
    assert sc.draw(pop, 5, 43) != one
    counts = {c: sum(d.county == c for d in one) for c in "xyz"}
    assert counts == {"x": 3, "y": 1, "z": 1}  # 2.5, 1.5, 1.0: x wins the tie on name


def test_an_unstratified_draw_is_a_simple_sample():
    pop = _population({"x": 10, "y": 10})
    drawn = sc.draw(pop, 20, 1, stratified=False)
    assert sorted(drawn) == sorted(pop)
    assert sc.draw(pop, 3, 9, stratified=False) == sc.draw(pop, 3, 9, stratified=False)


def test_weights_favour_counties_that_agreed_less_and_the_unknown_count_at_the_mean():
    w = sc.weights_from({"low": 0.5, "high": 1.0}, ["low", "high", "new"])
    assert w == {"low": 1.5, "high": 1.0, "new": 1.25}
    assert sc.weights_from({}, ["a"]) == {"a": 1.0}
    pop = _population({"low": 10, "high": 10})
    weighted = sc.draw(pop, 10, 5, weights={"low": 1.5, "high": 1.0})
    assert sum(c.county == "low" for c in weighted) == 6


def test_tally_compares_with_the_own_and_the_verified_answer():
    spot = {"1": ("met", None), "2": ("not_met", None), "3": ("partial", 3.0)}
    own = {"1": ("met", None), "2": ("met", None), "3": ("partial", 4.0)}
    verified = {"2": ("not_met", None)}  # item 1 and 3 stand as answered
    t = sc.tally(spot, own, verified)
    assert t == sc.Tally(3, 1, 2, ("2", "3"))
    figures = sc.by_county([("b", t), ("a", t), ("b", t)])
    assert [(f.county, f.communities, f.items, f.agree_self) for f in figures] == [
        ("a", 1, 3, 1), ("b", 2, 6, 2)]  # fmt: skip
    assert figures[1].rate_self == 2 / 6 and figures[1].rate_verified == 4 / 6
    assert sc.CountyFigures("c", 0, 0, 0, 0).rate_self is None


def test_items_that_disagree_most_come_first_then_in_the_standards_order():
    ts = [sc.Tally(2, 0, 0, ("4.1", "1.1")), sc.Tally(2, 1, 1, ("4.1",)),
          sc.Tally(1, 0, 0, ("2.1",))]  # fmt: skip
    assert sc.disagreeing_items(ts, ["1.1", "2.1", "4.1"]) == [("4.1", 2), ("1.1", 1), ("2.1", 1)]


def test_the_spot_check_table_allows_only_its_declared_moves():
    assert sc.SPOT.target(sc.CONFIRM, sc.ASSIGNED) == sc.CONFIRMED
    assert sc.SPOT.target(sc.CONFIRM, sc.DRAWN) is None  # nobody inspected it
    assert sc.SPOT.target(sc.WITHDRAW, sc.ASSIGNED) is None  # the city confirms a proposal only
    assert sc.SPOT.target(sc.DECLINE, sc.PROPOSED) == sc.ASSIGNED
