"""Fill a database with N partners and M communications for ``bench/bench_base.py``.

    python bench/gen_partners.py                                  # 1,000,000 / 3,000,000 on SQLite
    python bench/gen_partners.py --partners 300000 --communications 900000
    python bench/gen_partners.py --postgres postgresql+psycopg://postgres@127.0.0.1:5432/bench
    python bench/gen_partners.py --rebuild                        # start again from an empty database

SQLite goes to ``bench/data/base-sqlite-<N>/bench.sqlite3``. Persons and companies (70/30) with
Persian names built from lists, provinces weighted by population and cities by size, phones with
their province's area code, national IDs with valid check digits and economic codes (both unique),
club card numbers for 20 %, one or two roles each, extra contact rows for 30 %, personnel for
companies; communications over the last two years, a fifth of the partners getting most of them,
each with its partner's province. Rows go in with bulk inserts (SQLite) or COPY (PostgreSQL) in
batches, never through ORM objects; ``search_key``, ``sort_key`` and ``contact_numbers`` are computed with the
kernel's own functions, so the rows are what the application would have written.

Resumable: each batch commits with its progress (``bench.base_gen`` setting) and every batch is
generated from its own seed, so an interrupted run continues where it stopped with the same data.
By default the search indexes (SQLite FTS5 triggers/tables, PostgreSQL trigram GIN) and the other
secondary indexes of the loaded tables are dropped during the load and rebuilt once at the end
(``--keep-indexes`` keeps them, to compare).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import shutil
import sys
import time
from collections.abc import Iterable
from pathlib import Path
from types import SimpleNamespace
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "bench" / "data"
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from sqlalchemy import Table, event, func, insert, select, text, update  # noqa: E402

PASSWORD = "bench-password-1234"
USER = "bench-admin"
VERSION = 1  # bump when the generated data changes
PROGRESS = "bench.base_gen"
LOADED = ("base_partner", "base_partner_role", "base_contact", "base_employment", "base_communication")

# -- name material ----------------------------------------------------------------------------
ROOTS = ("حسن", "قلی", "رحیم", "کریم", "اکبر", "جعفر", "نظر", "ملک", "امیر", "شاه", "علی", "محمد", "حسین",
         "رضا", "تقی", "نقی", "باقر", "صادق", "یوسف", "عباس", "خسرو", "بهرام", "فرهاد", "قاسم", "اسد", "نور")
SUFFIXES = (("زاده", True), ("پور", True), ("نیا", True), ("فر", True), ("وند", False), ("لو", False),
            ("یان", False), ("خانی", False), ("آبادی", False))
COMPANY_TYPES = (("فروشگاه", "commercial", "فروشگاه زنجیره‌ای", 14), ("بازرگانی", "commercial", "واردات و صادرات", 12),
                 ("شرکت پخش", "commercial", "پخش مواد غذایی", 8), ("صنایع غذایی", "industrial", "مواد غذایی", 6),
                 ("تولیدی", "industrial", "پارچه و پوشاک", 6), ("هتل", "services", "هتل و رستوران", 2),
                 ("رستوران", "services", "هتل و رستوران", 6), ("داروخانه", "services", "درمانی", 4),
                 ("تعاونی مصرف", "commercial", "فروشگاه زنجیره‌ای", 3), ("گروه صنعتی", "industrial", "صنعتی", 3),
                 ("کارخانه", "industrial", "صنعتی", 3), ("حمل و نقل", "services", "حمل و نقل", 4),
                 ("شرکت ساختمانی", "construction", "خدماتی", 5), ("عمده‌فروشی", "commercial", "عمده‌فروشی", 6),
                 ("فرش", "industrial", "فرش ماشینی", 3), ("صنایع بسته‌بندی", "industrial", "بسته‌بندی", 2),
                 ("لبنیات", "industrial", "لبنیات", 3), ("کشت و صنعت", "agricultural", "کشاورزی", 2),
                 ("مؤسسه", "services", "خدماتی", 4), ("کلینیک", "services", "درمانی", 2),
                 ("فروشگاه اینترنتی", "commercial", "فروش اینترنتی", 2))
CORES = ("آرمان", "پارس", "سپهر", "نیک‌اندیش", "آریا", "البرز", "دماوند", "زاگرس", "کوثر", "سپیدار", "مهرگان",
         "آوا", "رایان", "نوین", "امید", "ستاره", "پویا", "ماهان", "آفتاب", "بهار", "کیان", "سامان", "تابان",
         "نگین", "ارغوان", "صدف", "مروارید", "آسمان", "پرشین", "آتی", "فردا", "نیکان", "بهین", "سرو", "چنار",
         "گلستان", "شقایق", "یاس", "ایرانیان", "خلیج‌فارس", "کاسپین", "هامون", "کارون", "سهند", "سبلان",
         "دنا", "الوند", "پاسارگاد", "تخت جمشید", "آناهیتا", "میترا", "سیمرغ", "هما", "شهاب", "اطلس", "پیشگام")
TAILS = ("", "", "", "گستر", "تجارت", "سازان", "پخش", "نو", "پارسیان", "ایرانیان", "پویا", "نوین", "آسیا",
         "شرق", "غرب", "جنوب", "شمال", "برتر", "سپاهان", "طلایی")
COMM_KINDS_WEIGHT = {"call": 55, "email": 12, "sms": 10, "meeting": 8, "visit": 7, "letter": 5, "fax": 3}
PERSON_ROLES = (("customer", 60), ("lead", 25), ("opportunity", 8), ("agent", 4), ("supplier", 3))
COMPANY_ROLES = (("customer", 45), ("lead", 18), ("supplier", 15), ("opportunity", 10), ("agent", 5),
                 ("competitor", 4), ("partner", 3))
GRADES = (("A", 10), ("B", 30), ("C", 35), ("D", 10), (None, 15))


def wchoice(rnd: random.Random, pairs: Iterable[tuple[Any, int]]) -> Any:
    items = list(pairs)
    return rnd.choices([p[0] for p in items], [p[1] for p in items])[0]


def permute(i: int, mult: int, add: int, mod: int) -> int:
    """A bijection on [0, mod): different partners never share an ID, card or economic code."""
    return (i * mult + add) % mod


# -- the database ---------------------------------------------------------------------------
def make_config(url: str, home: Path) -> Any:
    from kernel.config import Config

    return Config(home=home, database_url=url, secret_key="bench-secret-not-for-production")


def open_kernel(url: str, home: Path) -> Any:
    from kernel import migrations
    from kernel.kernel import Kernel

    home.mkdir(parents=True, exist_ok=True)
    kernel = Kernel(make_config(url, home))
    try:
        prog = progress_of(kernel)
    except Exception:  # a new database: no tables yet
        prog = {}
    # An interrupted fast load has its search indexes dropped: an upgrade would rebuild them
    # over the half-loaded tables only to have them dropped again.
    if not (prog and not prog.get("complete") and not prog.get("keep_indexes")):
        migrations.upgrade(kernel)
    return kernel


def ensure_reference(kernel: Any) -> int:
    """The bench admin, provinces, cities, countries, roles and groups; returns the admin's id."""
    from kernel import security
    from kernel.models import User
    from modules.base import demo

    with kernel.session() as s:
        user = s.scalars(select(User).where(User.username == USER)).first()
        if user is None:
            user = security.create_user(kernel, s, USER, PASSWORD, full_name="مدیر سنجش", is_admin=True, lang="fa")
        demo.load_provinces(kernel, s)
        demo.load_reference(kernel, s)
        return int(user.id)


