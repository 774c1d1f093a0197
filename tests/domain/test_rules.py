"""Every answer the engine accepts is one the standard allows (cases from the seeds)."""

import itertools
import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.catalog import catalog
from bot.domain.rules import (
    ScoreError,
    allowed_statuses,
    points_from_deductions,
    resolve,
    rule_choices,
)
from bot.domain.scoring import Answer, parse_answers, score
from bot.domain.standards import Standard

CAT = catalog()
CHUXIONG = CAT.standard("chuxiong-2021")
QHD = CAT.standard("qinhuangdao-etdz-2021")
NATIONAL = CAT.standard("national-2020")
GUANGDONG = CAT.standard("guangdong-2021")
QINGYANG = CAT.standard("qingyang-2022")
POINTS = [CHUXIONG, QHD]
CHECKLISTS = [NATIONAL, GUANGDONG, QINGYANG]
WHY = "社区内无此类资源"


def q(std, qid):
    return std.question(qid)


def all_met(std):
    """Every non-bonus question met with evidence, every veto absent, the bonus unanswered."""
    return {x.id: Answer("met", evidence=1) for x in std.questions if x.role != "bonus"}


# -- 1. N.A. as data -----------------------------------------------------------------------------


def test_na_is_allowed_only_where_the_data_says_so():
    allowed = {s.id: [x.id for x in s.questions if x.na_allowed] for s in CAT}
    assert allowed == {
        "chuxiong-2021": [],  # the seed has no 此项不扣分
        "guangdong-2021": ["17.1", "17.2"],  # our reading: no historical resources
        "national-2020": ["16"],
        "qingyang-2022": ["16"],
        "qinhuangdao-etdz-2021": ["11", "14", "25", "30"],  # the seed's 此项不扣分
    }
    for s in CAT:
        for x in s.questions:
            if x.na_allowed:
                source = x.item if x.kind == "item" else None
                basis = source.na_basis if source else None
                if x.kind == "sub_item":
                    assert x.item is not None
                    basis = next(si for si in x.item.sub_items if si.id == x.id).na_basis
                assert basis, (s.id, x.id)


def test_all_16_national_items_na_is_refused():
    answers = {str(n): Answer("na", note=WHY) for n in range(1, 17)}
    with pytest.raises(ScoreError, match=r"^1: .*N\.A\."):
        score(NATIONAL, answers)


def test_all_42_guangdong_sub_items_na_is_refused():
    answers = {x.id: Answer("na", note=WHY) for x in GUANGDONG.questions}
    with pytest.raises(ScoreError, match=r"^1\.1: "):
        score(GUANGDONG, answers)


def test_a_check_with_no_applicable_item_cannot_pass():
    tiny = Standard.model_validate(
        {
            "id": "tiny",
            "title": "t",
            "short_title": "t",
            "source": "s",
            "mode": "checklist",
            "areas": [
                {
                    "id": "1",
                    "title": "a",
                    "items": [{"id": "1", "text": "x", "na_allowed": True, "na_basis": "b"}],
                }
            ],
        }
    )
    result = score(tiny, {"1": Answer("na", note=WHY)})
    assert (result.passed, result.complete, result.answered) == (False, True, 1)


def test_na_without_a_note_is_a_gap_and_leaves_the_check_incomplete():
    answers = all_met(NATIONAL) | {"16": Answer("na")}
    result = score(NATIONAL, answers)
    assert [(g.id, g.reason) for g in result.gaps] == [("16", "na_unexplained")]
    assert result.passed and not result.complete
    result = score(NATIONAL, answers | {"16": Answer("na", note=WHY)})
    assert result.passed and result.complete and result.gaps == []


@pytest.mark.parametrize(("std", "qid"), [(QHD, "bonus"), (CHUXIONG, "17"), (QHD, "V1")])
def test_the_bonus_and_vetoes_are_never_na(std, qid):
    with pytest.raises(ScoreError, match=f"^{qid}: "):
        resolve(q(std, qid), "na")


