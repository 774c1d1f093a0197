"""Rendering of the review chain: the notices, the reviewer's list, the review card, history.

Pure functions of service data (bot.services.reviews) and the language; HTML-escaped data.
Every decision button names the check and the stage it was drawn for.
"""

from __future__ import annotations

from html import escape
from typing import Any

from bot.clock import Clock
from bot.domain.answers import Row
from bot.domain.reviews import Event, Summary, Waiting
from bot.domain.standards import Question
from bot.domain.workflow import Stage
from bot.services.reviews import Detail, figure
from bot.texts import plural, t
from bot.texts.layout import truncate
from bot.texts.refusals import ids_text
from handlers import callbacks, cards
from handlers.cards import Buttons, Card, fmt

ALL, GAPS = "a", "g"  # the card's filter: every item, or only the ones worth a look
TOC_PAGE, TOC_ROW = 24, 4  # the 目录: items to a page (a keyboard of 6 rows), buttons to a row
STATUS_MARKS = {"met": "✅", "partial": "◐", "not_met": "❌", "na": "—"}


def stage_name(lang: str, stage: Stage | None) -> str:
    return escape(stage.name) if stage else t(lang, "rv_no_stage")


def figures(d: Detail, lang: str) -> str:
    """Self-assessed and verified figures side by side."""
    own, ver = d.view.result, d.merged
    return t(lang, "rv_figures", own=fmt(figure(own)), verified=fmt(figure(ver)),
             n=len(d.verified), total=own.total)  # fmt: skip


def conclusion(d: Detail, lang: str) -> str:
    """The verified conclusion, and what fails it."""
    if d.merged.passed:
        return t(lang, "rv_conclusion_pass")
    return t(lang, "rv_conclusion_fail", ids=ids_text(lang, d.failing) or "-")


def notice_from(f: dict[str, Any], aid: int, lang: str, again: bool = False) -> Card:
    """What a stage's reviewers receive when a check reaches them (the facts the use case
    queued: bot.services.reviews.card_facts), with 查看 · 通过 · 退回 for that stage."""
    figs = t(lang, "rv_figures", own=fmt(f["own"]), verified=fmt(f["verified"]), n=f["n"],
             total=f["total"])  # fmt: skip
    verdict = (t(lang, "rv_conclusion_pass") if f["passed"]
               else t(lang, "rv_conclusion_fail", ids=ids_text(lang, f["failing"]) or "-"))  # fmt: skip
    key = "rv_notice_again" if again else "rv_notice"
    text = t(lang, key, community=escape(f["community"]), stage=escape(f["stage_name"]),
             figures=figs, gaps=f["gaps"], files=f["files"])  # fmt: skip
    stage = Stage(f["stage"], f["stage_name"], "city", f["act"])  # 公示's button asks its days
    row = _decisions(aid, stage, lang, with_look=True)
    changed: list[str] = f.get("changed") or []
    if not changed:
        return Card(text + "\n" + verdict, [row])
    said = plural(lang, len(changed), "rv_changed", ids=ids_text(lang, changed))
    row[0] = (row[0][0], callbacks.encode("rv:q", aid, changed[0], GAPS))  # 查看: the first one
    return Card("\n".join([text, said, verdict]), [row])


def decision_row(d: Detail, lang: str, with_look: bool = False) -> list[tuple[str, str]]:
    """查看 · 通过 · 退回 for a stage that verifies; 查看 · 记录公示 for one that records a date."""
    return _decisions(d.view.assessment.id, d.stage, lang, with_look)


def _decisions(aid: int, stage: Stage | None, lang: str, with_look: bool) -> list[tuple[str, str]]:
    row = [(t(lang, "rv_btn_look"), callbacks.encode("rv:o", aid))] if with_look else []
    if stage is None:
        return row
    if not stage.verifies:
        label = t(lang, "rv_btn_record", stage=stage.name)
        act = "pb:d" if stage.act == "publicise" else "rv:y"  # 公示 asks for its days
        return [*row, (label, callbacks.encode(act, aid, stage.index))]
    return [
        *row,
        (t(lang, "rv_btn_approve"), callbacks.encode("rv:y", aid, stage.index)),
        (t(lang, "rv_btn_back"), callbacks.encode("rv:n", aid, stage.index)),
    ]


def confirm_failing(aid: int, info: dict[str, Any], lang: str) -> Card:
    """通过 on a check whose verified result fails: say so, name the items, ask to confirm
    (`info`: the refusal's community, stage, its index and the failing ids)."""
    index = int(info["index"])
    text = t(lang, "rv_confirm_failing", community=escape(str(info["community"])),
             stage=escape(str(info["stage"])), ids=ids_text(lang, list(info["ids"])))  # fmt: skip
    buttons = [[
        (t(lang, "rv_btn_approve_anyway"), callbacks.encode("rv:Y", aid, index)),
        (t(lang, "rv_btn_back_to_card"), callbacks.encode("rv:o", aid)),
    ]]  # fmt: skip
    return Card(text, buttons)


