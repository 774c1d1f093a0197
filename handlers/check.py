"""The self-check: /check, the card's buttons, notes, evidence, /gaps, /submit, /reopen.

Callback data (ASCII, ≤ 64 bytes) names the action and its target:
  a:<aid>:<qid>:<code>  answer — y met · p partial · n not met · x N/A · f full marks ·
                        d<key><amount> set one deduction (0 clears) · b<k> bonus points
  q:<aid>:<qid>         show a question        t:<aid>[:<area>]  index / jump to an area
  g:<aid>               gap list in the card   s:<aid>           submit
  e:<aid>:<qid>         ask for evidence       o:<aid>:<qid>     ask for a note
  c:<community id>      open the check of a community (from the pick list)
"""

from __future__ import annotations

import re
from html import escape
from pathlib import PurePosixPath

from telegram import ForceReply, Message, Update
from telegram.constants import ChatType, ParseMode

from bot.checks import NOTE_MAX, Assessment, CheckError, View, next_open
from bot.domain.access import Principal
from bot.domain.scoring import Status
from bot.services.people import group_binding
from bot.services.roster import find_community
from bot.texts import t
from handlers import cards
from handlers.common import Ctx, command_arg, edit_card, one_match, reply, send_card, svc, who

CALLBACK = re.compile(
    r"^(?P<act>[aqtgseo]):(?P<aid>\d{1,12})"
    r"(?::(?P<arg>[0-9]{1,3}(?:\.[0-9]{1,3})?|bonus|V[0-9]{1,2}|x))?"
    r"(?::(?P<code>[ypnxf]|b[0-9]{1,2}|d[a-z][0-9]{1,3}(?:\.[0-9]{1,2})?))?$"
)
PICK = re.compile(r"^c:(?P<cid>\d{1,12})$")
SIMPLE: dict[str, Status] = {"y": "met", "p": "partial", "n": "not_met", "x": "na"}
DOC_SUFFIXES = {
    ".pdf", ".doc", ".docx", ".xls", ".xlsx", ".ppt", ".pptx", ".wps", ".et", ".txt",
    ".jpg", ".jpeg", ".png", ".heic", ".webp", ".gif", ".bmp", ".tif", ".tiff", ".zip", ".rar",
}  # fmt: skip


def _is_group(update: Update) -> bool:
    chat = update.effective_chat
    return chat is not None and chat.type in (ChatType.GROUP, ChatType.SUPERGROUP)


def _mention(update: Update) -> str:
    """Return an HTML mention so a selective ForceReply reaches the right person in a group."""
    user = update.effective_user
    if not _is_group(update) or user is None:
        return ""
    return f'<a href="tg://user?id={user.id}">{escape(user.full_name)}</a> '


async def _community_for(update: Update, context: Ctx, p: Principal) -> int | None:
    """Pick the community this /check, /gaps or /submit is about; explain when there is none."""
    lang = p.lang
    db = svc(context).db
    arg = command_arg(context)
    if arg:
        allowed = [m for m in find_community(db, arg) if p.can_answer(m[0])]
        found = await one_match(update, lang, arg, allowed)
        return found[0] if found else None
    chat = update.effective_chat
    if _is_group(update) and chat is not None:
        bound, _ = group_binding(db, chat.id)
        if bound is not None and p.can_answer(bound):
            return bound
    mine = sorted(p.communities)
    if len(mine) == 1:
        return mine[0]
    if not mine:
        await reply(update, t(lang, "no_community" if p.registered else "not_registered"))
        return None
    rows = db.conn.execute(
        f"SELECT id, name FROM communities WHERE id IN ({','.join('?' * len(mine))}) ORDER BY id",
        mine,
    ).fetchall()
    await reply(update, t(lang, "pick_community"), [[(name, f"c:{cid}")] for cid, name in rows])
    return None


async def _open_card(update: Update, context: Ctx, p: Principal, community_id: int) -> None:
    s = svc(context)
    a = s.checks.open(community_id)
    v = s.checks.view(a)
    qid = next_open(v.standard, v.rows, None) or v.standard.questions[0].id
    msg = await send_card(update, cards.question_card(v, qid, p.lang))
    if msg is not None:
        s.checks.remember_card(msg.chat_id, msg.message_id, a.id, qid)


async def check(update: Update, context: Ctx) -> None:
    """Open or resume the community's self-check card."""
    p = who(update, context)
    community_id = await _community_for(update, context, p)
    if community_id is not None:
        await _open_card(update, context, p, community_id)


