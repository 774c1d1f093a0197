"""The review chain as data: each program's stages, declared with who acts and what they do."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from bot.catalog import catalog
from bot.domain.access import Principal, Scope, can_act
from bot.domain.programs import Program


def _stages(program: str, rereview: bool = False) -> list[tuple[str, str, str]]:
    p = catalog().programs[program]
    chain = p.rereview if rereview else p.chain
    return [(s.name, s.actor, s.act) for s in chain.stages]


def test_heyuan_follows_its_seeds_route_and_hangs_the_plaque_after_publication():
    assert _stages("heyuan-2021") == [
        ("社区申请", "community", "apply"),
        ("街道推荐", "street", "recommend"),
        ("县（区）初审", "county", "review"),
        ("市级认定", "city", "recognise"),
        ("公示", "city", "publicise"),
        ("公布", "city", "publish"),
        ("授牌", "city", "award"),
    ]
    assert catalog().programs["heyuan-2021"].chain.done_by == "recognised"


def test_qinhuangdao_recommends_by_xiangjie_and_rereviews_without_a_second_plaque():
    assert [(a, b) for _, a, b in _stages("qinhuangdao-etdz-2021")] == [
        ("community", "apply"), ("street", "recommend"), ("city", "review"),
        ("city", "recognise"), ("city", "award"),
    ]  # fmt: skip
    assert [(a, b) for _, a, b in _stages("qinhuangdao-etdz-2021", rereview=True)] == [
        ("community", "apply"), ("city", "rereview"),
    ]  # fmt: skip


def test_chuxiong_counties_list_and_no_one_recognises_a_community():
    chain = catalog().programs["chuxiong-2021"].chain
    assert [(s.actor, s.act) for s in chain.stages] == [("community", "apply"), ("county", "list")]
    assert chain.recognising is None and chain.done_by == "verified"
    assert chain.stages[1].attests  # a county lists only a check that meets the standard


def test_qingyang_communities_evaluate_and_the_streets_office_receives():
    chain = catalog().programs["qingyang-2022"].chain
    assert [(s.actor, s.act) for s in chain.stages] == [
        ("community", "apply"),
        ("street", "receive"),
    ]
    assert chain.recognising is None and not chain.stages[1].attests


def test_the_national_plan_has_no_chain_and_counts_a_passing_submission():
    chain = catalog().programs["national-2020"].chain
    assert chain.first() is None and chain.done_by == "self"


def test_first_skips_the_community_and_after_walks_to_the_end():
    chain = catalog().programs["heyuan-2021"].chain
    first = chain.first()
    assert first is not None and first.name == "街道推荐"
    names = []
    stage = first
    while stage is not None:
        names.append(stage.name)
        stage = chain.after(stage)
    assert names == ["街道推荐", "县（区）初审", "市级认定", "公示", "公布", "授牌"]


def _program(**chain: object) -> dict[str, object]:
    body = catalog().programs["heyuan-2021"].model_dump()
    body.update(chain)
    return body


def _stage(name: str, actor: str, does: str) -> dict[str, str]:
    return {"name": name, "actor": actor, "does": does, "source": "…"}


@pytest.mark.parametrize(
    "chain",
    [
        [_stage("市级认定", "city", "recognise")],  # does not begin with the community
        [_stage("申请", "community", "apply"), _stage("申请", "community", "apply")],
        [_stage("申请", "community", "apply"), _stage("认定", "city", "recognise"),
         _stage("初审", "county", "review")],  # a review after the recognition
        [_stage("申请", "community", "apply"), _stage("x", "mayor", "review")],  # unknown actor
    ],
)  # fmt: skip
def test_a_chain_the_seeds_could_not_describe_is_refused(chain):
    with pytest.raises(ValidationError):
        Program.model_validate(_program(review_chain=chain))


@pytest.mark.parametrize(
    ("actor", "p", "allowed"),
    [
        ("street", Principal(9, streets=frozenset({7})), True),
        ("street", Principal(9, streets=frozenset({8})), False),  # another street
        ("street", Principal(9, counties=frozenset({3})), False),  # a county does not recommend
        ("county", Principal(9, counties=frozenset({3})), True),
        ("county", Principal(9, counties=frozenset({4})), False),  # another county
        ("city", Principal(9, streets=frozenset({7}), counties=frozenset({3})), False),
        ("city", Principal(9, admin=True), True),
        ("community", Principal(9, admin=True), False),  # nobody acts for the community
        ("county", Principal(9, communities=frozenset({1})), False),  # a worker never acts
    ],
)
def test_who_acts_on_a_stage_comes_from_its_declared_actor(actor, p, allowed):
    assert can_act(p, actor, Scope(community_id=1, street_id=7, county_id=3)) is allowed
