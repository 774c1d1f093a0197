"""Spot checks (抽查) as pure rules: the life of one, the seeded draw, the agreement figures.

Heyuan's city "将会同相关单位，组织专家，开展动态核查，进行随机检查抽查" (seed 000 四（四）). A spot
check re-verifies, on site, the check a recognised community's title rests on; comparing the
inspector's answer per item with the community's own (self-assessed) answer and with the
answer the review chain verified says how far each county's self-checks can be trusted — the
back-check of a random sample that J-PAL's data-quality guidance describes.

* The draw is reproducible: the same seed on the same population draws the same communities
  (`random.Random(seed)` over the population in a fixed order). By default it is stratified by
  county: each county gets its share of the sample in proportion to its recognised communities
  (largest remainders, never more than it has). Weighted, a county's share grows as its earlier
  agreement with self-assessments falls: its size × (2 − rate), a county never spot-checked
  counting at the city's rate.
* An item agrees when the inspector's answer has the same status and points as the one it is
  compared with. "Verified" is the answer the chain vouched for: a reviewer's verification
  where there is one, else the community's own answer (approved as it stood).
* A spot check counts in the figures once its inspector has decided its outcome.
"""

from __future__ import annotations

import math
import random
from collections.abc import Iterable, Mapping, Sequence
from typing import Final, NamedTuple

from bot.domain.workflow import Transition, Workflow

# -- the life of a spot check ------------------------------------------------------------------

DRAWN: Final = "drawn"  # in the sample, no inspector yet
ASSIGNED: Final = "assigned"  # an inspector re-verifies it
CONFIRMED: Final = "confirmed"  # outcome: the title stands
RECTIFY: Final = "rectify"  # outcome: discrepancies, each failing item opens a 整改 action
PROPOSED: Final = "proposed"  # outcome: the inspector proposes to withdraw the title
WITHDRAWN: Final = "withdrawn"  # the city confirmed the proposal: the title is withdrawn

ASSIGN: Final = "assign"
CONFIRM: Final = "confirm"
PROPOSE: Final = "propose"
WITHDRAW: Final = "withdraw"
DECLINE: Final = "decline"  # the city declines a proposal: the inspector decides again

SPOT: Final = Workflow(
    (DRAWN, ASSIGNED, CONFIRMED, RECTIFY, PROPOSED, WITHDRAWN),
    frozenset({ASSIGNED}),  # re-verifying, comments and photos: only while assigned
    (
        Transition(ASSIGN, DRAWN, ASSIGNED),
        Transition(ASSIGN, ASSIGNED, ASSIGNED),  # another inspector takes it over
        Transition(CONFIRM, ASSIGNED, CONFIRMED),
        Transition(RECTIFY, ASSIGNED, RECTIFY),
        Transition(PROPOSE, ASSIGNED, PROPOSED),
        Transition(WITHDRAW, PROPOSED, WITHDRAWN),
        Transition(DECLINE, PROPOSED, ASSIGNED),
    ),
)
OUTCOMES: Final = (CONFIRM, RECTIFY, PROPOSE)  # what an inspector decides
FINISHED: Final = frozenset({CONFIRMED, RECTIFY, PROPOSED, WITHDRAWN})  # counted in figures
ACTIONABLE: Final = frozenset({"not_met", "partial"})  # a spot answer a 整改 action follows


# -- the draw ----------------------------------------------------------------------------------


class Candidate(NamedTuple):
    """A community that may be drawn: recognised (done) in the year, with the check it rests on."""

    community_id: int
    community: str
    county: str
    since: str  # the stamp it has counted as done from
    aid: int  # the check of its latest verdict


def allocate(weights: Mapping[str, float], caps: Mapping[str, int], n: int) -> dict[str, int]:
    """How many of `n` each stratum gets: in proportion to `weights`, largest remainders first
    (ties by name), never more than its `caps`; a stratum whose share reaches its cap gets it
    whole and the rest is shared again."""
    left = min(n, sum(caps.values()))
    out = dict.fromkeys(caps, 0)
    free = sorted(c for c in caps if caps[c] > 0)
    while free and left > 0:
        total = sum(weights.get(c, 0.0) for c in free)
        quota = {c: left * (weights.get(c, 0.0) / total if total > 0 else 1 / len(free))
                 for c in free}  # fmt: skip
        full = [c for c in free if quota[c] >= caps[c]]
        if full:
            for c in full:
                out[c], left = caps[c], left - caps[c]
            free = [c for c in free if c not in full]
            continue
        whole = {c: math.floor(quota[c]) for c in free}
        extra = left - sum(whole.values())
        for c in sorted(free, key=lambda c: (-(quota[c] - whole[c]), c))[:extra]:
            whole[c] += 1
        out.update(whole)
        break
    return out


