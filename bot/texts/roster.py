"""Roster import texts: the refusals of hostile or wrong files, the plan an import shows, help.

The older roster texts (imported, show, the first refusals) are in `bot/texts/cli.py`.
"""

from __future__ import annotations

TEXTS: dict[str, tuple[str, str]] = {
    # -- limits: refused before they cost memory or time --
    "roster_too_big": (
        "{path}：文件有 {size} 字节，超过上限 {max} 字节",
        "{path}: the file has {size} bytes, more than the limit of {max}",
    ),
    "roster_members": (
        "{path}：XLSX 内含 {n} 个文件，超过上限 {max}，拒绝导入",
        "{path}: the XLSX holds {n} files, more than the limit of {max}; refused",
    ),
    "roster_bomb": (
        "{path}：XLSX 中的 {member} 解压后有 {size} 字节（压缩比 {ratio}:1），"
        "疑似压缩炸弹，拒绝导入（上限：共 {max} 字节，压缩比 {max_ratio}:1）",
        "{path}: the XLSX member {member} unpacks to {size} bytes (ratio {ratio}:1),"
        " a possible zip bomb; refused (limits: {max} bytes in all, ratio {max_ratio}:1)",
    ),
    "roster_shared_strings": (
        "{path}：XLSX 的共享字符串表 {member} 有 {size} 字节，超过上限 {max} 字节，拒绝导入",
        "{path}: the XLSX shared-string table {member} has {size} bytes, more than the limit"
        " of {max}; refused",
    ),
    "roster_too_many_rows": (
        "第 {line} 行：超过 {max} 行上限；请拆分文件",
        "line {line}: more than {max} rows; split the file",
    ),
    "roster_too_many_columns": (
        "第 {line} 行：第 {max} 列之后还有内容；名册最多 {max} 列",
        "line {line}: cells beyond column {max}; a roster has at most {max} columns",
    ),
    "roster_too_long": (
        "第 {line} 行：{column} 有 {length} 个字符，最多 {max} 个",
        "line {line}: {column} has {length} characters, at most {max}",
    ),
    "roster_bad_char": (
        "第 {line} 行：{column} 含控制字符 {char}（名称中不能有空字符、制表符或换行）",
        "line {line}: {column} contains the control character {char}"
        " (names cannot hold NUL, tabs or line breaks)",
    ),
    # -- CSV syntax --
    "roster_quote": (
        "第 {line} 行：此行开始的引号没有闭合（文件其余部分会被读成一个单元格）",
        "line {line}: a quote opened on this line is never closed"
        " (the rest of the file would become one cell)",
    ),
    "roster_csv_field": (
        "第 {line} 行：单元格超过 {max} 个字符（可能是引号没有闭合）",
        "line {line}: a cell longer than {max} characters (an unclosed quote?)",
    ),
    "roster_csv": (
        "第 {line} 行：CSV 格式错误（{reason}）",
        "line {line}: malformed CSV ({reason})",
    ),
    # -- the header --
    "roster_no_header": (
        "{path}：前 {rows} 行中没有表头。可用的列——社区名单：{communities}；联系人名单：{contacts}",
        "{path}: no header row in the first {rows} rows. Accepted columns —"
        " community list: {communities}; contact list: {contacts}",
    ),
    "roster_header_twice": (
        "第 {line} 行：表头中“{a}”和“{b}”都表示 {meaning}",
        "line {line}: header columns '{a}' and '{b}' both mean {meaning}",
    ),
    "roster_header_mixed": (
        "第 {line} 行：表头同时含社区名单的列（{community}）和联系人名单的列（{contact}）；"
        "一个文件只能是一种名单",
        "line {line}: the header has community-list columns ({community}) and contact-list"
        " columns ({contact}); a file is one kind or the other",
    ),
    "roster_header_ambiguous": (
        "第 {line} 行：表头只有县区和 name，无法判断是社区名单还是联系人名单；"
        "请把该列命名为 {community} 或 {person}",
        "line {line}: the header has only a county and 'name': a community list or a contact"
        " list? Call the column {community} or {person}",
    ),
    "roster_header_no_community": (
        "第 {line} 行：社区名单的表头需要社区列（{titles}）",
        "line {line}: a community list's header needs a community column ({titles})",
    ),
    "roster_header_no_person": (
        "第 {line} 行：联系人名单的表头需要姓名列（{titles}）",
        "line {line}: a contact list's header needs a name column ({titles})",
    ),
    "roster_header_no_county_communities": (
        "第 {line} 行：社区名单的表头需要县区列（{titles}）",
        "line {line}: a community list's header needs a county column ({titles})",
    ),
    "roster_header_no_county_contacts": (
        "第 {line} 行：联系人名单没有县区列（附件4 原表没有此列）：请加一列（{titles}），"
        "或用 --county 指明县区",
        "line {line}: the contact list has no county column (the official Annex 4 has none):"
        " add one ({titles}) or give --county",
    ),
    "roster_county_option": (
        "{path}：--county 只用于联系人名单（社区名单的每一行都写明县区）",
        "{path}: --county is for a contact list only (a community list names the county on"
        " every row)",
    ),
    # -- rows against the roster --
    "roster_contact_twice": (
        "第 {line} 行：{county} 的联系人“{name}”出现了两次",
        "line {line}: contact '{name}' of {county} appears twice",
    ),
    "roster_near_county": (
        "第 {line} 行：县区“{county}”与已有的“{other}”只差一个后缀；请使用“{other}”或更正名称",
        "line {line}: county '{county}' differs from the existing '{other}' only by a suffix;"
        " use '{other}' or fix the name",
    ),
    "roster_unknown_county": (
        "第 {line} 行：名册中没有县区“{county}”；联系人名单不会新建县区（请先导入社区名单）",
        "line {line}: no county '{county}' in the roster; a contact list never creates"
        " counties (import the community list first)",
    ),
    "roster_unknown_county_near": (
        "第 {line} 行：名册中没有县区“{county}”，是否指“{near}”？联系人名单不会新建县区",
        "line {line}: no county '{county}' in the roster; did you mean '{near}'?"
        " A contact list never creates counties",
    ),
    # -- the plan an import shows --
    "roster_plan": (
        "将要导入：新增 {counties} 个县区、{streets} 个街道、{communities} 个社区、"
        "{contacts} 位联系人；更新 {updated} 行；{unchanged} 行不变",
        "will import: new {counties} counties, {streets} streets, {communities} communities,"
        " {contacts} contacts; {updated} rows updated; {unchanged} unchanged",
    ),
    "roster_plan_new_counties": ("  新县区：{names}", "  new counties: {names}"),
    "roster_plan_new_streets": ("  新街道：{names}", "  new streets: {names}"),
    "roster_plan_new_communities": ("  新社区：{names}", "  new communities: {names}"),
    "roster_plan_new_contacts": ("  新联系人：{names}", "  new contacts: {names}"),
    "roster_plan_updated": ("  更新：{names}", "  updated: {names}"),
    "roster_plan_more": ("……等 {n} 个", "… {n} in all"),
    "roster_dry_run": ("试运行：未写入任何内容", "dry run: nothing written"),
    "roster_import_help": (
        "从 CSV 或 XLSX 导入社区名单（附件5）或联系人名单（附件4）：全部导入或全部不导入。"
        "表头可在前 {rows} 行内（其上可有标题行），按表头判断名单种类。\n\n"
        "社区名单的列：\n  {communities}\n\n联系人名单的列：\n  {contacts}\n\n"
        "联系人名单不会新建县区；与已有县区只差后缀的新县区会被拒绝。"
        "上限：文件 {size} 字节，{max_rows} 行，{max_cols} 列，名称 {max_name} 个字符。",
        "import a community list (Annex 5) or a contact list (Annex 4) from CSV or XLSX: all rows or"
        " none. The header may be in the first {rows} rows (title rows above it); its columns"
        " decide the kind of list.\n\ncommunity list columns:\n  {communities}\n\n"
        "contact list columns:\n  {contacts}\n\nA contact list never creates counties; a new"
        " county differing from a known one only by a suffix is refused. Limits: {size} bytes,"
        " {max_rows} rows, {max_cols} columns, names of {max_name} characters.",
    ),
}
