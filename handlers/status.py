"""Status and files for admins, county contacts and workers.

/status [county] · /community name · /missing [county] · /export [kind] [year] · /form [name]
[year] · /chart [year|stages]. Every report is filtered by the caller's roles (bot/services/
reports.py takes the Principal); texts come from bot/texts/report_views.py in the caller's
language. Files: the data is gathered by bot/services/exports.py on a worker thread, over its own
connection (Services.exports_apart), and built by bot/files (which reads no database). Buttons (handlers/callbacks.py):
v:s / v:S county table page (compact / every column) · v:c one county's page · v:m not started,
one page · v:miss not started, as a new message · v:chart · v:exp an export (/export alone offers
the program's own, exports.offered) · v:ff fill one free-text field of a community's 申报表 for a
year: a ForceReply prompt (kept in the prompts table, like every reply prompt) whose reply
(answer_form, routed by handlers/check.py:on_text) is stored per community and year · v:sc GreenCheck's 自查结果表 of a community. Exports are built
into a temporary file (answers streamed); over Telegram's 50 MB upload limit the user is told to
use the CLI instead.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import tempfile
from collections.abc import Callable
from html import escape
from pathlib import Path
from typing import TypeVar

from telegram import CallbackQuery, ForceReply, Message, Update
from telegram.constants import ParseMode

from bot.domain import cycles
from bot.domain.access import Principal
from bot.domain.errors import Refused
from bot.services import exports, form_fields
from bot.services.checks import Prompt
from bot.texts import t
from bot.texts.layout import alert, one_line, paginate, truncate
from bot.texts.refusals import refusal
from bot.texts.report_views import (
    TEXT_LIMIT,
    render_community_detail,
    render_community_status,
    render_county_status,
    render_missing,
)
from handlers import callbacks, cards, evidence, review
from handlers.callbacks import Op
from handlers.cards import Buttons, Card
from handlers.common import (
    Ctx,
    command_arg,
    edit_card,
    markup,
    registered,
    reply,
    svc,
    unit,
    who,
)

T = TypeVar("T")
UPLOAD_LIMIT = 50 * 2**20  # what a bot may upload to Telegram
View = tuple[str, Buttons]


def _now(context: Ctx) -> dt.datetime:
    return svc(context).clock.now()


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


def _problem(exc: Refused, lang: str) -> str:
    return f"❓ {refusal(exc, lang)}"


# -- views: (text, buttons) ------------------------------------------------------------------------


def county_table(
    context: Ctx, p: Principal, page: int, wide: bool = False, year: int | None = None
) -> View:
    """The per-county table with paging and the status actions.

    The compact table fits a phone; the wide one adds the formerly livable / green, planned and
    participation columns (a toggle button switches between them). `year`: the
    table as of that year's end, with a year switch (◀ / ▶).
    """
    s = svc(context)
    if year is not None:
        rows = s.reports.county_status_as_of(year, p, s.settings.zone)
        text = render_county_status(rows, s.program, 1, wide=wide, lang=p.lang)
        switch = []  # the years a switch can name: 2000-2099 (callbacks.YEAR)
        if year > 2000:
            switch.append((f"◀ {year - 1}", callbacks.encode("v:y", year - 1)))
        if year < 2099:
            switch.append((f"{year + 1} ▶", callbacks.encode("v:y", year + 1)))
        return text, [switch] if switch else []
    rows = s.reports.county_status(_now(context).year, p)
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
    name, rows = s.reports.county_view(county_id, p)
    pages = paginate(rows, page).pages
    buttons = _pager("v:c", (county_id,), page, pages, p.lang)
    buttons.append([(t(p.lang, "btn_missing"), callbacks.encode("v:miss", county_id))])
    text = render_community_status(
        rows, name, page, points=s.standard.mode == "points", tz=s.settings.zone, lang=p.lang
    )
    return text, buttons


def missing_list(context: Ctx, p: Principal, county_id: int | None, page: int) -> View:
    """The communities that have not started, one page."""
    s = svc(context)
    rows = s.reports.missing(county_id, p)
    pages = paginate(rows, page).pages
    buttons = _pager("v:m", (county_id or 0,), page, pages, p.lang)
    return render_missing(rows, page, lang=p.lang), buttons


def _own_community(context: Ctx, p: Principal) -> View:
    s = svc(context)
    cid = min(p.communities)
    d = s.reports.community_detail(cid, p)
    block = outcome_block(context, p.lang, d.assessment_id)
    limit = TEXT_LIMIT - len(block)
    return render_community_detail(d, limit=limit, tz=s.settings.zone, lang=p.lang) + block, []


def outcome_block(context: Ctx, lang: str, aid: int | None) -> str:
    """Where the community's submitted check stands in the review chain: the stage and since
    when, sent back and why, the verified conclusion, recognition and publication ("": never
    submitted, or in no chain)."""
    s = svc(context)
    a = s.checks.get(aid) if aid is not None else None
    found = s.checks.outcome(s.checks.view(a)) if a is not None else None
    lines = cards.outcome_lines(found, lang, s.clock.zone) if found is not None else []
    return "\n\n" + "\n".join([t(lang, "oc_title"), *lines]) if lines else ""


# -- commands ------------------------------------------------------------------------------------


async def status(update: Update, context: Ctx) -> None:
    """Show progress: all counties (admin), one county (contact, or by name), or one community."""
    p = await registered(update, context)
    if p is None:
        return
    arg = command_arg(context)
    try:
        year = cycles.parse_year(arg) if arg and p.staff else None
        if year is not None:  # /status 2025: the table as of that year's end
            text, buttons = county_table(context, p, 1, year=year)
        elif arg:
            county_id, _ = svc(context).reports.resolve_county(arg)
            text, buttons = county_detail(context, p, county_id, 1)
        elif p.admin or len(p.counties) > 1:
            text, buttons = county_table(context, p, 1)
        elif p.counties:
            text, buttons = county_detail(context, p, next(iter(p.counties)), 1)
        elif not p.communities:  # a street reviewer only: their list is /review
            text, buttons = t(p.lang, "rv_status_street"), []
        else:  # a worker: their own community
            text, buttons = _own_community(context, p)
    except Refused as exc:
        await reply(update, _problem(exc, p.lang))
        return
    await reply(update, text + review.stage_note(context, p), buttons)  # + the review chain


def _community_named(context: Ctx, p: Principal) -> tuple[int, str] | None:
    """Return the community the command names, or the caller's own (None: neither)."""
    arg = command_arg(context)
    reports = svc(context).reports
    if arg:
        return reports.resolve_community(arg)  # ReportError lists candidates
    if p.communities:
        cid = min(p.communities)
        return cid, reports.community_label(cid)
    return None


