"""Status and files for admins, county contacts and workers.

/status [county] · /community name · /missing [county] · /export kind · /form [name] · /chart.
Every report is filtered by the caller's roles (bot/services/reports.py takes the Principal);
texts come from bot/texts/report_views.py in the caller's language. Buttons (handlers/callbacks.py):
v:s / v:S county table page (compact / every column) · v:c one county's page · v:m not started,
one page · v:miss not started, as a new message · v:chart · v:exp an export.
"""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import Callable
from html import escape
from typing import Any, TypeVar

import sqlite_utils
from telegram import CallbackQuery, Message, Update
from telegram.constants import ParseMode
from telegram.ext import Application, CallbackQueryHandler, CommandHandler

from bot.domain.access import Principal
from bot.files.exports import KINDS, export_filename, export_xlsx, form, form_filename
from bot.services.reports import (
    ReportError,
    community_detail,
    community_label,
    county_status,
    county_view,
    missing,
    resolve_community,
    resolve_county,
)
from bot.store.db import connect
from bot.texts import t
from bot.texts.layout import alert, paginate
from bot.texts.report_views import (
    render_community_detail,
    render_community_status,
    render_county_status,
    render_missing,
)
from handlers import callbacks, review
from handlers.callbacks import Op
from handlers.cards import Buttons, Card
from handlers.common import Ctx, command_arg, edit_card, markup, registered, reply, svc, who

T = TypeVar("T")
View = tuple[str, Buttons]


def _now(context: Ctx) -> dt.datetime:
    return svc(context).clock()


def _pager(action: str, target: tuple[object, ...], page: int, pages: int, lang: str) -> Buttons:
    """A row of ◀ / ▶ buttons for `action` (its fields `target` then the page); [] for one page."""
    row = []
    if page > 1:
        row.append((t(lang, "page_prev"), callbacks.encode(action, *target, page - 1)))
    if page < pages:
        row.append((t(lang, "page_next"), callbacks.encode(action, *target, page + 1)))
    return [row] if row else []


def _one_county(p: Principal) -> int | None:
    return next(iter(p.counties)) if len(p.counties) == 1 and not p.admin else None


def _staff(p: Principal) -> bool:
    return p.admin or bool(p.counties)


def _problem(exc: ReportError, lang: str) -> str:
    return f"❓ {escape(exc.text(lang))}"


# -- views: (text, buttons) ------------------------------------------------------------------------


def county_table(context: Ctx, p: Principal, page: int, wide: bool = False) -> View:
    """The per-county table with paging and the status actions.

    The compact table fits a phone; the wide one adds the formerly livable / green, planned and
    participation columns (a toggle button switches between them).
    """
    s = svc(context)
    rows = county_status(s.db, s.program, _now(context).year, p)
    pages = paginate([r for r in rows if not r.is_total], page).pages
    buttons = _pager("v:S" if wide else "v:s", (), page, pages, p.lang)
    toggle = t(p.lang, "btn_narrow" if wide else "btn_wide")
    buttons.append([(toggle, callbacks.encode("v:s" if wide else "v:S", page))])
    buttons.append(
        [
            (t(p.lang, "btn_chart"), callbacks.encode("v:chart")),
            (t(p.lang, "btn_export_progress"), callbacks.encode("v:exp", "progress")),
            (t(p.lang, "btn_missing"), callbacks.encode("v:miss")),
        ]
    )
    return render_county_status(rows, s.program, page, wide=wide, lang=p.lang), buttons


def county_detail(context: Ctx, p: Principal, county_id: int, page: int) -> View:
    """One county's communities with paging (ReportError: unknown or not visible)."""
    s = svc(context)
    name, rows = county_view(s.db, county_id, s.program, p)
    pages = paginate(rows, page).pages
    buttons = _pager("v:c", (county_id,), page, pages, p.lang)
    buttons.append([(t(p.lang, "btn_missing"), callbacks.encode("v:miss", county_id))])
    text = render_community_status(rows, name, s.program, page, tz=s.settings.zone, lang=p.lang)
    return text, buttons


def missing_list(context: Ctx, p: Principal, county_id: int | None, page: int) -> View:
    """The communities that have not started, one page."""
    s = svc(context)
    rows = missing(s.db, county_id, s.program, p)
    pages = paginate(rows, page).pages
    buttons = _pager("v:m", (county_id or 0,), page, pages, p.lang)
    return render_missing(rows, page, lang=p.lang), buttons


def _own_community(context: Ctx, p: Principal) -> View:
    s = svc(context)
    cid = min(p.communities)
    d = community_detail(s.db, cid, s.program, s.catalog, p, checks=s.checks, lang=p.lang)
    return render_community_detail(d, tz=s.settings.zone, lang=p.lang), []


