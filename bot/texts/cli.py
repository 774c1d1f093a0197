"""Texts of the command line (GREENCHECK_LANG)."""

from __future__ import annotations

# key: (Chinese, English)
TEXTS: dict[str, tuple[str, str]] = {}
