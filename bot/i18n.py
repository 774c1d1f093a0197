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
    "file_too_big": (
        "⚠️ 文件超过 20 MB，机器人无法读取。请压缩或拆分后重发。",
        "⚠️ The file is over 20 MB, which bots cannot read. Please compress or split it.",
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
    "error": (
        "😥 出了点问题，这次操作没有完成，已保存的内容不受影响。请稍后再试。",
        "😥 Something went wrong; nothing saved was lost. Please try again.",
    ),
}


def t(lang: str, key: str, **kw: Any) -> str:
    """Return the text for `key` in `lang` (falling back to Chinese), formatted with `kw`."""
    zh, en = TEXTS[key]
    text = en if lang == "en" else zh
    return text.format(**kw) if kw else text
