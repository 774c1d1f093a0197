"""Texts of the notices: one per kind of transition, to the people it concerns."""

from __future__ import annotations

TEXTS: dict[str, tuple[str, str]] = {
    # to the community (its workers)
    "nt_approved": (
        "✅ <b>{community}</b> 的自查已在「{stage}」通过，转入「{next}」。",
        "✅ <b>{community}</b>'s check passed “{stage}” and moved on to “{next}”.",
    ),
    "nt_recognised": (
        "🎉 <b>{community}</b> 已通过「{stage}」，被认定为绿色社区！下一步：「{next}」。",
        "🎉 <b>{community}</b> passed “{stage}” and is recognised as a green community! Next:"
        " “{next}”.",
    ),
    "nt_recorded_publicise": (
        "📢 <b>{community}</b> 的认定已进入「{stage}」。",
        "📢 <b>{community}</b>'s recognition is now under “{stage}” (public notice).",
    ),
    "nt_recorded_publish": (
        "📢 <b>{community}</b> 的认定已「{stage}」。",
        "📢 <b>{community}</b>'s recognition is published (“{stage}”).",
    ),
    "nt_recorded_award": (
        "🏅 <b>{community}</b> 已完成「{stage}」。",
        "🏅 <b>{community}</b> has its plaque (“{stage}”).",
    ),
    "nt_completed_pass": (
        "✅ <b>{community}</b> 的自查已通过「{stage}」，全部环节完成，核定达标。",
        "✅ <b>{community}</b>'s check passed “{stage}”: every stage done, verified as passing.",
    ),
    "nt_completed_fail": (
        "ℹ️ <b>{community}</b> 的自查已由「{stage}」收到，全部环节完成；核定结果未达标。",
        "ℹ️ “{stage}” received <b>{community}</b>'s check: every stage done; the verified"
        " result does not pass.",
    ),
    "nt_withdrawn": (
        "⚠️ <b>{community}</b> 的“绿色社区”称号已被取消。{why}",
        "⚠️ <b>{community}</b>'s green-community title was withdrawn. {why}",
    ),
    "nt_withdrawn_reason": ("原因：{reason}", "Reason: {reason}"),
    "nt_withdrawn_rereview": ("复审核定未达标。", "The re-review's verified result failed."),
    "nt_reopened": (
        "🔓 管理员已重新开放 <b>{community}</b> 的自查，修改后请重新提交。",
        "🔓 An admin reopened <b>{community}</b>'s check: fix it and submit again.",
    ),
    "nt_sent_back": (
        "↩️ <b>{community}</b> 的自查被「{stage}」退回。\n理由：{reason}",
        "↩️ “{stage}” sent <b>{community}</b>'s check back.\nReason: {reason}",
    ),
    "nt_sent_back_items": ("需修改 {n} 项：", "{n} items to fix:"),
    "nt_sent_back_items_one": ("需修改 {n} 项：", "1 item to fix:"),
    "nt_more": (
        "…（更多内容请发送 /history {community} 查看）",
        "… (more: send /history {community})",
    ),
    "nt_btn_check": ("📋 查看自查", "📋 Open the check"),
    # corrective actions
    "nt_action_opened": (
        "🛠 新的整改任务 #{id}：<b>{community}</b> {item}\n问题：{problem}\n期限：{due}",
        "🛠 New corrective action #{id}: <b>{community}</b> {item}\nProblem: {problem}\nDue: {due}",
    ),
    "nt_action_reassigned": (
        "🛠 整改任务 #{id} 已改派给您：<b>{community}</b> {item}\n问题：{problem}\n期限：{due}",
        "🛠 Corrective action #{id} is now yours: <b>{community}</b> {item}\nProblem: {problem}"
        "\nDue: {due}",
    ),
    "nt_action_closed": (
        "📮 整改任务 #{id}（<b>{community}</b> {item}）已由责任人标记完成，请确认。",
        "📮 Corrective action #{id} (<b>{community}</b> {item}) is marked done: please confirm.",
    ),
    "nt_action_confirmed": (
        "👍 整改任务 #{id}（{item}）已确认完成。",
        "👍 Corrective action #{id} ({item}) is confirmed done.",
    ),
    "nt_action_reopened": (
        "↩ 整改任务 #{id}（{item}）被退回，请继续整改。{why}",
        "↩ Corrective action #{id} ({item}) was sent back: keep working on it. {why}",
    ),
    "nt_action_unassigned": (
        "👤 整改任务 #{id}（<b>{community}</b> {item}）的责任人已被撤销身份，请用 /reassign {id}"
        " @用户 重新指派。",
        "👤 The owner of corrective action #{id} (<b>{community}</b> {item}) lost their role:"
        " reassign it with /reassign {id} @user.",
    ),
    # the admins' list of notices that did not surely arrive
    "nt_undelivered_title": (
        "<b>⚠️ 可能未送达的通知（{n}）</b>",
        "<b>⚠️ Notices that may not have arrived ({n})</b>",
    ),
    "nt_undelivered_line": ("{i}. {who} · {what} · {status}", "{i}. {who} · {what} · {status}"),
    "nt_status_uncertain": ("可能未送达", "may not have arrived"),
    "nt_status_unreachable": ("对方未启动或已屏蔽机器人", "never started or blocked the bot"),
    "nt_status_failed": ("多次发送失败", "failed repeatedly"),
    "nt_btn_resend": ("🔁 重发 {i}", "🔁 Resend {i}"),
    "nt_resent": ("已重新发送。", "Sent again."),
    "nt_resend_failed": ("重发未成功：{error}", "The resend failed: {error}"),
    "nt_resend_taken": ("已由他人重发或不再需要。", "Already resent, or no longer needed."),
}
TEXTS.update(
    {
        "nt_kind_submitted": ("提交待审", "submitted"),
        "nt_kind_resubmitted": ("重新提交", "resubmitted"),
        "nt_kind_reached": ("待审核", "to review"),
        "nt_kind_approved": ("环节通过", "stage passed"),
        "nt_kind_recognised": ("认定", "recognised"),
        "nt_kind_recorded_publicise": ("公示", "public notice"),
        "nt_kind_recorded_publish": ("公布", "published"),
        "nt_kind_recorded_award": ("授牌", "plaque"),
        "nt_kind_completed": ("环节完成", "chain done"),
        "nt_kind_withdrawn": ("取消称号", "title withdrawn"),
        "nt_kind_reopened": ("重新开放", "reopened"),
        "nt_kind_sent_back": ("退回", "sent back"),
        "nt_kind_action_opened": ("整改任务", "corrective action"),
        "nt_kind_action_reassigned": ("整改改派", "action reassigned"),
        "nt_kind_action_closed": ("整改待确认", "action to confirm"),
        "nt_kind_action_confirmed": ("整改确认", "action confirmed"),
        "nt_kind_action_reopened": ("整改退回", "action sent back"),
        "nt_kind_action_unassigned": ("整改待改派", "action to reassign"),
    }
)