async def community(update: Update, context: Ctx) -> None:
    """Show one community's check: gaps, evidence and who answered what and when."""
    p = await registered(update, context)
    if p is None:
        return
    s = svc(context)
    args = list(context.args or [])
    year = cycles.parse_year(args[-1]) if len(args) >= 2 else None
    if year is not None:  # /community 社区 2025: that year's check
        context.args = args[:-1]
    try:
        target = _community_named(context, p)
        if target is None:
            await reply(update, t(p.lang, "community_usage"))
            return
        detail = s.reports.community_detail(target[0], p, year=year)
    except Refused as exc:
        await reply(update, _problem(exc, p.lang))
        return
    block = outcome_block(context, p.lang, detail.assessment_id)
    limit = TEXT_LIMIT - len(block)
    text = render_community_detail(detail, limit=limit, tz=s.settings.zone, lang=p.lang) + block
    text += evidence.flag_lines(context, target[0], p.lang)  # provenance flags
    await reply(update, text + review.verified_lines(context, p, target[0]))  # + verified


async def missing_cmd(update: Update, context: Ctx) -> None:
    """List the communities that have not started their self-check."""
    p = await registered(update, context)
    if p is None:
        return
    if not _staff(p) and p.communities:  # a worker sees their own community in /status
        await reply(update, t(p.lang, "staff_only"))
        return
    arg = command_arg(context)
    try:
        county_id = svc(context).reports.resolve_county(arg)[0] if arg else _one_county(p)
        text, buttons = missing_list(context, p, county_id, 1)
    except Refused as exc:
        await reply(update, _problem(exc, p.lang))
        return
    await reply(update, text, buttons)


