"""Texts of the review chain."""

from __future__ import annotations

TEXTS: dict[str, tuple[str, str]] = {}

_ERRORS: dict[str, tuple[str, str]] = {
    "rv_err_stale": (
        "该审核已失效，请重新打开 /review。",
        "This review is out of date: open /review again.",
    ),
    "rv_err_no_permission": (
        "您无权审核此社区的自查。",
        "You may not review this community's check.",
    ),
    "rv_err_locked": (
        "此环节现在不能操作（已通过、已退回或不在您的环节）。",
        "Nothing to do at this stage now (approved, sent back or not yours).",
    ),
    "rv_err_bad_answer": ("该项不能这样核定。", "This item cannot be verified that way."),
    "rv_err_bad_question": ("没有这个条目。", "No such item."),
    "rv_err_no_check": ("该社区还没有自查。", "This community has no check yet."),
    "rv_err_not_recognised": (
        "该社区目前不在待公示、公布或授牌的环节，或不由您记录。",
        "This community is not waiting for a notice, publication or plaque you record.",
    ),
    "rv_err_decided": (
        "「{stage}」已由 {by} 于 {at} {action}，无需再操作。",
        "“{stage}” was already {action} by {by} at {at}: nothing to do.",
    ),
    "rv_err_confirm_failing": (
        "核定结果未达标（{ids}），请确认后再通过。",
        "The verified result fails ({ids}): confirm before approving.",
    ),
    "rv_err_fails_standard": (
        "核定结果未达到标准，不能认定。未达标项：{ids}。请退回社区整改。",
        "The verified result does not meet the standard, so it cannot be recognised. Failing:"
        " {ids}. Send it back to be fixed.",
    ),
    "rv_err_not_verifying": (
        "此环节只记录日期，不再核定条目。",
        "This stage only records a date; items are no longer verified.",
    ),
    "rv_err_admin_only": ("⛔ 此操作仅限管理员。", "⛔ Admins only."),
    "rv_err_note_empty": ("内容为空，请重新回复。", "Empty: please reply again."),
    "rv_err_note_too_long": (
        "内容过长，请精简后重新回复。",
        "Too long: please shorten it and reply again.",
    ),
}

