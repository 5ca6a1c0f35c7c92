"""Customers list benchmark (issue 12, FIN-12): ``/finance/customers`` — the customers by open
balance or payment-behaviour score, 50 a page — at its first, middle and last page, sorted by
balance (the default), by score, and within one band; the goal is p95 ≤ 60 ms at any page.

    python bench/bench_customers.py --customers 200000                 # SQLite, made here
    python bench/bench_customers.py --postgres postgresql+psycopg://postgres@127.0.0.1:5432/bench_customers
    python bench/bench_customers.py --explain                          # and the plans

Makes its own database when it has none: a fresh schema at head, ``--customers`` partners and as
many kept rows (``finance_customer_standing``) with random balances and histories whose score and
band come from :func:`modules.finance.score.score` — what the list reads; the documents behind
them are not made (the list never reads them for a user who sees every customer's invoices; the
kept rows' exactness is the tests' business). Measured through Starlette's TestClient logged in
as an administrator: p50/p95 of the server's time per request (``bench_finance.Served``: the
application's whole work, not the test client's) over ``--requests`` after three warm-ups, the
process's CPU time per request (p50: what a loaded machine does not inflate), the statements, and the *bare SQL*: the read statements with
the same parameters replayed on a raw DB-API connection (``bench_base.bare_sql``). The middle and
last pages are reached by the cursor of the row before them (found with OFFSET, untimed), as a
user who walked there would.
"""

from __future__ import annotations

import argparse
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

import bench_base as bb  # noqa: E402
import gen_partners as gen  # noqa: E402
from sqlalchemy import func, select, text  # noqa: E402

TARGET = 60.0
PAGE = 50
BATCH = 5000


def open_kernel(url: str, home: Path) -> Any:
    import gen_tasks as gt

    return gt.open_kernel(url, home, edition="tier3")


def fill(kernel: Any, customers: int, seed: int = 12) -> None:
    """Partners and their kept rows, in batches of one Core INSERT each (skipped when present)."""
    from modules.base.models import Partner
    from modules.finance.models import CustomerStanding
    from modules.finance.score import Counts, band, kept_score

    with kernel.sessions() as s:
        have = s.scalar(select(func.count()).select_from(CustomerStanding)) or 0
    if have >= customers:
        return
    admin = gen.ensure_reference(kernel)
    rnd = random.Random(seed)
    partners: Any = Partner.__table__
    kept: Any = CustomerStanding.__table__
    t0 = time.perf_counter()
    with kernel.engine.begin() as conn:
        start = int(conn.execute(select(func.coalesce(func.max(partners.c.id), 0))).scalar_one())
    for first in range(0, customers - have, BATCH):
        prows, srows = [], []
        for i in range(first, min(first + BATCH, customers - have)):
            pid = start + i + 1
            prows.append({"id": pid, "kind": "company", "name": f"شرکت سنجش {pid}", "sort_key": f"{pid:09d}",
                          "owner_id": admin})
            history = rnd.random() < 0.6  # four customers in ten never had a plan
            c = Counts(on_time=rnd.randrange(0, 30), late=rnd.randrange(0, 6), late_days=rnd.randrange(0, 200),
                       overdue=rnd.randrange(0, 3), bounced=int(rnd.random() < 0.15),
                       legal=int(rnd.random() < 0.03)) if history else Counts()
            value = kept_score(c)
            balance = 0 if rnd.random() < 0.35 else rnd.randrange(1, 5_000) * 1_000_000
            srows.append({"partner_id": pid, "balance": balance, "invoices": rnd.randrange(1, 12),
                          "on_time": c.on_time, "late": c.late, "late_days": c.late_days, "overdue": c.overdue,
                          "bounced": c.bounced, "legal": c.legal, "returned": c.returned, "score": value,
                          "band": band(value)})
        with kernel.engine.begin() as conn:
            conn.execute(partners.insert(), prows)
            conn.execute(kept.insert(), srows)
    with kernel.engine.begin() as conn:
        conn.execute(text("ANALYZE"))
    print(f"filled {customers - have:,} customers in {time.perf_counter() - t0:.0f} s", file=sys.stderr)


