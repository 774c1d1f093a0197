"""The conditions every layer shares.

`Busy`: the database is locked by another connection for longer than a unit of work waits;
nothing was written, so the caller may try again (the adapter retries, then says so).
"""

from __future__ import annotations


class Busy(RuntimeError):
    """The database is locked by another connection; nothing was written. Try again later."""