TEXTS.update(_ERRORS)
TEXTS.update(
    {
        "rv_no_stage": ("（未进入审核）", "(not in review)"),
        "rv_figures": (
            "自评：{own} · 核定：{verified}（已核定 {n}/{total} 项）",
            "self-assessed: {own} · verified: {verified} ({n}/{total} items verified)",
        ),
        "rv_notice": (
            "📥 <b>{community}</b> 已提交自查，待「{stage}」审核。\n{figures}\n缺项 {gaps} 个 · 佐证材料 {files} 份",
            "📥 <b>{community}</b> submitted its check, waiting at “{stage}”.\n{figures}\n{gaps} gaps · {files} files",
        ),
        "rv_notice_again": (
            "🔁 <b>{community}</b> 已按退回意见修改并重新提交，待「{stage}」审核。\n{figures}\n缺项 {gaps} 个 · 佐证材料 {files} 份",
            "🔁 <b>{community}</b> fixed what was sent back and resubmitted, waiting at “{stage}”.\n{figures}\n{gaps} gaps · {files} files",
        ),
        "rv_btn_look": ("🔍 查看", "🔍 View"),
        "rv_btn_approve": ("✅ 通过", "✅ Approve"),
        "rv_btn_back": ("↩️ 退回", "↩️ Send back"),
        "rv_btn_confirm": ("✔ 确认", "✔ Confirm"),
        "rv_btn_comment": ("💬 意见", "💬 Comment"),
        "rv_btn_files": ("📎 材料", "📎 Files"),
        "rv_btn_fix": ("✏️ 修改 {id}", "✏️ Fix {id}"),
        "rv_btn_record": ("📢 记录{stage}", "📢 Record {stage}"),
        "rv_btn_approve_anyway": ("⚠️ 仍然通过", "⚠️ Approve anyway"),
        "rv_btn_back_to_card": ("🔍 返回审核", "🔍 Back to the review"),
        "rv_conclusion_pass": ("核定结论：✅ 达标", "Verified result: ✅ meets the standard"),
        "rv_conclusion_fail": (
            "核定结论：❌ 未达标（{ids}）",
            "Verified result: ❌ does not meet the standard ({ids})",
        ),
        "rv_confirm_failing": (
            "⚠️ <b>{community}</b> 的核定结果未达标，未达标项：{ids}。\n"
            "确定仍在「{stage}」通过吗？后续认定环节会拒绝未达标的自查；也可以返回审核后退回社区整改。",
            "⚠️ <b>{community}</b>'s verified result does not meet the standard. Failing: {ids}.\n"
            "Approve it at “{stage}” anyway? The recognising stage will refuse a failing check;"
            " you can also go back and send it back to be fixed.",
        ),
        "rv_changed": (
            "🔄 社区已修改 {n} 项：{ids}",
            "🔄 The community changed {n} items: {ids}",
        ),
        "rv_changed_one": (
            "🔄 社区已修改 {n} 项：{ids}",
            "🔄 The community changed 1 item: {ids}",
        ),
        "rv_changed_pending": ("🔄 已修改，待核定", "🔄 changed, to be verified"),
        "rv_toc_title": (
            "📋 <b>{community}</b> · 目录 {page}/{pages} · 已核定 {n}/{total} 项",
            "📋 <b>{community}</b> · index {page}/{pages} · {n}/{total} items verified",
        ),
        "rv_toc_legend": (
            "核定：✅ 符合 ◐ 部分符合 ❌ 不符合 — 不适用 · 🔄 已修改，待核定 · ▫️ 未核定",
            "Verified: ✅ met ◐ partly met ❌ not met — N/A · 🔄 changed, to be verified"
            " · ▫️ not verified",
        ),
        "rv_filter_a": ("全部条目", "all items"),
        "rv_filter_g": ("只看问题项", "only issues"),
        "rv_queue_empty": ("目前没有待您审核的社区。", "Nothing waits for your review."),
        "rv_queue_title": (
            "<b>待审核（{n}）</b>，按等待时间排序：",
            "<b>Waiting for review ({n})</b>, oldest first:",
        ),
        "rv_queue_line": (
            "{i}. {community} · {stage} · 已等待 {n} 天",
            "{i}. {community} · {stage} · waiting {n} days",
        ),
        "rv_queue_line_one": (
            "{i}. {community} · {stage} · 已等待 {n} 天",
            "{i}. {community} · {stage} · waiting 1 day",
        ),
        "rv_card_title": (
            "<b>{community}</b> · 审核环节：{stage}",
            "<b>{community}</b> · stage: {stage}",
        ),
        "rv_item": ("<b>{id}</b> {text}", "<b>{id}</b> {text}"),
        "rv_worker_answer": ("社区自评：{answer}", "Self-assessed: {answer}"),
        "rv_note": ("说明：{note} · 材料 {files} 份", "Note: {note} · {files} files"),
        "rv_na_basis": ("不适用依据：{basis}", "N.A. basis: {basis}"),
        "rv_verified": ("核定：{answer}", "Verified: {answer}"),
        "rv_comment": ("💬 {stage}：{body}", "💬 {stage}: {body}"),
        "rv_comment_line": ("• {id}：{body}", "• {id}: {body}"),
        "rv_sent_back": (
            "↩️ <b>{community}</b> 的自查被退回。\n理由：{reason}\n需修改的条目：",
            "↩️ <b>{community}</b>'s check was sent back.\nReason: {reason}\nItems to fix:",
        ),
        "rv_history_title": ("<b>{community}</b> 审核记录", "<b>{community}</b>: review history"),
        "rv_history_line": (
            "{at} · {stage} · {action} · {by}（{role}）{rest}",
            "{at} · {stage} · {action} · {by} ({role}){rest}",
        ),
        "rv_action_submit": ("提交", "submitted"),
        "rv_action_approve": ("通过", "approved"),
        "rv_action_send_back": ("退回", "sent back"),
        "rv_action_verify": ("核定", "verified"),
        "rv_action_complete": ("通过", "approved"),
        "rv_action_reopen": ("重新开放", "reopened"),
        "rv_action_withdraw": ("取消称号", "title withdrawn"),
        "rv_withdraw_admin": ("管理员取消", "withdrawn by an admin"),
        "rv_withdraw_rereview_failed": ("复审核定未达标", "the re-review's verified result failed"),
        "rv_withdraw_reopened": ("自查重新开放", "the check was reopened"),
        "rv_action_comment": ("意见", "comment"),
        "rv_role_community": ("社区", "community"),
        "rv_role_street": ("街道", "street"),
        "rv_role_county": ("县（区）", "county"),
        "rv_role_city": ("市级", "city"),
        "rv_role_None": ("-", "-"),
        "rv_invite": (
            "已创建街道审核员邀请（{street}），{days} 天内有效，仅可使用一次：\n{link}\n邀请码：{code}",
            "Street reviewer invite for {street}, valid {days} days, single use:\n{link}\ncode: {code}",
        ),
        "rv_registered_street": (
            "注册成功：您是街道审核员（{county}）。发送 /review 查看待审核的社区。",
            "Registered as a street reviewer ({county}). Send /review to see what waits for you.",
        ),
        "rv_not_reviewer": (
            "只有街道、县（区）审核员和管理员可以审核。",
            "Only street and county reviewers and admins review checks.",
        ),
        "rv_need_community": (
            "请在命令后写社区名称，例如 /history 江滨社区",
            "Name the community after the command, e.g. /history NAME",
        ),
        "rv_published": (
            "已记录 <b>{community}</b> 的「{stage}」。",
            "Recorded “{stage}” for <b>{community}</b>.",
        ),
        "rv_verified_saved": ("已核定", "Verified"),
        "rv_prompt_comment": (
            "↩ 请回复本消息，写下对 {id} 的审核意见：",
            "↩ Reply to this message with your comment on {id}:",
        ),
        "rv_prompt_reason": (
            "↩ 请回复本消息，写下退回理由：",
            "↩ Reply to this message with the reason for sending it back:",
        ),
        "rv_comment_saved": (
            "已记录对 {id} 的意见；退回时该项将重新开放修改。",
            "Comment on {id} saved; sending back reopens this item.",
        ),
        "rv_back_done": (
            "已退回 <b>{community}</b>，重新开放 {n} 项，社区已收到通知。",
            "Sent <b>{community}</b> back with {n} items reopened; the community was told.",
        ),
        "rv_back_done_one": (
            "已退回 <b>{community}</b>，重新开放 {n} 项，社区已收到通知。",
            "Sent <b>{community}</b> back with 1 item reopened; the community was told.",
        ),
        "rv_approved": ("已通过", "Approved"),
        "rv_moved": (
            "<b>{community}</b> 已通过，转入「{stage}」。",
            "<b>{community}</b> approved: now at “{stage}”.",
        ),
        "rv_now_recognised": (
            "<b>{community}</b> 已通过认定，下一步「{stage}」。",
            "<b>{community}</b> is recognised; next: “{stage}”.",
        ),
        "rv_now_done": (
            "<b>{community}</b> 已完成全部环节（最后一步：{stage}）。",
            "<b>{community}</b> completed the chain (last: {stage}).",
        ),
        "rv_now_withdrawn": (
            "<b>{community}</b> 复审核定未达标，已取消“绿色社区”称号。",
            "<b>{community}</b>'s re-review failed: its title is withdrawn.",
        ),
        "rv_files": ("发送 {n} 份材料", "Sending {n} files"),
        "rv_files_one": ("发送 {n} 份材料", "Sending 1 file"),
    }
)

