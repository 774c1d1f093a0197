"""Texts of evidence files: downloads, provenance flags, lists, backup, the CLI."""

from __future__ import annotations

TEXTS: dict[str, tuple[str, str]] = {
    # the worker, when attaching
    "ev_too_big": (
        "📎 文件 {size} MB，超过 {limit} MB 上限，未保存。请压缩或拆分后再发。",
        "📎 The file is {size} MB, over the {limit} MB limit: not saved. Compress or split it.",
    ),
    "ev_too_big_download": (
        "📎 {qid}：文件未能保存（超过 {limit} MB 上限，或 Telegram 拒绝下载）。请压缩或拆分后再发。",
        "📎 {qid}: the file was not saved (over the {limit} MB limit, or Telegram refused the "
        "download). Compress or split it and send it again.",
    ),
    "ev_stored": (
        "📎 {qid}：材料已保存（{size}）。",
        "📎 {qid}: file stored ({size}).",
    ),
    "ev_pending": (
        "📎 {qid}：材料已记录，下载暂未成功，稍后自动重试（答案不受影响）。",
        "📎 {qid}: file recorded; the download failed and will be retried (answers are safe).",
    ),
    "ev_flags_intro": (
        "⚠️ 审核人会看到以下提示（不影响提交）：",
        "⚠️ Reviewers will see these notes (they do not block submitting):",
    ),
    "ev_keep_exif": (
        "💡 照片以“图片”发送会被压缩并丢失拍摄时间和位置。请以“文件”方式发送原图以保留这些信息。",
        "💡 Photos sent as pictures are compressed and lose their capture time and place. "
        "Send the original as a file to keep them.",
    ),
    # flags (plain explanations)
    "flag_no_exif": (
        "无拍摄时间（照片被压缩或无 EXIF）",
        "no capture time (compressed or no EXIF)",
    ),
    "flag_same_file_item": (
        "同一文件已用于本次自查的其他条目",
        "the same file is evidence of another item",
    ),
    "flag_same_file_community": (
        "同一文件已被其他社区使用",
        "the same file was used by another community",
    ),
    "flag_same_file_year": (
        "同一文件在往年自查中已使用",
        "the same file was used in an earlier year",
    ),
    "flag_similar_item": (
        "与本次其他条目的照片几乎相同",
        "nearly the same picture as another item's",
    ),
    "flag_similar_community": (
        "与其他社区的照片几乎相同",
        "nearly the same picture as another community's",
    ),
    "flag_similar_year": ("与往年照片几乎相同", "nearly the same picture as an earlier year's"),
    "flag_old_capture": ("拍摄时间远早于本次自查", "taken long before this check"),
    "flag_future_capture": (
        "拍摄时间晚于上传日期（相机时间可能有误）",
        "taken after the day it was attached (the camera's clock may be wrong)",
    ),
    "flag_unreadable_image": (
        "图片无法读取（过大或已损坏），按普通文件保存",
        "the image cannot be read (too large or damaged): kept as a plain file",
    ),
    "ev_flag_sep": ("；", "; "),
    "ev_flags_head": ("⚠️ 材料提示（{n} 个文件）：", "⚠️ File notes ({n} files):"),
    # the item's evidence list
    "ev_list_head": ("📎 {qid} 的材料（{n} 个）：", "📎 Files of {qid} ({n}):"),
    "ev_list_none": ("📎 {qid} 暂无材料。", "📎 {qid} has no files."),
    "ev_list_row": (
        "{i}. {name} · {size} · {date}{taken}{flags}",
        "{i}. {name} · {size} · {date}{taken}{flags}",
    ),
    "ev_taken": (" · 拍摄 {at}", " · taken {at}"),
    "ev_pending_mark": (" · ⏳ 待下载", " · ⏳ download pending"),
    "ev_given_up_mark": (" · ⚠️ 未能保存，请重新发送", " · ⚠️ not saved: send it again"),
    "ev_removed": ("🗑 已从 {qid} 移除该材料。", "🗑 File removed from {qid}."),
    "ev_moved": ("↪️ 已移至 {qid}。", "↪️ Moved to {qid}."),
    "ev_gone": ("该材料已不存在。", "This file no longer exists."),
    "btn_ev_list": ("📋 材料", "📋 Files"),
    "btn_ev_back": ("◀ 返回本项", "◀ Back to the item"),
    "btn_ev_move_to": ("↪️ {i} 移至 {qid}", "↪️ {i} to {qid}"),
    "btn_ev_view": ("查看 {i}", "View {i}"),
    "btn_ev_remove": ("移除 {i}", "Remove {i}"),
    "btn_ev_move": ("移动 {i}", "Move {i}"),
    # CLI
    "cli_ev_failed_none": ("没有放弃下载的材料。", "No download was given up."),
    "cli_ev_failed_header": (
        "社区\t条目\t文件名\t尝试次数\t错误",
        "community\titem\tname\tattempts\terror",
    ),
    "cli_ev_none": ("{community} 没有材料。", "{community} has no files."),
    "cli_ev_header": (
        "条目\tSHA-256\t大小\t文件名\t类型\t拍摄时间\t提示\t已保存",
        "item\tsha256\tsize\tname\tmime\ttaken_at\tflags\tstored",
    ),
    "cli_backup_done": (
        "已备份：{out}（{files} 个文件，{bytes} 字节，数据库 {db}）",
        "Backed up: {out} ({files} files, {bytes} bytes, database {db})",
    ),
    "cli_backup_ok": ("存档完好：{path}", "Archive is sound: {path}"),
    "cli_backup_bad": ("存档有问题：{path}", "Archive has problems: {path}"),
    "cli_restore_done": (
        "已恢复到 {to}：{files} 个文件，{answers} 条答案，{evidence} 条材料记录。",
        "Restored into {to}: {files} files, {answers} answers, {evidence} evidence rows.",
    ),
    "cli_restore_refused": ("拒绝恢复：{problems}", "Restore refused: {problems}"),
    "cli_pack_done": ("已写入 {path}（{size} 字节）", "Written: {path} ({size} bytes)"),
    "ev_pack_usage": ("用法：/pack 社区名称", "Usage: /pack COMMUNITY"),
    "ev_pack_empty": ("{community} 还没有自查记录。", "{community} has no check yet."),
    "ev_pack_caption": (
        "📦 {community} 材料包{part}（目录.xlsx + 材料）",
        "📦 {community} evidence pack{part} (index + files)",
    ),
    "ev_pack_parts": (
        "材料包超过 50 MB，已分为 {n} 个部分发送。",
        "The pack is over 50 MB: sent in {n} parts.",
    ),
    "cli_pack_example": (
        "greencheck pack --community 江滨社区 --out pack.zip",
        "greencheck pack --community 江滨社区 --out pack.zip",
    ),
    "cli_no_community": ("没有名为 {name} 的社区。", "No community named {name}."),
}
