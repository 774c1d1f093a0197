"""The review chain as data: stages and their roles from a program's review_chain."""

from __future__ import annotations

import pytest

from bot.domain import workflow
from bot.domain.standards import catalog
from bot.domain.workflow import Chain, Scope
from bot.texts.review import STAGE_WORDS


def _roles(program: str) -> list[tuple[str, str]]:
    chain = Chain.from_names(catalog().programs[program].review_chain, STAGE_WORDS)
    return [(s.name, s.role) for s in chain.stages]


def test_heyuan_has_street_county_city_then_two_publish_steps():
    assert [r for _, r in _roles("heyuan-2021")] == [
        "worker", "street", "county", "city", "publish", "publish",
    ]  # fmt: skip


def test_qinhuangdao_has_no_county_stage_and_chuxiong_no_street_stage():
    assert [r for _, r in _roles("qinhuangdao-etdz-2021")] == [
        "worker", "street", "city", "city", "publish",
    ]  # fmt: skip
    assert "street" not in [r for _, r in _roles("chuxiong-2021")]


def test_after_walks_reviews_then_publish_steps_and_first_skips_the_community():
    chain = Chain.from_names(["社区申请", "县（区）初审", "市级认定", "公示"], STAGE_WORDS)
    first = chain.first()
    assert first is not None and first.name == "县（区）初审"
    nxt = chain.after("县（区）初审")
    assert nxt is not None and nxt.name == "市级认定"
    last = chain.after("市级认定")
    assert last is not None and last.role == "publish"
    assert chain.after("公示") is None
    assert Chain.from_names([], STAGE_WORDS).first() is None


@pytest.mark.parametrize(
    ("role", "streets", "counties", "allowed"),
    [
        ("street", {7}, set(), True),
        ("street", {8}, set(), False),  # another street
        ("street", set(), {3}, False),  # a county contact does not act for the street
        ("county", set(), {3}, True),
        ("county", set(), {4}, False),  # another county
        ("city", {7}, {3}, False),  # only admins act for the city
    ],
)
def test_may_act_denies_by_default(role, streets, counties, allowed):
    at = Scope(community_id=1, street_id=7, county_id=3)
    assert workflow.may_act(False, frozenset(streets), frozenset(counties), role, at) is allowed
    assert workflow.may_act(True, frozenset(), frozenset(), role, at)


def test_a_worker_alone_never_acts():
    at = Scope(1, 7, 3)
    assert not any(workflow.may_act(False, frozenset(), frozenset(), r, at) for r in
                   ("street", "county", "city", "publish"))  # fmt: skip
