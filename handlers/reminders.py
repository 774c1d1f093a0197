"""Deadlines and reminders in Telegram: the reminder job, /deadlines, /deadline, /remind, buttons.

The JobQueue runs `tick` every `TICK_SECONDS` (job `JOB_NAME`) and once `START_DELAY` seconds
after start (the catch-up); each run sends what `s.reminders.due` says is due now,
through `context.bot.send_message`, paced by `Delivery` (handlers/delivery.py). A 403 marks the
recipient unreachable (listed to admins), a 429 waits `retry_after` and retries, network errors
retry with backoff; none of them stops the other reminders. A reminder that still fails is tried
again by later runs (at most `MAX_ATTEMPTS` runs); admins are told when it gives up, and /remind
and /deadlines list the failures.

The promise: nothing is sent twice automatically. A send that may have reached Telegram
unseen (a timeout after the request left; a claim a crash left 'sending', swept at each run) is
'uncertain': listed to admins with a one-tap resend, never retried by itself. A contact
reminder due for counties with no contact reaches no one: admins are told once per slot.

Buttons (handlers/callbacks.py):
  r:<deadline>:<yyyymmdd>:<county id>   "✅ Submitted": confirm that county and occurrence
  ru:<s|c>:<deadline>:<yyyymmdd>:<id>   "✅ Submitted": a street (s) or community (c) confirms its
                                        own duty for that occurrence
  rd:<county id>[:<page>]               "📊 Details": the county's communities, paged
  rs:<reminder_log row>                 "🔁 Resend" (admins): an uncertain reminder, once
Worker reminders carry `c:<community id>`, which opens the check (handlers/check.py).
"""

from __future__ import annotations

import asyncio
import datetime as dt
import functools
import logging
import re
from collections.abc import Callable, Sequence
from functools import partial
from html import escape
from typing import Any, Literal

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Message, Update
from telegram.error import BadRequest
from telegram.ext import Application

from bot.domain import schedule as sched
from bot.domain.access import Principal
from bot.domain.errors import Refused, ReminderError
from bot.domain.programs import Deadline
from bot.domain.schedule import MAX_ATTEMPTS
from bot.services import reminders as rem
from bot.services.container import Services
from bot.texts import plural, t
from bot.texts import reminders as words
from bot.texts.layout import alert
from bot.texts.refusals import refusal
from handlers import callbacks, notices
from handlers import render_reminders as render
from handlers.common import Ctx, admin_button, registered, reply, svc, unit, who
from handlers.delivery import (
    FALLBACK,
    REMINDER_JOB,
    Delivery,
    Pacer,
    Report,
    delivery_of,
    send_paced,
)

__all__ = ["Delivery", "Pacer", "Report", "send_paced"]

log = logging.getLogger(__name__)

JOB_NAME = REMINDER_JOB
START_JOB_NAME = "greencheck-reminders-start"
TICK_SECONDS = 300
HEARTBEAT = 60.0  # seconds between renewals of the claims in flight (well under STALE_SENDING)
START_DELAY = 10.0
INLINE_MAX = 60  # /remind sends up to this many before answering; more go on in the background
LISTED = 10  # upcoming deadlines shown by /deadlines

App = Application[Any, Any, Any, Any, Any, Any]


# -- sending -----------------------------------------------------------------------------------


