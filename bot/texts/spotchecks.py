"""Texts of spot checks (抽查), 公示 periods and objections (异议), and invited experts."""

from __future__ import annotations

TEXTS: dict[str, tuple[str, str]] = {}

# -- refusals (CheckError codes of bot.services.spotchecks and .publicity) ----------------------
TEXTS.update(
    {
        "sp_err_admin_only": ("⛔ 此操作仅限管理员（市级）。", "⛔ Admins (the city) only."),
        "sp_err_no_permission": ("您无权查看此抽查。", "You may not see this spot check."),
        "sp_err_stale": (
            "该抽查已失效，请重新发送 /spotcheck。",
            "Out of date: send /spotcheck again.",
        ),
        "sp_err_bad_n": ("抽取数量至少为 1。", "Draw at least 1 community."),
        "sp_err_bad_year": (
            "年份应在 2000–2100 之间：{year}",
            "The year must be 2000–2100: {year}",
        ),
        "sp_err_not_inspector": (
            "检查人须为管理员或受邀的 {year} 年度评定专家（/invite expert {year}）。",
            "An inspector is an admin or an expert invited for {year} (/invite expert {year}).",
        ),
        "sp_err_spot_moved": (
            "此抽查当前状态（{state}）下不能这样操作，可能已由他人处理。",
            "Not possible in the spot check's current state ({state}); someone may have acted.",
        ),
        "sp_err_not_yours": ("此抽查未指派给您。", "This spot check is not assigned to you."),
        "sp_err_spot_closed": (
            "此抽查已作出结论，不能再修改。",
            "This spot check has its outcome; nothing changes any more.",
        ),
        "sp_err_bad_answer": ("该项不能这样核查。", "This item cannot be answered that way."),
        "sp_err_bad_question": ("没有这个条目：{qid}", "No such item: {qid}"),
        "sp_err_too_long": (
            "内容过长（{length} 字，最多 {limit} 字），请精简后重新回复。",
            "Too long ({length} characters, at most {limit}): shorten it and reply again.",
        ),
        "sp_err_empty": ("内容为空，请重新回复。", "Empty: please reply again."),
        "sp_err_bad_outcome": ("没有这种结论。", "No such outcome."),
        "sp_err_nothing_checked": (
            "还没有核查任何条目：请先逐项核查，再作结论。",
            "No item re-verified yet: check items first, then decide.",
        ),
        "sp_err_due_needed": ("请给出整改期限（YYYY-MM-DD）。", "Give the due day (YYYY-MM-DD)."),
        "sp_err_no_discrepancy": (
            "没有发现与核定结果不一致的未达标条目，无需整改；可以选择“确认”。",
            "No item was found failing where the verified result said otherwise: nothing to"
            " rectify. Confirm instead.",
        ),
        "sp_err_reason_needed": ("请写明理由。", "Give the reason."),
        "sp_err_not_recognised": (
            "该社区目前不是已认定的绿色社区。",
            "This community is not recognised now.",
        ),
        "sp_err_not_drawn": (
            "{community} 不在 {year} 年的抽查名单中（先 /spotcheck draw）。",
            "{community} was not drawn for {year} (/spotcheck draw first).",
        ),
        "sp_err_unknown_user": (
            "找不到该检查人：请写其用户 ID 或 @用户名（须先与机器人对话过）。",
            "Unknown inspector: give their user id or @username (they must have started the bot).",
        ),
        "sp_err_bad_day": (
            "日期格式应为 YYYY-MM-DD，请重新回复。",
            "A date is YYYY-MM-DD: please reply again.",
        ),
        "sp_err_bad_days": ("请回复天数（数字）。", "Reply with a number of days."),
        "sp_err_objection_empty": ("请写明来源和内容。", "Give the source and the text."),
        "sp_err_not_in_publicity": (
            "该社区当前不在公示期内，不能登记异议。",
            "This community is not in its notice period: no objection can be recorded.",
        ),
        "sp_err_objection_resolved": (
            "该异议已处理（或不存在）。",
            "That objection is resolved already (or does not exist).",
        ),
        "rv_err_publicity_days": (
            "原文未规定「{stage}」的天数：请写 /publish 社区 天数（1–{max}），或点「记录公示」后回复天数。",
            "The seed gives no length for “{stage}”: send /publish NAME DAYS (1–{max}), or tap"
            " “Record” and reply with the days.",
        ),
        "rv_err_publicity_running": (
            "公示期至 {end} 结束，期满后才能公布。",
            "The notice period runs until {end}: publish after it ends.",
        ),
        "rv_err_objection_open": (
            "尚有 {n} 条异议未处理，处理后才能公布（/publicity）。",
            "Objections still open: {n}. Resolve them before publishing (/publicity).",
        ),
    }
)

