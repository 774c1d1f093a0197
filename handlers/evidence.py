"""Evidence files in chat: download after the answer is stored, retry pending downloads,
size limits before downloading, provenance told to the worker.

Downloads run off the tap path (`schedule_fetch`: a task created after the file row is
committed); a failure leaves the row pending (`stored_at` null) and the job `evidence-retry`
tries again. Tests await `settle()` to let the scheduled downloads finish.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import logging
import tempfile
from html import escape
from pathlib import Path
from typing import Any

from telegram import Message, Update
from telegram.error import BadRequest, TelegramError

from bot.clock import local_day
from bot.domain.access import Principal
from bot.domain.errors import Refused
from bot.files.pack import build as pack_build
from bot.files.pack import part_name
from bot.services.checks import Prompt, View
from bot.services.container import Services
from bot.services.evidence import PART_BYTES, FileRows, Stored, backup_now, too_big
from bot.texts import t
from bot.texts.layout import alert, fit
from bot.texts.refusals import refusal
from handlers import callbacks, cards
from handlers.callbacks import Op, encode
from handlers.cards import Buttons, Card
from handlers.common import (
    Ctx,
    command_arg,
    edit_card,
    every,
    markup,
    registered,
    reply,
    unit,
    who,
)
from handlers.download import TooLarge, download

log = logging.getLogger(__name__)
RETRY_JOB = "evidence-retry"
RETRY_SECONDS = 300
BACKUP_JOB = "backup-daily"
BACKUP_AT = dt.time(3, 0)  # local time of the daily backup (the JobQueue's time zone)
FLAG_LINES = 10
SCROLLED = 4  # messages after the card before it is moved to the bottom of the chat
_TASKS: set[asyncio.Task[Any]] = set()


async def refuse_too_big(update: Update, context: Ctx, info: dict[str, Any], lang: str) -> bool:
    """Say so and return True when the file is over GREENCHECK_MAX_FILE_MB (nothing saved)."""
    limit = _services(context).settings.max_file_mb
    size = info.get("file_size")
    if not too_big(size, limit):
        return False
    await reply(update, t(lang, "ev_too_big", size=f"{(size or 0) / 1048576:.1f}", limit=limit))
    return True


def schedule_fetch(context: Ctx, aid: int, qid: str, info: dict[str, Any], lang: str) -> None:
    """Download the file just attached, in the background (the answer is already stored)."""
    services = _services(context)
    eid = services.evidence.find(aid, qid, info["file_unique_id"])
    if eid is None:
        return
    task = context.application.create_task(_fetch_and_tell(context, eid, lang))  # awaited on stop
    _TASKS.add(task)
    task.add_done_callback(_TASKS.discard)


async def settle() -> None:
    """Wait for every scheduled download (tests; shutdown)."""
    while _TASKS:
        await asyncio.gather(*list(_TASKS), return_exceptions=True)


async def fetch(
    bot: Any, services: Services, eid: int, rows: FileRows | None = None
) -> Stored | None:
    """getFile + a streamed download into the store; None (the row stays pending, or is given
    up when over the size limit) on failure. The attempt is counted before it starts. `rows`:
    whose file it is (default: a community's evidence; an inspector's spot-check files)."""
    source = rows or services.evidence
    row = source.row(eid)
    if row is None or row["stored_at"] or not await unit(lambda: source.attempt(eid)):
        return None
    limit = services.settings.max_file_mb * 1024 * 1024
    try:
        tg_file = await bot.get_file(row["file_id"])
        if too_big(tg_file.file_size, services.settings.max_file_mb):
            raise TooLarge(tg_file.file_size)
        with services.evidence.files.incoming() as part:
            await download(bot, tg_file.file_path, part, limit)
            kept = await asyncio.to_thread(services.evidence.keep, part)  # hash, EXIF, phash
    except (TooLarge, BadRequest) as exc:  # over the limit, or refused by Telegram: for good
        reason = f"{type(exc).__name__}: {exc} (limit {limit} bytes)"
        await unit(lambda: source.failed(eid, reason, retry=False))
        return None
    except (TelegramError, OSError) as exc:
        error = str(exc) or type(exc).__name__
        await unit(lambda: source.failed(eid, error))
        return None
    return await unit(lambda: source.record(eid, kept, services.clock.now()))


async def _fetch_and_tell(context: Ctx, eid: int, lang: str) -> None:
    """The first download of a file just attached; the worker hears of its flags, or that it
    could not be saved (over the size limit, or refused by Telegram: a first attempt gives up
    for nothing else)."""
    services = _services(context)
    done = await fetch(context.bot, services, eid)
    row = services.evidence.row(eid)
    if row is None or not row["chat_id"]:
        return
    if done is None and services.evidence.gave_up(row):
        limit = services.settings.max_file_mb
        await context.bot.send_message(
            row["chat_id"], t(lang, "ev_too_big_download", qid=escape(row["qid"]), limit=limit)
        )
        return
    if done is None or not done.flags:
        return
    text = flag_text(lang, done.qid, done.flags)
    if "no_exif" in done.flags and services.evidence.first_no_exif(row["user_id"], eid):
        text += "\n" + t(lang, "ev_keep_exif")
    await context.bot.send_message(row["chat_id"], text, parse_mode="HTML")


def flag_text(lang: str, qid: str, flags: list[str]) -> str:
    lines = [f"📎 {escape(qid)} " + t(lang, "ev_flags_intro")]
    lines += [f"• {t(lang, 'flag_' + f)}" for f in flags]
    return "\n".join(lines)


def flag_words(lang: str, flags: list[str]) -> str:
    """The flags as one line for reviewers' and /community's lists."""
    return t(lang, "ev_flag_sep").join(t(lang, "flag_" + f) for f in flags)


async def retry_pending(context: Ctx) -> None:
    """The job: try every pending download again (bounded attempts per file)."""
    services = _services(context)
    for row in services.evidence.pending():
        await fetch(context.bot, services, row["id"])


def schedule(app: Any) -> None:
    """Retry pending downloads every RETRY_SECONDS under one deterministic name."""
    every(app, retry_pending, RETRY_SECONDS, RETRY_JOB)


def _services(context: Ctx) -> Services:
    return context.bot_data


def schedule_backups(app: Any) -> None:
    """The daily backup (a no-op unless GREENCHECK_BACKUP_DIR is set), under one name."""
    jq = app.job_queue
    if jq is not None:
        for job in jq.get_jobs_by_name(BACKUP_JOB):
            job.schedule_removal()
        jq.run_daily(daily_backup, time=BACKUP_AT, name=BACKUP_JOB)


async def daily_backup(context: Ctx) -> None:
    """Write one archive into GREENCHECK_BACKUP_DIR, keep GREENCHECK_BACKUP_KEEP (off the loop)."""
    s = _services(context)
    if not s.settings.backup_dir:
        return
    folder = Path(s.settings.backup_dir)
    folder.mkdir(parents=True, exist_ok=True)
    out = await asyncio.to_thread(backup_now, s.settings.db, s.settings.files_dir, folder,
                                  s.settings.backup_keep, s.clock.now())  # fmt: skip
    log.info("daily backup written: %s", out)


def flag_lines(context: Ctx, community_id: int, lang: str) -> str:
    """/community: one line per flagged file of the latest check (empty when none)."""
    rows = _services(context).evidence.flagged(community_id)
    if not rows:
        return ""
    lines = [t(lang, "ev_flags_head", n=len(rows))]
    for qid, name, flags in rows[:FLAG_LINES]:
        lines.append(f"• {escape(qid)} {escape(name)}: {escape(flag_words(lang, flags))}")
    return "\n\n" + "\n".join(lines)


def with_item_flags(context: Ctx, card: Card, aid: int, qid: str, lang: str) -> Card:
    """The review card plus the provenance flags of the item's files."""
    files = _services(context).evidence.item(aid, qid)
    lines = [
        f"⚠️ {escape(f['name'])}: {escape(flag_words(lang, f['flags']))}"
        for f in files
        if f["flags"]
    ]
    return Card(card.text + "\n" + "\n".join(lines), card.buttons) if lines else card


