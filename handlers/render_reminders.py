"""Reminder texts and views as Telegram HTML, from the data bot.services.reminders returns.

Every string comes from the catalogue (bot/texts/reminders.py) in the reader's language; data
(names, deadline titles) is escaped. Callback data is built by handlers/callbacks.py only.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from html import escape
from typing import Literal
from zoneinfo import ZoneInfo

from bot.domain import schedule
from bot.domain.access import Principal
from bot.domain.programs import Deadline, Program
from bot.domain.reports import CommunityRow
from bot.services import reminders as svc
from bot.services.reminders import (
    CountyDetails,
    CountySnapshot,
    Due,
    Failure,
    NoContact,
    Overview,
    People,
    Uncertain,
)
from bot.texts import join_list, plural, t
from bot.texts.layout import fit, fit_items, local_time, paginate, table, truncate
from handlers import callbacks
from handlers.cards import Buttons
from handlers.delivery import Report

OPEN_SHOWN = 12  # communities named in a reminder before the catalogue's rem_more
SHOWN = 30  # people named in an unreachable or failed list
NAMES = 8  # county names per line in /deadlines
REPORT_FAILED = 10  # failed sends named in a /remind report
RESEND_BUTTONS = 8  # one-tap resend buttons under an "uncertain" notice
NAME_WIDTH = 10  # columns of a community name in the details table


def days_text(lang: str, occurrence: dt.date, today: dt.date) -> str:
    n = schedule.days_left(occurrence, today)
    if n > 0:
        return plural(lang, n, "rem_left")
    if n == 0:
        return t(lang, "rem_today")
    return plural(lang, -n, "rem_late")


def joined(items: Sequence[str], shown: int, lang: str, sep: str | None = None) -> str:
    """Join the first `shown` items and add the catalogue's rem_more ("… (N more)")."""
    sep = t(lang, "name_sep") if sep is None else sep
    head = sep.join(items[:shown])
    rest = len(items) - shown
    return head + (sep + t(lang, "rem_more", n=rest) if rest > 0 else "")


# -- a reminder --------------------------------------------------------------------------------


def _head(d: Due, deadline: Deadline, today: dt.date) -> list[str]:
    lang = d.lang
    late = schedule.days_left(d.occurrence, today) < 0
    if d.kind == "worker":
        key = "rem_worker_late" if late else "rem_worker_title"
    else:
        key = "rem_late_title" if late else "rem_title"
    lines = [f"<b>{t(lang, key, title=escape(deadline.title))}</b>"]
    if deadline.form:
        lines.append(t(lang, "rem_form", form=escape(deadline.form)))
    left = days_text(lang, d.occurrence, today)
    date = d.occurrence.isoformat()
    lines.append(t(lang, "rem_due", recipient=escape(deadline.recipient), date=date, left=left))
    if deadline.inferred:  # the seed prints no such date: say so, with the reasoning
        lines.append(t(lang, "rem_inferred", reason=escape(deadline.inferred)))
    return lines


def reminder(d: Due, snaps: svc.Snapshots) -> tuple[str, Buttons]:
    """The reminder `d` as HTML text and buttons, with the live numbers of `snaps`."""
    lines = _head(d, snaps.deadlines[d.deadline], snaps.today)
    if d.kind == "worker":
        return _worker(d, snaps, lines)
    if d.kind in ("street", "community"):
        return _own_duty(d, snaps, lines)
    lang = d.lang
    buttons: Buttons = []
    for cid in d.counties:
        snap = snaps.county(cid)
        lines += ["", *county_block(snap, lang)]
        several = len(d.counties) > 1
        label = (
            t(lang, "btn_confirm_county", county=snap.name) if several else t(lang, "btn_confirm")
        )
        confirm = callbacks.encode("r", d.deadline, d.occurrence.strftime("%Y%m%d"), cid)
        buttons.append([(label, confirm), (t(lang, "btn_details"), callbacks.encode("rd", cid))])
    lines += ["", t(lang, "rem_confirm_hint")]
    return fit("\n".join(lines), lang), buttons