def queue(items: list[Waiting], clock: Clock, lang: str) -> Card:
    """/review: what waits for the reviewer, oldest first, with days waiting (local days)."""
    if not items:
        return Card(t(lang, "rv_queue_empty"))
    lines, buttons = [t(lang, "rv_queue_title", n=len(items))], []
    for i, w in enumerate(items[:30], 1):
        days = clock.days_since(w.entered_at)
        lines.append(plural(lang, days, "rv_queue_line", i=i, community=escape(w.community),
                            stage=escape(w.stage)))  # fmt: skip
        buttons.append([(f"{i}. {w.community}", callbacks.encode("rv:o", w.assessment_id))])
    return Card("\n".join(lines), buttons)


def worth_a_look(d: Detail, q: Question) -> bool:
    """Not met, partial, N.A., failing the verified result, changed since the stage sent the
    check back, or evidence missing: the items the gap filter keeps."""
    row = d.view.rows.get(q.id)
    if row is None or row.status in ("not_met", "partial", "na") or q.id in d.failing:
        return True
    if q.id in d.changed:
        return True
    return bool(q.evidence) and row.evidence == 0


def items(d: Detail, f: str) -> list[str]:
    qs = d.view.standard.questions
    return [q.id for q in qs if f == ALL or worth_a_look(d, q)] or [qs[0].id]


def card(d: Detail, qid: str, f: str, lang: str) -> Card:
    """The review card on one item: the worker's answer, note, files; verified; comments;
    the verified conclusion. The stage's buttons when the reader acts on it now."""
    std, a = d.view.standard, d.view.assessment
    q = std.question(qid)
    row = d.view.rows.get(qid)
    lines = [t(lang, "rv_card_title", community=escape(a.community),
               stage=stage_name(lang, d.stage)), figures(d, lang), conclusion(d, lang)]  # fmt: skip
    if d.changed:
        lines.append(plural(lang, len(d.changed), "rv_changed", ids=ids_text(lang, d.changed)))
    lines.append("")
    lines.append(t(lang, "rv_item", id=escape(q.id), text=escape(truncate(q.text, 300))))
    lines.append(t(lang, "rv_worker_answer", answer=cards.answer_label(q, row, lang) or "-"))
    lines.append(t(lang, "rv_note", note=escape(row.note) if row and row.note else "-",
                   files=row.evidence if row else 0))  # fmt: skip
    if row and row.status == "na" and q.na_basis:
        lines.append(t(lang, "rv_na_basis", basis=escape(q.na_basis)))
    lines.append(_verified_line(d, q, lang))
    for c in d.comments:
        if c.question_id == qid:
            lines.append(t(lang, "rv_comment", body=escape(c.body), stage=escape(c.stage or "")))
    return Card("\n".join(lines), _buttons(d, q, row, f, lang) if d.acts else _nav(d, qid, f, lang))


def _verified_line(d: Detail, q: Question, lang: str) -> str:
    """The item's verified answer; a changed item not verified since: 已修改，待核定."""
    ver = d.verified.get(q.id)
    if ver is None and q.id in d.changed:
        return t(lang, "rv_verified", answer=t(lang, "rv_changed_pending"))
    return t(lang, "rv_verified", answer=cards.answer_label(q, ver, lang) or "-")


def _buttons(d: Detail, q: Question, row: Row | None, f: str, lang: str) -> Buttons:
    aid, stage = d.view.assessment.id, d.stage
    assert stage is not None
    rows: Buttons = []
    if stage.verifies:
        rows = verify_buttons(aid, stage.index, q, d.verified.get(q.id) or row, f, lang)
        rows.append([
            (t(lang, "rv_btn_confirm"), callbacks.encode("rv:k", aid, stage.index, q.id, f)),
            (t(lang, "rv_btn_comment"), callbacks.encode("rv:m", aid, stage.index, q.id)),
            (t(lang, "rv_btn_files"), callbacks.encode("rv:f", aid, q.id)),
        ])  # fmt: skip
    return [*rows, *_nav(d, q.id, f, lang), decision_row(d, lang)]


def verify_buttons(
    aid: int, index: int, q: Question, row: Row | None, f: str, lang: str
) -> Buttons:
    """The worker's answer buttons (handlers.cards), their data turned into verifications."""
    out: Buttons = []
    for line in cards._answer_buttons(aid, q, row, lang):
        mapped = []
        for label, data in line:
            op = callbacks.decode(data)
            assert op is not None
            mapped.append((label, callbacks.encode("rv:a", aid, index, q.id, op.get("code"), f)))
        out.append(mapped)
    return out


