"""Registration and identity: /start, /join, /me, /lang, /help, /invite, /bind.

Every reply comes from the catalogue (`bot/texts/people.py`) in the caller's language; names
from the database are escaped. The work is done by `bot.services.people` and `.roster`.
"""

from __future__ import annotations

from html import escape
from typing import Any, cast

from telegram import Update
from telegram.constants import ChatType
from telegram.ext import CommandHandler

from bot.domain.access import Principal, Role
from bot.services import people
from bot.services.people import InviteError, Redeemed
from bot.services.roster import find_community, find_county
from bot.texts import t
from handlers import review
from handlers.common import Ctx, command_arg, one_match, reply, svc, who
from handlers.menus import publish_menu

GROUPS = (ChatType.GROUP, ChatType.SUPERGROUP)


def register(app: Any) -> None:
    """Identity and registration: open to everyone (the deep link arrives as /start CODE)."""
    app.add_handler(CommandHandler("start", start))
    app.add_handler(CommandHandler("join", join))
    app.add_handler(CommandHandler("help", help_))
    app.add_handler(CommandHandler("me", me))
    app.add_handler(CommandHandler("lang", lang))
    app.add_handler(CommandHandler("invite", invite))  # admins, in a private chat
    app.add_handler(CommandHandler("bind", bind))  # admins, in a group


def help_text(p: Principal) -> str:
    """The commands for the caller's roles (the welcome text for a stranger)."""
    if not p.registered:
        return t(p.lang, "welcome")
    parts = [t(p.lang, "help_worker")]
    if p.staff:
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
    people.mark_reachable(svc(context).db, p.user_id)  # they opened the chat: reminders reach them
    await reply(update, help_text(p))


async def join(update: Update, context: Ctx) -> None:
    """Register with an invite code."""
    if not context.args:
        await reply(update, t(who(update, context).lang, "join_usage"))
        return
    await _redeem(update, context, context.args[0])


def registered_text(lang: str, r: Redeemed) -> str:
    """The welcome for a new worker, contact or admin."""
    if r.role == "worker":
        return t(lang, "registered_worker", community=escape(r.scope))
    if r.role == "contact":
        return t(lang, "registered_contact", county=escape(r.scope))
    if r.role == "street":  # the review chain (bot/texts/review.py)
        return t(lang, "rv_registered_street", county=escape(r.scope))
    return t(lang, "registered_admin")


async def _redeem(update: Update, context: Ctx, code: str) -> None:
    user = update.effective_user
    if user is None:
        return
    s = svc(context)
    lang = who(update, context).lang
    try:
        r = people.redeem_invite(
            s.db, code.strip(), user.id, user.full_name, user.username, s.clock()
        )
    except InviteError as exc:
        await reply(update, t(lang, f"invite_{exc.reason}"))
        return
    await reply(update, registered_text(lang, r))
    if r.role in ("contact", "admin"):
        await publish_menu(context.bot, s.db, user.id)


def roles_text(lang: str, views: list[people.RoleView]) -> str:
    """The caller's roles as one line: catalogue labels with escaped place names."""
    labels = [
        t(lang, f"role_{v.role}", community=escape(v.scope), county=escape(v.scope)) for v in views
    ]
    return t(lang, "role_sep").join(labels) or t(lang, "role_none")


async def me(update: Update, context: Ctx) -> None:
    """Show who the bot thinks you are."""
    p = who(update, context)
    user = update.effective_user
    roles = roles_text(p.lang, people.role_views(svc(context).db, p))
    name = escape(user.full_name if user else "?")
    await reply(update, t(p.lang, "me", name=name, uid=p.user_id, roles=roles))


async def lang(update: Update, context: Ctx) -> None:
    """Switch the interface language (zh or en)."""
    p = who(update, context)
    arg = command_arg(context).lower()
    user = update.effective_user
    if arg not in people.LANGS or user is None:
        await reply(update, t(p.lang, "lang_usage"))
        return
    s = svc(context)
    people.set_language(s.db, user.id, arg, user.full_name, user.username, s.clock())
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
    finder = find_community if role == "worker" else find_county
    found = await one_match(update, lg, name, finder(svc(context).db, name))
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
    scope = await _invite_scope(update, context, p.lang, role, " ".join(args[1:]).strip())
    if scope is None:
        return
    s = svc(context)
    days = s.settings.invite_days
    code = people.create_invite(
        s.db, cast(Role, role), p.user_id, s.clock(), scope[0], scope[1], days
    )
    link = f"https://t.me/{context.bot.username}?start={code}"
    role_label = t(p.lang, f"invite_role_{role}")
    text = t(
        p.lang,
        "invite_created",
        role=role_label,
        scope=escape(scope[2]),
        days=days,
        link=link,
        code=code,
    )
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
    db = svc(context).db
    communities = find_community(db, name)
    counties = find_county(db, name)
    exact_county = len(counties) == 1 and counties[0][1] == name
    if len(communities) == 1 and not exact_county:
        people.bind_group(db, chat.id, chat.title or "", p.user_id, community_id=communities[0][0])
        await reply(update, t(p.lang, "bound", name=escape(communities[0][1])))
    elif len(counties) == 1:
        people.bind_group(db, chat.id, chat.title or "", p.user_id, county_id=counties[0][0])
        await reply(update, t(p.lang, "bound", name=escape(counties[0][1])))
    else:
        await one_match(update, p.lang, name, communities + counties)
