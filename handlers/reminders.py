"""Deadlines and reminders in Telegram: the reminder job, /deadlines, /deadline, /remind, buttons.

The JobQueue runs `tick` every `TICK_SECONDS` (job `JOB_NAME`) and once `START_DELAY` seconds
after start (the catch-up); each run sends what `bot.reminders.due` says is due now, through
`context.bot.send_message`, paced by `Delivery`. A 403 marks the recipient unreachable (listed
to admins), a 429 waits `retry_after` and retries, network errors retry with backoff; none of
them stops the other reminders. A reminder that still fails is tried again by later runs (at
most `bot.reminders.MAX_ATTEMPTS` runs); admins are told when it gives up, and /remind and
/deadlines list the failures.

Callback data (ASCII, ≤ 64 bytes):
  r:<deadline>:<yyyymmdd>:<county id>   "✅ 已报送": confirm that county and occurrence
  rd:<county id>                        "📊 查看详情": the county's communities, page 1 of
                                        handlers.status.county_detail (its v:c: pager)
Worker reminders carry `c:<community id>`, which opens the check (handlers/check.py).
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import re
import time
import warnings
from collections.abc import Awaitable, Callable, Iterable, Sequence
from dataclasses import dataclass, field
from html import escape
from typing import Any

from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup, Message, Update
from telegram.constants import ParseMode
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TelegramError
from telegram.ext import Application, CallbackQueryHandler, CommandHandler

from bot import reminders as rem
from bot.domain.programs import Deadline
from bot.people import Principal, county_name
from bot.services.container import Services
from bot.services.reports import ReportError, county_status, local_time
from bot.texts import t
from handlers.common import Ctx, markup, registered, reply, svc, who
from handlers.status import county_detail

log = logging.getLogger(__name__)

JOB_NAME = "greencheck-reminders"
START_JOB_NAME = "greencheck-reminders-start"
TICK_SECONDS = 300
START_DELAY = 10.0
INLINE_MAX = 60  # /remind sends up to this many before answering; more go on in the background
LISTED = 10  # upcoming deadlines shown by /deadlines
NAMES = 8  # county names per line in /deadlines

SHOWN = 30  # people named in an unreachable or failed list

Sleep = Callable[[float], Awaitable[None]]


@dataclass
class Delivery:
    """How reminders leave: pace, retries, and the sleep and clock behind both (tests fake them)."""

    rate: float = 30.0  # Telegram's overall limit, messages per second
    margin: float = 0.97  # pace a little under the limit so jitter never crosses it
    attempts: int = 4  # tries per reminder on 429 and on network errors
    backoff: float = 1.0  # first network retry after this many seconds, doubling
    workers: int = 32  # sends in flight (latency must not cap the rate)
    sleep: Sleep = asyncio.sleep
    clock: Callable[[], float] = time.monotonic  # the pacer's clock (tests pair it with sleep)
    pacer: rem.Pacer = field(init=False)

    def __post_init__(self) -> None:
        self.pacer = rem.Pacer(self.rate * self.margin, clock=lambda: self.clock())


@dataclass
class Report:
    due: int = 0
    sent: int = 0
    skipped: int = 0  # already sent or claimed by another run
    retries: int = 0  # 429s and network errors retried
    unreachable: list[int] = field(default_factory=list)
    failed: list[tuple[int, str]] = field(default_factory=list)  # retried by a later run
    gave_up: list[tuple[int, str]] = field(default_factory=list)  # failed on the last attempt


_FALLBACK = Delivery()


def delivery_of(app: Application[Any, Any, Any, Any, Any, Any]) -> Delivery:
    """The Delivery the reminder job uses (shared by /remind and the buttons)."""
    jq = app.job_queue
    if jq is not None:
        for job in jq.get_jobs_by_name(JOB_NAME):
            if isinstance(job.data, Delivery):
                return job.data
    return _FALLBACK


def _retry_after(exc: RetryAfter) -> float:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        value = exc.retry_after
    return value.total_seconds() if isinstance(value, dt.timedelta) else float(value)


async def send_paced(
    bot: Bot,
    chat_id: int,
    text: str,
    buttons: rem.Buttons,
    delivery: Delivery,
    report: Report | None = None,
) -> tuple[str, str | None]:
    """Send one message within the pace; return ('sent'|'unreachable'|'failed', error)."""
    rate_tries = net_tries = 0
    while True:
        wait = delivery.pacer.reserve(chat_id)
        if wait > 0:
            await delivery.sleep(wait)
        while (wait := delivery.pacer.admit()) > 0:
            await delivery.sleep(wait)
        try:
            await bot.send_message(
                chat_id, text, parse_mode=ParseMode.HTML, reply_markup=markup(buttons)
            )
            return "sent", None
        except Forbidden as exc:  # never started the bot, blocked it, or removed from the group
            return "unreachable", exc.message
        except RetryAfter as exc:
            rate_tries += 1
            if rate_tries >= delivery.attempts:
                return "failed", exc.message
            if report is not None:
                report.retries += 1
            await delivery.sleep(_retry_after(exc))
        except BadRequest as exc:  # chat not found, bad markup: retrying will not help
            return "failed", exc.message
        except NetworkError as exc:  # includes TimedOut
            net_tries += 1
            if net_tries >= delivery.attempts:
                return "failed", exc.message
            if report is not None:
                report.retries += 1
            await delivery.sleep(delivery.backoff * 2 ** (net_tries - 1))
        except TelegramError as exc:
            return "failed", exc.message


async def deliver(
    bot: Bot, s: Services, rows: Sequence[rem.Due], today: dt.date, delivery: Delivery
) -> Report:
    """Claim, compose and send each due reminder; one failing never stops the others."""
    report = Report(due=len(rows))
    if not rows:
        return report
    std = s.catalog.standard(s.program.standard)
    composer = rem.Composer(s.db, s.program, today, std)
    composer.prefetch(rows)  # every county's numbers in one query
    pending = iter(rows)

    def failed(d: rem.Due, error: str, attempt: int) -> None:
        report.failed.append((d.recipient, error))
        if attempt >= rem.MAX_ATTEMPTS:
            report.gave_up.append((d.recipient, error))

    async def work() -> None:
        for d in pending:  # one shared iterator: each reminder is taken by one worker
            if not rem.claim(s.db, s.program.id, d):
                report.skipped += 1
                continue
            try:
                msg = composer.message(d)
            except Exception as exc:  # a broken text must not stop the others
                log.exception("cannot compose reminder %s", d)
                failed(d, str(exc), rem.finish(s.db, s.program.id, d, "failed", f"compose: {exc}"))
                continue
            status, error = await send_paced(
                bot, d.recipient, msg.text, msg.buttons, delivery, report
            )
            attempt = rem.finish(s.db, s.program.id, d, status, error)
            if status == "sent":
                report.sent += 1
            elif status == "unreachable":
                report.unreachable.append(d.recipient)
            else:
                failed(d, error or "?", attempt)

    await asyncio.gather(*(work() for _ in range(min(delivery.workers, len(rows)))))
    return report


async def send_due(bot: Bot, s: Services, now: dt.datetime, delivery: Delivery) -> Report:
    """Send everything due at `now` (local time)."""
    return await deliver(bot, s, rem.due(s.db, s.program, now), now.date(), delivery)


# -- admins ----------------------------------------------------------------------------------------


def _admins(s: Services) -> list[tuple[int, str]]:
    return [
        (int(uid), str(lang or "zh"))
        for uid, lang in s.db.conn.execute(
            "SELECT DISTINCT r.user_id, u.lang FROM roles r LEFT JOIN users u ON u.id = r.user_id"
            " WHERE r.role = 'admin' ORDER BY r.user_id"
        )
    ]


def _describe(s: Services, chat_ids: Iterable[int], lang: str) -> dict[int, str]:
    """Name recipients: '张三（源城区 联系人）' or a group's title; three queries for all."""
    ids = list(dict.fromkeys(int(i) for i in chat_ids))
    if not ids:
        return {}
    db = s.db
    marks = ",".join("?" * len(ids))
    groups = dict(
        db.conn.execute(f"SELECT chat_id, title FROM groups WHERE chat_id IN ({marks})", ids)
    )
    names = dict(db.conn.execute(f"SELECT id, name FROM users WHERE id IN ({marks})", ids))
    roles: dict[int, list[str]] = {}
    for uid, role, county, community in db.conn.execute(
        "SELECT r.user_id, r.role, ifnull(co.name, '?'), ifnull(cm.name, '?') FROM roles r"
        " LEFT JOIN counties co ON co.id = r.county_id"
        " LEFT JOIN communities cm ON cm.id = r.community_id"
        f" WHERE r.user_id IN ({marks}) AND (r.role = 'contact' AND r.county_id IS NOT NULL"
        " OR r.role = 'worker' AND r.community_id IS NOT NULL) ORDER BY r.rowid",
        ids,
    ):
        key = "role_contact_short" if role == "contact" else "role_worker_short"
        roles.setdefault(int(uid), []).append(t(lang, key, county=county, community=community))
    out = {}
    for i in ids:
        if i < 0:
            out[i] = t(lang, "unreachable_group", title=escape(str(groups.get(i) or i)))
            continue
        name = str(names.get(i) or i)
        mine = roles.get(i)
        out[i] = escape(f"{name}（{'、'.join(mine)}）" if mine else name)
    return out