# -- 2. only reachable results -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("std", "qid", "values"),
    [
        (CHUXIONG, "11", (6, 0)),  # 未建设智能化安防系统扣6分
        (CHUXIONG, "10", (6, 5, 4, 3, 2, 0)),  # 每降低10%扣1分，低于60%此项不得分
        (CHUXIONG, "3", (6, 5, 4, 3)),  # its only rule is 扣1-3分
        (CHUXIONG, "13", (6, 4, 2)),  # 扣2分 + 扣2分, 最高扣4分
        (CHUXIONG, "17", (4, 3, 2, 1, 0)),  # 加1-4分 (printed 加14分)
        (QHD, "24", (4, 0)),  # 计4分,否则不计分
        (QHD, "13", (4, 0)),  # 未达到要求不得分
        (QHD, "15", (4, 3.5, 3, 2.5, 2, 1.5, 1, 0.5, 0)),
        (QHD, "bonus", (3, 2, 1, 0)),
    ],
)
def test_the_values_an_item_can_score_follow_its_rules(std, qid, values):
    assert q(std, qid).values == values


@pytest.mark.parametrize(
    ("std", "qid", "status", "points", "message"),
    [
        (CHUXIONG, "11", "partial", 3, "3 points cannot be scored here"),
        (CHUXIONG, "10", "partial", 4.5, "4.5 points cannot be scored here"),
        (QHD, "24", "partial", 2, "2 points cannot be scored here"),
        (QHD, "13", "partial", 2, "2 points cannot be scored here"),
        (QHD, "15", "partial", 3.25, "3.25 points cannot be scored here"),
        (CHUXIONG, "1", "partial", math.nan, "finite"),
        (CHUXIONG, "1", "partial", math.inf, "finite"),
        (CHUXIONG, "1", "partial", -1, "outside 0..6"),
        (CHUXIONG, "1", "partial", "3", "must be a number"),
        (CHUXIONG, "1", "not_met", 6, "contradicts 6 of 6"),
        (CHUXIONG, "1", "met", 3, "contradicts 3 of 6"),
        (CHUXIONG, "11", "partial", 0, "contradicts 0 of 6"),
        (QHD, "bonus", "met", 0, "contradicts 0 of 3"),
        (QHD, "bonus", "met", 1.5, "1.5 points cannot be scored here"),
        (QHD, "V1", "partial", None, "met (absent) or not_met (triggered)"),
        (QHD, "V1", "na", None, "N.A. (na)"),
        (QHD, "V1", "met", 1, "a veto takes no points"),
        (GUANGDONG, "4.1", "met", 1, "a checklist question takes no points"),
        (CHUXIONG, "1", "partial", None, "needs 'points' or 'deductions'"),
    ],
)
def test_unreachable_or_contradictory_answers_are_refused(std, qid, status, points, message):
    with pytest.raises(ScoreError) as exc:
        resolve(q(std, qid), status, points)
    assert str(exc.value).startswith(f"{qid}: ")
    assert message in str(exc.value)
    assert "\n" not in str(exc.value)


@pytest.mark.parametrize(
    ("std", "qid", "floor"), [(CHUXIONG, "3", 3), (CHUXIONG, "13", 2), (CHUXIONG, "11", 0)]
)
def test_not_met_scores_the_rules_floor(std, qid, floor):
    assert resolve(q(std, qid), "not_met") == ("not_met", floor)
    assert resolve(q(std, qid), "not_met", floor) == ("not_met", floor)
    assert resolve(q(std, qid), "met") == ("met", 6)


def test_a_partial_answer_at_the_floor_is_reported_as_not_met():
    # the card stores 3 of 6 after 扣3分 on Chuxiong 3 as partial; it is the item's floor
    assert resolve(q(CHUXIONG, "3"), "partial", 3) == ("not_met", 3)