def _worker(d: Due, snaps: svc.Snapshots, lines: list[str]) -> tuple[str, Buttons]:
    lang = d.lang
    buttons: Buttons = []
    snaps.locate(set(d.communities))  # one query for all of them
    for cid in d.communities:
        c = snaps.community(cid)
        if c is None:  # removed from the roster since the reminder was worked out
            continue
        name = escape(c.community)
        if c.answered:
            line = t(
                lang,
                "rem_worker_line",
                community=name,
                answered=c.answered,
                total=c.total,
                gaps=c.gap_count,
            )
        else:
            line = t(lang, "rem_worker_new", community=name)
        lines += ["", line]
        label = t(lang, "btn_continue", community=c.community)
        buttons.append([(label, callbacks.encode("c", cid))])
    lines += ["", t(lang, "rem_worker_hint")]
    return fit("\n".join(lines), lang), buttons


def _own_duty(d: Due, snaps: svc.Snapshots, lines: list[str]) -> tuple[str, Buttons]:
    """A street's or a community's own duty ("各乡街…上报", "各社区…报送"): each of the
    recipient's streets or communities that has not confirmed it, with its ✅ button (it
    confirms for itself, not the county)."""
    lang = d.lang
    unit = "s" if d.kind == "street" else "c"
    ids = d.streets if d.kind == "street" else d.communities
    buttons: Buttons = []
    for uid, name in snaps.unit_names(d.kind, ids):
        lines += ["", t(lang, "rem_unit_todo", name=escape(name))]
        data = callbacks.encode("ru", unit, d.deadline, d.occurrence.strftime("%Y%m%d"), uid)
        buttons.append([(t(lang, "btn_confirm_county", county=name), data)])
    lines += ["", t(lang, f"rem_{d.kind}_hint")]
    return fit("\n".join(lines), lang), buttons


def county_block(s: CountySnapshot, lang: str) -> list[str]:
    """A county's numbers and its communities not yet submitted."""
    name = escape(s.name)
    if s.target_pct is not None:
        target = f"{s.target_pct:g}"
        title = t(lang, "rem_status_title", county=name, year=s.year, target=target)
    else:  # before the program's first target year: none, never a later year's
        title = t(lang, "rem_status_title_none", county=name, year=s.year)
    figures = t(
        lang,
        "rem_status",
        n=s.communities,
        started=s.started,
        submitted=s.submitted,
        passed=s.passed,
        pct=f"{s.completion_pct:g}",
    )
    out = [title, figures]
    if not s.communities:
        return out
    if not s.open:
        return [*out, t(lang, "rem_all_submitted")]
    names = [
        t(lang, "rem_open_new", name=escape(n))
        if gaps is None
        else plural(lang, gaps, "rem_open_gaps", name=escape(n))
        for n, gaps in s.open
    ]
    title = t(lang, "rem_open_title", n=len(s.open))
    return [*out, "", title, "  " + joined(names, OPEN_SHOWN, lang, " · ")]


# -- people, failures, reports -----------------------------------------------------------------


def describe(people: People, chat_ids: Sequence[int], lang: str) -> dict[int, str]:
    """Name recipients: "name (contact of county)" or a group's title (HTML-escaped)."""
    out = {}
    for i in chat_ids:
        if i < 0:
            title = escape(str(people.groups.get(i) or i))
            out[i] = t(lang, "unreachable_group", title=title)
            continue
        name = escape(str(people.names.get(i) or i))
        roles = [
            t(lang, "role_contact_short" if role == "contact" else "role_worker_short",
              county=escape(county), community=escape(community))
            for role, county, community in people.roles.get(i, [])
        ]  # fmt: skip
        sep = t(lang, "name_sep")
        out[i] = t(lang, "person_roles", name=name, roles=sep.join(roles)) if roles else name
    return out


def _listed(lines: Sequence[str], total: int, lang: str) -> str:
    """The lines shown, then rem_more ("… (N more)") for the rest of `total`."""
    shown = "\n".join(f"  {n}" for n in lines)
    if total > len(lines):
        shown += "\n  " + t(lang, "rem_more", n=total - len(lines))
    return shown