def _listed(lines: Sequence[str], total: int, lang: str) -> str:
    """The lines shown (at most SHOWN), then "…（另 N 个）" for the rest of `total`."""
    shown = "\n".join(f"  {n}" for n in lines)
    if total > len(lines):
        shown += "\n  " + t(lang, "rem_more", n=total - len(lines))
    return shown


def _unreachable_block(s: Services, ids: Sequence[int], lang: str) -> str:
    unique = list(dict.fromkeys(ids))
    names = _describe(s, unique[:SHOWN], lang)  # only the ones shown are looked up
    lines = [names[i] for i in unique[:SHOWN]]
    return "\n".join(
        [
            t(lang, "unreachable_title"),
            _listed(lines, len(unique), lang),
            t(lang, "unreachable_hint"),
        ]
    )


def _failed_block(s: Services, failures: Sequence[tuple[int, str, int, bool]], lang: str) -> str:
    """List (recipient, error, attempts, retrying) to admins, once per recipient."""
    first: dict[int, tuple[int, str, int, bool]] = {}
    for f in failures:
        first.setdefault(f[0], f)
    unique = list(first.values())
    names = _describe(s, [f[0] for f in unique[:SHOWN]], lang)
    lines = [
        t(
            lang,
            "failed_line_retry" if retrying else "failed_line_final",
            who=names[rid],
            error=escape(error),
            n=attempts,
        )
        for rid, error, attempts, retrying in unique[:SHOWN]
    ]
    return "\n".join(
        [
            t(lang, "failed_title"),
            _listed(lines, len(unique), lang),
            t(lang, "failed_hint", max=rem.MAX_ATTEMPTS),
        ]
    )


