"""Render the check card, the index and the gap list as text plus button rows.

Buttons are (label, callback data) pairs; callback data is built by `handlers.callbacks` only
(it names the action and its target, never state), so a card keeps working after a restart.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from html import escape

from bot.clock import local_day
from bot.domain import answers, workflow
from bot.domain.answers import Assessment, Row, View
from bot.domain.outcome import ASPECTS, Fix, Outcome
from bot.domain.scoring import Gap
from bot.domain.standards import Question, Rule, Standard
from bot.texts import plural, t
from bot.texts.catalog import criteria_label
from bot.texts.check import NUMERALS
from bot.texts.layout import truncate
from handlers import callbacks

# Callback data is pure in its arguments: built once per (action, values), then looked up.
encode = functools.lru_cache(maxsize=8192)(callbacks.encode)

Buttons = list[list[tuple[str, str]]]
GAP_LIST_LIMIT = 3800  # characters; Telegram allows 4096


@dataclass
class Card:
    text: str
    buttons: Buttons = field(default_factory=list)


def fmt(x: float | None) -> str:
    return "-" if x is None else f"{x:g}"


def submitted_on(a: Assessment, zone: dt.tzinfo) -> str:
    """The local date a check was submitted ("" when it was not)."""
    return local_day(a.submitted_at, zone).isoformat() if a.submitted_at else ""


def progress_bar(done: int, total: int, width: int = 20) -> tuple[str, int]:
    pct = round(100 * done / total) if total else 0
    filled = round(width * done / total) if total else 0
    return "▓" * filled + "░" * (width - filled), pct


def header(v: View, lang: str, zone: dt.tzinfo, outcome: Outcome | None = None) -> str:
    """Title, a triggered veto (first: it decides the outcome), progress, scores, the lock,
    and where a submitted check stands (`outcome`)."""
    a, r = v.assessment, v.result
    title = t(lang, "card_title", community=escape(a.community),
              standard=escape(v.standard.short_title))  # fmt: skip
    lines = [title]
    if r.triggered:
        lines.append(t(lang, "card_vetoed", ids=t(lang, "id_sep").join(r.triggered)))
    lines.append(progress_line(v, lang))
    if r.score is not None and a.locked:
        lines.append(t(lang, "result_score", score=fmt(r.score), max=fmt(r.max_score),
                       pass_=fmt(r.pass_score)))  # fmt: skip
    elif r.score is not None:
        lines.append(t(lang, "card_score", score=fmt(r.score), projected=fmt(r.projected_score),
                       max=fmt(r.max_score), pass_=fmt(r.pass_score)))  # fmt: skip
    reviewed = outcome is not None and outcome.state != workflow.NONE
    if a.locked:
        when = submitted_on(a, zone)
        own = ("self_" if reviewed else "result_") + ("pass" if r.passed else "fail")
        lines.append(t(lang, "card_submitted", when=when, verdict=t(lang, own)))
    if outcome is not None:
        lines += outcome_lines(outcome, lang, zone)
    return "\n".join(lines)


REASON_SHOWN = 300  # characters of a send-back reason or a comment on a card


def outcome_lines(o: Outcome, lang: str, zone: dt.tzinfo) -> list[str]:
    """Where the check waits and since when, sent back (why), the verified conclusion, the
    recognition and the dates the city recorded after it, a withdrawn title."""

    def day(at: str) -> str:
        return local_day(at, zone).isoformat()

    stage = escape(o.stage or "")
    lines = []
    if o.since is not None and o.state in (workflow.WAITING, workflow.RETURNED, workflow.DONE):
        reason = escape(truncate(o.reason or "-", REASON_SHOWN))
        lines.append(t(lang, f"oc_{o.state}", stage=stage, date=day(o.since), reason=reason))
    if o.verified is not None and not o.returned:
        lines.append(t(lang, "oc_verified_pass" if o.verified else "oc_verified_fail"))
    if o.recognised_at:
        lines.append(t(lang, "oc_recognised", date=day(o.recognised_at)))
    if o.records:
        items = " · ".join(f"{escape(name)} {day(at)}" for name, at in o.records)
        lines.append(t(lang, "oc_records", items=items))
    if o.withdrawn is not None:
        at, cause, reason = o.withdrawn
        why = escape(truncate(reason, REASON_SHOWN)) or t(lang, f"rv_withdraw_{cause}")
        lines.append(t(lang, "oc_withdrawn", date=day(at), why=why))
    return lines


_counted: list[tuple[object, dict[str, int]]] = []  # the last result counted (a card asks 3x)


def counts(v: View) -> dict[str, int]:
    """How many questions are unanswered, miss files, miss an N.A. reason (each counted once)."""
    if _counted and _counted[0][0] is v.result:
        return _counted[0][1]
    out = {"unanswered": 0, "evidence_missing": 0, "na_unexplained": 0}
    for g in v.result.gaps:
        key = "unanswered" if g.reason == "invalid" else g.reason
        if key in out and not (key == "unanswered" and g.id == "bonus"):
            out[key] += 1
    _counted[:] = [(v.result, out)]
    return out


def ready(v: View) -> bool:
    """Every question but the optional bonus is answered: the check can be submitted."""
    return counts(v)["unanswered"] == 0


def progress_line(v: View, lang: str) -> str:
    """已答 a/n · 未答 u · 缺材料 e (· 缺理由 r) and the bar: each count says what it counts."""
    r = v.result
    c = counts(v)
    bar, pct = progress_bar(r.answered, r.total)
    extra = t(lang, "card_no_reason", n=c["na_unexplained"]) if c["na_unexplained"] else ""
    return t(lang, "card_progress", answered=r.answered, total=r.total, open=c["unanswered"],
             files=c["evidence_missing"], extra=extra, bar=bar, pct=pct)  # fmt: skip


def answer_label(q: Question, row: Row | None, lang: str) -> str | None:
    if row is None or row.status is None:
        return None
    if q.kind == "veto":
        return t(lang, "veto_present" if row.status == "not_met" else "veto_absent")
    label = t(lang, f"status_{row.status}")
    if q.max_points is not None and row.points is not None:
        label += t(lang, "answer_points", pts=fmt(row.points), max=fmt(q.max_points))
        if q.proof and row.points and row.evidence <= 0:  # "需提供佐证材料": not counted yet
            label += t(lang, "answer_uncounted", proof=escape(q.proof))
    return label


def area_label(number: str, title: str, lang: str) -> str:
    """An area's heading as the standard prints it (see the area_label text)."""
    n = int(number)
    zh = NUMERALS[n - 1] if 0 < n <= len(NUMERALS) else number
    return t(lang, "area_label", zh=zh, n=n, title=title)


