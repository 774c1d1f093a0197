"""Texts of registration, identity, roles, groups and help."""

from __future__ import annotations

# key: (Chinese, English)
TEXTS: dict[str, tuple[str, str]] = {
    # -- registration and identity --
    "welcome": (
        "👋 你好！我是绿色社区自查助手。\n"
        "请打开管理员发给你的邀请链接完成注册，或发送 /join 邀请码。",
        "👋 Hello! I am GreenCheck, the green-community self-check assistant.\n"
        "Open the invite link an admin sent you, or send /join &lt;code&gt;.",
    ),
    "not_registered": (
        "你还没有注册。请打开管理员发给你的邀请链接，或发送 /join 邀请码。",
        "You are not registered yet. Open your invite link or send /join &lt;code&gt;.",
    ),
    "post_as_yourself": (
        "🙋 我无法识别匿名管理员、频道或机器人发出的消息。请关闭“匿名发言”，用你自己的账号发送。",
        "🙋 I cannot tell who posts as an anonymous admin, a channel or a bot. "
        "Turn off “Remain anonymous” and post as yourself.",
    ),
    "join_usage": ("用法：/join 邀请码", "Usage: /join &lt;code&gt;"),
    "invite_unknown": (
        "❌ 邀请码无效。请核对后重试，或请管理员重新生成。",
        "❌ Unknown invite code. Check it, or ask an admin for a new one.",
    ),
    "invite_scope": (
        "❌ 邀请需要指明社区或县（区）。",
        "❌ An invite needs its community or county.",
    ),
    "invite_used": (
        "❌ 该邀请码已被使用，每个邀请码只能用一次。请联系管理员重新生成。",
        "❌ This invite has already been used. Ask an admin for a new one.",
    ),
    "invite_expired": (
        "⌛ 该邀请码已过期。请联系管理员重新生成。",
        "⌛ This invite has expired. Ask an admin for a new one.",
    ),
    "registered_worker": (
        "✅ 注册成功！你是 {community} 的社区工作者。\n发送 /check 开始或继续自查。",
        "✅ Registered as a community worker of {community}.\nSend /check to start or resume.",
    ),
    "registered_contact": (
        "✅ 注册成功！你是 {county} 的县区联系人。\n"
        "报送截止前我会提醒你，并附上本县区的实时进度。发送 /status 查看进度。",
        "✅ Registered as the county contact of {county}.\n"
        "I will remind you before each deadline. Send /status for progress.",
    ),
    "registered_admin": (
        "✅ 注册成功！你是管理员。发送 /help 查看可用命令。",
        "✅ Registered as an admin. Send /help for the commands.",
    ),
    "invite_second_worker": (
        "❓ 你已是 {kept} 的社区工作者。这个邀请是 {community} 的，请选择：",
        "❓ You already work for {kept}. This invite is for {community}. Choose:",
    ),
    "button_not_yours": ("⛔ 这个按钮是给别人的。", "⛔ This button is for someone else."),
    "btn_invite_move": ("改为新社区", "Move to the new one"),
    "btn_invite_add": ("同时负责两个社区", "Keep both"),
    "registered_worker_moved": (
        "✅ 已改为 {community} 的社区工作者，不再负责 {old}。\n发送 /check 开始或继续自查。",
        "✅ You now work for {community} and no longer for {old}.\nSend /check to start.",
    ),
    "registered_worker_added": (
        "✅ 你现在同时是 {community} 和 {old} 的社区工作者。\n发送 /check 选择社区开始自查。",
        "✅ You now work for {community} as well as {old}.\nSend /check to pick one.",
    ),
    "registered_contact_added": (
        "✅ 你现在同时是 {county} 和 {old} 的县区联系人。发送 /status 查看进度。",
        "✅ You are now the county contact of {county} as well as {old}. Send /status.",
    ),
    # -- revocation (admins) --
    "revoke_usage": (
        "用法：/revoke 用户ID或@用户名 [worker|contact|admin]\n不写身份则撤销全部身份。/users 查看用户。",
        "Usage: /revoke &lt;user id|@username&gt; [worker|contact|admin]\n"
        "Without a role, every role is revoked. /users lists the users.",
    ),
    "revoke_confirm": (
        "⚠️ 确定撤销 {name}（ID {uid}）的以下身份吗？\n{roles}",
        "⚠️ Revoke these roles of {name} (id {uid})?\n{roles}",
    ),
    "btn_revoke_confirm": ("确认撤销", "Revoke"),
    "revoked": (
        "✅ 已撤销 {name}（ID {uid}）的：{roles}",
        "✅ Revoked from {name} (id {uid}): {roles}",
    ),
    "revoke_env_note": (
        "注意：此管理员写在 GREENCHECK_ADMINS 中，下次启动会恢复；请同时从该变量中删除。",
        "Note: this admin is listed in GREENCHECK_ADMINS and returns at the next start; "
        "remove the id there too.",
    ),
    "revoke_unknown_user": ("❓ 没有找到这个已注册用户：{who}", "❓ No registered user {who}."),
    "revoke_no_role": (
        "该用户没有这个身份，未做更改。",
        "That user has no such role; nothing changed.",
    ),
    "revoke_last_admin": (
        "⛔ 不能撤销最后一位管理员。",
        "⛔ The last admin cannot be revoked.",
    ),
    "users_title": ("👥 已注册用户（{n}）", "👥 Registered users ({n})"),
    "users_line": ("{name}（ID {uid}{username}）：{roles}", "{name} (id {uid}{username}): {roles}"),
    "users_none": ("还没有注册用户。", "Nobody is registered yet."),
    # -- `greencheck users` --
    "cli_users_header": (
        "用户ID\t姓名\t身份\t范围\t来源\t授予时间",
        "user\tname\trole\tscope\tsource\tgranted",
    ),
    "cli_users_history": ("历史（授予与撤销）：", "History (grants and revokes):"),
    "cli_users_event": (
        "{at}\t{action}\t{uid}\t{role}\t{scope}\t来源 {source}\t操作人 {by}",
        "{at}\t{action}\t{uid}\t{role}\t{scope}\tsource {source}\tby {by}",
    ),
    "cli_users_revoked": ("已撤销 {uid} 的：{roles}", "Revoked from {uid}: {roles}"),
    "cli_users_none": ("还没有注册用户。", "Nobody is registered yet."),
    "cli_by_system": ("系统", "system"),
    "me": (
        "👤 {name}（ID {uid}）\n身份：{roles}\n语言：中文",
        "👤 {name} (id {uid})\nRoles: {roles}\nLanguage: English",
    ),
    "role_admin": ("管理员", "admin"),
    "role_worker": ("{community} 社区工作者", "worker of {community}"),
    "role_contact": ("{county} 县区联系人", "county contact of {county}"),
    "role_none": ("未注册", "not registered"),
    "role_sep": ("；", "; "),
    "label_colon": ("：", ": "),
    "invite_role_worker": ("社区工作者", "community worker"),
    "invite_role_contact": ("县区联系人", "county contact"),
    "invite_role_admin": ("管理员", "admin"),
    "lang_usage": ("用法：/lang zh 或 /lang en", "Usage: /lang zh or /lang en"),
    "lang_set": ("✅ 已切换为中文。", "✅ Language set to English."),
    "admin_only": ("⛔ 此命令仅限管理员使用。", "⛔ Admins only."),
    "invite_usage": (
        "用法：\n/invite worker 社区名称\n/invite contact 县区名称\n/invite admin",
        "Usage:\n/invite worker &lt;community&gt;\n/invite contact &lt;county&gt;\n/invite admin",
    ),
    "invite_days": (
        "邀请有效期必须是 1 到 {max} 天（收到 {days}）。",
        "an invite lives 1 to {max} days (got {days}).",
    ),
    "invite_private_only": (
        "🔒 邀请码只能使用一次，请在与我的私聊中发送 /invite，以免群里其他人抢先使用。",
        "🔒 Invites are single-use: send /invite in a private chat with me, not in a group.",
    ),
    "invite_created": (
        "✉️ 已生成{role}邀请（{scope}），{n} 天内有效，仅限一人使用：\n{link}\n邀请码：<code>{code}</code>",
        "✉️ Invite for a {role} of {scope}, valid {n} days, single use:\n{link}\nCode: <code>{code}</code>",
    ),
    "invite_created_one": (
        "✉️ 已生成{role}邀请（{scope}），{n} 天内有效，仅限一人使用：\n{link}\n邀请码：<code>{code}</code>",
        "✉️ Invite for a {role} of {scope}, valid 1 day, single use:\n{link}\nCode: <code>{code}</code>",
    ),
    "invite_created_admin": (
        "✉️ 已生成管理员邀请，{n} 天内有效，仅限一人使用：\n{link}\n邀请码：<code>{code}</code>",
        "✉️ Admin invite, valid {n} days, single use:\n{link}\nCode: <code>{code}</code>",
    ),
    "invite_created_admin_one": (
        "✉️ 已生成管理员邀请，{n} 天内有效，仅限一人使用：\n{link}\n邀请码：<code>{code}</code>",
        "✉️ Admin invite, valid 1 day, single use:\n{link}\nCode: <code>{code}</code>",
    ),
    "not_found": ("❓ 没有找到“{name}”。", "❓ Nothing matches “{name}”."),
    "ambiguous": (
        "❓ “{name}”对应多个，请写完整：\n{candidates}",
        "❓ “{name}” matches several; be more specific:\n{candidates}",
    ),
    # -- buttons nobody handles (stale or forged callback data; answered as an alert) --
    "button_unknown": (
        "⚠️ 这个按钮已失效，请重新发送命令。",
        "⚠️ This button is no longer valid; please send the command again.",
    ),
    # -- groups --
    "bind_usage": (
        "用法（在群里由管理员发送）：/bind 社区名称 或 /bind 县区名称",
        "Usage (an admin, in a group): /bind &lt;community&gt; or /bind &lt;county&gt;",
    ),
    "bind_group_only": ("此命令需要在群聊中使用。", "Use this command in a group."),
    "bound": ("🔗 本群已绑定到 {name}。", "🔗 This group is now bound to {name}."),
    # -- command menus (setMyCommands descriptions) --
    "cmd_check": ("开始或继续自查", "start or resume the self-check"),
    "cmd_gaps": ("查看缺项", "what is still missing"),
    "cmd_submit": ("提交自查", "submit the check"),
    "cmd_status": ("查看进度", "progress"),
    "cmd_community": ("社区详情", "one community in detail"),
    "cmd_missing": ("未开始自查的社区", "communities not started"),
    "cmd_export": ("导出报表 XLSX", "export the official tables"),
    "cmd_form": ("绿色社区申报表 DOCX", "the application form"),
    "cmd_chart": ("进度图表", "progress chart"),
    "cmd_deadlines": ("报送截止日期", "reporting deadlines"),
    "cmd_deadline": ("添加或删除截止日期", "add or delete a deadline"),
    "cmd_remind": ("立即发送今日提醒", "send today's reminders now"),
    "cmd_invite": ("生成邀请", "create an invite"),
    "cmd_users": ("用户与角色", "users and roles"),
    "cmd_revoke": ("撤销用户角色", "revoke a user's role"),
    "cmd_bind": ("绑定群到社区或县区", "bind a group"),
    "cmd_reopen": ("重新开放已提交的自查", "reopen a submitted check"),
    "cmd_me": ("我的身份", "who am I"),
    "cmd_lang": ("切换语言 zh/en", "switch language zh/en"),
    "cmd_help": ("帮助", "help"),
    # -- help --
    "help_worker": (
        "🌿 绿色社区自查助手\n"
        "/check 开始或继续自查（一项一按）\n"
        "/gaps 查看缺项（查漏补缺）\n"
        "/submit 提交自查\n"
        "/me 我的身份 · /lang en 切换语言\n\n"
        "在卡片上点 ✏️ 备注 后回复文字即可备注；点 📎 材料 后回复照片或文件即可上传佐证材料，"
        "也可以直接回复卡片发送。",
        "🌿 GreenCheck\n/check start or resume the self-check\n/gaps what is still missing\n"
        "/submit submit the check\n/me who am I · /lang zh switch language\n\n"
        "Tap ✏️ then reply with text for a note; tap 📎 then reply with photos or files.",
    ),
    "help_head": (
        "🌿 绿色社区自查助手\n/me 我的身份 · /lang en 切换语言",
        "🌿 GreenCheck\n/me who am I · /lang zh switch language",
    ),
    "help_contact": (
        "/status 本县区进度 · /missing 未开始的社区 · /deadlines 报送截止日期",
        "/status county progress · /missing communities not started · /deadlines reporting deadlines",
    ),
    "help_admin": (
        "管理员：/invite 生成邀请 · /bind 绑定群 · /reopen 重新开放\n"
        "/users 用户与身份 · /revoke 撤销身份\n"
        "/status 各县区进度 · /community 社区详情 · /missing 未开始\n"
        "/export 导出报表 · /form 申报表 · /chart 图表\n"
        "/deadlines 截止日期 · /deadline 增删 · /remind 发送今日提醒",
        "Admin: /invite · /bind · /reopen · /users · /revoke\n"
        "/status · /community · /missing\n"
        "/export · /form · /chart · /deadlines · /deadline · /remind",
    ),
}