# -- /pack -------------------------------------------------------------------------------------


def _pack_target(context: Ctx, p: Principal) -> tuple[int, str] | None:
    """The community /pack names (must be visible to the caller), or the caller's own."""
    s = _services(context)
    arg = command_arg(context)
    if arg:
        cid, _ = s.reports.resolve_community(arg)  # ReportError lists candidates
    elif p.communities:
        cid = min(p.communities)
    else:
        return None
    d = s.reports.community_detail(cid, p)
    return cid, d.community  # (community_detail refuses a community the caller may not see)


async def pack_cmd(update: Update, context: Ctx) -> None:
    """Send the community's evidence pack (ZIP: 目录.xlsx + files), in parts over 50 MB."""
    p = await registered(update, context)
    chat = update.effective_chat
    if p is None or chat is None:
        return
    try:
        target = _pack_target(context, p)
    except Refused as exc:
        await reply(update, f"❓ {refusal(exc, p.lang)}")
        return
    if target is None:
        await reply(update, t(p.lang, "ev_pack_usage"))
        return
    s, (cid, name) = _services(context), target
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / f"{cid}.zip"
        words = lambda flags: flag_words(p.lang, flags)  # noqa: E731
        entries = s.evidence.pack_entries(cid)
        if not entries:
            await reply(update, t(p.lang, "ev_pack_empty", community=escape(name)))
            return
        paths = await asyncio.to_thread(
            pack_build, entries, s.evidence.content, out, words, PART_BYTES, p.lang
        )
        if len(paths) > 1:
            await reply(update, t(p.lang, "ev_pack_parts", n=len(paths)))
        for i, path in enumerate(paths, 1):
            part = f" ({i}/{len(paths)})" if len(paths) > 1 else ""
            with path.open("rb") as fh:
                await context.bot.send_document(
                    chat.id, document=fh, filename=part_name(name, i, len(paths)),
                    caption=t(p.lang, "ev_pack_caption", community=escape(name), part=part),
                    parse_mode="HTML",
                )  # fmt: skip