async def gaps(update: Update, context: Ctx) -> None:
    """List what is still missing, grouped by area, with the projected score."""
    p = who(update, context)
    community_id = await _community_for(update, context, p)
    if community_id is None:
        return
    s = svc(context)
    a = s.checks.open(community_id)
    await reply(update, cards.gap_list(s.checks.view(a), p.lang))


async def submit(update: Update, context: Ctx) -> None:
    """Submit the check, or name what is still unanswered."""
    p = who(update, context)
    community_id = await _community_for(update, context, p)
    if community_id is None:
        return
    s = svc(context)
    a = s.checks.open(community_id)
    await reply(update, _submit_text(context, a, p))


def _submit_text(context: Ctx, a: Assessment, p: Principal) -> str:
    checks = svc(context).checks
    lang = p.lang
    if a.locked:
        return t(
            lang,
            "already_submitted",
            community=escape(a.community),
            when=(a.submitted_at or "")[:10],
        )
    try:
        v = checks.submit(a, p.user_id)
    except CheckError as exc:
        ids: list[str] = exc.info.get("ids", [])
        shown = "、".join(ids[:60]) + ("…" if len(ids) > 60 else "")
        return t(lang, "submit_unanswered", n=len(ids), ids=shown)
    return t(lang, "submit_done", community=escape(a.community), result=cards.result_text(v, lang))


async def reopen(update: Update, context: Ctx) -> None:
    """Reopen a submitted check (admins)."""
    p = who(update, context)
    lang = p.lang
    if not p.admin:
        await reply(update, t(lang, "admin_only"))
        return
    arg = command_arg(context)
    if not arg:
        await reply(update, t(lang, "reopen_usage"))
        return
    s = svc(context)
    found = await one_match(update, lang, arg, find_community(s.db, arg))
    if found is None:
        return
    a = s.checks.for_community(found[0])
    if a is None:
        await reply(update, t(lang, "no_check", community=escape(found[1])))
    elif not a.locked:
        await reply(update, t(lang, "not_submitted", community=escape(a.community)))
    else:
        s.checks.reopen(a)
        await reply(update, t(lang, "reopened", community=escape(a.community)))


# -- buttons ---------------------------------------------------------------------------------------


async def on_button(update: Update, context: Ctx) -> None:
    """Handle a tap on a card button: check the target and the caller, act, re-render."""
    query = update.callback_query
    if query is None or query.data is None:
        return
    p = who(update, context)
    lang = p.lang
    s = svc(context)
    pick = PICK.match(query.data)
    if pick:
        cid = int(pick["cid"])
        if not p.can_answer(cid):
            await query.answer(t(lang, "no_permission"), show_alert=True)
            return
        await query.answer()
        await _open_card(update, context, p, cid)
        return
    m = CALLBACK.match(query.data)
    a = s.checks.get(int(m["aid"])) if m else None
    if m is None or a is None or not isinstance(query.message, Message):
        await query.answer(t(lang, "stale"), show_alert=True)
        return
    if not p.can_answer(a.community_id):
        await query.answer(t(lang, "no_permission"), show_alert=True)
        return
    act, arg, code = m["act"], m["arg"], m["code"]
    message = query.message
    std = s.checks.standard_for(a)

    def here() -> str:
        """Return the question the card shows now (for the 'back' buttons)."""
        current = s.checks.card(message.chat_id, message.message_id)
        return current[1] if current and current[0] == a.id else std.questions[0].id

    if arg is not None and act in "aqeo" and arg not in std.question_index:
        await query.answer(t(lang, "stale"), show_alert=True)
        return
    if a.locked and act in "aeos":
        await query.answer(t(lang, "locked"), show_alert=True)
        return

    if act == "a" and arg is not None and code is not None:
        card = (message.chat_id, message.message_id)
        try:
            v, qid = _apply_answer(context, a, arg, code, p, card, update.update_id)
        except CheckError as exc:
            if exc.code == "repeat":  # delivered before: store nothing, just show the card again
                await _show(context, message, s.checks.view(a), here(), lang)
                return
            await query.answer(
                t(lang, "locked" if exc.code == "locked" else "stale"), show_alert=True
            )
            return
        await query.answer(t(lang, "saved"))
        await edit_card(message, cards.question_card(v, qid, lang))  # card row written above
    elif act == "q" and arg is not None:
        await query.answer()
        await _show(context, message, s.checks.view(a), arg, lang)
    elif act == "t":
        v = s.checks.view(a)
        target = cards.area_start(v, arg) if arg is not None else None
        if arg is not None and target is None:
            await query.answer(t(lang, "stale"), show_alert=True)
            return
        await query.answer()
        if target is None:
            await edit_card(message, cards.toc_card(v, lang, here()))
        else:
            await _show(context, message, v, target, lang)
    elif act == "g":
        await query.answer()
        await edit_card(message, cards.gap_card(s.checks.view(a), lang, here()))
    elif act == "s":
        await query.answer()
        text = _submit_text(context, a, p)
        fresh = s.checks.get(a.id)
        if fresh is not None and fresh.locked:
            v = s.checks.view(fresh)
            await edit_card(message, cards.question_card(v, here(), lang))
        await reply(update, text)
    elif act in "eo" and arg is not None:
        await query.answer()
        key = "evidence_prompt" if act == "e" else "note_prompt"
        prompt = await message.reply_text(
            t(lang, key, who=_mention(update), qid=arg, limit=NOTE_MAX),
            parse_mode=ParseMode.HTML,
            reply_markup=ForceReply(selective=True),
        )
        s.checks.set_prompt(
            message.chat_id,
            p.user_id,
            "evidence" if act == "e" else "note",
            a.id,
            arg,
            prompt.message_id,
        )
    else:
        await query.answer(t(lang, "stale"), show_alert=True)


