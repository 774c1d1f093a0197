"""The one mapper from a refusal (bot.domain.errors.Refused: a code and its data) to the
catalogue's text, for chat (HTML, escaped) and the command line (plain).

The text is the area's own (`exc.key`, e.g. rv_err_locked), else the shared one of the code
(`locked`: a refusal raised by a rule every area uses). The data's meanings are fixed by name:
`ids` a list of items, `names` candidate names, `action` a review transition, `at` an instant
shown in local time; every other value is shown as it is.
"""

from __future__ import annotations

import datetime as dt
from html import escape
from typing import Any

from bot.clock import local
from bot.domain.errors import Refused
from bot.texts.catalog import TEXTS, t

SHOWN_IDS = 12  # items named in one refusal (or a card) before "…"


def refusal_key(exc: Refused) -> str:
    """The catalogue key of the refusal's text: its area's, else the shared one."""
    return exc.key if exc.key in TEXTS else exc.code


def ids_text(lang: str, ids: list[str], html: bool = True) -> str:
    shown = t(lang, "id_sep").join((escape(i) if html else i) for i in ids[:SHOWN_IDS])
    return shown + ("…" if len(ids) > SHOWN_IDS else "")


def refusal(exc: Refused, lang: str, zone: dt.tzinfo | None = None, html: bool = True) -> str:
    """The refusal in `lang` (HTML-escaped data unless `html` is False)."""
    return t(lang, refusal_key(exc), **_values(exc.info, lang, zone, html))


def _values(info: dict[str, Any], lang: str, zone: dt.tzinfo | None, html: bool) -> dict[str, str]:
    out: dict[str, str] = {}
    for k, v in info.items():
        if k == "ids":
            out[k] = ids_text(lang, [str(i) for i in v], html)
            continue
        if k == "names" and isinstance(v, (tuple, list)):
            v = t(lang, "name_sep").join(str(n) for n in v)
        elif k == "action":
            v = t(lang, f"rv_action_{v}")
        elif k == "at" and zone is not None and isinstance(v, str):
            v = local(v, zone).strftime("%m-%d %H:%M")
        out[k] = escape(str(v)) if html and k != "action" else str(v)
    return out