TEXTS["rv_cli_status"] = (
    "{community}：环节 {stage} · 自评 {own} · 核定 {verified}",
    "{community}: stage {stage} · self-assessed {own} · verified {verified}",
)
TEXTS["rv_remind"] = (
    "⏰ <b>{community}</b> 已在「{stage}」等待审核 {n} 天，请尽快处理。",
    "⏰ <b>{community}</b> has waited {n} days at “{stage}”: please review it.",
)
TEXTS["rv_remind_one"] = (
    "⏰ <b>{community}</b> 已在「{stage}」等待审核 {n} 天，请尽快处理。",
    "⏰ <b>{community}</b> has waited 1 day at “{stage}”: please review it.",
)
TEXTS.update(
    {
        "rv_verified_head": (
            "<b>审核核定</b>（最近通过：{by}）",
            "<b>Verified</b> (last approved by {by})",
        ),
        "rv_differs": (
            "• {id}：自评 {own} → 核定 {verified}",
            "• {id}: self-assessed {own} → verified {verified}",
        ),
        "rv_status_note": (
            "<b>审核进度</b>：待审 {waiting} · 退回修改 {returned} · 已认定 {recognised}",
            "<b>Review</b>: waiting {waiting} · sent back {returned} · recognised {recognised}",
        ),
    }
)
TEXTS["rv_chart_caption"] = ("{region}绿色社区审核进度", "{region}: the review chain")
TEXTS.update(
    {
        "cmd_review": ("待我审核的社区", "checks waiting for my review"),
        "cmd_history": ("社区审核记录", "a community's review history"),
        "cmd_publish": ("记录公示/公布", "record public notice / publication"),
    }
)
TEXTS["not_reopened"] = (
    "🔒 审核退回时只重新开放了有审核意见的条目，此项不能修改。",
    "🔒 The review reopened only the commented items; this one stays as it is.",
)
TEXTS.update(
    {
        "role_street": ("{street} 街道审核员", "street reviewer of {street}"),
        "help_street": (  # follows help_head (/me, /lang) in /help
            "街道审核员：/review 待我审核的社区（查看 · 通过 · 退回）· /history 社区审核记录",
            "Street reviewer: /review checks waiting for you (view · approve · send back)"
            " · /history a community's review history",
        ),
    }
)
TEXTS["rv_status_street"] = (
    "街道审核员请发送 /review 查看待审核的社区，/history 社区名 查看审核记录。",
    "Street reviewers: send /review for the checks waiting for you, /history NAME for a history.",
)