def report_text(s: Services, r: Report, lang: str) -> str:
    if not r.due:
        return t(lang, "remind_nothing")
    lines = [
        t(
            lang,
            "remind_report",
            due=r.due,
            sent=r.sent,
            skipped=r.skipped,
            unreachable=len(r.unreachable),
            failed=len(r.failed),
        ),
    ]
    names = _describe(s, [chat_id for chat_id, _ in r.failed[:10]], lang)
    for chat_id, error in r.failed[:10]:
        lines.append(t(lang, "remind_failed_line", who=names[chat_id], error=escape(error)))
    if r.failed:
        lines.append(t(lang, "failed_hint", max=rem.MAX_ATTEMPTS))
    if r.unreachable:
        lines += ["", _unreachable_block(s, r.unreachable, lang)]
    return "\n".join(lines)


async def _tell_admins(
    bot: Bot, s: Services, delivery: Delivery, text: Callable[[str], str], skip: int = 0
) -> None:
    for uid, lang in _admins(s):
        if uid != skip:
            await send_paced(bot, uid, text(lang), [], delivery)


# -- the job ---------------------------------------------------------------------------------------


async def tick(context: Ctx) -> None:
    """Send the reminders due now; tell admins about recipients found unreachable."""
    s = svc(context)
    if not hasattr(s, "db"):
        return  # services not open yet
    job = context.job
    delivery = job.data if job is not None and isinstance(job.data, Delivery) else _FALLBACK
    report = await send_due(context.bot, s, s.clock(), delivery)
    if report.sent or report.failed or report.unreachable:
        log.info(
            "reminders: %d sent, %d unreachable, %d failed, %d retried",
            report.sent,
            len(report.unreachable),
            len(report.failed),
            report.retries,
        )
    if report.unreachable:
        found = report.unreachable
        await _tell_admins(
            context.bot, s, delivery, lambda lang: _unreachable_block(s, found, lang)
        )
    if report.gave_up:  # told once, when the last attempt failed (not at every retry)
        final = [(rid, error, rem.MAX_ATTEMPTS, False) for rid, error in report.gave_up]
        await _tell_admins(context.bot, s, delivery, lambda lang: _failed_block(s, final, lang))


