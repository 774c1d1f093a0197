"""Registration and identity: /start, /join, /me, /lang, /help, /invite, /bind."""

from __future__ import annotations

import logging
from html import escape

from telegram import Update
from telegram.constants import ChatType

from bot.people import (
    InviteError,
    Principal,
    Role,
    bind_group,
    community_name,
    county_name,
    create_invite,
    mark_reachable,
    redeem_invite,
    set_lang,
    touch_user,
)
from bot.roster import find_community, find_county
from bot.texts import t
from handlers.common import Ctx, command_arg, one_match, reply, svc, who
from handlers.menus import publish_menu

log = logging.getLogger(__name__)


def help_text(p: Principal) -> str:
    parts = [t(p.lang, "help_worker")]
    if p.admin or p.counties:
        parts.append(t(p.lang, "help_contact"))
    if p.admin:
        parts.append(t(p.lang, "help_admin"))
    return "\n\n".join(parts)


async def start(update: Update, context: Ctx) -> None:
    """Greet, or register when the deep link carries an invite code."""
    if context.args:
        await _redeem(update, context, context.args[0])
        return
    p = who(update, context)
    mark_reachable(svc(context).db, p.user_id)  # they opened the chat: reminders can reach them
    await reply(update, help_text(p) if p.registered else t(p.lang, "welcome"))


async def join(update: Update, context: Ctx) -> None:
    """Register with an invite code."""
    if not context.args:
        await reply(update, t(who(update, context).lang, "join_usage"))
        return
    await _redeem(update, context, context.args[0])


async def _redeem(update: Update, context: Ctx, code: str) -> None:
    user = update.effective_user
    if user is None:
        return
    db = svc(context).db
    lang = who(update, context).lang
    try:
        r = redeem_invite(db, code.strip(), user.id, user.full_name, user.username)
    except InviteError as exc:
        await reply(update, t(lang, f"invite_{exc.reason}"))
        return
    if r.role == "worker" and r.community_id is not None:
        text = t(lang, "registered_worker", community=escape(community_name(db, r.community_id)))
    elif r.role == "contact" and r.county_id is not None:
        text = t(lang, "registered_contact", county=escape(county_name(db, r.county_id)))
    else:
        text = t(lang, "registered_admin")
    await reply(update, text)
    if r.role in ("contact", "admin"):
        await publish_menu(context.bot, db, user.id)


async def me(update: Update, context: Ctx) -> None:
    """Show who the bot thinks you are."""
    p = who(update, context)
    db = svc(context).db
    roles = []
    if p.admin:
        roles.append(t(p.lang, "role_admin"))
    roles += [
        t(p.lang, "role_worker", community=community_name(db, c)) for c in sorted(p.communities)
    ]
    roles += [t(p.lang, "role_contact", county=county_name(db, c)) for c in sorted(p.counties)]
    user = update.effective_user
    name = user.full_name if user else "?"
    await reply(
        update,
        t(
            p.lang,
            "me",
            name=escape(name),
            uid=p.user_id,
            roles=escape("；".join(roles) or t(p.lang, "role_none")),
        ),
    )


async def lang(update: Update, context: Ctx) -> None:
    """Switch the interface language (zh or en)."""
    p = who(update, context)
    arg = command_arg(context).lower()
    user = update.effective_user
    if arg not in ("zh", "en") or user is None:
        await reply(update, t(p.lang, "lang_usage"))
        return
    db = svc(context).db
    touch_user(db, user.id, user.full_name, user.username)
    set_lang(db, user.id, arg)
    await reply(update, t(arg, "lang_set"))


async def help_(update: Update, context: Ctx) -> None:
    """Show the commands for the caller's roles."""
    p = who(update, context)
    await reply(update, help_text(p) if p.registered else t(p.lang, "welcome"))


async def invite(update: Update, context: Ctx) -> None:
    """Create a single-use, expiring invite (admins)."""
    p = who(update, context)
    lg = p.lang
    if not p.admin:
        await reply(update, t(lg, "admin_only"))
        return
    chat = update.effective_chat
    if chat is None or chat.type != ChatType.PRIVATE:
        await reply(update, t(lg, "invite_private_only"))  # a code posted in a group leaks
        return
    args = context.args or []
    role = args[0].lower() if args else ""
    name = " ".join(args[1:]).strip()
    s = svc(context)
    community_id = county_id = None
    if role in ("worker", "contact") and name:
        finder = find_community if role == "worker" else find_county
        found = await one_match(update, lg, name, finder(s.db, name))
        if found is None:
            return
        scope = found[1]
        if role == "worker":
            community_id = found[0]
        else:
            county_id = found[0]
    elif role == "admin":
        scope = t(lg, "role_admin")
    else:
        await reply(update, t(lg, "invite_usage"))
        return
    days = s.settings.invite_days
    role_t: Role = role  # type: ignore[assignment]
    code = create_invite(s.db, role_t, p.user_id, community_id, county_id, days)
    link = f"https://t.me/{context.bot.username}?start={code}"
    role_label = {"worker": "社区工作者", "contact": "县区联系人", "admin": "管理员"}[role]
    if lg == "en":
        role_label = role
    await reply(
        update,
        t(
            lg,
            "invite_created",
            role=role_label,
            scope=escape(scope),
            days=days,
            link=link,
            code=code,
        ),
    )


async def bind(update: Update, context: Ctx) -> None:
    """Tie a group to a community or a county (admins, in the group)."""
    p = who(update, context)
    lg = p.lang
    chat = update.effective_chat
    if not p.admin:
        await reply(update, t(lg, "admin_only"))
        return
    if chat is None or chat.type not in (ChatType.GROUP, ChatType.SUPERGROUP):
        await reply(update, t(lg, "bind_group_only"))
        return
    name = command_arg(context)
    if not name:
        await reply(update, t(lg, "bind_usage"))
        return
    db = svc(context).db
    communities = find_community(db, name)
    counties = find_county(db, name)
    if len(communities) == 1 and not (len(counties) == 1 and counties[0][1] == name):
        bind_group(db, chat.id, chat.title or "", p.user_id, community_id=communities[0][0])
        await reply(update, t(lg, "bound", name=escape(communities[0][1])))
    elif len(counties) == 1:
        bind_group(db, chat.id, chat.title or "", p.user_id, county_id=counties[0][0])
        await reply(update, t(lg, "bound", name=escape(counties[0][1])))
    else:
        await one_match(update, lg, name, communities + counties)


async def on_error(update: object, context: Ctx) -> None:
    """Log the error and tell the user politely; never show a traceback."""
    log.error("update failed", exc_info=context.error)
    if isinstance(update, Update):
        p = who(update, context) if update.effective_user else Principal(0)
        if update.callback_query is not None:
            try:
                await update.callback_query.answer(t(p.lang, "error"), show_alert=True)
                return
            except Exception:  # the query may be too old to answer
                log.debug("could not answer the callback query", exc_info=True)
        if update.effective_message is not None:
            await reply(update, t(p.lang, "error"))
