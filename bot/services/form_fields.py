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
from bot.domain.access import Principal, visible_counties
from bot.domain.errors import ReportError
from bot.domain.text import stored
from bot.store import form_fields as store
from bot.store import progress
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
    if field not in FIELDS:
        raise ReportError("ff_unknown", field=field)
    text = stored(value, LIMITS[field], _too_long)
    text = "" if text in ("-", "－") else text
    with transaction(db):
        store.put_field(db, community_id, year, field, text, user_id, stamp(now))
    return text


def latest_year(db: sqlite_utils.Database, community_id: int) -> int | None:
    """The latest year the community wrote any field of its form for (None: never)."""
    return store.latest_year(db, community_id)


def _too_long(length: int, limit: int) -> ReportError:
    return ReportError("ff_too_long", n=limit)


def may_edit(db: sqlite_utils.Database, community_id: int, p: Principal) -> bool:
    """Whether `p` may fill the community's form: its workers, its county's contacts, admins."""
    if community_id in p.communities:
        return True
    place = progress.community_place(db, community_id)
    allowed = visible_counties(p)
    return place is not None and (allowed is None or int(place[2]) in allowed)