def _area_heading(q: Question, lang: str) -> str:
    return "" if q.area is None else area_label(q.area.id, q.area.title, lang)


def question_card(
    v: View,
    qid: str,
    lang: str,
    zone: dt.tzinfo,
    readonly: bool = False,
    carried: Row | None = None,
    outcome: Outcome | None = None,
) -> Card:
    """Render the card for one question: its wording, the answer, then the buttons.

    A submitted check (or a viewer who may not answer) gets the same card read-only: the
    navigation only, in the same places. `carried`: last year's answer on the item, not yet
    confirmed: shown as 上年 with a 与上年相同 button. `outcome`: where a submitted
    check stands; sent back, the card guides the fix: the reviewers' comments on a reopened
    item and its place among them (需修改 k/n), every other item read-only, ◀ ▶ between the
    reopened items.
    """
    q = v.standard.question(qid)
    row = v.rows.get(qid)
    fix = outcome.fix if outcome is not None else None
    viewer = readonly
    readonly = readonly or v.assessment.locked or (fix is not None and qid not in fix.items)
    lines = [header(v, lang, zone, outcome), ""]
    said = fix_lines(fix, qid, lang) if fix is not None else []
    if said:
        lines += [*said, ""]
    lines += [*_question_lines(v.standard, q, lang), ""]
    lines += _answer_lines(q, row, lang)
    last = answer_label(q, carried, lang) if carried is not None and not readonly else None
    if last:
        lines.append(t(lang, "cy_carried", answer=last))
    if fix is not None and not viewer:
        lines += ["", fix_progress(fix, lang)]
    elif ready(v) and not readonly:
        lines += ["", t(lang, "card_all_done", total=v.result.total)]
    buttons = _buttons(v, q, row, lang, readonly, fix)
    if last:
        buttons.insert(1, [(t(lang, "cy_same"), encode("cy", v.assessment.id, q.id))])
    return Card("\n".join(lines), buttons)


