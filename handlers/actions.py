"""Years and corrective actions in Telegram: /target, /action, /actions, the
ax: buttons, and the owners' reminders (claimed in the reminder log before each send).

/target [YEAR] [PCT]   the target in force (with the year it comes from); admins set one
/action 社区 项目 YYYY-MM-DD [@owner] [问题]   a reviewer opens a corrective action on a failed item
/actions               my open actions (workers); reviewers and admins: their scope, overdue first
/withdraw 社区 原因      a failed 复审: the recognition is withdrawn, recorded with the reason
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
from functools import partial
from html import escape
from typing import Any

from telegram import ForceReply, Message, Update
from telegram.error import BadRequest

from bot.domain import cycles
from bot.domain.access import Principal, can_work_on_action
from bot.domain.actions import Listed
from bot.domain.errors import Refused
from bot.domain.workflow import ACTION_CLOSING, ACTION_OPEN
from bot.services.actions import names_owner
from bot.texts import t
from bot.texts.layout import alert
from bot.texts.refusals import refusal
from bot.texts.report_views import target_text
from handlers import callbacks, evidence, notices
from handlers.cards import Buttons
from handlers.common import Ctx, every, one_match, reply, svc, unit, who
from handlers.delivery import Delivery, Report, delivery_of, send_paced

log = logging.getLogger(__name__)
JOB_NAME = "greencheck-action-reminders"
TICK_SECONDS = 3600
SHOWN = 20  # actions listed in one message


def schedule(app: Any) -> None:
    """The owners' reminder job, under one deterministic name."""
    every(app, tick, TICK_SECONDS, JOB_NAME)


# -- /target -----------------------------------------------------------------------------------


def _target_text(context: Ctx, lang: str, year: int) -> str:
    s = svc(context)
    return target_text(lang, year, s.targets.in_force(year), s.program, escape)


async def target(update: Update, context: Ctx) -> None:
    """/target: show this year's; /target 2026: that year's; /target 2026 70%: set it (admins)."""
    p, s = who(update, context), svc(context)
    args = list(context.args or [])
    year = cycles.parse_year(args[0]) if args else s.clock.now().year
    pct = cycles.parse_pct(args[1]) if len(args) == 2 else None
    if year is None or len(args) > 2 or (len(args) == 2 and pct is None):
        await reply(update, t(p.lang, "cy_target_usage"))
        return
    if pct is None:
        await reply(update, _target_text(context, p.lang, year))
        return
    if not p.admin:
        await reply(update, t(p.lang, "cy_target_admin_only"))
        return
    user = update.effective_user
    by = f"{user.full_name} ({p.user_id})" if user else str(p.user_id)
    before = await unit(lambda: s.targets.set_target(year, pct, by))
    was = t(p.lang, "cy_target_before", pct=f"{before:g}") if before is not None else ""
    await reply(update, t(p.lang, "cy_target_set", year=year, pct=f"{pct:g}", by=escape(by),
                          before=was))  # fmt: skip


# -- /action, /actions ---------------------------------------------------------------------


async def open_action(update: Update, context: Ctx) -> None:
    """/action 社区 项目 YYYY-MM-DD [问题]: open an action on a failed item (reviewers)."""
    p, s = who(update, context), svc(context)
    args = list(context.args or [])
    due = _day(args[2]) if len(args) >= 3 else None
    if due is None:
        await reply(update, t(p.lang, "ax_usage"))
        return
    found = await one_match(update, p.lang, args[0], s.roster.find_community(args[0]))
    if found is None:
        return
    a = s.checks.for_community(found[0])
    if a is None:
        await reply(update, t(p.lang, "ax_err_no_check_or_worker", community=escape(found[1])))
        return
    named = len(args) > 3 and names_owner(args[3])
    owner = args[3] if named else None
    problem = " ".join(args[4:] if named else args[3:]) or None
    try:
        aid = await unit(lambda: s.actions.open(p, (a.id, args[1]), owner, due, problem))
    except Refused as exc:
        await reply(update, refusal(exc, p.lang))
        return
    await reply(update, t(p.lang, "ax_opened", id=aid, community=escape(found[1]),
                          item=escape(args[1]), due=due.isoformat()))  # fmt: skip
    await notices.flush(context)


