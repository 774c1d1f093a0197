"""The catalogue: every user-facing string, Simplified Chinese by default, English on `/lang en`.

Texts live in one module per area (people, check, reports, reminders, cli), merged here; a key
defined twice is a start-up error. Standard texts are never translated: they stay as the seeds
wrote them. Messages are Telegram HTML: data put into them must be escaped by the caller.
"""

from __future__ import annotations

from typing import Any

from bot.texts.check import TEXTS as CHECK
from bot.texts.cli import TEXTS as CLI
from bot.texts.cycles import TEXTS as CYCLES
from bot.texts.people import TEXTS as PEOPLE
from bot.texts.reminders import TEXTS as REMINDERS
from bot.texts.reports import TEXTS as REPORTS
from bot.texts.review import TEXTS as REVIEW
from bot.texts.roster import TEXTS as ROSTER
from bot.texts.standards import TEXTS as STANDARDS

LANGS = ("zh", "en")

TEXTS: dict[str, tuple[str, str]] = {}
for _area in (PEOPLE, CHECK, REPORTS, REMINDERS, CLI, STANDARDS, ROSTER, REVIEW, CYCLES):
    _twice = TEXTS.keys() & _area.keys()
    if _twice:
        raise RuntimeError(f"text keys defined twice: {sorted(_twice)}")
    TEXTS.update(_area)

TEXTS["page_label"] = ("第 {page}/{pages} 页", "page {page}/{pages}")
TEXTS["text_cut"] = ("…（内容过长，已截断）", "… (cut: too long for one message)")


def t(lang: str, key: str, **kw: Any) -> str:
    """Return the text for `key` in `lang` (falling back to Chinese), formatted with `kw`."""
    zh, en = TEXTS[key]
    text = en if lang == "en" else zh
    return text.format(**kw) if kw else text