async def export(update: Update, context: Ctx) -> None:
    """Send a table as XLSX: the program's own (exports.offered), `/export KIND [YEAR]`."""
    p = who(update, context)
    args = [a.lower() for a in context.args or []]
    offered = exports.offered(svc(context).program)
    if not _staff(p):
        await reply(update, t(p.lang, "admin_only"))
        return
    if not args:
        buttons = [[(t(p.lang, f"btn_export_{k}"), callbacks.encode("v:exp", k))] for k in offered]
        await reply(update, t(p.lang, "export_pick"), buttons)
        return
    year = cycles.parse_year(args[1]) if len(args) == 2 else None
    if args[0] not in offered or (len(args) > 1 and year is None) or len(args) > 2:
        await reply(update, t(p.lang, "export_usage", kinds=" | ".join(offered)))
        return
    await _send_export(update, context, p, args[0], year)


async def off_loop(context: Ctx, build: Callable[[exports.Exports], T]) -> T:
    """Run a heavy report builder in a worker thread, on the exports service over its own
    database connection.

    XLSX, DOCX and charts take up to seconds on a large roster; run on the event loop, they
    would hold up every worker's taps meanwhile.
    """

    def work() -> T:
        with svc(context).exports_apart() as apart:
            return build(apart)

    return await asyncio.to_thread(work)


async def _send_export(
    update: Update, context: Ctx, p: Principal, kind: str, year: int | None = None
) -> None:
    """Build the export into a temporary file (answers are streamed) and send it, unless it is
    over Telegram's upload limit: then say so and point to the CLI."""
    from bot.files.exports import filename, write

    s = svc(context)
    req = exports.Request(kind, p, year, s.settings.zone, _now(context))
    chat = update.effective_chat

    def build(apart: exports.Exports, out: Path) -> None:
        data = apart.gather(req)
        with out.open("wb") as fh:
            write(data, s.program, fh, zone=req.zone, now=req.now, lang=p.lang)

    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "export.xlsx"
        try:
            await off_loop(context, lambda apart: build(apart, out))
        except Refused as exc:
            await _say(update, context, _problem(exc, p.lang))
            return
        size = out.stat().st_size
        if size > UPLOAD_LIMIT:
            mb = f"{size / 2**20:.0f}"
            await _say(update, context, t(p.lang, "export_too_big", mb=mb, kind=kind))
            return
        if chat is not None:
            name = filename(kind, s.program, year)
            with out.open("rb") as fh:
                await context.bot.send_document(chat.id, document=fh, filename=name)


async def _say(update: Update, context: Ctx, text: str) -> None:
    chat = update.effective_chat
    if chat is not None:
        await context.bot.send_message(chat.id, text, parse_mode=ParseMode.HTML)


