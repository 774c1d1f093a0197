"""The one catalogue of user-facing text (zh, en) and the layout helpers."""

from bot.texts.catalog import LANGS, TEXTS, t

__all__ = ["LANGS", "TEXTS", "t"]
