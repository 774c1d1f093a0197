"""Spot checks (抽查) and 公示 in Telegram: /spotcheck, /publicity, /objection, the spot card,
the 公示 days and objection prompts.

/spotcheck [年份]                       the agreement figures (admins: the city; contacts: their
                                        county) and the spot checks assigned to you
/spotcheck draw 年份 数量 种子 [县区] [weighted|simple]   draw a sample (admins)
/spotcheck assign 社区 @检查人|ID [年份]   give it to an admin or that year's expert (admins)
/publicity                              the checks in 公示 with their periods
/objection 社区 来源 内容                 record an objection received during its 公示 (admins)

Buttons (handlers/callbacks.py, "spot checks" and "公示"): sp:o open · sp:q item · sp:a the
inspector's answer · sp:k the same as the community's · sp:m comment · sp:e photo · sp:f files
· sp:y decide · sp:w / sp:n the city confirms or declines a withdrawal · sp:x XLSX · pb:d
record 公示 (asks its days) · pb:v a check's objections · pb:u / pb:x uphold or dismiss one.
A reply to one of these prompts (kept in the prompts table, like every reply prompt, and routed
by handlers/check.py:on_text and on_file on its kind) answers it: a comment, a photo, a due
day, a reason, a number of days.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import io
import logging
from html import escape
from typing import Any

from telegram import ForceReply, Message, Update

from bot.domain import cycles, spotchecks
from bot.domain.access import Principal
from bot.domain.errors import Refused, SpotError
from bot.domain.publicity import DISMISSED, UPHELD
from bot.services.checks import Prompt
from bot.services.spotchecks import Decided, SpotDetail
from bot.texts import plural, t
from bot.texts.layout import alert
from bot.texts.refusals import refusal
from handlers import callbacks, evidence, notices, spot_cards
from handlers.cards import Card
from handlers.common import Ctx, edit_card, every, one_match, reply, svc, unit, who

log = logging.getLogger(__name__)
KINDS = ("sp_", "pb_")  # the prompts this module answers (a kind's prefix)
RETRY_JOB = "spot-files-retry"
RETRY_SECONDS = 300
_TASKS: set[asyncio.Task[Any]] = set()


async def _refuse(update: Update, context: Ctx, exc: Refused) -> None:
    lang, zone = who(update, context).lang, svc(context).clock.zone
    if update.callback_query is not None:
        text = refusal(exc, lang, zone, html=False)
        await update.callback_query.answer(alert(text), show_alert=True)
    else:
        await reply(update, refusal(exc, lang, zone))


# -- /spotcheck ----------------------------------------------------------------------------------


async def spotcheck(update: Update, context: Ctx) -> None:
    """/spotcheck [年份] · /spotcheck draw … · /spotcheck assign …"""
    p, args = who(update, context), list(context.args or [])
    if args and args[0] == "draw":
        return await _draw(update, context, p, args[1:])
    if args and args[0] == "assign":
        return await _assign(update, context, p, args[1:])
    year = cycles.parse_year(args[0]) if args else svc(context).clock.today().year
    if year is None or len(args) > 1:
        await reply(update, t(p.lang, "sp_usage"))
        return
    s, shown = svc(context), False
    if p.admin or p.counties:
        c = spot_cards.report(s.spotchecks.report(p, year), p.lang)
        await reply(update, c.text, c.buttons)
        shown = True
    mine = [x for x in s.spotchecks.listing(p, year) if x.inspector_id == p.user_id]
    if mine or not shown:
        c = spot_cards.spot_list(mine, p.lang, "sp_mine_title")
        await reply(update, c.text, c.buttons)


def _draw_args(args: list[str]) -> tuple[int, int, int, list[str]] | None:
    """year, n, seed and the rest, or None when they are not three numbers."""
    if len(args) < 3 or not all(a.isascii() and a.isdigit() for a in args[1:3]):
        return None
    year = cycles.parse_year(args[0])
    return (year, int(args[1]), int(args[2]), args[3:]) if year else None


async def _draw(update: Update, context: Ctx, p: Principal, args: list[str]) -> None:
    """/spotcheck draw 年份 数量 种子 [县区] [weighted|simple]"""
    s, parsed = svc(context), _draw_args(args)
    if parsed is None:
        await reply(update, t(p.lang, "sp_draw_usage"))
        return
    year, n, seed, rest = parsed
    flags = {w for w in rest if w in ("weighted", "simple")}
    names = " ".join(w for w in rest if w not in flags)
    options: dict[str, Any] = {"weighted": "weighted" in flags, "stratified": "simple" not in flags}
    if names:
        found = await one_match(update, p.lang, names, s.roster.find_county(names))
        if found is None:
            return
        options["county_id"] = found[0]
    try:
        done = await unit(lambda: s.spotchecks.draw(p, year, n, seed, options))
    except Refused as exc:
        return await _refuse(update, context, exc)
    await reply(update, spot_cards.drawn(done, p.lang, s.clock))


async def _assign(update: Update, context: Ctx, p: Principal, args: list[str]) -> None:
    """/spotcheck assign 社区 @检查人|ID [年份]"""
    s = svc(context)
    year = cycles.parse_year(args[2]) if len(args) == 3 else s.clock.today().year
    if len(args) not in (2, 3) or year is None:
        await reply(update, t(p.lang, "sp_assign_usage"))
        return
    found = await one_match(update, p.lang, args[0], s.roster.find_community(args[0]))
    inspector = s.people.find_user(args[1])
    if found is None:
        return
    spot = s.spotchecks.find(year, found[0])
    if spot is None or inspector is None:
        key = "sp_err_not_drawn" if spot is None else "sp_err_unknown_user"
        await reply(update, t(p.lang, key, community=escape(found[1]), year=year))
        return
    try:
        row = await unit(lambda: s.spotchecks.assign(p, spot.id, inspector))
    except Refused as exc:
        return await _refuse(update, context, exc)
    await reply(update, t(p.lang, "sp_assigned", community=escape(row.community),
                          inspector=escape(row.inspector or "-")))  # fmt: skip
    await notices.flush(context)


# -- the spot card -------------------------------------------------------------------------------


def _op(update: Update) -> tuple[callbacks.Op, Message] | None:
    q = update.callback_query
    op = callbacks.decode(q.data if q else None)
    if op is None or q is None or not isinstance(q.message, Message):
        return None
    return op, q.message


async def _show(
    update: Update, context: Ctx, d: SpotDetail, qid: str | None, toast: str = ""
) -> None:
    got = _op(update)
    if got is None:
        return
    std = d.view.standard
    qid = qid if qid in std.question_index else std.questions[0].id
    if update.callback_query:
        await update.callback_query.answer(toast or None)
    await edit_card(got[1], spot_cards.card(d, qid, who(update, context).lang))


async def on_open(update: Update, context: Ctx) -> None:
    """sp:o, sp:q: open the spot card (on an item)."""
    p, got = who(update, context), _op(update)
    if got is None:
        return
    try:
        d = svc(context).spotchecks.detail(p, got[0].int("id"))
    except Refused as exc:
        return await _refuse(update, context, exc)
    await _show(update, context, d, got[0].get("qid"))


async def on_verify(update: Update, context: Ctx) -> None:
    """sp:a, sp:k: the inspector's answer on an item (sp:k: as the community answered)."""
    p, got, s = who(update, context), _op(update), svc(context)
    if got is None:
        return
    op = got[0]
    qid, code = str(op.get("qid")), op.get("code") or "k"
    try:
        d = await unit(lambda: s.spotchecks.verify(p, op.int("id"), qid, code))
    except Refused as exc:
        return await _refuse(update, context, exc)
    await _show(update, context, d, qid, t(p.lang, "sp_saved"))