# -- spot checks ---------------------------------------------------------------------------------
TEXTS.update(
    {
        "sp_state_drawn": ("待指派", "drawn, no inspector"),
        "sp_state_assigned": ("核查中", "being inspected"),
        "sp_state_confirmed": ("确认", "confirmed"),
        "sp_state_rectify": ("需整改", "to be rectified"),
        "sp_state_proposed": ("建议撤销称号", "withdrawal proposed"),
        "sp_state_withdrawn": ("已撤销称号", "title withdrawn"),
        "sp_due": ("（期限 {due}）", " (due {due})"),
        "sp_reason": ("：{reason}", ": {reason}"),
        "sp_card_title": (
            "🔎 <b>抽查 · {community}</b>（{county}，{year} 年）",
            "🔎 <b>Spot check · {community}</b> ({county}, {year})",
        ),
        "sp_card_state": ("检查人：{inspector} · {state}", "Inspector: {inspector} · {state}"),
        "sp_card_tally": (
            "已核查 {n}/{total} 项 · 与自评一致 {own} · 与核定一致 {verified}",
            "{n}/{total} items re-verified · agree with self-assessment {own} · with the"
            " verification {verified}",
        ),
        "sp_verified": ("此前核定：{answer}", "Verified before: {answer}"),
        "sp_found": (
            "抽查结果：{answer} · 现场材料 {files} 份",
            "Found on site: {answer} · {files} files",
        ),
        "sp_comment": ("💬 抽查意见：{body}", "💬 Inspector: {body}"),
        "sp_btn_same": ("✔ 同自评", "✔ As self-assessed"),
        "sp_btn_photo": ("📷 现场照片", "📷 Site photo"),
        "sp_btn_confirm": ("✅ 确认", "✅ Confirm"),
        "sp_btn_rectify": ("🛠 整改", "🛠 Rectify"),
        "sp_btn_propose": ("⛔ 建议撤销", "⛔ Propose withdrawal"),
        "sp_btn_withdraw": ("⛔ 确认撤销称号", "⛔ Withdraw the title"),
        "sp_btn_decline": ("↩ 不同意撤销", "↩ Decline"),
        "sp_btn_export": ("📄 导出 Excel", "📄 Export Excel"),
        "sp_saved": ("已记录", "Saved"),
        "sp_drawn": (
            "🎲 {year} 年抽查：从 {population} 个已认定社区中抽取 {n} 个（随机种子 {seed}，新增 {added} 个）：",
            "🎲 {year} spot check: {n} of {population} recognised communities drawn (seed {seed},"
            " {added} new):",
        ),
        "sp_drawn_line": (
            "{i}. {community}（{county}）· 认定于 {since}",
            "{i}. {community} ({county}) · recognised {since}",
        ),
        "sp_drawn_next": (
            "用 /spotcheck assign 社区 @检查人 指派检查人。同一种子在同样的数据上抽出同样的社区。",
            "Assign each with /spotcheck assign NAME @inspector. The same seed on the same data"
            " draws the same communities.",
        ),
        "sp_none": ("没有抽查。", "No spot checks."),
        "sp_mine_title": (
            "🔎 <b>指派给您的抽查（{n}）</b>",
            "🔎 <b>Spot checks assigned to you ({n})</b>",
        ),
        "sp_list_line": (
            "{i}. {community}（{county}）· {state} · 检查人 {inspector}",
            "{i}. {community} ({county}) · {state} · inspector {inspector}",
        ),
        "sp_report_empty": (
            "{year} 年还没有作出结论的抽查。",
            "No spot check of {year} has an outcome yet.",
        ),
        "sp_report_title": (
            "📊 <b>{year} 年抽查一致率</b>",
            "📊 <b>Spot checks {year}: agreement</b>",
        ),
        "sp_report_county": (
            "<b>{county}</b>：{n} 个社区 · {items} 项 · 与自评一致 {own}（{own_rate}）· 与核定一致 {verified}（{verified_rate}）",
            "<b>{county}</b>: {n} communities · {items} items · agree with self-assessment {own}"
            " ({own_rate}) · with the verification {verified} ({verified_rate})",
        ),
        "sp_item_count": ("{item}（{n}）", "{item} ({n})"),
        "sp_report_items": ("分歧最多的条目：{items}", "Items that disagree most: {items}"),
        "sp_report_community": (
            "• {community}（{county}）· {state} · 与自评一致 {own}/{items}",
            "• {community} ({county}) · {state} · agree with self-assessment {own}/{items}",
        ),
        "sp_report_meaning": (
            "一致率 = 抽查结果与社区自评（或此前核定）相同的条目数 ÷ 抽查条目数。",
            "Agreement = items where the inspector found what the community (or the earlier"
            " verification) said ÷ items re-verified.",
        ),
        "sp_usage": (
            "用法：/spotcheck [年份] · /spotcheck draw 年份 数量 种子 [县区] · /spotcheck assign 社区 @检查人 [年份]",
            "Usage: /spotcheck [YEAR] · /spotcheck draw YEAR N SEED [COUNTY] · /spotcheck assign"
            " NAME @inspector [YEAR]",
        ),
        "sp_draw_usage": (
            "用法：/spotcheck draw 年份 数量 种子 [县区] [weighted|simple]，例如 /spotcheck draw 2026 8 20261120",
            "Usage: /spotcheck draw YEAR N SEED [COUNTY] [weighted|simple], e.g. /spotcheck draw"
            " 2026 8 20261120",
        ),
        "sp_assign_usage": (
            "用法：/spotcheck assign 社区 @检查人|用户ID [年份]",
            "Usage: /spotcheck assign NAME @inspector|USER_ID [YEAR]",
        ),
        "sp_assigned": (
            "已将 <b>{community}</b> 的抽查指派给 {inspector}，并已通知。",
            "<b>{community}</b>'s spot check is assigned to {inspector}, who was told.",
        ),
        "sp_prompt_sp_comment": (
            "📝 请回复本消息，写下对 {id} 的抽查意见：",
            "📝 Reply to this message with your remark on {id}:",
        ),
        "sp_prompt_sp_file": (
            "📝 请回复本消息发送 {id} 的现场照片或文件：",
            "📝 Reply to this message with site photos or files for {id}:",
        ),
        "sp_prompt_sp_rectify": (
            "📝 请回复本消息写整改期限（YYYY-MM-DD）：每个发现未达标的条目将生成一项整改。",
            "📝 Reply with the due day (YYYY-MM-DD): each item found failing opens an action.",
        ),
        "sp_prompt_sp_propose": (
            "📝 请回复本消息写明建议撤销称号的理由（由市级确认）：",
            "📝 Reply with the reason to withdraw the title (the city confirms it):",
        ),
        "sp_comment_saved": ("已记录对 {id} 的抽查意见。", "Remark on {id} saved."),
        "sp_file_saved": ("已保存 {id} 的现场材料。", "Site file for {id} saved."),
        "sp_send_a_file": (
            "请回复照片或文件（不是文字）作为现场材料。",
            "Reply with a photo or a file (not text) as the site evidence.",
        ),
        "sp_file_dup": ("{id} 已有这份材料。", "{id} has this file already."),
        "sp_decided_confirmed": (
            "✅ <b>{community}</b>：抽查确认。",
            "✅ <b>{community}</b>: confirmed.",
        ),
        "sp_decided_rectify": (
            "🛠 <b>{community}</b>：需整改。",
            "🛠 <b>{community}</b>: to be rectified.",
        ),
        "sp_decided_proposed": (
            "⛔ <b>{community}</b>：已建议撤销称号，等待市级确认。",
            "⛔ <b>{community}</b>: withdrawal proposed; the city confirms it.",
        ),
        "sp_decided_withdrawn": (
            "⛔ <b>{community}</b> 的称号已撤销（抽查）。",
            "⛔ <b>{community}</b>'s title is withdrawn (spot check).",
        ),
        "sp_decided_assigned": (
            "↩ 未同意撤销 <b>{community}</b> 的称号，检查人将重新作出结论。",
            "↩ Withdrawal of <b>{community}</b> declined: the inspector decides again.",
        ),
        "sp_actions_opened": (
            "已生成 {n} 项整改，社区已收到通知（/actions）。",
            "{n} items to rectify, each a corrective action; the community was told (/actions).",
        ),
        "sp_actions_opened_one": (
            "已生成 {n} 项整改，社区已收到通知（/actions）。",
            "1 item to rectify, a corrective action; the community was told (/actions).",
        ),
        "nt_spot_assigned": (
            "🔎 您被指派抽查 <b>{community}</b>（{county}，{year} 年）：到现场逐项核查，可拍照上传。",
            "🔎 You are to spot-check <b>{community}</b> ({county}, {year}): re-verify on site,"
            " item by item, with photos.",
        ),
        "nt_spot_proposed": (
            "⛔ 抽查建议撤销 <b>{community}</b>（{county}）的“绿色社区”称号：{reason}。请确认或不同意。",
            "⛔ A spot check proposes to withdraw <b>{community}</b>'s ({county}) title: {reason}."
            " Confirm or decline.",
        ),
        "nt_spot_withdrawn": (
            "⛔ 经市级抽查，<b>{community}</b> 的“绿色社区”称号已撤销：{reason}",
            "⛔ After the city's spot check, <b>{community}</b>'s title is withdrawn: {reason}",
        ),
        "nt_spot_declined": (
            "↩ 市级未同意撤销 <b>{community}</b> 的称号，请重新作出抽查结论。",
            "↩ The city declined to withdraw <b>{community}</b>'s title: decide again.",
        ),
        "nt_kind_spot_assigned": ("抽查指派", "spot check assigned"),
        "nt_kind_spot_proposed": ("抽查建议撤销", "withdrawal proposed"),
        "nt_kind_spot_withdrawn": ("抽查撤销称号", "title withdrawn (spot check)"),
        "nt_kind_spot_declined": ("未同意撤销", "withdrawal declined"),
        "cmd_spotcheck": ("抽查与一致率", "spot checks and agreement"),
        "help_city_spot": (
            "抽查：/spotcheck 一致率（加 draw 年份 数量 种子 抽取，加 assign 社区 @检查人 指派；"
            "专家用 invite expert 年份 邀请）\n"
            "公示：/publish 社区 天数 记录公示 · /publicity 公示名单 · /objection 社区 来源 内容 登记异议",
            "Spot checks: /spotcheck the figures (add draw YEAR N SEED to draw, assign NAME"
            " @inspector to assign; invite experts with invite expert YEAR)\n"
            "Notice: /publish NAME DAYS records it · /publicity the list · /objection NAME SOURCE"
            " TEXT",
        ),
    }
)

