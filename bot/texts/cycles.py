"""Texts of years and corrective actions: cycles, targets, 复审, 整改."""

from __future__ import annotations

TEXTS: dict[str, tuple[str, str]] = {
    "cy_status_target_set": (
        " · 目标 {pct}%（{year} 年，{by} 设定）",
        " · target {pct}% ({year}, set by {by})",
    ),
    "cy_kind_create": ("创建", "creation"),
    "cy_kind_rereview": ("复审", "re-review"),
    "cy_carried": ("上年：{answer}", "last year: {answer}"),
    "cy_same": ("与上年相同", "Same as last year"),
    "cy_carried_left": (
        "📋 上年的 {n} 项答案已带入为草稿（标“上年”），逐项点“与上年相同”确认后才计入。",
        "📋 {n} answers from last year are a draft (marked “last year”): tap “Same as last"
        " year” on each to confirm; only confirmed items count.",
    ),
    "cy_past_year": (
        "🔒 {year} 年的自查（只读）。",
        "🔒 The {year} check (read-only).",
    ),
    "cy_no_check_year": (
        "{community} 没有 {year} 年的自查。",
        "{community} has no check for {year}.",
    ),
    "no_carried": ("此项没有上年的答案。", "No answer from last year on this item."),
    "cy_confirmed": ("已按上年确认。", "Confirmed as last year."),
    # /target
    "cy_target_usage": (
        "用法：/target 年份 百分比，例如 /target 2026 70%",
        "Usage: /target YEAR PERCENT, e.g. /target 2026 70%",
    ),
    "cy_target_admin_only": ("只有管理员可以设置目标。", "Only admins may set a target."),
    "cy_target_set": (
        "✅ {year} 年目标设为 {pct}%（{by} 设定{before}）。",
        "✅ The {year} target is now {pct}% (set by {by}{before}).",
    ),
    "cy_target_before": ("，原为 {pct}%", ", was {pct}%"),
    "cy_target_shown": (
        "{year} 年的目标：{pct}%（来自 {source} 年{how}）",
        "Target for {year}: {pct}% (from {source}{how})",
    ),
    "cy_target_program": ("方案", " program"),
    "cy_target_inferred": ("，年份为推定", ", year inferred"),
    "cy_target_by": ("，{by} 设定", ", set by {by}"),
    "cy_target_none": ("{year} 年没有目标。", "No target for {year}."),
    "cy_target_none_before": (
        "{year} 年没有目标：方案的第一个目标年份是 {first} 年，不借用以后年份的目标。",
        "No target for {year}: the program's first target year is {first}; a later year's"
        " target is not borrowed.",
    ),
    "cy_target_participation": (
        "参与目标：{pct}% 的城市社区参与创建行动（来自 {source} 年方案；只要求参与，不含达到创建要求）",
        "Participation target: {pct}% of urban communities taking part (from the {source}"
        " program; taking part only, not meeting the requirements)",
    ),
    # CLI
    "cy_cli_target": ("查看或设置年度目标", "show or set a year's target"),
    "cy_cli_target_set": ("设置某年的目标", "set a year's target"),
    "cy_cli_target_show": (
        "显示某年的目标及其来源年份",
        "show a year's target and its source year",
    ),
    "cy_cli_year": ("年份", "the year"),
    "cy_cli_pct": ("百分比（0-100）", "percent (0-100)"),
    "cy_cli_by": ("设定人（默认 cli）", "who sets it (default: cli)"),
    "cy_cli_planned": (
        "把这些社区（名称，逗号分隔）计划在该年创建",
        "plan these communities (names, comma separated) for that year",
    ),
    "cy_cli_actions": ("整改任务", "corrective actions (整改)"),
    "cy_cli_actions_list": (
        "列出整改任务（逾期在前）",
        "list corrective actions (overdue first)",
    ),
    "cy_err_bad_year": ("年份不对：{year}", "Bad year: {year}"),
    "cy_err_bad_pct": ("百分比应在 0 到 100 之间：{pct}", "Percent must be 0-100: {pct}"),
    # corrective actions (整改)
    "ax_usage": (
        "用法：/action 社区 项目编号 期限(YYYY-MM-DD) [@责任人] [问题]，例如 /action 江滨社区 1.1"
        " 2026-12-31 缺少会议记录（不写责任人：该社区最早注册的工作人员）",
        "Usage: /action COMMUNITY ITEM DUE(YYYY-MM-DD) [@OWNER] [PROBLEM], e.g. /action Jiangbin"
        " 1.1 2026-12-31 minutes missing (no owner: the community's first worker)",
    ),
    "ax_opened": (
        "🛠 整改任务 #{id} 已创建：{community} {item}，期限 {due}。",
        "🛠 Corrective action #{id} opened: {community} {item}, due {due}.",
    ),
    "ax_none": ("没有待办的整改任务。", "No open corrective actions."),
    "ax_title": (
        "🛠 <b>整改任务</b>（{n} 项，逾期在前）",
        "🛠 <b>Corrective actions</b> ({n}, overdue first)",
    ),
    "ax_line": (
        "#{id} [{state}] {community} {item}：{problem} · 责任人 {owner} · 期限 {due}",
        "#{id} [{state}] {community} {item}: {problem} · owner {owner} · due {due}",
    ),
    "ax_state_open": ("待整改", "open"),
    "ax_state_overdue": ("已逾期", "overdue"),
    "ax_state_closing": ("待确认", "awaiting confirmation"),
    "ax_state_closed": ("已完成", "closed"),
    "ax_btn_close": ("✅ #{id} 已整改", "✅ #{id} fixed"),
    "ax_btn_confirm": ("👍 #{id} 确认", "👍 #{id} confirm"),
    "ax_btn_reopen": ("↩ #{id} 退回", "↩ #{id} reopen"),
    "ax_closed": (
        "✅ 整改任务 #{id} 已提交完成（佐证：{evidence}），等待审核确认。",
        "✅ Action #{id} closed (evidence: {evidence}); waiting for a reviewer to confirm.",
    ),
    "ax_confirmed": ("👍 整改任务 #{id} 已确认完成。", "👍 Action #{id} confirmed closed."),
    "ax_reopened": ("↩ 整改任务 #{id} 已退回，需继续整改。", "↩ Action #{id} reopened."),
    "ax_remind_before": (
        "⏰ 整改提醒：{community} {item}（{problem}）期限 {due}，还有 {days} 天。"
        "上传佐证照片或文件后点“已整改”。",
        "⏰ Corrective action: {community} {item} ({problem}) is due {due}, in {days} days."
        " Attach a photo or document, then tap “fixed”.",
    ),
    "ax_remind_after": (
        "⚠️ 整改已逾期 {days} 天：{community} {item}（{problem}），期限 {due}。",
        "⚠️ Corrective action {days} days overdue: {community} {item} ({problem}), due {due}.",
    ),
    "ax_err_stale": ("该整改任务已不存在。", "This action no longer exists."),
    "ax_err_no_permission": ("您无权操作此整改任务。", "You may not act on this action."),
    "ax_err_not_actionable": (
        "项目 {qid} 没有未达标、部分达标或审核意见，不需要整改。",
        "Item {qid} is neither failed, partial nor commented: nothing to correct.",
    ),
    "ax_err_owner_not_worker": (
        "责任人必须是该社区的工作人员：{owner}",
        "The owner must be a worker of the community: {owner}",
    ),
    "ax_err_too_long": (
        "问题描述最多 {limit} 字，你写了 {length} 字。请精简后重新发送。",
        "A problem takes at most {limit} characters; yours has {length}. Please shorten it.",
    ),
    "ax_err_not_open": ("此整改任务不在待整改状态。", "This action is not open."),
    "ax_btn_attach": ("📎 上传整改材料", "📎 Attach the fix"),
    "ax_prompt_file": (
        "📎 请回复本消息，发送整改后的照片或文件（整改任务 #{id} · {community} {item}）。",
        "📎 Reply to this message with a photo or file of the fix (action #{id} · {community}"
        " {item}).",
    ),
    "ax_file_saved": (
        "已附上整改材料（#{id}）。整改完成后请点“✅ #{id} 已整改”。",
        "Attached to action #{id}. When the fix is done, tap “✅ #{id} fixed”.",
    ),
    "ax_file_again": ("这份材料已附在 #{id} 上。", "This file is attached to #{id} already."),
    "ax_send_a_file": (
        "请发送照片或文件（不是文字）作为整改材料。",
        "Send a photo or a file (not text) as the fix's evidence.",
    ),
    "ax_reassign_usage": (
        "用法：/reassign 编号 @用户名或用户ID（改派整改任务；县区联系人、管理员）",
        "Usage: /reassign NUMBER @username|ID (give an action to another worker; reviewers)",
    ),
    "ax_reassigned": ("整改任务 #{id} 已改派给 {owner}。", "Action #{id} now belongs to {owner}."),
    "ax_err_not_closing": ("此整改任务没有待确认的完成。", "This action has no close to confirm."),
    "ax_err_needs_evidence": (
        "请先点“📎 上传整改材料”，发送整改后的照片或文件（项目 {qid}），再点“已整改”。",
        "Tap “📎 Attach the fix” and send a photo or file of the fix (item {qid}) first, then"
        " tap fixed.",
    ),
    "ax_err_no_check_or_worker": (
        "{community} 还没有自查或没有注册的工作人员。",
        "{community} has no check or no registered worker yet.",
    ),
    # 复审
    "cy_withdraw_usage": (
        "用法：/withdraw 社区 原因（取消已认定社区的“绿色社区”称号，例如复审不合格；仅管理员）",
        "Usage: /withdraw COMMUNITY REASON (withdraw a recognised community's title, e.g. a"
        " failed re-review; admins)",
    ),
    "cy_withdrawn": (
        "⚠️ 已取消 {community} 的“绿色社区”称号。原因：{reason}",
        "⚠️ {community}'s green-community title is withdrawn. Reason: {reason}",
    ),
    "rv_err_withdraw_admin_only": ("只有管理员可以取消称号。", "Only admins may withdraw a title."),
    "rv_err_withdraw_not_recognised": (
        "{community} 目前没有“绿色社区”称号，无可取消。",
        "{community} holds no green-community title to withdraw.",
    ),
    "rv_err_withdraw_reason_needed": ("请写明原因。", "Give a reason."),
}
