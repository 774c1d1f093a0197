"""Shared helpers of the reminder bot tests: the clock, the job, the recording Bot API.

The clock is `Services.clock`, replaced per tick; the job callback is run directly
(`Job.run`), and the Delivery's `sleep` is replaced so nothing really waits.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import html
import re
from collections.abc import AsyncIterator, Iterable
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from bot.domain.programs import Program, ReminderPolicy
from handlers.delivery import delivery_of
from handlers.reminders import JOB_NAME
from tests.harness import Harness, group

TZ = ZoneInfo("Asia/Shanghai")


CONTACT = 3001  # contact of 源城区


OTHER_CONTACT = 3002  # contact of 龙川县


WORKER = 2001  # worker of 江滨社区 (源城区)


GROUP = group()  # bound to 龙川县 in the tests that bind it


PROGRAMS = [
    "heyuan-2021",
    "chuxiong-2021",
    "qingyang-2022",
    "qinhuangdao-etdz-2021",
    "national-2020",
]


YEAR_START = {
    "heyuan-2021": dt.date(2021, 7, 1),
    "chuxiong-2021": dt.date(2021, 3, 1),
    "qingyang-2022": dt.date(2021, 12, 1),
    "qinhuangdao-etdz-2021": dt.date(2021, 3, 1),
    "national-2020": dt.date(2020, 8, 1),
}


ANNUAL_REPORT = dt.date(2021, 11, 15)  # heyuan: progress-table and annual-report are both due


def at(day: dt.date, hour: int = 9, minute: int = 30) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=TZ)


def quiet(h: Harness) -> list[float]:
    """Pause the scheduled runs and make the Delivery's time virtual; return the sleeps.

    Sleeping advances the pacer's clock instead of waiting, so pacing and backoff are exercised
    without any real delay.
    """
    assert h.app.job_queue is not None
    for job in h.app.job_queue.jobs():
        job.enabled = False
    slept: list[float] = []
    clock = {"now": 1000.0}

    async def fake_sleep(seconds: float) -> None:
        slept.append(seconds)
        clock["now"] += seconds
        await asyncio.sleep(0)  # still yield, so overlapping ticks interleave

    d = delivery_of(h.app)
    d.sleep = fake_sleep
    d.clock = lambda: clock["now"]
    return slept


async def tick(h: Harness, when: dt.datetime) -> None:
    """Set the clock and run the reminder job's callback, as the JobQueue would."""
    h.clock.set(when)
    assert h.app.job_queue is not None
    await h.app.job_queue.get_jobs_by_name(JOB_NAME)[0].run(h.app)


def log_rows(h: Harness, status: str | None = None) -> set[tuple[str, str, int, int]]:
    """(deadline, occurrence, lead, recipient) of the reminder log's sends (not the 'no_contact'
    marks of reminders that reached no one)."""
    sql = "SELECT deadline_id, occurrence, lead, recipient FROM reminder_log"
    sql += " WHERE status = ?" if status else " WHERE status != 'no_contact'"
    params: list[Any] = [status] if status else []
    return {tuple(r) for r in h.db.execute(sql, params).fetchall()}  # type: ignore[misc]


def is_reminder(text: str) -> bool:
    return text.startswith(("<b>⏰", "<b>⚠️"))


def reminders_to(h: Harness, chat_id: int) -> list[str]:
    """Reminder texts delivered to a chat, oldest first (failed calls excluded)."""
    return [
        m["text"]
        for (cid, _), m in sorted(h.api.messages.items())
        if cid == chat_id and is_reminder(m.get("text", ""))
    ]


async def reminder_bot(tmp_path: Path) -> AsyncIterator[Harness]:
    """The `bot` fixture of the reminder tests: a Harness whose scheduled runs are paused."""
    async with Harness(tmp_path / "gc.db") as h:
        quiet(h)
        yield h


async def contact(h: Harness, uid: int = CONTACT, county: str = "源城区") -> None:
    await h.register(uid, "contact", county)
    assert "注册成功" in h.last_text(uid)


async def worker(h: Harness, uid: int = WORKER, community: str = "江滨社区") -> None:
    await h.register(uid, "worker", community)
    assert "注册成功" in h.last_text(uid)


