"""Incremental scoring (parts re-added after one change) equals scoring.score, on every standard."""

from __future__ import annotations

import random

import pytest

from bot.catalog import catalog
from bot.domain.answers import NO_DEDUCTIONS, Row
from bot.domain.scoring import combine, part, parts, score

CAT = catalog()


def _random_row(q, rnd: random.Random) -> Row | None:
    pick = rnd.random()
    if pick < 0.2:
        return None
    if pick < 0.3:
        return Row(None, None, NO_DEDUCTIONS, "note", rnd.randint(0, 2))  # a note only
    statuses = ["met", "partial", "not_met"]
    if q.kind != "item" or q.max_points is None or (q.item and q.item.na_allowed):
        statuses.append("na")
    status = rnd.choice(statuses)
    points = None
    if q.max_points is not None and status != "na":
        points = {"met": q.max_points, "not_met": 0.0}.get(status, round(q.max_points / 2, 1))
    if q.kind == "veto":
        status = rnd.choice(["met", "not_met"])
    return Row(status, points, NO_DEDUCTIONS, rnd.choice([None, "n"]), rnd.randint(0, 1))


@pytest.mark.parametrize("sid", sorted(CAT.standards))
def test_parts_add_up_to_score_and_a_one_answer_change_too(sid):
    std = CAT.standard(sid)
    rnd = random.Random(sid)
    for _ in range(40):
        rows = {}
        for q in std.questions:
            row = _random_row(q, rnd)
            if row is not None:
                rows[q.id] = row
        ps = parts(std, rows, strict=False)
        assert combine(std, ps) == score(std, rows, strict=False)
        q = rnd.choice(std.questions)  # one tap
        row = _random_row(q, rnd)
        if row is None:
            rows.pop(q.id, None)
        else:
            rows[q.id] = row
        ps[std.question_index[q.id]] = part(q, row, strict=False)
        assert combine(std, ps) == score(std, rows, strict=False)