def _apply_answer(
    context: Ctx,
    a: Assessment,
    qid: str,
    code: str,
    p: Principal,
    card: tuple[int, int],
    uid: int,
) -> tuple[View, str]:
    """Store the tapped answer; return the new view and the question to show next."""
    checks = svc(context).checks
    q = checks.standard_for(a).question(qid)
    is_points_item = q.max_points is not None and q.kind == "item"
    is_bonus = q.kind == "bonus" or (q.item is not None and q.item.bonus)
    if code in SIMPLE:
        if is_points_item and code != "x":
            raise CheckError("bad_answer")  # points items take f / d / x / b only
        done = checks.answer(a, qid, SIMPLE[code], p.user_id, card=card, update_id=uid)
    elif code == "f":
        if not is_points_item or is_bonus:
            raise CheckError("bad_answer")
        done = checks.answer(a, qid, "met", p.user_id, card=card, update_id=uid)
    elif code[0] == "b":
        k = float(code[1:])
        if not is_bonus or q.max_points is None or k > q.max_points:
            raise CheckError("bad_answer")
        status: Status = "met" if k > 0 else "not_met"
        done = checks.answer(a, qid, status, p.user_id, points=k, card=card, update_id=uid)
    else:  # d<key><amount>: set one deduction, keep the others, stay on the item
        key, amount = code[1], float(code[2:])
        current = checks.rows(a.id).get(qid)
        deds = dict(current.deductions) if current else {}
        if amount > 0:
            deds[key] = amount
        else:
            deds.pop(key, None)
        done = checks.answer(
            a, qid, "met", p.user_id, deductions=deds, card=card, stay=True, update_id=uid
        )
    return done.view, done.next_qid


async def _show(context: Ctx, message: Message, v: View, qid: str, lang: str) -> None:
    svc(context).checks.remember_card(message.chat_id, message.message_id, v.assessment.id, qid)
    await edit_card(message, cards.question_card(v, qid, lang))


# -- notes and evidence ------------------------------------------------------------------------------


def _to_bot(update: Update, context: Ctx) -> bool:
    """Return whether the message replies to one of the bot's own messages."""
    msg = update.effective_message
    to = msg.reply_to_message if msg else None
    return bool(to and to.from_user and to.from_user.id == context.bot.id)


def _target(update: Update, context: Ctx, p: Principal, kind: str) -> tuple[int, str] | None:
    """Find which check item a reply or upload belongs to.

    In order: a reply to the user's 📎/✏️ prompt or to a card; the earlier files of the same
    album; in a private chat, a fresh prompt of the same kind (a note prompt takes text, an
    evidence prompt takes files).
    """
    msg = update.effective_message
    chat = update.effective_chat
    if msg is None or chat is None:
        return None
    checks = svc(context).checks
    prompt = checks.prompt(chat.id, p.user_id)
    to = msg.reply_to_message
    if to is not None:
        if prompt and prompt["message_id"] == to.message_id:
            return prompt["aid"], prompt["qid"]
        card = checks.card(chat.id, to.message_id)
        if card:
            return card
    if msg.media_group_id:
        album = checks.album_target(chat.id, msg.media_group_id)
        if album:
            return album
    if prompt and prompt["fresh"] and prompt["kind"] == kind and chat.type == ChatType.PRIVATE:
        return prompt["aid"], prompt["qid"]
    return None