# -- commands ------------------------------------------------------------------------------------


async def status(update: Update, context: Ctx) -> None:
    """Show progress: all counties (admin), one county (contact, or by name), or one community."""
    p = await registered(update, context)
    if p is None:
        return
    arg = command_arg(context)
    try:
        if arg:
            county_id, _ = resolve_county(svc(context).db, arg)
            text, buttons = county_detail(context, p, county_id, 1)
        elif p.admin or len(p.counties) > 1:
            text, buttons = county_table(context, p, 1)
        elif p.counties:
            text, buttons = county_detail(context, p, next(iter(p.counties)), 1)
        else:  # a worker: their own community
            text, buttons = _own_community(context, p)
    except ReportError as exc:
        await reply(update, _problem(exc, p.lang))
        return
    await reply(update, text + review.stage_note(context, p), buttons)  # + the review chain


def _community_named(context: Ctx, p: Principal) -> tuple[int, str] | None:
    """Return the community the command names, or the caller's own (None: neither)."""
    arg = command_arg(context)
    db = svc(context).db
    if arg:
        return resolve_community(db, arg)  # ReportError lists candidates
    if p.communities:
        cid = min(p.communities)
        return cid, community_label(db, cid)
    return None


async def community(update: Update, context: Ctx) -> None:
    """Show one community's check: gaps, evidence and who answered what and when."""
    p = await registered(update, context)
    if p is None:
        return
    s = svc(context)
    try:
        target = _community_named(context, p)
        if target is None:
            await reply(update, t(p.lang, "community_usage"))
            return
        detail = community_detail(
            s.db, target[0], s.program, s.catalog, p, checks=s.checks, lang=p.lang
        )
    except ReportError as exc:
        await reply(update, _problem(exc, p.lang))
        return
    text = render_community_detail(detail, tz=s.settings.zone, lang=p.lang)
    await reply(update, text + review.verified_lines(context, p, target[0]))  # + verified


async def missing_cmd(update: Update, context: Ctx) -> None:
    """List the communities that have not started their self-check."""
    p = await registered(update, context)
    if p is None:
        return
    arg = command_arg(context)
    try:
        county_id = resolve_county(svc(context).db, arg)[0] if arg else _one_county(p)
        text, buttons = missing_list(context, p, county_id, 1)
    except ReportError as exc:
        await reply(update, _problem(exc, p.lang))
        return
    await reply(update, text, buttons)


async def export(update: Update, context: Ctx) -> None:
    """Send an official table as XLSX: progress, plan, summary or answers."""
    p = who(update, context)
    kind = command_arg(context).lower()
    if not _staff(p):
        await reply(update, t(p.lang, "admin_only"))
        return
    if kind == "recognised":  # the review chain's list for public notice (handlers/review.py)
        return await review.export_recognised(update, context, p)
    if kind not in KINDS:
        await reply(update, t(p.lang, "export_usage"))
        return
    await _send_export(update, context, p, kind)


async def off_loop(context: Ctx, build: Callable[[sqlite_utils.Database], T]) -> T:
    """Run a heavy report builder in a worker thread, on its own database connection.

    XLSX, DOCX and charts take up to seconds on a large roster; run on the event loop, they
    would hold up every worker's taps meanwhile.
    """

    def work() -> T:
        db = connect(svc(context).settings.db)
        try:
            return build(db)
        finally:
            db.close()

    return await asyncio.to_thread(work)


async def _send_export(update: Update, context: Ctx, p: Principal, kind: str) -> None:
    s = svc(context)
    now = _now(context)
    zone = s.settings.zone
    data = await off_loop(
        context, lambda db: export_xlsx(kind, db, s.program, now.year, p, tz=zone, now=now)
    )
    chat = update.effective_chat
    if chat is not None:
        name = export_filename(kind, s.program, now.year)
        await context.bot.send_document(chat.id, document=data, filename=name)


async def form_cmd(update: Update, context: Ctx) -> None:
    """Send the community's application form as DOCX, filled from the roster and the check."""
    p = await registered(update, context)
    if p is None:
        return
    s = svc(context)
    try:
        target = _community_named(context, p)
        if target is None:
            await reply(update, t(p.lang, "form_usage"))
            return
        cid = target[0]
        data = await off_loop(
            context,
            lambda db: form(db, cid, s.program, cat=s.catalog, principal=p, tz=s.settings.zone),
        )
    except ReportError as exc:
        await reply(update, _problem(exc, p.lang))
        return
    chat = update.effective_chat
    if chat is not None:
        await context.bot.send_document(chat.id, document=data, filename=form_filename(target[1]))