def cursors(kernel: Any, sort: str, band: str) -> dict[str, str]:
    """The cursor of the first, middle and last page (the row before each), by OFFSET, untimed."""
    from modules.finance.models import CustomerStanding as t

    col = getattr(t, sort)
    base = select(col, t.partner_id).order_by(col.desc(), t.partner_id.desc())
    if band:
        base = base.where(t.band == band)
    with kernel.sessions() as s:
        n = s.scalar(select(func.count()).select_from(base.subquery())) or 0
        out = {"first": ""}
        for name, at in (("middle", n // 2), ("last", max(n - PAGE, 1))):
            row = s.execute(base.offset(at - 1).limit(1)).first()
            out[name] = f"{int(row[0])}_{int(row[1])}" if row else ""
    return out


def measure(kernel: Any, requests: int, show_plans: bool) -> list[dict[str, Any]]:
    from bench_finance import Served
    from starlette.testclient import TestClient

    from kernel.web.app import build_app

    served = Served(build_app(kernel))
    with TestClient(served, base_url="http://testserver") as client:
        bb.login(client)
        return _rows(kernel, client, served, requests, show_plans)


def _rows(kernel: Any, client: Any, served: Any, requests: int, show_plans: bool) -> list[dict[str, Any]]:
    out = []
    for sort, band in (("balance", ""), ("score", ""), ("balance", "bad")):
        for where, after in cursors(kernel, sort, band).items():
            params = {"sort": sort, "band": band, "after": after}
            for _ in range(3):
                assert client.get("/finance/customers", params=params).status_code == 200
            served.clear()
            counts: list[int] = []
            last: list[tuple[float, str, Any]] = []
            for _ in range(requests):
                with bb.capturing(kernel.engine) as statements:
                    resp = client.get("/finance/customers", params=params)
                assert resp.status_code == 200 and 'data-partner="' in resp.text, resp.status_code
                counts.append(len(statements))
                last = list(statements)
            bare = bb.bare_sql(kernel, last, 5)
            main = max(bare, key=lambda b: b[0]) if bare else (0.0, "", None)
            row = {"name": f"{sort}{' band ' + band if band else ''} · {where} page", "p50": bb.p(served.times, 0.5),
                   "p95": bb.p(served.times, 0.95), "cpu50": bb.p(served.cpu, 0.5), "statements": statistics.median(counts),
                   "bare": sum(b[0] for b in bare) * 1000, "sql": main[1], "params": main[2]}
            out.append(row)
            if show_plans and main[1]:
                row["plan"] = bb.explain(kernel, main[1], main[2])
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--customers", type=int, default=200_000, help="customers with a kept row (default 200,000)")
    ap.add_argument("--postgres", metavar="URL", help="a PostgreSQL database to fill and measure (else SQLite)")
    ap.add_argument("--requests", type=int, default=30, help="timed requests per row (default 30)")
    ap.add_argument("--explain", action="store_true", help="also the plan of each row's slowest statement")
    args = ap.parse_args(argv)
    if args.postgres:
        url, home = args.postgres, gen.DATA / "customers-home-postgres"
    else:
        home = gen.DATA / f"customers-sqlite-{args.customers}"
        url = f"sqlite:///{home / 'bench.sqlite3'}"
    kernel = open_kernel(url, home)
    fill(kernel, args.customers)
    rows = measure(kernel, args.requests, args.explain)
    engine = "PostgreSQL" if args.postgres else "SQLite"
    print(f"\n/finance/customers on {engine}, {args.customers:,} customers, {args.requests} requests a row "
          f"(target p95 ≤ {TARGET:.0f} ms)\n")
    print(f"{'row':32} {'p50 ms':>8} {'p95 ms':>8} {'CPU p50':>8} {'stmts':>6} {'bare SQL ms':>12}")
    for r in rows:
        flag = "" if r["p95"] <= TARGET else "  over"
        print(f"{r['name']:32} {r['p50']:8.1f} {r['p95']:8.1f} {r['cpu50']:8.1f} {r['statements']:6.0f} "
              f"{r['bare']:12.2f}{flag}")
    print("\nthe slowest statement of each row (bare SQL):")
    for r in rows:
        print(f"\n-- {r['name']}\n{' '.join(r['sql'].split())}\n-- {r['params']}")
        if r.get("plan"):
            print(r["plan"])
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