def schedule(
    app: Application[Any, Any, Any, Any, Any, Any], delivery: Delivery | None = None
) -> None:
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


# -- /remind ---------------------------------------------------------------------------------------


async def remind(update: Update, context: Ctx) -> None:
    """Send today's due reminders now and report the counts (admins)."""
    p = who(update, context)
    if not p.admin:
        await reply(update, t(p.lang, "admin_only"))
        return
    s = svc(context)
    now = s.clock()
    rows = rem.due(s.db, s.program, rem.end_of_day(now.date(), now.tzinfo or dt.UTC))
    delivery = delivery_of(context.application)
    if len(rows) <= INLINE_MAX:
        report = await deliver(context.bot, s, rows, now.date(), delivery)
        await reply(update, report_text(s, report, p.lang))
        return
    await reply(update, t(p.lang, "remind_started", n=len(rows)))
    chat = update.effective_chat
    bot = context.bot

    async def background() -> None:
        report = await deliver(bot, s, rows, now.date(), delivery)
        if chat is not None:
            await send_paced(bot, chat.id, report_text(s, report, p.lang), [], delivery)

    context.application.create_task(background(), update=update, name="greencheck-remind")


# -- /deadlines ------------------------------------------------------------------------------------


def _counties(s: Services) -> list[tuple[int, str]]:
    return [
        (int(i), str(n)) for i, n in s.db.conn.execute("SELECT id, name FROM counties ORDER BY id")
    ]


@dataclass
class _Numbers:
    """What /deadlines shows, read once per message however many deadlines it lists."""

    s: Services
    p: Principal
    today: dt.date
    _submitted: tuple[int, int] | None = None
    _mine: list[tuple[str, bool]] | None = None

    def submitted(self) -> tuple[int, int]:
        """(submitted, communities) in the viewer's counties (all for admins): bot.reports."""
        if self._submitted is None:
            counties = None if self.p.admin else sorted(self.p.counties)
            total = county_status(self.s.db, self.s.program, self.today.year, counties=counties)[-1]
            self._submitted = (total.submitted, total.communities)
        return self._submitted

    def mine(self) -> list[tuple[str, bool]]:
        """(name, submitted) of a worker's communities, in one query."""
        if self._mine is None:
            ids = ",".join(str(int(c)) for c in sorted(self.p.communities)) or "NULL"
            self._mine = [
                (str(name), status == "submitted")
                for name, status in self.s.db.conn.execute(
                    "SELECT c.name, a.status FROM communities c LEFT JOIN assessments a"
                    f" ON a.community_id = c.id AND a.standard_id = ? WHERE c.id IN ({ids})"
                    " ORDER BY c.id",
                    [self.s.program.standard],
                )
            ]
        return self._mine


def deadlines_text(s: Services, p: Principal, today: dt.date) -> str:
    """The /deadlines message for an admin (every county) or a contact or worker (their own)."""
    lang = p.lang
    all_dl = rem.all_deadlines(s.db, s.program)
    if not p.admin and not p.counties:  # workers: the self-check deadlines only
        all_dl = [d for d in all_dl if d.audience == "worker"]
    occs = rem.upcoming(all_dl, s.program, today)
    lines = [f"<b>{t(lang, 'deadlines_title', program=escape(s.program.title))}</b>"]
    if not occs:
        lines += ["", t(lang, "deadlines_none")]
    counties = _counties(s)
    numbers = _Numbers(s, p, today)
    for i, (d, occ) in enumerate(occs[:LISTED], 1):
        lines += ["", f"{i}. <b>{escape(d.title)}</b>"]
        if d.form:
            lines.append(t(lang, "dl_form", form=escape(d.form)))
        left = rem.days_text(lang, occ, today)
        lines.append(
            t(lang, "dl_when", recipient=escape(d.recipient), date=occ, left=left, id=d.id)
        )
        lines += _progress_lines(s, p, d, occ, counties, numbers)
    if len(occs) > LISTED:
        lines.append(t(lang, "rem_more", n=len(occs) - LISTED))
    if p.admin:
        lines += _admin_footer(s, lang, counties)
    return rem.fit("\n".join(lines))


