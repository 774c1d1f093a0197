"""Rendering of spot checks and 公示: the inspector's card, the agreement figures, the lists,
a check's 公示 period and objections, the notices.

Pure functions of service data (bot.services.spotchecks, bot.services.publicity) and the
language; HTML-escaped data. Every button names its spot check, check or objection.
"""

from __future__ import annotations

from html import escape

from bot.clock import Clock
from bot.domain import spotchecks
from bot.domain.answers import Row
from bot.domain.notices import Notice
from bot.domain.publicity import Objection, Period
from bot.domain.spotchecks import SpotReport, SpotRow
from bot.domain.standards import Question
from bot.services.publicity import InPublicity
from bot.services.spotchecks import Drawn, SpotDetail
from bot.texts import join_list, plural, t
from bot.texts.layout import truncate
from handlers import callbacks, cards
from handlers.cards import Buttons, Card

SHOWN = 30  # rows of a list in one message
SHOWN_ITEMS = 10  # items that disagree most, in the figures


def pct(rate: float | None) -> str:
    return "-" if rate is None else f"{100 * rate:.1f}%"


def state(lang: str, spot: SpotRow) -> str:
    """The spot check's state, with its due day or reason where it has one."""
    text = t(lang, f"sp_state_{spot.state}")
    if spot.state == spotchecks.RECTIFY and spot.due:
        text += t(lang, "sp_due", due=spot.due)
    if spot.state in (spotchecks.PROPOSED, spotchecks.WITHDRAWN) and spot.reason:
        text += t(lang, "sp_reason", reason=escape(spot.reason))
    return text


def _answer(q: Question, row: Row | None, lang: str) -> str:
    return cards.answer_label(q, row, lang) or "-"


def card(d: SpotDetail, qid: str, lang: str) -> Card:
    """The spot card on one item: the community's answer, note and files, the chain's
    verification, the inspector's answer, comments and files; the inspector's buttons."""
    spot, std = d.spot, d.view.standard
    q, row = std.question(qid), d.view.rows.get(qid)
    lines = [
        t(lang, "sp_card_title", community=escape(spot.community), county=escape(spot.county),
          year=spot.year),
        t(lang, "sp_card_state", inspector=escape(spot.inspector or "-"), state=state(lang, spot)),
        t(lang, "sp_card_tally", n=d.tally.items, total=len(std.questions),
          own=d.tally.agree_self, verified=d.tally.agree_verified),
        "",
        t(lang, "rv_item", id=escape(q.id), text=escape(truncate(q.text, 300))),
        t(lang, "rv_worker_answer", answer=_answer(q, row, lang)),
        t(lang, "rv_note", note=escape(row.note) if row and row.note else "-",
          files=row.evidence if row else 0),
        t(lang, "sp_verified", answer=_answer(q, d.verified.get(qid) or row, lang)),
        t(lang, "sp_found", answer=_answer(q, d.answers.get(qid), lang),
          files=d.files.get(qid, 0)),
    ]  # fmt: skip
    lines += [t(lang, "sp_comment", body=escape(c)) for c in d.comments.get(qid, [])]
    return Card("\n".join(lines), _buttons(d, q, lang))


def _buttons(d: SpotDetail, q: Question, lang: str) -> Buttons:
    sid = d.spot.id
    files = (t(lang, "rv_btn_files"), callbacks.encode("sp:f", sid, q.id))
    rows: Buttons = []
    if d.acts:
        rows = _answer_rows(sid, q, d.answers.get(q.id) or d.view.rows.get(q.id), lang)
        rows.append([
            (t(lang, "sp_btn_same"), callbacks.encode("sp:k", sid, q.id)),
            (t(lang, "rv_btn_comment"), callbacks.encode("sp:m", sid, q.id)),
            (t(lang, "sp_btn_photo"), callbacks.encode("sp:e", sid, q.id)),
            files,
        ])  # fmt: skip
    else:
        rows.append([files])
    rows.append(_nav(d, q.id))
    if d.acts:
        rows.append([(t(lang, f"sp_btn_{o}"), callbacks.encode("sp:y", sid, o))
                     for o in spotchecks.OUTCOMES])  # fmt: skip
    if d.decides:
        rows.append([(t(lang, "sp_btn_withdraw"), callbacks.encode("sp:w", sid)),
                     (t(lang, "sp_btn_decline"), callbacks.encode("sp:n", sid))])  # fmt: skip
    return rows


def _answer_rows(sid: int, q: Question, row: Row | None, lang: str) -> Buttons:
    """The worker's answer buttons (handlers.cards), their data turned into the inspector's."""
    out: Buttons = []
    for line in cards._answer_buttons(0, q, row, lang):
        mapped = []
        for label, data in line:
            op = callbacks.decode(data)
            assert op is not None
            mapped.append((label, callbacks.encode("sp:a", sid, q.id, op.get("code"))))
        out.append(mapped)
    return out


def _nav(d: SpotDetail, qid: str) -> list[tuple[str, str]]:
    ids = [q.id for q in d.view.standard.questions]
    i = ids.index(qid)
    sid = d.spot.id
    return [("◀", callbacks.encode("sp:q", sid, ids[i - 1])),
            ("▶", callbacks.encode("sp:q", sid, ids[(i + 1) % len(ids)]))]  # fmt: skip