class _Run:
    """One delivery run: claims, composes and sends, recording the outcome in `report`."""

    def __init__(self, bot: Any, s: Services, rows: Sequence[rem.Due], today: dt.date) -> None:
        self.bot, self.s = bot, s
        self.report = Report(due=len(rows))
        self.snaps = s.reminders.snapshots(today)
        self.snaps.prefetch(rows)  # every county's numbers in one query
        self.pending = iter(rows)
        self.inflight: set[rem.Due] = set()  # claimed and not recorded yet

    async def heartbeat(self) -> None:
        """Renew the claims in flight every HEARTBEAT seconds, so a send held up (a long 429
        inside PTB's rate limiter) is never swept to 'uncertain' while it is still alive."""
        while True:
            await asyncio.sleep(HEARTBEAT)
            for d in list(self.inflight):
                self._still_mine(d)

    def _failed(self, d: rem.Due, error: str, attempt: int) -> None:
        self.report.failed.append((d.recipient, error))
        if attempt >= MAX_ATTEMPTS:
            self.report.gave_up.append((d.recipient, error))

    async def _finish(self, d: rem.Due, status: str, error: str | None) -> int:
        s = self.s
        return await unit(lambda: s.reminders.finish(d, status, error, s.clock.now()))

    async def work(self, delivery: Delivery) -> None:
        s = self.s
        for d in self.pending:  # one shared iterator: each reminder is taken by one worker
            if not await unit(partial(s.reminders.claim, d, s.clock.now())):
                self.report.skipped += 1
                continue
            self.inflight.add(d)
            try:
                await self._send(d, delivery)
            finally:
                self.inflight.discard(d)

    async def _send(self, d: rem.Due, delivery: Delivery) -> None:
        """Compose and send one claimed reminder, and record how it ended."""
        try:
            text, buttons = render.reminder(d, self.snaps)
        except Exception as exc:  # a broken text must not stop the others
            log.exception("cannot compose reminder %s", d)
            self._failed(d, str(exc), await self._finish(d, "failed", f"compose: {exc}"))
            return
        status, error = await send_paced(
            self.bot,
            d.recipient,
            text,
            buttons,
            delivery,
            self.report,
            alive=functools.partial(self._still_mine, d),
        )
        await self._record(d, status, error)

    def _still_mine(self, d: rem.Due) -> bool:
        return self.s.reminders.still_mine(d)

    async def _record(self, d: rem.Due, status: str, error: str | None) -> None:
        report = self.report
        if status == "skipped":  # swept to 'uncertain' while we waited: not ours any more
            report.skipped += 1
            return
        attempt = await self._finish(d, status, error)
        if status == "sent":
            report.sent += 1
        elif status == "unreachable":
            report.unreachable.append(d.recipient)
        elif status == "uncertain":
            report.uncertain.append((d.recipient, error or "?"))
        else:
            self._failed(d, error or "?", attempt)


async def deliver(
    bot: Any, s: Services, rows: Sequence[rem.Due], today: dt.date, delivery: Delivery
) -> Report:
    """Claim, compose and send each due reminder; one failing never stops the others."""
    if not rows:
        return Report()
    run = _Run(bot, s, rows, today)
    beat = asyncio.create_task(run.heartbeat())
    try:
        workers = min(delivery.workers, len(rows))
        await asyncio.gather(*(run.work(delivery) for _ in range(workers)))
    finally:
        beat.cancel()
    return run.report


async def send_due(bot: Any, s: Services, now: dt.datetime, delivery: Delivery) -> Report:
    """Send everything due at `now` (local time)."""
    return await deliver(bot, s, s.reminders.due(now), now.date(), delivery)


async def _tell_admins(
    bot: Any, s: Services, delivery: Delivery, text: Callable[[str], str], skip: int = 0
) -> None:
    for uid, lang in s.reminders.admins():
        if uid != skip:
            await send_paced(bot, uid, text(lang), [], delivery)


def _report_text(s: Services, report: Report, lang: str) -> str:
    return render.report_text(report, s.reminders.people(render.report_people(report)), lang)


# -- the job -----------------------------------------------------------------------------------


async def _tell_problems(context: Ctx, s: Services, report: Report, delivery: Delivery) -> None:
    """Tell admins about recipients found unreachable and reminders given up on."""
    if report.unreachable:
        found = report.unreachable
        people = s.reminders.people(list(dict.fromkeys(found))[: render.SHOWN])
        await _tell_admins(
            context.bot, s, delivery, lambda lang: render.unreachable_block(people, found, lang)
        )
    if report.gave_up:  # told once, when the last attempt failed (not at every retry)
        today = s.clock.today()
        final = [rem.Failure(rid, "", today, err, MAX_ATTEMPTS, "", False)
                 for rid, err in report.gave_up]  # fmt: skip
        people = s.reminders.people([f.recipient for f in render.first_failures(final)])
        await _tell_admins(
            context.bot, s, delivery, lambda lang: render.failed_block(people, final, lang)
        )