def sqlite_fast(kernel: Any) -> None:
    """Bulk-load settings for this process's connections (the file stays a normal WAL database)."""
    kernel.engine.dispose()

    @event.listens_for(kernel.engine, "connect")
    def _pragmas(dbapi_conn: Any, _rec: Any) -> None:
        cur = dbapi_conn.cursor()
        for pragma in ("cache_size=-4000000", "temp_store=MEMORY", "synchronous=OFF", "mmap_size=8000000000"):
            cur.execute(f"PRAGMA {pragma}")
        cur.close()


def progress_of(kernel: Any) -> dict[str, Any]:
    with kernel.session() as s:
        value = kernel.setting(s, PROGRESS, None)
    return dict(value) if isinstance(value, dict) else {}


def tables(kernel: Any) -> dict[str, Table]:
    return {name: kernel.metadata.tables[name] for name in LOADED}


def drop_indexes(kernel: Any) -> None:
    """Search indexes and secondary B-trees of the loaded tables; rebuilt by :func:`build_indexes`."""
    from kernel.search_index import FTS, TRGM

    with kernel.engine.begin() as conn:
        for name, table in tables(kernel).items():
            if conn.dialect.name == "sqlite":
                for trig in ("ai", "ad", "au"):
                    conn.execute(text(f"DROP TRIGGER IF EXISTS {name}{FTS}_{trig}"))
                conn.execute(text(f"DROP TABLE IF EXISTS {name}{FTS}"))
            else:
                conn.execute(text(f"DROP INDEX IF EXISTS {name}{TRGM}"))
            for index in table.indexes:
                index.drop(conn, checkfirst=True)


