"""GreenCheck's 自查结果表: one community's check of one year, as DOCX, titled as GreenCheck's and
never part of an application form. It says what the community answered, the result against its
standard, the reviewers' verified result once one of them approved the check (that verdict comes
first), where the check is in the review chain, what is still to do and every item's answers.
A pure function of the SelfCheck bot/services/exports.py gathers.
"""

from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo

from bot.clock import local_day
from bot.domain.scoring import Outcome, Result
from bot.files import docx_layout as dx
from bot.files.recognised import day_text, label
from bot.services.exports import SelfCheck
from bot.texts import TEXTS, t

MARGINS = (2.0, 2.0, 1.8, 2.0)
KEY_WIDTHS = (3.0, 14.0)
ITEM_WIDTHS = (1.4, 10.4, 2.6, 2.6)
SIZE = 11.0


def selfcheck_filename(name: str, year: int | None) -> str:
    return f"GreenCheck自查结果表-{name}" + (f"-{year}" if year else "") + ".docx"


def _verdict(r: Result, lang: str) -> str:
    if r.triggered:
        return t(lang, "fl_sc_vetoed", ids="、".join(r.triggered))
    return t(lang, "fl_sc_pass" if r.passed else "fl_sc_fail")


def result_line(r: Result, lang: str) -> str:
    """85 分（满分 100 分，80 分达标）：达标 · 符合 40 项、…（共 42 项）：未达标."""
    if r.mode == "points" and r.score is not None:
        return t(lang, "fl_sc_points", score=f"{r.score:g}", max=f"{r.max_score or 0:g}",
                 line=f"{r.pass_score or 0:g}", verdict=_verdict(r, lang))  # fmt: skip
    counts = {s: 0 for s in ("met", "partial", "not_met", "na")}
    for o in r.outcomes:
        if o.status:
            counts[o.status] += 1
    return t(lang, "fl_sc_items", **counts, total=r.total, verdict=_verdict(r, lang))


def _state(s: SelfCheck, tz: ZoneInfo, lang: str) -> str:
    d = s.detail
    if d.state == "submitted" and d.submitted_at:
        return t(lang, "fl_sc_submitted", date=day_text(lang, local_day(d.submitted_at, tz)))
    return t(lang, f"rp_state_{d.state}")


def _review(s: SelfCheck, tz: ZoneInfo, lang: str) -> str:
    r = s.review
    if r is None:
        return ""
    if r.recognised_at:
        return t(lang, "fl_sc_recognised", date=day_text(lang, local_day(r.recognised_at, tz)))
    state = t(lang, f"fl_state_{r.state}") if f"fl_state_{r.state}" in TEXTS else r.state
    return t(lang, "fl_sc_at_stage", stage=r.stage, state=state)


def _facts(s: SelfCheck, tz: ZoneInfo, lang: str) -> list[tuple[str, str]]:
    d = s.detail
    place = " · ".join(x for x in (d.county, d.street) if x)
    verified = t(lang, "fl_sc_not_reviewed")
    if s.verified is not None:
        verified = result_line(s.verified, lang) + t(lang, "fl_sc_by", by=s.verified_by)
    own = result_line(d.result, lang) if d.result and d.result.answered else ""
    rows = [("community", d.community), ("place", place), ("year", str(s.year or "—")),
            ("standard", d.standard.title if d.standard else ""), ("state", _state(s, tz, lang)),
            ("self", own), ("verified", verified), ("review", _review(s, tz, lang)),
            ("evidence", t(lang, "fl_sc_files", n=d.evidence_total))]  # fmt: skip
    return [(t(lang, f"fl_sc_{k}"), v) for k, v in rows if v]


def _gaps(r: Result | None, lang: str) -> str:
    if r is None or not r.gaps:
        return t(lang, "fl_sc_no_gaps")
    by_reason: dict[str, list[str]] = {}
    for g in r.gaps:
        by_reason.setdefault(g.reason, []).append(g.id)
    return "\n".join(
        f"{t(lang, f'rp_gap_{why}')}（{len(ids)}）：{'、'.join(ids)}"
        for why, ids in by_reason.items()
    )


def _outcome(o: Outcome | None, lang: str) -> str:
    if o is None or o.status is None:
        return t(lang, "fl_sc_unanswered")
    points = f"{o.points:g}" if o.points is not None and o.max_points else ""
    return label(f"{o.status} {points}".strip(), lang)


def _items(doc: Any, s: SelfCheck, lang: str) -> None:
    """Every item: its words, the community's answer and the verified one; then the notes."""
    std, d = s.standard, s.detail
    if std is None or d.result is None:
        return
    own = {o.id: o for o in d.result.outcomes}
    verified = {o.id: o for o in s.verified.outcomes} if s.verified else {}
    heads = [t(lang, f"fl_sc_h_{k}") for k in ("item", "text", "self", "verified")]
    tb = dx.grid(doc, 1 + len(std.questions), ITEM_WIDTHS)
    _repeat(tb.rows[0])
    for k, head in enumerate(heads):
        dx.cell(tb.rows[0].cells[k], head, SIZE, bold=True)
    for row, q in zip(tb.rows[1:], std.questions, strict=True):
        checked = _outcome(verified.get(q.id), lang) if s.verified else ""
        for k, v in enumerate((q.id, q.text, _outcome(own.get(q.id), lang), checked)):
            dx.cell(row.cells[k], v, 10, "left" if k == 1 else "center")
    notes = [(a.question_id, a.note) for a in d.answers if a.note]
    if notes:
        _heading(doc, t(lang, "fl_sc_h_note"))
        for qid, note in notes:
            dx.lines(doc, f"{qid}　{note}", 10)


def _heading(doc: Any, text: str) -> None:
    par = dx.paragraph(doc.add_paragraph(), text, 13, bold=True)
    par.paragraph_format.space_before = dx.pt(8)
    par.paragraph_format.space_after = dx.pt(3)


def _repeat(row: Any) -> None:
    """The table's header row prints again at the top of every page."""
    from docx.oxml import OxmlElement

    row._tr.get_or_add_trPr().append(OxmlElement("w:tblHeader"))


def selfcheck_docx(s: SelfCheck, tz: ZoneInfo, lang: str = "zh") -> bytes:
    """The 自查结果表 as DOCX bytes."""
    doc = dx.document(MARGINS)
    dx.paragraph(doc.add_paragraph(), t(lang, "fl_sc_title"), 18, bold=True, align="center")
    note = dx.paragraph(doc.add_paragraph(), t(lang, "fl_sc_note"), 10, align="center")
    note.paragraph_format.space_after = dx.pt(6)
    if s.detail.result is None or not s.detail.result.answered:
        dx.paragraph(doc.add_paragraph(), t(lang, "fl_sc_none"), SIZE)
    facts = _facts(s, tz, lang)
    tb = dx.grid(doc, len(facts), KEY_WIDTHS)
    for row, (key, value) in zip(tb.rows, facts, strict=True):
        dx.cell(row.cells[0], key, SIZE, bold=True)
        dx.cell(row.cells[1], value, SIZE, "left")
        dx.height(row, 0.75)
    whose = t(lang, "fl_sc_gaps_whose") if s.verified else ""
    _heading(doc, t(lang, "fl_sc_gaps") + whose)
    dx.lines(doc, _gaps(s.verified or s.detail.result, lang), SIZE)
    _heading(doc, t(lang, "fl_sc_items_head"))
    _items(doc, s, lang)
    return dx.save(doc)