def unreachable_block(people: People, ids: Sequence[int], lang: str) -> str:
    """`people` must name at least the first SHOWN of `ids`."""
    unique = list(dict.fromkeys(ids))
    names = describe(people, unique[:SHOWN], lang)
    lines = [names[i] for i in unique[:SHOWN]]
    title, hint = t(lang, "unreachable_title"), t(lang, "unreachable_hint")
    return "\n".join([title, _listed(lines, len(unique), lang), hint])


def first_failures(failures: Sequence[Failure]) -> list[Failure]:
    """One failure per recipient, the first listed."""
    first: dict[int, Failure] = {}
    for f in failures:
        first.setdefault(f.recipient, f)
    return list(first.values())


def failed_block(people: People, failures: Sequence[Failure], lang: str) -> str:
    """List failures to admins, once per recipient; `people` names the first SHOWN."""
    unique = first_failures(failures)
    names = describe(people, [f.recipient for f in unique[:SHOWN]], lang)
    lines = [
        t(
            lang,
            "failed_line_retry" if f.retrying else "failed_line_final",
            who=names[f.recipient],
            error=escape(f.error),
            n=f.attempts,
        )
        for f in unique[:SHOWN]
    ]
    hint = t(lang, "failed_hint", max=schedule.MAX_ATTEMPTS)
    return "\n".join([t(lang, "failed_title"), _listed(lines, len(unique), lang), hint])


def uncertain_block(
    people: People, rows: Sequence[Uncertain], titles: dict[str, str], lang: str
) -> tuple[str, Buttons]:
    """The reminders that may not have been delivered, and a resend button for the first ones."""
    names = describe(people, [u.recipient for u in rows[:SHOWN]], lang)
    lines = [
        t(lang, "uncertain_line", who=names[u.recipient], n=i,
          title=escape(titles.get(u.deadline, u.deadline)), date=u.occurrence.isoformat(),
          error=escape(u.error))
        for i, u in enumerate(rows[:SHOWN], 1)
    ]  # fmt: skip
    text = "\n".join([t(lang, "uncertain_title"), _listed(lines, len(rows), lang)])
    text += "\n" + t(lang, "uncertain_hint")
    buttons = [
        [(t(lang, "btn_resend", n=i), callbacks.encode("rs", u.row))]
        for i, u in enumerate(rows[:RESEND_BUTTONS], 1)
    ]
    return text, buttons


def uncertain_people(rows: Sequence[Uncertain]) -> list[int]:
    return list(dict.fromkeys(u.recipient for u in rows[:SHOWN]))


def no_contact_block(
    gaps: Sequence[NoContact], names: dict[str, dict[int, str]], titles: dict[str, str], lang: str
) -> str:
    """Reminders due that reach no one: which deadline, and the counties without a contact
    (the streets without a reviewer, for a street's duty); `names` as `reminders.names`."""

    def places(g: NoContact) -> str:
        found = [names["counties"].get(c, str(c)) for c in g.counties]
        found += [names["streets"].get(c, str(c)) for c in g.streets]
        return joined([escape(n) for n in found], NAMES, lang)

    lines = [
        t(lang, "no_contact_line", title=escape(titles.get(g.deadline, g.deadline)),
          date=g.occurrence.isoformat(), counties=places(g))
        for g in gaps[:SHOWN]
    ]  # fmt: skip
    body = _listed(lines, len(gaps), lang)
    return "\n".join([t(lang, "no_contact_title"), body, t(lang, "no_contact_hint")])


def report_people(r: Report) -> list[int]:
    """The chats a /remind report names."""
    unique = list(dict.fromkeys(r.unreachable))
    return [c for c, _ in r.failed[:REPORT_FAILED]] + unique[:SHOWN]


