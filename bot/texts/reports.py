"""Texts of status views, exports, forms and charts; generic errors."""

from __future__ import annotations

# key: (Chinese, English)
TEXTS: dict[str, tuple[str, str]] = {
    # -- status and files --
    "page_prev": ("◀ 上一页", "◀ Prev"),
    "page_next": ("下一页 ▶", "Next ▶"),
    "btn_chart": ("📈 图表", "📈 Chart"),
    "btn_export_progress": ("⬇️ 导出进度表", "⬇️ Progress table"),
    "btn_missing": ("未开始的社区", "Not started"),
    "btn_wide": ("📋 全部列（原宜居/原绿色/计划/参与率）", "📋 All columns"),
    "btn_narrow": ("📱 精简表", "📱 Compact table"),
    "community_usage": ("用法：/community 社区名称", "Usage: /community <community>"),
    "form_usage": ("用法：/form 社区名称", "Usage: /form <community>"),
    "export_usage": (
        "用法：/export progress（进度表）| plan（创建计划表）| summary（完成情况汇总表）| answers（全部作答）",
        "Usage: /export progress | plan | summary | answers",
    ),
    "error": (
        "😥 出了点问题，这次操作没有完成，已保存的内容不受影响。请稍后再试。",
        "😥 Something went wrong; nothing saved was lost. Please try again.",
    ),
}