def _day(text: str) -> dt.date | None:
    with contextlib.suppress(ValueError):
        return dt.date.fromisoformat(text)
    return None


def _line(x: Listed, lang: str) -> str:
    r = x.row
    return t(lang, "ax_line", id=r.id, state=t(lang, f"ax_state_{x.state}"),
             community=escape(r.community), item=escape(r.question_id),
             problem=escape(r.problem[:80]), owner=escape(r.owner or "-"), due=r.due)  # fmt: skip


def _buttons(x: Listed, p: Principal, lang: str) -> Buttons:
    r = x.row
    if r.status == ACTION_OPEN and can_work_on_action(p, r.community_id):
        return [[(t(lang, "ax_btn_attach"), callbacks.encode("ax:e", r.id)),
                 (t(lang, "ax_btn_close", id=r.id), callbacks.encode("ax:c", r.id))]]  # fmt: skip
    if r.status == ACTION_CLOSING and p.can_view_county(r.county_id):
        return [[(t(lang, "ax_btn_confirm", id=r.id), callbacks.encode("ax:y", r.id)),
                 (t(lang, "ax_btn_reopen", id=r.id), callbacks.encode("ax:n", r.id))]]  # fmt: skip
    return []


async def list_actions(update: Update, context: Ctx) -> None:
    """/actions: open actions (mine, or my scope for reviewers and admins), overdue first."""
    p, s = who(update, context), svc(context)
    mine = not p.staff
    rows = s.actions.listing(p, status=ACTION_OPEN, mine=mine)
    if not rows:
        await reply(update, t(p.lang, "ax_none"))
        return
    lines = [t(p.lang, "ax_title", n=len(rows))] + [_line(x, p.lang) for x in rows[:SHOWN]]
    buttons = [b for x in rows[:SHOWN] for b in _buttons(x, p, p.lang)]
    await reply(update, "\n".join(lines), buttons[:SHOWN])


async def withdraw(update: Update, context: Ctx) -> None:
    """/withdraw 社区 原因: the community's 复审 failed; its recognition is withdrawn (admins)."""
    p, s = who(update, context), svc(context)
    args = list(context.args or [])
    if len(args) < 2:
        await reply(update, t(p.lang, "cy_withdraw_usage"))
        return
    found = await one_match(update, p.lang, args[0], s.roster.find_community(args[0]))
    if found is None:
        return
    reason = " ".join(args[1:])
    try:
        await unit(lambda: s.reviews.withdraw(p, found[0], reason))
    except Refused as exc:
        await reply(update, refusal(exc, p.lang))
        return
    await reply(update, t(p.lang, "cy_withdrawn", community=escape(found[1]),
                          reason=escape(reason)))  # fmt: skip
    await notices.flush(context)


# -- buttons -------------------------------------------------------------------------------


async def _answer(update: Update, text: str | None) -> None:
    if update.callback_query is not None:
        with contextlib.suppress(BadRequest):
            await update.callback_query.answer(alert(text) if text else None, show_alert=bool(text))


async def on_close(update: Update, context: Ctx) -> None:
    """The owner's 已整改: closes the action when a file was attached to its item since."""
    p, s = who(update, context), svc(context)
    op = callbacks.decode(update.callback_query.data if update.callback_query else None)
    if op is None:
        return await _answer(update, t(p.lang, "stale"))
    try:
        row = await unit(lambda: s.actions.close(p, op.int("id")))
    except Refused as exc:
        return await _answer(update, refusal(exc, p.lang, html=False))
    await _answer(update, None)
    await reply(update, t(p.lang, "ax_closed", id=row.id, evidence=escape(row.evidence or "")))
    await notices.flush(context)


async def on_attach(update: Update, context: Ctx) -> None:
    """📎 on an action: ask for its closing file (a reply, or the next file in a private chat),
    whatever the check's state."""
    p, s = who(update, context), svc(context)
    op = callbacks.decode(update.callback_query.data if update.callback_query else None)
    message = update.effective_message
    if op is None or message is None:
        return await _answer(update, t(p.lang, "stale"))
    try:
        row = s.actions.worked_on(p, op.int("id"))
    except Refused as exc:
        return await _answer(update, refusal(exc, p.lang, html=False))
    await _answer(update, None)
    prompt = await message.reply_text(
        t(p.lang, "ax_prompt_file", id=row.id, community=escape(row.community),
          item=escape(row.question_id)),
        parse_mode="HTML",
        reply_markup=ForceReply(selective=True),
    )  # fmt: skip
    where = (prompt.chat_id, prompt.message_id)
    try:
        await unit(lambda: s.actions.ask_file(p, row.id, where))
    except Refused as exc:
        await reply(update, refusal(exc, p.lang))


