"""Status texts (bot/texts/report_views.py): padded tables, pages, escaping, Telegram's limit,
times in the zone passed; the layout helpers they use."""

from __future__ import annotations

from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import sqlite_utils

from bot.config import Settings
from bot.domain.programs import Program
from bot.domain.reports import CommunityDetail
from bot.services.reports import Reports
from bot.texts.layout import display_width, local_time, pad, paginate, table, truncate
from bot.texts.report_views import (
    render_community_detail,
    render_community_status,
    render_county_status,
    render_missing,
)
from tests.harness import reports_of
from tests.store.progress_data import STAMPS, _long_check, make_db, the_program


@pytest.fixture
def db(tmp_path: Path) -> sqlite_utils.Database:
    return make_db(tmp_path)


@pytest.fixture
def reports(db: sqlite_utils.Database, program: Program) -> Reports:
    return reports_of(db, program)


@pytest.fixture
def program() -> Program:
    return the_program()


def test_display_width_counts_a_chinese_character_as_two_columns():
    assert display_width("源城区") == 6
    assert display_width("abc") == 3
    assert display_width("江东新区 5") == 10
    assert display_width("（%）") == 5  # full-width brackets are wide, % is not
    assert pad("源城区", 10) == "源城区    "
    assert pad("44", 5, "right") == "   44"
    assert display_width(pad("江东新区", 12)) == 12


def test_truncate_keeps_within_the_display_width():
    assert truncate("秦皇岛经济技术开发区", 10) == "秦皇岛经…"
    assert display_width(truncate("秦皇岛经济技术开发区", 10)) <= 10
    assert truncate("源城区", 10) == "源城区"


def test_table_columns_line_up_by_display_width():
    text = table(
        ["县区", "社区", "完成率"],
        [["源城区", "44", "15.9%"], ["江东新区", "5", "0.0%"], ["A县", "123", "100.0%"]],
    )
    lines = text.splitlines()
    assert len({display_width(line) for line in lines}) == 1  # right-aligned last column
    # the second column ends at the same display column on every line
    ends = []
    for line in lines:
        cut = line.rstrip().rsplit("  ", 1)[0].rstrip()
        ends.append(display_width(cut))
    assert len(set(ends)) == 1


def test_paginate_clamps_the_page_and_counts_pages():
    items = list(range(45))
    p = paginate(items, 3, 20)
    assert (p.items, p.page, p.pages, p.total) == (list(range(40, 45)), 3, 3, 45)
    assert p.label() == "第 3/3 页"
    assert paginate(items, 99, 20).page == 3
    assert paginate(items, 0, 20).page == 1
    assert paginate([], 1, 20).pages == 1


def test_status_text_is_a_padded_pre_table_and_pages(db, program, reports):
    rows = reports.county_status(2022)
    text = render_county_status(rows, program, page=2, size=3)
    assert "<pre>" in text and "</pre>" in text and "目标 60%（2022 年方案）" in text
    assert "第 2/3 页" in text
    body = text.split("<pre>")[1].split("</pre>")[0].splitlines()
    assert [line.split()[0] for line in body[1:]] == ["和平县", "龙川县", "紫金县", "合计"]
    widths = {display_width(line) for line in body}
    assert len(widths) == 1
    wide = render_county_status(rows, program, wide=True, html_out=False)
    assert "原宜居" in wide and "<pre>" not in wide and "合计" in wide


def test_status_text_escapes_html(db, program, reports):
    db.conn.execute("UPDATE counties SET name = '<b>县' WHERE id = 1")
    text = render_county_status(reports.county_status(2022), program)
    assert "&lt;b&gt;县" in text and "<b>" not in text


def test_community_and_missing_texts_page(db, program, reports):
    rows = reports.community_status(1)
    text = render_community_status(rows, "源城区", page=2, size=10, points=True)
    assert "第 2/5 页" in text and "<pre>" in text
    m = reports.missing(None)
    assert f"（{len(m)}）" in render_missing(m, size=5)


def _item_lines(text: str) -> int:
    return sum(1 for line in text.splitlines() if line.startswith("  ") and "…（另" not in line)


def test_community_detail_text_stays_within_the_telegram_limit(db, program, reports):
    _long_check(db)
    d = reports.community_detail(1)
    assert len(d.gaps) >= 30 and all(g.note for g in d.gaps[:5])
    text = render_community_detail(d)
    assert len(text) <= 4000
    gap_lines = [line for line in text.splitlines() if " [不符合] " in line]
    assert gap_lines and all(len(line) < 300 for line in gap_lines)  # notes cut short
    assert "\n需整改" not in text and "<b>" not in text  # one line per note, escaped
    # Everything asked for: the text is cut at a line and says how many items are left out.
    big = {"gap_limit": 1000, "history_limit": 1000, "contributor_limit": 1000}
    every = render_community_detail(d, **big)
    assert len(every) <= 4000
    last = every.splitlines()[-1]
    assert last.startswith("…（另 ") and last.endswith("项，完整内容请用 /export answers）")
    left = int(last.split()[1])
    assert _item_lines(every) + left == len(d.gaps) + len(d.contributors) + len(d.history)
    full = render_community_detail(d, **big, limit=None)
    assert full.startswith("\n".join(every.splitlines()[:-1]) + "\n")  # cut at a line


