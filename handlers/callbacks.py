"""The one callback-data codec: every button's data is built and parsed here.

Callback data names an action and its target, never state: `a:<check>:<item>:<code>`. Each
action is declared once below (prefix and fields); `encode` builds data, `decode` parses it
(None for anything a button of ours cannot have produced), and `pattern` gives the regular
expression a `CallbackQueryHandler` routes on. Telegram allows 64 bytes; `encode` refuses more.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Final

MAX_BYTES: Final = 64

# Field grammars (ASCII only: `\d` would also match other scripts' digits).
ID: Final = r"[0-9]{1,12}"
PAGE: Final = r"[0-9]{1,4}"
QID: Final = r"[0-9]{1,3}(?:\.[0-9]{1,3})?|bonus|V[0-9]{1,2}"
CODE: Final = r"[ypnxf]|b[0-9]{1,2}|d[a-z][0-9]{1,3}(?:\.[0-9]{1,2})?"
AREA: Final = r"[0-9]{1,3}|x"
SLUG: Final = r"[a-z0-9-]{1,40}"
DAY: Final = r"[0-9]{8}"
WORD: Final = r"[a-z]{1,10}"
YEAR: Final = r"20[0-9]{2}"  # the years a switch offers (cycles.parse_year: 2000-2100)
INVITE: Final = r"[A-Za-z0-9_-]{12}"
ROLE: Final = r"worker|contact|admin|street|expert|all"
STAGE: Final = r"[0-9]{1,2}"  # a stage's index in its check's chain


@dataclass(frozen=True)
class Action:
    """One kind of button: its prefix and its fields (name, grammar), the optional ones last."""

    prefix: str
    fields: tuple[tuple[str, str], ...] = ()
    optional: int = 0  # how many trailing fields may be left out


# prefix -> action. Prefixes are unique and no prefix is another's prefix followed by ':'.
ACTIONS: Final[dict[str, Action]] = {
    a.prefix: a
    for a in (
        # the worker's card (handlers/check.py)
        Action("a", (("aid", ID), ("qid", QID), ("code", CODE))),  # answer an item
        Action("q", (("aid", ID), ("qid", QID))),  # show an item
        Action("t", (("aid", ID), ("area", AREA)), optional=1),  # contents, or jump to an area
        Action("g", (("aid", ID), ("page", PAGE)), optional=1),  # the gap list (a page)
        Action("s", (("aid", ID),)),  # submit: asks to confirm
        Action("sy", (("aid", ID), ("at", ID))),  # confirm a submit asked at `at` (epoch min)
        Action("sn", (("aid", ID),)),  # cancel a submit asked by /submit
        Action("e", (("aid", ID), ("qid", QID))),  # 📎 evidence prompt
        Action("o", (("aid", ID), ("qid", QID))),  # ✏️ note prompt
        Action("c", (("cid", ID),)),  # pick a community to check
        Action("el", (("aid", ID), ("qid", QID))),  # 📋 an item's evidence list
        Action("ev", (("eid", ID),)),  # view one evidence file again
        Action("er", (("eid", ID),)),  # remove one evidence file
        Action("em", (("eid", ID), ("qid", QID))),  # move one evidence file to another item
        Action("cy", (("aid", ID), ("qid", QID))),  # 与上年相同: confirm last year's answer
        # status views (handlers/status.py)
        Action("v:s", (("page", PAGE),)),  # per-county table, compact
        Action("v:S", (("page", PAGE),)),  # per-county table, every column
        Action("v:c", (("county", ID), ("page", PAGE))),  # one county's communities
        Action("v:m", (("county", ID), ("page", PAGE))),  # not started (county 0: all)
        Action("v:chart"),  # the chart
        Action("v:y", (("year", YEAR),)),  # the county table as of a year's end (year switch)
        Action("v:exp", (("kind", WORD),)),  # an export
        Action("v:miss", (("county", ID),), optional=1),  # not started, as a new message
        # fill field n of a community's 申报表 (of that year; old buttons: the form's default)
        Action("v:ff", (("cid", ID), ("n", ID), ("year", YEAR)), optional=1),
        Action("v:sc", (("cid", ID),)),  # GreenCheck's 自查结果表 of a community
        # corrective actions (handlers/actions.py)
        Action("ax:c", (("id", ID),)),  # the owner closes it (needs a file since it opened)
        Action("ax:y", (("id", ID),)),  # a reviewer confirms the close
        Action("ax:n", (("id", ID),)),  # a reviewer reopens it
        Action("ax:e", (("id", ID),)),  # 📎 the owner attaches the action's closing evidence
        # notices (handlers/notices.py)
        Action("nr", (("id", ID),)),  # 🔁 resend a notice that may not have arrived (admins)
        # reminders (handlers/reminders.py)
        Action("r", (("did", SLUG), ("occ", DAY), ("county", ID))),  # ✅ 已报送
        # ✅ 已报送 of a street's (s) or community's (c) own duty
        Action("ru", (("unit", r"[sc]"), ("did", SLUG), ("occ", DAY), ("id", ID))),
        Action("rd", (("county", ID), ("page", PAGE)), optional=1),  # 📊 查看详情
        Action("rs", (("row", ID),)),  # 🔁 resend a reminder that may not have been delivered
        # registration (handlers/registration.py)
        Action("iv", (("mode", "move|add"), ("code", INVITE), ("uid", ID))),  # move or add (uid's)
        Action("rk", (("uid", ID), ("role", ROLE))),  # confirm a revocation (admins)
        # review (handlers/review.py; f: the card's filter, a all items | g the ones to look at;
        # stage: the stage the button was drawn for, so a stale tap changes nothing)
        Action("rv:o", (("aid", ID),)),  # 查看: open the review card
        Action("rv:q", (("aid", ID), ("qid", QID), ("f", WORD))),  # show an item
        Action("rv:a", (("aid", ID), ("stage", STAGE), ("qid", QID), ("code", CODE), ("f", WORD))),
        Action("rv:k", (("aid", ID), ("stage", STAGE), ("qid", QID), ("f", WORD))),  # confirm
        Action("rv:m", (("aid", ID), ("stage", STAGE), ("qid", QID))),  # 💬 comment prompt
        Action("rv:f", (("aid", ID), ("qid", QID))),  # the item's files
        Action("rv:y", (("aid", ID), ("stage", STAGE))),  # 通过 (or record 公示/公布/授牌)
        Action("rv:Y", (("aid", ID), ("stage", STAGE))),  # 通过 a failing check, confirmed
        Action("rv:n", (("aid", ID), ("stage", STAGE))),  # 退回 (asks for the reason)
        Action("rv:w", (("aid", ID), ("qid", QID))),  # the worker's card on a reopened item
        # 📋 the reviewer's 目录 (a page of it), drawn from item qid (↩ goes back to it)
        Action("rv:t", (("aid", ID), ("qid", QID), ("f", WORD), ("page", PAGE)), optional=1),
        # spot checks (handlers/spotchecks.py): the inspector's card on one spot check
        Action("sp:o", (("id", ID),)),  # open the spot card
        Action("sp:q", (("id", ID), ("qid", QID))),  # show an item
        Action("sp:a", (("id", ID), ("qid", QID), ("code", CODE))),  # the inspector's answer
        Action("sp:k", (("id", ID), ("qid", QID))),  # the same as the community's answer
        Action("sp:m", (("id", ID), ("qid", QID))),  # 💬 comment prompt
        Action("sp:e", (("id", ID), ("qid", QID))),  # 📷 photo prompt
        Action("sp:f", (("id", ID), ("qid", QID))),  # the item's files (community's, inspector's)
        Action("sp:y", (("id", ID), ("outcome", WORD))),  # decide: confirm | rectify | propose
        Action("sp:w", (("id", ID),)),  # the city confirms a proposed withdrawal
        Action("sp:n", (("id", ID),)),  # the city declines it
        Action("sp:x", (("year", YEAR),)),  # the agreement figures as XLSX
        # 公示 (handlers/spotchecks.py): its days, the objections of a check, their outcome
        Action("pb:d", (("aid", ID), ("stage", STAGE))),  # 📢 record 公示: asks for its days
        Action("pb:v", (("aid", ID),)),  # a check's 公示 period and objections
        Action("pb:u", (("oid", ID),)),  # uphold an objection (asks for the reason)
        Action("pb:x", (("oid", ID),)),  # dismiss it (asks for the reason)
    )
}


def _compile(a: Action) -> re.Pattern[str]:
    required = len(a.fields) - a.optional
    body = re.escape(a.prefix)
    for i, (name, grammar) in enumerate(a.fields):
        part = f":(?P<{name}>{grammar})"
        body += part if i < required else f"(?:{part}"
    body += ")?" * a.optional
    return re.compile(f"^{body}$")


_REGEX: Final = {prefix: _compile(a) for prefix, a in ACTIONS.items()}
_BY_LENGTH: Final = sorted(ACTIONS, key=len, reverse=True)


@dataclass(frozen=True)
class Op:
    """A decoded button: the action's prefix and its fields as text (absent optional: None)."""

    action: str
    fields: dict[str, str | None]

    def int(self, name: str) -> int:
        value = self.fields.get(name)
        if value is None:
            raise KeyError(name)
        return int(value)

    def get(self, name: str) -> str | None:
        return self.fields.get(name)