async def chart(update: Update, context: Ctx) -> None:
    """Send a PNG chart of participation and completion by county against the target."""
    p = who(update, context)
    if not _staff(p):
        await reply(update, t(p.lang, "admin_only"))
        return
    if command_arg(context).lower() == "stages":  # the review chain (handlers/review.py)
        return await review.send_stage_chart(update, context, p)
    await _send_chart(update, context, p)


async def _send_chart(update: Update, context: Ctx, p: Principal) -> None:
    from bot.files.charts import chart_png

    s = svc(context)
    year = _now(context).year
    png = await off_loop(
        context, lambda db: chart_png(county_status(db, s.program, year, p), s.program)
    )
    chat = update.effective_chat
    if chat is not None:
        caption = t(p.lang, "rp_chart_caption", region=s.program.region)  # plain text
        await context.bot.send_photo(chat.id, photo=png, caption=caption)


# -- buttons -------------------------------------------------------------------------------------


async def _view_query(
    update: Update, context: Ctx
) -> tuple[CallbackQuery, Message, Principal, Op] | None:
    """The tap, its message, the caller and the decoded data; answers a stale tap and gives None."""
    query = update.callback_query
    if query is None or not isinstance(query.message, Message):
        return None
    p = who(update, context)
    op = callbacks.decode(query.data)
    if op is None or not p.registered:
        await query.answer(alert(t(p.lang, "stale")), show_alert=True)
        return None
    return query, query.message, p, op


async def _show(update: Update, context: Ctx, build: Callable[[Principal, Op], View]) -> None:
    """Edit the tapped card into the view `build` makes (an alert if it cannot be made)."""
    found = await _view_query(update, context)
    if found is None:
        return
    query, message, p, op = found
    try:
        text, buttons = build(p, op)
    except ReportError as exc:
        await query.answer(alert(exc.text(p.lang)), show_alert=True)
        return
    await query.answer()
    await edit_card(message, Card(text, buttons))


async def on_county_page(update: Update, context: Ctx) -> None:
    """v:s / v:S: a page of the county table, compact or with every column."""
    await _show(
        update, context, lambda p, op: county_table(context, p, op.int("page"), op.action == "v:S")
    )


async def on_county(update: Update, context: Ctx) -> None:
    """v:c: a page of one county's communities."""
    await _show(
        update, context, lambda p, op: county_detail(context, p, op.int("county"), op.int("page"))
    )


async def on_missing_page(update: Update, context: Ctx) -> None:
    """v:m: a page of the communities not started (county 0: every county the caller sees)."""
    await _show(
        update,
        context,
        lambda p, op: missing_list(context, p, op.int("county") or None, op.int("page")),
    )


async def on_missing(update: Update, context: Ctx) -> None:
    """v:miss[:county]: the communities not started, as a new message."""
    found = await _view_query(update, context)
    if found is None:
        return
    query, message, p, op = found
    county = op.int("county") if op.get("county") else _one_county(p)
    try:
        text, buttons = missing_list(context, p, county, 1)
    except ReportError as exc:
        await query.answer(alert(exc.text(p.lang)), show_alert=True)
        return
    await query.answer()
    await message.reply_text(text, parse_mode=ParseMode.HTML, reply_markup=markup(buttons))


async def on_file(update: Update, context: Ctx) -> None:
    """v:chart and v:exp:<kind>: send the chart or an export (staff only)."""
    found = await _view_query(update, context)
    if found is None:
        return
    query, _, p, op = found
    kind = op.get("kind")
    if not _staff(p) or (kind is not None and kind not in KINDS):
        await query.answer(alert(t(p.lang, "admin_only")), show_alert=True)
        return
    await query.answer()
    if kind is not None:
        await _send_export(update, context, p, kind)
    else:
        await _send_chart(update, context, p)


def register(app: Application[Any, Any, Any, Any, Any, Any]) -> None:
    """Add the status and file commands and their buttons (one handler per action group)."""
    app.add_handler(CommandHandler("status", status))
    app.add_handler(CommandHandler("community", community))
    app.add_handler(CommandHandler("missing", missing_cmd))
    app.add_handler(CommandHandler("export", export))
    app.add_handler(CommandHandler("form", form_cmd))
    app.add_handler(CommandHandler("chart", chart))
    pattern = callbacks.pattern
    app.add_handler(CallbackQueryHandler(on_county_page, pattern=pattern("v:s", "v:S")))
    app.add_handler(CallbackQueryHandler(on_county, pattern=pattern("v:c")))
    app.add_handler(CallbackQueryHandler(on_missing_page, pattern=pattern("v:m")))
    app.add_handler(CallbackQueryHandler(on_missing, pattern=pattern("v:miss")))
    app.add_handler(CallbackQueryHandler(on_file, pattern=pattern("v:chart", "v:exp")))
