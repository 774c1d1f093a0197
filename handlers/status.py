"""Status and files for admins, county contacts and workers.

/status [县区] · /community 社区 · /missing [县区] · /export 种类 · /form [社区] · /chart.
Every report is filtered by the caller's roles (bot.reports takes the Principal as viewer).
Callback data: v:s:<page> county table · v:c:<county>:<page> one county ·
v:m:<county or 0>:<page> not started · v:chart · v:exp:<kind> · v:miss.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import re
from collections.abc import Callable
from html import escape
from typing import Any, TypeVar

import sqlite_utils
from telegram import Message, Update
from telegram.constants import ParseMode
from telegram.ext import Application, CallbackQueryHandler, CommandHandler

from bot.domain.access import Principal
from bot.files.exports import KINDS, export_filename, export_xlsx, form, form_filename
from bot.reports import (
    ReportError,
    community_detail,
    community_status,
    county_status,
    missing,
    render_community_detail,
    render_community_status,
    render_county_status,
    render_missing,
    resolve_community,
    resolve_county,
)
from bot.services.roster import RosterError, community_name
from bot.store.db import connect
from bot.texts import t
from bot.texts.layout import paginate
from handlers.cards import Buttons, Card
from handlers.common import Ctx, command_arg, edit_card, markup, registered, reply, svc, who

T = TypeVar("T")

VIEW = re.compile(
    r"^v:(?:(?P<what>[sScm]):(?:(?P<county>\d{1,9}):)?(?P<page>\d{1,4})"
    r"|(?P<chart>chart)|miss(?::(?P<miss>\d{1,9}))?|exp:(?P<kind>[a-z]{1,10}))$"
)


def _year(context: Ctx) -> int:
    return dt.datetime.now(svc(context).settings.zone).year


def _pager(prefix: str, page: int, pages: int, lang: str) -> list[tuple[str, str]]:
    row = []
    if page > 1:
        row.append((t(lang, "page_prev"), f"{prefix}{page - 1}"))
    if page < pages:
        row.append((t(lang, "page_next"), f"{prefix}{page + 1}"))
    return row


def _one_county(p: Principal) -> int | None:
    return next(iter(p.counties)) if len(p.counties) == 1 and not p.admin else None


def county_table(context: Ctx, p: Principal, page: int, wide: bool = False) -> tuple[str, Buttons]:
    """Render the per-county table with paging and the status actions.

    The narrow table fits a phone; the wide one adds the former 宜居/绿色, planned and
    participation columns (a toggle button switches between them).
    """
    s = svc(context)
    rows = county_status(s.db, s.program, _year(context), p)
    pages = paginate([r for r in rows if not r.is_total], page).pages
    here = "v:S:" if wide else "v:s:"
    buttons: Buttons = []
    nav = _pager(here, page, pages, p.lang)
    if nav:
        buttons.append(nav)
    toggle = t(p.lang, "btn_narrow" if wide else "btn_wide")
    buttons.append([(toggle, f"{'v:s:' if wide else 'v:S:'}{page}")])
    buttons.append(
        [
            (t(p.lang, "btn_chart"), "v:chart"),
            (t(p.lang, "btn_export_progress"), "v:exp:progress"),
            (t(p.lang, "btn_missing"), "v:miss"),
        ]
    )
    return render_county_status(rows, s.program, page, wide=wide), buttons


def county_detail(context: Ctx, p: Principal, county_id: int, page: int) -> tuple[str, Buttons]:
    """Render one county's communities with paging."""
    s = svc(context)
    name = s.db.execute("SELECT name FROM counties WHERE id = ?", [county_id]).fetchone()
    if name is None:
        raise ReportError("县区不存在")
    rows = community_status(s.db, county_id, s.program, p)
    if not rows and not p.can_view_county(county_id):
        raise ReportError(f"无权查看 {name[0]}")
    pages = paginate(rows, page).pages
    nav = _pager(f"v:c:{county_id}:", page, pages, p.lang)
    buttons: Buttons = [nav] if nav else []
    buttons.append([(t(p.lang, "btn_missing"), f"v:miss:{county_id}")])
    return render_community_status(rows, name[0], s.program, page, tz=s.settings.zone), buttons


def missing_list(
    context: Ctx, p: Principal, county_id: int | None, page: int
) -> tuple[str, Buttons]:
    """Render the communities that have not started."""
    s = svc(context)
    rows = missing(s.db, county_id, s.program, p)
    pages = paginate(rows, page).pages
    nav = _pager(f"v:m:{county_id or 0}:", page, pages, p.lang)
    return render_missing(rows, page), [nav] if nav else []


async def status(update: Update, context: Ctx) -> None:
    """Show progress: all counties (admin), one county (contact, or by name), or one community."""
    p = await registered(update, context)
    if p is None:
        return
    s = svc(context)
    arg = command_arg(context)
    try:
        if arg:
            county_id, _ = resolve_county(s.db, arg)
            text, buttons = county_detail(context, p, county_id, 1)
        elif p.admin or len(p.counties) > 1:
            text, buttons = county_table(context, p, 1)
        elif p.counties:
            text, buttons = county_detail(context, p, next(iter(p.counties)), 1)
        else:  # a worker: their own community
            community_id = min(p.communities)
            text = render_community_detail(
                community_detail(s.db, community_id, s.program, s.catalog, p, checks=s.checks),
                tz=s.settings.zone,
            )
            buttons = []
    except (ReportError, RosterError) as exc:
        await reply(update, f"❓ {escape(str(exc))}")
        return
    await reply(update, text, buttons)


