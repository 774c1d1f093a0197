"""Words the code recognises in its input (data in the seeds' language, never shown as UI text).

A leaf module of constants: the domain may import it (see tests/test_architecture.py).
"""

from __future__ import annotations

# Administrative suffixes a user may add or leave out when naming a place.
NAME_SUFFIXES = ("社区居委会", "社区", "街道办事处", "街道", "新区", "县", "区", "市", "镇", "乡")

# 考评方式: the assessment methods seed 004 (Qinhuangdao 附件2) names.
ASSESSMENT_METHODS = ("现场查看", "查阅资料", "问卷调查", "座谈了解")

# A note reply that clears the item's note instead of storing these words.
NOTE_CLEAR_WORDS = ("清除", "删除", "清空", "-", "—", "clear", "delete")