def _nav(d: Detail, qid: str, f: str, lang: str) -> Buttons:
    aid, ids = d.view.assessment.id, items(d, f)
    i = ids.index(qid) if qid in ids else 0
    prev, nxt = ids[i - 1], ids[(i + 1) % len(ids)]
    other = GAPS if f == ALL else ALL
    return [[
        ("◀", callbacks.encode("rv:q", aid, prev, f)),
        (t(lang, "btn_toc"), callbacks.encode("rv:t", aid, qid, f)),
        (t(lang, f"rv_filter_{other}"), callbacks.encode("rv:q", aid, items(d, other)[0], other)),
        ("▶", callbacks.encode("rv:q", aid, nxt, f)),
    ]]  # fmt: skip


def first(d: Detail, f: str) -> str:
    """Where the card opens: the first item changed since the send-back, else the filter's
    first item."""
    return d.changed[0] if d.changed else items(d, f)[0]


def mark(d: Detail, q: Question) -> str:
    """An item's verified mark in the 目录: its verified status, 🔄 changed and not verified
    since, ▫️ not verified."""
    ver = d.verified.get(q.id)
    if ver is not None and ver.status is not None:
        return STATUS_MARKS[ver.status]
    return "🔄" if q.id in d.changed else "▫️"


def toc(d: Detail, here: str, f: str, page: int, lang: str) -> Card:
    """The reviewer's 目录: every item with its verified mark, TOC_PAGE to a page; each button
    jumps to its item, ◀ ▶ turn the pages, 返回 goes back to the item it came from."""
    aid, qs = d.view.assessment.id, d.view.standard.questions
    pages = max(1, -(-len(qs) // TOC_PAGE))
    page = min(max(page, 1), pages)
    shown = qs[(page - 1) * TOC_PAGE : page * TOC_PAGE]
    lines = [t(lang, "rv_toc_title", community=escape(d.view.assessment.community), page=page,
               pages=pages, n=len(d.verified), total=len(qs)), t(lang, "rv_toc_legend"), ""]  # fmt: skip
    lines += [f"{mark(d, q)} <b>{escape(q.id)}</b> {escape(truncate(q.text, 30))}" for q in shown]
    jumps = [(f"{mark(d, q)} {q.id}", callbacks.encode("rv:q", aid, q.id, f)) for q in shown]
    buttons: Buttons = [jumps[k : k + TOC_ROW] for k in range(0, len(jumps), TOC_ROW)]
    turn = [("◀", callbacks.encode("rv:t", aid, here, f, page - 1))] if page > 1 else []
    turn.append((t(lang, "btn_back"), callbacks.encode("rv:q", aid, here, f)))
    if page < pages:
        turn.append(("▶", callbacks.encode("rv:t", aid, here, f, page + 1)))
    return Card("\n".join(lines), [*buttons, turn])


def history(community: str, events: list[Event], clock: Clock, lang: str) -> str:
    lines = [t(lang, "rv_history_title", community=escape(community))]
    for e in events:
        what = t(lang, f"rv_action_{e.action}")
        item = f" {escape(e.question_id)}" if e.question_id else ""
        change = f" {escape(e.before or '-')} → {escape(e.after or '-')}" if e.after else ""
        if e.action == "withdraw":
            change = " · " + t(lang, f"rv_withdraw_{e.after or 'admin'}")
        note = f" · {escape(e.comment)}" if e.comment else ""
        lines.append(t(lang, "rv_history_line", at=clock.local(e.at).strftime("%Y-%m-%d %H:%M"),
                       stage=escape(e.stage or ""), action=what, by=escape(e.user_name or str(e.user_id)),
                       role=t(lang, f"rv_role_{e.role}"), rest=item + change + note))  # fmt: skip
    return "\n".join(lines)


def verified_block(d: Detail, by: str | None, lang: str) -> str:
    """Self-assessed vs verified: both totals, then each item where they differ."""
    lines = [t(lang, "rv_verified_head", by=escape(by or "-")), figures(d, lang)]
    std = d.view.standard
    for qid, v in d.verified.items():
        own = d.view.rows.get(qid)
        if own is None or (own.status, own.points) != (v.status, v.points):
            q = std.question(qid)
            lines.append(t(lang, "rv_differs", id=escape(qid),
                           own=cards.answer_label(q, own, lang) or "-",
                           verified=cards.answer_label(q, v, lang) or "-"))  # fmt: skip
    return "\n".join(lines)


def summary_note(s: Summary, lang: str) -> str:
    sep = t(lang, "list_sep")
    waiting = sep.join(f"{escape(name)} {n}" for name, n in s.waiting) or "-"
    return t(lang, "rv_status_note", waiting=waiting, returned=s.returned, recognised=s.recognised)