class CallbackTooLong(ValueError):
    """Data over Telegram's 64 bytes: a programming error, never user input."""


def encode(action: str, *values: object) -> str:
    """Build the data for `action` with its field values in declared order."""
    a = ACTIONS[action]
    if not len(a.fields) - a.optional <= len(values) <= len(a.fields):
        raise ValueError(f"{action}: expected {len(a.fields)} fields, got {len(values)}")
    data = ":".join([a.prefix, *(str(v) for v in values)])
    if _REGEX[action].match(data) is None:
        raise ValueError(f"{action}: {values!r} do not fit the action's grammar")
    if len(data.encode()) > MAX_BYTES:
        raise CallbackTooLong(data)
    return data


def decode(data: str | None) -> Op | None:
    """Parse callback data; None for anything our buttons cannot have produced."""
    if not data or len(data.encode()) > MAX_BYTES:
        return None
    for prefix in _BY_LENGTH:
        if data == prefix or data.startswith(prefix + ":"):
            m = _REGEX[prefix].match(data)
            return Op(prefix, m.groupdict()) if m else None
    return None


def pattern(*actions: str) -> re.Pattern[str]:
    """The regular expression routing these actions' data to one handler."""
    unnamed = (re.sub(r"\(\?P<\w+>", "(?:", _REGEX[a].pattern) for a in actions)
    return re.compile("|".join(f"(?:{body})" for body in unnamed))