async def _tell_unsure(bot: Any, s: Services, delivery: Delivery) -> None:
    """Tell admins which reminders may not have been delivered, with one-tap resends."""
    rows = s.reminders.uncertain()
    if not rows:
        return
    people = s.reminders.people(render.uncertain_people(rows))
    titles = {d.id: d.title for d in s.reminders.deadlines()}
    for uid, lang in s.reminders.admins():
        text, buttons = render.uncertain_block(people, rows, titles, lang)
        await send_paced(bot, uid, text, buttons, delivery)


async def _tell_no_contact(bot: Any, s: Services, at: dt.datetime, delivery: Delivery) -> None:
    """Tell admins, once per slot, of the reminders due that reach no one."""
    new = await unit(lambda: s.reminders.note_no_contact(at))
    if new:
        text = _no_contact_text(s, new)
        await _tell_admins(bot, s, delivery, text)


def _no_contact_text(s: Services, gaps: Sequence[rem.NoContact]) -> Callable[[str], str]:
    names = s.reminders.names()
    titles = {d.id: d.title for d in s.reminders.deadlines()}
    return lambda lang: render.no_contact_block(gaps, names, titles, lang)


async def tick(context: Ctx) -> None:
    """Send the reminders due now; tell admins about recipients found unreachable, sends that
    may not have been delivered, and reminders that reach no one."""
    s = svc(context)
    if not hasattr(s, "reminders"):
        return  # services not open yet
    job = context.job
    delivery = job.data if job is not None and isinstance(job.data, Delivery) else FALLBACK
    now = s.clock.now()
    swept = await unit(s.reminders.sweep)
    await _tell_no_contact(context.bot, s, now, delivery)
    report = await send_due(context.bot, s, now, delivery)
    if report.sent or report.failed or report.unreachable or report.uncertain or swept:
        log.info(
            "reminders: %d sent, %d unreachable, %d failed, %d uncertain, %d retried",
            report.sent,
            len(report.unreachable),
            len(report.failed),
            len(report.uncertain) + swept,
            report.retries,
        )
    await _tell_problems(context, s, report, delivery)
    if report.uncertain or swept:
        await _tell_unsure(context.bot, s, delivery)


def schedule(app: App, delivery: Delivery | None = None) -> None:
    """Run `tick` every TICK_SECONDS and once shortly after start (the catch-up)."""
    jq = app.job_queue
    if jq is None:
        log.warning("no JobQueue (install python-telegram-bot[job-queue]): reminders are off")
        return
    for job in jq.get_jobs_by_name(JOB_NAME) + jq.get_jobs_by_name(START_JOB_NAME):
        job.schedule_removal()
    d = delivery or Delivery()
    jq.run_repeating(
        tick,
        interval=TICK_SECONDS,
        first=TICK_SECONDS,
        name=JOB_NAME,
        data=d,
        job_kwargs={"coalesce": True, "max_instances": 1, "misfire_grace_time": TICK_SECONDS},
    )
    jq.run_once(tick, when=START_DELAY, name=START_JOB_NAME, data=d)


# -- /remind -----------------------------------------------------------------------------------


async def remind(update: Update, context: Ctx) -> None:
    """Send today's due reminders now and report the counts (admins)."""
    p = who(update, context)
    if not p.admin:
        await reply(update, t(p.lang, "admin_only"))
        return
    s = svc(context)
    now = s.clock.now()
    at = sched.end_of_day(now.date(), now.tzinfo or dt.UTC)
    await unit(s.reminders.sweep)
    rows = s.reminders.due(at)
    delivery = delivery_of(context.application)
    if len(rows) <= INLINE_MAX:
        report = await deliver(context.bot, s, rows, now.date(), delivery)
        await reply(update, _remind_text(s, report, at, p.lang))
        await _tell_unsure(context.bot, s, delivery)
        return
    await reply(update, plural(p.lang, len(rows), "remind_started"))
    chat = update.effective_chat
    bot = context.bot

    async def background() -> None:
        report = await deliver(bot, s, rows, now.date(), delivery)
        if chat is not None:
            await send_paced(bot, chat.id, _remind_text(s, report, at, p.lang), [], delivery)
        await _tell_unsure(bot, s, delivery)

    context.application.create_task(background(), update=update, name="greencheck-remind")


