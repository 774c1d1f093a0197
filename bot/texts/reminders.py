"""Texts of deadlines and reminders (chat and `greencheck remind`), and the words /deadline reads."""

from __future__ import annotations

# -- words /deadline understands (input, in both languages) --
ONE_OFF_DATE = r"^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?$"
MONTH_DAY = r"^(\d{1,2})[-/.月](\d{1,2})日?$"
ANNUAL_WORDS = frozenset({"每年", "annual", "yearly", "every-year"})
ADD_WORDS = frozenset({"add", "添加", "新增"})
DEL_WORDS = frozenset({"del", "delete", "rm", "remove", "删除"})

# key: (Chinese, English)
TEXTS: dict[str, tuple[str, str]] = {
    # -- shared pieces --
    "person_roles": ("{name}（{roles}）", "{name} ({roles})"),
    # a custom deadline's data (stored in the program's language, like the program files)
    # -- 📊 details: a county's communities --
    "rd_title": (
        "📊 {county} · 社区 {n} · 已开始 {started} · 达标 {passed}",
        "📊 {county} · communities {n} · started {started} · passed {passed}",
    ),
    "rd_col_community": ("社区", "Community"),
    "rd_col_progress": ("进度", "Progress"),
    "rd_col_score": ("得分", "Score"),
    "rd_col_met": ("符合", "Met"),
    "rd_col_gaps": ("缺项", "Gaps"),
    "rd_col_last": ("最近", "Last"),
    "rd_not_started": ("未开始", "not started"),
    "rd_none": ("（无）", "(none)"),
    "rd_legend": ("✓ 已提交", "✓ submitted"),
    "rd_prev": ("◀ 上一页", "◀ Prev"),
    "rd_next": ("下一页 ▶", "Next ▶"),
    "rd_missing": ("未开始的社区", "Not started"),
    "dl_err_unknown_county": ("❓ 县区不存在。", "❓ No such county."),
    "dl_err_details_denied": (
        "⛔ 只有 {county} 的县区联系人或管理员可以查看详情。",
        "⛔ Only a contact of {county} or an admin can see these details.",
    ),
    # -- greencheck remind (plain text, not HTML) --
    "cli_rem_bad_date": ("不是日期（YYYY-MM-DD）：'{text}'", "not a date (YYYY-MM-DD): '{text}'"),
    "cli_rem_due_count": (
        "{day} · {program}：应发 {n} 条提醒",
        "{day} · {program}: {n} reminders due",
    ),
    "cli_rem_due_count_one": (
        "{day} · {program}：应发 {n} 条提醒",
        "{day} · {program}: 1 reminder due",
    ),
    "cli_rem_unreachable_mark": ("  （无法送达）", "  (unreachable)"),
    "cli_rem_inferred_mark": ("  （日期为推定）", "  (inferred date)"),
    # one line when the Bot API fails (bot/cli/bot.py telegram_failure); never the token
    "cli_tg_rejected": (
        "错误：Telegram 接口 {base} 拒绝了机器人令牌（HTTP {status}）。"
        "请检查 TELEGRAM_BOT_TOKEN 和 TELEGRAM_API_BASE_URL。",
        "error: the Bot API at {base} rejected the bot token (HTTP {status}). Check"
        " TELEGRAM_BOT_TOKEN and TELEGRAM_API_BASE_URL.",
    ),
    "cli_tg_unreachable": (
        "错误：连不上 Telegram 接口 {base}（{error}）。请检查网络和 TELEGRAM_API_BASE_URL。",
        "error: cannot reach the Bot API at {base} ({error}). Check the network and"
        " TELEGRAM_API_BASE_URL.",
    ),
    "cli_tg_failed": (
        "错误：Telegram 接口 {base} 答复 HTTP {status}：{error}",
        "error: the Bot API at {base} answered HTTP {status}: {error}",
    ),
    "cli_rem_no_contact_count": (
        "另有 {n} 条到期提醒无人接收（县区未登记联系人，不会发送）：",
        "{n} more reminders due reach no one (no contact registered; nothing is sent):",
    ),
    "cli_rem_no_contact_count_one": (
        "另有 {n} 条到期提醒无人接收（县区未登记联系人，不会发送）：",
        "1 more reminder due reaches no one (no contact registered; nothing is sent):",
    ),
    "cli_rem_no_contact_mark": (
        "  （无人接收：该县区未登记联系人）",
        "  (reaches no one: no contact registered for the county)",
    ),
    "cli_rem_uncertain_line": (
        "  可能未送达 {chat}：{error}（不会自动重发；管理员可在聊天中一键重发）",
        "  may not have been delivered {chat}: {error} (not resent automatically; admins can"
        " resend it with one tap in chat)",
    ),
    "cli_rem_no_token": (
        "错误：未设置 TELEGRAM_BOT_TOKEN（写入环境变量或 .env）",
        "error: TELEGRAM_BOT_TOKEN is not set (put it in the environment or .env)",
    ),
    "cli_rem_sent": (
        "应发 {due} · 已发送 {sent} · 此前已发 {skipped} · 无法送达 {unreachable} · 失败 {failed}",
        "due {due} · sent {sent} · sent before {skipped} · unreachable {unreachable}"
        " · failed {failed}",
    ),
    "cli_rem_failed_line": ("  失败 {chat}：{error}", "  failed {chat}: {error}"),
    "cli_rem_unreachable_line": (
        "  无法送达 {chat}（未启动机器人或已屏蔽）",
        "  unreachable {chat} (never started the bot, or blocked it)",
    ),
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
    "rem_inferred": (
        "ℹ️ 日期为推定（方案未印此日期）：{reason}",
        "ℹ️ Inferred date (the program prints none): {reason}",
    ),
    "rem_left": ("还有 {n} 天", "{n} days left"),
    "rem_left_one": ("还有 {n} 天", "1 day left"),
    "rem_today": ("今天截止", "due today"),
    "rem_late": ("已逾期 {n} 天", "{n} days overdue"),
    "rem_late_one": ("已逾期 {n} 天", "1 day overdue"),
    "rem_more": ("…（另 {n} 个）", "… ({n} more)"),
    "rem_status_title": (
        "{county}现状（{year} 年目标 {target}%）",
        "{county} now ({year} target {target}%)",
    ),
    "rem_status_title_none": (
        "{county}现状（{year} 年无目标）",
        "{county} now (no target for {year})",
    ),
    "rem_status": (
        "社区 {n} · 已开始自查 {started} · 已提交 {submitted} · 达标 {passed} · 完成率 {pct}%",
        "Communities {n} · started {started} · submitted {submitted} · passed {passed}"
        " · completion {pct}%",
    ),
    "rem_open_title": ("尚未提交的社区（{n}）：", "Not yet submitted ({n}):"),
    "rem_open_gaps": ("{name} 缺 {n}", "{name} {n} gaps"),
    "rem_open_gaps_one": ("{name} 缺 {n}", "{name} 1 gap"),
    "rem_open_new": ("{name} 未开始", "{name} not started"),
    "rem_all_submitted": ("全部社区都已提交自查 🎉", "Every community has submitted 🎉"),
    "rem_confirm_hint": (
        "报送后请点“✅ 已报送”，本次截止将不再提醒。",
        "Once submitted, tap “✅ Submitted” to stop these reminders.",
    ),
    "rem_unit_todo": ("{name}：⏳ 未报送", "{name}: ⏳ not sent yet"),
    "rem_community_hint": (
        "这是社区自己的报送事项。报送后请点“✅ 已报送”，该社区这一期不再提醒。",
        "This is the community's own report. Once sent, tap “✅ Submitted”: that community gets no"
        " more reminders for it.",
    ),
    "rem_street_hint": (
        "这是街道（乡街）自己的报送事项。报送后请点“✅ 已报送”，该街道这一期不再提醒。",
        "This is the street's own duty. Once sent, tap “✅ Submitted”: that street gets no more"
        " reminders for it.",
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
    "rem_confirm_denied_street": (
        "⛔ 只有 {county} 的街道审核人、所在县区联系人或管理员可以确认报送。",
        "⛔ Only a reviewer of {county}, its county's contact or an admin can confirm.",
    ),
    "rem_confirm_denied_community": (
        "⛔ 只有 {county} 的社区工作者、所在县区联系人或管理员可以确认报送。",
        "⛔ Only a worker of {county}, its county's contact or an admin can confirm.",
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
        "📨 今日提醒：应发 {due} 条 · 已发送 {sent} · 此前已发 {skipped} · 无法送达 {unreachable} · 失败 {failed}"
        " · 可能未送达 {uncertain}",
        "📨 Today's reminders: {due} due · sent {sent} · sent before {skipped}"
        " · unreachable {unreachable} · failed {failed} · may not have been delivered {uncertain}",
    ),
    "remind_nothing": (
        "📭 今天没有需要发送的提醒（都已发送，或没有临近的截止日期）。",
        "📭 Nothing to send today (all sent, or no deadline near).",
    ),
    "remind_started": (
        "📨 正在发送 {n} 条提醒，完成后会告诉你结果。",
        "📨 Sending {n} reminders; I will report when done.",
    ),
    "remind_started_one": (
        "📨 正在发送 {n} 条提醒，完成后会告诉你结果。",
        "📨 Sending 1 reminder; I will report when done.",
    ),
    "remind_failed_line": ("失败：{who} — {error}", "Failed: {who} — {error}"),
    # reminders that may not have been delivered (never resent without an admin's tap)
    "uncertain_title": (
        "❔ 以下提醒可能未送达（发送时超时或程序中断，Telegram 可能已收到）。"
        "为避免重复，不会自动重发：",
        "❔ These reminders may not have been delivered (a timeout or a crash while sending;"
        " Telegram may have got them). To avoid duplicates they are not resent automatically:",
    ),
    "uncertain_line": (
        "{n}. {who} · {title}（{date}）· {error}",
        "{n}. {who} · {title} ({date}) · {error}",
    ),
    "uncertain_hint": (
        "确认对方没有收到后，点下方按钮重发（每条一次）。",
        "Once you know they did not get it, tap a button below to resend it (once each).",
    ),
    "btn_resend": ("🔁 重发第 {n} 条", "🔁 Resend #{n}"),
    "resend_sent": ("✅ 已重发。", "✅ Resent."),
    "resend_taken": (
        "这条提醒已处理过（已重发或不再需要）。",
        "This reminder was already handled (resent, or no longer needed).",
    ),
    "resend_not_needed": (
        "这条提醒已不再需要（已报送或对方已不担任该角色），不再重发。",
        "This reminder is no longer needed (submitted meanwhile, or the role is gone); not resent.",
    ),
    "resend_failed": ("⚠️ 重发失败：{error}", "⚠️ Resend failed: {error}"),
    "resend_uncertain": (
        "❔ 重发再次超时，可能未送达：{error}",
        "❔ The resend timed out again and may not have been delivered: {error}",
    ),
    # contact reminders due for counties that no one receives
    "no_contact_title": (
        "⚠️ 以下提醒已到期，但没有人接收（县区未登记联系人）：",
        "⚠️ These reminders are due but reach no one (no contact registered for the county):",
    ),
    "no_contact_line": ("{title}（{date}）：{counties}", "{title} ({date}): {counties}"),
    "no_contact_hint": (
        "用 /invite 邀请这些县区的联系人；登记后，下一次提醒会发给他们。",
        "Invite a contact for these counties with /invite; the next reminder will reach them.",
    ),
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
    "dl_inferred": (
        "   ℹ️ 日期为推定：{reason}",
        "   ℹ️ Inferred date: {reason}",
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
        "Add: /deadline add 2026-12-15 &lt;title&gt; · /deadline add yearly 11-20 &lt;title&gt;\n"
        "Delete: /deadline del custom-1 · send today's reminders now: /remind",
    ),
    # /deadline add | del
    "deadline_usage": (
        "用法：\n/deadline add 2026-12-15 标题\n/deadline add 每年 11-20 标题\n"
        "/deadline del custom-1",
        "Usage:\n/deadline add 2026-12-15 &lt;title&gt;\n/deadline add yearly 11-20 &lt;title&gt;\n"
        "/deadline del custom-1",
    ),
    "deadline_added": (
        "✅ 已添加截止日期 <code>{id}</code>：{title}\n截止 {when}（{left}）\n"
        "县区联系人将在截止前 {leads} 天收到提醒。",
        "✅ Added deadline <code>{id}</code>: {title}\nDue {when} ({left})\n"
        "County contacts are reminded {leads} days before.",
    ),
    "deadline_added_one": (
        "✅ 已添加截止日期 <code>{id}</code>：{title}\n截止 {when}（{left}）\n"
        "县区联系人将在截止前 {leads} 天收到提醒。",
        "✅ Added deadline <code>{id}</code>: {title}\nDue {when} ({left})\n"
        "County contacts are reminded 1 day before.",
    ),
    "deadline_annual": ("每年 {md}（下次 {date}）", "every year on {md}, next {date}"),
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
        "❓ 日期看不懂：{given}。请写 2026-12-15（年-月-日，真实存在的日期），"
        "或 每年 11-20（月-日，不能是 02-29）。",
        "❓ Cannot read the date: {given}. Write 2026-12-15 (year-month-day, a real date),"
        " or yearly 11-20 (month-day, not 02-29).",
    ),
    "dl_err_date_past": (
        "⌛ {date} 已经过去了，请写今天或以后的日期。",
        "⌛ {date} is in the past; give today or a later date.",
    ),
    "dl_err_date_too_far": (
        "📅 {date} 超过一年以后（最晚 {last}）。一次性截止日期请写一年以内的日期；"
        "每年重复的请写：/deadline add 每年 11-20 标题",
        "📅 {date} is more than a year ahead (latest {last}). Give a one-off date within a year;"
        " for a yearly one write: /deadline add yearly 11-20 &lt;title&gt;",
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
