"""Registration and identity: /start, /join, /me, /lang, /help, /invite, /bind.

Every reply comes from the catalogue (`bot/texts/people.py`) in the caller's language; names
from the database are escaped. The work is done by the people service (`s.people`) and the
roster's name matching.
"""

from __future__ import annotations

import contextlib
from html import escape
from typing import cast

from telegram import BotCommandScopeChat, MaybeInaccessibleMessage, Message, Update
from telegram.constants import ChatType
from telegram.error import TelegramError

from bot.domain.access import ROLES, Principal, Role, menu_role
from bot.domain.errors import Refused
from bot.services.people import LANGS, Mode, Redeemed, RoleView
from bot.texts import plural, t
from bot.texts.layout import alert
from bot.texts.refusals import refusal
from handlers import callbacks, notices, review, spotchecks
from handlers.common import (
    Ctx,
    admin_button,
    allowed,
    command_arg,
    one_match,
    reply,
    sender_ok,
    svc,
    unit,
    who,
)
from handlers.menus import publish_menu

GROUPS = (ChatType.GROUP, ChatType.SUPERGROUP)


def help_text(p: Principal) -> str:
    """The commands for the caller's roles (the welcome text for a stranger)."""
    if not p.registered:
        return t(p.lang, "welcome")
    parts = [t(p.lang, "help_worker" if p.communities else "help_head")]
    if p.streets:
        parts.append(t(p.lang, "help_street"))
    if p.counties and not p.admin:  # the admin's text names /status, /missing, /deadlines too
        parts.append(t(p.lang, "help_contact"))
    if p.admin:
        parts.append(t(p.lang, "help_admin"))
        parts.append(t(p.lang, "help_city_spot"))  # spot checks, 公示, objections
    if p.experts:
        parts.append(t(p.lang, "help_expert"))
    return "\n\n".join(parts)


async def edit_markup_off(message: MaybeInaccessibleMessage) -> None:
    """Remove a question's buttons once answered (a message too old to edit stays)."""
    if isinstance(message, Message):
        with contextlib.suppress(TelegramError):
            await message.edit_reply_markup(reply_markup=None)


async def start(update: Update, context: Ctx) -> None:
    """Greet, or register when the deep link carries an invite code."""
    if context.args:
        await _redeem(update, context, context.args[0])
        return
    p = who(update, context)
    people = svc(context).people
    await unit(
        lambda: people.mark_reachable(p.user_id)
    )  # they opened the chat: reminders reach them
    await reply(update, help_text(p))


async def join(update: Update, context: Ctx) -> None:
    """Register with an invite code."""
    if not context.args:
        await reply(update, t(who(update, context).lang, "join_usage"))
        return
    await _redeem(update, context, context.args[0])


def registered_text(lang: str, r: Redeemed) -> str:
    """The welcome for a new worker, contact or admin (saying what a second invite did)."""
    sep = t(lang, "role_sep")
    old = escape(sep.join(r.moved_from or r.kept))
    if r.role == "worker":
        key = (
            "registered_worker_moved"
            if r.moved_from
            else "registered_worker_added"
            if r.kept
            else "registered_worker"
        )
        return t(lang, key, community=escape(r.scope), old=old)
    if r.role == "contact":
        key = "registered_contact_added" if r.kept else "registered_contact"
        return t(lang, key, county=escape(r.scope), old=old)
    if r.role == "street":  # the review chain (bot/texts/review.py)
        return t(lang, "rv_registered_street", county=escape(r.scope))
    if r.role == "expert":  # an expert for one program year (bot/texts/spotchecks.py)
        return t(lang, "sp_registered_expert")
    return t(lang, "registered_admin")


async def _redeem(
    update: Update, context: Ctx, code: str, mode: Mode | None = None
) -> Redeemed | None:
    """Redeem a code for the sender; reply (throttled when wrong); the result or None."""
    user = update.effective_user
    if user is None or not sender_ok(update):  # never register a shared or bot identity
        return None
    s = svc(context)
    lang = who(update, context).lang
    try:
        r = await unit(
            lambda: s.people.redeem_invite(
                code.strip(), user.id, user.full_name, user.username, mode
            )
        )
    except Refused as exc:  # an unknown code: one reply per user per half minute
        if exc.code != "unknown" or allowed(context, "bad_invite", user.id):
            await reply(update, refusal(exc, lang))
        return None
    if r.ask:
        buttons = [
            [
                (t(lang, "btn_invite_move"), callbacks.encode("iv", "move", code.strip(), user.id)),
                (t(lang, "btn_invite_add"), callbacks.encode("iv", "add", code.strip(), user.id)),
            ]
        ]
        kept = escape(t(lang, "role_sep").join(r.kept))
        text = t(lang, "invite_second_worker", kept=kept, community=escape(r.scope))
        await reply(update, text, buttons)
        return r
    await reply(update, registered_text(lang, r))
    if r.role in ("contact", "admin", "street", "expert"):
        await publish_menu(context.bot, s.people, user.id)
    await notices.flush(context)  # a worker who moved left actions whose openers must hear
    return r


