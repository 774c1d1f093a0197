"""The conditions every layer shares.

`Refused`: a request the rules refuse; nothing changed. Its `code` and `info` are data: the one
mapper (bot.texts.refusals.refusal) turns them into the catalogue's text, whose key is the
area's prefix and the code (`area` + `code`). Each area names its prefix once, in a subclass:
CheckError (the check: bare keys), ReviewError (rv_err_), ActionError (ax_err_), TargetError
(cy_err_), ReportError (rp_err_), ReminderError (dl_err_), SpotError (sp_err_), InviteError
(invite_), RevokeError (revoke_).

`Busy`: the database is locked by another connection for longer than a unit of work waits;
nothing was written, so the caller may try again (the adapter retries, then says so).
"""

from __future__ import annotations

from typing import Any, ClassVar


class Refused(ValueError):
    """A request the rules refuse; `code` and `info` say why (data, never text)."""

    area: ClassVar[str] = ""  # the catalogue prefix of this area's refusals

    def __init__(self, code: str, **info: Any) -> None:
        super().__init__(code)
        self.code = code
        self.info = info

    @property
    def key(self) -> str:
        """The catalogue key of the refusal's text."""
        return self.area + self.code


class CheckError(Refused):
    """The check refuses: locked, not the caller's, an answer the standard cannot take…"""


class ReviewError(Refused):
    area = "rv_err_"


class ActionError(Refused):
    area = "ax_err_"


class TargetError(Refused):
    area = "cy_err_"


class ReportError(Refused):
    area = "rp_err_"


class ReminderError(Refused):
    area = "dl_err_"


class SpotError(Refused):
    area = "sp_err_"


class InviteError(Refused):
    area = "invite_"


class RevokeError(Refused):
    area = "revoke_"


class Busy(RuntimeError):
    """The database is locked by another connection; nothing was written. Try again later."""