def test_status_texts_stay_within_the_limit_for_long_names_and_big_pages(db, program, reports):
    conn = db.conn
    conn.execute("UPDATE counties SET name = '&<县>' || id || ? ", ["区" * 400])
    conn.execute("UPDATE streets SET name = '&<街道>' || id || ?", ["道" * 400])
    conn.execute("UPDATE communities SET name = '&<社区>' || id || ?", ["村" * 400])
    rows = reports.county_status(2022)
    ones = reports.community_status(1)
    gone = reports.missing(None)
    county = rows[0].county
    for size in (20, 500):
        for text in (
            render_county_status(rows, program, size=size),
            render_county_status(rows, program, size=size, wide=True),
            render_community_status(ones, county, size=size, points=True),
            render_missing(gone, size=size),
        ):
            assert len(text) <= 4000, len(text)
            assert text.count("<pre>") == text.count("</pre>")
    cut = render_missing(gone, size=500)
    assert "本页另" not in cut
    cut = render_missing(gone * 10, size=500)
    shown = sum(1 for line in cut.splitlines() if line.startswith("  "))
    assert len(cut) <= 4000 and cut.splitlines()[-1] == f"…（本页另 {310 - shown} 项未显示）"
    # The CLI asks for no limit and gets every row.
    full = render_county_status(rows, program, size=500, wide=True, html_out=False, limit=None)
    assert all(r.county in full for r in rows)


def test_times_follow_greencheck_tz(db, program, monkeypatch, tmp_path, reports):
    """Times are shown in the zone the caller passes: the bot and the CLI pass settings.zone."""
    monkeypatch.chdir(tmp_path)  # no stray .env
    d = CommunityDetail(
        community_id=1,
        community="江滨社区",
        county_id=1,
        county="源城区",
        street=None,
        address=None,
        standard=None,
        assessment_id=1,
        state="submitted",
        submitted_at=STAMPS[2],  # 2021-12-31 17:00 UTC
        updated_at=STAMPS[2],
        result=None,
    )
    monkeypatch.setenv("GREENCHECK_TZ", "UTC")
    zone = Settings().zone
    assert local_time(STAMPS[2], "%Y-%m-%d", tz=zone) == "2021-12-31"
    assert "已提交（2021-12-31）" in render_community_detail(d, tz=zone)
    shanghai = ZoneInfo("Asia/Shanghai")
    assert "已提交（2022-01-01）" in render_community_detail(d, tz=shanghai)
    monkeypatch.delenv("GREENCHECK_TZ")
    default = Settings().zone
    assert "已提交（2022-01-01）" in render_community_detail(d, tz=default)  # the default zone
    assert "已提交（2022-01-01）" in render_community_detail(d)  # no zone: Asia/Shanghai
    rows = [r for r in reports.community_status(1) if r.last_activity == STAMPS[2]]
    if rows:
        monkeypatch.setenv("GREENCHECK_TZ", "UTC")
        assert "12-31" in render_community_status(rows, "源城区", points=True, tz=Settings().zone)


def test_every_report_text_is_valid_telegram_html_in_both_languages():
    """Each rp_* catalogue text, with sample values, parses as Telegram HTML in zh and en."""
    import string

    from bot.texts.catalog import TEXTS, t
    from tests.bot.test_status import valid_telegram_html

    for key in (k for k in TEXTS if k.startswith("rp_") or k in ("community_usage", "form_usage")):
        for lang in ("zh", "en"):
            fields = {f for _, f, _, _ in string.Formatter().parse(TEXTS[key][lang == "en"]) if f}
            text = t(lang, key, **dict.fromkeys(fields, "x")) if fields else t(lang, key)
            assert valid_telegram_html(text), (key, lang, text)


def test_english_views_have_no_chinese_labels(db, program, reports):
    rows = reports.county_status(2022)
    text = render_county_status(rows, program, page=2, size=3, lang="en")
    assert "target 60% (2022 program)" in text and "page 2/3" in text and "Total" in text
    wide = render_county_status(rows, program, wide=True, html_out=False, lang="en")
    assert "Livable" in wide and "合计" not in wide
    ones = reports.community_status(1)
    text = render_community_status(ones, "源城区", page=2, size=10, points=True, lang="en")
    assert "page 2/5" in text and "✓ submitted" in text
    gone = reports.missing(None)
    assert f"Communities not started ({len(gone)})" in render_missing(gone, size=5, lang="en")
    assert "Every community has started" in render_missing([], lang="en")
