"""Who may do what: one access policy, deny by default.

A `Principal` is a user's roles and scopes as loaded from the database for one update. Every
question of access is one of the functions below; nothing else decides it. The CLI acts as
`SYSTEM`, an explicit principal that sees everything (never `None`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from bot.domain.workflow import Actor

Role = Literal["worker", "contact", "admin", "street", "expert"]
ROLES: tuple[Role, ...] = ("worker", "contact", "admin", "street", "expert")


@dataclass(frozen=True)
class Principal:
    """A user's language, roles and scopes, loaded once per update."""

    user_id: int
    lang: str = "zh"
    admin: bool = False
    communities: frozenset[int] = field(default_factory=frozenset)  # as a worker
    counties: frozenset[int] = field(default_factory=frozenset)  # as a county contact
    streets: frozenset[int] = field(default_factory=frozenset)  # as a street reviewer (街道)
    experts: frozenset[int] = field(default_factory=frozenset)  # program years, as an expert

    @property
    def registered(self) -> bool:
        return (
            self.admin
            or bool(self.communities)
            or bool(self.counties)
            or bool(self.streets)
            or bool(self.experts)
        )

    @property
    def staff(self) -> bool:
        """Admins and county contacts: people who look at more than one community."""
        return self.admin or bool(self.counties)

    def can_answer(self, community_id: int) -> bool:
        return can_answer(self, community_id)

    def can_view(self, community_id: int, county_id: int) -> bool:
        return can_view(self, community_id, county_id)

    def can_view_county(self, county_id: int) -> bool:
        return can_view_county(self, county_id)


ANONYMOUS_ADMIN_ID = 1087968824  # GroupAnonymousBot: every anonymous admin of every group
CHANNEL_BOT_ID = 136817688  # Channel_Bot: messages sent "as a channel"
SERVICE_ID = 777000  # "Telegram": automatic forwards from a linked channel
SHARED_IDS = frozenset({ANONYMOUS_ADMIN_ID, CHANNEL_BOT_ID, SERVICE_ID})


def attributable(user_id: int, is_bot: bool, via_chat: bool) -> bool:
    """Whether an update can be attributed to one person: never a bot, a shared id (anonymous
    admins, channels, Telegram itself) or a message sent on behalf of a chat (`sender_chat`).

    Such a sender is never registered, authorized or recorded as anyone.
    """
    return not (is_bot or via_chat or user_id in SHARED_IDS or user_id <= 0)


MAX_INVITE_DAYS = 365  # an invite lives 1..365 days: never already expired, never forever


def invite_days_ok(days: int) -> bool:
    return 1 <= days <= MAX_INVITE_DAYS


SYSTEM = Principal(user_id=0, admin=True)  # the command line: the operator sees everything
NOBODY = Principal(user_id=0)  # an unregistered or untrusted sender: sees nothing


def can_answer(p: Principal, community_id: int) -> bool:
    """Workers answer for their own communities; admins for any."""
    return p.admin or community_id in p.communities


def can_view(p: Principal, community_id: int, county_id: int) -> bool:
    """A community's check is visible to its workers, its county's contacts and admins."""
    return p.admin or community_id in p.communities or county_id in p.counties


def can_fill_form(p: Principal, community_id: int, county_id: int) -> bool:
    """A community's 申报表 is filled by its workers, its county's contacts and admins."""
    return can_view(p, community_id, county_id)


def can_view_county(p: Principal, county_id: int) -> bool:
    """A county's figures are visible to its contacts and admins."""
    return p.admin or county_id in p.counties


def can_review(p: Principal, county_id: int) -> bool:
    """Reviewing a check (reopening, confirming 已报送) is for the county's contacts and admins."""
    return p.admin or county_id in p.counties


@dataclass(frozen=True)
class Scope:
    """Where a check sits: its community, street (None: the roster names none), county and
    program year (its cycle; None where the caller did not read it)."""

    community_id: int
    street_id: int | None
    county_id: int
    cycle: int | None = None


def can_act(p: Principal, actor: Actor, at: Scope) -> bool:
    """Whether `p` acts for a stage's actor on a check: street reviewers for their streets,
    county contacts for their counties, experts for checks of the program year they were
    invited for, the city (admins) on every stage — recorded as the city. A community never
    acts on a review stage (it cannot approve its own check)."""
    if p.admin:
        return actor != "community"
    if actor == "street":
        return at.street_id is not None and at.street_id in p.streets
    if actor == "county":
        return at.county_id in p.counties
    if actor == "expert":
        return is_expert_for(p, at.cycle)
    return False


def is_expert_for(p: Principal, year: int | None) -> bool:
    """Whether `p` is an expert the city invited for program year `year`."""
    return year is not None and year in p.experts


def can_see_check(p: Principal, at: Scope) -> bool:
    """A check in review is seen by its community's workers, its street's and county's
    reviewers, the experts of its program year and admins."""
    on_street = at.street_id is not None and at.street_id in p.streets
    mine = at.county_id in p.counties or at.community_id in p.communities
    return p.admin or on_street or mine or is_expert_for(p, at.cycle)


def is_reviewer(p: Principal) -> bool:
    return p.admin or bool(p.counties) or bool(p.streets) or bool(p.experts)


def can_work_on_action(p: Principal, community_id: int) -> bool:
    """A corrective action is worked on (files attached, closed) by its owner while they are a
    worker of its community, by the community's other workers, and by admins. An owner whose
    role was revoked holds nothing."""
    return p.admin or community_id in p.communities


def visible_counties(p: Principal) -> frozenset[int] | None:
    """The counties whose every row `p` sees: None means all of them (admins)."""
    return None if p.admin else p.counties


def roles(p: Principal) -> list[tuple[Role, int | None]]:
    """The principal's roles, strongest first, each with its scope id (None for admin).

    Data only: a role's label is the catalogue key `role_<role>` filled with the scope's name.
    """
    out: list[tuple[Role, int | None]] = [("admin", None)] if p.admin else []
    out += [("worker", c) for c in sorted(p.communities)]
    out += [("contact", c) for c in sorted(p.counties)]
    out += [("street", s) for s in sorted(p.streets)]
    out += [("expert", y) for y in sorted(p.experts)]  # the scope id is the program year
    return out


def menu_role(p: Principal) -> Literal["admin", "contact", "street", "expert"] | None:
    """The role whose command menu a reviewer gets in their private chat (None: default)."""
    if p.admin:
        return "admin"
    if p.counties:
        return "contact"
    return "street" if p.streets else "expert" if p.experts else None
