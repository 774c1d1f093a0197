"""Texts of the self-check: the card, notes, evidence, gaps and submit."""

from __future__ import annotations

# Area numbers as the standards print them (一、二、…); English shows 1. 2. …
NUMERALS = "一二三四五六七八九十"

# key: (Chinese, English)
TEXTS: dict[str, tuple[str, str]] = {
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
    "bad_question": ("没有这个条目：{qid}", "No such item: {qid}"),
    "unanswered": ("还有未作答的项目：{ids}", "Items still unanswered: {ids}"),
    "saved": ("已保存", "Saved"),
    "saved_not_shown": (
        "✅ {qid} 的作答已保存，但卡片没能刷新。请发送 /check 重新打开卡片。",
        "✅ Your answer on {qid} is saved, but the card could not be refreshed. Send /check to reopen it.",
    ),
    "unchanged": ("未变化", "Unchanged"),
    "card_title": (
        "🌿 {community} · 绿色社区自查（{standard}）",
        "🌿 {community} · self-check ({standard})",
    ),
    "card_progress": (
        "已答 {answered}/{total} · 未答 {open} · 缺材料 {files}{extra} · {bar} {pct}%",
        "Answered {answered}/{total} · open {open} · missing files {files}{extra} · {bar} {pct}%",
    ),
    "card_no_reason": (" · 缺不适用理由 {n}", " · N/A without reason {n}"),
    "card_vetoed": (
        "⛔ 否决项 {ids} 已触发 — 不能认定",
        "⛔ Veto {ids} triggered — the community cannot pass",
    ),
    "card_score": (
        "当前得分 {score}/{max} · 未答项全部满分可达 {projected}（达标线 {pass_}）",
        "Score {score}/{max} · {projected} if every open item scores full (pass {pass_})",
    ),
    "card_submitted": ("🔒 已提交 · {when} · {verdict}", "🔒 Submitted · {when} · {verdict}"),
    "card_bonus_max": ("加分项，最高加 {n} 分", "bonus, up to +{n}"),
    "card_rule_part": ("（计入第 {n} 部分，最多扣 {pts} 分）", " (part {n}: at most {pts})"),
    "card_criteria_label": ("考评标准", "Criteria"),
    "criteria_label_scoring": ("评分标准", "Scoring criteria"),  # a seed's 评分标准 column
    "criteria_label_assessment": ("考评标准", "Assessment criteria"),  # a seed's 考评标准 column
    "card_reading": ("ℹ️ 识读：{text}", "ℹ️ Reading: {text}"),
    "card_methods": ("考评方式：{text}", "Method: {text}"),
    "card_responsible": ("责任部门：{text}", "Responsible: {text}"),
    "card_supervisors": ("监督指导：{text}", "Supervising: {text}"),
    "card_na_reason_missing": (
        "⚠️ 未填写不适用的理由（点 ✏️ 备注填写）",
        "⚠️ no reason for N/A yet (tap ✏️ Note)",
    ),
    "btn_done_item": ("完成本项 ▶", "Done, next ▶"),
    "card_evidence": ("📎 材料 {n}{need} · ✏️ 备注 {note}", "📎 files {n}{need} · ✏️ note {note}"),
    "card_need": ("（需要：{what}）", " (needed: {what})"),
    "card_no_note": ("无", "none"),
    "card_answer": ("当前作答：{answer}", "Current answer: {answer}"),
    "card_max": ("满分 {n}", "max {n}"),
    "card_rules": ("扣分规则：", "Deductions:"),
    "card_criteria": ("{label}：{text}", "{label}: {text}"),
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
        "✏️ {who}请回复这条消息，填写 {community} {qid} 的备注（最多 {limit} 字）。",
        "✏️ {who}reply to this message with the note for {qid} of {community} (at most {limit} characters).",
    ),
    "na_reason_prompt": (
        "✏️ {who}{community} {qid} 选了不适用，请回复这条消息说明理由（最多 {limit} 字）。",
        "✏️ {who}{qid} of {community} is N/A: reply to this message with the reason (at most {limit} characters).",
    ),
    "note_current": (
        "当前备注：{note}\n回复将替换它；回复“清除”删除备注。",
        "Current note: {note}\nYour reply replaces it; reply “clear” to delete it.",
    ),
    "note_saved": ("✏️ 已保存 {qid} 的备注。", "✏️ Note saved on {qid}."),
    "note_replaced": (
        "✏️ 已替换 {qid} 的备注（原备注：{old}）。",
        "✏️ Note on {qid} replaced (it was: {old}).",
    ),
    "note_unchanged": ("✏️ {qid} 的备注没有变化。", "✏️ The note on {qid} is unchanged."),
    "note_cleared": ("✏️ 已清除 {qid} 的备注。", "✏️ Note on {qid} cleared."),
    "note_none": ("✏️ {qid} 没有备注，无需清除。", "✏️ {qid} has no note to clear."),
    "prompt_wants_text": (
        "这条提示要的是文字，请回复文字。",
        "This prompt asks for text: reply with text.",
    ),
    "prompt_used": (
        "这条提示已用过或已被新的提示取代。要修改备注，请在卡片上再点 ✏️ 备注后回复新提示。",
        "That prompt was already used or replaced. To change a note, tap ✏️ on the card again and reply to the new prompt.",
    ),
    "unknown_command": (
        "{command}：未知命令，发送 /help 查看可用命令。",
        "{command}: unknown command. Send /help for the list.",
    ),
    "bad_answer": (
        "⚠️ {qid} 不能这样作答（本项的评分规则不允许），未保存。",
        "⚠️ {qid} cannot take that answer (its rules do not allow it); nothing was saved.",
    ),
    "note_too_long": (
        "✏️ 备注最多 {limit} 字，你发送了 {length} 字。请精简后重新回复。",
        "✏️ Notes take at most {limit} characters; yours has {length}. Please shorten it.",
    ),
    "note_empty": ("✏️ 备注不能为空。", "✏️ The note is empty."),
    "evidence_prompt": (
        "📎 {who}请回复这条消息，发送 {community} {qid} 的照片或文件（可一次发多张）。",
        "📎 {who}reply to this message with photos or files for {qid} of {community} (an album is fine).",
    ),
    "evidence_saved": (
        "📎 已归入 {qid} · 该项共 {n} 个材料。",
        "📎 Attached to {qid} · {n} files on it.",
    ),
    "evidence_saved_one": (
        "📎 已归入 {qid} · 该项共 {n} 个材料。",
        "📎 Attached to {qid} · 1 file on it.",
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
    "gaps_title_one": (
        "📋 {community} · 缺项 {n}（共 {total} 项，已答 {answered}）",
        "📋 {community} · 1 gap ({answered}/{total} answered)",
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
    "gap_uncounted": ("（附上后计 +{pts} 分）", " (+{pts} once attached)"),
    "gaps_more": ("  …（另 {n} 项）", "  … ({n} more)"),
    "gaps_projected": (
        "当前得分 {score}，如未答项全部满分可达 {projected}（达标线 {pass_}）。",
        "Score now {score}; {projected} if every unanswered item scores full (pass {pass_}).",
    ),
    "gaps_footer": (
        "还有 {n} 项未答，全部作答后即可 /submit 提交。",
        "{n} items still open; once everything is answered, /submit.",
    ),
    "gaps_footer_one": (
        "还有 {n} 项未答，全部作答后即可 /submit 提交。",
        "1 item still open; once it is answered, /submit.",
    ),
    "gaps_footer_ready": (
        "全部已作答，可以 /submit 提交（提交前会请你确认）。",
        "Everything is answered: /submit when ready (you will be asked to confirm).",
    ),
    "gaps_footer_submitted": (
        "🔒 已于 {when} 提交，只能查看。如需修改，请联系管理员重新开放。",
        "🔒 Submitted on {when}; read-only. Ask an admin to reopen it for changes.",
    ),
    "confirm_title": ("📤 提交 {community} 的自查？", "📤 Submit the self-check of {community}?"),
    "confirm_no_gaps": (
        "没有缺项。提交后不能再修改，确认提交？",
        "No gaps. After submitting, nothing can be changed. Submit?",
    ),
    "confirm_gaps": (
        "还有 {n} 个缺项，确认提交？提交后不能再修改。",
        "{n} gaps remain. Submit anyway? After submitting, nothing can be changed.",
    ),
    "confirm_gaps_one": (
        "还有 {n} 个缺项，确认提交？提交后不能再修改。",
        "1 gap remains. Submit anyway? After submitting, nothing can be changed.",
    ),
    "confirm_incomplete": (
        "（缺材料或缺理由的项提交后无法再补）",
        "(missing files or reasons cannot be added after submitting)",
    ),
    "confirm_expires": (
        "此确认 {minutes} 分钟内有效。",
        "This confirmation expires in {minutes} minutes.",
    ),
    "confirm_expired": (
        "⌛ 这个确认已过期，未提交。请重新点 📤 提交。",
        "⌛ This confirmation expired; nothing was submitted. Tap 📤 again.",
    ),
    "submit_cancelled": ("已取消，未提交。", "Cancelled; nothing was submitted."),
    "btn_confirm_submit": ("✅ 确认提交", "✅ Submit"),
    "btn_cancel": ("↩ 取消", "↩ Cancel"),
    "submit_unanswered": (
        "⚠️ 还有 {n} 项未作答，暂不能提交：\n{ids}\n请发送 /check 继续。",
        "⚠️ {n} items unanswered, cannot submit yet:\n{ids}\nSend /check to continue.",
    ),
    "submit_unanswered_one": (
        "⚠️ 还有 {n} 项未作答，暂不能提交：\n{ids}\n请发送 /check 继续。",
        "⚠️ 1 item unanswered, cannot submit yet:\n{ids}\nSend /check to continue.",
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
    "reopen_usage": ("用法：/reopen 社区名称", "Usage: /reopen &lt;community&gt;"),
    "reopened": (
        "🔓 已重新开放 {community} 的自查。",
        "🔓 Reopened the self-check of {community}.",
    ),
    "rv_err_reopen_no_check": (
        "{community} 还没有开始自查。",
        "{community} has not started a check.",
    ),
    "rv_err_reopen_not_submitted": (
        "{community} 的自查尚未提交，无需重新开放。",
        "{community} is not submitted.",
    ),
    "rv_err_reopen_recognised": (
        "{community} 已通过认定，不能重新开放；如需取消称号请用 /withdraw 社区 原因。",
        "{community} is recognised and cannot be reopened; use /withdraw COMMUNITY REASON to"
        " withdraw its title.",
    ),
    "no_check": ("{community} 还没有开始自查。", "{community} has not started a check."),
    # -- where a submitted check stands (the card, /status, /community) --
    "oc_title": ("📍 审核进度", "📍 Review"),
    "oc_waiting": ("⏳ 在「{stage}」审核中 · 自 {date}", "⏳ At “{stage}” since {date}"),
    "oc_returned": (
        "↩️ 已退回（「{stage}」· {date}）：{reason}",
        "↩️ Sent back (“{stage}” · {date}): {reason}",
    ),
    "oc_done": ("✅ 审核流程已完成（{stage} · {date}）", "✅ Review complete ({stage} · {date})"),
    "oc_verified_pass": ("核定结论：✅ 达标", "Verified result: ✅ passed"),
    "oc_verified_fail": ("核定结论：❌ 未达标", "Verified result: ❌ not passed"),
    "oc_recognised": ("🏅 已认定 {date}", "🏅 Recognised {date}"),
    "oc_records": ("📢 {items}", "📢 {items}"),
    "oc_withdrawn": ("⚠️ 认定已撤销 {date}（{why}）", "⚠️ Title withdrawn {date} ({why})"),
    "self_pass": ("自评：✅ 达标", "Self-assessed: ✅ passed"),
    "self_fail": ("自评：❌ 未达标", "Self-assessed: ❌ not passed"),
    # -- the guided fix after a send-back --
    "fx_item": (
        "✏️ 需修改 {k}/{n} · 请按审核意见修改本项",
        "✏️ To fix {k}/{n} · change this item as the reviewers asked",
    ),
    "fx_comment": ("💬 {stage}：{body}", "💬 {stage}: {body}"),
    "fx_locked": (
        "🔒 本项未退回，只能查看（需修改：{ids}）",
        "🔒 Not reopened: read-only (to fix: {ids})",
    ),
    "fx_all_done": (
        "🎉 需修改的 {n} 项已全部处理，点 📤 重新提交。",
        "🎉 All {n} items to fix are done: tap 📤 Resubmit.",
    ),
    "fx_all_done_one": (
        "🎉 需修改的 {n} 项已全部处理，点 📤 重新提交。",
        "🎉 The 1 item to fix is done: tap 📤 Resubmit.",
    ),
    "fx_progress": (
        "✏️ 需修改的 {n} 项已处理 {k} 项，待处理：{ids}",
        "✏️ {k} of {n} items to fix done; still to do: {ids}",
    ),
    "fx_progress_one": (
        "✏️ 需修改的 {n} 项已处理 {k} 项，待处理：{ids}",
        "✏️ {k} of 1 item to fix done; still to do: {ids}",
    ),
    "fx_none": (
        "↩️ 退回时没有重新开放任何条目，可直接 /submit 重新提交。",
        "↩️ The send-back reopened no item: /submit to resubmit as it is.",
    ),
    "btn_resubmit": ("📤 重新提交", "📤 Resubmit"),
    "fx_confirm_title": (
        "📤 重新提交 {community} 的自查？",
        "📤 Resubmit the self-check of {community}?",
    ),
    "fx_confirm_changed": (
        "退回时需修改 {n} 项，已修改 {k} 项：",
        "{k} of the {n} items to fix changed:",
    ),
    "fx_confirm_changed_one": (
        "退回时需修改 {n} 项，已修改 {k} 项：",
        "{k} of the 1 item to fix changed:",
    ),
    "fx_confirm_line": ("  {id}：{what}", "  {id}: {what}"),
    "fx_confirm_untouched": ("未修改：{ids}", "Unchanged: {ids}"),
    "fx_confirm_nothing": (
        "⚠️ 未做修改：需修改的 {n} 项（{ids}）与退回时相同，审核人会看到同样的内容。",
        "⚠️ Nothing changed: the {n} items to fix ({ids}) are as they were when sent back;"
        " the reviewers will see the same.",
    ),
    "fx_confirm_nothing_one": (
        "⚠️ 未做修改：需修改的 {n} 项（{ids}）与退回时相同，审核人会看到同样的内容。",
        "⚠️ Nothing changed: the 1 item to fix ({ids}) is as it was when sent back;"
        " the reviewers will see the same.",
    ),
    "fx_confirm_to": ("确认后交回「{stage}」审核。", "It goes back to “{stage}”."),
    "fx_aspect_answer": ("作答", "answer"),
    "fx_aspect_note": ("备注", "note"),
    "fx_aspect_files": ("材料", "files"),
    # -- rebuilt card pieces and the lock stall --
    "area_label": ("{zh}、{title}", "{n}. {title}"),
    "answer_points": ("（{pts}/{max}）", " ({pts}/{max})"),
    "answer_uncounted": (
        " · {proof}：未附材料，暂不计分",
        " · the standard asks for proof: no file yet, not counted",
    ),
    "deduction_detail": ("（{items}）", " ({items})"),
    "list_sep": ("，", ", "),
    "id_sep": ("、", ", "),
    "busy": (
        "⏳ 系统正忙（数据库被占用），本次未保存。请稍后再试。",
        "⏳ Busy (the database is in use); nothing was saved. Please try again.",
    ),
}