async def take_file(update: Update, context: Ctx, action_id: int, info: dict[str, Any]) -> None:
    """A file answering an action's 📎 prompt: attached to the action (handlers/check.py routes
    files by the user's pending prompt), then downloaded like any evidence."""
    p, s = who(update, context), svc(context)
    try:
        added = await unit(lambda: s.actions.attach(p, action_id, info))
        row = s.actions.worked_on(p, action_id)
    except Refused as exc:
        await reply(update, refusal(exc, p.lang))
        return
    if added:
        evidence.schedule_fetch(context, row.assessment_id, row.question_id, info, p.lang)
    await reply(update, t(p.lang, "ax_file_saved" if added else "ax_file_again", id=action_id))


async def reassign(update: Update, context: Ctx) -> None:
    """/reassign 编号 @用户|ID: give an unfinished action to another worker (reviewers)."""
    p, s = who(update, context), svc(context)
    args = list(context.args or [])
    if len(args) != 2 or not args[0].lstrip("#").isdigit():
        await reply(update, t(p.lang, "ax_reassign_usage"))
        return
    action_id = int(args[0].lstrip("#"))
    try:
        row = await unit(lambda: s.actions.reassign(p, action_id, args[1]))
    except Refused as exc:
        await reply(update, refusal(exc, p.lang))
        return
    await reply(update, t(p.lang, "ax_reassigned", id=row.id, owner=escape(row.owner or "")))
    await notices.flush(context)


async def on_review(update: Update, context: Ctx) -> None:
    """A reviewer confirms (ax:y) or reopens (ax:n) a closed action."""
    p, s = who(update, context), svc(context)
    op = callbacks.decode(update.callback_query.data if update.callback_query else None)
    if op is None:
        return await _answer(update, t(p.lang, "stale"))
    confirm = op.action == "ax:y"
    try:
        row = await unit(lambda: s.actions.review(p, op.int("id"), confirm))
    except Refused as exc:
        return await _answer(update, refusal(exc, p.lang, html=False))
    await _answer(update, None)
    key = "ax_confirmed" if confirm else "ax_reopened"
    message = update.effective_message
    if isinstance(message, Message):
        await reply(update, t(p.lang, key, id=row.id))
    await notices.flush(context)


# -- reminders -------------------------------------------------------------------------------


async def tick(context: Ctx) -> None:
    """Hourly: open this year's 复审 checks (re-reviewing programs), remind action owners."""
    s = svc(context)
    opened = await unit(s.checks.open_rereviews)
    if opened:
        log.info("opened %d re-review checks", len(opened))
    await remind_owners(context.bot, s, s.clock.now(), delivery_of(context.application))


async def remind_owners(bot: Any, s: Any, now: dt.datetime, delivery: Delivery) -> Report:
    """Remind owners before and after the due day: each reminder claimed in the reminder log
    before it is sent (Reminders.claim / finish, bot.services.reminders), so it leaves once."""
    report = Report()
    if now.hour < s.program.reminder_policy.hour:  # not before the program's reminder hour
        return report
    for d, r in s.actions.due_reminders(now.date()):
        report.due += 1
        if not await unit(partial(s.reminders.claim, d, now)):
            report.skipped += 1
            continue
        key = "ax_remind_before" if d.lead >= 0 else "ax_remind_after"
        text = t(d.lang, key, community=escape(r.community), item=escape(r.question_id),
                 problem=escape(r.problem[:200]), due=r.due, days=abs(d.lead))  # fmt: skip
        buttons = [[(t(d.lang, "ax_btn_close", id=r.id), callbacks.encode("ax:c", r.id))]]
        status, error = await send_paced(bot, d.recipient, text, buttons, delivery, report)
        await unit(partial(s.reminders.finish, d, status, error, now))
        report.sent += status == "sent"
    return report
