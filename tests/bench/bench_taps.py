"""Answer taps per second through the real handler, against the raw PTB ceiling.

Both runs feed the same number of callback-query updates through `Application.process_update`
with the in-process Bot API and a file database. "ours" is the full GreenCheck path (roles from
SQLite, one answer transaction, score, card re-render, edit); "raw" is a handler that only
answers the callback and edits the message. Last line: `ratio=<ours/raw>`.

    python tests/bench/bench_taps.py [--taps 2000]
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import ApplicationBuilder, CallbackQueryHandler

from bot.clock import SystemClock
from handlers.localapi import LocalBotAPI
from tests.harness import Harness, user

WORKER = 2001


def _query(n: int, data: str, message: dict[str, Any]) -> dict[str, Any]:
    return {
        "update_id": n,
        "callback_query": {
            "id": f"q{n}",
            "from": user(WORKER),
            "chat_instance": "ci",
            "data": data,
            "message": message,
        },
    }


class Ours:
    """The full GreenCheck path: a registered worker tapping answers on a 42-item card."""

    def __init__(self, h: Harness) -> None:
        self.h = h

    async def setup(self) -> None:
        h = self.h
        await h.register(WORKER, "worker", "江滨社区")
        await h.send(WORKER, "/check")
        self.mid, _, _ = h.card(WORKER)
        self.aid = h.db.execute("SELECT id FROM assessments").fetchone()[0]
        checks = h.app.bot_data.checks
        assessment = checks.get(self.aid)
        assert assessment is not None
        self.qids = [q.id for q in checks.standard_for(assessment).questions]

    async def run(self, first: int, taps: int) -> float:
        h, bot = self.h, self.h.app.bot
        start = time.perf_counter()
        for k in range(first, first + taps):
            data = f"a:{self.aid}:{self.qids[k % 42]}:{'yn'[(k // 42) % 2]}"
            message = h.api.messages[(WORKER, self.mid)]
            await h.app.process_update(Update.de_json(_query(10_000 + k, data, message), bot))
        return taps / (time.perf_counter() - start)


class Raw:
    """The PTB ceiling: a handler that only answers the callback and edits the message.

    It edits in a message of the same shape as a card (a ~300-character text, ten buttons in
    rows of 2/2/2/4, built per tap as any handler builds its keyboard), so the two runs differ
    by GreenCheck's own work: roles, the answer transaction, scoring and rendering.
    """

    TEXT = "🌿 " + "社区各类基础设施比较完善，" * 20

    def __init__(self) -> None:
        self.api = LocalBotAPI(SystemClock(dt.UTC))
        self.app = (
            ApplicationBuilder()
            .token("0:raw")
            .request(self.api)
            .get_updates_request(self.api)
            .build()
        )

        async def handle(update: Update, context: Any) -> None:
            q = update.callback_query
            assert q is not None and q.data is not None
            await q.answer("已保存")
            await q.edit_message_text(f"{self.TEXT}\n{q.data}", reply_markup=self.keyboard(q.data))

        self.app.add_handler(CallbackQueryHandler(handle))

    @staticmethod
    def keyboard(data: str) -> InlineKeyboardMarkup:
        labels = ["✅ 符合", "◐ 部分符合", "❌ 不符合", "— 不适用", "📎 材料", "✏️ 备注"]
        nav = ["◀ 上一项", "📋 目录", "缺项 9", "下一项 ▶"]
        rows = [labels[0:2], labels[2:4], labels[4:6], nav]
        return InlineKeyboardMarkup(
            [
                [InlineKeyboardButton(lab, callback_data=f"{data}{k}") for k, lab in enumerate(r)]
                for r in rows
            ]
        )

    async def setup(self) -> None:
        sent = await self.app.bot.send_message(
            WORKER, "card", reply_markup=self.keyboard("a:1:1:y")
        )
        self.mid = sent.message_id

    async def run(self, first: int, taps: int) -> float:
        app = self.app
        start = time.perf_counter()
        for k in range(first, first + taps):
            data = f"a:1:{k % 42}:{'yn'[(k // 42) % 2]}"
            message = self.api.messages[(WORKER, self.mid)]
            await app.process_update(Update.de_json(_query(10_000 + k, data, message), app.bot))
        return taps / (time.perf_counter() - start)


async def measure(taps: int, rounds: int, workdir: Path) -> tuple[float, float, float, int]:
    """Alternate raw and ours in rounds (so both see the same machine load).

    Returns the median rates and the median of the per-round ratios (each round's two runs
    are adjacent in time, so their ratio is the least disturbed by other load).
    """
    raw = Raw()
    async with Harness(workdir / "bench.db") as h, raw.app:
        ours = Ours(h)
        await ours.setup()
        await raw.setup()
        per = taps // rounds
        raw_rates, our_rates = [], []
        for r in range(rounds):
            raw_rates.append(await raw.run(r * per, per))
            our_rates.append(await ours.run(r * per, per))
        written = h.db.execute("SELECT count(*) FROM answer_history").fetchone()[0]
    ratio = statistics.median(o / r for o, r in zip(our_rates, raw_rates, strict=True))
    return statistics.median(raw_rates), statistics.median(our_rates), ratio, written


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--taps", type=int, default=6000)
    parser.add_argument("--rounds", type=int, default=20)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as d:
        raw_rate, our_rate, ratio, written = asyncio.run(measure(args.taps, args.rounds, Path(d)))
    print(f"taps={args.taps} rounds={args.rounds} answers_written={written}")
    print(f"raw_taps_per_s={raw_rate:.0f}")
    print(f"ours_taps_per_s={our_rate:.0f}")
    print(f"ratio={ratio:.2f}")


if __name__ == "__main__":
    main()
