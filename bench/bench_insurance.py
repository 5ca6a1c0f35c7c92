"""The insurance agency's daily scan (issue 16, INS-01) over 1,040,000 policies: ≤ 10 s.

    python bench/bench_insurance.py                                   # SQLite in bench/data/insurance/
    python bench/bench_insurance.py --postgres postgresql+psycopg://postgres@127.0.0.1:40629/bench_insurance

The first run generates the data once (kept; ``--rebuild`` starts again): 260,000 insured persons
(birthdays and, for half of them, wedding dates spread over the year), 8 agents, and four yearly
policies per person — three renewed ones and the live one, whose end falls uniformly over the
next 365 days (260,000 active policies, about 710 ending on any day). Then "yesterday's" scan is
run once for real, as a server that has been running does, so the timed scan does a normal day's
work: the set-based SQL over all 1,000,000 policies (expire, the renewal window's INSERT … SELECT
… ON CONFLICT, the birthdays' and anniversaries' INSERT … SELECT on base's indexed month-day),
then an alarm and a renewal SMS for each policy that reached the window today, and an alarm per
birthday and anniversary. Each timed run is rolled back, so every run does the same work.

Prints each part's time (p50 and worst of ``--runs``), the rows it acted on, and beside the set-
based parts the bare SQL of the same selection on a raw DB-API connection.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from sqlalchemy import event, insert, select, text  # noqa: E402

PROGRESS = "bench.insurance_gen"
PERSONS = 260_000
PER_PERSON = 4
AGENTS = 8
BATCH = 20_000
TARGET = 10.0
FIRST = ("مریم", "علی", "زهرا", "حسین", "فاطمه", "رضا", "سارا", "مهدی", "نرگس", "امیر", "لیلا", "محمد")
LAST = ("کریمی", "رضایی", "احمدی", "محمدی", "حسینی", "موسوی", "جعفری", "صادقی", "رحیمی", "کاظمی")


def open_kernel(url: str, home: Path) -> Any:
    from kernel import migrations
    from kernel.config import Config
    from kernel.kernel import Kernel

    home.mkdir(parents=True, exist_ok=True)
    kernel = Kernel(Config(home=home, database_url=url, edition="insurance",
                           secret_key="bench-secret-not-for-production"))
    migrations.upgrade(kernel)
    if kernel.engine.dialect.name == "sqlite":
        @event.listens_for(kernel.engine, "connect")
        def _pragmas(dbapi_conn: Any, _rec: Any) -> None:
            cur = dbapi_conn.cursor()
            for pragma in ("cache_size=-2000000", "temp_store=MEMORY", "mmap_size=8000000000"):
                cur.execute(f"PRAGMA {pragma}")
            cur.close()
        kernel.engine.dispose()
    return kernel


def generate(kernel: Any, today: dt.date) -> None:
    from kernel import security
    from kernel.models import User
    from kernel.persian.jalali import to_jalali
    from modules.base.models import Partner
    from modules.insurance.models import Insurer, Policy, PolicyType

    rnd = random.Random(16)
    t0 = time.perf_counter()
    with kernel.session() as s:
        kernel.set_setting(s, "kernel.extra_seats", AGENTS + 5)
    with kernel.session() as s:
        agents = []
        for i in range(AGENTS):
            name = f"bench-agent-{i:02d}"
            user = s.scalars(select(User).where(User.username == name)).first() or security.create_user(
                kernel, s, name, "bench-password-1405", full_name=f"نماینده {i + 1}", lang="fa")
            agents.append(int(user.id))
        types = []
        for i, n in enumerate(("بدنه", "شخص ثالث", "عمر", "آتش‌سوزی", "درمان")):
            row = PolicyType(name=n, sequence=i)
            s.add(row)
            s.flush()
            types.append(row.id)
        insurers = []
        for n in ("بیمهٔ ایران", "بیمهٔ آسیا", "بیمهٔ دانا", "بیمهٔ البرز"):
            row = Insurer(name=n)
            s.add(row)
            s.flush()
            insurers.append(row.id)
    now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    pid = 0
    for start in range(0, PERSONS, BATCH):
        people, policies = [], []
        with kernel.engine.begin() as conn:
            first_id = int(conn.scalar(select(text("coalesce(max(id), 0)")).select_from(Partner.__table__))) + 1
            for k in range(BATCH):
                i = start + k
                born = dt.date(1960, 1, 1) + dt.timedelta(days=rnd.randrange(40 * 365))
                wed = born + dt.timedelta(days=rnd.randrange(20 * 365, 30 * 365)) if i % 2 else None
                jb, jw = to_jalali(born), (to_jalali(wed) if wed else None)
                first, last = FIRST[i % len(FIRST)], LAST[(i // 7) % len(LAST)]
                people.append({"id": first_id + k, "kind": "person", "first_name": first, "last_name": last,
                               "name": f"{first} {last}", "mobile": f"+98912{i:07d}", "birthday": born,
                               "birthday_md": jb.month * 100 + jb.day, "marriage_date": wed,
                               "marriage_md": jw.month * 100 + jw.day if jw else None,
                               "created_at": now, "updated_at": now, "search_key": f"{first} {last}"})
                end = today + dt.timedelta(days=rnd.randrange(365))
                agent = agents[i % AGENTS]
                previous = None
                for year in range(PER_PERSON - 1, -1, -1):
                    pid += 1
                    ends = end - dt.timedelta(days=365 * year)
                    policies.append({"id": pid, "number": f"B-{pid:08d}", "type_id": types[i % 5],
                                     "insurer_id": insurers[i % 4], "insured_id": first_id + k,
                                     "starts_on": ends - dt.timedelta(days=365), "ends_on": ends,
                                     "premium": 5_000_000 + 100_000 * (i % 300),
                                     "state": "renewed" if year else "active", "renews_id": previous,
                                     "owner_id": agent, "created_by_id": agent, "created_at": now, "updated_at": now,
                                     "search_key": f"b-{pid:08d}"})
                    previous = pid
            conn.execute(insert(Partner.__table__), people)
            conn.execute(insert(Policy.__table__), policies)
        print(f"  {start + BATCH:,} persons, {pid:,} policies ({time.perf_counter() - t0:.0f} s)", flush=True)
    if kernel.engine.dialect.name == "postgresql":
        with kernel.engine.begin() as conn:
            for name in ("base_partner", "insurance_policy"):
                conn.execute(text(f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), (SELECT max(id) FROM {name}))"))
            conn.execute(text("ANALYZE base_partner"))
            conn.execute(text("ANALYZE insurance_policy"))
    else:
        with kernel.engine.begin() as conn:
            conn.execute(text("ANALYZE"))


def yesterday_scan(kernel: Any, now: dt.datetime) -> None:
    from modules.insurance.services.scan import run_scan

    t0 = time.perf_counter()
    with kernel.session() as s:
        done = run_scan(s, kernel, now - dt.timedelta(days=1))
        kernel.set_setting(s, PROGRESS, {"complete": True, "day": (now - dt.timedelta(days=1)).isoformat()})
    print(f"  yesterday's scan (the first one: the whole 15-day window): {done} in {time.perf_counter() - t0:.1f} s")


def p(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def bare(kernel: Any, sql: str, params: dict[str, Any], repeat: int = 3) -> tuple[float, int]:
    """The same selection on a raw DB-API connection: best of ``repeat``, and its row count."""
    best, rows = 1e9, 0
    raw = kernel.engine.raw_connection()
    try:
        for _ in range(repeat):
            cur = raw.cursor()
            if kernel.engine.dialect.name == "sqlite":
                stmt, args = sql.replace("%(", ":").replace(")s", ""), params
            else:
                stmt, args = sql, params
            t0 = time.perf_counter()
            cur.execute(stmt, args)
            rows = len(cur.fetchall())
            best = min(best, time.perf_counter() - t0)
            cur.close()
        raw.rollback()
    finally:
        raw.close()
    return best, rows


def measure(kernel: Any, now: dt.datetime, runs: int, first: bool = False) -> None:
    from kernel.persian.jalali import to_jalali
    from kernel.timezone import local_today
    from modules.insurance.services import scan
    from modules.insurance.services.settings import alarm_days

    today = local_today(kernel.config.timezone, now)
    parts: dict[str, list[float]] = {"expire": [], "renewal window": [], "birthdays and anniversaries": [],
                                     "whole scan": []}
    counts: dict[str, int] = {}
    for _ in range(runs):
        with kernel.sessions() as s:
            if first:  # as the first scan after installing: no notice given yet (rolled back below)
                s.execute(text("DELETE FROM insurance_notice"))
            t0 = time.perf_counter()
            counts["expire"] = scan.expire(s, today, now)
            t1 = time.perf_counter()
            counts["renewal window"] = len(scan.renewals(kernel, s, today, now))
            t2 = time.perf_counter()
            counts["birthdays and anniversaries"] = len(scan.occasions(kernel, s, today, now))
            s.flush()
            t3 = time.perf_counter()
            s.rollback()
        parts["expire"].append(t1 - t0)
        parts["renewal window"].append(t2 - t1)
        parts["birthdays and anniversaries"].append(t3 - t2)
        parts["whole scan"].append(t3 - t0)
    with kernel.sessions() as s:
        days = alarm_days(kernel, s)
    j = to_jalali(today)
    window = {"today": today, "horizon": today + dt.timedelta(days=days)}
    bare_sql = {
        "expire": ("SELECT id FROM insurance_policy WHERE state = 'active' AND deleted_at IS NULL "
                   "AND ends_on < %(today)s", {"today": today}),
        "renewal window": ("SELECT p.id FROM insurance_policy p WHERE p.state = 'active' AND p.deleted_at IS NULL "
                           "AND p.ends_on >= %(today)s AND p.ends_on <= %(horizon)s AND NOT EXISTS (SELECT 1 FROM "
                           "insurance_notice n WHERE n.kind = 'renewal' AND n.subject_id = p.id "
                           "AND n.on_date = p.ends_on)", window),
        "birthdays and anniversaries": (
            "SELECT b.id FROM base_partner b WHERE b.birthday_md = %(md)s AND b.kind = 'person' AND b.deleted_at "
            "IS NULL AND EXISTS (SELECT 1 FROM insurance_policy p WHERE p.insured_id = b.id AND p.state = 'active' "
            "AND p.deleted_at IS NULL) UNION ALL SELECT b.id FROM base_partner b WHERE b.marriage_md = %(md)s "
            "AND b.kind = 'person' AND b.deleted_at IS NULL AND EXISTS (SELECT 1 FROM insurance_policy p WHERE "
            "p.insured_id = b.id AND p.state = 'active' AND p.deleted_at IS NULL)", {"md": j.month * 100 + j.day}),
    }
    engine = "PostgreSQL" if kernel.engine.dialect.name == "postgresql" else "SQLite"
    with kernel.sessions() as s:
        total = s.scalar(text("SELECT count(*) FROM insurance_policy"))
    what = "First scan (the whole window)" if first else "Daily expiring-policies scan"
    print(f"{what} — {total:,} policies, {engine}, alarm days {days}, {runs} runs (s)")
    print(f"{'part':30} {'p50':>7} {'worst':>7} {'rows':>7} {'bare SQL':>9} {'bare rows':>9}")
    for name, times in parts.items():
        b = bare(kernel, *bare_sql[name]) if name in bare_sql else None
        flag = "  MISSED" if name == "whole scan" and max(times) > TARGET else ""
        rows = counts.get(name, sum(counts.values()))
        print(f"{name:30} {p(times, 0.5):7.3f} {max(times):7.3f} {rows:7d} "
              f"{(f'{b[0]:9.3f} {b[1]:9d}') if b else '':>19}{flag}")
    for name, (sql, _params) in bare_sql.items():
        print(f"  bare SQL, {name}: {sql}")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--postgres", metavar="URL")
    ap.add_argument("--home", default=str(ROOT / "bench" / "data" / "insurance"))
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--rebuild", action="store_true")
    ap.add_argument("--first", action="store_true", help="time the first scan: the whole window, no notice yet")
    args = ap.parse_args(argv)
    home = Path(args.home) / ("pg" if args.postgres else "sqlite")
    if args.rebuild and not args.postgres and (home / "bench.sqlite3").exists():
        (home / "bench.sqlite3").unlink()
    url = args.postgres or f"sqlite:///{home / 'bench.sqlite3'}"
    kernel = open_kernel(url, home)
    from kernel.timezone import local_today

    now = dt.datetime.now(dt.UTC).replace(tzinfo=None).replace(hour=5, minute=0, second=0, microsecond=0)
    with kernel.sessions() as s:
        prog = kernel.setting(s, PROGRESS, {})
    if not prog.get("complete"):
        print("Generating (once) …", flush=True)
        generate(kernel, local_today(kernel.config.timezone, now))
        yesterday_scan(kernel, now)
    measure(kernel, now, args.runs, args.first)
    kernel.engine.dispose()
    return 0


if __name__ == "__main__":
    sys.exit(main())