async def _ask(update: Update, context: Ctx, p: Principal, target: tuple[str, int, str, int | None],
               text: str) -> None:  # fmt: skip
    """Send a reply prompt (ForceReply) and remember what it is for."""
    msg = update.effective_message
    if msg is None:
        return
    if update.callback_query:
        await update.callback_query.answer()
    sent = await msg.reply_text(text, parse_mode="HTML", reply_markup=ForceReply(selective=True))
    card = (sent.chat_id, sent.message_id)
    try:
        await unit(lambda: svc(context).spotchecks.ask(p, card, target))
    except Refused as exc:  # it moved on between the button and the prompt
        await reply(update, refusal(exc, p.lang))


async def _inspector(update: Update, context: Ctx) -> tuple[Principal, callbacks.Op] | None:
    """The pressing user and the button, if they re-verify its spot check now."""
    p, got = who(update, context), _op(update)
    if got is None:
        return None
    try:
        d = svc(context).spotchecks.detail(p, got[0].int("id"))
        if not d.acts:
            raise SpotError("spot_closed" if d.spot.inspector_id == p.user_id else "not_yours")
    except Refused as exc:
        await _refuse(update, context, exc)
        return None
    return p, got[0]


async def on_prompt(update: Update, context: Ctx) -> None:
    """sp:m a comment, sp:e a photo: ask for it by reply."""
    found = await _inspector(update, context)
    if found is None:
        return
    p, op = found
    kind = "sp_comment" if op.action == "sp:m" else "sp_file"
    qid = str(op.get("qid"))
    await _ask(update, context, p, (kind, op.int("id"), qid, None),
               t(p.lang, f"sp_prompt_{kind}", id=escape(qid)))  # fmt: skip