# -- 公示 and objections --------------------------------------------------------------------------
TEXTS.update(
    {
        "pb_period": (
            "公示期 {start} 至 {end}（{days} 天）",
            "notice {start} to {end} ({days} days)",
        ),
        "pb_none": ("目前没有公示中的社区。", "No community is in its notice period."),
        "pb_list_title": ("📢 <b>公示名单（{n}）</b>", "📢 <b>In public notice ({n})</b>"),
        "pb_list_line": (
            "{i}. {community}（{county}）· {period} · 待处理异议 {open} · 下一步「{stage}」",
            "{i}. {community} ({county}) · {period} · open objections {open} · next “{stage}”",
        ),
        "pb_title": ("📢 <b>{community}</b> · {period}", "📢 <b>{community}</b> · {period}"),
        "pb_outcome_open": ("待处理", "open"),
        "pb_outcome_upheld": ("成立（已退回）", "upheld (sent back)"),
        "pb_outcome_dismissed": ("不成立", "dismissed"),
        "pb_objection": (
            "#{id} {at} · {source}：{body} — {outcome} {reason}",
            "#{id} {at} · {source}: {body} — {outcome} {reason}",
        ),
        "pb_no_objections": ("公示期内未收到异议。", "No objection received."),
        "pb_btn_uphold": ("✔ #{id} 成立", "✔ #{id} upheld"),
        "pb_btn_dismiss": ("✖ #{id} 不成立", "✖ #{id} dismissed"),
        "pb_objection_usage": (
            "用法：/objection 社区 来源 内容，例如 /objection 江滨社区 市民来信 小区内仍有私搭乱建",
            "Usage: /objection NAME SOURCE TEXT, e.g. /objection NAME letter 'sheds still stand'",
        ),
        "pb_objection_saved": (
            "已登记异议 #{id}（{community}）；异议处理前不能公布。",
            "Objection #{id} recorded ({community}); publication waits until it is resolved.",
        ),
        "pb_resolved_upheld": (
            "异议 #{id} 成立：{community} 的认定已撤销并退回社区，重新提交后回到市级认定。",
            "Objection #{id} upheld: {community}'s recognition is withdrawn and the check sent"
            " back; resubmitted, it returns to the city's recognition.",
        ),
        "pb_resolved_dismissed": (
            "异议 #{id} 不成立（{community}）；公示期满后可以公布。",
            "Objection #{id} dismissed ({community}); publish once the notice period ends.",
        ),
        "pb_prompt_days": (
            "📝 原文未规定公示天数。请回复本消息写公示天数（例如 7），公示期从今天开始：",
            "📝 The seed gives no length: reply with the number of days (e.g. 7); it starts today:",
        ),
        "pb_prompt_pb_upheld": (
            "📝 异议 #{id} 成立：请回复本消息写明处理理由（将退回社区）：",
            "📝 Objection #{id} upheld: reply with the reason (the check goes back):",
        ),
        "pb_prompt_pb_dismissed": (
            "📝 异议 #{id} 不成立：请回复本消息写明理由：",
            "📝 Objection #{id} dismissed: reply with the reason:",
        ),
        "pb_started": (
            "📢 已记录 <b>{community}</b> 的公示：{period}。",
            "📢 <b>{community}</b>: {period}.",
        ),
        "cmd_publicity": ("公示名单与异议", "public notice and objections"),
        "cmd_objection": ("登记公示异议", "record an objection"),
        "fl_h_publicity_from": ("公示开始", "Notice from"),
        "fl_h_publicity_to": ("公示结束", "Notice until"),
        "rv_withdraw_spotcheck": ("市级抽查撤销", "withdrawn after a spot check"),
        "rv_withdraw_objection": ("公示异议成立", "an objection during the notice was upheld"),
        "rv_role_expert": ("评定专家", "expert"),
    }
)

