"""Occasion messages (issue 13, MKT-06) at a million partners: the daily job's selection of the
day's birthday recipients, and the yearly occasions calendar (its two grouped counts and the page).

    cp bench/data/base-sqlite-1000000/bench.sqlite3 /tmp/occ-bench.sqlite3   # never write to the original
    python bench/bench_occasions.py /tmp/occ-bench.sqlite3 --repeat 5
    psql -h 127.0.0.1 -p 40629 -U postgres -c "CREATE DATABASE occ_bench TEMPLATE bench1m"   # PostgreSQL: a copy too
    python bench/bench_occasions.py postgresql+psycopg://postgres@127.0.0.1:40629/occ_bench --repeat 5

The copy is migrated to the marketing module (its tables added; the partners kept) and an admin
user added. As an administrator: ``matching.recipients`` for a birthday rule on 16 Azar 1405 (the
SELECT on base's ``birthday_md`` index, scope and list filter applied), the same statement bare
(execute + fetchall on the raw connection); ``calendar.year`` for 1405 and its birthday GROUP BY
bare; and GET /marketing/occasions/calendar through Starlette's TestClient, logged in. Each timed
``--repeat`` times after a warm-up: median and slowest, in ms. The plans are SQLite's ``EXPLAIN QUERY
PLAN`` or PostgreSQL's ``EXPLAIN``.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

USER = "bench-occasions"
# The shared data sets: the script migrates and writes, so it refuses them (use a copy).
ORIGINALS = {"bench1m", "bench1m_finance", "bench_pay", "bench_customers", "mkt_compose"}
# Every person a Jalali month-day (days 1–29 of each month), a third of them a wedding day too.
RANDOM_DAYS = {
    "sqlite": "UPDATE base_partner SET birthday_md = (abs(random()) % 12 + 1) * 100 + abs(random()) % 29 + 1, "
              "marriage_md = CASE WHEN abs(random()) % 3 = 0 THEN (abs(random()) % 12 + 1) * 100 "
              "+ abs(random()) % 29 + 1 END WHERE kind = 'person'",
    "postgresql": "UPDATE base_partner SET birthday_md = floor(random() * 12 + 1)::int * 100 "
                  "+ floor(random() * 29 + 1)::int, marriage_md = CASE WHEN random() < 1.0 / 3 THEN "
                  "floor(random() * 12 + 1)::int * 100 + floor(random() * 29 + 1)::int END WHERE kind = 'person'",
}


def timed(fn: Callable[[], Any], repeat: int) -> tuple[float, float, Any]:
    fn()  # warm-up: statement and template caches
    times, got = [], None
    for _ in range(repeat):
        t0 = time.perf_counter()
        got = fn()
        times.append((time.perf_counter() - t0) * 1000)
    return statistics.median(times), max(times), got


def bare(kernel: Any, stmt: Any) -> Callable[[], list[Any]]:
    """The statement compiled once, run on the raw DB-API connection: the floor under the ORM."""
    compiled = stmt.compile(dialect=kernel.engine.dialect, compile_kwargs={"literal_binds": True})
    sql = str(compiled)

    def run() -> list[Any]:
        with kernel.engine.connect() as conn:
            cur = conn.connection.driver_connection.cursor()
            cur.execute(sql)
            return list(cur.fetchall())
    run.sql = sql  # type: ignore[attr-defined]
    return run


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("db", help="a COPY of bench/data/base-sqlite-1000000/bench.sqlite3, or the URL of a PostgreSQL "
                               "copy of the bench1m database")
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--covering", action="store_true",
                    help="first add (birthday_md, kind, deleted_at) and (marriage_md, …) indexes to the copy: "
                         "what base could add to make the calendar's counts index-only")
    args = ap.parse_args()
    if args.db.startswith("postgresql"):
        url = args.db
        if url.rsplit("/", 1)[-1].split("?")[0] in ORIGINALS:
            sys.exit("copy the database first (CREATE DATABASE … TEMPLATE bench1m): this script migrates and writes to it")
    else:
        if "bench/data" in str(Path(args.db).resolve()):
            sys.exit("copy the database first: this script migrates and writes to it")
        url = f"sqlite:///{Path(args.db).resolve()}"

    from sqlalchemy import func, select
    from starlette.testclient import TestClient

    from kernel import migrations
    from kernel.actor import SYSTEM
    from kernel.config import Config
    from kernel.kernel import Kernel
    from kernel.persian.jalali import jalali_to_date
    from kernel.testing import PASSWORD, create_user
    from kernel.web.app import build_app
    from modules.base.models import Partner
    from modules.marketing.models import OccasionRule
    from modules.marketing.occasions import calendar, matching

    k = Kernel(Config(home=Path(tempfile.mkdtemp()), database_url=url,
                      edition="tier1", extra_modules=("marketing",), secret_key="bench-" + uuid.uuid4().hex))
    migrations.upgrade(k)
    with k.sessions() as s:
        partners = s.scalar(select(func.count()).select_from(Partner))
        have_user = s.scalar(select(func.count()).select_from(Partner).where(Partner.birthday_md.is_not(None)))
    if not have_user:  # the shared data set has none: give each person a birthday, a third a wedding day
        with k.engine.begin() as conn:
            conn.exec_driver_sql(RANDOM_DAYS[k.engine.dialect.name])
        with k.engine.begin() as conn:
            conn.exec_driver_sql("ANALYZE base_partner")
        with k.sessions() as s:
            have_user = s.scalar(select(func.count()).select_from(Partner).where(Partner.birthday_md.is_not(None)))
    print(f"partners: {partners:,}, with a birthday: {have_user:,}")
    if args.covering:
        with k.engine.begin() as conn:
            for col in ("birthday_md", "marriage_md"):
                conn.exec_driver_sql(f"CREATE INDEX IF NOT EXISTS bench_{col}_covering "
                                     f"ON base_partner ({col}, kind, deleted_at)")
    try:
        create_user(k, USER, admin=True)
    except Exception:
        pass
    day = jalali_to_date(1405, 9, 16)
    rule = OccasionRule(name="bench", occasion="birthday")
    found = matching.Found(matching.LABELS["birthday"])

    def select_recipients() -> int:
        with k.sessions() as s:
            return len(list(matching.recipients(k, s, SYSTEM, rule, found, day)))

    med, worst, n = timed(select_recipients, args.repeat)
    print(f"birthday recipients of 16 Azar (matching.recipients): {n:,} persons, median {med:.1f} ms, slowest {worst:.1f}")
    with k.sessions() as s:
        stmt = matching.recipients_select(k, s, SYSTEM, rule, found, day)
    raw = bare(k, stmt)
    explain = "EXPLAIN QUERY PLAN " if k.engine.dialect.name == "sqlite" else "EXPLAIN "
    with k.engine.connect() as conn:
        plan = conn.exec_driver_sql(explain + raw.sql).all()  # type: ignore[attr-defined]
    print("  plan:", "; ".join(str(row[-1]).strip() for row in plan))
    med, worst, rows = timed(raw, args.repeat)
    print(f"  bare SQL: {len(rows):,} rows, median {med:.1f} ms, slowest {worst:.1f}\n  {raw.sql}")  # type: ignore[attr-defined]

    def year() -> int:
        with k.sessions() as s:
            return len(calendar.year(k, s, SYSTEM, 1405))

    med, worst, _ = timed(year, args.repeat)
    print(f"calendar.year(1405): median {med:.1f} ms, slowest {worst:.1f}")
    with k.sessions() as s:
        grouped = (k.scoped_select(SYSTEM, Partner).with_only_columns(Partner.birthday_md, func.count())
                   .where(Partner.kind == "person", Partner.birthday_md.is_not(None)).group_by(Partner.birthday_md))
    raw = bare(k, grouped)
    with k.engine.connect() as conn:
        plan = conn.exec_driver_sql(explain + raw.sql).all()  # type: ignore[attr-defined]
    print("  plan:", "; ".join(str(row[-1]).strip() for row in plan))
    med, worst, rows = timed(raw, args.repeat)
    print(f"  bare SQL of the birthday GROUP BY: {len(rows)} days, median {med:.1f} ms, slowest {worst:.1f}\n"
          f"  {raw.sql}")  # type: ignore[attr-defined]

    with TestClient(build_app(k), base_url="http://testserver") as client:
        import re

        page = client.get("/login")
        token = re.search(r'name="csrf" value="([^"]+)"', page.text)
        assert token is not None
        client.post("/login", data={"username": USER, "password": PASSWORD, "csrf": token.group(1)})

        def get() -> int:
            resp = client.get("/marketing/occasions/calendar", params={"year": "1405"})
            assert resp.status_code == 200, resp.status_code
            return len(resp.text)

        med, worst, size = timed(get, args.repeat)
    print(f"GET /marketing/occasions/calendar?year=1405: {size:,} bytes, median {med:.1f} ms, slowest {worst:.1f}")


if __name__ == "__main__":
    main()
