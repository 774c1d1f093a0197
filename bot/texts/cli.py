"""Texts of the command line and the demo console (plain text, in GREENCHECK_LANG).

These are printed to a terminal, not sent to Telegram; still, none holds a `<…>` tag.
"""

from __future__ import annotations

# key: (Chinese, English)
TEXTS: dict[str, tuple[str, str]] = {
    # -- errors: one line on stderr; the "error: " prefix stays the same in both languages so
    #    scripts and logs can find it --
    # examples in --help name places of the sample roster (data, the same in both languages)
    "cli_example_invite": (
        "greencheck invite --role worker --community 江滨社区",
        "greencheck invite --role worker --community 江滨社区",
    ),
    "cli_example_review_status": (
        "greencheck review status --community 江滨社区 --json",
        "greencheck review status --community 江滨社区 --json",
    ),
    "cli_example_roster_show": (
        "greencheck roster show --county 源城区 --json",
        "greencheck roster show --county 源城区 --json",
    ),
    "cli_error": ("error: {message}", "error: {message}"),
    "cli_usage_error": ("{message}（见 {prog} --help）", "{message} (see {prog} --help)"),
    "in_file": ("{path}：{message}", "{path}: {message}"),
    "os_error": ("{path}：{reason}", "{path}: {reason}"),
    "no_database": (
        "数据库 {path} 不存在：先运行 greencheck init --sample（样例名册）"
        "或 greencheck init 再 greencheck roster import 名册.xlsx",
        "database {path} does not exist: run greencheck init --sample (the sample roster)"
        " or greencheck init then greencheck roster import ROSTER.xlsx first",
    ),
    "out_suffix": (
        "{path}：文件名应以 {suffix} 结尾",
        "{path}: the file name must end in {suffix}",
    ),
    "out_folder": ("文件夹 {folder} 不存在", "folder {folder} does not exist"),
    "cli_warning": ("warning: {message}", "warning: {message}"),
    "config_error": ("配置 {field}：{msg}", "configuration {field}: {msg}"),
    "no_token": (
        "未设置 TELEGRAM_BOT_TOKEN（写在环境变量或 .env 中；不用 token 可先试试 `greencheck demo`）",
        "TELEGRAM_BOT_TOKEN is not set (put it in the environment or .env;"
        " try `greencheck demo` to run without one)",
    ),
    "no_bot_name": (
        "无法向 Telegram 查询机器人的用户名（{error}）",
        "could not ask Telegram for the bot's name ({error})",
    ),
    # -- init, programs and roster --
    "init_done": (
        "数据库 {path}：结构版本 {version}（共 {count} 个迁移）",
        "database {path}: schema at version {version} ({count} migrations)",
    ),
    "init_sample": (
        "已载入样例名册：{rows} 个社区，分布在 {counties} 个县区（样例数据）",
        "sample roster loaded: {rows} communities in {counties} counties (sample data)",
    ),
    "program_line": (
        "{id:<24} {title}（{doc}）标准 {standard}；目标 {targets}",
        "{id:<24} {title} ({doc}) standard {standard}; targets {targets}",
    ),
    "program_target": ("{year} 年 {pct:g}%", "{year}: {pct:g}%"),
    "program_participation_target": (
        "{year} 年参与 {pct:g}%",
        "{year}: {pct:g}% taking part",
    ),
    "program_target_sep": ("、", ", "),
    "roster_imported_communities": (
        "已从 {path} 导入 {rows} 个社区（{counties} 个县区）",
        "imported {rows} communities in {counties} counties from {path}",
    ),
    "roster_imported_contacts": (
        "已从 {path} 导入 {rows} 位联系人（{counties} 个县区）",
        "imported {rows} contacts in {counties} counties from {path}",
    ),
    "roster_livable": ("宜居 ", "livable "),
    "roster_green": ("绿色 ", "green "),
    "roster_planned": ("计划 {year}", "planned {year}"),
    "roster_total": ("（共 {n} 个社区）", "({n} communities)"),
    # -- roster import errors (RosterError codes) --
    "roster_unreadable": ("{path}：无法读取：{reason}", "{path}: cannot read: {reason}"),
    "roster_encoding": ("{path}：不是 UTF-8 或 GBK 编码的文本", "{path}: not UTF-8 or GBK text"),
    "roster_xlsx": (
        "{path}：不是可读取的 XLSX 文件（{reason}）",
        "{path}: not a readable XLSX file ({reason})",
    ),
    "roster_file_type": (
        "{path}：不支持的文件类型“{suffix}”（请用 .csv 或 .xlsx）",
        "{path}: unsupported file type '{suffix}' (use .csv or .xlsx)",
    ),
    "roster_empty": ("{path}：文件为空", "{path}: the file is empty"),
    "roster_no_rows": ("{path}：表头下没有数据行", "{path}: no rows below the header"),
    "roster_no_county": ("第 {line} 行：县区为空", "line {line}: county is empty"),
    "roster_no_name": ("第 {line} 行：姓名为空", "line {line}: name is empty"),
    "roster_no_community": ("第 {line} 行：社区为空", "line {line}: community is empty"),
    "roster_twice": (
        "第 {line} 行：社区“{name}”出现了两次",
        "line {line}: community '{name}' appears twice",
    ),
    "roster_year": (
        "第 {line} 行：计划创建年份应为年份，实为“{value}”",
        "line {line}: planned_year: expected a year, got '{value}'",
    ),
    "roster_flag": (
        "第 {line} 行：{column}：应为 1/0 或 是/否，实为“{value}”",
        "line {line}: {column}: expected 1/0 or 是/否, got '{value}'",
    ),
    "roster_moved": (
        "第 {line} 行：社区“{name}”已属于 {other}；请改名（如 {county}{name}）或更正县区",
        "line {line}: community '{name}' already exists in {other};"
        " rename it (e.g. {county}{name}) or fix the county",
    ),
    # -- greencheck invite --
    "invite_needs_scope": ("{role} 邀请需要 {flag} 名称", "a {role} invite needs {flag} NAME"),
    "name_no_match": ("“{name}”：没有匹配", "'{name}': no match"),
    "name_ambiguous": ("“{name}”：不唯一：{names}", "'{name}': ambiguous: {names}"),
    "name_sep": ("、", ", "),
    "invite_code": ("邀请码：{code}", "code: {code}"),
    "invite_link": ("链接：{link}", "link: {link}"),
    "invite_no_link": (
        "链接：需要机器人的用户名。设置 GREENCHECK_BOT_USERNAME（如 GreenCheckBot），"
        "或设置 TELEGRAM_BOT_TOKEN 让本命令向 Telegram 查询，再运行一次即得 https://t.me/…?start= 链接",
        "link: needs the bot's username. Set GREENCHECK_BOT_USERNAME (e.g. GreenCheckBot), or set"
        " TELEGRAM_BOT_TOKEN so this command asks Telegram, and run it again for the"
        " https://t.me/…?start= link",
    ),
    "invite_join": (
        "或在与机器人的对话中发送：/join {code}",
        "or send this in the chat with the bot: /join {code}",
    ),
    "invite_expiry": ("{n} 天内有效；仅限一人使用", "expires in {n} days; single use"),
    "invite_expiry_one": ("{n} 天内有效；仅限一人使用", "expires in 1 day; single use"),
    # -- greencheck demo (the console around the chat) --
    "demo_banner": (
        "🌿 GreenCheck 本地演示 · 数据库 {db}（日志 {db}.log）· 文件保存到 {files}/\n"
        "你现在是{who}。/as 角色 切换身份（{roles}）。输入数字按按钮，输入文字发送消息；"
        ">文字 回复上一条消息，>编号 文字 回复第 #编号 条；!photo 发送照片，!doc 文件名 发送文件，"
        "quit 退出。\n先试试 /check、/gaps、/help。\n",
        "🌿 GreenCheck local demo · database {db} (log {db}.log) · files saved to {files}/\n"
        "You are {who}. /as ROLE switches who you are ({roles}). Type a number to press a"
        " button, text to send a message; >text replies to the last message, >N text to message"
        " #N; !photo sends a photo, !doc NAME a file; quit ends.\nTry /check, /gaps, /help first.\n",
    ),
    "demo_sent": ("🤖 #{n}", "🤖 #{n}"),
    "demo_edited": ("🤖 #{n}（已更新）", "🤖 #{n} (updated)"),
    "demo_to": (" → 发给 {name}", " → to {name}"),
    "demo_reply_hint": (
        "  （请直接输入回复内容；内容是数字时用 >数字）\n",
        "  (type your reply; for a number, type >NUMBER)\n",
    ),
    "demo_file_sent": ("📄 发送了文件\n", "📄 sent a file\n"),
    "demo_file_saved": (
        "📄 已保存：{path}（{size} 字节）\n",
        "📄 saved: {path} ({size} bytes)\n",
    ),
    "demo_bye": ("\n再见！\n", "\nBye!\n"),
    "demo_as_worker": ("社区工作人员", "a community worker"),
    "demo_as_contact": ("县区联系人", "a county contact"),
    "demo_as_admin": ("管理员", "an admin"),
    "demo_as_street": ("街道审核员", "a street reviewer"),
    "demo_as_new": ("新用户", "a new user"),
    "demo_who": ("{role}（{scope}）", "{role} ({scope})"),
    "demo_as_now": ("  ↪ 你现在是{who}\n", "  ↪ you are now {who}\n"),
    "demo_as_usage": (
        "  用法：/as {roles}\n{lines}\n  （新用户尚未注册：用管理员的 /invite 邀请码发送 /join 邀请码）\n",
        "  usage: /as {roles}\n{lines}\n  (the new user is not registered yet: send /join CODE"
        " with a code from the admin's /invite)\n",
    ),
    "demo_unseen": (
        "  📬 你不在时收到 {n} 条消息（输入数字按它们的按钮）：\n",
        "  📬 {n} messages came while you were away (type a number to press their buttons):\n",
    ),
    "demo_unseen_one": (
        "  📬 你不在时收到 {n} 条消息（输入数字按它们的按钮）：\n",
        "  📬 1 message came while you were away (type a number to press its buttons):\n",
    ),
    "demo_as_line": ("    {role:<8} {who}", "    {role:<8} {who}"),
    "demo_doc": ("材料.pdf", "evidence.pdf"),
    "demo_quit": ("退出", "quit"),
}