# -- the quiet attach flow: prompts tied to the card's item, acknowledgements without messages ----


async def retire_prompt(context: Ctx, chat_id: int, user_id: int, keep: str | None = None) -> None:
    """Expire the user's 📎/✏️ prompt (a new one is asked, or the card moved on from its item):
    forget it and delete its message. `keep`: the item the card shows now (its prompt stays)."""
    await retire(
        context, chat_id, user_id, _services(context).checks.prompt(chat_id, user_id), keep
    )


async def retire(
    context: Ctx, chat_id: int, user_id: int, prompt: Prompt | None, keep: str | None = None
) -> None:
    """Expire `prompt`, the user's pending one as already read (an answer tap reads it)."""
    if prompt is None or (keep is not None and prompt.qid == keep):
        return
    await unit(lambda: _services(context).checks.clear_prompt(chat_id, user_id))
    with contextlib.suppress(TelegramError):
        await context.bot.delete_message(chat_id, prompt.message_id)


async def acknowledge(
    update: Update, context: Ctx, p: Principal, target: tuple[int, str], text: str, react: bool
) -> None:
    """Redraw the card with the new counts; then say `text` by editing the prompt the message
    answered (no new message), or without one react to the user's message (`react`) or reply."""
    msg, chat = update.effective_message, update.effective_chat
    if msg is None or chat is None:
        return
    await redraw(context, chat.id, target[0], p.lang, msg.message_id)  # first: the ack stays last
    prompt = _services(context).checks.prompt(chat.id, p.user_id)
    to = msg.reply_to_message
    used = (
        prompt is not None
        and (prompt.aid, prompt.qid) == target
        and (to is None or to.message_id == prompt.message_id)
    )
    if prompt is not None and used:
        with contextlib.suppress(TelegramError):
            await context.bot.edit_message_text(text, chat.id, prompt.message_id, parse_mode="HTML")
    elif react:
        with contextlib.suppress(TelegramError):
            await context.bot.set_message_reaction(chat.id, msg.message_id, "👍")
    else:
        await reply(update, text)


async def redraw(context: Ctx, chat_id: int, aid: int, lang: str, now_mid: int) -> None:
    """Show the check's newest card with fresh counts: edited in place while it is in view,
    else deleted and sent again at the bottom of the chat (one card, always in reach)."""
    s = _services(context)
    shown, a = s.evidence.card_of(chat_id, aid), s.checks.get(aid)
    if shown is None or a is None:
        return
    mid, qid = shown
    v = s.checks.view(a)
    card = cards.question_card(v, qid, lang, s.clock.zone, outcome=s.checks.outcome(v))
    if now_mid - mid <= SCROLLED:
        with contextlib.suppress(TelegramError):  # unchanged, or gone: nothing to redraw
            await context.bot.edit_message_text(
                fit(card.text), chat_id, mid, parse_mode="HTML", reply_markup=markup(card.buttons)
            )
        return
    with contextlib.suppress(TelegramError):
        await context.bot.delete_message(chat_id, mid)
    sent = await context.bot.send_message(
        chat_id, fit(card.text), parse_mode="HTML", reply_markup=markup(card.buttons)
    )
    await unit(lambda: s.checks.show((chat_id, sent.message_id), aid, qid))


# -- an item's evidence list: view, remove, move -------------------------------------------------


def _list_card(s: Services, v: View, qid: str, lang: str, editable: bool) -> Card:
    """The item's files (name, size, date, flags) with view / remove / move buttons."""
    files = s.evidence.item(v.assessment.id, qid)
    if not files:
        text = t(lang, "ev_list_none", qid=escape(qid))
    else:
        lines = [t(lang, "ev_list_head", qid=escape(qid), n=len(files))]
        lines += [_file_line(i, f, lang, s.clock.zone) for i, f in enumerate(files, 1)]
        text = "\n".join(lines)
    ids = [q.id for q in v.standard.questions]
    pos = ids.index(qid) if qid in ids else 0
    near = [ids[j] for j in (pos - 1, pos + 1) if 0 <= j < len(ids)]
    rows: Buttons = []
    for i, f in enumerate(files, 1):
        row = [(t(lang, "btn_ev_view", i=i), encode("ev", f["id"]))]
        if editable:
            row.append((t(lang, "btn_ev_remove", i=i), encode("er", f["id"])))
            row += [(t(lang, "btn_ev_move_to", i=i, qid=o), encode("em", f["id"], o)) for o in near]
        rows.append(row)
    rows.append([(t(lang, "btn_ev_back"), encode("q", v.assessment.id, qid))])
    return Card(text, rows)