def drawn(d: Drawn, lang: str, clock: Clock) -> str:
    lines = [t(lang, "sp_drawn", n=len(d.drawn), seed=d.seed, population=d.population,
               year=d.year, added=d.added)]  # fmt: skip
    for i, c in enumerate(d.drawn[:SHOWN], 1):
        lines.append(t(lang, "sp_drawn_line", i=i, community=escape(c.community),
                       county=escape(c.county), since=clock.day(c.since).isoformat()))  # fmt: skip
    lines.append(t(lang, "sp_drawn_next"))
    return "\n".join(lines)


def spot_list(rows: list[SpotRow], lang: str, title: str) -> Card:
    """Spot checks, each with its state and a button to open it."""
    if not rows:
        return Card(t(lang, "sp_none"))
    lines, buttons = [t(lang, title, n=len(rows))], []
    for i, s in enumerate(rows[:SHOWN], 1):
        lines.append(t(lang, "sp_list_line", i=i, community=escape(s.community),
                       county=escape(s.county), state=state(lang, s),
                       inspector=escape(s.inspector or "-")))  # fmt: skip
        buttons.append([(f"{i}. {s.community}", callbacks.encode("sp:o", s.id))])
    return Card("\n".join(lines), buttons)


def report(r: SpotReport, lang: str) -> Card:
    """The agreement figures: per county, the items that disagree most, per community."""
    if not r.counties:
        return Card(t(lang, "sp_report_empty", year=r.year))
    lines = [t(lang, "sp_report_title", year=r.year)]
    for f in r.counties:
        lines.append(t(lang, "sp_report_county", county=escape(f.county), n=f.communities,
                       items=f.items, own=f.agree_self, own_rate=pct(f.rate_self),
                       verified=f.agree_verified, verified_rate=pct(f.rate_verified)))  # fmt: skip
    items = [t(lang, "sp_item_count", item=escape(q), n=n) for q, n in r.items[:SHOWN_ITEMS]]
    lines.append(t(lang, "sp_report_items", items=join_list(lang, items) or "-"))
    for s, tl in r.communities[:SHOWN]:
        lines.append(t(lang, "sp_report_community", community=escape(s.community),
                       county=escape(s.county), state=t(lang, f"sp_state_{s.state}"),
                       own=tl.agree_self, items=tl.items))  # fmt: skip
    lines.append(t(lang, "sp_report_meaning"))
    return Card("\n".join(lines), [[(t(lang, "sp_btn_export"), callbacks.encode("sp:x", r.year))]])


def notice_from(n: Notice) -> Card:
    """A spot-check notice (kind spot_*): the inspector assigned or told to decide again, the
    admins asked to confirm a withdrawal, the community's workers told of it."""
    f, lang = n.payload, n.lang
    text = t(lang, f"nt_{n.kind}", community=escape(str(f.get("community", ""))),
             county=escape(str(f.get("county", ""))), year=f.get("year", ""),
             reason=escape(str(f.get("reason") or "-")))  # fmt: skip
    opens = n.kind in ("spot_assigned", "spot_proposed", "spot_declined") and f.get("spot")
    button = [(t(lang, "rv_btn_look"), callbacks.encode("sp:o", int(f["spot"])))]
    return Card(text, [button] if opens else [])


# -- 公示 ----------------------------------------------------------------------------------------


def period_text(lang: str, p: Period) -> str:
    return t(lang, "pb_period", start=p.start.isoformat(), end=p.end.isoformat(), days=p.days)


def publicity_list(items: list[InPublicity], lang: str) -> Card:
    """/publicity: the checks in 公示 (or past it, waiting for 公布) with their periods."""
    if not items:
        return Card(t(lang, "pb_none"))
    lines, buttons = [t(lang, "pb_list_title", n=len(items))], []
    for i, x in enumerate(items[:SHOWN], 1):
        lines.append(t(lang, "pb_list_line", i=i, community=escape(x.community),
                       county=escape(x.county), period=period_text(lang, x.period),
                       open=x.period.open, stage=escape(x.stage)))  # fmt: skip
        buttons.append([(f"{i}. {x.community}", callbacks.encode("pb:v", x.aid))])
    return Card("\n".join(lines), buttons)


def objections(community: str, p: Period, found: list[Objection], clock: Clock, lang: str) -> Card:
    """A check's 公示 period and its objections; buttons to resolve the open ones."""
    lines = [t(lang, "pb_title", community=escape(community), period=period_text(lang, p))]
    buttons: Buttons = []
    for o in found:
        outcome = t(lang, f"pb_outcome_{o.outcome}") if o.outcome else t(lang, "pb_outcome_open")
        lines.append(t(lang, "pb_objection", id=o.id, at=clock.local(o.received_at).strftime(
            "%m-%d %H:%M"), source=escape(o.source), body=escape(o.body), outcome=outcome,
            reason=escape(o.reason or "")))  # fmt: skip
        if o.outcome is None:
            buttons.append([(t(lang, "pb_btn_uphold", id=o.id), callbacks.encode("pb:u", o.id)),
                            (t(lang, "pb_btn_dismiss", id=o.id), callbacks.encode("pb:x", o.id))])  # fmt: skip
    if not found:
        lines.append(t(lang, "pb_no_objections"))
    return Card("\n".join(lines), buttons)


def objection_saved(lang: str, o: Objection, community: str) -> str:
    return t(lang, "pb_objection_saved", id=o.id, community=escape(community))


def resolved(lang: str, o: Objection, community: str) -> str:
    return t(lang, f"pb_resolved_{o.outcome}", id=o.id, community=escape(community))


def actions_opened(lang: str, n: int, community: str) -> str:
    return plural(lang, n, "sp_actions_opened", community=escape(community))