async def on_decide(update: Update, context: Ctx) -> None:
    """sp:y: confirm at once; rectify asks for the due day, propose for the reason."""
    found = await _inspector(update, context)
    if found is None:
        return
    p, op = found
    outcome, sid = op.get("outcome") or "", op.int("id")
    if outcome in (spotchecks.RECTIFY, spotchecks.PROPOSE):
        kind = f"sp_{outcome}"
        return await _ask(update, context, p, (kind, sid, "", None), t(p.lang, f"sp_prompt_{kind}"))
    try:
        done = await unit(lambda: svc(context).spotchecks.decide(p, sid, outcome))
    except Refused as exc:
        return await _refuse(update, context, exc)
    await _decided(update, context, p, done)


async def _decided(update: Update, context: Ctx, p: Principal, done: Decided) -> None:
    """Say what the outcome did, over the spot card as it now is; tell who must know."""
    spot = done.spot
    text = t(p.lang, f"sp_decided_{spot.state}", community=escape(spot.community))
    if done.actions:
        text += "\n" + spot_cards.actions_opened(p.lang, len(done.actions), spot.community)
    q = update.callback_query
    if q is not None and isinstance(q.message, Message):
        await q.answer()
        d = svc(context).spotchecks.detail(p, spot.id)
        c = spot_cards.card(d, d.view.standard.questions[0].id, p.lang)
        await edit_card(q.message, Card(f"{text}\n\n{c.text}", c.buttons))
    else:
        await reply(update, text)
    await notices.flush(context)


async def on_city(update: Update, context: Ctx) -> None:
    """sp:w the city confirms a proposed withdrawal; sp:n it declines it."""
    p, got, s = who(update, context), _op(update), svc(context)
    if got is None:
        return
    sid = got[0].int("id")
    work = s.spotchecks.confirm_withdrawal if got[0].action == "sp:w" else s.spotchecks.decline
    try:
        done = await unit(lambda: work(p, sid))
    except Refused as exc:
        return await _refuse(update, context, exc)
    await _decided(update, context, p, done)


async def on_files(update: Update, context: Ctx) -> None:
    """sp:f: send an item's files, the community's and then the inspector's."""
    p, got, s = who(update, context), _op(update), svc(context)
    if got is None:
        return
    try:
        found = s.spotchecks.files(p, got[0].int("id"), str(got[0].get("qid")))
    except Refused as exc:
        return await _refuse(update, context, exc)
    if update.callback_query:
        await update.callback_query.answer(plural(p.lang, len(found), "rv_files"))
    for kind, file_id in found:
        send = context.bot.send_photo if kind == "photo" else context.bot.send_document
        await send(got[1].chat_id, file_id)


async def on_export(update: Update, context: Ctx) -> None:
    """sp:x: the agreement figures as XLSX (the shared table layout)."""
    from bot.files.spotchecks import agreement_xlsx

    p, got, s = who(update, context), _op(update), svc(context)
    if got is None:
        return
    try:
        r = s.spotchecks.report(p, got[0].int("year"))
    except Refused as exc:
        return await _refuse(update, context, exc)
    if update.callback_query:
        await update.callback_query.answer()
    buf = io.BytesIO()
    agreement_xlsx(s.program.region, r, buf, p.lang)
    name = f"{s.program.id}-spotcheck-{r.year}.xlsx"
    await context.bot.send_document(got[1].chat_id, document=buf.getvalue(), filename=name)


# -- 公示 ----------------------------------------------------------------------------------------