async def on_text(update: Update, context: Ctx) -> None:
    """Store a note replied to a prompt or card; otherwise explain how to answer."""
    msg = update.effective_message
    if msg is None or msg.text is None:
        return
    p = who(update, context)
    lang = p.lang
    target = _target(update, context, p, "note")
    checks = svc(context).checks
    if target is None:
        if update.effective_chat and update.effective_chat.type == ChatType.PRIVATE:
            await reply(update, t(lang, "text_hint" if p.registered else "not_registered"))
        return
    a = checks.get(target[0])
    if a is None:
        await reply(update, t(lang, "stale"))
        return
    if not p.can_answer(a.community_id):
        await reply(update, t(lang, "no_permission"))
        return
    try:
        checks.note(a, target[1], msg.text, p.user_id)
    except CheckError as exc:
        await reply(
            update,
            t(lang, exc.code, **exc.info) if exc.code != "bad_question" else t(lang, "stale"),
        )
        return
    checks.clear_prompt(msg.chat_id, p.user_id)
    await reply(update, t(lang, "note_saved", qid=target[1]))


def _file_info(msg: Message) -> dict[str, object] | None:
    if msg.photo:
        ph = msg.photo[-1]  # the largest size
        return {"kind": "photo", "file_id": ph.file_id, "file_unique_id": ph.file_unique_id,
                "file_size": ph.file_size}  # fmt: skip
    doc = msg.document
    if doc is not None:
        suffix = PurePosixPath(doc.file_name or "").suffix.lower()
        mime = doc.mime_type or ""
        known_type = mime.startswith("image/") or mime == "application/pdf"
        if (suffix and suffix not in DOC_SUFFIXES) or (not suffix and not known_type):
            return None
        return {"kind": "document", "file_id": doc.file_id, "file_unique_id": doc.file_unique_id,
                "file_name": doc.file_name, "mime_type": doc.mime_type,
                "file_size": doc.file_size}  # fmt: skip
    return None


async def on_file(update: Update, context: Ctx) -> None:
    """Attach a photo or document (or every file of an album) to the item it answers."""
    msg = update.effective_message
    if msg is None:
        return
    p = who(update, context)
    lang = p.lang
    s = svc(context)
    album_seen = bool(msg.media_group_id) and (
        s.checks.album_target(msg.chat_id, msg.media_group_id or "") is not None
    )
    if _is_group(update) and not (_to_bot(update, context) or album_seen):
        return  # an ordinary group message: not for us
    info = _file_info(msg)
    if info is None:
        await reply(update, t(lang, "unsupported_file"))
        return
    target = _target(update, context, p, "evidence")
    if target is None:
        if not album_seen:
            await reply(update, t(lang, "evidence_where"))
        return
    a = s.checks.get(target[0])
    if a is None or not p.can_answer(a.community_id):
        await reply(update, t(lang, "no_permission" if a else "stale"))
        return
    try:
        added = s.checks.add_evidence(
            a, target[1], p.user_id, media_group_id=msg.media_group_id,
            chat_id=msg.chat_id, message_id=msg.message_id, **info,
        )  # fmt: skip
    except CheckError as exc:
        await reply(update, t(lang, "locked" if exc.code == "locked" else "stale"))
        return
    if album_seen:
        return  # one confirmation per album
    if msg.media_group_id:
        await reply(update, t(lang, "evidence_album", qid=target[1]))
    elif not added:
        await reply(update, t(lang, "evidence_dup", qid=target[1]))
    else:
        n = s.checks.rows(a.id)[target[1]].evidence
        await reply(update, t(lang, "evidence_saved", qid=target[1], n=n))


async def on_unsupported(update: Update, context: Ctx) -> None:
    """Explain which files can be attached (in groups, only to replies to the bot)."""
    if _is_group(update) and not _to_bot(update, context):
        return
    await reply(update, t(who(update, context).lang, "unsupported_file"))
