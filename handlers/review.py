"""The review chain in Telegram: /review, the review card, 通过 / 退回, /publish, /history.

Buttons (handlers/callbacks.py, "review" section): rv:o open · rv:q item · rv:a verified answer
· rv:k confirm · rv:m comment prompt · rv:f files · rv:y approve · rv:n send back (reason
prompt) · rv:p record 公示/公布. A reason or comment is a reply to the bot's prompt (a
ForceReply whose text starts with the prompt's marker). `handed_over` is the one call the
worker's /submit makes; `street_invite` the one call /invite street makes.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from html import escape
from typing import Any

from telegram import ForceReply, Message, Update
from telegram.ext import (
    ApplicationHandlerStop,
    CallbackQueryHandler,
    CommandHandler,
    MessageHandler,
    filters,
)

from bot.domain.access import Principal
from bot.domain.answers import CheckError
from bot.services.reviews import Reviews, find_streets
from bot.services.reviews import street_invite as street_invite_code
from bot.services.roster import find_community
from bot.texts import plural, t
from handlers import callbacks, evidence, review_cards
from handlers.cards import Card
from handlers.common import (
    Ctx,
    busy_guard,
    command_arg,
    edit_card,
    every,
    one_match,
    reply,
    svc,
    unit,
    who,
)
from handlers.delivery import Delivery, Report, send_paced
from handlers.reminders import delivery_of

PROMPT_MARK = "↩"  # every reply prompt's text starts with it (rv_prompt_* texts)

BUTTONS = (
    ("rv:o", "on_open"), ("rv:q", "on_item"), ("rv:a", "on_verify"), ("rv:k", "on_verify"),
    ("rv:m", "on_comment"), ("rv:f", "on_files"), ("rv:y", "on_approve"),
    ("rv:n", "on_back"), ("rv:p", "on_publish"), ("rv:w", "on_fix"),
)  # fmt: skip


class _PromptReply(filters.MessageFilter):
    """A text replying to one of our review prompts."""

    def filter(self, message: Message) -> bool:
        r = message.reply_to_message
        return bool(r and r.text and r.text.startswith(PROMPT_MARK) and message.text)


log = logging.getLogger(__name__)
JOB_NAME = "greencheck-review-reminders"
TICK_SECONDS = 3600


def register(app: Any) -> None:
    """Commands, buttons, the reply to a prompt (before the check's text handler); the job."""
    app.add_handler(CommandHandler("review", busy_guard(review)))
    app.add_handler(CommandHandler("publish", busy_guard(publish)))
    app.add_handler(CommandHandler("history", busy_guard(history)))
    for action, name in BUTTONS:
        fn = busy_guard(globals()[name])
        app.add_handler(CallbackQueryHandler(fn, pattern=callbacks.pattern(action)))
    app.add_handler(MessageHandler(_PromptReply(), busy_guard(on_reply)))
    schedule(app)


# -- reviewer reminders -----------------------------------------------------------------------


def schedule(app: Any) -> None:
    """Run `tick` every TICK_SECONDS under one deterministic name (re-registering replaces it)."""
    every(app, tick, TICK_SECONDS, JOB_NAME)


async def tick(context: Ctx) -> None:
    s = svc(context)
    await remind_reviewers(context.bot, s, s.clock.now(), delivery_of(context.application))


async def remind_reviewers(bot: Any, s: Any, now: dt.datetime, delivery: Delivery) -> Report:
    """Remind the reviewers of checks waiting too long: each claimed in the reminder log
    before it is sent (bot.services.reminders.claim / finish), so it leaves once."""
    from bot.services import reminders as rem

    report = Report()
    for d, w in s.reviews.overdue(now):
        report.due += 1
        if not rem.claim(s.db, s.program.id, d, now):
            report.skipped += 1
            continue
        text = plural(d.lang, -d.lead, "rv_remind", community=escape(w.community),
                      stage=escape(w.stage))  # fmt: skip
        buttons = [[(t(d.lang, "rv_btn_look"), callbacks.encode("rv:o", w.assessment_id))]]
        status, error = await send_paced(bot, d.recipient, text, buttons, delivery, report)
        rem.finish(s.db, s.program.id, d, status, error, now)
        report.sent += status == "sent"
    return report


def _reviews(context: Ctx) -> Reviews:
    return svc(context).reviews


async def _send(context: Ctx, chat_ids: list[int], render: Callable[[str], Card]) -> int:
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


async def handed_over(context: Ctx, p: Principal, aid: int) -> None:
    """After a successful /submit: enter the first stage (or the one that sent it back), notify."""
    s = svc(context)
    handed = await unit(lambda: s.reviews.handover(p, aid, s.clock.now()))
    if handed is None:
        return
    d = s.reviews.current(aid)
    await _send(context, handed.reviewers, lambda lang: review_cards.notice(d, lang, handed.again))


async def street_invite(update: Update, context: Ctx, p: Principal, name: str) -> None:
    """/invite street <街道>: a single-use invite for a street reviewer."""
    s = svc(context)
    if not name:
        await reply(update, t(p.lang, "invite_usage"))
        return
    streets = find_streets(s.db, name)
    found = await one_match(update, p.lang, name, [(i, n) for i, n, _ in streets])
    if found is None:
        return
    street = next(x for x in streets if x[0] == found[0])
    days = s.settings.invite_days
    code = await unit(lambda: street_invite_code(s.db, street, p.user_id, s.clock.now(), days))
    user = (await context.bot.get_me()).username
    link = f"https://t.me/{user}?start={code}"
    await reply(update, t(p.lang, "rv_invite", street=escape(found[1]), code=code, link=link,
                          days=days))  # fmt: skip


# -- commands ---------------------------------------------------------------------------------


async def review(update: Update, context: Ctx) -> None:
    """/review: what waits for me, oldest first."""
    p = who(update, context)
    r = _reviews(context)
    if not r.is_reviewer(p):
        await reply(update, t(p.lang, "rv_not_reviewer"))
        return
    items = r.queue(p)
    c = review_cards.queue(items, svc(context).clock, p.lang)
    to_publish = [w for w in r.listing(p) if w.state == "recognised"] if p.admin else []
    c = review_cards.with_publish(c, to_publish, p.lang)
    await reply(update, c.text, c.buttons)


async def _community(update: Update, context: Ctx, p: Principal) -> tuple[int, str] | None:
    arg = command_arg(context)
    if not arg:
        await reply(update, t(p.lang, "rv_need_community"))
        return None
    return await one_match(update, p.lang, arg, find_community(svc(context).db, arg))


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
    except CheckError as exc:
        await reply(update, t(p.lang, f"rv_err_{exc.code}"))
        return
    await reply(update, review_cards.history(found[1], events, svc(context).clock, p.lang))


async def publish(update: Update, context: Ctx) -> None:
    """/publish <社区>: record the next publish step (公示, 公布) of a recognised check."""
    p = who(update, context)
    found = await _community(update, context, p)
    if found is None:
        return
    s = svc(context)
    a = s.checks.for_community(found[0])
    try:
        if a is None:
            raise CheckError("no_check")
        moved = await unit(lambda: s.reviews.publish(p, a.id, s.clock.now()))
    except CheckError as exc:
        await reply(update, t(p.lang, f"rv_err_{exc.code}"))
        return
    await reply(update, t(p.lang, "rv_published", community=escape(found[1]),
                          stage=escape(moved.done.name)))  # fmt: skip


# -- buttons ----------------------------------------------------------------------------------


async def _op(update: Update, context: Ctx, p: Principal) -> tuple[callbacks.Op, Message] | None:
    q = update.callback_query
    op = callbacks.decode(q.data if q else None)
    if op is None or q is None or not isinstance(q.message, Message):
        if q is not None:
            await q.answer(t(p.lang, "stale"), show_alert=True)
        return None
    return op, q.message


async def _refuse(update: Update, lang: str, code: str) -> None:
    if update.callback_query is not None:
        await update.callback_query.answer(t(lang, f"rv_err_{code}"), show_alert=True)


async def _show(update: Update, context: Ctx, aid: int, qid: str | None, f: str) -> None:
    p = who(update, context)
    got = await _op(update, context, p)
    if got is None:
        return
    r = _reviews(context)
    try:
        d = r.detail(p, aid)
        acting = r.acts_on(p, d)
    except CheckError as exc:
        return await _refuse(update, p.lang, exc.code)
    qid = qid if qid in d.view.standard.question_index else review_cards.items(d, f)[0]
    if update.callback_query:
        await update.callback_query.answer()
    c = review_cards.card(d, qid, f, p.lang, acting)
    await edit_card(got[1], evidence.with_item_flags(context, c, aid, qid, p.lang))  # issue 12


async def on_open(update: Update, context: Ctx) -> None:
    op = callbacks.decode(update.callback_query.data if update.callback_query else None)
    if op is not None:
        await _show(update, context, op.int("aid"), None, review_cards.GAPS)


async def on_item(update: Update, context: Ctx) -> None:
    op = callbacks.decode(update.callback_query.data if update.callback_query else None)
    if op is not None:
        await _show(update, context, op.int("aid"), op.get("qid"), op.get("f") or "a")


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
        d = await unit(lambda: s.reviews.verify(p, aid, qid, code, s.clock.now()))
    except CheckError as exc:
        return await _refuse(update, p.lang, exc.code)
    if update.callback_query:
        await update.callback_query.answer(t(p.lang, "rv_verified_saved"))
    c = review_cards.card(d, qid, op.get("f") or "a", p.lang, True)
    await edit_card(message, evidence.with_item_flags(context, c, aid, qid, p.lang))  # issue 12


async def _prompt(update: Update, context: Ctx, kind: str, aid: int, qid: str) -> None:
    p = who(update, context)
    s = svc(context)
    try:
        s.reviews.may_act(p, aid)
    except CheckError as exc:
        return await _refuse(update, p.lang, exc.code)
    if update.callback_query:
        await update.callback_query.answer()
    message = update.effective_message
    if message is None:
        return
    msg = await message.reply_text(
        t(p.lang, f"rv_prompt_{kind}", id=escape(qid)),
        parse_mode="HTML",
        reply_markup=ForceReply(selective=True),
    )
    if msg is not None:
        card = (msg.chat_id, msg.message_id)
        await unit(lambda: s.reviews.ask(p, card, (kind, aid, qid), s.clock.now()))


async def on_comment(update: Update, context: Ctx) -> None:
    op = callbacks.decode(update.callback_query.data if update.callback_query else None)
    if op is not None:
        await _prompt(update, context, "comment", op.int("aid"), str(op.get("qid")))


async def on_back(update: Update, context: Ctx) -> None:
    op = callbacks.decode(update.callback_query.data if update.callback_query else None)
    if op is not None:
        await _prompt(update, context, "reason", op.int("aid"), "")


async def on_reply(update: Update, context: Ctx) -> None:
    """The reply to a prompt: an item comment, or the reason that sends the check back."""
    msg = update.effective_message
    if msg is None or msg.reply_to_message is None or not msg.text:
        return
    s, p = svc(context), who(update, context)
    target = s.reviews.prompt(msg.chat_id, msg.reply_to_message.message_id)
    if target is None or target[0] != p.user_id:
        raise ApplicationHandlerStop
    _, kind, qid, aid = target
    try:
        if kind == "comment":
            await unit(lambda: s.reviews.comment(p, aid, qid, msg.text or "", s.clock.now()))
            await reply(update, t(p.lang, "rv_comment_saved", id=escape(qid)))
            return
        back = await unit(lambda: s.reviews.send_back(p, aid, msg.text or "", s.clock.now()))
    except CheckError as exc:
        await reply(update, t(p.lang, f"rv_err_{exc.code}"))
        return
    await reply(update, plural(p.lang, len(back.reopened), "rv_back_done",
                               community=escape(back.community)))  # fmt: skip
    await _send(context, back.workers, lambda lang: review_cards.sent_back(back, aid, lang))


async def on_approve(update: Update, context: Ctx) -> None:
    """通过: the next stage is told; the last review stage recognises the community."""
    p = who(update, context)
    got = await _op(update, context, p)
    if got is None:
        return
    s, aid = svc(context), got[0].int("aid")
    try:
        moved = await unit(lambda: s.reviews.approve(p, aid, s.clock.now()))
    except CheckError as exc:
        return await _refuse(update, p.lang, exc.code)
    if update.callback_query:
        await update.callback_query.answer(t(p.lang, "rv_approved"))
    d = s.reviews.current(aid)
    key = "rv_moved" if moved.state == "waiting" else f"rv_now_{moved.state}"
    text = t(p.lang, key, community=escape(d.view.assessment.community),
             stage=escape(moved.next.name if moved.next else moved.done.name))  # fmt: skip
    await edit_card(got[1], Card(text, _publish_row(aid, moved, p.lang)))
    await _send(context, moved.notify, lambda lang: review_cards.notice(d, lang))


def _publish_row(aid: int, moved: Any, lang: str) -> list[list[tuple[str, str]]]:
    if moved.state != "recognised" or moved.next is None:
        return []
    label = t(lang, "rv_btn_publish", stage=moved.next.name)
    return [[(label, callbacks.encode("rv:p", aid))]]


async def on_publish(update: Update, context: Ctx) -> None:
    """The city records 公示 / 公布 from the card (the same as /publish)."""
    await on_approve(update, context)


async def on_fix(update: Update, context: Ctx) -> None:
    """The worker opens the card on a reopened item; the reviewer's comment shows on top."""
    p = who(update, context)
    got = await _op(update, context, p)
    if got is None:
        return
    op, message = got
    s, aid, qid = svc(context), op.int("aid"), str(op.get("qid"))
    try:
        look = s.checks.look(p, aid)
        d = s.reviews.detail(p, aid)
    except CheckError as exc:
        return await _refuse(update, p.lang, exc.code)
    if qid not in look.view.standard.question_index:
        return await _refuse(update, p.lang, "stale")
    if update.callback_query:
        await update.callback_query.answer()
    card = (message.chat_id, message.message_id)
    await unit(lambda: s.checks.show(card, aid, qid))
    await edit_card(
        message, review_cards.worker_card(look.view, qid, d.comments, p.lang, s.clock.zone)
    )


async def on_files(update: Update, context: Ctx) -> None:
    """Send an item's photos and documents (from the stored file ids)."""
    p = who(update, context)
    got = await _op(update, context, p)
    if got is None:
        return
    s, aid, qid = svc(context), got[0].int("aid"), str(got[0].get("qid"))
    try:
        found = s.reviews.files(p, aid, qid)
    except CheckError as exc:
        return await _refuse(update, p.lang, exc.code)
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
    except CheckError:
        return ""
    if d.review is None:
        return ""
    return "\n\n" + review_cards.verified_block(d, r.verified_by(d.view.assessment.id), p.lang)


def stage_note(context: Ctx, p: Principal) -> str:
    """/status and the progress table: checks waiting per stage, and which 达标 is verified."""
    if not p.staff:
        return ""
    summary = _reviews(context).summary(p)
    if not summary.verified and not any(n for _, n in summary.waiting) and not summary.returned:
        return ""
    return "\n\n" + review_cards.summary_note(summary, p.lang)