def _remind_text(s: Services, report: Report, at: dt.datetime, lang: str) -> str:
    """The /remind report, then the reminders due today that reach no one."""
    text = _report_text(s, report, lang)
    gaps = s.reminders.no_contact(at)
    return text + "\n\n" + _no_contact_text(s, gaps)(lang) if gaps else text


# -- /deadlines --------------------------------------------------------------------------------


def deadlines_text(s: Services, p: Principal, today: dt.date) -> str:
    """The /deadlines message for an admin (every county) or a contact or worker (their own)."""
    view = s.reminders.overview(p, today, LISTED)
    people = s.reminders.people(render.overview_people(view))
    return render.deadlines_text(view, p, s.program, today, s.settings.zone, people)


async def deadlines(update: Update, context: Ctx) -> None:
    """List the upcoming deadlines with days left and who has confirmed."""
    p = await registered(update, context)
    if p is None:
        return
    s = svc(context)
    await reply(update, deadlines_text(s, p, s.clock.today()))
    block = notices.undelivered_block(s.notices.undelivered(p), s.people.user_names(), p.lang)
    if block is not None:  # notices, like reminders, that may not have arrived (admins only)
        await reply(update, block.text, block.buttons)


# -- /deadline add | del -----------------------------------------------------------------------

ONE_OFF = re.compile(words.ONE_OFF_DATE)
MONTH_DAY = re.compile(words.MONTH_DAY)


def _parse_add(args: list[str]) -> tuple[dt.date | None, str | None, str]:
    """Read `YYYY-MM-DD <title>` or `<annual word> MM-DD <title>`; raise ReminderError."""
    if not args:
        raise ReminderError("bad_date", given="—")
    if args[0].lower() in words.ANNUAL_WORDS:
        m = MONTH_DAY.match(args[1]) if len(args) > 1 else None
        if m is None:
            raise ReminderError("bad_date", given=" ".join(args[:2]))
        return None, f"{int(m[1]):02d}-{int(m[2]):02d}", " ".join(args[2:])
    m = ONE_OFF.match(args[0])
    try:
        if m is None:
            raise ValueError(args[0])
        day = dt.date(int(m[1]), int(m[2]), int(m[3]))
    except ValueError:
        raise ReminderError("bad_date", given=args[0][:40]) from None
    return day, None, " ".join(args[1:])


async def _deadline_reply(s: Services, p: Principal, args: list[str]) -> str:
    """Do what /deadline asks and say how it went."""
    lang = p.lang
    verb = args[0].lower() if args else ""
    now = s.clock.now()
    try:
        if verb in words.ADD_WORDS:
            day, annual, title = _parse_add(args[1:])
            d = await unit(lambda: s.reminders.add_deadline(p, title, due=day, annual=annual))
            return render.added_text(s.program, d, now.date(), lang)
        if verb in words.DEL_WORDS and len(args) == 2:
            d = await unit(lambda: s.reminders.delete_deadline(args[1]))
            return t(lang, "deadline_deleted", id=d.id, title=escape(d.title))
    except Refused as exc:
        return refusal(exc, lang)
    return t(lang, "deadline_usage")


async def deadline(update: Update, context: Ctx) -> None:
    """Add or delete a custom deadline (admins)."""
    p = who(update, context)
    if not p.admin:
        await reply(update, t(p.lang, "admin_only"))
        return
    await reply(update, await _deadline_reply(svc(context), p, list(context.args or [])))


# -- buttons -----------------------------------------------------------------------------------


UNITS: dict[str, Literal["street", "community"]] = {"s": "street", "c": "community"}  # ru: data


