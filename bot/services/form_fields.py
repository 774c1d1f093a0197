"""The application form's free-text fields: what a community writes on its 申报表, per year.

FIELDS lists them in form order; labels are in bot/texts/reports.py (`ff_<key>`). A value is
plain text (at most MAX_CHARS; 工作情况 up to WORK_CHARS, the 说明's 1000 characters).
"""

from __future__ import annotations

import datetime as dt

import sqlite_utils

from bot.clock import stamp
from bot.domain.access import Principal, visible_counties
from bot.domain.text import stored
from bot.services.reports import ReportError
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
)
LONG = ("facilities", "work")
MAX_CHARS = 200
WORK_CHARS = 1000


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
    text = stored(value, WORK_CHARS if field in LONG else MAX_CHARS, _too_long)
    text = "" if text in ("-", "－") else text
    with transaction(db):
        store.put_field(db, community_id, year, field, text, user_id, stamp(now))
    return text


def _too_long(length: int, limit: int) -> ReportError:
    return ReportError("ff_too_long", n=limit)


def submitter(db: sqlite_utils.Database, community_id: int, standard: str) -> str | None:
    """Who submitted the community's check (the form's 创建联系人 when none is written)."""
    return store.submitter(db, community_id, standard)


def may_edit(db: sqlite_utils.Database, community_id: int, p: Principal) -> bool:
    """Whether `p` may fill the community's form: its workers, its county's contacts, admins."""
    if community_id in p.communities:
        return True
    place = progress.community_place(db, community_id)
    allowed = visible_counties(p)
    return place is not None and (allowed is None or int(place[2]) in allowed)