# -- experts ------------------------------------------------------------------------------------
TEXTS.update(
    {
        "role_expert": ("{year} 年度评定专家", "expert for {year}"),
        "invite_role_expert": ("评定专家", "expert"),
        "sp_registered_expert": (
            "注册成功：您是市级邀请的评定专家。发送 /review 查看待评定的社区，/spotcheck 查看指派给您的抽查。",
            "Registered as an expert the city invited. Send /review for checks to assess and"
            " /spotcheck for the spot checks assigned to you.",
        ),
        "sp_invite_usage": ("用法：/invite expert 年份", "Usage: /invite expert YEAR"),
        "sp_invite": (
            "已创建 {year} 年度评定专家邀请，{days} 天内有效，仅可使用一次：\n{link}\n邀请码：{code}",
            "Expert invite for {year}, valid {days} days, single use:\n{link}\ncode: {code}",
        ),
        "help_expert": (
            "评定专家：/review 待评定的社区（逐项评定 · 通过）· /spotcheck 指派给您的抽查（现场核查 · 拍照 · 结论）",
            "Expert: /review checks to assess (item by item · approve) · /spotcheck the spot"
            " checks assigned to you (re-verify on site · photos · outcome)",
        ),
    }
)

# -- the command line -----------------------------------------------------------------------------
TEXTS.update(
    {
        "cli_example_spot_assign": (
            "greencheck spotcheck assign --year 2026 --community 江滨社区 --inspector 123456",
            "greencheck spotcheck assign --year 2026 --community 江滨社区 --inspector 123456",
        ),
        "cli_example_publicity_show": (
            "greencheck publicity show --community 江滨社区 --json",
            "greencheck publicity show --community 江滨社区 --json",
        ),
        "sp_cli_drawn": (
            "从 {population} 个已认定社区中抽取 {n} 个（种子 {seed}）：",
            "{n} of {population} recognised communities drawn (seed {seed}):",
        ),
        "sp_cli_items": ("分歧最多的条目：{items}", "items that disagree most: {items}"),
        "sp_cli_assigned": (
            "已将 {community} 指派给 {inspector}",
            "{community} assigned to {inspector}",
        ),
        "pb_cli_show": (
            "{community}：公示期 {start} 至 {end}",
            "{community}: notice {start} to {end}",
        ),
    }
)

