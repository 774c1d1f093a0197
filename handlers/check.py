"""The self-check: /check, the card's buttons, notes, evidence, /gaps, /submit, /reopen.

Each card button has its own handler, routed by `handlers.callbacks.pattern` (the codec
declares the grammar): a answer · q show an item · t index / jump to an area · g gap list ·
s submit · e/o ask for a file / a note · c pick a community. Every database write goes
through `unit` (retried while another process holds the lock) and `guarded` (a clear
"busy, try again" after a few seconds, nothing half-written).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
from html import escape
from pathlib import PurePosixPath
from typing import Any, NamedTuple

from telegram import ForceReply, Message, Update
from telegram.constants import ChatType, ParseMode
from telegram.error import BadRequest, TelegramError
from telegram.ext import filters

from bot.domain import cycles
from bot.domain.access import Principal
from bot.domain.answers import NOTE_MAX, View, blocking
from bot.domain.errors import CheckError, Refused
from bot.domain.outcome import Outcome
from bot.services.checks import Checks, Noted, Opened, Prompt
from bot.services.reviews import Handed
from bot.texts import plural, t
from bot.texts.layout import alert, fit
from bot.texts.refusals import refusal
from bot.texts.vocabulary import NOTE_CLEAR_WORDS
from handlers import actions, callbacks, cards, evidence, notices, review, spotchecks, status
from handlers.common import (
    Ctx,
    command_arg,
    edit_card,
    markup,
    one_match,
    reply,
    send_card,
    svc,
    unit,
    who,
)

log = logging.getLogger(__name__)

DOC_SUFFIXES = {
    ".pdf", ".doc", ".docx", ".xls", ".xlsx", ".ppt", ".pptx", ".wps", ".et", ".txt",
    ".jpg", ".jpeg", ".png", ".heic", ".webp", ".gif", ".bmp", ".tif", ".tiff", ".zip", ".rar",
}  # fmt: skip
SUBMIT_IDS_SHOWN = 60


async def on_unknown_command(update: Update, context: Ctx) -> None:
    """Say that the command is unknown and where the list is (in groups: only ours, /x@bot)."""
    msg = update.effective_message
    if msg is None or not msg.text:
        return
    word = msg.text.split()[0]
    name, _, to = word.partition("@")
    mine = (context.bot.username or "").lower()
    if to and to.lower() != mine:
        return  # addressed to another bot
    if _is_group(update) and not to:
        return  # a bare /foo in a group may be for another bot
    await reply(update, t(who(update, context).lang, "unknown_command", command=escape(name)))


# Other media than photos and documents, sent in a private chat or as a reply: explained.
UNSUPPORTED = (
    filters.VIDEO | filters.VOICE | filters.AUDIO | filters.Sticker.ALL | filters.ANIMATION
) & (filters.ChatType.PRIVATE | filters.REPLY) | filters.VIDEO_NOTE


def _checks(context: Ctx) -> Checks:
    return svc(context).checks


def _is_group(update: Update) -> bool:
    chat = update.effective_chat
    return chat is not None and chat.type in (ChatType.GROUP, ChatType.SUPERGROUP)


def _mention(update: Update) -> str:
    """Return an HTML mention so a selective ForceReply reaches the right person in a group."""
    user = update.effective_user
    if not _is_group(update) or user is None:
        return ""
    return f'<a href="tg://user?id={user.id}">{escape(user.full_name)}</a> '


# -- commands --------------------------------------------------------------------------------


async def _community_for(update: Update, context: Ctx, p: Principal) -> int | None:
    """Pick the community this /check, /gaps or /submit is about; explain when there is none."""
    arg = command_arg(context)
    if arg:
        allowed = [m for m in svc(context).roster.find_community(arg) if p.can_answer(m[0])]
        found = await one_match(update, p.lang, arg, allowed)
        return found[0] if found else None
    chat = update.effective_chat
    if _is_group(update) and chat is not None:
        bound, _ = svc(context).people.group_binding(chat.id)
        if bound is not None and p.can_answer(bound):
            return bound
    mine = sorted(p.communities)
    if len(mine) == 1:
        return mine[0]
    if not mine:
        await reply(update, t(p.lang, "no_community" if p.registered else "not_registered"))
        return None
    names = _checks(context).community_names(mine)
    buttons = [[(name, callbacks.encode("c", cid))] for cid, name in names]
    await reply(update, t(p.lang, "pick_community"), buttons)
    return None


async def _open_card(update: Update, context: Ctx, p: Principal, community_id: int) -> None:
    checks = _checks(context)
    opened = await unit(lambda: checks.open(p, community_id))
    await _send_opened(update, context, p, opened, readonly=False)


async def _send_opened(
    update: Update, context: Ctx, p: Principal, opened: Opened, readonly: bool
) -> None:
    shown = _card(context, opened.view, opened.qid, p.lang, readonly, opened.outcome)
    msg = await send_card(update, shown)
    if msg is not None:
        card = (msg.chat_id, msg.message_id)
        await unit(lambda: _checks(context).show(card, opened.view.assessment.id, opened.qid))


async def _browse(update: Update, context: Ctx, p: Principal) -> bool:
    """/check <community> by someone who may view but not answer it: the card, read-only."""
    arg = command_arg(context)
    if not arg or not p.staff:
        return False
    viewable = svc(context).roster.find_community(arg)
    if not viewable or any(p.can_answer(m[0]) for m in viewable):
        return False
    found = await one_match(update, p.lang, arg, viewable)
    if found is None:
        return True
    try:
        opened = await unit(lambda: _checks(context).browse(p, found[0]))
    except Refused as exc:
        await reply(update, refusal(exc, p.lang))
        return True
    if opened is None:
        await reply(update, t(p.lang, "no_check", community=escape(found[1])))
        return True
    await _send_opened(update, context, p, opened, readonly=True)
    return True


# -- years (the draft carried from last year, past years read-only) -------------------------


def _card(
    context: Ctx,
    v: View,
    qid: str,
    lang: str,
    readonly: bool = False,
    outcome: Outcome | None = None,
) -> cards.Card:
    """The item's card, with last year's answer while it waits for confirmation (上年) and,
    once submitted, where the check stands (read here unless given; never-submitted checks,
    the answer taps' usual case, read nothing for it)."""
    draft = None if readonly else _checks(context).next_draft(v, qid)
    outcome = outcome or _checks(context).outcome(v)
    return cards.question_card(v, qid, lang, _zone(context), readonly, draft, outcome)


def _year_arg(context: Ctx) -> tuple[str, int] | None:
    """(community words, year) when /check's last word is a year."""
    args = list(context.args or [])
    year = cycles.parse_year(args[-1]) if len(args) >= 2 else None
    return (" ".join(args[:-1]).strip(), year) if year is not None else None


async def _check_year(update: Update, context: Ctx, p: Principal, name: str, year: int) -> None:
    """/check <社区> <year>: that year's check, read-only when it is a past year's."""
    viewable = svc(context).roster.find_community(name)
    found = await one_match(update, p.lang, name, viewable)
    if found is None:
        return
    checks = _checks(context)
    a = checks.in_year(found[0], year)
    if a is None or not p.can_view(a.community_id, a.county_id):
        await reply(update, t(p.lang, "cy_no_check_year", community=escape(found[1]), year=year))
        return
    past = cycles.read_only(a.cycle, svc(context).clock.now().year)
    if not past and p.can_answer(found[0]):
        return await _open_card(update, context, p, found[0])
    if past:
        await reply(update, t(p.lang, "cy_past_year", year=year))
    opened = await unit(lambda: checks.browse_check(p, a.id))
    await _send_opened(update, context, p, opened, readonly=True)


async def on_same(update: Update, context: Ctx) -> None:
    """与上年相同: last year's answer becomes this year's (one transaction; the gate has
    claimed the update id already, as for every tap but an answer)."""
    p = who(update, context)
    got = _query_op(update, "cy")
    if got is None or update.callback_query is None:
        return await _refuse(update, p.lang, CheckError("stale"))
    op, message = got
    card = (message.chat_id, message.message_id)
    checks, aid, qid = _checks(context), op.int("aid"), str(op.get("qid"))
    try:
        done = await unit(lambda: checks.confirm(p, aid, qid, card))
    except Refused as exc:
        return await _refuse(update, p.lang, exc)
    with contextlib.suppress(BadRequest):
        await update.callback_query.answer(None if done.repeat else t(p.lang, "cy_confirmed"))
    await _edit(update, context, message, _card(context, done.view, done.next_qid, p.lang))


async def check(update: Update, context: Ctx) -> None:
    """Open or resume the community's self-check card (viewers: read-only)."""
    p = who(update, context)
    dated = _year_arg(context)
    if dated is not None:
        return await _check_year(update, context, p, *dated)
    if await _browse(update, context, p):
        return
    community_id = await _community_for(update, context, p)
    if community_id is not None:
        await _open_card(update, context, p, community_id)


async def gaps(update: Update, context: Ctx) -> None:
    """List what is still missing, grouped by area, with the projected score."""
    p = who(update, context)
    community_id = await _community_for(update, context, p)
    if community_id is None:
        return
    opened = await unit(lambda: _checks(context).open(p, community_id))
    await reply(update, cards.gap_list(opened.view, p.lang, _zone(context)))


def _minute(context: Ctx) -> int:
    """Now as whole minutes since the epoch: the stamp a confirmation button carries."""
    return int(svc(context).clock.now().timestamp() // 60)


async def submit(update: Update, context: Ctx) -> None:
    """/submit: name what is unanswered, or ask to confirm with the gap count (expiring)."""
    p = who(update, context)
    community_id = await _community_for(update, context, p)
    if community_id is None:
        return
    checks = _checks(context)
    a = (await unit(lambda: checks.start(community_id))).id
    v = checks.look(p, a).view
    refusal = _not_submittable(v, p.lang, _zone(context))
    if refusal:
        await reply(update, refusal)
        return
    text = cards.confirm_text(v, p.lang, checks.outcome(v))
    await reply(update, text, cards.confirm_buttons(v, p.lang, _minute(context)))


def _zone(context: Ctx) -> dt.tzinfo:
    return svc(context).clock.zone


def _not_submittable(v: View, lang: str, zone: dt.tzinfo) -> str | None:
    """Why this check cannot be submitted now (submitted before, items unanswered), or None."""
    a = v.assessment
    if a.locked:
        when = cards.submitted_on(a, zone)
        return t(lang, "already_submitted", community=escape(a.community), when=when)
    ids = blocking(v)
    if not ids:
        return None
    shown = t(lang, "id_sep").join(ids[:SUBMIT_IDS_SHOWN])
    shown += "…" if len(ids) > SUBMIT_IDS_SHOWN else ""
    return plural(lang, len(ids), "submit_unanswered", ids=shown)


async def _submit_text(context: Ctx, aid: int, p: Principal) -> tuple[str, Handed | None]:
    """Submit (the hand-over to the chain included); the reply and what was done (None:
    refused)."""
    lang = p.lang
    try:
        handed = await unit(lambda: svc(context).reviews.submit(p, aid))
    except Refused as exc:
        if exc.code != "unanswered":
            return refusal(exc, lang), None
        ids: list[str] = exc.info.get("ids", [])
        shown = t(lang, "id_sep").join(ids[:SUBMIT_IDS_SHOWN])
        shown += "…" if len(ids) > SUBMIT_IDS_SHOWN else ""
        return plural(lang, len(ids), "submit_unanswered", ids=shown), None
    done = handed.submitted
    a = done.view.assessment
    if not done.done:
        when = cards.submitted_on(a, _zone(context))
        return t(lang, "already_submitted", community=escape(a.community), when=when), None
    result = cards.result_text(done.view, lang)
    return t(lang, "submit_done", community=escape(a.community), result=result), handed


async def reopen(update: Update, context: Ctx) -> None:
    """Reopen a submitted check (admins)."""
    p = who(update, context)
    lang = p.lang
    if not p.admin:
        await reply(update, t(lang, "admin_only"))
        return
    arg = command_arg(context)
    if not arg:
        await reply(update, t(lang, "reopen_usage"))
        return
    found = await one_match(update, lang, arg, svc(context).roster.find_community(arg))
    if found is None:
        return
    try:
        name = await unit(lambda: svc(context).reviews.reopen(p, found[0]))
    except Refused as exc:
        await reply(update, refusal(exc, lang))
        return
    await reply(update, t(lang, "reopened", community=escape(name)))
    await notices.flush(context)


# -- buttons -----------------------------------------------------------------------------------


def _query_op(update: Update, action: str) -> tuple[callbacks.Op, Message] | None:
    query = update.callback_query
    op = callbacks.decode(query.data if query else None)
    if op is None or op.action != action or not query or not isinstance(query.message, Message):
        return None
    return op, query.message


async def _refuse(update: Update, lang: str, exc: Refused) -> None:
    """Answer a refused tap with an alert saying why (bot.texts.refusals)."""
    if update.callback_query is not None:
        with contextlib.suppress(BadRequest):  # too old to answer: nothing else to tell
            await update.callback_query.answer(
                alert(refusal(exc, lang, html=False)), show_alert=True
            )


GONE = ("message to edit not found", "message can't be edited", "message_id_invalid")


async def _edit(
    update: Update, context: Ctx, message: Message, card: cards.Card, show: str | None = None
) -> None:
    """Edit the card in place; when its message is gone (deleted, too old), send a fresh one.

    `show`: the question the card shows, remembered for the fresh card so its replies and
    buttons keep working.
    """
    try:
        await edit_card(message, card)
    except BadRequest as exc:
        if not any(g in str(exc).lower() for g in GONE):
            raise
        fresh = await context.bot.send_message(
            message.chat_id,
            fit(card.text),
            parse_mode=ParseMode.HTML,
            reply_markup=markup(card.buttons),
        )
        op = callbacks.decode(update.callback_query.data if update.callback_query else None)
        if show is not None and op is not None and op.get("aid") is not None:
            where, aid = (fresh.chat_id, fresh.message_id), op.int("aid")
            await unit(lambda: _checks(context).show(where, aid, show))


async def on_answer(update: Update, context: Ctx) -> None:
    """An answer tap: ONE service call (lock check, deduction merge, write, claim)."""
    p = who(update, context)
    got = _query_op(update, "a")
    if got is None or update.callback_query is None:
        return await _refuse(update, p.lang, CheckError("stale"))
    op, message = got
    card = (message.chat_id, message.message_id)
    checks, aid = _checks(context), op.int("aid")
    qid, code = str(op.get("qid")), str(op.get("code"))
    try:
        done = await unit(lambda: checks.tap(p, aid, qid, code, card, update.update_id))
    except Refused as exc:
        return await _refuse(update, p.lang, exc)
    with contextlib.suppress(BadRequest):  # a redelivery: the first delivery may have answered
        await update.callback_query.answer(None if done.repeat else t(p.lang, "saved"))
    view = cards.question_card(done.view, done.next_qid, p.lang, _zone(context), False,
                               done.draft, done.outcome)  # fmt: skip
    try:
        await _edit(update, context, message, view, done.next_qid)
    except TelegramError:  # saved, but the card could not be shown: say exactly that
        log.warning("card refresh failed after a saved tap", exc_info=True)
        await context.bot.send_message(message.chat_id, t(p.lang, "saved_not_shown", qid=qid))
        return
    # a 📎/✏️ prompt belongs to its item; it expires when the card moves on
    await evidence.retire(context, message.chat_id, p.user_id, done.prompt, keep=done.next_qid)
    row = done.view.rows.get(qid)
    if code == "x" and done.changed and row is not None and not (row.note or "").strip():
        await _ask(update, context, p, message, done.view, qid, "na_reason_prompt")


class Pressed(NamedTuple):
    """A card button as a handler needs it: who, what, on which card, the check and its item."""

    p: Principal
    op: callbacks.Op
    message: Message
    view: View
    here: str  # the question the card shows now

    @property
    def readonly(self) -> bool:
        """A submitted check, or a viewer who may not answer: the card without answer buttons."""
        return self.view.assessment.locked or not self.p.can_answer(
            self.view.assessment.community_id
        )


async def _look(update: Update, context: Ctx, action: str) -> Pressed | None:
    """Decode the tap, load the check the card shows; refuse politely when it cannot be."""
    p = who(update, context)
    got = _query_op(update, action)
    if got is None:
        await _refuse(update, p.lang, CheckError("stale"))
        return None
    op, message = got
    try:
        look = _checks(context).look(p, op.int("aid"), (message.chat_id, message.message_id))
    except Refused as exc:
        await _refuse(update, p.lang, exc)
        return None
    return Pressed(p, op, message, look.view, look.here)


async def _show(update: Update, context: Ctx, got: Pressed, qid: str) -> None:
    card = (got.message.chat_id, got.message.message_id)
    await unit(lambda: _checks(context).show(card, got.view.assessment.id, qid))
    shown = _card(context, got.view, qid, got.p.lang, got.readonly)
    await _edit(update, context, got.message, shown, qid)


async def on_show(update: Update, context: Ctx) -> None:
    """Show one item on the card (read-only on a submitted check or for a viewer)."""
    await _show_item(update, context, "q")


async def on_fix(update: Update, context: Ctx) -> None:
    """A sent-back notice's ✏️ button: the notice becomes the card on that reopened item, the
    reviewers' comments on it shown (the card guides the rest of the fix)."""
    await _show_item(update, context, "rv:w")


async def _show_item(update: Update, context: Ctx, action: str) -> None:
    got = await _look(update, context, action)
    if got is None or update.callback_query is None:
        return
    qid = str(got.op.get("qid"))
    if qid not in got.view.standard.question_index:
        return await _refuse(update, got.p.lang, CheckError("stale"))
    await update.callback_query.answer()
    await _show(update, context, got, qid)


async def on_toc(update: Update, context: Ctx) -> None:
    """The index, or the first open item of an area."""
    got = await _look(update, context, "t")
    if got is None or update.callback_query is None:
        return
    area = got.op.get("area")
    target = cards.area_start(got.view, area) if area is not None else None
    if area is not None and target is None:
        return await _refuse(update, got.p.lang, CheckError("stale"))
    await update.callback_query.answer()
    if target is None:
        outcome = _checks(context).outcome(got.view)
        shown = cards.toc_card(got.view, got.p.lang, _zone(context), got.here, outcome)
        await _edit(update, context, got.message, shown)
    else:
        await _show(update, context, got, target)


async def on_gaps(update: Update, context: Ctx) -> None:
    """The gap list inside the card, its jump buttons a page at a time."""
    got = await _look(update, context, "g")
    if got is None or update.callback_query is None:
        return
    page = int(got.op.get("page") or 1)
    await update.callback_query.answer()
    shown = cards.gap_card(got.view, got.p.lang, _zone(context), got.here, page)
    await _edit(update, context, got.message, shown)


async def on_submit(update: Update, context: Ctx) -> None:
    """📤 on the card: the card asks to confirm (with the gap count); ↩ goes back."""
    got = await _look(update, context, "s")
    if got is None or update.callback_query is None:
        return
    p, _op, message, v, here = got
    if not p.can_answer(v.assessment.community_id):
        return await _refuse(update, p.lang, CheckError("no_permission"))
    refusal = _not_submittable(v, p.lang, _zone(context))
    if refusal:
        await update.callback_query.answer(alert(refusal), show_alert=True)
        return
    await update.callback_query.answer()
    buttons = cards.confirm_buttons(v, p.lang, _minute(context), back=here)
    text = cards.confirm_text(v, p.lang, _checks(context).outcome(v))
    await _edit(update, context, message, cards.Card(text, buttons))


async def on_confirm(update: Update, context: Ctx) -> None:
    """确认提交: submit (if the confirmation has not expired); a card shows itself locked."""
    got = await _look(update, context, "sy")
    if got is None or update.callback_query is None:
        return
    p, op, message, v, here = got
    if not p.can_answer(v.assessment.community_id):
        return await _refuse(update, p.lang, CheckError("no_permission"))
    age = _minute(context) - op.int("at")
    if not 0 <= age <= cards.CONFIRM_MINUTES:
        await update.callback_query.answer(t(p.lang, "confirm_expired"), show_alert=True)
        await _edit(update, context, message, _back(context, p, message, v, here))
        return
    text, handed = await _submit_text(context, v.assessment.id, p)
    await update.callback_query.answer()
    after = _checks(context).look(p, v.assessment.id).view
    is_card = _checks(context).card(message.chat_id, message.message_id) is not None
    if is_card:
        await _edit(update, context, message, _card(context, after, here, p.lang))
        await reply(update, text)
    else:
        await _edit(update, context, message, cards.Card(text))
    if handed is not None:
        await notices.flush(context)


def _back(context: Ctx, p: Principal, message: Message, v: View, here: str) -> cards.Card:
    """What an expired or cancelled confirmation turns back into: the card, or a short line."""
    if _checks(context).card(message.chat_id, message.message_id) is not None:
        return _card(context, v, here, p.lang, not p.can_answer(v.assessment.community_id))
    return cards.Card(t(p.lang, "submit_cancelled"))


async def on_cancel(update: Update, context: Ctx) -> None:
    """取消 on a /submit confirmation: nothing is submitted."""
    got = await _look(update, context, "sn")
    if got is None or update.callback_query is None:
        return
    p, _op, message, v, here = got
    await update.callback_query.answer(t(p.lang, "submit_cancelled"))
    await _edit(update, context, message, _back(context, p, message, v, here))


async def on_prompt(update: Update, context: Ctx) -> None:
    """📎 / ✏️: ask for a file or a note on the item (a selective ForceReply)."""
    query = update.callback_query
    action = "e" if query is not None and (query.data or "").startswith("e:") else "o"
    got = await _look(update, context, action)
    if got is None or query is None:
        return
    qid = str(got.op.get("qid"))
    if qid not in got.view.standard.question_index:
        return await _refuse(update, got.p.lang, CheckError("stale"))
    if got.readonly:
        locked = got.view.assessment.locked
        return await _refuse(
            update, got.p.lang, CheckError("locked" if locked else "no_permission")
        )
    refused = _checks(context).refusal(got.p, got.view.assessment.id, qid)
    if refused is not None:  # sent back, but not this item; a past year's check
        return await _refuse(update, got.p.lang, refused)
    await query.answer()
    key = "evidence_prompt" if action == "e" else "note_prompt"
    await _ask(update, context, got.p, got.message, got.view, qid, key)


async def _ask(
    update: Update, context: Ctx, p: Principal, message: Message, v: View, qid: str, key: str
) -> None:
    """Send a prompt naming the community and the item; a note prompt shows the note it replaces."""
    row = v.rows.get(qid)
    old = row.note if row is not None else None
    current = ""
    if key != "evidence_prompt" and old:
        current = "\n" + t(p.lang, "note_current", note=escape(old))
    text = t(p.lang, key, who=_mention(update), qid=qid, limit=NOTE_MAX,
             community=escape(v.assessment.community)) + current  # fmt: skip
    await evidence.retire_prompt(context, message.chat_id, p.user_id)  # one prompt at a time
    prompt = await message.reply_text(
        text, parse_mode=ParseMode.HTML, reply_markup=ForceReply(selective=True)
    )
    kind = "evidence" if key == "evidence_prompt" else "note"
    where = (message.chat_id, prompt.message_id)
    await unit(lambda: _checks(context).ask(p, v.assessment.id, qid, kind, where))


async def on_pick(update: Update, context: Ctx) -> None:
    """A community chosen from the pick list."""
    p = who(update, context)
    query = update.callback_query
    op = callbacks.decode(query.data if query else None)
    if query is None or op is None:
        return
    cid = op.int("cid")
    if not p.can_answer(cid):
        await query.answer(t(p.lang, "no_permission"), show_alert=True)
        return
    try:
        opened = await unit(lambda: _checks(context).open(p, cid))
    except Refused as exc:
        return await _refuse(update, p.lang, exc)
    await query.answer()
    await _send_opened(update, context, p, opened, readonly=False)


# -- notes and evidence ------------------------------------------------------------------------


def _to_bot(update: Update, context: Ctx) -> bool:
    """Return whether the message replies to one of the bot's own messages."""
    msg = update.effective_message
    to = msg.reply_to_message if msg else None
    return bool(to and to.from_user and to.from_user.id == context.bot.id)


def _to_used_prompt(update: Update, context: Ctx) -> bool:
    """Whether the text replies to one of our ✏️ prompts that no longer takes a note."""
    msg = update.effective_message
    to = msg.reply_to_message if msg else None
    return _to_bot(update, context) and bool(to and (to.text or "").startswith("✏️"))


def _target(update: Update, context: Ctx, p: Principal, kind: str) -> tuple[int, str] | None:
    """Find which check item a reply or upload belongs to.

    In order: a reply to the user's 📎/✏️ prompt or to a card; the earlier files of the same
    album; in a private chat, a fresh prompt of the same kind (a note prompt takes text, an
    evidence prompt takes files).
    """
    msg = update.effective_message
    chat = update.effective_chat
    if msg is None or chat is None:
        return None
    checks = _checks(context)
    prompt = checks.prompt(chat.id, p.user_id)
    to = msg.reply_to_message
    if to is not None:
        if prompt and prompt.message_id == to.message_id:
            return prompt.aid, prompt.qid
        card = checks.card(chat.id, to.message_id)
        if card:
            return card
    if msg.media_group_id:
        album = checks.album_target(chat.id, msg.media_group_id)
        if album:
            return album
    if prompt and prompt.fresh and prompt.kind == kind and chat.type == ChatType.PRIVATE:
        return prompt.aid, prompt.qid
    if kind == "evidence" and chat.type == ChatType.PRIVATE:  # the item on the card
        return svc(context).evidence.looking_at(chat.id)
    return None


def answering(update: Update, context: Ctx, p: Principal) -> Prompt | None:
    """The user's pending prompt this message answers: a reply to it, or (in a private chat) a
    message while it is fresh. One table holds every kind of prompt (bot.store.prompts)."""
    msg, chat = update.effective_message, update.effective_chat
    if msg is None or chat is None:
        return None
    prompt = _checks(context).prompt(chat.id, p.user_id)
    if prompt is None:
        return None
    to = msg.reply_to_message
    if to is not None:
        return prompt if to.message_id == prompt.message_id else None
    return prompt if prompt.fresh and chat.type == ChatType.PRIVATE else None


async def on_text(update: Update, context: Ctx) -> None:
    """A text answers the user's prompt: a review comment or reason, a field of a form, a spot
    check's or 公示's reply, or a note (also replied to the card); otherwise explain how to
    answer."""
    msg = update.effective_message
    if msg is None or msg.text is None:
        return
    p = who(update, context)
    lang = p.lang
    prompt = answering(update, context, p)
    if prompt is not None and await _answered_elsewhere(update, context, prompt):
        return
    target = _target(update, context, p, "note")
    if target is None:
        if _to_used_prompt(update, context) and p.registered:
            await reply(update, t(lang, "prompt_used"))
        elif update.effective_chat and update.effective_chat.type == ChatType.PRIVATE:
            await reply(update, t(lang, "text_hint" if p.registered else "not_registered"))
        return
    checks, text = _checks(context), msg.text
    clear = text.strip().lower() in NOTE_CLEAR_WORDS
    try:
        noted = await unit(lambda: checks.note(p, target[0], target[1], None if clear else text))
    except Refused as exc:
        await reply(update, refusal(exc, lang))
        return
    text = _noted_text(lang, target[1], clear, noted)
    await evidence.acknowledge(update, context, p, target, text, react=False)
    await unit(lambda: checks.clear_prompt(msg.chat_id, p.user_id))


async def _answered_elsewhere(update: Update, context: Ctx, prompt: Prompt) -> bool:
    """Give a text to the module whose prompt it answers (False: a note or evidence prompt,
    the check card's own)."""
    if prompt.kind in ("comment", "reason"):
        await review.answer_prompt(update, context, prompt)
    elif prompt.kind == "form":
        await status.answer_form(update, context, prompt)
    elif prompt.kind.startswith(spotchecks.KINDS):
        await spotchecks.on_reply(update, context, prompt)
    elif prompt.kind == "action":
        await reply(update, t(who(update, context).lang, "ax_send_a_file"))
    else:
        return False
    return True


def _noted_text(lang: str, qid: str, clear: bool, noted: Noted) -> str:
    """Say what happened to the note: saved, replaced (showing the old one), cleared, unchanged."""
    if clear:
        return t(lang, "note_cleared" if noted.changed else "note_none", qid=qid)
    if not noted.changed:
        return t(lang, "note_unchanged", qid=qid)
    if noted.old:
        return t(lang, "note_replaced", qid=qid, old=escape(noted.old))
    return t(lang, "note_saved", qid=qid)


def file_info(msg: Message) -> dict[str, Any] | None:
    if msg.photo:
        ph = msg.photo[-1]  # the largest size
        return {"kind": "photo", "file_id": ph.file_id, "file_unique_id": ph.file_unique_id,
                "file_size": ph.file_size}  # fmt: skip
    doc = msg.document
    if doc is not None:
        suffix = PurePosixPath(doc.file_name or "").suffix.lower()
        mime = doc.mime_type or ""
        known_type = mime.startswith("image/") or mime == "application/pdf"
        if (suffix and suffix not in DOC_SUFFIXES) or (not suffix and not known_type):
            return None
        return {"kind": "document", "file_id": doc.file_id, "file_unique_id": doc.file_unique_id,
                "file_name": doc.file_name, "mime_type": doc.mime_type,
                "file_size": doc.file_size}  # fmt: skip
    return None


async def on_file(update: Update, context: Ctx) -> None:
    """Attach a photo or document (or every file of an album) to the item it answers."""
    msg = update.effective_message
    if msg is None:
        return
    p = who(update, context)
    checks = _checks(context)
    album_seen = bool(msg.media_group_id) and (
        checks.album_target(msg.chat_id, msg.media_group_id or "") is not None
    )
    if _is_group(update) and not (_to_bot(update, context) or album_seen):
        return  # an ordinary group message: not for us
    info = file_info(msg)
    if info is None:
        await reply(update, t(p.lang, "unsupported_file"))
        return
    if await evidence.refuse_too_big(update, context, info, p.lang):  # over the size limit
        return
    prompt = answering(update, context, p)
    if prompt is not None and prompt.kind == "action" and prompt.action_id is not None:
        info.update(chat_id=msg.chat_id, message_id=msg.message_id)
        await actions.take_file(update, context, prompt.action_id, info)
        return
    if prompt is not None and prompt.kind.startswith(spotchecks.KINDS):
        await spotchecks.on_file(update, context, prompt, info)
        return
    if prompt is not None and prompt.kind in ("form", "comment", "reason"):
        await reply(update, t(p.lang, "prompt_wants_text"))
        return
    target = _target(update, context, p, "evidence")
    if target is None:
        if not album_seen:
            await reply(update, t(p.lang, "evidence_where"))
        return
    info.update(media_group_id=msg.media_group_id, chat_id=msg.chat_id, message_id=msg.message_id)
    await _attach(update, context, p, target, info, album_seen)


async def _attach(
    update: Update,
    context: Ctx,
    p: Principal,
    target: tuple[int, str],
    info: dict[str, Any],
    album_seen: bool,
) -> None:
    aid, qid = target
    try:
        done = await unit(lambda: _checks(context).attach(p, aid, qid, info))
    except Refused as exc:
        await reply(update, refusal(exc, p.lang))
        return
    if done.added:  # download into the file store, off the tap path
        evidence.schedule_fetch(context, aid, qid, info, p.lang)
    if album_seen:
        return  # one confirmation per album
    if info.get("media_group_id"):
        text = t(p.lang, "evidence_album", qid=qid)
    elif not done.added:
        text = t(p.lang, "evidence_dup", qid=qid)
    else:
        text = plural(p.lang, done.files, "evidence_saved", qid=qid)
    # no new message: edit the prompt (or react), redraw the card
    await evidence.acknowledge(update, context, p, target, text, react=True)


async def on_unsupported(update: Update, context: Ctx) -> None:
    """Explain which files can be attached (in groups, only to replies to the bot)."""
    if _is_group(update) and not _to_bot(update, context):
        return
    await reply(update, t(who(update, context).lang, "unsupported_file"))