COMMENTS_SHOWN = 3  # the latest reviewers' comments on an item shown on its card


def fix_lines(fix: Fix, qid: str, lang: str) -> list[str]:
    """需修改 k/n and the reviewers' comments on a reopened item; on any other, that it is
    read-only and which items are to fix."""
    k = fix.place(qid)
    if not fix.items:
        return []  # nothing to fix: the card's last line says so
    if k is None:
        return [t(lang, "fx_locked", ids=t(lang, "id_sep").join(fix.items))]
    said = fix.comments.get(qid, ())[-COMMENTS_SHOWN:]
    return [t(lang, "fx_item", k=k, n=len(fix.items))] + [
        t(lang, "fx_comment", stage=escape(c.stage or ""),
          body=escape(truncate(c.body, REASON_SHOWN)))
        for c in said
    ]  # fmt: skip


def fix_progress(fix: Fix, lang: str) -> str:
    """🎉 every item to fix was changed; else how many were, and which are still to do."""
    n = len(fix.items)
    if not n:
        return t(lang, "fx_none")
    if fix.done:
        return plural(lang, n, "fx_all_done")
    left = fix.untouched
    return plural(lang, n, "fx_progress", k=n - len(left), ids=t(lang, "id_sep").join(left))


CRITERIA_SHOWN = 600  # characters of the verbatim criteria on a card (the seed's longest: ~450)


def _question_lines(std: Standard, q: Question, lang: str) -> list[str]:
    """The item's wording: area, item (and sub-item), criteria verbatim, methods, rules."""
    if q.kind == "bonus":
        assert std.bonus is not None
        head = [t(lang, "card_bonus", max=fmt(std.bonus.max)), escape(std.bonus.text)]
        return head + _about_lines(std, q, lang)
    if q.kind == "veto":
        return [t(lang, "card_veto"), f"<b>{q.id}</b> {escape(q.text)}", *_meta_lines(q, lang)]
    assert q.item is not None
    item_line = f"<b>{q.item.id}</b> {escape(q.item.text)}"
    if q.item.points is not None:
        key = "card_bonus_max" if q.item.bonus else "card_max"
        item_line += "  " + t(lang, key, n=fmt(q.item.points))
    lines = [escape(_area_heading(q, lang)), item_line]
    if q.kind == "sub_item":
        lines.append(f"<b>{q.id}</b> {escape(q.text)}")
    lines += _about_lines(std, q, lang)
    if q.item.deductions:
        lines.append(t(lang, "card_rules"))
        lines.extend(_rule_line(q, r, lang) for r in q.item.deductions)
    return lines


def _rule_line(q: Question, r: Rule, lang: str) -> str:
    assert q.item is not None
    part = ""
    if r.part is not None:
        part = t(lang, "card_rule_part", n=r.part, pts=fmt(q.item.parts[r.part - 1].points))
    line = f" {r.key} {escape(r.text)}{part}"
    if r.reading:  # how the rule's amounts are read (Chuxiong 12: from the item's 30%)
        line += "\n   " + t(lang, "card_reading", text=escape(r.reading))
    return line


def _about_lines(std: Standard, q: Question, lang: str) -> list[str]:
    """The verbatim criteria (考评标准 / 评分标准), an OCR reading, methods and departments."""
    criteria = q.criteria or (q.item.criteria if q.item is not None else None)
    lines = []
    if criteria and criteria.strip() != q.text.strip():
        label = criteria_label(lang, std.criteria_label, "card_criteria_label")
        text = escape(_short(criteria, CRITERIA_SHOWN))
        lines.append(t(lang, "card_criteria", label=escape(label), text=text))
    if q.reading:
        lines.append(t(lang, "card_reading", text=escape(q.reading)))
    return lines + _meta_lines(q, lang)


