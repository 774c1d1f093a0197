"""The review chain in Telegram: /review, the review card, 通过 / 退回, /publish, /history.

Buttons (handlers/callbacks.py, "review" section), each naming the check and, for a decision,
the stage it was drawn for: rv:o open · rv:q item · rv:a verified answer · rv:k confirm ·
rv:m comment prompt · rv:f files · rv:t the 目录 (every item, a page at a time) · rv:y approve
(or record 公示/公布/授牌) · rv:Y approve a failing check after the warning · rv:n send back
(reason prompt) · rv:w the worker's card on a reopened item. A reason or comment is a reply to the bot's prompt (a ForceReply whose text
starts with the prompt's marker). `deliver` sends the notices a use case returns.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from functools import partial
from html import escape
from typing import Any

from telegram import ForceReply, Message, Update

from bot.domain.access import Principal, is_reviewer
from bot.domain.errors import Refused, ReviewError
from bot.services.checks import Prompt
from bot.services.reviews import Detail, Reviews
from bot.texts import plural, t
from bot.texts.layout import alert
from bot.texts.refusals import refusal
from handlers import callbacks, evidence, notices, review_cards
from handlers.cards import Card
from handlers.common import (
    Ctx,
    command_arg,
    edit_card,
    every,
    one_match,
    reply,
    svc,
    unit,
    who,
)
from handlers.delivery import Delivery, Report, delivery_of, send_paced

log = logging.getLogger(__name__)
JOB_NAME = "greencheck-review-reminders"
TICK_SECONDS = 3600


# -- reviewer reminders -----------------------------------------------------------------------


def schedule(app: Any) -> None:
    """Run `tick` every TICK_SECONDS under one deterministic name (re-registering replaces it)."""
    every(app, tick, TICK_SECONDS, JOB_NAME)


async def tick(context: Ctx) -> None:
    s = svc(context)
    await remind_reviewers(context.bot, s, s.clock.now(), delivery_of(context.application))


async def remind_reviewers(bot: Any, s: Any, now: dt.datetime, delivery: Delivery) -> Report:
    """Remind the reviewers of checks waiting too long: each claimed in the reminder log
    before it is sent (Reminders.claim / finish, bot.services.reminders), so it leaves once."""
    report = Report()
    for d, w in s.reviews.overdue(now):
        report.due += 1
        if not await unit(partial(s.reminders.claim, d, now)):
            report.skipped += 1
            continue
        text = plural(d.lang, -d.lead, "rv_remind", community=escape(w.community),
                      stage=escape(w.stage))  # fmt: skip
        buttons = [[(t(d.lang, "rv_btn_look"), callbacks.encode("rv:o", w.assessment_id))]]
        status, error = await send_paced(bot, d.recipient, text, buttons, delivery, report)
        await unit(partial(s.reminders.finish, d, status, error, now))
        report.sent += status == "sent"
    return report


def _reviews(context: Ctx) -> Reviews:
    return svc(context).reviews


async def _send(context: Ctx, chat_ids: tuple[int, ...], render: Callable[[str], Card]) -> int:
    """Send a card to each chat in its user's language, paced like reminders; the unreachable
    are skipped. Return how many got it."""
    langs = _reviews(context).langs(list(dict.fromkeys(chat_ids)))
    delivery = delivery_of(context.application)
    sent = 0
    for chat_id, lang in langs.items():
        c = render(lang)
        status, _ = await send_paced(context.bot, chat_id, c.text, c.buttons, delivery)
        sent += status == "sent"
    return sent


# -- the hooks others call --------------------------------------------------------------------


async def street_invite(update: Update, context: Ctx, p: Principal, name: str) -> None:
    """/invite street <街道>: a single-use invite for a street reviewer."""
    s = svc(context)
    if not name:
        await reply(update, t(p.lang, "invite_usage"))
        return
    streets = s.people.find_streets(name)
    found = await one_match(update, p.lang, name, [(i, n) for i, n, _ in streets])
    if found is None:
        return
    street = next(x for x in streets if x[0] == found[0])
    days = s.settings.invite_days
    code = await unit(lambda: s.people.street_invite(street, p.user_id, days))
    user = (await context.bot.get_me()).username
    link = f"https://t.me/{user}?start={code}"
    await reply(update, t(p.lang, "rv_invite", street=escape(found[1]), code=code, link=link,
                          days=days))  # fmt: skip


# -- commands ---------------------------------------------------------------------------------


async def review(update: Update, context: Ctx) -> None:
    """/review: what waits for me, oldest first."""
    p = who(update, context)
    if not is_reviewer(p):
        await reply(update, t(p.lang, "rv_not_reviewer"))
        return
    c = review_cards.queue(_reviews(context).queue(p), svc(context).clock, p.lang)
    await reply(update, c.text, c.buttons)


async def _community(update: Update, context: Ctx, p: Principal) -> tuple[int, str] | None:
    arg = command_arg(context)
    if not arg:
        await reply(update, t(p.lang, "rv_need_community"))
        return None
    return await one_match(update, p.lang, arg, svc(context).roster.find_community(arg))


def _error(context: Ctx, lang: str, exc: Refused, html: bool = True) -> str:
    """The catalogue text of a refused review action (its `at` in local time)."""
    return refusal(exc, lang, svc(context).clock.zone, html)


async def history(update: Update, context: Ctx) -> None:
    """/history <社区>: every transition, verification and comment."""
    p = who(update, context)
    found = await _community(update, context, p)
    if found is None:
        return
    r = _reviews(context)
    try:
        d = r.for_community(p, found[0])
        events = r.history(p, d.view.assessment.id)
    except Refused as exc:
        await reply(update, _error(context, p.lang, exc))
        return
    await reply(update, review_cards.history(found[1], events, svc(context).clock, p.lang))


def _days_arg(context: Ctx) -> int | None:
    """/publish 社区 7: the trailing number of days of a 公示 (taken off the arguments)."""
    args = context.args or []
    if len(args) > 1 and args[-1].isascii() and args[-1].isdigit():
        context.args = args[:-1]
        return int(args[-1])
    return None


async def publish(update: Update, context: Ctx) -> None:
    """/publish <社区> [天数]: record the stage a recognised check waits at (公示 with its
    number of days, 公布, 授牌)."""
    p = who(update, context)
    days = _days_arg(context)
    found = await _community(update, context, p)
    if found is None:
        return
    s = svc(context)
    try:
        d = s.reviews.for_community(p, found[0])
        if d.stage is None or d.stage.verifies or not d.acts:
            raise ReviewError("not_recognised")
        stage = d.stage
        aid = d.view.assessment.id
        moved = await unit(lambda: s.reviews.approve(p, aid, stage.index, days=days))
    except Refused as exc:
        await reply(update, _error(context, p.lang, exc))
        return
    await reply(update, t(p.lang, "rv_published", community=escape(found[1]),
                          stage=escape(moved.done.name)))  # fmt: skip
    await notices.flush(context)


# -- buttons ----------------------------------------------------------------------------------


async def _op(update: Update, context: Ctx, p: Principal) -> tuple[callbacks.Op, Message] | None:
    q = update.callback_query
    op = callbacks.decode(q.data if q else None)
    if op is None or q is None or not isinstance(q.message, Message):
        if q is not None:
            await q.answer(t(p.lang, "stale"), show_alert=True)
        return None
    return op, q.message


async def _refuse(update: Update, context: Ctx, lang: str, exc: Refused) -> None:
    if update.callback_query is not None:
        await update.callback_query.answer(
            alert(_error(context, lang, exc, False)), show_alert=True
        )


Looked = tuple[Principal, callbacks.Op, Message, Detail]


async def _looked(update: Update, context: Ctx) -> Looked | None:
    """The pressed button and the check it names, as its reader may see it (else refused)."""
    p = who(update, context)
    got = await _op(update, context, p)
    if got is None:
        return None
    try:
        d = _reviews(context).detail(p, got[0].int("aid"))
    except Refused as exc:
        await _refuse(update, context, p.lang, exc)
        return None
    if update.callback_query:
        await update.callback_query.answer()
    return p, got[0], got[1], d


async def _show(context: Ctx, got: Looked, qid: str | None, f: str) -> None:
    p, _, message, d = got
    qid = qid if qid in d.view.standard.question_index else review_cards.first(d, f)
    c = review_cards.card(d, qid, f, p.lang)
    aid = d.view.assessment.id
    await edit_card(message, evidence.with_item_flags(context, c, aid, qid, p.lang))


async def on_open(update: Update, context: Ctx) -> None:
    """查看: the card on the first item changed since the send-back, else the first issue."""
    got = await _looked(update, context)
    if got is not None:
        await _show(context, got, None, review_cards.GAPS)


async def on_item(update: Update, context: Ctx) -> None:
    got = await _looked(update, context)
    if got is not None:
        await _show(context, got, got[1].get("qid"), got[1].get("f") or "a")


async def on_toc(update: Update, context: Ctx) -> None:
    """📋 目录: every item with its verified mark, a page at a time; a tap jumps to the item."""
    got = await _looked(update, context)
    if got is None:
        return
    p, op, message, d = got
    here, page = str(op.get("qid")), int(op.get("page") or 1)
    await edit_card(message, review_cards.toc(d, here, op.get("f") or "a", page, p.lang))


async def on_verify(update: Update, context: Ctx) -> None:
    """A verified answer (the worker's buttons) or ✔ confirm the worker's answer."""
    p = who(update, context)
    got = await _op(update, context, p)
    if got is None:
        return
    op, message = got
    s, aid, qid = svc(context), op.int("aid"), str(op.get("qid"))
    code = op.get("code") or "k"
    try:
        d = await unit(lambda: s.reviews.verify(p, aid, op.int("stage"), qid, code))
    except Refused as exc:
        return await _refuse(update, context, p.lang, exc)
    if update.callback_query:
        await update.callback_query.answer(t(p.lang, "rv_verified_saved"))
    c = review_cards.card(d, qid, op.get("f") or "a", p.lang)
    await edit_card(message, evidence.with_item_flags(context, c, aid, qid, p.lang))


async def _prompt(update: Update, context: Ctx, kind: str, op: callbacks.Op) -> None:
    p = who(update, context)
    s, message = svc(context), update.effective_message
    aid, qid, index = op.int("aid"), op.get("qid") or "", op.int("stage")
    try:
        s.reviews.may_act(p, aid, index)
    except Refused as exc:
        return await _refuse(update, context, p.lang, exc)
    if message is None:
        return
    if update.callback_query:
        await update.callback_query.answer()
    msg = await message.reply_text(
        t(p.lang, f"rv_prompt_{kind}", id=escape(qid)),
        parse_mode="HTML",
        reply_markup=ForceReply(selective=True),
    )
    card = (msg.chat_id, msg.message_id)
    await unit(lambda: s.reviews.ask(p, card, (kind, aid, qid, index)))


async def on_comment(update: Update, context: Ctx) -> None:
    op = callbacks.decode(update.callback_query.data if update.callback_query else None)
    if op is not None:
        await _prompt(update, context, "comment", op)


async def on_back(update: Update, context: Ctx) -> None:
    op = callbacks.decode(update.callback_query.data if update.callback_query else None)
    if op is not None:
        await _prompt(update, context, "reason", op)


async def answer_prompt(update: Update, context: Ctx, prompt: Prompt) -> None:
    """The answer to a review prompt (handlers/check.py routes replies by the user's pending
    prompt): an item comment, or the reason that sends the check back."""
    msg = update.effective_message
    if msg is None or not msg.text:
        return
    s, p = svc(context), who(update, context)
    kind, qid, aid = prompt.kind, prompt.qid, prompt.aid
    index = s.reviews.stage_index(aid, prompt.stage)
    text = msg.text
    await unit(lambda: s.checks.clear_prompt(msg.chat_id, p.user_id))
    try:
        if kind == "comment":
            await unit(lambda: s.reviews.comment(p, aid, index, qid, text))
            await reply(update, t(p.lang, "rv_comment_saved", id=escape(qid)))
            return
        back = await unit(lambda: s.reviews.send_back(p, aid, index, text))
    except Refused as exc:
        await reply(update, _error(context, p.lang, exc))
        return
    await reply(update, plural(p.lang, len(back.reopened), "rv_back_done",
                               community=escape(back.community)))  # fmt: skip
    await notices.flush(context)


async def on_approve(update: Update, context: Ctx) -> None:
    """通过 at the stage the button was drawn for: the next stage is told; a failing check is
    refused where the stage attests and needs a second tap (rv:Y) elsewhere."""
    p = who(update, context)
    got = await _op(update, context, p)
    if got is None:
        return
    op, message = got
    s, aid, index = svc(context), op.int("aid"), op.int("stage")
    try:
        moved = await unit(lambda: s.reviews.approve(p, aid, index, op.action == "rv:Y"))
    except Refused as exc:
        if exc.code != "confirm_failing":
            return await _refuse(update, context, p.lang, exc)
        if update.callback_query:
            await update.callback_query.answer()
        return await edit_card(message, review_cards.confirm_failing(aid, exc.info, p.lang))
    if update.callback_query:
        await update.callback_query.answer(t(p.lang, "rv_approved"))
    await edit_card(message, Card(_moved_text(moved, moved.detail, p.lang)))
    await notices.flush(context)


def _moved_text(moved: Any, d: Any, lang: str) -> str:
    community = escape(d.view.assessment.community)
    if moved.withdrawn:
        return t(lang, "rv_now_withdrawn", community=community)
    if moved.next is None:
        return t(lang, "rv_now_done", community=community, stage=escape(moved.done.name))
    key = "rv_now_recognised" if moved.recognised else "rv_moved"
    return t(lang, key, community=community, stage=escape(moved.next.name))


async def on_files(update: Update, context: Ctx) -> None:
    """Send an item's photos and documents (from the stored file ids)."""
    p = who(update, context)
    got = await _op(update, context, p)
    if got is None:
        return
    s, aid, qid = svc(context), got[0].int("aid"), str(got[0].get("qid"))
    try:
        found = s.reviews.files(p, aid, qid)
    except Refused as exc:
        return await _refuse(update, context, p.lang, exc)
    if update.callback_query:
        await update.callback_query.answer(plural(p.lang, len(found), "rv_files"))
    chat = got[1].chat_id
    for kind, file_id in found:
        if kind == "photo":
            await context.bot.send_photo(chat, file_id)
        else:
            await context.bot.send_document(chat, file_id)


# -- additions to /community, /status and /export (handlers/status.py calls these) ------------


def verified_lines(context: Ctx, p: Principal, community_id: int) -> str:
    """/community: both totals and, per item, self-assessed vs verified where they differ."""
    r = _reviews(context)
    try:
        d = r.for_community(p, community_id)
    except Refused:
        return ""
    if d.review is None:
        return ""
    return "\n\n" + review_cards.verified_block(d, r.verified_by(d.view.assessment.id), p.lang)


def stage_note(context: Ctx, p: Principal) -> str:
    """/status: checks waiting per stage, sent back and recognised."""
    if not p.staff:
        return ""
    summary = _reviews(context).summary(p)
    if not any(n for _, n in summary.waiting) and not summary.returned and not summary.recognised:
        return ""
    return "\n\n" + review_cards.summary_note(summary, p.lang)