async def on_invite_mode(update: Update, context: Ctx) -> None:
    """The move-or-add buttons: redeem the invite the question was about."""
    query = update.callback_query
    op = callbacks.decode(query.data if query else None)
    if query is None or op is None:
        return
    if op.int("uid") != query.from_user.id:  # the question was someone else's
        await query.answer(t(who(update, context).lang, "button_not_yours"), show_alert=True)
        return
    await query.answer()
    mode: Mode = "move" if op.get("mode") == "move" else "add"
    if await _redeem(update, context, op.get("code") or "", mode) and query.message:
        await edit_markup_off(query.message)


def roles_text(lang: str, views: list[RoleView]) -> str:
    """The caller's roles as one line: catalogue labels with escaped place names."""
    labels = [
        t(lang, f"role_{v.role}", community=escape(v.scope), county=escape(v.scope),
          street=escape(v.scope), year=escape(v.scope))
        for v in views
    ]  # fmt: skip
    return t(lang, "role_sep").join(labels) or t(lang, "role_none")


async def me(update: Update, context: Ctx) -> None:
    """Show who the bot thinks you are."""
    p = who(update, context)
    user = update.effective_user
    roles = roles_text(p.lang, svc(context).people.role_views(p))
    name = escape(user.full_name if user else "?")
    await reply(update, t(p.lang, "me", name=name, uid=p.user_id, roles=roles))


async def lang(update: Update, context: Ctx) -> None:
    """Switch the interface language (zh or en)."""
    p = who(update, context)
    arg = command_arg(context).lower()
    user = update.effective_user
    if arg not in LANGS or user is None:
        await reply(update, t(p.lang, "lang_usage"))
        return
    people = svc(context).people
    await unit(lambda: people.set_language(user.id, arg, user.full_name, user.username))
    await reply(update, t(arg, "lang_set"))


async def help_(update: Update, context: Ctx) -> None:
    """Show the commands for the caller's roles."""
    await reply(update, help_text(who(update, context)))


async def _invite_scope(
    update: Update, context: Ctx, lg: str, role: str, name: str
) -> tuple[int | None, int | None, str] | None:
    """Resolve the invite's scope: (community_id, county_id, its name), or reply and None."""
    if role == "admin":
        return None, None, t(lg, "role_admin")
    if role not in ("worker", "contact") or not name:
        await reply(update, t(lg, "invite_usage"))
        return None
    roster = svc(context).roster
    finder = roster.find_community if role == "worker" else roster.find_county
    found = await one_match(update, lg, name, finder(name))
    if found is None:
        return None
    if role == "worker":
        return found[0], None, found[1]
    return None, found[0], found[1]


async def _may_invite(update: Update, p: Principal) -> bool:
    """Admins only, and only in a private chat (a single-use code posted in a group leaks)."""
    chat = update.effective_chat
    if not p.admin:
        await reply(update, t(p.lang, "admin_only"))
        return False
    if chat is None or chat.type != ChatType.PRIVATE:
        await reply(update, t(p.lang, "invite_private_only"))
        return False
    return True


async def invite(update: Update, context: Ctx) -> None:
    """Create a single-use, expiring invite (admins)."""
    p = who(update, context)
    if not await _may_invite(update, p):
        return
    args = context.args or []
    role = args[0].lower() if args else ""
    if role == "street":  # the review chain's street reviewer (handlers/review.py)
        return await review.street_invite(update, context, p, " ".join(args[1:]).strip())
    if role == "expert":  # an expert for one program year (handlers/spotchecks.py)
        return await spotchecks.expert_invite(update, context, p, args[1:])
    scope = await _invite_scope(update, context, p.lang, role, " ".join(args[1:]).strip())
    if scope is None:
        return
    s = svc(context)
    days = s.settings.invite_days
    try:
        code = await unit(
            lambda: s.people.create_invite(cast(Role, role), p.user_id, scope[0], scope[1], days)
        )
    except Refused as exc:  # GREENCHECK_INVITE_DAYS out of 1..365
        await reply(update, refusal(exc, p.lang))
        return
    link = f"https://t.me/{context.bot.username}?start={code}"
    key = (
        "invite_created_admin" if role == "admin" else "invite_created"
    )  # the role is not repeated as a scope
    role_label = t(p.lang, f"invite_role_{role}")
    text = plural(p.lang, days, key, role=role_label, scope=escape(scope[2]), link=link, code=code)
    await reply(update, text)


async def _may_bind(update: Update, p: Principal) -> bool:
    """Admins only, and only in a group."""
    chat = update.effective_chat
    if not p.admin:
        await reply(update, t(p.lang, "admin_only"))
        return False
    if chat is None or chat.type not in GROUPS:
        await reply(update, t(p.lang, "bind_group_only"))
        return False
    return True