async def form_cmd(update: Update, context: Ctx) -> None:
    """`/form [社区] [年份]`: the community's 申报表 as DOCX (its seed's own form), filled from
    the roster and what the community wrote for that year, then the fields to fill in chat; a
    program whose seed has no 申报表 gets GreenCheck's 自查结果表 instead."""
    from bot.files.forms import application_form, form_filename, form_of

    p = await registered(update, context)
    if p is None:
        return
    s = svc(context)
    args = list(context.args or [])
    asked = cycles.parse_year(args[-1]) if args else None
    context.args = args[:-1] if asked is not None else args
    try:
        target = _community_named(context, p)
        if target is None:
            await reply(update, t(p.lang, "form_usage"))
            return
        cid, name = target
        if form_of(s.program)[0] is None:
            await _send_self_check(update, context, p, cid, asked)
            await reply(update, t(p.lang, "fl_no_form"))
            return
        year = s.exports.form_year(cid, asked, _now(context).year)
        data = await off_loop(
            context, lambda apart: application_form(apart.form_data(p, cid, year), s.program)
        )
    except Refused as exc:
        await reply(update, _problem(exc, p.lang))
        return
    chat = update.effective_chat
    if chat is not None:
        filename = form_filename(name, s.program)
        await context.bot.send_document(chat.id, document=data, filename=filename)
    await reply(update, *_fields_menu(context, p, cid, name, year))


async def _send_self_check(
    update: Update, context: Ctx, p: Principal, cid: int, year: int | None
) -> None:
    """GreenCheck's 自查结果表 of the community's check of `year` (None: its latest)."""
    from bot.files.selfcheck import selfcheck_docx, selfcheck_filename

    s = svc(context)

    def build(apart: exports.Exports) -> tuple[bytes, int | None]:
        data = apart.self_check(p, cid, year)
        return selfcheck_docx(data, s.settings.zone, p.lang), data.year

    docx, found = await off_loop(context, build)
    chat = update.effective_chat
    if chat is not None:
        name = selfcheck_filename(s.reports.community_label(cid), found)
        await context.bot.send_document(chat.id, document=docx, filename=name)


async def on_self_check(update: Update, context: Ctx) -> None:
    """v:sc: the community's 自查结果表 (GreenCheck's own file), for whoever may see it."""
    found = await _view_query(update, context)
    if found is None:
        return
    query, _, p, op = found
    try:
        await _send_self_check(update, context, p, op.int("cid"), None)
    except Refused as exc:
        await query.answer(alert(refusal(exc, p.lang, html=False)), show_alert=True)
        return
    await query.answer()


# -- the form's free-text fields (asked in chat) ---------------------------------------------------


def _fields_menu(context: Ctx, p: Principal, cid: int, name: str, year: int) -> View:
    """What the community wrote on its form for `year`, a button per field of the program's form
    to fill it (for those who may), and the 自查结果表 button."""
    from bot.files.forms import fields_of

    s = svc(context)
    filled = s.form_fields.read(cid, year)
    own = fields_of(s.program)
    lines = [t(p.lang, "ff_menu", name=escape(name), year=year)]
    for key in own:
        value = escape(truncate(one_line(filled.get(key, ""), 200), 30)) or "—"
        lines.append(f"· {t(p.lang, f'ff_{key}')}{t(p.lang, 'label_colon')}{value}")
    buttons: Buttons = []
    if s.form_fields.may_edit(p, cid):
        for key in own:
            n = form_fields.FIELDS.index(key)
            button = (t(p.lang, f"ff_{key}"), callbacks.encode("v:ff", cid, n, year))
            if buttons and len(buttons[-1]) < 3:
                buttons[-1].append(button)
            else:
                buttons.append([button])
    buttons.append([(t(p.lang, "btn_self_check"), callbacks.encode("v:sc", cid))])
    return "\n".join(lines), buttons


async def on_form_field(update: Update, context: Ctx) -> None:
    """v:ff: ask for one field's text (a ForceReply); the reply is stored by answer_form."""
    found = await _view_query(update, context)
    if found is None:
        return
    query, message, p, op = found
    s = svc(context)
    cid, n = op.int("cid"), op.int("n")
    year = op.int("year") if op.get("year") else s.exports.form_year(cid, None, _now(context).year)
    try:
        key = s.form_fields.field_to_ask(p, cid, n)
    except Refused as exc:
        await query.answer(alert(refusal(exc, p.lang, html=False)), show_alert=True)
        return
    await query.answer()
    name = s.reports.community_label(cid)
    text = t(p.lang, "ff_prompt", field=t(p.lang, f"ff_{key}"), name=escape(name))
    prompt = await message.reply_text(
        text, parse_mode=ParseMode.HTML, reply_markup=ForceReply(selective=True)
    )
    where = (prompt.chat.id, prompt.message_id)
    await unit(lambda: s.form_fields.ask(p, where, (cid, year), key))