def _meta_lines(q: Question, lang: str) -> list[str]:
    """考评方式 · 责任部门 · 监督指导部门, on one compact line where the seed has them."""
    sep = t(lang, "id_sep")
    bits = [
        t(lang, key, text=escape(sep.join(values)))
        for key, values in (
            ("card_methods", q.methods),
            ("card_responsible", q.responsible),
            ("card_supervisors", q.supervisors),
        )
        if values
    ]
    return [" · ".join(bits)] if bits else []


def _answer_lines(q: Question, row: Row | None, lang: str) -> list[str]:
    """The current answer, its points and deductions, files and note."""
    lines = []
    label = answer_label(q, row, lang)
    if label:
        lines.append(t(lang, "card_answer", answer=label))
    if row and row.deductions and q.max_points is not None:
        sep = t(lang, "list_sep")
        items = sep.join(f"{k} −{fmt(d)}" for k, d in sorted(row.deductions.items()))
        detail = t(lang, "deduction_detail", items=items)
        pts, top = fmt(row.points), fmt(q.max_points)
        lines.append(t(lang, "card_item_points", pts=pts, max=top, detail=detail))
    need = t(lang, "card_need", what=escape(q.evidence)) if q.evidence else ""
    note = escape(row.note) if row and row.note else t(lang, "card_no_note")
    if row and row.status == "na" and not (row.note or "").strip():
        note = t(lang, "card_na_reason_missing")
    lines.append(t(lang, "card_evidence", n=row.evidence if row else 0, need=need, note=note))
    return lines


def _buttons(
    v: View, q: Question, row: Row | None, lang: str, readonly: bool, fix: Fix | None = None
) -> Buttons:
    """Fixed places on every item: navigation first, then 📎 / ✏️, then the answers.

    Only the answer rows vary with the item, and they come after the fixed rows, so ◀ 目录
    缺项 ▶ (and 📎 ✏️) keep their positions from item to item. After a deduction the ▶ place
    says 完成本项 ▶ and goes to the next open item.
    """
    aid = v.assessment.id
    rows: Buttons = [_nav_buttons(v, q, row, lang, fix)]
    if readonly:
        return rows
    rows.append(
        [
            (t(lang, "btn_evidence"), encode("e", aid, q.id)),
            (t(lang, "btn_note"), encode("o", aid, q.id)),
        ]
        + ([(t(lang, "btn_ev_list"), encode("el", aid, q.id))] if row and row.evidence else [])
    )  # the item's files (view, remove, move)
    rows += _answer_buttons(aid, q, row, lang)
    if ready(v):
        rows.append([(t(lang, "btn_resubmit" if fix else "btn_submit"), encode("s", aid))])
    return rows


def _answer_buttons(aid: int, q: Question, row: Row | None, lang: str) -> Buttons:
    """The answer codes the item accepts (bot.domain.answers), as buttons."""

    def pre(code: str) -> str:
        return encode("a", aid, q.id, code)

    if q.role == "veto":
        return [[(t(lang, "veto_absent"), pre("y")), (t(lang, "veto_present"), pre("n"))]]
    if q.role == "bonus":
        pluses = [(f"+{fmt(k)}", pre(f"b{fmt(k)}")) for k in sorted(q.values) if k > 0]
        return [[(t(lang, "btn_bonus_none"), pre("b0")), *pluses]]
    if q.role == "points":
        rows = [[(t(lang, "btn_full", n=fmt(q.max_points)), pre("f"))]]
        rows += _deduction_rows(q, row.deductions if row else {}, pre)
        if q.na_allowed:
            rows.append([(t(lang, "btn_na_points"), pre("x"))])
        return rows
    second = [(t(lang, "status_not_met"), pre("n"))]
    if q.na_allowed:
        second.append((t(lang, "status_na"), pre("x")))
    return [[(t(lang, "status_met"), pre("y")), (t(lang, "status_partial"), pre("p"))], second]


