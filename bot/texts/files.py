"""Texts of the files GreenCheck writes (keyed `fl_*`): the labels its own tables print instead of
codes, the charts' words in the reader's language, the export and form commands' messages.

The official forms print the seeds' own words and stay Chinese; these are GreenCheck's.
"""

from __future__ import annotations

# key: (Chinese, English)
TEXTS: dict[str, tuple[str, str]] = {
    # -- labels in GreenCheck's tables (never codes) --
    "fl_state_waiting": ("待审核", "waiting"),
    "fl_state_returned": ("退回修改", "sent back"),
    "fl_state_open": ("退回修改", "sent back"),
    "fl_state_done": ("审核完成", "every stage passed"),
    "fl_points": ("{status}（{points} 分）", "{status} ({points} points)"),
    "fl_score": ("{score} 分", "{score} points"),
    "fl_met_of": ("符合 {met}/{total} 项", "{met} of {total} met"),
    "fl_ax_open": ("待整改", "open"),
    "fl_ax_overdue": ("已逾期", "overdue"),
    "fl_ax_closing": ("待确认", "awaiting confirmation"),
    "fl_ax_closed": ("已完成", "closed"),
    "fl_kind_photo": ("照片", "photo"),
    "fl_kind_document": ("文件", "document"),
    "fl_kind_video": ("视频", "video"),
    # -- charts --
    "fl_chart_title": (
        "{region}绿色社区创建进度（{year} 年）",
        "{region}: green communities, {year}",
    ),
    "fl_chart_participation": ("参与率", "Participation"),
    "fl_chart_completion": ("完成率（达标）", "Completion (passed)"),
    "fl_chart_target": ("目标 {pct}%（{year} 年）", "Target {pct}% ({year})"),
    "fl_chart_axis": ("占社区总数 %", "% of communities"),
    "fl_chart_some": (
        "共 {n} 个县区，显示已开展自查、完成率最低的 {shown} 个（{idle} 个尚未开展）",
        "{n} counties: the {shown} started ones furthest behind ({idle} not started)",
    ),
    "fl_chart_no_data": ("暂无数据", "No data yet"),
    "fl_stage_title": (
        "{region}绿色社区审核进度（截至 {date}）",
        "{region}: the review chain (as of {date})",
    ),
    "fl_stage_returned": ("退回修改", "Sent back"),
    "fl_stage_recognised": ("已认定", "Recognised"),
    "fl_stage_axis": ("社区数", "Communities"),
    # -- the export and form commands --
    "rp_err_export_not_offered": (
        "本方案没有“{kind}”这种表格（可选：{kinds}）",
        "This program has no “{kind}” table (use {kinds})",
    ),
    "rp_err_no_application_form": (
        "本方案的文件中没有申报表。GreenCheck 生成的自查结果表：聊天中发送 /form，"
        "命令行用 greencheck form --self-check。",
        "This program's documents have no application form. GreenCheck's self-check summary: "
        "/form in chat, greencheck form --self-check on the command line.",
    ),
    "btn_self_check": ("📄 自查结果表", "📄 Self-check summary"),
    "fl_cli_self_check": ("自查结果表（{name}）→ {out}", "self-check summary ({name}) → {out}"),
    "fl_cli_self_check_arg": (
        "写 GreenCheck 生成的自查结果表（不是申报表）",
        "write GreenCheck's self-check summary (not the application form)",
    ),
    "fl_no_form": (
        "本方案的文件中没有申报表，以上是 GreenCheck 生成的自查结果表。",
        "This program's documents have no application form: above is GreenCheck's "
        "self-check summary.",
    ),
    "btn_export_contacts": ("⬇️ 联系人名单", "⬇️ Contact list"),
    "btn_export_actions": ("⬇️ 整改台账", "⬇️ Corrective actions"),
    "btn_export_recognised": ("⬇️ 认定名单", "⬇️ Recognised list"),
}
TEXTS.update(
    {
        # -- GreenCheck's own tables: titles and column titles ("\n": where a title may break)
        "fl_recognised_title": (
            "{region}绿色社区认定名单",
            "{region}: recognised green communities",
        ),
        "fl_recognised_notice": (
            "{region}绿色社区认定名单（公示）",
            "{region}: recognised green communities (public notice)",
        ),
        "fl_as_of": ("截至{date}", "As of {date}"),
        "fl_year_of": ("{year} 年", "{year}"),
        "fl_h_no": ("序号", "No."),
        "fl_h_community": ("社区", "Community"),
        "fl_h_street": ("街道", "Street"),
        "fl_h_self": ("自评结果", "Self-assessed"),
        "fl_h_verified": ("核定结果", "Verified"),
        "fl_h_recognised": ("认定日期", "Recognised on"),
        "fl_h_published": ("公布日期", "Published on"),
        "fl_history_sheet": ("审核记录", "Review history"),
        "fl_list_sheet": ("认定名单", "Recognised"),
        "fl_history_title": ("{region}绿色社区审核记录", "{region}: review history"),
        "fl_h_time": ("时间", "Time"),
        "fl_h_stage": ("环节", "Stage"),
        "fl_h_action": ("操作", "Action"),
        "fl_h_item": ("条目", "Item"),
        "fl_h_before": ("原值", "Before"),
        "fl_h_after": ("新值", "After"),
        "fl_h_by": ("操作人", "By"),
        "fl_h_role": ("角色", "Role"),
        "fl_h_comment": ("意见", "Comment"),
        "fl_actions_title": ("{region}绿色社区整改台账", "{region}: corrective actions"),
        "fl_actions_sheet": ("整改台账", "Actions"),
        "fl_h_problem": ("问题", "Problem"),
        "fl_h_owner": ("责任人", "Owner"),
        "fl_h_due": ("整改期限", "Due"),
        "fl_h_state": ("状态", "Status"),
        "fl_h_closed": ("完成日期", "Closed on"),
        "fl_h_evidence": ("佐证", "Evidence"),
        "fl_filler": ("填报单位：（盖章）", "Reported by: (seal)"),
        "fl_filled_on": ("填报日期：{date}", "Date: {date}"),
        "fl_index_title": ("佐证材料目录", "Evidence index"),
        "fl_index_sheet": ("目录", "Index"),
        "fl_h_answer": ("答案", "Answer"),
        "fl_h_note": ("说明", "Note"),
        "fl_h_file": ("文件名", "File"),
        "fl_h_size": ("大小\n（字节）", "Size\n(bytes)"),
        "fl_h_sha": ("SHA-256", "SHA-256"),
        "fl_h_taken": ("拍摄时间", "Taken at"),
        "fl_h_flags": ("提示", "Flags"),
        "fl_note_only": ("仅备注", "note only"),
    }
)
TEXTS.update(
    {
        # -- GreenCheck's 自查结果表 (its own file: never part of an application form) --
        "fl_sc_title": ("GreenCheck 自查结果表", "GreenCheck self-check summary"),
        "fl_sc_note": (
            "本表由 GreenCheck 根据自查和审核记录生成，供参考；不是实施方案规定的申报表。",
            "Generated by GreenCheck from the self-check and review records, for reference; "
            "it is not a form of the program.",
        ),
        "fl_sc_community": ("社区", "Community"),
        "fl_sc_place": ("所在", "Where"),
        "fl_sc_year": ("年度", "Year"),
        "fl_sc_standard": ("标准", "Standard"),
        "fl_sc_state": ("自查", "Self-check"),
        "fl_sc_self": ("自评结果", "Self-assessed"),
        "fl_sc_verified": ("核定结果", "Verified"),
        "fl_sc_review": ("审核进度", "Review"),
        "fl_sc_evidence": ("佐证材料", "Evidence"),
        "fl_sc_files": ("{n} 份", "{n} files"),
        "fl_sc_submitted": ("已提交（{date}）", "submitted ({date})"),
        "fl_sc_points": (
            "{score} 分（满分 {max} 分，{line} 分达标）：{verdict}",
            "{score} points (of {max}; {line} passes): {verdict}",
        ),
        "fl_sc_items": (
            "符合 {met} 项、部分符合 {partial} 项、不符合 {not_met} 项、不适用 {na} 项"
            "（共 {total} 项）：{verdict}",
            "{met} met, {partial} partly met, {not_met} not met, {na} n/a (of {total}): {verdict}",
        ),
        "fl_sc_pass": ("达标", "passes"),
        "fl_sc_fail": ("未达标", "does not pass"),
        "fl_sc_vetoed": (
            "否决项 {ids} 已触发，不能认定",
            "veto {ids} triggered: cannot be recognised",
        ),
        "fl_sc_not_reviewed": ("尚无审核人核定", "no reviewer has verified it yet"),
        "fl_sc_by": ("（{by} 审核通过）", " (approved by {by})"),
        "fl_sc_recognised": ("已认定（{date}）", "recognised ({date})"),
        "fl_sc_at_stage": ("{stage}（{state}）", "{stage} ({state})"),
        "fl_sc_none": ("尚未开展自查", "no self-check yet"),
        "fl_sc_gaps": ("待完善条目", "Still to do"),
        "fl_sc_gaps_whose": ("（按核定结果）", " (by the verified result)"),
        "fl_sc_no_gaps": ("无", "none"),
        "fl_sc_items_head": ("逐项结果", "Item by item"),
        "fl_sc_h_item": ("条目", "Item"),
        "fl_sc_h_text": ("内容", "Text"),
        "fl_sc_h_self": ("自评", "Self"),
        "fl_sc_h_verified": ("核定", "Verified"),
        "fl_sc_h_note": ("备注", "Note"),
        "fl_sc_unanswered": ("未作答", "unanswered"),
    }
)
