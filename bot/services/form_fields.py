"""The application form's free-text fields: what a community writes on its 申报表, per year.

FIELDS lists them (new ones last: a field's button names it by its place); labels are in
bot/texts/reports.py (`ff_<key>`). A value is plain text, at most LIMITS[field] characters:
what the form's box holds on its printed page (a name, a phone number, a figure), the address a
few lines, the two long texts the 说明's 1000 characters (seed 000 附件2 说明 八：
"字数控制在1000字内"; what does not fit the box continues on a 附页).
"""

from __future__ import annotations

import datetime as dt

import sqlite_utils

from bot.clock import stamp
from bot.domain.access import Principal, can_fill_form
from bot.domain.errors import ReportError
from bot.domain.text import stored
from bot.store import form_fields as store
from bot.store import progress, prompts
from bot.store.db import transaction

FIELDS: tuple[str, ...] = (
    "address",
    "population",
    "households",
    "resident_households",
    "area",
    "building_area",
    "green_area",
    "leader",
    "leader_phone",
    "street_leader",
    "street_leader_title",
    "street_leader_phone",
    "contact_title",
    "contact_phone",
    "facilities",
    "work",
    "leader_title",
    "contact",
)
WORK_CHARS = 1000
NAME, TITLE, PHONE, FIGURE, ADDRESS = 20, 30, 40, 20, 100
LIMITS = {
    "address": ADDRESS,
    "population": FIGURE,
    "households": FIGURE,
    "resident_households": FIGURE,
    "area": FIGURE,
    "building_area": FIGURE,
    "green_area": FIGURE,
    "leader": NAME,
    "leader_phone": PHONE,
    "street_leader": NAME,
    "street_leader_title": TITLE,
    "street_leader_phone": PHONE,
    "contact_title": TITLE,
    "contact_phone": PHONE,
    "facilities": WORK_CHARS,
    "work": WORK_CHARS,
    "leader_title": TITLE,
    "contact": NAME,
}


def read(db: sqlite_utils.Database, community_id: int, year: int) -> dict[str, str]:
    """{field: value} of the community's form for `year` (fields not written are absent)."""
    return store.fields(db, community_id, year)


def write(
    db: sqlite_utils.Database,
    community_id: int,
    year: int,
    field: str,
    value: str,
    user_id: int | None,
    now: dt.datetime,
) -> str:
    """Store one field (empty or "-" clears it) with an event; return the stored value."""
    with transaction(db):
        return _put(db, (community_id, year), field, value, user_id, stamp(now))


def _put(
    db: sqlite_utils.Database,
    form: tuple[int, int],
    field: str,
    value: str,
    user_id: int | None,
    at: str,
) -> str:
    if field not in FIELDS:
        raise ReportError("ff_unknown", field=field)
    text = stored(value, LIMITS[field], _too_long)
    text = "" if text in ("-", "－") else text
    store.put_field(db, *form, field, text, user_id, at)
    return text


def field_to_ask(db: sqlite_utils.Database, p: Principal, community_id: int, n: int) -> str:
    """The key of the form's `n`th field, if `p` may fill the community's form (ReportError)."""
    if n >= len(FIELDS) or not may_edit(db, community_id, p):
        raise ReportError("ff_forbidden")
    return FIELDS[n]


def ask(
    db: sqlite_utils.Database,
    p: Principal,
    where: tuple[int, int],
    form: tuple[int, int],
    field: str,
    now: dt.datetime,
) -> None:
    """Remember the prompt message `where` = (chat, message) asks `p` for `field` of the form
    `form` = (community, year): the reply (`answer`) writes it, after a restart too."""
    with transaction(db):
        prompts.put_form(db, (where[0], p.user_id, where[1]), form, field, stamp(now))


def answer(
    db: sqlite_utils.Database,
    p: Principal,
    chat_id: int,
    prompt: tuple[tuple[int, int], str],
    value: str,
    now: dt.datetime,
) -> str:
    """The reply to a form prompt `prompt` = ((community, year), field): store the field with its
    event and close the prompt, in one unit of work (a redelivered reply finds no prompt)."""
    form, field = prompt
    with transaction(db):
        if not may_edit(db, form[0], p):  # a role revoked since the prompt was asked
            raise ReportError("ff_forbidden")
        text = _put(db, form, field, value, p.user_id, stamp(now))
        prompts.clear(db, chat_id, p.user_id)
    return text


def latest_year(db: sqlite_utils.Database, community_id: int) -> int | None:
    """The latest year the community wrote any field of its form for (None: never)."""
    return store.latest_year(db, community_id)


def _too_long(length: int, limit: int) -> ReportError:
    return ReportError("ff_too_long", n=limit)


def may_edit(db: sqlite_utils.Database, community_id: int, p: Principal) -> bool:
    """Whether `p` may fill the community's form (bot.domain.access.can_fill_form)."""
    place = progress.community_place(db, community_id)
    return place is not None and can_fill_form(p, community_id, int(place[2]))