def _progress_lines(
    s: Services,
    p: Principal,
    d: Deadline,
    occ: dt.date,
    counties: list[tuple[int, str]],
    numbers: _Numbers,
) -> list[str]:
    """A deadline's progress: one query (its confirmations) beyond what `numbers` caches."""
    lang = p.lang
    if d.audience == "worker":
        if p.admin or p.counties:
            k, n = numbers.submitted()
            return [t(lang, "dl_submitted", k=k, n=n)]
        return [
            t(
                lang,
                "dl_community_done" if done else "dl_community_todo",
                community=escape(name),
            )
            for name, done in numbers.mine()
        ]
    conf = rem.confirmations(s.db, s.program.id, d.id, occ)
    if p.admin:
        done = [escape(n) for c, n in counties if c in conf]
        todo = [escape(n) for c, n in counties if c not in conf]
        out = [
            t(
                lang,
                "dl_confirmed",
                k=len(done),
                n=len(counties),
                names=rem.shorten(done, NAMES, lang, "、"),
            )
            if done
            else t(lang, "dl_confirmed_none", n=len(counties))
        ]
        if done and todo:
            out.append(t(lang, "dl_pending", names=rem.shorten(todo, NAMES, lang, "、")))
        return out
    names = dict(counties)
    out = []
    for cid in sorted(p.counties):
        name = escape(names.get(cid, "?"))
        if cid in conf:
            when = local_time(conf[cid][1], "%m-%d", s.settings.zone)
            out.append(t(lang, "dl_county_done", county=name, when=when))
        else:
            out.append(t(lang, "dl_county_todo", county=name))
    return out


def _admin_footer(s: Services, lang: str, counties: list[tuple[int, str]]) -> list[str]:
    out: list[str] = []
    covered = {
        int(r[0])
        for r in s.db.conn.execute(
            "SELECT DISTINCT county_id FROM roles WHERE role = 'contact' AND county_id IS NOT NULL"
        )
    }
    lonely = [escape(n) for c, n in counties if c not in covered]
    if lonely:
        out += ["", t(lang, "dl_no_contact", names=rem.shorten(lonely, NAMES, lang, "、"))]
    gone = rem.unreachable(s.db)
    if gone:
        out += ["", _unreachable_block(s, gone, lang)]
    failing = [
        (f.recipient, f.error, f.attempts, f.retrying) for f in rem.failures(s.db, s.program.id)
    ]
    if failing:
        out += ["", _failed_block(s, failing, lang)]
    out += ["", t(lang, "dl_admin_hint")]
    return out


async def deadlines(update: Update, context: Ctx) -> None:
    """List the upcoming deadlines with days left and who has confirmed."""
    p = await registered(update, context)
    if p is None:
        return
    s = svc(context)
    await reply(update, deadlines_text(s, p, s.clock().date()))


# -- /deadline add | del ---------------------------------------------------------------------------

ONE_OFF = re.compile(r"^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?$")
MONTH_DAY = re.compile(r"^(\d{1,2})[-/.月](\d{1,2})日?$")
ANNUAL_WORDS = {"每年", "annual", "yearly", "every-year"}
ADD_WORDS = {"add", "添加", "新增"}
DEL_WORDS = {"del", "delete", "rm", "remove", "删除"}


def _parse_add(args: list[str], today: dt.date) -> tuple[dt.date | None, str | None, str]:
    """Read `YYYY-MM-DD 标题` or `每年 MM-DD 标题`; raise ReminderError on bad input."""
    if not args:
        raise rem.ReminderError("bad_date")
    if args[0].lower() in ANNUAL_WORDS:
        m = MONTH_DAY.match(args[1]) if len(args) > 1 else None
        if m is None:
            raise rem.ReminderError("bad_date")
        return None, f"{int(m[1]):02d}-{int(m[2]):02d}", " ".join(args[2:])
    m = ONE_OFF.match(args[0])
    if m is None:
        raise rem.ReminderError("bad_date")
    try:
        day = dt.date(int(m[1]), int(m[2]), int(m[3]))
    except ValueError:
        raise rem.ReminderError("bad_date") from None
    if day < today:
        raise rem.ReminderError("date_past", date=day.isoformat())
    return day, None, " ".join(args[1:])