def draw(
    population: Sequence[Candidate],
    n: int,
    seed: int,
    stratified: bool = True,
    weights: Mapping[str, float] | None = None,
) -> list[Candidate]:
    """`n` communities of `population`, reproducibly from `seed`: a simple random sample, or
    (stratified) each county's share drawn within it, counties in name order."""
    rng = random.Random(seed)
    ordered = sorted(population, key=lambda c: (c.county, c.community, c.community_id))
    if not stratified:
        return rng.sample(ordered, min(n, len(ordered)))
    strata: dict[str, list[Candidate]] = {}
    for c in ordered:
        strata.setdefault(c.county, []).append(c)
    sizes = {k: len(v) for k, v in strata.items()}
    share = allocate({k: sizes[k] * (weights or {}).get(k, 1.0) for k in strata}, sizes, n)
    out: list[Candidate] = []
    for county in sorted(strata):
        out += rng.sample(strata[county], share[county])
    return out


def weights_from(rates: Mapping[str, float | None], counties: Iterable[str]) -> dict[str, float]:
    """A weight per county from its earlier agreement rate: 2 − rate (a low rate, a larger
    share); a county without one counts at the mean of the others (all 1 when none has one)."""
    known = [r for r in rates.values() if r is not None]
    mean = sum(known) / len(known) if known else 1.0
    out = {}
    for c in counties:
        rate = rates.get(c)
        out[c] = 2.0 - (mean if rate is None else rate)
    return out


# -- agreement ---------------------------------------------------------------------------------

Answer = tuple[str | None, float | None]  # (status, points)


def agrees(spot: Answer, other: Answer | None) -> bool:
    """The inspector's answer agrees with another when status and points are the same."""
    return other is not None and spot[0] == other[0] and spot[1] == other[1]


class Tally(NamedTuple):
    """One spot-checked community's figures."""

    items: int  # items the inspector re-verified
    agree_self: int  # … where the inspector found what the community said
    agree_verified: int  # … where the inspector found what the chain verified
    disagree: tuple[str, ...]  # the items where the inspector and the community differ


def tally(
    spot: Mapping[str, Answer], own: Mapping[str, Answer], verified: Mapping[str, Answer]
) -> Tally:
    """Compare the inspector's answers with the community's own and the verified ones (an item
    the chain did not verify stands as the community answered it)."""
    self_ok = [q for q, a in spot.items() if agrees(a, own.get(q))]
    ver_ok = [q for q, a in spot.items() if agrees(a, verified.get(q) or own.get(q))]
    differ = tuple(q for q in spot if q not in self_ok)
    return Tally(len(spot), len(self_ok), len(ver_ok), differ)


def rate(agree: int, items: int) -> float | None:
    """The share of items that agree (None: nothing was checked)."""
    return agree / items if items else None


class CountyFigures(NamedTuple):
    county: str
    communities: int
    items: int
    agree_self: int
    agree_verified: int

    @property
    def rate_self(self) -> float | None:
        return rate(self.agree_self, self.items)

    @property
    def rate_verified(self) -> float | None:
        return rate(self.agree_verified, self.items)


def by_county(tallies: Iterable[tuple[str, Tally]]) -> list[CountyFigures]:
    """(county, tally) of each finished spot check → one row per county, in name order."""
    sums: dict[str, list[int]] = {}
    for county, t in tallies:
        row = sums.setdefault(county, [0, 0, 0, 0])
        for i, v in enumerate((1, t.items, t.agree_self, t.agree_verified)):
            row[i] += v
    return [CountyFigures(c, *sums[c]) for c in sorted(sums)]


def disagreeing_items(tallies: Iterable[Tally], order: Sequence[str]) -> list[tuple[str, int]]:
    """(item, communities where the inspector and the community differ on it), most first,
    then in the standard's `order`; items that always agreed are left out."""
    counts: dict[str, int] = {}
    for t in tallies:
        for q in t.disagree:
            counts[q] = counts.get(q, 0) + 1
    place = {q: i for i, q in enumerate(order)}
    return sorted(counts.items(), key=lambda kv: (-kv[1], place.get(kv[0], len(place)), kv[0]))


class SpotRow(NamedTuple):
    id: int
    year: int
    community_id: int
    community: str
    county_id: int
    county: str
    assessment_id: int  # the check the community's title rested on when drawn
    state: str
    inspector_id: int | None
    inspector: str | None  # name (else id)
    drawn_at: str
    due: str | None
    reason: str | None
    decided_at: str | None


class SpotReport(NamedTuple):
    year: int
    counties: list[CountyFigures]
    items: list[tuple[str, int]]  # (item, communities where inspector and community differ)
    communities: list[tuple[SpotRow, Tally]]
    wording: dict[str, str]  # each listed item's text in the standard