@pytest.mark.parametrize(
    ("deductions", "message"),
    [
        ({"z": 1}, "unknown deduction rule 'z'"),
        ({"a": 2.5}, "deduction a must be one of 3, not 2.5"),
        ({"a": math.nan}, "finite"),
        ({"a": -3}, "must not be negative"),
        ({"a": "3"}, "must be a number"),
    ],
)
def test_bad_deductions_are_refused_naming_the_id(deductions, message):
    with pytest.raises(ScoreError, match=f"^1: .*{message}"):
        resolve(q(CHUXIONG, "1"), "partial", None, deductions)


def test_deductions_compute_the_points_and_must_agree_with_them():
    assert resolve(q(CHUXIONG, "8"), "partial", None, {"a": 2, "b": 1}) == ("partial", 3)
    assert resolve(q(CHUXIONG, "8"), "partial", 3, {"a": 2, "b": 1}) == ("partial", 3)
    with pytest.raises(ScoreError, match=r"^8: points 4 disagree with the deductions"):
        resolve(q(CHUXIONG, "8"), "partial", 4, {"a": 2, "b": 1})
    with pytest.raises(ScoreError, match=r"^8: status 'met' contradicts 3 of 6"):
        resolve(q(CHUXIONG, "8"), "met", None, {"a": 2, "b": 1})
    with pytest.raises(ScoreError, match=r"^4\.1: only a points item takes deductions"):
        resolve(q(GUANGDONG, "4.1"), "met", None, {"a": 1})


def test_parse_answers_with_the_standard_validates_and_folds_deductions():
    got = parse_answers({"8": {"status": "partial", "deductions": {"a": 2, "b": 1}}}, CHUXIONG)
    assert got["8"].points == 3 and got["8"].deductions is None
    for raw, msg in [
        ({"1": {"status": "met", "evidence": -1}}, "^1: evidence must be a count"),
        ({"1": {"status": "met", "note": 5}}, "^1: note must be text"),
        ({"1": {"status": "met", "pts": 5}}, "^1: unknown fields pts"),
        ({"1": {"status": "met", "deductions": [1]}}, "^1: deductions must be an object"),
    ]:
        with pytest.raises(ScoreError, match=msg):
            parse_answers(raw, CHUXIONG)


# -- 3. parts ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("qid", "deductions", "points"),
    [
        ("15", {"b": 2, "c": 2}, 2),  # both in the 养护 part (计2分): the 绿地率 part stays
        ("15", {"a": 2, "c": 2}, 0),
        ("15", {"c": 0.5}, 3.5),
        ("17", {"a": 2, "b": 2}, 1),  # 无障碍 part capped at 2; 加装电梯 计1分 stays
        ("17", {"b": 2, "c": 1}, 0),
        ("18", {"a": 2, "c": 2}, 2),  # the 0.5 rule belongs to the 乱贴乱挂 part
        ("18", {"b": 2, "c": 1.5}, 0.5),
        ("20", {"b": 2, "c": 2}, 1),  # 酌情 grades the 服务人口 part (计2分)
        ("22", {"a": 2, "d": 2}, 2),  # 酌情 grades the 停车位 part (计2分)
        ("27", {"b": 1, "c": 1}, 1),  # 酌情 ends the second part's sentence
        ("28", {"a": 1, "d": 3}, 0),  # 酌情 over three 1-point parts: the whole item
        ("29", {"a": 1, "b": 1}, 1),  # the 0.5 rule belongs to the posting part (计1分)
        ("8", {"a": 1, "b": 2, "c": 1}, 0),
        ("1", {"a": 2, "c": 3}, 0),  # 资料欠缺 covers the item
    ],
)
def test_qinhuangdao_deductions_are_capped_at_their_part(qid, deductions, points):
    assert points_from_deductions(q(QHD, qid), deductions) == points