async def answer_form(update: Update, context: Ctx, prompt: Prompt) -> None:
    """A reply to a form-field prompt (handlers/check.py:on_text routes it): store the field."""
    msg, p, s = update.effective_message, who(update, context), svc(context)
    if msg is None or prompt.form is None:
        return
    pending, value = (prompt.form, prompt.qid), msg.text or ""
    try:
        stored = await unit(lambda: s.form_fields.answer(p, msg.chat_id, pending, value))
    except Refused as exc:
        await reply(update, _problem(exc, p.lang))
        return
    label = t(p.lang, f"ff_{prompt.qid}")
    done = "ff_saved" if stored else "ff_cleared"
    name = escape(s.reports.community_label(prompt.form[0]))
    await reply(update, t(p.lang, done, field=label, name=name))


async def chart(update: Update, context: Ctx) -> None:
    """Send a PNG chart of participation and completion by county against the target."""
    p = who(update, context)
    if not _staff(p):
        await reply(update, t(p.lang, "admin_only"))
        return
    arg = command_arg(context).lower()
    if arg == "stages":  # the review chain
        await _send_stage_chart(update, context, p)
        return
    year = cycles.parse_year(arg) if arg else None  # /chart 2022: as of that year's end
    if arg and year is None:
        await reply(update, t(p.lang, "chart_usage"))
        return
    await _send_chart(update, context, p, year)


async def _send_chart(update: Update, context: Ctx, p: Principal, year: int | None = None) -> None:
    from bot.files.charts import chart_png

    s = svc(context)
    year = year or _now(context).year
    zone = s.settings.zone
    png = await off_loop(
        context,
        lambda apart: chart_png(
            apart.reports.county_status_as_of(year, p, zone), s.program, lang=p.lang
        ),
    )
    chat = update.effective_chat
    if chat is not None:
        caption = t(p.lang, "rp_chart_caption", region=s.program.region)  # plain text
        await context.bot.send_photo(chat.id, photo=png, caption=caption)


async def _send_stage_chart(update: Update, context: Ctx, p: Principal) -> None:
    """/chart stages: how many checks wait at each stage of the review chain (PNG), dated."""
    from bot.files.recognised import stage_chart_png

    s = svc(context)
    png = stage_chart_png(s.program.region, s.reviews.summary(p), s.clock.today(), p.lang)
    chat = update.effective_chat
    if chat is not None:
        caption = t(p.lang, "rv_chart_caption", region=s.program.region)
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
    except Refused as exc:
        await query.answer(alert(refusal(exc, p.lang, html=False)), show_alert=True)
        return
    await query.answer()
    await edit_card(message, Card(text, buttons))


async def on_county_page(update: Update, context: Ctx) -> None:
    """v:s / v:S: a page of the county table, compact or with every column."""
    await _show(
        update, context, lambda p, op: county_table(context, p, op.int("page"), op.action == "v:S")
    )


async def on_year(update: Update, context: Ctx) -> None:
    """v:y: the county table as of another year's end (the year switch)."""
    await _show(update, context, lambda p, op: county_table(context, p, 1, year=op.int("year")))


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
    except Refused as exc:
        await query.answer(alert(refusal(exc, p.lang, html=False)), show_alert=True)
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
    if not _staff(p) or (kind is not None and kind not in exports.offered(svc(context).program)):
        await query.answer(alert(t(p.lang, "admin_only")), show_alert=True)
        return
    await query.answer()
    if kind is not None:
        await _send_export(update, context, p, kind)
    else:
        await _send_chart(update, context, p)
