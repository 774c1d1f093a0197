"""Notices in Telegram: each kind rendered for its recipient, with the next useful button; what
the use cases queued is sent right after them (`flush`) and by a job for what a crash left
pending; what did not surely arrive is listed to admins with a one-tap resend.

Buttons: nr:<notice id> resend one notice (admins).
"""

from __future__ import annotations

import functools
import logging
from html import escape
from typing import Any

from telegram import Update

from bot.domain.notices import Notice
from bot.texts import plural, t
from bot.texts.layout import alert, fit
from handlers import callbacks, review_cards, spot_cards
from handlers.cards import Buttons, Card
from handlers.common import Ctx, every, reply, svc, unit, who
from handlers.delivery import Delivery, delivery_of, send_paced

log = logging.getLogger(__name__)
JOB_NAME = "greencheck-notices"
TICK_SECONDS = 60
SHOWN = 10  # undelivered notices listed in one message
CUT = 300  # characters of a reason or comment shown before "…"
ROOM = 3600  # of the 4096 a message may hold, leaving room for the pointer to /history
REVIEWER_KINDS = ("submitted", "resubmitted", "reached")


# -- sending -------------------------------------------------------------------------------------


async def flush(context: Ctx) -> None:
    """Send every pending notice now (the use case that queued them has committed)."""
    await send_pending(context.bot, svc(context), delivery_of(context.application))


async def send_pending(bot: Any, s: Any, delivery: Delivery) -> int:
    """Claim and send the pending notices, batch by batch; return how many were sent."""
    sent = 0
    while batch := await unit(s.notices.take):
        for n in batch:
            c = render(n)
            status, error = await send_paced(bot, n.recipient, fit(c.text, n.lang), c.buttons,
                                             delivery)  # fmt: skip
            await unit(functools.partial(s.notices.finish, n, status, error))
            sent += status == "sent"
    return sent


async def tick(context: Ctx) -> None:
    """The job: what a crash (or a locked database) left pending goes out now."""
    await flush(context)


def schedule(app: Any) -> None:
    every(app, tick, TICK_SECONDS, JOB_NAME)


# -- rendering -----------------------------------------------------------------------------------


def render(n: Notice) -> Card:
    """The message a notice sends, in its recipient's language."""
    f, lang = n.payload, n.lang
    if n.kind in REVIEWER_KINDS and n.aid is not None:
        return review_cards.notice_from(f, n.aid, lang, again=n.kind == "resubmitted")
    if n.kind.startswith("action_"):
        return _action(n)
    if n.kind.startswith("spot_"):  # spot checks (handlers/spotchecks.py)
        return spot_cards.notice_from(n)
    community = escape(f.get("community", ""))
    if n.kind == "sent_back":
        return _sent_back(n)
    if n.kind == "withdrawn":
        reason = f.get("reason")
        why = (t(lang, "nt_withdrawn_reason", reason=escape(_cut(reason))) if reason
               else t(lang, "nt_withdrawn_rereview"))  # fmt: skip
        return Card(t(lang, "nt_withdrawn", community=community, why=why), _open(n))
    key = (
        "nt_completed_" + ("pass" if f.get("passed") else "fail")
        if n.kind == "completed"
        else (f"nt_{n.kind}")
    )
    text = t(lang, key, community=community, stage=escape(f.get("stage_name") or ""),
             next=escape(f.get("next_name") or ""))  # fmt: skip
    return Card(text, _open(n))


def _open(n: Notice) -> Buttons:
    """The worker's next step: open the community's check as /check shows it (where it
    stands, what was decided); the gap list for a notice that names no community."""
    cid = n.payload.get("community_id")
    if isinstance(cid, int):
        return [[(t(n.lang, "nt_btn_check"), callbacks.encode("c", cid))]]
    if n.aid is None:
        return []
    return [[(t(n.lang, "nt_btn_check"), callbacks.encode("g", n.aid))]]


def _cut(text: str) -> str:
    return text if len(text) <= CUT else text[: CUT - 1] + "…"