def _deduction_rows(q: Question, chosen: Mapping[str, float], pre: Callable[[str], str]) -> Buttons:
    """One button per deduction choice (✓ on the chosen one, which then clears it), 6 a row."""
    assert q.item is not None and q.max_points is not None
    rows: Buttons = []
    for r in q.item.deductions:
        line: list[tuple[str, str]] = []
        for amount in r.choices(q.max_points):
            selected = chosen.get(r.key) == amount
            label = f"{'✓' if selected else ''}{r.key} −{fmt(amount)}"
            line.append((label, pre(f"d{r.key}{fmt(0 if selected else amount)}")))
        rows += [line[k : k + 6] for k in range(0, len(line), 6)]
    return rows


def _nav_buttons(
    v: View, q: Question, row: Row | None, lang: str, fix: Fix | None = None
) -> list[tuple[str, str]]:
    """◀ 目录 缺项 ▶: ◀ ▶ walk the standard, or (sent back) the items to fix."""
    aid, std = v.assessment.id, v.standard
    idx = std.question_index[q.id]
    prev_q = std.questions[idx - 1].id if idx > 0 else std.questions[-1].id
    next_q = std.questions[(idx + 1) % len(std.questions)].id
    if fix is not None and fix.items:
        prev_q, next_q = fix.step(std, q.id, -1), fix.step(std, q.id, 1)
    next_label = t(lang, "btn_next")
    if row is not None and row.deductions and not v.assessment.locked:
        next_label = t(lang, "btn_done_item")
        next_q = (answers.next_open(std, v.rows, q.id) if fix is None else None) or next_q
    return [
        (t(lang, "btn_prev"), encode("q", aid, prev_q)),
        (t(lang, "btn_toc"), encode("t", aid)),
        (t(lang, "btn_gaps", n=v.result.gap_count), encode("g", aid)),
        (next_label, encode("q", aid, next_q)),
    ]


def toc_card(
    v: View, lang: str, zone: dt.tzinfo, current: str, outcome: Outcome | None = None
) -> Card:
    """Render the index: one button per area with its answered count."""
    aid, std = v.assessment.id, v.standard
    lines = [header(v, lang, zone, outcome), "", t(lang, "toc_title")]
    buttons: Buttons = []
    for area in std.areas:
        qs = [q for q in std.questions if q.area is not None and q.area.id == area.id]
        done = sum(1 for q in qs if (r := v.rows.get(q.id)) and r.status)
        label = area_label(area.id, area.title, lang)
        buttons.append([(f"{_short(label, 16)} {done}/{len(qs)}", encode("t", aid, area.id))])
    extra = [q for q in std.questions if q.area is None]
    if extra:
        done = sum(1 for q in extra if (r := v.rows.get(q.id)) and r.status)
        buttons.append([(f"{t(lang, 'toc_extra')} {done}/{len(extra)}", encode("t", aid, "x"))])
    buttons.append([(t(lang, "btn_back"), encode("q", aid, current))])
    return Card("\n".join(lines), buttons)


def area_start(v: View, area: str) -> str | None:
    """Return the first unanswered question of an area ("x": bonus and vetoes), else its first."""
    qs = [
        q
        for q in v.standard.questions
        if (q.area.id == area if q.area is not None else area == "x")
    ]
    if not qs:
        return None
    for q in qs:
        r = v.rows.get(q.id)
        if r is None or r.status is None:
            return q.id
    return qs[0].id


def _short(text: str, n: int = 28) -> str:
    return text if len(text) <= n else text[: n - 1] + "…"


def _area_label(v: View, title: str | None, lang: str) -> str:
    for area in v.standard.areas:
        if area.title == title:
            return area_label(area.id, area.title, lang)
    return t(lang, "toc_extra")


