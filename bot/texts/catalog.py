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
from bot.texts.evidence import TEXTS as EVIDENCE
from bot.texts.files import TEXTS as FILES
from bot.texts.notices import TEXTS as NOTICES
from bot.texts.people import TEXTS as PEOPLE
from bot.texts.reminders import TEXTS as REMINDERS
from bot.texts.reports import TEXTS as REPORTS
from bot.texts.review import TEXTS as REVIEW
from bot.texts.roster import TEXTS as ROSTER
from bot.texts.spotchecks import TEXTS as SPOTCHECKS
from bot.texts.standards import TEXTS as STANDARDS

LANGS = ("zh", "en")

TEXTS: dict[str, tuple[str, str]] = {}
for _area in (
    PEOPLE,
    CHECK,
    REPORTS,
    REMINDERS,
    CLI,
    STANDARDS,
    ROSTER,
    REVIEW,
    EVIDENCE,
    CYCLES,
    FILES,
    NOTICES,
    SPOTCHECKS,
):
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


CRITERIA_LABELS = {"评分标准": "criteria_label_scoring", "考评标准": "criteria_label_assessment"}


def criteria_label(lang: str, label: str | None, default_key: str) -> str:
    """A standard's name for its criteria column: the seed's words in Chinese, the catalogue's in
    English (“Scoring criteria”); `default_key` when the standard names none."""
    if not label:
        return t(lang, default_key)
    key = CRITERIA_LABELS.get(label)
    return t(lang, key) if key and lang == "en" else label


def plural(lang: str, n: int, key: str, **kw: Any) -> str:
    """The text for a count `n`: English uses `<key>_one` when n is 1 (“1 day”), `key` otherwise.

    The one plural mechanism of the catalogue: every text that shows a count in English has a
    `_one` twin (Chinese needs none; its twin repeats the Chinese text).
    """
    one = f"{key}_one"
    return t(lang, one if lang == "en" and n == 1 and one in TEXTS else key, n=n, **kw)


def join_list(lang: str, items: list[str]) -> str:
    """Join items the way each language lists them: 甲、乙、丙 · “a, b and c”."""
    if lang != "en":
        return "、".join(items)
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} and {items[-1]}"
