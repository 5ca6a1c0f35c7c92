"""The cheques' due-date calendar (issue 12): a Jalali month holding ``--month-cheques`` cheques
(8,500 by default) among ``--cheques`` spread over two years, read as the calendar page reads it
(``services.cheque_calendar.month``, the administrator's scope: its two statements), with and
without the covering index ``ix_finance_cheque_calendar`` — p50 over ``--runs`` after warm-ups,
the bare SQL of its grouped statement beside it, and the plans (``--explain``).

    python bench/bench_cheque_calendar.py                      # a SQLite file under bench/data
    python bench/bench_cheque_calendar.py --postgres postgresql+psycopg://postgres@127.0.0.1:5432/cheques

The data is generated once into the database given (an empty one of its own: the script fills it).
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import statistics
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
for extra in (ROOT, ROOT / "bench"):
    if str(extra) not in sys.path:
        sys.path.insert(0, str(extra))

import gen_tasks as gt  # noqa: E402
from sqlalchemy import text  # noqa: E402

YEAR, MONTH = 1405, 7
INDEX = "ix_finance_cheque_calendar"
STATES = ("received", "in_safe", "deposited", "cleared", "bounced", "endorsed")


def fill(kernel: Any, cheques: int, in_month: int, partners: int = 2000) -> None:
    from kernel.persian.jalali import jalali_month_range
    from modules.base.models import Partner

    start, end = jalali_month_range(YEAR, MONTH)
    with kernel.engine.connect() as conn:
        if conn.execute(text("SELECT count(*) FROM finance_cheque")).scalar():
            return
    with kernel.session() as s:  # the customers through the ORM: the kernel keeps their keys
        s.add_all([Partner(kind="company", name=f"مشتری {i}") for i in range(partners)])
    with kernel.engine.begin() as conn:
        now = dt.datetime(2026, 12, 1)
        pids = [r[0] for r in conn.execute(text("SELECT id FROM base_partner ORDER BY id"))]
        bank = conn.execute(text("SELECT id FROM finance_bank ORDER BY id LIMIT 1")).scalar()
        rnd = random.Random(12)
        days = (end - start).days
        rows = []
        for i in range(cheques):
            due = start + dt.timedelta(days=rnd.randrange(days)) if i < in_month \
                else start + dt.timedelta(days=rnd.randrange(-365, 365))
            if i >= in_month and start <= due < end:
                due -= dt.timedelta(days=days)
            rows.append({"p": rnd.choice(pids), "b": bank, "n": str(100000 + i), "a": rnd.randrange(1, 500) * 1_000_000,
                         "d": due, "r": due - dt.timedelta(days=60), "s": rnd.choice(STATES), "t": now,
                         "x": now if i % 50 == 0 else None})
        conn.execute(text("INSERT INTO finance_cheque (partner_id, bank_id, number, amount, due_date, received_on, "
                          "state, issuer, search_key, created_at, updated_at, deleted_at) VALUES "
                          "(:p, :b, :n, :a, :d, :r, :s, 'بنچ', :n, :t, :t, :x)"), rows)
    with kernel.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(text("VACUUM ANALYZE finance_cheque" if conn.dialect.name == "postgresql" else "ANALYZE"))


def measure(kernel: Any, runs: int, explain: bool) -> tuple[float, float, list[str]]:
    from kernel.actor import SYSTEM
    from modules.finance.services.cheque_calendar import month

    seen: list[str] = []
    today = dt.date(2026, 10, 1)
    times = []
    for i in range(runs + 3):
        with kernel.sessions() as s:
            t = time.perf_counter()
            m = month(kernel, s, SYSTEM, YEAR, MONTH, today)
            if i >= 3:
                times.append((time.perf_counter() - t) * 1000)
    assert m.count > 0
    from kernel.persian.jalali import jalali_month_range

    start, end = jalali_month_range(YEAR, MONTH)
    grouped = ("SELECT due_date, count(*), sum(amount), sum(CASE WHEN state IN ('received', 'in_safe', 'deposited') "
               "THEN amount ELSE 0 END) FROM finance_cheque WHERE due_date >= :s AND due_date < :e "
               "AND deleted_at IS NULL GROUP BY due_date")
    window = ("SELECT * FROM (SELECT id, due_date, amount, state, partner_id, row_number() OVER (PARTITION BY "
              "due_date ORDER BY id) AS place FROM finance_cheque WHERE due_date >= :s AND due_date < :e AND "
              "deleted_at IS NULL) q WHERE place <= 6 ORDER BY due_date, id LIMIT 1000")
    bare = []
    with kernel.engine.connect() as conn:
        for i in range(runs + 3):
            t = time.perf_counter()
            conn.execute(text(grouped), {"s": start, "e": end}).all()
            conn.execute(text(window), {"s": start, "e": end}).all()
            if i >= 3:
                bare.append((time.perf_counter() - t) * 1000)
        if explain:
            pg = conn.dialect.name == "postgresql"
            for sql in (grouped, window):
                plan = conn.execute(text(("EXPLAIN (ANALYZE, BUFFERS) " if pg else "EXPLAIN QUERY PLAN ") + sql),
                                    {"s": start, "e": end}).all()
                seen.append("\n".join(str(r[-1]) for r in plan))
    return statistics.median(times), statistics.median(bare), seen


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--postgres", default="")
    p.add_argument("--cheques", type=int, default=60_000)
    p.add_argument("--month-cheques", type=int, default=8_500)
    p.add_argument("--runs", type=int, default=15)
    p.add_argument("--explain", action="store_true")
    args = p.parse_args()
    url = args.postgres or f"sqlite:///{gt.gen.DATA / 'cheques-sqlite' / 'bench.sqlite3'}"
    home = gt.gen.DATA / ("cheques-home-postgres" if args.postgres else "cheques-sqlite")
    kernel = gt.open_kernel(url, home, True, "tier3")
    fill(kernel, args.cheques, args.month_cheques)
    ddl = kernel.metadata.tables["finance_cheque"].indexes
    index = next(ix for ix in ddl if ix.name == INDEX)
    for label in ("without", "with"):
        with kernel.engine.begin() as conn:
            if label == "without":
                conn.execute(text(f"DROP INDEX IF EXISTS {INDEX}"))
            else:
                index.create(conn, checkfirst=True)
        with kernel.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            # VACUUM too: an index-only scan on PostgreSQL needs the visibility map.
            conn.execute(text("VACUUM ANALYZE finance_cheque" if conn.dialect.name == "postgresql" else "ANALYZE"))
        page, bare, plans = measure(kernel, args.runs, args.explain)
        print(f"{kernel.engine.dialect.name} {label} {INDEX}: month() p50 {page:.1f} ms, bare SQL p50 {bare:.1f} ms")
        for plan in plans:
            print("   " + plan.replace("\n", "\n   "))


if __name__ == "__main__":
    main()