def gap_list(v: View, lang: str, zone: dt.tzinfo) -> str:
    """Render the gap list grouped by area, each gap tagged with its reason, and the score."""
    r, a = v.result, v.assessment
    if not r.gaps:
        return "\n".join(
            [t(lang, "gaps_none", community=escape(a.community)), gaps_footer(v, lang, zone)]
        )
    title = plural(lang, r.gap_count, "gaps_title", community=escape(a.community), total=r.total,
              answered=r.answered)  # fmt: skip
    lines = [title]
    if r.triggered:
        lines.append(t(lang, "card_vetoed", ids=t(lang, "id_sep").join(r.triggered)))
    lines.append(" · ".join(f"{t(lang, 'gap_' + k)} {n}" for k, n in _gap_counts(v).items() if n))
    lines += _gap_body(v, lang, sum(len(x) + 1 for x in lines))
    lines.append("")
    if r.score is not None:
        score, projected, pass_ = fmt(r.score), fmt(r.projected_score), fmt(r.pass_score)
        lines.append(t(lang, "gaps_projected", score=score, projected=projected, pass_=pass_))
    lines.append(gaps_footer(v, lang, zone))
    return "\n".join(lines)


def gaps_footer(v: View, lang: str, zone: dt.tzinfo) -> str:
    """What to do next, by the check's state: submitted, ready to submit, or still open."""
    a = v.assessment
    if a.locked:
        return t(lang, "gaps_footer_submitted", when=submitted_on(a, zone))
    left = counts(v)["unanswered"]
    return t(lang, "gaps_footer_ready") if left == 0 else plural(lang, left, "gaps_footer")


def _gap_counts(v: View) -> dict[str, int]:
    return {k: sum(1 for g in v.result.gaps if g.reason == k) for k in GAP_ORDER}


GAP_ORDER = (
    "unanswered", "invalid", "veto", "not_met", "partial", "evidence_missing", "na_unexplained",
)  # fmt: skip


def _gap_line(g: Gap, lang: str) -> str:
    extra = ""
    if g.note and g.reason in ("not_met", "partial", "veto"):
        extra = t(lang, "gap_note", note=escape(_short(g.note, 40)))
    elif g.reason == "evidence_missing" and g.evidence:
        extra = t(lang, "gap_need", what=escape(g.evidence))
        if g.uncounted:  # a bonus that counts only with its material
            extra += t(lang, "gap_uncounted", pts=fmt(g.uncounted))
    return f"  {g.id} {t(lang, 'gap_tag_' + g.reason)} {escape(_short(g.text))}{extra}"


def _gap_body(v: View, lang: str, size: int) -> list[str]:
    """The gaps under their area headings, cut (with '… n more') to GAP_LIST_LIMIT."""
    by_area: dict[str | None, list[Gap]] = {}
    for g in v.result.gaps:  # the standard's order, so areas come out in order
        by_area.setdefault(g.area, []).append(g)
    lines: list[str] = []
    left = len(v.result.gaps)
    for area, gaps in by_area.items():
        heading = f"<b>{escape(_area_label(v, area, lang))}</b>"
        lines += ["", heading]
        size += len(heading) + 2
        for g in gaps:
            line = _gap_line(g, lang)
            if size + len(line) > GAP_LIST_LIMIT:
                lines.append(t(lang, "gaps_more", n=left))
                break
            lines.append(line)
            size += len(line) + 1
            left -= 1
        if size > GAP_LIST_LIMIT:
            break
    return lines


GAP_JUMPS = 6  # jump buttons per page of the in-card gap list