async def deadline(update: Update, context: Ctx) -> None:
    """Add or delete a custom deadline (admins)."""
    p = who(update, context)
    lang = p.lang
    if not p.admin:
        await reply(update, t(lang, "admin_only"))
        return
    args = list(context.args or [])
    verb = args[0].lower() if args else ""
    s = svc(context)
    today = s.clock().date()
    try:
        if verb in ADD_WORDS:
            day, annual, title = _parse_add(args[1:], today)
            d = rem.add_custom(s.db, s.program, title, p.user_id, due=day, annual=annual)
            await reply(update, _added_text(s, d, today, lang))
        elif verb in DEL_WORDS and len(args) == 2:
            d = rem.delete_custom(s.db, s.program, args[1])
            await reply(update, t(lang, "deadline_deleted", id=d.id, title=escape(d.title)))
        else:
            await reply(update, t(lang, "deadline_usage"))
    except rem.ReminderError as exc:
        info = {k: escape(str(v)) for k, v in exc.info.items()}
        await reply(update, t(lang, f"dl_err_{exc.code}", **info))


def _added_text(s: Services, d: Deadline, today: dt.date, lang: str) -> str:
    nxt = d.occurrences(today, today + dt.timedelta(days=366))
    occ = nxt[0] if nxt else today
    when = t(lang, "deadline_annual", md=d.annual, date=occ) if d.annual else occ.isoformat()
    pol = rem.policy_for(s.program, d)
    return t(
        lang,
        "deadline_added",
        id=d.id,
        title=escape(d.title),
        when=when,
        left=rem.days_text(lang, occ, today),
        leads="、".join(str(x) for x in sorted(set(pol.lead_days), reverse=True)),
    )


# -- buttons ---------------------------------------------------------------------------------------


async def on_button(update: Update, context: Ctx) -> None:
    """Confirm "已报送" for a county and occurrence, or show the county's communities."""
    query = update.callback_query
    if query is None or query.data is None:
        return
    p = who(update, context)
    details = rem.DETAILS.match(query.data)
    if details:
        await _details(update, context, p, int(details["cid"]))
        return
    parsed = rem.parse_confirm(query.data)
    s = svc(context)
    d = rem.find_deadline(s.db, s.program, parsed[0]) if parsed else None
    if parsed is None or d is None:
        await query.answer(t(p.lang, "rem_stale"), show_alert=True)
        return
    _, occ, county_id = parsed
    if not rem.confirmable(s.program, d, occ, s.clock().date()):
        await query.answer(t(p.lang, "rem_not_confirmable", date=occ.isoformat()), show_alert=True)
        return
    county = county_name(s.db, county_id)
    if not p.can_view_county(county_id):
        await query.answer(t(p.lang, "rem_confirm_denied", county=county), show_alert=True)
        return
    new = rem.confirm(s.db, s.program.id, d.id, occ, county_id, p.user_id)
    await query.answer(t(p.lang, "rem_confirmed_alert" if new else "rem_already_confirmed"))
    if isinstance(query.message, Message):
        await _mark_confirmed(query.message, query.data, p.lang)
    if not new:
        return
    args = {"county": escape(county), "title": escape(d.title), "date": occ.isoformat()}
    await reply(update, t(p.lang, "rem_confirmed", **args))
    user = update.effective_user
    name = escape(user.full_name) if user else str(p.user_id)
    await _tell_admins(
        context.bot,
        s,
        delivery_of(context.application),
        lambda lang: t(lang, "rem_admin_confirmed", who=name, **args),
        skip=p.user_id,
    )


async def _mark_confirmed(message: Message, data: str, lang: str) -> None:
    """Turn the pressed "已报送" button into "已确认" (the other buttons stay)."""
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


async def _details(update: Update, context: Ctx, p: Principal, county_id: int) -> None:
    query = update.callback_query
    assert query is not None
    if not p.can_view_county(county_id):
        county = county_name(svc(context).db, county_id)
        await query.answer(t(p.lang, "rem_confirm_denied", county=county), show_alert=True)
        return
    await query.answer()
    try:  # the same paged view as /status <county>; its v:c: pager lives in handlers/status.py
        text, buttons = county_detail(context, p, county_id, 1)
    except ReportError as exc:
        await reply(update, f"❓ {escape(str(exc))}")
        return
    await reply(update, text, buttons)


# -- wiring ----------------------------------------------------------------------------------------


def register(app: Application[Any, Any, Any, Any, Any, Any]) -> None:
    """Add the deadline commands and buttons, and schedule the reminder job."""
    app.add_handler(CommandHandler("deadlines", deadlines))
    app.add_handler(CommandHandler("deadline", deadline))
    app.add_handler(CommandHandler("remind", remind))
    app.add_handler(CallbackQueryHandler(on_button, pattern=r"^rd?:"))
    schedule(app)
