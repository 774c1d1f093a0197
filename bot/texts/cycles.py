"""Texts of years and corrective actions (issue 13): cycles, targets, 复审, 整改."""

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
    "cy_no_carried": ("此项没有上年的答案。", "No answer from last year on this item."),
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
    "cy_target_by": ("，{by} 设定", ", set by {by}"),
    "cy_target_none": ("没有目标。", "No target."),
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
}
