"""Texts of status views, exports, forms and charts; generic errors.

Report texts are keyed `rp_*`; errors of bot/services/reports.py are `rp_err_<code>`. Messages
are Telegram HTML: the renderers (bot/texts/report_views.py) escape the data they put in.
"""

from __future__ import annotations

# key: (Chinese, English)
TEXTS: dict[str, tuple[str, str]] = {
    # -- status and files --
    "page_prev": ("◀ 上一页", "◀ Prev"),
    "page_next": ("下一页 ▶", "Next ▶"),
    "btn_chart": ("📈 图表", "📈 Chart"),
    "btn_export_progress": ("⬇️ 导出进度表", "⬇️ Progress table"),
    "btn_export_plan": ("⬇️ 创建计划表", "⬇️ Plan table"),
    "btn_export_summary": ("⬇️ 完成情况汇总表", "⬇️ Summary table"),
    "btn_export_answers": ("⬇️ 全部作答明细", "⬇️ Every answer"),
    "export_pick": ("请选择要导出的表格：", "Which table would you like?"),
    "export_too_big": (
        "文件有 {mb} MB，超过 Telegram 50 MB 的上传上限，无法在这里发送。"
        "请在服务器上用命令行导出：<code>greencheck export {kind} --out 文件.xlsx</code>",
        "The file is {mb} MB, over Telegram's 50 MB upload limit, so it cannot be sent here. "
        "Export it on the server: <code>greencheck export {kind} --out file.xlsx</code>",
    ),
    "ff_menu": (
        "📝 <b>{name}</b> 申报表填写内容（{year} 年）。点下面的按钮填写或修改一栏；回复“-”可清空。",
        "📝 <b>{name}</b>: application form fields ({year}). Tap a button to fill or change "
        "one; reply “-” to clear it.",
    ),
    "ff_prompt": (
        "请回复本消息，填写 {name} 的“{field}”：",
        "Reply to this message with {name}'s “{field}”:",
    ),
    "ff_saved": (
        "✅ 已保存 {name} 的“{field}”。发送 /form 查看申报表。",
        "✅ Saved {name}'s “{field}”. Send /form to see the form.",
    ),
    "ff_cleared": ("已清空 {name} 的“{field}”。", "Cleared {name}'s “{field}”."),
    "rp_err_ff_forbidden": (
        "无权填写这个社区的申报表",
        "You may not fill in this community's form",
    ),
    "ff_address": ("社区地址", "Address"),
    "ff_population": ("社区人口", "Population"),
    "ff_households": ("社区户数", "Households"),
    "ff_resident_households": ("常住户数", "Resident households"),
    "ff_area": ("社区面积", "Area"),
    "ff_building_area": ("建筑面积", "Floor area"),
    "ff_green_area": ("绿化面积", "Green area"),
    "ff_leader": ("社区负责人", "Community head"),
    "ff_leader_phone": ("负责人电话", "Head's phone"),
    "ff_street_leader": ("街道负责人", "Sub-district head"),
    "ff_street_leader_title": ("街道负责人职务", "Sub-district head's title"),
    "ff_street_leader_phone": ("街道负责人电话", "Sub-district head's phone"),
    "ff_contact_title": ("创建联系人职务", "Contact's title"),
    "ff_contact_phone": ("创建联系人电话", "Contact's phone"),
    "ff_facilities": ("公共服务设施", "Public facilities"),
    "ff_work": ("工作情况/简介", "Work done / profile"),
    "ff_leader_title": ("社区负责人职务", "Community head's title"),
    "ff_contact": ("创建联系人", "Contact person"),
    "btn_missing": ("未开始的社区", "Not started"),
    "btn_wide": ("📋 全部列（原宜居/原绿色/计划/参与率）", "📋 All columns"),
    "btn_narrow": ("📱 精简表", "📱 Compact table"),
    "community_usage": ("用法：/community 社区名称", "Usage: /community &lt;community&gt;"),
    "form_usage": (
        "用法：/form 社区名称 [年份]（发送申报表，并可在聊天中填写表内信息）",
        "Usage: /form &lt;community&gt; [year] (sends the form; its fields can be filled in chat)",
    ),
    "export_usage": (
        "用法：/export 表格 [年份]，本方案的表格：{kinds}",
        "Usage: /export TABLE [YEAR]; this program's tables: {kinds}",
    ),
    "error": (
        "😥 出了点问题，这次操作可能没有完成。请发送 /check 查看已保存的内容，再重试。",
        "😥 Something went wrong; this action may not have finished. Send /check to see what is saved, then try again.",
    ),
    # -- the county table (/status) --
    "rp_total": ("合计", "Total"),
    "rp_status_title": (
        "📊 {region}绿色社区创建进度{target}",
        "📊 {region}: green community progress{target}",
    ),
    "rp_status_target": (" · 目标 {pct}%（{year} 年方案）", " · target {pct}% ({year} program)"),
    "rp_status_target_inferred": (
        " · 目标 {pct}%（{year} 年方案，年份推定）",
        " · target {pct}% ({year} program, year inferred)",
    ),
    "rp_status_no_target": (" · {year} 年无目标", " · no target for {year}"),
    "rp_status_no_target_before": (
        " · {year} 年无目标（方案目标始于 {first} 年）",
        " · no target for {year} (the program's targets start in {first})",
    ),
    "rp_status_participation": (
        " · 参与目标 {pct}%（{year} 年方案）",
        " · taking part {pct}% ({year} program)",
    ),
    "rp_h_county": ("县区", "County"),
    "rp_h_communities": ("社区", "Comm."),
    "rp_h_livable": ("原宜居", "Livable"),
    "rp_h_green": ("原绿色", "Green"),
    "rp_h_planned": ("计划", "Planned"),
    "rp_h_started": ("开始", "Started"),
    "rp_h_submitted": ("提交", "Subm."),
    "rp_h_passed": ("达标", "Passed"),
    "rp_h_participation": ("参与率", "Partic."),
    "rp_h_completion": ("完成率", "Done"),
    "rp_status_foot": (
        "参与率 {participation} · 原宜居 {livable} · 原绿色 {green} · {year} 年计划 {planned}",
        "participation {participation} · already rated livable {livable}"
        " · already rated green {green} · planned for {year}: {planned}",
    ),
    "rp_no_counties": ("（没有可显示的县区）", "(no county to show)"),
    "rp_more": ("…（本页另 {n} 项未显示{hint}）", "… ({n} more on this page not shown{hint})"),
    "rp_more_export": ("，完整内容请用 /export progress", "; /export progress has them all"),
    # -- one county (/status <county>) --
    "rp_county_title": (
        "📊 {county} · 社区 {n} · 已开始 {started} · 达标 {passed}",
        "📊 {county} · communities {n} · started {started} · passed {passed}",
    ),
    "rp_h_community": ("社区", "Community"),
    "rp_h_progress": ("进度", "Progress"),
    "rp_h_score": ("得分", "Score"),
    "rp_h_met": ("符合", "Met"),
    "rp_h_gaps": ("缺项", "Gaps"),
    "rp_h_last": ("最近", "Last"),
    "rp_none": ("（无）", "(none)"),
    "rp_submitted_mark": ("✓ 已提交", "✓ submitted"),
    # -- not started (/missing) --
    "rp_missing_title": ("⏳ 尚未开始自查的社区（{n}）", "⏳ Communities not started ({n})"),
    "rp_opened": ("（已打开）", " (opened)"),
    "rp_all_started": ("全部社区都已开始自查 🎉", "Every community has started 🎉"),
    # -- one community (/community) --
    "rp_standard": ("标准：{title}", "Standard: {title}"),
    "rp_state_not_started": ("未开始", "not started"),
    "rp_state_open": ("进行中", "in progress"),
    "rp_state_submitted": ("已提交", "submitted"),
    "rp_submitted_on": ("{state}（{date}）", "{state} ({date})"),
    "rp_detail_counts": (
        "{state} · 已答 {answered}/{total} · 符合 {met} · 缺项 {gaps}",
        "{state} · answered {answered}/{total} · met {met} · gaps {gaps}",
    ),
    "rp_detail_score": (" · 得分 {score}/{max}", " · score {score}/{max}"),
    "rp_detail_passed": (" · 达标", " · passed"),
    "rp_evidence": ("材料 {n} 份", "evidence: {n} files"),
    "rp_evidence_one": ("材料 {n} 份", "evidence: 1 file"),
    "rp_last": (" · 最近 {at}", " · last {at}"),
    "rp_gaps_head": ("缺项（{n}）", "Gaps ({n})"),
    "rp_gap_line": ("  {id} [{why}] {text}{note}", "  {id} [{why}] {text}{note}"),
    "rp_gap_note": (" — 备注：{note}", " — note: {note}"),
    "rp_more_items": ("  …（另 {n} 项）", "  … ({n} more)"),
    "rp_more_people": ("  …（另 {n} 人）", "  … ({n} more people)"),
    "rp_contributors": ("作答人", "Answered by"),
    "rp_contributor": ("  {who}：{n} 项，最近 {at}", "  {who}: {n} items, last {at}"),
    "rp_contributor_one": ("  {who}：{n} 项，最近 {at}", "  {who}: 1 item, last {at}"),
    "rp_history": ("最近记录", "Recent records"),
    "rp_history_line": ("  {at} {who} · {qid} {what}", "  {at} {who} · {qid} {what}"),
    "rp_note": ("备注", "note"),
    "rp_detail_more": (
        "…（另 {n} 项，完整内容请用 /export answers）",
        "… ({n} more items; /export answers has them all)",
    ),
    "rp_user": ("用户{id}", "user {id}"),
    # answer statuses and gap reasons
    "rp_status_met": ("符合", "met"),
    "rp_status_partial": ("部分符合", "partly met"),
    "rp_status_not_met": ("不符合", "not met"),
    "rp_status_na": ("不适用", "n/a"),
    "rp_gap_unanswered": ("未作答", "unanswered"),
    "rp_gap_not_met": ("不符合", "not met"),
    "rp_gap_partial": ("部分符合", "partly met"),
    "rp_gap_evidence_missing": ("缺材料", "evidence missing"),
    "rp_gap_veto": ("否决项", "veto item"),
    "rp_gap_na_unexplained": ("不适用未说明原因", "N.A. without reason"),
    "rp_gap_invalid": ("答案无效", "invalid answer"),
    # -- files --
    "rp_chart_caption": ("📈 {region}绿色社区创建进度", "📈 {region}: green community progress"),
    "rp_cli_export": ("{title} → {out}", "{title} → {out}"),
    "rp_cli_form": ("绿色社区申报表（{name}）→ {out}", "application form ({name}) → {out}"),
    "rp_cli_chart": (
        "chart → {out} ({width}×{height}, font: {font})",
        "chart → {out} ({width}×{height}, font: {font})",
    ),
    "rp_cli_no_font": ("默认字体，未找到中文字体", "default, no CJK font found"),
    # CLI help: (what the command does, an example)
    "rp_cli_status_help": (
        "按县区显示进度，或用 --county 显示一个县区的各社区",
        "show progress per county, or per community of one county (--county)",
    ),
    "rp_cli_status_example": (
        "greencheck status --county 源城 --json",
        "greencheck status --county 源城 --json",
    ),
    "rp_cli_county_arg": (
        "县区名称（唯一前缀，或省略“县/区”）",
        "a county name (a unique prefix or the name without 县/区)",
    ),
    "rp_cli_year_arg": (
        "统计到该年年底的情况（默认今年）；answers、actions、recognised：只列该年的（默认各年）",
        "count what happened by the end of that year (default: this year); answers, actions, "
        "recognised: only that year's (default: every year)",
    ),
    "rp_cli_export_help": (
        "把表格写成 XLSX：本方案文件中的表（progress 进度表、plan 计划表、summary 汇总表、"
        "contacts 联系人名单）和 GreenCheck 的表（answers 作答明细、actions 整改台账、"
        "recognised 认定名单）；方案没有的表会报错",
        "write a table as XLSX: the program's own (progress, plan, summary, contacts) and "
        "GreenCheck's (answers, actions, recognised); a table the program lacks is refused",
    ),
    "rp_cli_export_example": (
        "greencheck export progress --out 进度表.xlsx",
        "greencheck export progress --out 进度表.xlsx",
    ),
    "rp_cli_xlsx_arg": ("要写入的 .xlsx 文件", "the .xlsx file to write"),
    "rp_cli_form_help": (
        "根据名册和自查记录，把社区的绿色社区申报表写成 DOCX",
        "write a community's 绿色社区申报表 as DOCX, filled from the roster and its check",
    ),
    "rp_cli_form_example": (
        "greencheck form --community 江滨 --out 申报表.docx",
        "greencheck form --community 江滨 --out 申报表.docx",
    ),
    "rp_cli_community_arg": ("社区名称（宽松匹配）", "a community name (forgiving match)"),
    "rp_cli_docx_arg": ("要写入的 .docx 文件", "the .docx file to write"),
    "rp_cli_chart_help": (
        "把各县区参与率和完成率画成 PNG 柱状图，目标为虚线",
        "write a PNG bar chart of participation and completion by county, target as a line",
    ),
    "rp_cli_chart_example": (
        "greencheck chart --out 进度.png --year 2022",
        "greencheck chart --out 进度.png --year 2022",
    ),
    "rp_cli_all_arg": (
        "answers：导出所有标准的作答（默认只导出当前方案的标准）",
        "answers: every standard's answers (default: the active program's standard only)",
    ),
    "rp_cli_form_year_arg": (
        "使用哪一年填写的表内信息（默认最近填写的一年）；--self-check：哪一年的自查（默认最近一次）",
        "whose year's form fields to print (default: the latest filled in); --self-check: "
        "that year's check (default: the latest)",
    ),
    "rp_cli_height_arg": (
        "像素（默认按县区数，每个县区都能看清）",
        "pixels (default: tall enough for every county to read)",
    ),
    "rp_cli_png_arg": ("要写入的 .png 文件", "the .png file to write"),
    "rp_cli_pixels_arg": ("像素（默认 {n}）", "pixels (default {n})"),
    # -- errors (bot/services/reports.py ReportError codes) --
    "rp_err_county_unknown": ("县区 {county} 不存在", "County {county} does not exist"),
    "rp_err_community_unknown": ("社区 {community} 不存在", "Community {community} does not exist"),
    "rp_err_forbidden": ("无权查看 {name}", "You may not view {name}"),
    "rp_err_county_not_found": ("找不到县区“{query}”", "No county matches “{query}”"),
    "rp_err_community_not_found": ("找不到社区“{query}”", "No community matches “{query}”"),
    "rp_err_county_ambiguous": (
        "县区“{query}”不唯一，候选：{names}（共 {n} 个）",
        "“{query}” matches {n} counties: {names}",
    ),
    "rp_err_community_ambiguous": (
        "社区“{query}”不唯一，候选：{names}（共 {n} 个）",
        "“{query}” matches {n} communities: {names}",
    ),
    "rp_err_community_generic": (
        "“{query}”太笼统：有 {n} 个社区名称含有它，例如：{names}。请输入更完整的社区名称。",
        "“{query}” is too general: {n} community names contain it, e.g. {names}. "
        "Please type more of the name.",
    ),
    "rp_not_started_yet": (
        "尚未开始自查（共 {n} 项待答）。社区工作人员发送 /check 即可开始。",
        "The self-check has not started ({n} items to answer). A community worker starts it "
        "with /check.",
    ),
    "rp_err_ff_unknown": ("没有“{field}”这一栏", "There is no field “{field}”"),
    "rp_err_ff_too_long": ("内容太长：最多 {n} 字", "Too long: at most {n} characters"),
    "staff_only": (
        "⛔ 此命令供县区联系人和管理员使用。发送 /status 查看本社区的进度。",
        "⛔ For county contacts and admins. Send /status for your own community.",
    ),
}
TEXTS.update(  # which verdict 达标 counts (bot.domain.workflow.Chain.done_by), and since when
    {
        "rp_done_recognised": (
            "达标：经「{stage}」认定的社区，按认定日期计",
            "passed: communities recognised at “{stage}”, counted from that date",
        ),
        "rp_done_verified": (
            "达标：「{stage}」核定达标的社区，按核定日期计",
            "passed: communities whose result “{stage}” verified as passing, from that date",
        ),
        "rp_done_self": (
            "达标：自查提交且达标的社区，按提交日期计",
            "passed: communities whose submitted check passes, from the submission",
        ),
        "rp_done_awaiting": (
            "另有 {n} 个社区自评达标，待审核",
            "passing by their own result, awaiting review: {n}",
        ),
    }
)
TEXTS["rp_err_no_scope"] = (
    "你的身份不查看社区进度：街道审核员请发送 /review。",
    "Your role has no community progress to show: street reviewers, send /review.",
)
TEXTS["chart_usage"] = (
    "用法：/chart（今年）· /chart 2022（截至该年年底）· /chart stages（审核进度）",
    "Usage: /chart (this year) · /chart 2022 (as of that year's end) · /chart stages (review)",
)
