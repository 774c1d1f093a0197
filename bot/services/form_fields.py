"""The application form's free-text fields: what a community writes on its 申报表, per year.

FIELDS lists them (new ones last: a field's button names it by its place); labels are in
bot/texts/reports.py (`ff_<key>`). A value is plain text, at most LIMITS[field] characters:
what the form's box holds on its printed page (a name, a phone number, a figure), the address a
few lines, the two long texts the 说明's 1000 characters (seed 000 附件2 说明 八：
"字数控制在1000字内"; what does not fit the box continues on a 附页). `FormFields` reads and
writes them, each write one unit of work dated by its clock.
"""

from __future__ import annotations

import sqlite_utils

from bot.clock import Clock
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


class FormFields:
    """The forms' fields over one database; the clock dates every write."""

    def __init__(self, db: sqlite_utils.Database, clock: Clock) -> None:
        self.db = db
        self.clock = clock

    def read(self, community_id: int, year: int) -> dict[str, str]:
        """{field: value} of the community's form for `year` (fields not written are absent)."""
        return store.fields(self.db, community_id, year)

    def write(
        self, community_id: int, year: int, field: str, value: str, user_id: int | None
    ) -> str:
        """Store one field (empty or "-" clears it) with an event; return the stored value."""
        with transaction(self.db):
            return self._put((community_id, year), field, value, user_id)

    def _put(self, form: tuple[int, int], field: str, value: str, user_id: int | None) -> str:
        if field not in FIELDS:
            raise ReportError("ff_unknown", field=field)
        text = stored(value, LIMITS[field], _too_long)
        text = "" if text in ("-", "－") else text
        store.put_field(self.db, *form, field, text, user_id, self.clock.stamp())
        return text

    def field_to_ask(self, p: Principal, community_id: int, n: int) -> str:
        """The key of the form's `n`th field, if `p` may fill the community's form
        (ReportError)."""
        if n >= len(FIELDS) or not self.may_edit(p, community_id):
            raise ReportError("ff_forbidden")
        return FIELDS[n]

    def ask(self, p: Principal, where: tuple[int, int], form: tuple[int, int], field: str) -> None:
        """Remember the prompt message `where` = (chat, message) asks `p` for `field` of the form
        `form` = (community, year): the reply (`answer`) writes it, after a restart too."""
        with transaction(self.db):
            prompts.put_form(self.db, (where[0], p.user_id, where[1]), form, field,
                             self.clock.stamp())  # fmt: skip

    def answer(
        self, p: Principal, chat_id: int, prompt: tuple[tuple[int, int], str], value: str
    ) -> str:
        """The reply to a form prompt `prompt` = ((community, year), field): store the field
        with its event and close the prompt, in one unit of work (a redelivered reply finds no
        prompt)."""
        form, field = prompt
        with transaction(self.db):
            if not self.may_edit(p, form[0]):  # a role revoked since the prompt was asked
                raise ReportError("ff_forbidden")
            text = self._put(form, field, value, p.user_id)
            prompts.clear(self.db, chat_id, p.user_id)
        return text

    def latest_year(self, community_id: int) -> int | None:
        """The latest year the community wrote any field of its form for (None: never)."""
        return store.latest_year(self.db, community_id)

    def may_edit(self, p: Principal, community_id: int) -> bool:
        """Whether `p` may fill the community's form (bot.domain.access.can_fill_form)."""
        place = progress.community_place(self.db, community_id)
        return place is not None and can_fill_form(p, community_id, int(place[2]))


def _too_long(length: int, limit: int) -> ReportError:
    return ReportError("ff_too_long", n=limit)
