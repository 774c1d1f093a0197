"""Texts of `greencheck standards` (list, show, score). Standard wording is data, never here."""

from __future__ import annotations

# key: (Chinese, English)
TEXTS: dict[str, tuple[str, str]] = {
    "std_list_points": ("{max:g} 分，{pass_:g} 分达标", "{max:g} points, {pass_:g} to pass"),
    "std_list_checklist": ("逐项达标", "every item met"),
    "std_list_subs": ("，{n} 个子项", ", {n} sub-items"),
    "std_list_row": (
        "{id:<24} {title}（{items} 项{subs}，{pts}）",
        "{id:<24} {title} ({items} items{subs}, {pts})",
    ),
    "std_show_head": ("{title}（{source}）", "{title} ({source})"),
    "std_show_rule": (
        "判定：{rule}",
        "verdict: {rule}",
    ),
    "std_rule_points": (
        "总分 {max:g} 分，{pass_:g} 分以上且无否决项为达标；未答项计 0 分，加分项可不答",
        "{max:g} points; {pass_:g} or more and no veto passes; unanswered items score 0,"
        " the bonus is optional",
    ),
    "std_rule_checklist": (
        "逐项对照，所有适用项均符合为达标（全部不适用不能达标）",
        "every applicable item met passes (all N.A. cannot pass)",
    ),
    "std_area_points": ("（{points:g} 分）", " ({points:g} points)"),
    "std_item_points": (" [{points:g} 分]", " [{points:g} points]"),
    "std_item_bonus": (" [加分项，最高 {points:g} 分]", " [bonus, up to {points:g} points]"),
    "std_criteria": ("{label}：{text}", "{label}: {text}"),
    "std_criteria_label": ("标准", "Criteria"),
    "std_methods": ("考评方式：{text}", "assessment method: {text}"),
    "std_responsible": ("责任部门：{text}", "responsible department: {text}"),
    "std_supervisors": ("监督指导部门：{text}", "supervising department: {text}"),
    "std_evidence": ("佐证材料：{text}", "evidence: {text}"),
    "std_reading": ("【识读】{text}", "[reading] {text}"),
    "std_na_yes": ("可答不适用（须写明原因）：{text}", "may be N.A. (a note must say why): {text}"),
    "std_na_no": ("不可答不适用", "N.A. not allowed"),
    "std_part": ("第{n}部分 {points:g} 分：{text}", "part {n}, {points:g} points: {text}"),
    "std_rule_line": (
        "{rule}) {text}{part} — 可扣 {choices}",
        "{rule}) {text}{part} — deducts {choices}",
    ),
    "std_rule_part": ("〔第{n}部分〕", " [part {n}]"),
    "std_rule_reading": ("【识读】{text}", "[reading] {text}"),
    "std_values": ("可得分值：{values}", "possible scores: {values}"),
    "std_bonus": (
        "加分项 bonus（最高 {max:g} 分，可不答）：{text}",
        "bonus (up to {max:g} points, optional): {text}",
    ),
    "std_bonus_proof": (
        "      {proof}：附上佐证材料后才计分",
        "      {proof}: the points count only with evidence attached",
    ),
    "std_gap_uncounted": ("（+{pts:g} 分待佐证材料）", " (+{pts:g} waiting for its evidence)"),
    "std_veto": (
        "否决项 {id} {title}：{text}（答 met=不存在，not_met=存在→不能认定）",
        "veto {id} {title}: {text} (met = absent, not_met = present → cannot pass)",
    ),
    "std_score_points": (
        "得分 {score:g}/{max:g}（达标线 {pass_:g}）",
        "score {score:g}/{max:g} (pass line {pass_:g})",
    ),
    "std_score_projected": (
        "预计得分 {score:g}（未答项按满分计）",
        "projected {score:g} (unanswered at full marks)",
    ),
    "std_score_answered": (
        "已答 {answered}/{total} · 缺项 {gaps}",
        "answered {answered}/{total} · gaps {gaps}",
    ),
    "std_score_passed": ("结论：达标", "verdict: passed"),
    "std_score_failed": ("结论：未达标", "verdict: not passed"),
    "std_score_vetoed": ("（触发否决项 {ids}）", " (veto {ids} triggered)"),
    "std_score_complete": ("填报完整：{yes}", "complete: {yes}"),
    "std_yes": ("是", "yes"),
    "std_no": ("否", "no"),
    "std_ok_all": ("ok: {n} files valid", "ok: {n} files valid"),
    "std_ok_file": ("ok: {path}", "ok: {path}"),
    # gap reasons (the card's /gaps tags each gap with gap_tag_<reason>)
    "gap_tag_na_unexplained": ("✏️缺不适用原因", "✏️N.A. without reason"),
    "gap_tag_invalid": ("⚠️答案无效", "⚠️invalid answer"),
    "gap_na_unexplained": ("不适用未说明原因", "N.A. without reason"),
    "gap_invalid": ("答案无效", "invalid answers"),
}