async def publicity(update: Update, context: Ctx) -> None:
    """/publicity: the checks in 公示 (or past it, waiting for 公布), with their periods."""
    p, s = who(update, context), svc(context)
    if not p.staff:
        await reply(update, t(p.lang, "rv_not_reviewer"))
        return
    c = spot_cards.publicity_list(s.publicity.listing(p), p.lang)
    await reply(update, c.text, c.buttons)


async def objection(update: Update, context: Ctx) -> None:
    """/objection 社区 来源 内容: an objection received during the community's 公示 (admins)."""
    p, s, args = who(update, context), svc(context), list(context.args or [])
    if len(args) < 3:
        await reply(update, t(p.lang, "pb_objection_usage"))
        return
    found = await one_match(update, p.lang, args[0], s.roster.find_community(args[0]))
    if found is None:
        return
    source, text = args[1], " ".join(args[2:])
    try:
        o = await unit(lambda: s.publicity.object(p, found[0], source, text))
    except Refused as exc:
        return await _refuse(update, context, exc)
    await reply(update, spot_cards.objection_saved(p.lang, o, found[1]),
                [[(t(p.lang, "rv_btn_look"), callbacks.encode("pb:v", o.assessment_id))]])  # fmt: skip


async def on_objections(update: Update, context: Ctx) -> None:
    """pb:v: a check's 公示 period and its objections."""
    p, got, s = who(update, context), _op(update), svc(context)
    if got is None:
        return
    try:
        d = s.reviews.detail(p, got[0].int("aid"))
        shown = s.publicity.show(p, d.view.assessment.community_id)
    except Refused as exc:
        return await _refuse(update, context, exc)
    if update.callback_query:
        await update.callback_query.answer()
    if shown is None:
        return
    c = spot_cards.objections(d.view.assessment.community, *shown, s.clock, p.lang)
    await edit_card(got[1], c if p.admin else Card(c.text))


async def on_publicise(update: Update, context: Ctx) -> None:
    """pb:d: record 公示 at its stage; the city is asked for its number of days unless the
    program's seed prints one."""
    p, got, s = who(update, context), _op(update), svc(context)
    if got is None:
        return
    aid, index = got[0].int("aid"), got[0].int("stage")
    stage = s.reviews.chain_of(aid).at(index)
    try:
        s.reviews.may_act(p, aid, index)
    except Refused as exc:
        return await _refuse(update, context, exc)
    if stage is not None and s.program.publicity_days(stage.name):
        return await _publicise(update, context, p, (aid, index), None)
    await _ask(update, context, p, ("pb_days", aid, "", index), t(p.lang, "pb_prompt_days"))


async def _publicise(
    update: Update, context: Ctx, p: Principal, at: tuple[int, int], days: int | None
) -> None:
    """Record the 公示 (its period starts today) and tell the next stage's people."""
    s = svc(context)
    try:
        moved = await unit(lambda: s.reviews.approve(p, at[0], at[1], days=days))
    except Refused as exc:
        return await _refuse(update, context, exc)
    if update.callback_query:
        await update.callback_query.answer()
    a = moved.detail.view.assessment
    found = s.publicity.show(p, a.community_id)
    period = spot_cards.period_text(p.lang, found[0]) if found else "-"
    await reply(update, t(p.lang, "pb_started", community=escape(a.community), period=period))
    await notices.flush(context)


async def on_resolve(update: Update, context: Ctx) -> None:
    """pb:u uphold, pb:x dismiss an objection: ask for the reason (admins)."""
    p, got = who(update, context), _op(update)
    if got is None:
        return
    kind = "pb_upheld" if got[0].action == "pb:u" else "pb_dismissed"
    oid = got[0].int("oid")
    try:
        svc(context).publicity.pending(p, oid)
    except Refused as exc:
        return await _refuse(update, context, exc)
    await _ask(update, context, p, (kind, oid, "", None), t(p.lang, f"pb_prompt_{kind}", id=oid))


# -- replies to the prompts ------------------------------------------------------------------


async def on_reply(update: Update, context: Ctx, prompt: Prompt) -> None:
    """A text answering one of our prompts: a comment, a due day, a reason, days."""
    msg, s, p = update.effective_message, svc(context), who(update, context)
    if msg is None or not msg.text:
        return
    target = s.spotchecks.prompt(msg.chat_id, p.user_id, prompt.message_id)
    if target is None:
        return
    if target[0] == "sp_file":
        await reply(update, t(p.lang, "sp_send_a_file"))
        return
    try:
        await _answer(update, context, p, target, msg.text)
    except Refused as exc:
        return await _refuse(update, context, exc)
    await unit(lambda: s.spotchecks.clear_prompt(msg.chat_id, p.user_id))


