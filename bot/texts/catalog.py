"""User-facing text: Simplified Chinese by default, English on `/lang en`.

Standard texts are never translated: they stay as the seeds wrote them.
"""

from __future__ import annotations

from typing import Any

LANGS = ("zh", "en")

# key: (Chinese, English)
TEXTS: dict[str, tuple[str, str]] = {
    # -- registration and identity --
    "welcome": (
        "👋 你好！我是绿色社区自查助手。\n"
        "请打开管理员发给你的邀请链接完成注册，或发送 /join 邀请码。",
        "👋 Hello! I am GreenCheck, the green-community self-check assistant.\n"
        "Open the invite link an admin sent you, or send /join <code>.",
    ),
    "not_registered": (
        "你还没有注册。请打开管理员发给你的邀请链接，或发送 /join 邀请码。",
        "You are not registered yet. Open your invite link or send /join <code>.",
    ),
    "join_usage": ("用法：/join 邀请码", "Usage: /join <code>"),
    "invite_unknown": (
        "❌ 邀请码无效。请核对后重试，或请管理员重新生成。",
        "❌ Unknown invite code. Check it, or ask an admin for a new one.",
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
    "me": (
        "👤 {name}（ID {uid}）\n身份：{roles}\n语言：中文",
        "👤 {name} (id {uid})\nRoles: {roles}\nLanguage: English",
    ),
    "role_admin": ("管理员", "admin"),
    "role_worker": ("{community} 社区工作者", "worker of {community}"),
    "role_contact": ("{county} 县区联系人", "county contact of {county}"),
    "role_none": ("未注册", "not registered"),
    "lang_usage": ("用法：/lang zh 或 /lang en", "Usage: /lang zh or /lang en"),
    "lang_set": ("✅ 已切换为中文。", "✅ Language set to English."),
    "admin_only": ("⛔ 此命令仅限管理员使用。", "⛔ Admins only."),
    "invite_usage": (
        "用法：\n/invite worker 社区名称\n/invite contact 县区名称\n/invite admin",
        "Usage:\n/invite worker <community>\n/invite contact <county>\n/invite admin",
    ),
    "invite_private_only": (
        "🔒 邀请码只能使用一次，请在与我的私聊中发送 /invite，以免群里其他人抢先使用。",
        "🔒 Invites are single-use: send /invite in a private chat with me, not in a group.",
    ),
    "invite_created": (
        "✉️ 已生成{role}邀请（{scope}），{days} 天内有效，仅限一人使用：\n{link}\n邀请码：<code>{code}</code>",
        "✉️ Invite for {role} ({scope}), valid {days} days, single use:\n{link}\nCode: <code>{code}</code>",
    ),
    "not_found": ("❓ 没有找到“{name}”。", "❓ Nothing matches “{name}”."),
    "ambiguous": (
        "❓ “{name}”对应多个，请写完整：\n{candidates}",
        "❓ “{name}” matches several; be more specific:\n{candidates}",
    ),
    # -- groups --
    "bind_usage": (
        "用法（在群里由管理员发送）：/bind 社区名称 或 /bind 县区名称",
        "Usage (an admin, in a group): /bind <community> or /bind <county>",
    ),
    "bind_group_only": ("此命令需要在群聊中使用。", "Use this command in a group."),
    "bound": ("🔗 本群已绑定到 {name}。", "🔗 This group is now bound to {name}."),
    # -- the check --
    "no_community": (
        "你还没有登记所属社区，无法自查。请联系管理员获取社区工作者邀请。",
        "You have no community yet. Ask an admin for a worker invite.",
    ),
    "pick_community": ("请选择要自查的社区：", "Choose the community to check:"),
    "no_permission": (
        "⛔ 无权限：你只能为本社区作答。",
        "⛔ Not allowed: you can only answer for your own community.",
    ),
    "locked": (
        "🔒 已提交，不能再修改。如需修改，请联系管理员重新开放。",
        "🔒 Submitted; changes are locked. Ask an admin to reopen it.",
    ),
    "stale": (
        "⚠️ 这个按钮已失效，请发送 /check 重新打开自查卡片。",
        "⚠️ This button is no longer valid. Send /check to reopen the card.",
    ),
    "saved": ("已保存", "Saved"),
    "unchanged": ("未变化", "Unchanged"),
    "card_title": (
        "🌿 {community} · 绿色社区自查（{standard}）",
        "🌿 {community} · self-check ({standard})",
    ),
    "card_progress": (
        "已答 {answered}/{total} · 缺项 {gaps} · {bar} {pct}%",
        "Answered {answered}/{total} · gaps {gaps} · {bar} {pct}%",
    ),
    "card_score": (
        "当前得分 {score}/{max}（达标线 {pass_}）",
        "Score {score}/{max} (pass {pass_})",
    ),
    "card_submitted": ("🔒 已提交 · {when}", "🔒 Submitted · {when}"),
    "card_evidence": ("📎 材料 {n}{need} · ✏️ 备注 {note}", "📎 files {n}{need} · ✏️ note {note}"),
    "card_need": ("（需要：{what}）", " (needed: {what})"),
    "card_no_note": ("无", "none"),
    "card_answer": ("当前作答：{answer}", "Current answer: {answer}"),
    "card_max": ("满分 {n}", "max {n}"),
    "card_rules": ("扣分规则：", "Deductions:"),
    "card_criteria": ("评分标准：{text}", "Scoring: {text}"),
    "card_item_points": ("本项 {pts}/{max}{detail}", "This item {pts}/{max}{detail}"),
    "card_all_done": (
        "🎉 全部 {total} 项已作答。发送 /gaps 查看缺项，确认无误后 /submit 提交。",
        "🎉 All {total} answered. Send /gaps to review, then /submit.",
    ),
    "card_bonus": ("加分项（最高 {max} 分）", "Bonus (up to {max})"),
    "card_veto": (
        "否决项：存在即不能认定为绿色社区",
        "Veto: if present, the community cannot pass",
    ),
    "status_met": ("✅ 符合", "✅ Met"),
    "status_partial": ("◐ 部分符合", "◐ Partly met"),
    "status_not_met": ("❌ 不符合", "❌ Not met"),
    "status_na": ("— 不适用", "— N/A"),
    "veto_absent": ("✅ 不存在", "✅ Not present"),
    "veto_present": ("❌ 存在（否决）", "❌ Present (veto)"),
    "btn_full": ("✅ 满分 {n}", "✅ Full {n}"),
    "btn_na_points": ("— 不适用（不扣分）", "— N/A (no deduction)"),
    "btn_bonus_none": ("无（0 分）", "None (0)"),
    "btn_evidence": ("📎 材料", "📎 Files"),
    "btn_note": ("✏️ 备注", "✏️ Note"),
    "btn_prev": ("◀ 上一项", "◀ Prev"),
    "btn_next": ("下一项 ▶", "Next ▶"),
    "btn_toc": ("📋 目录", "📋 Index"),
    "btn_gaps": ("缺项 {n}", "Gaps {n}"),
    "btn_submit": ("📤 提交", "📤 Submit"),
    "btn_back": ("↩ 返回", "↩ Back"),
    "toc_title": ("📋 目录 · 选择要跳转的部分：", "📋 Index · jump to a part:"),
    "toc_extra": ("加分项与否决项", "Bonus and vetoes"),
    # -- notes and evidence --
    "note_prompt": (
        "✏️ {who}请回复这条消息，填写 {qid} 的备注（最多 {limit} 字）。",
        "✏️ {who}reply to this message with the note for {qid} (at most {limit} characters).",
    ),
    "note_saved": ("✏️ 已保存 {qid} 的备注。", "✏️ Note saved on {qid}."),
    "note_too_long": (
        "✏️ 备注最多 {limit} 字，你发送了 {length} 字。请精简后重新回复。",
        "✏️ Notes take at most {limit} characters; yours has {length}. Please shorten it.",
    ),
    "note_empty": ("✏️ 备注不能为空。", "✏️ The note is empty."),
    "evidence_prompt": (
        "📎 {who}请回复这条消息，发送 {qid} 的照片或文件（可一次发多张）。",
        "📎 {who}reply to this message with photos or files for {qid} (an album is fine).",
    ),
    "evidence_saved": (
        "📎 已归入 {qid} · 该项共 {n} 个材料。",
        "📎 Attached to {qid} · {n} file(s) on it.",
    ),
    "evidence_album": (
        "📎 相册已归入 {qid}，同组文件会一并归入。",
        "📎 Album attached to {qid}; its other files go there too.",
    ),
    "evidence_dup": ("📎 这个文件已经在 {qid} 里了。", "📎 That file is already on {qid}."),
    "evidence_where": (
        "📎 收到文件，但不知道归入哪一项。请先在卡片上点 📎 材料，或直接回复卡片发送。",
        "📎 Got a file but no item for it. Tap 📎 on the card first, or reply to the card.",
    ),
    "unsupported_file": (
        "⚠️ 暂不支持此类文件。请发送照片，或 PDF、Word、Excel、图片等文档。",
        "⚠️ That kind of file is not supported. Send a photo or a PDF/Word/Excel/image document.",
    ),
    "text_hint": (
        "请点按卡片上的按钮作答。需要备注时，先点 ✏️ 备注再回复。\n发送 /check 打开卡片，/help 查看帮助。",
        "Please answer with the card's buttons. For a note, tap ✏️ first, then reply.\n/check opens the card, /help shows help.",
    ),
    # -- gaps and submit --
    "gaps_title": (
        "📋 {community} · 缺项 {n}（共 {total} 项，已答 {answered}）",
        "📋 {community} · {n} gaps ({answered}/{total} answered)",
    ),
    "gaps_none": ("🎉 {community} 没有缺项。", "🎉 {community} has no gaps."),
    "gap_unanswered": ("未作答", "Unanswered"),
    "gap_not_met": ("不符合", "Not met"),
    "gap_partial": ("部分符合", "Partly met"),
    "gap_evidence_missing": ("缺材料", "Missing files"),
    "gap_veto": ("触发否决项", "Veto triggered"),
    "gap_tag_unanswered": ("⬜未答", "⬜open"),
    "gap_tag_not_met": ("❌不符合", "❌not met"),
    "gap_tag_partial": ("◐部分", "◐partly"),
    "gap_tag_evidence_missing": ("📎缺材料", "📎no file"),
    "gap_tag_veto": ("⛔否决", "⛔veto"),
    "gap_note": (" — 备注：{note}", " — note: {note}"),
    "gap_need": (" — 需要：{what}", " — needed: {what}"),
    "gaps_more": ("  …（另 {n} 项）", "  … ({n} more)"),
    "gaps_projected": (
        "当前得分 {score}，如未答项全部满分可达 {projected}（达标线 {pass_}）。",
        "Score now {score}; {projected} if every unanswered item scores full (pass {pass_}).",
    ),
    "gaps_footer": ("全部作答后即可 /submit 提交。", "Once everything is answered, /submit."),
    "submit_unanswered": (
        "⚠️ 还有 {n} 项未作答，暂不能提交：\n{ids}\n请发送 /check 继续。",
        "⚠️ {n} item(s) unanswered, cannot submit yet:\n{ids}\nSend /check to continue.",
    ),
    "submit_done": (
        "📤 {community} 的自查已提交。\n{result}\n如需修改，请联系管理员重新开放。",
        "📤 The self-check of {community} is submitted.\n{result}\nAsk an admin to reopen it for changes.",
    ),
    "already_submitted": (
        "🔒 {community} 的自查已于 {when} 提交。",
        "🔒 {community} was submitted on {when}.",
    ),
    "result_pass": ("结论：✅ 达标", "Result: ✅ passed"),
    "result_fail": ("结论：❌ 未达标", "Result: ❌ not passed"),
    "result_veto": ("（触发否决项）", " (veto triggered)"),
    "result_score": ("得分 {score}/{max}（达标线 {pass_}）", "Score {score}/{max} (pass {pass_})"),
    "result_met": ("符合 {met}/{applicable} 项", "Met {met}/{applicable}"),
    "reopen_usage": ("用法：/reopen 社区名称", "Usage: /reopen <community>"),
    "reopened": (
        "🔓 已重新开放 {community} 的自查。",
        "🔓 Reopened the self-check of {community}.",
    ),
    "not_submitted": (
        "{community} 的自查尚未提交，无需重新开放。",
        "{community} is not submitted.",
    ),
    "no_check": ("{community} 还没有开始自查。", "{community} has not started a check."),
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
    "help_contact": (
        "/status 本县区进度 · /missing 未开始的社区 · /deadlines 报送截止日期",
        "/status county progress · /missing not started · /deadlines deadlines",
    ),
    "help_admin": (
        "管理员：/invite 生成邀请 · /bind 绑定群 · /reopen 重新开放\n"
        "/status 各县区进度 · /community 社区详情 · /missing 未开始\n"
        "/export 导出报表 · /form 申报表 · /chart 图表\n"
        "/deadlines 截止日期 · /deadline 增删 · /remind 发送今日提醒",
        "Admin: /invite · /bind · /reopen · /status · /community · /missing\n"
        "/export · /form · /chart · /deadlines · /deadline · /remind",
    ),
    # -- status and files --
    "page_prev": ("◀ 上一页", "◀ Prev"),
    "page_next": ("下一页 ▶", "Next ▶"),
    "btn_chart": ("📈 图表", "📈 Chart"),
    "btn_export_progress": ("⬇️ 导出进度表", "⬇️ Progress table"),
    "btn_missing": ("未开始的社区", "Not started"),
    "btn_wide": ("📋 全部列（原宜居/原绿色/计划/参与率）", "📋 All columns"),
    "btn_narrow": ("📱 精简表", "📱 Compact table"),
    "community_usage": ("用法：/community 社区名称", "Usage: /community <community>"),
    "form_usage": ("用法：/form 社区名称", "Usage: /form <community>"),
    "export_usage": (
        "用法：/export progress（进度表）| plan（创建计划表）| summary（完成情况汇总表）| answers（全部作答）",
        "Usage: /export progress | plan | summary | answers",
    ),
    "error": (
        "😥 出了点问题，这次操作没有完成，已保存的内容不受影响。请稍后再试。",
        "😥 Something went wrong; nothing saved was lost. Please try again.",
    ),
}


# -- deadlines and reminders (bot/reminders.py, handlers/reminders.py) --
TEXTS.update(
    {
        # -- failed reminders and confirmations --
        "failed_title": (
            "⚠️ 以下人员的提醒发送失败（网络或 Telegram 出错）：",
            "⚠️ Reminders to these people failed (network or Telegram errors):",
        ),
        "failed_line_retry": (
            "{who} — {error}（已试 {n} 次，将自动重试）",
            "{who} — {error} ({n} tries so far; will retry)",
        ),
        "failed_line_final": (
            "{who} — {error}（已试 {n} 次，不再重试）",
            "{who} — {error} ({n} tries; given up)",
        ),
        "failed_hint": (
            "失败的提醒会在之后的定时检查中自动重试，每条最多 {max} 次；"
            "若一直失败，请检查服务器网络，或请对方重新打开机器人。",
            "Failed reminders are retried by the next runs, at most {max} times each; if they keep"
            " failing, check the server's network or ask them to open the bot again.",
        ),
        "rem_not_confirmable": (
            "⚠️ 不能确认 {date} 这一期：这个截止日期没有这一期，或离截止还早（提醒开始后再确认）。",
            "⚠️ Cannot confirm {date}: this deadline has no such date, or it is not due yet"
            " (confirm once its reminders start).",
        ),
        "rem_title": ("⏰ 提醒：{title}", "⏰ Reminder: {title}"),
        "rem_late_title": ("⚠️ 逾期提醒：{title}", "⚠️ Overdue: {title}"),
        "rem_worker_title": ("⏰ 自查提醒：{title}", "⏰ Self-check reminder: {title}"),
        "rem_worker_late": ("⚠️ 自查已逾期：{title}", "⚠️ Self-check overdue: {title}"),
        "rem_form": ("报送材料：{form}", "Form: {form}"),
        "rem_due": (
            "报送对象：{recipient} · 截止 {date}（{left}）",
            "Submit to: {recipient} · due {date} ({left})",
        ),
        "rem_left": ("还有 {n} 天", "{n} days left"),
        "rem_today": ("今天截止", "due today"),
        "rem_late": ("已逾期 {n} 天", "{n} days overdue"),
        "rem_more": ("…（另 {n} 个）", "… ({n} more)"),
        "rem_status_title": (
            "{county}现状（{year} 年目标 {target}%）",
            "{county} now ({year} target {target}%)",
        ),
        "rem_status_title_plain": ("{county}现状", "{county} now"),
        "rem_status": (
            "社区 {n} · 已开始自查 {started} · 已提交 {submitted} · 达标 {passed} · 完成率 {pct}%",
            "Communities {n} · started {started} · submitted {submitted} · passed {passed}"
            " · completion {pct}%",
        ),
        "rem_open_title": ("尚未提交的社区（{n}）：", "Not yet submitted ({n}):"),
        "rem_open_gaps": ("{name} 缺 {n}", "{name} {n} gaps"),
        "rem_open_new": ("{name} 未开始", "{name} not started"),
        "rem_all_submitted": ("全部社区都已提交自查 🎉", "Every community has submitted 🎉"),
        "rem_confirm_hint": (
            "报送后请点“✅ 已报送”，本次截止将不再提醒。",
            "Once submitted, tap “✅ Submitted” to stop these reminders.",
        ),
        "rem_worker_line": (
            "{community}：已答 {answered}/{total} · 缺项 {gaps}",
            "{community}: answered {answered}/{total} · gaps {gaps}",
        ),
        "rem_worker_new": ("{community}：尚未开始自查", "{community}: not started yet"),
        "rem_worker_hint": (
            "请发送 /check 继续自查，全部作答后 /submit 提交。",
            "Send /check to continue; /submit once everything is answered.",
        ),
        "btn_confirm": ("✅ 已报送", "✅ Submitted"),
        "btn_confirm_county": ("✅ 已报送 · {county}", "✅ Submitted · {county}"),
        "btn_confirmed": ("☑️ 已确认报送", "☑️ Confirmed"),
        "btn_details": ("📊 查看详情", "📊 Details"),
        "btn_continue": ("📝 继续自查 · {community}", "📝 Continue · {community}"),
        # confirmation
        "rem_confirmed_alert": ("已确认报送，不再提醒", "Confirmed; no more reminders"),
        "rem_already_confirmed": ("此前已确认报送", "Already confirmed"),
        "rem_confirmed": (
            "✅ 已确认：{county} 已报送“{title}”（截止 {date}），本次不再提醒。",
            "✅ Confirmed: {county} submitted “{title}” (due {date}); no more reminders for it.",
        ),
        "rem_confirm_denied": (
            "⛔ 只有 {county} 的县区联系人或管理员可以确认报送。",
            "⛔ Only a contact of {county} or an admin can confirm.",
        ),
        "rem_admin_confirmed": (
            "✅ {county} 已确认报送“{title}”（截止 {date}）· {who}",
            "✅ {county} confirmed “{title}” (due {date}) · {who}",
        ),
        "rem_stale": (
            "⚠️ 这个截止日期已不存在，无需再确认。",
            "⚠️ This deadline no longer exists.",
        ),
        # /remind and delivery problems
        "remind_report": (
            "📨 今日提醒：应发 {due} 条 · 已发送 {sent} · 此前已发 {skipped} · 无法送达 {unreachable} · 失败 {failed}",
            "📨 Today's reminders: {due} due · sent {sent} · sent before {skipped}"
            " · unreachable {unreachable} · failed {failed}",
        ),
        "remind_nothing": (
            "📭 今天没有需要发送的提醒（都已发送，或没有临近的截止日期）。",
            "📭 Nothing to send today (all sent, or no deadline near).",
        ),
        "remind_started": (
            "📨 正在发送 {n} 条提醒，完成后会告诉你结果。",
            "📨 Sending {n} reminders; I will report when done.",
        ),
        "remind_failed_line": ("失败：{who} — {error}", "Failed: {who} — {error}"),
        "unreachable_title": (
            "⚠️ 以下人员收不到提醒（未启动机器人或已屏蔽）：",
            "⚠️ These people cannot receive reminders (never started or blocked the bot):",
        ),
        "unreachable_hint": (
            "请让他们打开邀请链接，或在 Telegram 中找到机器人并点“开始”。",
            "Ask them to open their invite link or press Start in the bot's chat.",
        ),
        "unreachable_group": ("群「{title}」", "group “{title}”"),
        "role_contact_short": ("{county} 联系人", "contact of {county}"),
        "role_worker_short": ("{community} 社区工作者", "worker of {community}"),
        # /deadlines
        "deadlines_title": ("📅 报送截止日期 · {program}", "📅 Deadlines · {program}"),
        "deadlines_none": (
            "近期没有报送截止日期。",
            "No deadlines coming up.",
        ),
        "dl_when": (
            "   {recipient} · 截止 {date}（{left}）· <code>{id}</code>",
            "   {recipient} · due {date} ({left}) · <code>{id}</code>",
        ),
        "dl_form": ("   材料：{form}", "   Form: {form}"),
        "dl_confirmed": ("   已报送 {k}/{n}：{names}", "   Confirmed {k}/{n}: {names}"),
        "dl_confirmed_none": ("   已报送 0/{n}", "   Confirmed 0/{n}"),
        "dl_pending": ("   未报送：{names}", "   Pending: {names}"),
        "dl_county_done": (
            "   {county}：✅ 已报送（{when}）",
            "   {county}: ✅ confirmed ({when})",
        ),
        "dl_county_todo": ("   {county}：⏳ 未报送", "   {county}: ⏳ not confirmed"),
        "dl_submitted": (
            "   社区自查已提交 {k}/{n}",
            "   Self-checks submitted {k}/{n}",
        ),
        "dl_community_done": ("   {community}：✅ 已提交", "   {community}: ✅ submitted"),
        "dl_community_todo": ("   {community}：⏳ 未提交", "   {community}: ⏳ not submitted"),
        "dl_no_contact": (
            "📵 没有县区联系人（收不到提醒）：{names}",
            "📵 Counties without a contact (no reminders): {names}",
        ),
        "dl_admin_hint": (
            "添加：/deadline add 2026-12-15 标题 · /deadline add 每年 11-20 标题\n"
            "删除：/deadline del custom-1 · 立即发送今日提醒：/remind",
            "Add: /deadline add 2026-12-15 &lt;title&gt; · /deadline add 每年 11-20 &lt;title&gt;\n"
            "Delete: /deadline del custom-1 · send today's reminders now: /remind",
        ),
        # /deadline add | del
        "deadline_usage": (
            "用法：\n/deadline add 2026-12-15 标题\n/deadline add 每年 11-20 标题\n"
            "/deadline del custom-1",
            "Usage:\n/deadline add 2026-12-15 &lt;title&gt;\n/deadline add 每年 11-20 &lt;title&gt;\n"
            "/deadline del custom-1",
        ),
        "deadline_added": (
            "✅ 已添加截止日期 <code>{id}</code>：{title}\n截止 {when}（{left}）\n"
            "县区联系人将在截止前 {leads} 天收到提醒。",
            "✅ Added deadline <code>{id}</code>: {title}\nDue {when} ({left})\n"
            "County contacts are reminded {leads} days before.",
        ),
        "deadline_annual": ("每年 {md}（下次 {date}）", "every year on {md} (next {date})"),
        "deadline_deleted": (
            "🗑 已删除截止日期 <code>{id}</code>：{title}，不再提醒。",
            "🗑 Deleted deadline <code>{id}</code>: {title}; no more reminders.",
        ),
        "dl_err_title_missing": (
            "❓ 缺少标题。例：/deadline add 2026-12-15 报送年度总结报告",
            "❓ The title is missing. E.g. /deadline add 2026-12-15 Annual report",
        ),
        "dl_err_title_too_long": (
            "✏️ 标题最多 {limit} 字，你写了 {length} 字。",
            "✏️ Titles take at most {limit} characters; yours has {length}.",
        ),
        "dl_err_bad_date": (
            "❓ 日期看不懂。请写 2026-12-15，或 每年 11-20（不能是 02-29）。",
            "❓ Cannot read the date. Write 2026-12-15, or 每年 11-20 (not 02-29).",
        ),
        "dl_err_date_past": (
            "⌛ {date} 已经过去了，请写今天或以后的日期。",
            "⌛ {date} is in the past; give today or a later date.",
        ),
        "dl_err_unknown_deadline": (
            "❓ 没有编号为 {id} 的自定义截止日期。发送 /deadlines 查看编号。",
            "❓ No custom deadline {id}. Send /deadlines to see the ids.",
        ),
        "dl_err_program_deadline": (
            "⛔ {id} 来自实施方案文件，不能在聊天中删除（可删除以 custom- 开头的自定义截止日期）。",
            "⛔ {id} comes from the program file and cannot be deleted in chat (custom-… ones can).",
        ),
    }
)


def t(lang: str, key: str, **kw: Any) -> str:
    """Return the text for `key` in `lang` (falling back to Chinese), formatted with `kw`."""
    zh, en = TEXTS[key]
    text = en if lang == "en" else zh
    return text.format(**kw) if kw else text