def _sent_back(n: Notice) -> Card:
    """The reason and each reopened item's comment, each cut at CUT characters; when anything
    was cut (or the whole would not fit) the notice points to /history for the full text."""
    f, lang = n.payload, n.lang
    community = escape(f.get("community", ""))
    reason = f.get("reason", "")
    comments: list[tuple[str, str]] = [(str(q), str(b)) for q, b in f.get("comments", [])]
    lines = [t(lang, "nt_sent_back", community=community, stage=escape(f.get("stage_name", "")),
               reason=escape(_cut(reason)))]  # fmt: skip
    reopened: list[str] = f.get("reopened", [])
    if reopened:
        lines.append(plural(lang, len(reopened), "nt_sent_back_items"))
    for qid, body in comments:
        lines.append(t(lang, "rv_comment_line", id=escape(qid), body=escape(_cut(body))))
    more = t(lang, "nt_more", community=community)
    text = "\n".join(lines)
    if len(text) > ROOM:
        text = fit(text, lang, ROOM).rsplit("\n", 1)[0]
    if text != "\n".join(lines) or any(len(x) > CUT for x in [reason, *(b for _, b in comments)]):
        text += "\n" + more
    buttons = (
        [[(t(lang, "rv_btn_fix", id=reopened[0]), callbacks.encode("rv:w", n.aid, reopened[0]))]]
        if reopened and n.aid is not None
        else _open(n)
    )
    return Card(text, buttons)


def _action(n: Notice) -> Card:
    f, lang, aid = n.payload, n.lang, n.action_id
    facts = {k: escape(str(v)) for k, v in f.items() if isinstance(v, (str, int, float))}
    if n.kind == "action_reopened":
        reason = f.get("reason")
        facts["why"] = t(lang, "nt_withdrawn_reason", reason=escape(_cut(reason))) if reason else ""
    text = t(lang, f"nt_{n.kind}", **({"id": aid} | facts))
    buttons: Buttons = []
    if n.kind in ("action_opened", "action_reassigned", "action_reopened") and aid is not None:
        buttons = [[(t(lang, "ax_btn_attach"), callbacks.encode("ax:e", aid)),
                    (t(lang, "ax_btn_close", id=aid), callbacks.encode("ax:c", aid))]]  # fmt: skip
    elif n.kind == "action_closed" and aid is not None:
        buttons = [[(t(lang, "ax_btn_confirm", id=aid), callbacks.encode("ax:y", aid)),
                    (t(lang, "ax_btn_reopen", id=aid), callbacks.encode("ax:n", aid))]]  # fmt: skip
    return Card(text, buttons)


# -- what did not arrive -------------------------------------------------------------------------


def undelivered_block(found: list[Notice], names: dict[int, str], lang: str) -> Card | None:
    """The admins' list of notices that may not have arrived, each with a resend button."""
    if not found:
        return None
    lines, buttons = [t(lang, "nt_undelivered_title", n=len(found))], []
    for i, n in enumerate(found[:SHOWN], 1):
        what = t(lang, f"nt_kind_{n.kind}") + (
            f" · {escape(n.payload['community'])}" if n.payload.get("community") else ""
        )
        lines.append(t(lang, "nt_undelivered_line", i=i, who=escape(names.get(n.recipient,
                       str(n.recipient))), what=what, status=t(lang, f"nt_status_{n.status}")))  # fmt: skip
        buttons.append([(t(lang, "nt_btn_resend", i=i), callbacks.encode("nr", n.id))])
    return Card("\n".join(lines), buttons)


async def on_resend(update: Update, context: Ctx) -> None:
    """🔁 Resend (admins): claim one undelivered notice again and send it, once."""
    p, s = who(update, context), svc(context)
    query = update.callback_query
    op = callbacks.decode(query.data if query else None)
    if query is None or op is None:
        return
    if not p.admin:
        await query.answer(alert(t(p.lang, "admin_only")), show_alert=True)
        return
    n = await unit(lambda: s.notices.resend(p, op.int("id")))
    if n is None:
        await query.answer(alert(t(p.lang, "nt_resend_taken")), show_alert=True)
        return
    await query.answer()
    c = render(n)
    delivery = delivery_of(context.application)
    status, error = await send_paced(context.bot, n.recipient, fit(c.text, n.lang), c.buttons,
                                     delivery)  # fmt: skip
    await unit(lambda: s.notices.finish(n, status, error))
    key = "nt_resent" if status == "sent" else "nt_resend_failed"
    await reply(update, t(p.lang, key, error=escape(error or status)))