def report_text(r: Report, people: People, lang: str) -> str:
    if not r.due:
        return t(lang, "remind_nothing")
    counts = {"due": r.due, "sent": r.sent, "skipped": r.skipped, "uncertain": len(r.uncertain)}
    n_bad = {"unreachable": len(r.unreachable), "failed": len(r.failed)}
    lines = [t(lang, "remind_report", **counts, **n_bad)]
    names = describe(people, [c for c, _ in r.failed[:REPORT_FAILED]], lang)
    for chat_id, error in r.failed[:REPORT_FAILED]:
        lines.append(t(lang, "remind_failed_line", who=names[chat_id], error=escape(error)))
    if r.failed:
        lines.append(t(lang, "failed_hint", max=schedule.MAX_ATTEMPTS))
    if r.unreachable:
        lines += ["", unreachable_block(people, r.unreachable, lang)]
    return "\n".join(lines)


# -- /deadlines --------------------------------------------------------------------------------


def overview_people(view: Overview) -> list[int]:
    """The chats /deadlines names to admins (the first SHOWN of each list)."""
    failing = [f.recipient for f in first_failures(view.failures)[:SHOWN]]
    unsure = uncertain_people(view.uncertain)
    return list(dict.fromkeys(view.unreachable))[:SHOWN] + failing + unsure


def deadlines_text(
    view: Overview, p: Principal, program: Program, today: dt.date, zone: ZoneInfo, people: People
) -> str:
    """The /deadlines message for an admin (every county) or a contact or worker (their own)."""
    lang = p.lang
    lines = [f"<b>{t(lang, 'deadlines_title', program=escape(program.title))}</b>"]
    if not view.entries:
        lines += ["", t(lang, "deadlines_none")]
    for i, e in enumerate(view.entries, 1):
        d = e.deadline
        lines += ["", f"{i}. <b>{escape(d.title)}</b>"]
        if d.form:
            lines.append(t(lang, "dl_form", form=escape(d.form)))
        left = days_text(lang, e.occurrence, today)
        recipient = escape(d.recipient)
        lines.append(t(lang, "dl_when", recipient=recipient, date=e.occurrence, left=left, id=d.id))
        if d.inferred:
            lines.append(t(lang, "dl_inferred", reason=escape(d.inferred)))
        lines += _progress(view, e, p, zone)
    if view.total > len(view.entries):
        lines.append(t(lang, "rem_more", n=view.total - len(view.entries)))
    if p.admin:
        lines += _admin_footer(view, lang, people)
    return fit("\n".join(lines), lang)


def _progress(view: Overview, e: svc.Entry, p: Principal, zone: ZoneInfo) -> list[str]:
    lang = p.lang
    if e.reported is not None:  # a community's own report
        return _reported_lines(view, e, p, zone)
    if e.confirmed is None:  # a self-check deadline
        if view.submitted is not None:
            k, n = view.submitted
            return [t(lang, "dl_submitted", k=k, n=n)]
        return [
            t(lang, "dl_community_done" if done else "dl_community_todo", community=escape(name))
            for name, done in view.mine or []
        ]
    conf = e.confirmed
    if p.admin:
        return _confirmed_lines(view.counties, conf, lang)
    names = dict(view.counties)
    out = []
    for cid in sorted(p.counties):
        name = escape(names.get(cid, "?"))
        if cid in conf:
            when = local_time(conf[cid], "%m-%d", tz=zone)
            out.append(t(lang, "dl_county_done", county=name, when=when))
        else:
            out.append(t(lang, "dl_county_todo", county=name))
    return out


def _reported_lines(view: Overview, e: svc.Entry, p: Principal, zone: ZoneInfo) -> list[str]:
    """Which streets or communities confirmed their own duty: each by name for its reviewer or
    worker, counted with the pending ones named for contacts and admins."""
    lang, owed, done = p.lang, e.owed_by(view.units), e.reported or {}
    if p.staff:
        return _confirmed_lines(owed, done, lang)
    return [
        t(lang, "dl_county_done", county=escape(name), when=local_time(done[cid], "%m-%d", tz=zone))
        if cid in done
        else t(lang, "dl_county_todo", county=escape(name))
        for cid, name in owed
    ]