def build_indexes(kernel: Any) -> float:
    from kernel import search_index

    t0 = time.perf_counter()
    with kernel.engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            conn.execute(text("SET maintenance_work_mem = '1GB'"))  # what a bulk load would set
        for name, table in tables(kernel).items():
            t1 = time.perf_counter()
            for index in table.indexes:
                where = index.dialect_options[conn.dialect.name].get("where")
                if isinstance(where, str):  # a partial index declared as text: SQLite's DDL wants an expression
                    index.dialect_options[conn.dialect.name]["where"] = text(where)
                index.create(conn, checkfirst=True)
            print(f"  {len(table.indexes)} indexes of {name}: {time.perf_counter() - t1:.1f} s", file=sys.stderr,
                  flush=True)
    t1 = time.perf_counter()
    with kernel.engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            conn.execute(text("SET maintenance_work_mem = '1GB'"))
        made = search_index.ensure(kernel, conn)
    print(f"  search indexes {', '.join(made) or '(all present)'}: {time.perf_counter() - t1:.1f} s",
          file=sys.stderr, flush=True)
    return time.perf_counter() - t0


def write_rows(conn: Any, table: Table, rows: list[dict[str, Any]]) -> None:
    if not rows:
        return
    if conn.dialect.name == "postgresql":
        cols = list(rows[0])
        names = ", ".join(f'"{c}"' for c in cols)  # quoted: a column may be a reserved word (``on``)
        raw = conn.connection.driver_connection
        with raw.cursor() as cur, cur.copy(f"COPY {table.name} ({names}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row([row[c] for c in cols])
    else:
        conn.execute(insert(table), rows)


# -- partners -------------------------------------------------------------------------------
class World:
    """Reference ids and the lists everything is drawn from."""

    def __init__(self, kernel: Any, admin: int, epoch: str) -> None:
        from kernel.persian.search_keys import SEARCH_ATTR
        from modules.base import demo
        from modules.base.models import City, Communication, Country, Partner, Province
        from modules.base.models.partner import PartnerGroup

        self.admin = admin
        with kernel.sessions() as s:
            provinces = {p.name: p for p in s.scalars(select(Province))}
            cities = {(c.province_id, c.name): c.id for c in s.scalars(select(City))}
            self.groups = {g.name: g.id for g in s.scalars(select(PartnerGroup))}
            self.iran = s.scalar(select(Country.id).where(Country.code == "IR"))
        self.province_names = list(demo.POPULATION)
        self.province_weights = list(demo.POPULATION.values())
        self.province = {n: provinces[n].id for n in self.province_names}
        self.area = {n: provinces[n].area_code or "21" for n in self.province_names}
        # Cities: the capital has most of the province's partners, the others share the rest.
        self.cities: dict[str, tuple[list[int], list[float]]] = {}
        for entry in demo.cities():
            pid = self.province[entry["province"]]
            ids = [cities[(pid, c)] for c in entry["cities"]]
            weights = [6.0] + [1.0 / (1 + k * 0.3) for k in range(len(ids) - 1)]
            self.cities[entry["province"]] = (ids, weights)
        self.partner_fields = getattr(Partner, SEARCH_ATTR)
        self.comm_fields = getattr(Communication, SEARCH_ATTR)
        self.epoch = dt.datetime.fromisoformat(epoch)  # "now" of the first run: a resumed run agrees


def last_name(rnd: random.Random) -> str:
    from modules.base.demo import LAST

    if rnd.random() < 0.8:
        return rnd.choice(LAST)
    suffix, zwnj = rnd.choice(SUFFIXES)
    return rnd.choice(ROOTS) + ("\u200c" if zwnj else "") + suffix


def company_name(rnd: random.Random, city: str) -> tuple[str, str, str]:
    kind, industry, group, _w = rnd.choices(COMPANY_TYPES, [t[3] for t in COMPANY_TYPES])[0]
    core = rnd.choice(CORES)
    tail = rnd.choice(TAILS)
    name = f"{kind} {core}" + (f" {tail}" if tail else "")
    if rnd.random() < 0.25:
        name += f" {city}"
    return name, industry, group


def contact_numbers(values: list[str]) -> str:
    """What ``modules.base.models.partner.refresh_contact_numbers`` stores for these values."""
    parts: list[str] = []
    for value in values:
        parts.append(value)
        if value.startswith("+98"):
            parts.append("0" + value[3:])
    return " ".join(parts)


def partner_batch(world: World, start: int, count: int, base_ids: dict[str, int], seed: int,
                  total: int) -> dict[str, list[dict[str, Any]]]:
    """Partners ``start … start+count-1`` (0-based) with their roles, contacts and personnel."""
    from kernel.persian.collation import sort_key
    from kernel.persian.search_keys import compute
    from modules.base import demo
    from modules.base.demo import FEMALE, MALE, POSITIONS, jalali_birthday, landline, mobile

    rnd = random.Random(seed * 1_000_003 + start)
    city_names = {pid: name for entry in demo.cities() for name, pid in
                  zip(entry["cities"], world.cities[entry["province"]][0], strict=True)}
    partners: list[dict[str, Any]] = []
    roles: list[dict[str, Any]] = []
    contacts: list[dict[str, Any]] = []
    jobs: list[dict[str, Any]] = []
    persons_here: list[tuple[int, str]] = []
    companies_here: list[int] = []
    span = dt.timedelta(days=5 * 365)
    for i in range(start, start + count):
        pid = base_ids["base_partner"] + i + 1
        province = rnd.choices(world.province_names, world.province_weights)[0]
        ids, weights = world.cities[province]
        city = rnd.choices(ids, weights)[0]
        area = world.area[province]
        created = world.epoch - span + span * (i / max(total, 1)) + dt.timedelta(seconds=rnd.randrange(3600))
        row: dict[str, Any] = dict.fromkeys(
            ("title", "first_name", "last_name", "gender", "birthday", "national_id", "company_type", "industry",
             "economic_code", "registration_no", "website", "mobile", "phone", "fax", "email", "grade",
             "card_number", "group_id", "sms_group", "region_id"))
        row.update(id=pid, province_id=world.province[province], city_id=city, country_id=world.iran,
                   owner_id=world.admin, created_at=created, updated_at=created, deleted_at=None,
                   created_by_id=None, updated_by_id=None, marriage_date=None, marital_status=None,
                   religion=None, job=None, source=None, interests=None, psychology=None, notes=None,
                   supplier_importance=None, supplier_score=None)
        company = rnd.random() < 0.3
        if company:
            name, industry, group = company_name(rnd, city_names[city])
            row.update(kind="company", name=name, industry=industry, group_id=world.groups.get(group),
                       company_type=wchoice(rnd, (("private", 85), ("cooperative", 6), ("semi_public", 4),
                                                  ("governmental", 5))),
                       economic_code=f"4{permute(i, 7_368_787, 1_234_567, 10**11):011d}",
                       registration_no=str(rnd.randrange(1000, 700_000)),
                       phone=landline(rnd, area) if rnd.random() < 0.95 else None,
                       fax=landline(rnd, area) if rnd.random() < 0.4 else None,
                       mobile=mobile(rnd) if rnd.random() < 0.5 else None)
            kinds = [wchoice(rnd, COMPANY_ROLES)]
            if "supplier" in kinds:
                row.update(supplier_importance=rnd.choice(("strategic", "important", "normal")),
                           supplier_score=rnd.randrange(40, 100))
            companies_here.append(pid)
        else:
            female = rnd.random() < 0.4
            first, last = rnd.choice(FEMALE if female else MALE), last_name(rnd)
            prefixes = demo.NATIONAL_ID_PREFIXES.get(province)
            head3 = rnd.choice(prefixes) if prefixes else f"{100 + (i * 37) % 600:03d}"
            nine = head3 + f"{permute(i, 387_403, 271_828, 10**6):06d}"
            row.update(kind="person", name=f"{first} {last}", first_name=first, last_name=last,
                       gender="female" if female else "male",
                       title=rnd.choice((None, None, None, "mr" if not female else "mrs", "dr", "eng")),
                       national_id=nine + str(demo.national_id_check_digit(nine)) if rnd.random() < 0.9 else None,
                       birthday=jalali_birthday(rnd) if rnd.random() < 0.6 else None,
                       mobile=mobile(rnd) if rnd.random() < 0.92 else None,
                       phone=landline(rnd, area) if rnd.random() < 0.3 else None)
            kinds = [wchoice(rnd, PERSON_ROLES)]
            persons_here.append((pid, province))
        if rnd.random() < 0.2:
            row["card_number"] = f"70{permute(i, 48_271, 97_531, 10**8):08d}"
            row["group_id"] = world.groups.get("اعضای باشگاه مشتریان") if not company else row["group_id"]
        row["grade"] = wchoice(rnd, GRADES)
        if rnd.random() < 0.15:
            extra = wchoice(rnd, COMPANY_ROLES if company else PERSON_ROLES)
            if extra not in kinds:
                kinds.append(extra)
        roles += [{"partner_id": pid, "role": k} for k in kinds]
        extras: list[str] = []
        if rnd.random() < 0.3:
            for _ in range(rnd.randint(1, 2)):
                kind = rnd.choice(("phone", "fax", "email", "mobile") if company else ("mobile", "mobile", "phone", "email"))
                if kind == "email":
                    value = f"{rnd.choice(('info', 'sales', 'office', 'mail'))}{rnd.randrange(10, 9999)}@example.ir"
                elif kind == "mobile":
                    value = mobile(rnd)
                else:
                    value = landline(rnd, area)
                extras.append(value)
                contacts.append({"partner_id": pid, "kind": kind, "value": value, "label": None,
                                 "owner_id": world.admin, "created_at": created, "updated_at": created,
                                 "deleted_at": None, "created_by_id": None, "updated_by_id": None})
        row["contact_numbers"] = contact_numbers(extras)
        row["search_key"] = compute(SimpleNamespace(**row), world.partner_fields)
        row["sort_key"] = sort_key(row["name"])
        partners.append(row)
    # Personnel: each company takes up to three persons of its batch; the second is the liaison.
    free = persons_here[:]
    rnd.shuffle(free)
    for cid in companies_here:
        for k in range(rnd.choice((0, 1, 2, 2, 3))):
            if not free:
                break
            person, _prov = free.pop()
            position, department = POSITIONS[0] if k == 0 else rnd.choice(POSITIONS[1:])
            jobs.append({"person_id": person, "company_id": cid, "position": position, "department": department,
                         "is_liaison": k == 1, "started_on": jalali_birthday(rnd, 1390, 1404), "ended_on": None,
                         "owner_id": world.admin, "created_at": world.epoch, "updated_at": world.epoch,
                         "deleted_at": None, "created_by_id": None, "updated_by_id": None})
    return {"base_partner": partners, "base_partner_role": roles, "base_contact": contacts, "base_employment": jobs}


def fill_partners(kernel: Any, world: World, prog: dict[str, Any], batch: int) -> None:
    total = prog["partners"]
    t0 = time.perf_counter()
    ids = prog["base_ids"]
    while prog["partners_done"] < total:
        start = prog["partners_done"]
        count = min(batch, total - start)
        rows = partner_batch(world, start, count, ids, prog["seed"], total)
        # Contact and personnel ids continue from the last batch's (kept in the progress row).
        for name in ("base_contact", "base_employment"):
            for k, row in enumerate(rows[name]):
                row["id"] = ids[name] + prog["next"][name] + k + 1
            prog["next"][name] += len(rows[name])
        with kernel.engine.begin() as conn:
            for name in ("base_partner", "base_partner_role", "base_contact", "base_employment"):
                write_rows(conn, kernel.metadata.tables[name], rows[name])
            prog["partners_done"] = start + count
            save_progress(conn, prog)
        done = prog["partners_done"]
        rate = (done - prog.get("partners_resumed_at", 0)) / max(time.perf_counter() - t0, 1e-9)
        print(f"\r  partners {done:,}/{total:,}  ({rate:,.0f}/s)", end="", file=sys.stderr, flush=True)
    print(file=sys.stderr)


def save_progress(conn: Any, prog: dict[str, Any]) -> None:
    from kernel.models import Setting

    value = json.dumps(prog, ensure_ascii=False)
    if conn.execute(select(Setting.key).where(Setting.key == PROGRESS)).first():
        conn.execute(update(Setting).where(Setting.key == PROGRESS).values(value=value))
    else:
        conn.execute(insert(Setting).values(key=PROGRESS, value=value))


# -- communications -------------------------------------------------------------------------
class Partners:
    """What a communication needs of its partner: province, kind, personnel (read from the database)."""

    def __init__(self, kernel: Any) -> None:
        from modules.base.models import Employment, Partner, PartnerRole

        t0 = time.perf_counter()
        with kernel.engine.connect() as conn:
            rows = conn.execute(select(Partner.id, Partner.province_id, Partner.kind, Partner.name)
                                .order_by(Partner.id)).all()
            self.ids = [r[0] for r in rows]
            self.province = {r[0]: r[1] for r in rows}
            self.company = {r[0] for r in rows if r[2] == "company"}
            self.role: dict[int, str] = {}
            for pid, role in conn.execute(select(PartnerRole.partner_id, PartnerRole.role)):
                self.role.setdefault(pid, role)
            names = {r[0]: r[3] for r in rows if r[2] == "company"}
            self.staff: dict[int, list[tuple[int, int, str]]] = {}
            for eid, person, cid, position, department in conn.execute(
                    select(Employment.id, Employment.person_id, Employment.company_id, Employment.position,
                           Employment.department).where(Employment.ended_on.is_(None))):
                where = " — ".join(p for p in (position, department, names.get(cid)) if p)
                self.staff.setdefault(cid, []).append((eid, person, where))
        # A fifth of the partners (every fifth id, scrambled) gets 70 % of the communications, and
        # the first hundred of those (key accounts) another 3 % between them: ~900 each at 3 M.
        self.hot = [pid for pid in self.ids if (pid * 2_654_435_761) % 5 == 0]
        self.key_accounts = self.hot[:100]
        print(f"  read {len(self.ids):,} partners for communications in {time.perf_counter() - t0:.1f} s",
              file=sys.stderr)


def comm_batch(world: World, partners: Partners, start: int, count: int, base_id: int, seed: int,
               total: int, cache: dict[tuple[str, str], str]) -> list[dict[str, Any]]:
    """Communications ``start … start+count-1``, in time order over the last two years."""
    from kernel.persian.search_keys import compute
    from kernel.timezone import to_utc
    from modules.base.demo import TOPIC_OF_ROLE, TOPICS

    rnd = random.Random(seed * 7_000_003 + start)
    first_day = (world.epoch - dt.timedelta(days=730)).date()
    rows: list[dict[str, Any]] = []
    for i in range(start, start + count):
        draw = rnd.random()
        pid = rnd.choice(partners.key_accounts if draw < 0.03 else partners.hot if draw < 0.73 else partners.ids)
        company = pid in partners.company
        topic = TOPIC_OF_ROLE.get(partners.role.get(pid, "customer"), "customer")
        if not company and rnd.random() < 0.6:
            topic = "person"
        kind, direction, subject, results = rnd.choice(TOPICS[topic])
        if rnd.random() < 0.3:  # the same subject logged as a different kind now and then
            kind = wchoice(rnd, COMM_KINDS_WEIGHT.items())
        day = first_day + dt.timedelta(days=int(730 * i / max(total, 1)))
        if day.weekday() == 4:  # Friday
            day -= dt.timedelta(days=1)
        local = dt.datetime.combine(day, dt.time(rnd.randint(8, 17), rnd.randrange(60)))
        started = min(to_utc(local), world.epoch)
        minutes = {"call": (1, 20), "meeting": (30, 120), "visit": (30, 180)}.get(kind)
        result = rnd.choice(results) if rnd.random() < 0.85 else None
        row = {"id": base_id + i + 1, "kind": kind, "direction": direction, "subject": subject, "result": result,
               "started_at": started, "ended_at": started + dt.timedelta(minutes=rnd.randint(*minutes)) if minutes else None,
               "partner_id": pid, "contact_id": None, "employment_id": None, "contact_position": None,
               "follow_up_no": f"F-{rnd.randrange(10**5, 10**6)}" if rnd.random() < 0.1 else None,
               "follow_up_on": day + dt.timedelta(days=rnd.randint(1, 30)) if rnd.random() < 0.2 else None,
               "link_resource": None, "link_id": None, "province_id": partners.province[pid],
               "owner_id": world.admin, "created_at": started + dt.timedelta(minutes=rnd.randint(0, 600)),
               "deleted_at": None, "created_by_id": world.admin, "updated_by_id": world.admin}
        row["updated_at"] = row["created_at"]
        staff = partners.staff.get(pid) if company else None
        if staff and rnd.random() < 0.5:
            row["employment_id"], row["contact_id"], row["contact_position"] = rnd.choice(staff)
        if row["follow_up_no"] is None:
            key = (subject, result or "")
            if key not in cache:  # subjects and results repeat: compute each pair once
                cache[key] = compute(SimpleNamespace(**row), world.comm_fields)
            row["search_key"] = cache[key]
        else:
            row["search_key"] = compute(SimpleNamespace(**row), world.comm_fields)
        rows.append(row)
    return rows


def fill_communications(kernel: Any, world: World, prog: dict[str, Any], batch: int) -> None:
    from modules.base.models import Communication

    total = prog["communications"]
    if prog["comms_done"] >= total:
        return
    partners = Partners(kernel)
    cache: dict[tuple[str, str], str] = {}
    t0, resumed = time.perf_counter(), prog["comms_done"]
    while prog["comms_done"] < total:
        start = prog["comms_done"]
        count = min(batch, total - start)
        rows = comm_batch(world, partners, start, count, prog["base_ids"]["base_communication"], prog["seed"],
                          total, cache)
        with kernel.engine.begin() as conn:
            write_rows(conn, Communication.__table__, rows)  # type: ignore[arg-type]
            prog["comms_done"] = start + count
            save_progress(conn, prog)
        done = prog["comms_done"]
        rate = (done - resumed) / max(time.perf_counter() - t0, 1e-9)
        print(f"\r  communications {done:,}/{total:,}  ({rate:,.0f}/s)", end="", file=sys.stderr, flush=True)
    print(file=sys.stderr)


# -- the run --------------------------------------------------------------------------------
def where(args: argparse.Namespace) -> tuple[str, Path]:
    if args.postgres:
        return args.postgres, DATA / "base-home-postgres"
    home = DATA / f"base-sqlite-{args.partners}"
    return f"sqlite:///{home / 'bench.sqlite3'}", home


def rebuild(args: argparse.Namespace, url: str, home: Path) -> None:
    if not args.postgres:
        shutil.rmtree(home, ignore_errors=True)
        return
    from kernel.db import make_engine

    engine = make_engine(url)
    with engine.begin() as conn:
        have = set(conn.execute(text("SELECT tablename FROM pg_tables WHERE schemaname = current_schema()")).scalars())
        doomed = [t for t in LOADED if t in have]
        if doomed:
            conn.execute(text(f"TRUNCATE {', '.join(doomed)} RESTART IDENTITY CASCADE"))
        if "kernel_setting" in have:
            conn.execute(text("DELETE FROM kernel_setting WHERE key = :k"), {"k": PROGRESS})
    engine.dispose()


def max_ids(kernel: Any) -> dict[str, int]:
    with kernel.engine.connect() as conn:
        return {name: int(conn.scalar(select(func.coalesce(func.max(t.c.id), 0))) or 0)
                for name, t in tables(kernel).items() if "id" in t.c}


def finish(kernel: Any, keep_indexes: bool) -> dict[str, float]:
    times: dict[str, float] = {}
    if not keep_indexes:
        times["indexes"] = build_indexes(kernel)
    t0 = time.perf_counter()
    if kernel.engine.dialect.name == "postgresql":
        with kernel.engine.begin() as conn:
            for name, table in tables(kernel).items():
                if "id" in table.c:  # explicit ids were written: move the sequences past them
                    conn.execute(text(f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), "
                                      f"(SELECT coalesce(max(id), 1) FROM {name}))"))
        with kernel.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.exec_driver_sql("VACUUM ANALYZE")
    else:
        with kernel.engine.begin() as conn:
            conn.exec_driver_sql("ANALYZE")
        with kernel.engine.connect() as conn:
            conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    times["analyze"] = time.perf_counter() - t0
    return times


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--partners", type=int, default=1_000_000, help="partners (default 1,000,000)")
    ap.add_argument("--communications", type=int, default=3_000_000, help="communications (default 3,000,000)")
    ap.add_argument("--postgres", metavar="URL", help="fill this PostgreSQL database instead of SQLite")
    ap.add_argument("--rebuild", action="store_true", help="throw away what was generated and start again")
    ap.add_argument("--batch", type=int, default=10_000, help="rows per transaction (default 10,000)")
    ap.add_argument("--seed", type=int, default=1405)
    ap.add_argument("--keep-indexes", action="store_true",
                    help="keep search and secondary indexes during the load (slower; to compare)")
    args = ap.parse_args(argv)

    url, home = where(args)
    if args.rebuild:
        rebuild(args, url, home)
    t_start = time.perf_counter()
    kernel = open_kernel(url, home)
    admin = ensure_reference(kernel)
    prog = progress_of(kernel)
    wanted = {"version": VERSION, "partners": args.partners, "communications": args.communications, "seed": args.seed}
    if prog and any(prog.get(k) != v for k, v in wanted.items()):
        print(f"{url} holds another generation ({ {k: prog.get(k) for k in wanted} }); use --rebuild",
              file=sys.stderr)
        return 2
    if prog.get("complete"):
        print(f"already generated: {args.partners:,} partners, {args.communications:,} communications in {url}",
              file=sys.stderr)
        return 0
    if not prog:
        prog = {**wanted, "partners_done": 0, "comms_done": 0, "base_ids": max_ids(kernel),
                "next": {"base_contact": 0, "base_employment": 0}, "keep_indexes": args.keep_indexes,
                "epoch": dt.datetime.now(dt.UTC).replace(tzinfo=None, microsecond=0).isoformat()}
        with kernel.engine.begin() as conn:
            save_progress(conn, prog)
    else:
        print(f"resuming at {prog['partners_done']:,} partners, {prog['comms_done']:,} communications",
              file=sys.stderr)
        prog["partners_resumed_at"] = prog["partners_done"]
        prog.setdefault("epoch", dt.datetime.now(dt.UTC).replace(tzinfo=None, microsecond=0).isoformat())
    keep = bool(prog.get("keep_indexes"))
    if kernel.engine.dialect.name == "sqlite":
        sqlite_fast(kernel)
    if not keep:
        drop_indexes(kernel)
    world = World(kernel, admin, prog["epoch"])
    t0 = time.perf_counter()
    fill_partners(kernel, world, prog, args.batch)
    t_partners = time.perf_counter() - t0
    t0 = time.perf_counter()
    fill_communications(kernel, world, prog, args.batch)
    t_comms = time.perf_counter() - t0
    times = finish(kernel, keep)
    prog["complete"] = True
    with kernel.engine.begin() as conn:
        save_progress(conn, prog)
    kernel.engine.dispose()
    size = ""
    if not args.postgres:
        size = f", file {sum(f.stat().st_size for f in home.glob('bench.sqlite3*')) / 2**30:.1f} GiB"
    print(f"generated {args.partners:,} partners and {args.communications:,} communications in "
          f"{time.perf_counter() - t_start:.0f} s (partners {t_partners:.0f} s, communications {t_comms:.0f} s, "
          f"indexes {times.get('indexes', 0):.0f} s, analyze {times['analyze']:.0f} s){size}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