def gap_card(v: View, lang: str, zone: dt.tzinfo, current: str, page: int = 1) -> Card:
    """The gap list inside the card: a jump button per gap item, GAP_JUMPS a page, ◀ ▶ pages."""
    aid = v.assessment.id
    ids = list(dict.fromkeys(g.id for g in v.result.gaps))
    texts = {g.id: g.text for g in reversed(v.result.gaps)}
    pages = max(1, -(-len(ids) // GAP_JUMPS))
    page = min(max(page, 1), pages)
    shown = ids[(page - 1) * GAP_JUMPS : page * GAP_JUMPS]
    buttons: Buttons = [[(f"{i} {_short(texts[i], 18)}", encode("q", aid, i))] for i in shown]
    if pages > 1:
        turn = [(t(lang, "page_label", page=page, pages=pages), encode("g", aid, page))]
        if page > 1:
            turn.insert(0, (t(lang, "page_prev"), encode("g", aid, page - 1)))
        if page < pages:
            turn.append((t(lang, "page_next"), encode("g", aid, page + 1)))
        buttons.append(turn)
    buttons.append([(t(lang, "btn_back"), encode("q", aid, current))])
    return Card(gap_list(v, lang, zone), buttons)


CONFIRM_MINUTES = 10  # a submit confirmation's button works this long


def confirm_text(v: View, lang: str, outcome: Outcome | None = None) -> str:
    """ "还有 N 个缺项，确认提交？" with what the gaps are; after a send-back, what changed."""
    r, a = v.result, v.assessment
    fix = outcome.fix if outcome is not None else None
    if fix is not None:
        head = t(lang, "fx_confirm_title", community=escape(a.community))
        lines = [head, *_changes_lines(fix, lang)]
        if outcome is not None and outcome.stage:
            lines.append(t(lang, "fx_confirm_to", stage=escape(outcome.stage)))
    elif r.gap_count == 0:
        return "\n".join([t(lang, "confirm_title", community=escape(a.community)),
                          t(lang, "confirm_no_gaps")])  # fmt: skip
    else:
        lines = [t(lang, "confirm_title", community=escape(a.community))]
    if r.gap_count:
        c = counts(v)
        what = [f"{t(lang, 'gap_' + k)} {n}" for k, n in _gap_counts(v).items() if n]
        lines += [plural(lang, r.gap_count, "confirm_gaps"), " · ".join(what)]
        if r.triggered:
            lines.append(t(lang, "card_vetoed", ids=t(lang, "id_sep").join(r.triggered)))
        if c["evidence_missing"] or c["na_unexplained"]:
            lines.append(t(lang, "confirm_incomplete"))
    lines.append(t(lang, "confirm_expires", minutes=CONFIRM_MINUTES))
    return "\n".join(lines)


def _changes_lines(fix: Fix, lang: str) -> list[str]:
    """The items to fix that changed since the send-back (and how), those that did not; a
    warning when none did."""
    sep, n = t(lang, "id_sep"), len(fix.items)
    left = fix.untouched
    if not n:
        return [t(lang, "fx_none")]
    if len(left) == n:
        return [plural(lang, n, "fx_confirm_nothing", ids=sep.join(fix.items))]
    lines = [plural(lang, n, "fx_confirm_changed", k=n - len(left))]
    for qid in fix.items:
        what = [t(lang, f"fx_aspect_{x}") for x in ASPECTS if x in fix.changed.get(qid, ())]
        if what:
            lines.append(t(lang, "fx_confirm_line", id=escape(qid), what=sep.join(what)))
    if left:
        lines.append(t(lang, "fx_confirm_untouched", ids=sep.join(left)))
    return lines


def confirm_buttons(v: View, lang: str, minute: int, back: str | None = None) -> Buttons:
    """确认 (carries the minute it was asked at: it expires) · 取消 (back to the card's item)."""
    aid = v.assessment.id
    cancel = encode("q", aid, back) if back is not None else encode("sn", aid)
    return [[(t(lang, "btn_confirm_submit"), encode("sy", aid, minute)),
             (t(lang, "btn_cancel"), cancel)]]  # fmt: skip


def result_text(v: View, lang: str) -> str:
    r = v.result
    parts = []
    if r.score is not None:
        parts.append(
            t(
                lang,
                "result_score",
                score=fmt(r.score),
                max=fmt(r.max_score),
                pass_=fmt(r.pass_score),
            )
        )
    else:
        applicable = sum(1 for o in r.outcomes if o.status not in (None, "na"))
        parts.append(t(lang, "result_met", met=r.met, applicable=applicable))
    verdict = t(lang, "result_pass" if r.passed else "result_fail")
    if r.vetoed:
        verdict += t(lang, "result_veto")
    parts.append(verdict)
    return "\n".join(parts)
