"""Status views as text: the county table, one county, the communities not started, one
community's check. For chat (Telegram HTML, within a length limit) and the CLI (plain, unlimited).

Pure functions of the rows bot/services/reports.py returns, the language and the time zone; every
word comes from the catalogue (bot/texts/reports.py), every width, cut and page from
bot/texts/layout.py. Data put into HTML is escaped here.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Sequence
from zoneinfo import ZoneInfo

from bot.domain.cycles import TargetInForce
from bot.domain.programs import Program
from bot.domain.reports import (
    DEFAULT_TZ,
    CommunityDetail,
    CommunityRow,
    CountyRow,
    MissingRow,
    Person,
)
from bot.texts.catalog import plural, t
from bot.texts.layout import (
    Align,
    fit_items,
    local_time,
    one_line,
    paginate,
    table,
    truncate,
    user_label,
)

PAGE_SIZE = 20
TEXT_LIMIT = 4000  # characters per chat text; Telegram allows 4096
NOTE_SHOWN = 40  # columns of a note shown in a gap line

NARROW = ("county", "communities", "started", "submitted", "passed", "completion")
WIDE: tuple[str, ...] = ("county", "communities", "livable", "green", "planned", "started")
WIDE += ("submitted", "passed", "participation", "completion")


def fmt_pct(v: float | None) -> str:
    return "—" if v is None else f"{v:.1f}%"


def fmt_num(v: float | None) -> str:
    return "" if v is None else f"{v:g}"


def _escaper(html_out: bool) -> Callable[[str], str]:
    return html.escape if html_out else (lambda s: s)


def _block(text: str, html_out: bool) -> str:
    return f"<pre>{html.escape(text)}</pre>" if html_out else text


def _more(lang: str, n: int, hint: str = "") -> str:
    return t(lang, "rp_more", n=n, hint=hint)


# -- the county table ----------------------------------------------------------------------------


def _county_cells(r: CountyRow, wide: bool, limit: int | None, lang: str) -> list[str]:
    name = t(lang, "rp_total") if r.is_total else r.county
    name = name if wide and limit is None else truncate(name, 40 if wide else 10)
    mid = [str(r.former_livable), str(r.former_green), str(r.planned)] if wide else []
    counts = [str(r.started), str(r.submitted), str(r.passed)]
    pcts = [fmt_pct(r.participation_pct)] if wide else []
    return [name, str(r.communities), *mid, *counts, *pcts, fmt_pct(r.completion_pct)]


def _status_foot(total: CountyRow, lang: str) -> str:
    return t(
        lang,
        "rp_status_foot",
        participation=fmt_pct(total.participation_pct),
        livable=total.former_livable,
        green=total.former_green,
        year=total.year,
        planned=total.planned,
    )


def _target_part(total: CountyRow, program: Program, lang: str) -> str:
    """The title's target: the one in force for the view's year with the year it was set for,
    or the plain statement that the year has none (a later year's figure is never borrowed)."""
    if total.target_pct is None:
        if not total.year:
            return ""
        first = program.first_target_year
        if first is not None and first > total.year:
            return t(lang, "rp_status_no_target_before", year=total.year, first=first)
        return t(lang, "rp_status_no_target", year=total.year)
    year, pct = total.target_year or total.year, f"{total.target_pct:g}"
    if total.target_by:
        return t(lang, "cy_status_target_set", year=year, pct=pct, by=total.target_by)
    own = program.target_for(year)
    key = "rp_status_target_inferred" if own and own.inferred else "rp_status_target"
    return t(lang, key, year=year, pct=pct)


def _status_title(total: CountyRow, program: Program, lang: str) -> str:
    target = _target_part(total, program, lang)
    taking_part = program.participation_target_for(total.year)
    if taking_part is not None:
        pct = f"{taking_part.pct:g}"
        target += t(lang, "rp_status_participation", year=taking_part.year, pct=pct)
    return t(lang, "rp_status_title", region=truncate(program.region, 40), target=target)


def target_text(
    lang: str, year: int, found: TargetInForce | None, program: Program, esc: Callable[[str], str]
) -> str:
    """`/target` and `greencheck target show`: the target in force for `year` and where it comes
    from, or that the year has none; then the participation target in force, if any."""
    if found is None:
        first = program.first_target_year
        lines = [
            t(lang, "cy_target_none_before", year=year, first=first)
            if first is not None and first > year
            else t(lang, "cy_target_none", year=year)
        ]
    else:
        how = (
            t(lang, "cy_target_by", by=esc(found.by)) if found.by else t(lang, "cy_target_program")
        )
        own = program.target_for(found.year)
        if found.by is None and own is not None and own.inferred:
            how += t(lang, "cy_target_inferred")
        pct = f"{found.pct:g}"
        lines = [t(lang, "cy_target_shown", year=year, pct=pct, source=found.year, how=how)]
    taking_part = program.participation_target_for(year)
    if taking_part is not None:
        pct = f"{taking_part.pct:g}"
        lines.append(t(lang, "cy_target_participation", pct=pct, source=taking_part.year))
    return "\n".join(lines)


def done_note(program: Program, awaiting: int, lang: str) -> str:
    """Which verdict 达标 counts in this program and from when; and how many wait for one."""
    chain = program.chain
    kind = chain.done_by
    stage = (
        chain.recognising if kind == "recognised" else chain.stages[-1] if chain.stages else None
    )
    note = t(lang, f"rp_done_{kind}", stage=stage.name if stage else "")
    if awaiting:
        note += t(lang, "list_sep") + t(lang, "rp_done_awaiting", n=awaiting)
    return note


def render_county_status(
    rows: Sequence[CountyRow],
    program: Program,
    page: int = 1,
    size: int = PAGE_SIZE,
    wide: bool = False,
    html_out: bool = True,
    limit: int | None = TEXT_LIMIT,
    lang: str = "zh",
) -> str:
    """The /status message: a title line and a padded table (one page of counties + total).

    `wide` adds the former 宜居/绿色, planned and participation columns (for a desktop or the
    CLI). Within `limit` characters (None: no limit), dropping the page's last rows if not.
    """
    counties = [r for r in rows if not r.is_total]
    total = rows[-1]  # county_status and county_status_as_of end with the total row
    pg = paginate(counties, page, size)
    esc = _escaper(html_out)
    title = esc(_status_title(total, program, lang))
    headers = [t(lang, f"rp_h_{h}") for h in (WIDE if wide else NARROW)]

    def render(k: int) -> str:
        body = [_county_cells(r, wide, limit, lang) for r in pg.items[:k]]
        if counties and pg.items:
            body.append(_county_cells(total, wide, limit, lang))
        text = table(headers, body) if counties else t(lang, "rp_no_counties")
        foot = (
            [_more(lang, len(pg.items) - k, t(lang, "rp_more_export"))] if k < len(pg.items) else []
        )
        foot += [pg.label(lang)] if pg.label(lang) else []
        note = done_note(program, total.awaiting, lang)
        if wide:  # the CLI: no foot line, the note on a line of its own
            foot += [esc(note)]
        else:  # which 达标 the table counts, in its note line
            foot += [esc(" · ".join([_status_foot(total, lang), note]))]
        return "\n".join([title, "", _block(text, html_out), *foot]).rstrip()

    return fit_items(render, len(pg.items), limit)


# -- one county ----------------------------------------------------------------------------------


def _community_cells(r: CommunityRow, points: bool, zone: ZoneInfo, lang: str) -> list[str]:
    if r.state == "not_started":
        prog = t(lang, "rp_state_not_started")
    else:
        prog = f"{r.answered}/{r.total}" + ("✓" if r.state == "submitted" else "")
    mark = (fmt_num(r.score) or "—") if points else str(r.met)
    last = local_time(r.last_activity, "%m-%d", tz=zone)
    return [truncate(r.community, 10), prog, mark, str(r.gap_count), last]


def _county_title(rows: Sequence[CommunityRow], county: str, lang: str) -> str:
    started = sum(1 for r in rows if r.started)
    passed = sum(1 for r in rows if r.passed)
    name = truncate(county, 40)
    return t(lang, "rp_county_title", county=name, n=len(rows), started=started, passed=passed)


def render_community_status(
    rows: Sequence[CommunityRow],
    county: str,
    page: int = 1,
    size: int = PAGE_SIZE,
    *,
    points: bool,
    html_out: bool = True,
    limit: int | None = TEXT_LIMIT,
    tz: ZoneInfo = DEFAULT_TZ,
    lang: str = "zh",
) -> str:
    """The /status <县区> message: one line per community of one page (within `limit`)."""
    pg = paginate(list(rows), page, size)
    title = _county_title(rows, county, lang)
    keys = ("community", "progress", "score" if points else "met", "gaps", "last")
    headers = [t(lang, f"rp_h_{k}") for k in keys]
    body = [_community_cells(r, points, tz, lang) for r in pg.items]
    aligns: list[Align] = ["left", "right", "right", "right", "right"]
    esc = _escaper(html_out)

    def render(k: int) -> str:
        text = table(headers, body[:k], aligns) if rows else t(lang, "rp_none")
        parts = [esc(title), "", _block(text, html_out)]
        parts += [_more(lang, len(body) - k)] if k < len(body) else []
        parts += [pg.label(lang)] if pg.label(lang) else []
        return "\n".join([*parts, t(lang, "rp_submitted_mark")])

    return fit_items(render, len(body), limit)


# -- not started ---------------------------------------------------------------------------------


def _missing_lines(rows: Sequence[MissingRow], lang: str) -> list[str]:
    lines: list[str] = []
    county = None
    for r in rows:
        if r.county != county:
            county = r.county
            lines.append(truncate(county, 40))
        street = f"{truncate(r.street, 30)} · " if r.street else ""
        opened = t(lang, "rp_opened") if r.opened else ""
        lines.append(f"  {street}{truncate(r.community, 40)}{opened}")
    return lines


def render_missing(
    rows: Sequence[MissingRow],
    page: int = 1,
    size: int = PAGE_SIZE,
    html_out: bool = True,
    limit: int | None = TEXT_LIMIT,
    lang: str = "zh",
) -> str:
    """The /missing message: communities not started, grouped by county (within `limit`)."""
    pg = paginate(list(rows), page, size)
    esc = _escaper(html_out)
    title = esc(t(lang, "rp_missing_title", n=len(rows)))

    def render(k: int) -> str:
        lines = _missing_lines(pg.items[:k], lang)
        text = "\n".join(lines) if lines else t(lang, "rp_all_started")
        parts = [title, "", esc(text)]
        parts += [_more(lang, len(pg.items) - k)] if k < len(pg.items) else []
        parts += [pg.label(lang)] if pg.label(lang) else []
        return "\n".join(parts)

    return fit_items(render, len(pg.items), limit)


# -- one community -------------------------------------------------------------------------------

Item = tuple[str, int]  # a line and how many items it stands for (0: a heading or a gap)


def _detail_head(d: CommunityDetail, zone: ZoneInfo, lang: str) -> list[str]:
    """The summary lines (plain text): place, standard, state and counts, evidence."""
    head = f"🌿 {truncate(d.community, 40)} · {truncate(d.county, 30)}"
    head += f" {truncate(d.street, 30)}" if d.street else ""
    lines = [head]
    if d.standard:
        lines.append(t(lang, "rp_standard", title=truncate(d.standard.title, 80)))
    state = t(lang, f"rp_state_{d.state}")
    if d.state == "submitted" and d.submitted_at:
        state = t(
            lang,
            "rp_submitted_on",
            state=state,
            date=local_time(d.submitted_at, "%Y-%m-%d", tz=zone),
        )
    r = d.result
    if r:
        state = t(
            lang,
            "rp_detail_counts",
            state=state,
            answered=r.answered,
            total=r.total,
            met=r.met,
            gaps=len(r.gaps),
        )
        if r.score is not None and r.max_score:
            state += t(lang, "rp_detail_score", score=f"{r.score:g}", max=f"{r.max_score:g}")
        state += t(lang, "rp_detail_passed") if r.passed else ""
    lines.append(state)
    last = t(lang, "rp_last", at=local_time(d.updated_at, tz=zone)) if d.updated_at else ""
    lines.append(plural(lang, d.evidence_total, "rp_evidence") + last)
    return lines


def _gap_items(d: CommunityDetail, limit: int, lang: str) -> list[Item]:
    if d.state == "not_started":  # not 42 "[未作答]" lines: one that says it has not started
        total = d.result.total if d.result else len(d.gaps)
        return [("", 0), (t(lang, "rp_not_started_yet", n=total), 1)]
    if not d.gaps:
        return []
    items: list[Item] = [("", 0), (t(lang, "rp_gaps_head", n=len(d.gaps)), 0)]
    for g in d.gaps[:limit]:
        note = t(lang, "rp_gap_note", note=one_line(g.note, NOTE_SHOWN)) if g.note else ""
        why = t(lang, f"rp_gap_{g.reason}")
        text = truncate(one_line(g.text, 80), 40)
        items.append((t(lang, "rp_gap_line", id=g.id, why=why, text=text, note=note), 1))
    if len(d.gaps) > limit:
        n = len(d.gaps) - limit
        items.append((t(lang, "rp_more_items", n=n), n))
    return items


def _contributor_items(d: CommunityDetail, limit: int, zone: ZoneInfo, lang: str) -> list[Item]:
    if not d.contributors:
        return []
    items: list[Item] = [("", 0), (t(lang, "rp_contributors"), 0)]
    for person, n, last in d.contributors[:limit]:
        who = truncate(one_line(_label(person, lang), 60), 20)
        items.append((plural(lang, n, "rp_contributor", who=who, at=local_time(last, tz=zone)), 1))
    if len(d.contributors) > limit:
        n = len(d.contributors) - limit
        items.append((t(lang, "rp_more_people", n=n), n))
    return items


def _label(p: Person, lang: str) -> str:
    return user_label(p.name, p.username, p.id, lang) or "?"


def _history_items(d: CommunityDetail, limit: int, zone: ZoneInfo, lang: str) -> list[Item]:
    if not d.history:
        return []
    items: list[Item] = [("", 0), (t(lang, "rp_history"), 0)]
    for h in d.history[:limit]:
        what = t(lang, f"rp_status_{h.status}") if h.status else t(lang, "rp_note")
        who = truncate(one_line(_label(h.user, lang), 60), 20)
        at = local_time(h.at, tz=zone)
        items.append((t(lang, "rp_history_line", at=at, who=who, qid=h.question_id, what=what), 1))
    return items


def render_community_detail(
    d: CommunityDetail,
    gap_limit: int = 15,
    history_limit: int = 10,
    html_out: bool = True,
    limit: int | None = TEXT_LIMIT,
    tz: ZoneInfo = DEFAULT_TZ,
    contributor_limit: int = 10,
    lang: str = "zh",
) -> str:
    """The /community message: the check's summary, gaps, evidence and recent answers.

    At most `gap_limit` gaps (notes cut to NOTE_SHOWN columns), `contributor_limit` people and
    `history_limit` records; then, if still over `limit` characters, the last lines give way to
    one saying how many items are left out. Times in `tz`.
    """
    esc = _escaper(html_out)
    lines = [esc(s) for s in _detail_head(d, tz, lang)]
    items = _gap_items(d, gap_limit, lang)
    items += _contributor_items(d, contributor_limit, tz, lang)
    items += _history_items(d, history_limit, tz, lang)
    items = [(esc(text), n) for text, n in items]

    def render(k: int) -> str:
        kept = items[:k]
        left = sum(w for _, w in items[k:])
        while kept and kept[-1][1] == 0:  # no heading without lines under it
            kept.pop()
        out = lines + [text for text, _ in kept]
        out += [esc(t(lang, "rp_detail_more", n=left))] if left else []
        return "\n".join(out)

    return fit_items(render, len(items), limit)