def _community_named(context: Ctx, p: Principal) -> tuple[int, str] | None:
    """Return the community the command names, or the caller's own (None: neither)."""
    arg = command_arg(context)
    if arg:
        return resolve_community(svc(context).db, arg)  # RosterError lists candidates
    if p.communities:
        cid = min(p.communities)
        return cid, community_name(svc(context).db, cid)
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
        detail = community_detail(s.db, target[0], s.program, s.catalog, p, checks=s.checks)
    except (ReportError, RosterError) as exc:
        await reply(update, f"❓ {escape(str(exc))}")
        return
    await reply(update, render_community_detail(detail, tz=s.settings.zone))


async def missing_cmd(update: Update, context: Ctx) -> None:
    """List the communities that have not started their self-check."""
    p = await registered(update, context)
    if p is None:
        return
    s = svc(context)
    arg = command_arg(context)
    try:
        county_id = resolve_county(s.db, arg)[0] if arg else _one_county(p)
        text, buttons = missing_list(context, p, county_id, 1)
    except (ReportError, RosterError) as exc:
        await reply(update, f"❓ {escape(str(exc))}")
        return
    await reply(update, text, buttons)


async def export(update: Update, context: Ctx) -> None:
    """Send an official table as XLSX: progress, plan, summary or answers."""
    p = who(update, context)
    kind = command_arg(context).lower()
    if not (p.admin or p.counties):
        await reply(update, t(p.lang, "admin_only"))
        return
    if kind not in KINDS:
        await reply(
            update,
            t(p.lang, "export_usage"),
        )
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
    year = _year(context)
    data = await off_loop(
        context, lambda db: export_xlsx(kind, db, s.program, year, p, tz=s.settings.zone)
    )
    chat = update.effective_chat
    if chat is not None:
        await context.bot.send_document(
            chat.id, document=data, filename=export_filename(kind, s.program, year)
        )


async def form_cmd(update: Update, context: Ctx) -> None:
    """Send the community's 绿色社区申报表 as DOCX, filled from the roster and the check."""
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
            lambda db: form(db, cid, s.program, cat=s.catalog, viewer=p, tz=s.settings.zone),
        )
    except (ReportError, RosterError) as exc:
        await reply(update, f"❓ {escape(str(exc))}")
        return
    chat = update.effective_chat
    if chat is not None:
        await context.bot.send_document(chat.id, document=data, filename=form_filename(target[1]))


async def chart(update: Update, context: Ctx) -> None:
    """Send a PNG chart of participation and completion by county against the target."""
    p = who(update, context)
    if not (p.admin or p.counties):
        await reply(update, t(p.lang, "admin_only"))
        return
    await _send_chart(update, context, p)


async def _send_chart(update: Update, context: Ctx, p: Principal) -> None:
    from bot.files.charts import chart_png

    s = svc(context)
    year = _year(context)
    png = await off_loop(
        context, lambda db: chart_png(county_status(db, s.program, year, p), s.program)
    )
    chat = update.effective_chat
    if chat is not None:
        await context.bot.send_photo(
            chat.id, photo=png, caption=f"📈 {s.program.region}绿色社区创建进度"
        )


async def on_view(update: Update, context: Ctx) -> None:
    """Page through a report in place, or send the chart, an export or the missing list."""
    query = update.callback_query
    if query is None or query.data is None or not isinstance(query.message, Message):
        return
    p = who(update, context)
    m = VIEW.match(query.data)
    if m is None or not p.registered:
        await query.answer(t(p.lang, "stale"), show_alert=True)
        return
    try:
        if m["chart"] or m["kind"]:
            if not (p.admin or p.counties) or (m["kind"] and m["kind"] not in KINDS):
                await query.answer(t(p.lang, "admin_only"), show_alert=True)
                return
            await query.answer()
            if m["kind"]:
                await _send_export(update, context, p, m["kind"])
            else:
                await _send_chart(update, context, p)
            return
        if m["what"] is None:  # v:miss[:county]: a new message
            county = int(m["miss"]) if m["miss"] else _one_county(p)
            text, buttons = missing_list(context, p, county, 1)
            await query.answer()
            await query.message.reply_text(
                text, parse_mode=ParseMode.HTML, reply_markup=markup(buttons)
            )
            return
        page = int(m["page"])
        if m["what"] in "sS":
            text, buttons = county_table(context, p, page, wide=m["what"] == "S")
        elif m["what"] == "c":
            text, buttons = county_detail(context, p, int(m["county"] or 0), page)
        else:
            text, buttons = missing_list(context, p, int(m["county"] or 0) or None, page)
    except (ReportError, RosterError) as exc:
        await query.answer(str(exc), show_alert=True)
        return
    await query.answer()
    await edit_card(query.message, Card(text, buttons))


def register(app: Application[Any, Any, Any, Any, Any, Any]) -> None:
    """Add the status and file commands and their buttons."""
    app.add_handler(CommandHandler("status", status))
    app.add_handler(CommandHandler("community", community))
    app.add_handler(CommandHandler("missing", missing_cmd))
    app.add_handler(CommandHandler("export", export))
    app.add_handler(CommandHandler("form", form_cmd))
    app.add_handler(CommandHandler("chart", chart))
    app.add_handler(CallbackQueryHandler(on_view, pattern=r"^v:"))