async def bind(update: Update, context: Ctx) -> None:
    """Tie a group to a community or a county (admins, in the group)."""
    p = who(update, context)
    chat = update.effective_chat
    if chat is None or not await _may_bind(update, p):
        return
    name = command_arg(context)
    if not name:
        await reply(update, t(p.lang, "bind_usage"))
        return
    s = svc(context)
    communities = s.roster.find_community(name)
    counties = s.roster.find_county(name)
    exact_county = len(counties) == 1 and counties[0][1] == name
    if len(communities) == 1 and not exact_county:
        cid = communities[0][0]
        await unit(
            lambda: s.people.bind_group(chat.id, chat.title or "", p.user_id, community_id=cid)
        )
        await reply(update, t(p.lang, "bound", name=escape(communities[0][1])))
    elif len(counties) == 1:
        county = counties[0][0]
        await unit(
            lambda: s.people.bind_group(chat.id, chat.title or "", p.user_id, county_id=county)
        )
        await reply(update, t(p.lang, "bound", name=escape(counties[0][1])))
    else:
        await one_match(update, p.lang, name, communities + counties)


# -- users and revocation (admins) -------------------------------------------------------------


async def users(update: Update, context: Ctx) -> None:
    """List every user holding a role (admins)."""
    p = who(update, context)
    if not p.admin:
        await reply(update, t(p.lang, "admin_only"))
        return
    rows = svc(context).people.list_users()
    if not rows:
        await reply(update, t(p.lang, "users_none"))
        return
    lines = [t(p.lang, "users_title", n=len(rows))]
    for u in rows:
        views = [RoleView(line.role, line.scope) for line in u.roles]
        username = f" @{escape(u.username)}" if u.username else ""
        name = escape(u.name)
        lines.append(
            t(
                p.lang,
                "users_line",
                name=name,
                uid=u.user_id,
                username=username,
                roles=roles_text(p.lang, views),
            )
        )
    await reply(update, "\n".join(lines))


async def revoke(update: Update, context: Ctx) -> None:
    """/revoke <id|@username> [role]: show what would be revoked, with a confirmation button."""
    p = who(update, context)
    if not p.admin:
        await reply(update, t(p.lang, "admin_only"))
        return
    args = context.args or []
    role = args[1].lower() if len(args) > 1 else "all"
    if not args or len(args) > 2 or role not in (*ROLES, "all"):
        await reply(update, t(p.lang, "revoke_usage"))
        return
    ppl = svc(context).people
    uid = ppl.find_user(args[0])
    target = ppl.load_principal(uid) if uid is not None else None
    if uid is None or target is None or not target.registered:
        await reply(update, t(p.lang, "revoke_unknown_user", who=escape(args[0])))
        return
    views = [v for v in ppl.role_views(target) if role in ("all", v.role)]
    if not views:
        await reply(update, t(p.lang, "revoke_no_role"))
        return
    name = escape(ppl.user_names().get(uid, str(uid)))
    text = t(p.lang, "revoke_confirm", name=name, uid=uid, roles=roles_text(p.lang, views))
    button = (t(p.lang, "btn_revoke_confirm"), callbacks.encode("rk", uid, role))
    await reply(update, text, [[button]])


async def on_revoke(update: Update, context: Ctx) -> None:
    """The confirmation button: revoke (admins only, re-checked at the tap), say what went."""
    got = await admin_button(update, context)  # admins only, re-checked at the tap
    if got is None:
        return
    query, op, p = got
    s = svc(context)
    uid, role = op.int("uid"), op.get("role")
    try:
        which = None if role == "all" else cast(Role, role)
        gone = await unit(lambda: s.people.revoke(uid, which, p.user_id))
    except Refused as exc:
        await query.answer(alert(refusal(exc, p.lang, html=False)), show_alert=True)
        return
    await query.answer()
    name = escape(s.people.user_names().get(uid, str(uid)))
    text = t(p.lang, "revoked", name=name, uid=uid, roles=roles_text(p.lang, gone))
    if any(v.role == "admin" for v in gone) and uid in s.settings.admins:
        text += "\n" + t(p.lang, "revoke_env_note")
    await reply(update, text)
    await notices.flush(context)  # openers of the actions the revoked worker owned
    await _refresh_menu(context, uid)
    if query.message is not None:
        await edit_markup_off(query.message)


async def _refresh_menu(context: Ctx, uid: int) -> None:
    """A revoked reviewer loses their command menu (or gets the one left to them)."""
    ppl = svc(context).people
    if menu_role(ppl.load_principal(uid)) is not None:
        await publish_menu(context.bot, ppl, uid)
        return
    for lang in (None, "en"):
        with contextlib.suppress(TelegramError):
            await context.bot.delete_my_commands(BotCommandScopeChat(uid), language_code=lang)