def test_every_rule_of_an_item_with_parts_names_its_part_or_is_documented_item_wide():
    item_wide = {("1", "c"), ("28", "d")}
    for it in QHD.items:
        if it.parts:
            assert sum(p.points for p in it.parts) == it.points
            for r in it.deductions:
                assert r.part is not None or (it.id, r.key) in item_wide, (it.id, r.key)
                if r.part:
                    assert max(r.choices(it.points)) <= it.parts[r.part - 1].points


# -- 4. outcome semantics ------------------------------------------------------------------------


def test_qinhuangdao_all_met_no_veto_bonus_unanswered_passes():
    result = score(QHD, all_met(QHD))
    assert (result.score, result.passed, result.complete) == (100, True, True)
    assert [(g.id, g.reason) for g in result.gaps] == [("bonus", "unanswered")]
    assert result.as_dict()["complete"] is True


def test_missing_evidence_leaves_passed_alone_but_makes_the_check_incomplete():
    result = score(QHD, all_met(QHD) | {"1": Answer("met", evidence=0)})
    assert result.passed and not result.complete
    assert ("1", "evidence_missing") in [(g.id, g.reason) for g in result.gaps]


def test_a_triggered_veto_is_named_and_fails():
    result = score(QHD, all_met(QHD) | {"V1": Answer("not_met")})
    assert (result.score, result.vetoed, result.passed) == (100, True, False)
    assert result.triggered == ["V1"] and result.as_dict()["triggered_vetoes"] == ["V1"]


def test_an_unanswered_veto_is_not_known_absent():
    answers = all_met(QHD)
    del answers["V2"]
    result = score(QHD, answers)
    assert not result.passed and not result.vetoed and not result.complete


def test_as_dict_keeps_every_key_and_adds_complete():
    keys = set(score(CHUXIONG, {}).as_dict())
    assert keys >= {
        "standard", "mode", "score", "projected_score", "max_score", "pass_score", "passed",
        "vetoed", "answered", "total", "met", "gap_count", "gaps", "items", "complete",
    }  # fmt: skip


# -- 5. data the card and `standards show` need --------------------------------------------------


def test_chuxiong_17_carries_the_ocr_reading():
    it = next(i for i in CHUXIONG.items if i.id == "17")
    assert "加14分" in (it.criteria or "") and "加1-4分" in (it.reading or "")


# -- 6. properties: the card's buttons and the engine agree --------------------------------------


def points_questions():
    return [(s, x) for s in POINTS for x in s.questions if x.role == "points"]


def button_results(x):
    """Every deductions map the card's buttons can build: each rule at most one amount."""
    choices = rule_choices(x)
    options = [[(k, None)] + [(k, a) for a in amounts] for k, amounts in choices.items()]
    for combo in itertools.product(*options):
        yield {k: a for k, a in combo if a is not None}


PROPS = settings(max_examples=200, deadline=None)
QUESTIONS = points_questions()
CANDIDATES = st.one_of(
    st.integers(-2, 8).map(float),
    st.integers(-8, 32).map(lambda n: n / 4),
    st.sampled_from([math.nan, math.inf, -math.inf]),
)


@given(
    pair=st.sampled_from(QUESTIONS),
    value=CANDIDATES,
    status=st.sampled_from(["met", "partial", "not_met"]),
)
@PROPS
def test_every_value_the_engine_accepts_is_reachable_by_the_cards_buttons(pair, value, status):
    _, x = pair
    try:
        _, pts = resolve(x, status, value)
    except ScoreError:
        return
    reachable = {points_from_deductions(x, d) for d in button_results(x)}
    assert pts in reachable


@st.composite
def taps(draw, x):
    """A sequence of card taps on one item: 满分 clears everything, d<key><amount> sets one."""
    deds: dict[str, float] = {}
    choices = rule_choices(x)
    for _ in range(draw(st.integers(0, 8))):
        if not choices or draw(st.integers(0, 5)) == 0:
            deds = {}  # 满分
            continue
        key = draw(st.sampled_from(sorted(choices)))
        amount = draw(st.sampled_from([0.0, *choices[key]]))
        if amount:
            deds[key] = amount
        else:
            deds.pop(key, None)
    return deds