# -- the agreement XLSX (bot/files/spotchecks.py) -----------------------------------------------
TEXTS.update(
    {
        "sp_x_title": (
            "{region}{year}年绿色社区抽查一致率",
            "{region}: spot checks {year}, agreement",
        ),
        "sp_x_detail_title": (
            "{region}{year}年绿色社区抽查明细",
            "{region}: spot checks {year}, by community",
        ),
        "sp_x_items_title": (
            "{region}{year}年抽查分歧最多的条目",
            "{region}: spot checks {year}, items that disagree most",
        ),
        "sp_x_counties": ("县区一致率", "Counties"),
        "sp_x_communities": ("社区明细", "Communities"),
        "sp_x_items": ("分歧条目", "Items"),
        "sp_x_total": ("合计", "Total"),
        "sp_x_h_county": ("县（区）", "County"),
        "sp_x_h_communities": ("抽查\n社区数", "Communities\nchecked"),
        "sp_x_h_items": ("抽查\n条目数", "Items\nchecked"),
        "sp_x_h_agree_self": ("与自评\n一致", "Agree with\nself-check"),
        "sp_x_h_rate_self": ("自评\n一致率", "Self-check\nagreement"),
        "sp_x_h_agree_verified": ("与核定\n一致", "Agree with\nverification"),
        "sp_x_h_rate_verified": ("核定\n一致率", "Verification\nagreement"),
        "sp_x_h_outcome": ("抽查结论", "Outcome"),
        "sp_x_h_wording": ("内容", "Wording"),
        "sp_x_h_disagree": ("与自评不一致\n的社区数", "Communities\ndisagreeing"),
        "sp_x_meaning": (
            "说明：抽查人员到现场逐项重新核查。“与自评一致”指抽查结果与社区自评相同（状态和分值均相同）的条目数，"
            "“与核定一致”指与此前审核核定的结果相同的条目数（未经核定的条目以社区自评为准）；"
            "一致率 = 一致条目数 ÷ 抽查条目数。只计入抽查人员已作出结论的抽查。",
            "Inspectors re-verify each item on site. “Agree with self-check”: items where the"
            " inspector found the community's own answer (same status and points); “agree with"
            " verification”: the answer the review chain verified (the community's where no"
            " reviewer changed it). Agreement = agreeing items ÷ items checked. Only spot checks"
            " with an outcome count.",
        ),
    }
)