async def _answer(update: Update, context: Ctx, p: Principal,
                  target: tuple[str, int, str, int | None], text: str) -> None:  # fmt: skip
    s = svc(context)
    kind, tid, qid, stage = target
    if kind == "sp_comment":
        await unit(lambda: s.spotchecks.comment(p, tid, qid, text))
        await reply(update, t(p.lang, "sp_comment_saved", id=escape(qid)))
        return
    if kind == "sp_rectify":
        due = _day(text)
        done = await unit(lambda: s.spotchecks.decide(p, tid, spotchecks.RECTIFY, due=due))
        return await _decided(update, context, p, done)
    if kind == "sp_propose":
        done = await unit(lambda: s.spotchecks.decide(p, tid, spotchecks.PROPOSE, reason=text))
        return await _decided(update, context, p, done)
    if kind == "pb_days":
        return await _publicise(update, context, p, (tid, stage or 0), _days(text))
    if kind in ("pb_upheld", "pb_dismissed"):
        outcome = UPHELD if kind == "pb_upheld" else DISMISSED
        return await _resolved(update, context, p, tid, outcome, text)


def _day(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        raise SpotError("bad_day") from None


def _days(text: str) -> int:
    word = text.strip()
    if not (word.isascii() and word.isdigit()):
        raise SpotError("bad_days")
    return int(word)


async def _resolved(
    update: Update, context: Ctx, p: Principal, oid: int, outcome: str, text: str
) -> None:
    """Resolve an objection; upheld, the community is told its check was sent back."""
    s = svc(context)
    done = await unit(lambda: s.publicity.resolve(p, oid, outcome, text))
    a = s.checks.get(done.objection.assessment_id)
    await reply(update, spot_cards.resolved(p.lang, done.objection, a.community if a else ""))
    await notices.flush(context)  # upheld: the community hears its check was sent back


async def on_file(update: Update, context: Ctx, prompt: Prompt, info: dict[str, Any]) -> None:
    """A photo or document answering a 📷 prompt (`info`: the file, checked for size by
    handlers/check.py:on_file): the inspector's file on that item."""
    msg, s, p = update.effective_message, svc(context), who(update, context)
    if msg is None:
        return
    target = s.spotchecks.prompt(msg.chat_id, p.user_id, prompt.message_id)
    if target is None:
        return
    if target[0] != "sp_file":
        await reply(update, t(p.lang, "prompt_wants_text"))
        return
    info["chat_id"] = msg.chat_id
    try:
        fid = await unit(lambda: s.spotchecks.attach(p, target[1], target[2], info))
    except Refused as exc:
        return await _refuse(update, context, exc)
    if fid is not None:
        task = context.application.create_task(evidence.fetch(context.bot, s, fid, s.spot_files))
        _TASKS.add(task)
        task.add_done_callback(_TASKS.discard)
    key = "sp_file_saved" if fid is not None else "sp_file_dup"
    await reply(update, t(p.lang, key, id=escape(target[2])))


async def settle() -> None:
    """Wait for every scheduled download of an inspector's file (tests; shutdown)."""
    while _TASKS:
        await asyncio.gather(*list(_TASKS), return_exceptions=True)


def schedule(app: Any) -> None:
    """Retry the inspectors' downloads that failed, under one deterministic name."""
    every(app, retry_pending, RETRY_SECONDS, RETRY_JOB)


async def retry_pending(context: Ctx) -> None:
    s = svc(context)
    for fid in s.spot_files.pending():
        await evidence.fetch(context.bot, s, fid, s.spot_files)


async def expert_invite(update: Update, context: Ctx, p: Principal, args: list[str]) -> None:
    """/invite expert 年份: a single-use invite for an expert of that program year (admins,
    who already passed /invite's checks)."""
    s = svc(context)
    year = cycles.parse_year(args[0]) if len(args) == 1 else None
    if year is None:
        await reply(update, t(p.lang, "sp_invite_usage"))
        return
    days = s.settings.invite_days
    code = await unit(lambda: s.people.expert_invite(year, p.user_id, days))
    link = f"https://t.me/{context.bot.username}?start={code}"
    await reply(update, t(p.lang, "sp_invite", year=year, days=days, link=link, code=code))