def fail_for(chat_id: int, status: int, body: dict[str, Any], times: int) -> Any:
    left = {"n": times}

    def fail(call: Any) -> tuple[int, dict[str, Any]] | None:
        if call.method == "sendMessage" and int(call.params["chat_id"]) == chat_id and left["n"]:
            left["n"] -= 1
            return status, body
        return None

    return fail


FORBIDDEN = {
    "ok": False,
    "error_code": 403,
    "description": "Forbidden: bot was blocked by the user",
}


def too_many(seconds: int) -> dict[str, Any]:
    return {
        "ok": False,
        "error_code": 429,
        "description": f"Too Many Requests: retry after {seconds}",
        "parameters": {"retry_after": seconds},
    }


def network_down(chat_id: int) -> tuple[Any, dict[str, int]]:
    """A `fail` hook: every sendMessage to `chat_id` is a network error; counts the tries."""
    tries = {"n": 0}

    def fail(call: Any) -> tuple[int, dict[str, Any]] | None:
        if call.method == "sendMessage" and int(call.params["chat_id"]) == chat_id:
            tries["n"] += 1
            return 0, {}
        return None

    return fail, tries


class Queries:
    """Count the SQL statements run on a connection (sqlite3's trace callback)."""

    def __init__(self, conn: Any) -> None:
        self.conn = conn
        self.sql: list[str] = []

    def __enter__(self) -> Queries:
        self.conn.set_trace_callback(self.sql.append)
        return self

    def __exit__(self, *exc: Any) -> None:
        self.conn.set_trace_callback(None)

    def __len__(self) -> int:
        return len(self.sql)

    def touching(self, *tables: str) -> int:
        """Statements naming any of `tables`."""
        return sum(any(t in q for t in tables) for q in self.sql)


def _unreachable_contacts(h: Harness, n: int, first: int = 50_000) -> None:
    """`n` contacts of 源城区 and `n` workers of 江滨社区, none of them reachable."""
    db = h.db
    county, community = db.execute(
        "SELECT county_id, id FROM communities WHERE name = '江滨社区'"
    ).fetchone()
    for uid in range(first, first + n):
        db.execute("INSERT INTO users (id, name, reachable) VALUES (?, ?, 0)", [uid, f"u{uid}"])
        db.execute(
            "INSERT INTO roles (user_id, role, county_id) VALUES (?, 'contact', ?)", [uid, county]
        )
        db.execute("INSERT INTO users (id, name, reachable) VALUES (?, ?, 0)", [uid + n, "w"])
        db.execute(
            "INSERT INTO roles (user_id, role, community_id) VALUES (?, 'worker', ?)",
            [uid + n, community],
        )


def _override(program: Program, did: str, policy: ReminderPolicy) -> Program:
    deadlines = [
        d.model_copy(update={"policy": policy}) if d.id == did else d for d in program.deadlines
    ]
    return program.model_copy(update={"deadlines": deadlines})


# -- Telegram HTML and language checks ----------------------------------------------------------

TELEGRAM_TAGS = {"b", "strong", "i", "em", "u", "ins", "s", "strike", "del", "code", "pre", "a",
                 "blockquote", "tg-spoiler", "span"}  # fmt: skip
_ENTITY = re.compile(r"&(?!(?:lt|gt|amp|quot|#\d+|#x[0-9a-fA-F]+);)")
_CJK = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]")


class _TagChecker(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self.stack: list[str] = []

    def handle_starttag(self, tag: str, attrs: Any) -> None:
        assert tag in TELEGRAM_TAGS, f"unsupported tag <{tag}>"
        self.stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        assert self.stack and self.stack[-1] == tag, f"unbalanced </{tag}> in {self.stack}"
        self.stack.pop()


def assert_telegram_html(text: str) -> None:
    """Fail on what Telegram's HTML parser refuses: unknown tags, unbalanced tags, bad `&`."""
    assert not _ENTITY.search(text), f"bare & in {text!r}"
    checker = _TagChecker()
    checker.feed(text)
    checker.close()
    assert not checker.stack, f"unclosed {checker.stack} in {text!r}"
    assert len(text) <= 4096


def assert_english(text: str, data: Iterable[str]) -> None:
    """No Chinese left in `text` once the data strings (names, titles) are taken out."""
    for d in sorted(data, key=len, reverse=True):
        text = text.replace(d, "").replace(html.escape(d), "")
    assert not _CJK.search(text), f"Chinese outside data: {_CJK.findall(text)} in {text!r}"