async def on_confirm(update: Update, context: Ctx) -> None:
    """✅ Submitted: confirm a county's submission (r:), or a street's or community's own duty
    (ru:), of a deadline occurrence."""
    query = update.callback_query
    op = callbacks.decode(query.data if query else None)
    if query is None or op is None:
        return
    p = who(update, context)
    s = svc(context)
    try:
        occ = dt.datetime.strptime(op.get("occ") or "", "%Y%m%d").date()
    except ValueError:
        await query.answer(alert(t(p.lang, "rem_stale")), show_alert=True)
        return
    did = op.get("did") or ""
    if op.action == "ru":
        scope = UNITS[op.get("unit") or ""]
        res = await unit(lambda: s.reminders.confirm_unit(p, did, occ, scope, op.int("id")))
        denied = f"rem_confirm_denied_{scope}"
    else:
        res = await unit(lambda: s.reminders.confirm(p, did, occ, op.int("county")))
        denied = "rem_confirm_denied"
    if res.status in ("stale", "not_confirmable", "denied"):
        key = {"stale": "rem_stale", "not_confirmable": "rem_not_confirmable"}
        text = t(p.lang, key.get(res.status, denied), date=occ, county=res.name)
        await query.answer(alert(text), show_alert=True)
        return
    new = res.status == "confirmed"
    await query.answer(t(p.lang, "rem_confirmed_alert" if new else "rem_already_confirmed"))
    if isinstance(query.message, Message) and query.data:
        await _mark_confirmed(query.message, query.data, p.lang)
    if new and res.deadline is not None:
        await _announce(update, context, p, res.deadline, occ, res.name)


async def _announce(
    update: Update, context: Ctx, p: Principal, d: Deadline, occ: dt.date, county: str
) -> None:
    """Tell the confirmer and the other admins that a county confirmed."""
    args = {"county": escape(county), "title": escape(d.title), "date": occ.isoformat()}
    await reply(update, t(p.lang, "rem_confirmed", **args))
    user = update.effective_user
    name = escape(user.full_name) if user else str(p.user_id)
    await _tell_admins(
        context.bot,
        svc(context),
        delivery_of(context.application),
        lambda lang: t(lang, "rem_admin_confirmed", who=name, **args),
        skip=p.user_id,
    )


async def _mark_confirmed(message: Message, data: str, lang: str) -> None:
    """Turn the pressed "Submitted" button into "Confirmed" (the other buttons stay)."""
    kb = message.reply_markup
    if kb is None:
        return
    rows = [
        [
            InlineKeyboardButton(t(lang, "btn_confirmed"), callback_data=data)
            if b.callback_data == data
            else b
            for b in row
        ]
        for row in kb.inline_keyboard
    ]
    try:
        await message.edit_reply_markup(InlineKeyboardMarkup(rows))
    except BadRequest as exc:
        if "not modified" not in str(exc).lower():
            raise


async def on_details(update: Update, context: Ctx) -> None:
    """📊 Details: one page of the county's communities (its pager comes back here)."""
    query = update.callback_query
    op = callbacks.decode(query.data if query else None)
    if query is None or op is None:
        return
    p = who(update, context)
    s = svc(context)
    try:
        view = s.reminders.county_details(p, op.int("county"))
    except Refused as exc:
        await query.answer(alert(refusal(exc, p.lang, html=False)), show_alert=True)
        return
    await query.answer()
    std = s.catalog.standard(s.program.standard)
    points = std is not None and std.mode == "points"
    page = int(op.get("page") or 1)
    text, buttons = render.details(view, page, points, p.lang, s.settings.zone)
    await reply(update, text, buttons)


async def on_resend(update: Update, context: Ctx) -> None:
    """🔁 Resend (admins): send again, once, a reminder that may not have been delivered."""
    got = await admin_button(update, context)  # admins only, re-checked at the tap
    if got is None:
        return
    query, op, p = got
    s = svc(context)
    target = await unit(lambda: s.reminders.take_resend(op.int("row")))
    if target == "taken" or target is None:
        key = "resend_taken" if target == "taken" else "resend_not_needed"
        await query.answer(alert(t(p.lang, key)), show_alert=True)
        return
    await query.answer()
    snaps = s.reminders.snapshots(s.clock.today())
    text, buttons = render.reminder(target, snaps)
    delivery = delivery_of(context.application)
    status, error = await send_paced(context.bot, target.recipient, text, buttons, delivery)
    await unit(lambda: s.reminders.finish(target, status, error, s.clock.now()))
    key = {"sent": "resend_sent", "uncertain": "resend_uncertain"}.get(status, "resend_failed")
    await reply(update, t(p.lang, key, error=escape(error or "")))


# -- wiring ------------------------------------------------------------------------------------