def _file_line(i: int, f: dict[str, Any], lang: str, zone: dt.tzinfo) -> str:
    size = f"{(f['size'] or 0) / 1024:.0f} KB"
    taken = t(lang, "ev_taken", at=escape(f["taken_at"])) if f["taken_at"] else ""
    flags = f" · ⚠️ {escape(flag_words(lang, f['flags']))}" if f["flags"] else ""
    if not f["stored"]:
        flags += t(lang, "ev_given_up_mark" if f["given_up"] else "ev_pending_mark")
    date = local_day(f["attached_at"], zone).isoformat() if f["attached_at"] else ""
    return t(lang, "ev_list_row", i=i, name=escape(f["name"]), size=size, date=date,
             taken=taken, flags=flags)  # fmt: skip


async def _file_op(
    update: Update, context: Ctx
) -> tuple[Principal, Op, dict[str, Any], Any] | None:
    """The caller, the decoded op, the file row and the check's view; None (answered) if gone."""
    query = update.callback_query
    op = callbacks.decode(query.data if query else None)
    p = who(update, context)
    s = _services(context)
    row = s.evidence.row(op.int("eid")) if op is not None else None
    if query is None or op is None or row is None:
        if query is not None:
            await query.answer(t(p.lang, "ev_gone"), show_alert=True)
        return None
    try:
        look = s.checks.look(p, row["aid"])
    except Refused:
        await query.answer(t(p.lang, "no_permission"), show_alert=True)
        return None
    return p, op, row, look.view


async def on_list(update: Update, context: Ctx) -> None:
    """📋: the item's files, in place of the card (◀ returns to the item)."""
    query = update.callback_query
    op = callbacks.decode(query.data if query else None)
    if query is None or op is None or not isinstance(query.message, Message):
        return
    p, s = who(update, context), _services(context)
    try:
        look = s.checks.look(p, op.int("aid"))
    except Refused:
        await query.answer(t(p.lang, "no_permission"), show_alert=True)
        return
    await query.answer()
    qid = str(op.get("qid"))
    editable = s.checks.editable(p, look.view.assessment.id, qid)
    await edit_card(query.message, _list_card(s, look.view, qid, p.lang, editable))


async def on_view(update: Update, context: Ctx) -> None:
    """Send one file again: by its Telegram file id, else from the store."""
    got = await _file_op(update, context)
    if got is None or update.callback_query is None:
        return
    p, _, row, _ = got
    await update.callback_query.answer()
    chat = update.effective_chat
    if chat is None:
        return
    try:
        await context.bot.send_document(chat.id, document=row["file_id"])
    except TelegramError:
        data = _services(context).evidence.content(row["sha256"])
        if data is None:
            await context.bot.send_message(chat.id, t(p.lang, "ev_gone"))
            return
        await context.bot.send_document(chat.id, document=data, filename=row["name"] or "file")


async def on_remove(update: Update, context: Ctx) -> None:
    await _change(update, context, None)


async def on_move(update: Update, context: Ctx) -> None:
    await _change(update, context, "move")


async def _change(update: Update, context: Ctx, how: str | None) -> None:
    """Remove or move one file: the check service's gates decide, as for answering (who may
    answer, the check open, a sent-back check's reopened items, a past year's lock)."""
    got = await _file_op(update, context)
    query = update.callback_query
    if got is None or query is None or not isinstance(query.message, Message):
        return
    p, op, row, v = got
    s, now = _services(context), _services(context).clock.now()
    to = str(op.get("qid")) if how == "move" else None
    if to is not None and to not in v.standard.question_index:  # data our buttons never hold
        await query.answer(t(p.lang, "stale"), show_alert=True)
        return
    try:
        if to is not None:
            await unit(lambda: s.evidence.move(p, row["id"], to, now))
        else:
            await unit(lambda: s.evidence.remove(p, row["id"], now))
    except Refused as exc:
        await query.answer(alert(refusal(exc, p.lang, html=False)), show_alert=True)
        return
    done = t(p.lang, "ev_moved", qid=to) if to else t(p.lang, "ev_removed", qid=row["qid"])
    await query.answer(done)
    a = s.checks.get(row["aid"])
    view = s.checks.view(a) if a else v
    editable = s.checks.editable(p, row["aid"], row["qid"])
    await edit_card(query.message, _list_card(s, view, row["qid"], p.lang, editable))