@given(data=st.data())
@PROPS
def test_every_button_sequence_is_accepted_by_the_engine_and_the_cli(data):
    std, x = data.draw(st.sampled_from(QUESTIONS))
    deds = data.draw(taps(x))
    # how a stored card row is scored: 满分 stores met; deductions decide status and points
    status, pts = resolve(x, None, None, deds) if deds else resolve(x, "met")
    assert pts in x.values
    assert resolve(x, status, pts) == (status, pts)  # the same result typed as points
    assert resolve(x, status, None, deds) == (status, pts)  # ANSWERS.json with deductions
    raw = {x.id: {"status": status, "deductions": deds}}
    assert parse_answers(raw, std)[x.id].points == pts


@given(
    std=st.sampled_from(POINTS),
    bonus=st.integers(0, 4),
)
@PROPS
def test_every_bonus_button_is_accepted(std, bonus):
    x = next(y for y in std.questions if y.role == "bonus")
    if bonus > (x.max_points or 0):
        with pytest.raises(ScoreError):
            resolve(x, "met", float(bonus))
        return
    status = "met" if bonus else "not_met"  # the card's b<k> tap
    assert resolve(x, status, float(bonus)) == (status, bonus)


@given(std=st.sampled_from(CHECKLISTS), data=st.data())
@PROPS
def test_checklist_buttons_are_exactly_the_allowed_statuses(std, data):
    x = data.draw(st.sampled_from(std.questions))
    for status in ("met", "partial", "not_met", "na"):
        if status in allowed_statuses(x):
            assert resolve(x, status) == (status, None)
        else:
            with pytest.raises(ScoreError, match=f"^{x.id}: "):
                resolve(x, status)


def test_stored_rows_the_rules_now_refuse_are_invalid_gaps_when_not_strict():
    answers = all_met(NATIONAL) | {"1": Answer("na", note="旧数据")}
    with pytest.raises(ScoreError, match=r"^1: "):
        score(NATIONAL, answers)
    result = score(NATIONAL, answers, strict=False)
    gap = next(g for g in result.gaps if g.id == "1")
    assert (gap.reason, result.passed, result.complete) == ("invalid", False, False)
    assert gap.note and gap.note.startswith("1: ")
    assert result.answered == 15


def test_every_gap_reason_has_a_card_tag():
    from typing import get_args

    from bot.domain.scoring import GapReason
    from bot.texts import TEXTS

    for reason in get_args(GapReason):
        assert f"gap_tag_{reason}" in TEXTS, reason


def test_questions_carry_what_the_card_shows():
    x = q(QHD, "15")
    assert x.criteria and x.criteria.startswith("2017年以来新建居住小区绿地率")
    assert x.methods == ["现场查看", "查阅资料"] and x.responsible == ["各乡街"]
    assert x.supervisors == ["自然资源和规划分局", "城市发展局", "城乡建设局"]
    assert q(QHD, "bonus").criteria == "可加分，最高加3分，需提供佐证材料。但总得分不能超过100分。"
    assert q(QHD, "V1").supervisors == ["自然资源和规划分局"]
    assert "加1-4分" in (q(CHUXIONG, "17").reading or "")
    assert q(QHD, "11").na_basis == "没有老旧小区改造任务的此项不扣分。"
    assert q(GUANGDONG, "17.1").na_basis


@given(
    std=st.sampled_from(POINTS),
    value=CANDIDATES,
    status=st.sampled_from(["met", "partial", "not_met"]),
)
@PROPS
def test_every_bonus_value_the_engine_accepts_is_a_bonus_button(std, value, status):
    x = next(y for y in std.questions if y.role == "bonus")
    try:
        _, pts = resolve(x, status, value)
    except ScoreError:
        return
    buttons = {0.0} | {float(k) for k in range(1, int(x.max_points or 0) + 1)}  # b0, +1 … +max
    assert pts in buttons
