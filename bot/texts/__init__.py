"""The one catalogue of user-facing text (zh, en) and the layout helpers."""

from bot.texts.catalog import LANGS, TEXTS, join_list, plural, t

__all__ = ["LANGS", "TEXTS", "join_list", "plural", "t"]