def _confirmed_lines(counties: list[tuple[int, str]], conf: dict[int, str], lang: str) -> list[str]:
    done = [escape(n) for c, n in counties if c in conf]
    todo = [escape(n) for c, n in counties if c not in conf]
    if not done:
        return [t(lang, "dl_confirmed_none", n=len(counties))]
    names = joined(done, NAMES, lang)
    out = [t(lang, "dl_confirmed", k=len(done), n=len(counties), names=names)]
    if todo:
        out.append(t(lang, "dl_pending", names=joined(todo, NAMES, lang)))
    return out


def _admin_footer(view: Overview, lang: str, people: People) -> list[str]:
    out: list[str] = []
    if view.uncovered:
        names = joined([escape(n) for n in view.uncovered], NAMES, lang)
        out += ["", t(lang, "dl_no_contact", names=names)]
    if view.unreachable:
        out += ["", unreachable_block(people, view.unreachable, lang)]
    if view.failures:
        out += ["", failed_block(people, view.failures, lang)]
    if view.uncertain:
        titles = {e.deadline.id: e.deadline.title for e in view.entries}
        out += ["", uncertain_block(people, view.uncertain, titles, lang)[0]]
    return [*out, "", t(lang, "dl_admin_hint")]


def added_text(program: Program, d: Deadline, today: dt.date, lang: str) -> str:
    occ = schedule.next_occurrence(d, today)
    when = t(lang, "deadline_annual", md=d.annual, date=occ) if d.annual else occ.isoformat()
    pol = schedule.policy_for(program, d)
    days = sorted(set(pol.lead_days), reverse=True)
    return plural(
        lang,
        days[0] if len(days) == 1 else 0,  # "1 day before" only for a single lead of 1
        "deadline_added",
        id=d.id,
        title=escape(d.title),
        when=when,
        left=days_text(lang, occ, today),
        leads=join_list(lang, [str(x) for x in days]),
    )


# -- 📊 details --------------------------------------------------------------------------------


def _cells(r: CommunityRow, points: bool, lang: str, zone: ZoneInfo) -> list[str]:
    if r.state == "not_started":
        prog = t(lang, "rd_not_started")
    else:
        prog = f"{r.answered}/{r.total}" + ("✓" if r.state == "submitted" else "")
    mark = (f"{r.score:g}" if r.score is not None else "—") if points else str(r.met)
    when = local_time(r.last_activity, "%m-%d", tz=zone)
    return [truncate(r.community, NAME_WIDTH), prog, mark, str(r.gap_count), when]


def details(
    view: CountyDetails, page: int, points: bool, lang: str, zone: ZoneInfo
) -> tuple[str, Buttons]:
    """One page of a county's communities, with its pager."""
    rows = view.rows
    pg = paginate(rows, page)
    started = sum(1 for r in rows if r.started)
    passed = sum(1 for r in rows if r.passed)
    name = escape(truncate(view.name, 40))
    title = t(lang, "rd_title", county=name, n=len(rows), started=started, passed=passed)
    mark = "rd_col_score" if points else "rd_col_met"
    cols = ("rd_col_community", "rd_col_progress", mark, "rd_col_gaps", "rd_col_last")
    headers = [t(lang, k) for k in cols]
    body = [_cells(r, points, lang, zone) for r in pg.items]
    aligns: list[Literal["left", "right"]] = ["left", "right", "right", "right", "right"]

    def render(k: int) -> str:
        grid = table(headers, body[:k], aligns) if rows else t(lang, "rd_none")
        parts = [title, "", f"<pre>{escape(grid)}</pre>"]
        if k < len(body):
            parts.append(t(lang, "rem_more", n=len(body) - k))
        if pg.label(lang):
            parts.append(pg.label(lang))
        return "\n".join([*parts, t(lang, "rd_legend")])

    return fit_items(render, len(body)), _pager(view.county_id, pg.page, pg.pages, lang)


def _pager(county_id: int, page: int, pages: int, lang: str) -> Buttons:
    nav = []
    if page > 1:
        nav.append((t(lang, "rd_prev"), callbacks.encode("rd", county_id, page - 1)))
    if page < pages:
        nav.append((t(lang, "rd_next"), callbacks.encode("rd", county_id, page + 1)))
    more = [(t(lang, "rd_missing"), callbacks.encode("v:miss", county_id))]
    return [nav, more] if nav else [more]
