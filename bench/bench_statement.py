"""Customer statement, ageing and receivables benchmark (issue 12, FIN-12).

    python bench/gen_partners.py --partners 20000 --communications 20000
    python bench/gen_finance.py --partners 20000 --proformas 20000 --invoices 40000
    python bench/bench_statement.py --partners 20000 --plans 0.3      # SQLite, instalments for 30 % of open invoices
    python bench/bench_statement.py --postgres postgresql+psycopg://postgres@127.0.0.1:5432/bench_finance
    python bench/bench_statement.py --explain                          # plans beside the bare SQL

Runs on the database ``bench/gen_finance.py`` filled, as the bench administrator, without HTTP:

* **statement** — :func:`modules.finance.services.statement.statement` over the Jalali year of the
  newest invoice, for ``--requests`` random customers that have invoices (goal p95 ≤ 30 ms);
* **ageing** and **receivables** — the two reports' queries for all customers (goal ≤ 2 s).

Each row prints p50/p95 of the service call in ms, its statements, and the *bare SQL*: the same
read statements with the same parameters replayed on a raw DB-API connection
(``bench_base.bare_sql``), each statement's text printed below the row (``--explain``: its plan).

``--plans F`` first gives a fraction F of the open invoices that have none a payment plan of a
cash part and four monthly instalments (inserted directly, marked ``bench``), so the ageing's
instalment half has rows to read; run it once per database (a second run adds nothing).
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
for extra in (ROOT, ROOT / "bench"):
    if str(extra) not in sys.path:
        sys.path.insert(0, str(extra))

import bench_base as bb  # noqa: E402
import gen_finance as gf  # noqa: E402
from sqlalchemy import func, insert, select  # noqa: E402

TARGETS = {"statement": 30.0, "ageing": 2000.0, "receivables": 2000.0}


def add_plans(kernel: Any, fraction: float, seed: int = 1405) -> int:
    """Instalments for ``fraction`` of the open invoices without a plan: a fifth due on the
    invoice's date, the rest in four parts 30 days apart (the last takes the remainder); paid
    in order as far as the invoice's ``received`` goes, so the plan agrees with the ledger."""
    from kernel.db import utcnow
    from modules.finance.models import Instalment, Invoice

    rnd = random.Random(seed)
    with kernel.engine.begin() as conn:
        planned = select(Instalment.invoice_id).where(Instalment.invoice_id == Invoice.id).exists()
        open_ = conn.execute(select(Invoice.id, Invoice.date, Invoice.grand_total, Invoice.received)
                             .where(Invoice.state == "issued", Invoice.balance > 0, Invoice.deleted_at.is_(None),
                                    ~planned)).all()
        chosen = [r for r in open_ if rnd.random() < fraction]
        now, rows = utcnow(), []
        for inv_id, day, total, received in chosen:
            cash = total // 5
            parts = [cash] + [(total - cash) // 4] * 3
            parts.append(total - sum(parts))
            left = received
            for pos, amount in enumerate(parts):
                paid = min(amount, left)
                left -= paid
                rows.append({"invoice_id": inv_id, "position": pos, "is_cash": pos == 0,
                             "due_date": day + dt.timedelta(days=30 * pos), "amount": amount, "paid": paid,
                             "state": "paid" if paid == amount else "partly" if paid else "open",
                             "created_at": now, "updated_at": now})
        for i in range(0, len(rows), 5000):
            conn.execute(insert(Instalment), rows[i:i + 5000])
        # New rows without statistics: the planner would guess the instalments' size.
        conn.exec_driver_sql("ANALYZE finance_instalment" if conn.dialect.name == "postgresql" else "ANALYZE")
    return len(chosen)


def customers(kernel: Any, n: int, seed: int = 12) -> list[int]:
    from modules.finance.models import Invoice

    with kernel.sessions() as s:
        ids = list(s.scalars(select(Invoice.partner_id).distinct().limit(50_000)))
    return random.Random(seed).sample(ids, min(n, len(ids)))


def timed(kernel: Any, call: Any, runs: int, explain: bool) -> dict[str, Any]:
    """p50/p95 of ``call(session, i)`` over ``runs`` runs (after three warm-ups), the statements
    of the last run and their bare SQL."""
    with kernel.sessions() as s:
        for i in range(3):
            call(s, i)
    times = []
    for i in range(runs):
        with kernel.sessions() as s:
            t0 = time.perf_counter()
            call(s, i)
            times.append((time.perf_counter() - t0) * 1000)
    with kernel.sessions() as s, bb.capturing(kernel.engine) as seen:
        call(s, runs - 1)
    bare = bb.bare_sql(kernel, seen, 5)
    return {"p50": bb.p(times, 0.5), "p95": bb.p(times, 0.95), "queries": len(seen),
            "bare_ms": sum(b[0] for b in bare) * 1000,
            "sql": [(b[0] * 1000, " ".join(b[1].split()), bb.explain(kernel, b[1], b[2]) if explain else "")
                    for b in bare]}


def main(argv: list[str] | None = None) -> int:
    from kernel import security
    from kernel.models import User
    from kernel.persian.jalali import jalali_year_range, to_jalali
    from modules.finance.models import Instalment, Invoice
    from modules.finance.report_ageing import ageing, receivables
    from modules.finance.services.statement import statement

    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    bb.bench_args(ap, "gen_finance.py", 200)
    ap.add_argument("--plans", type=float, default=0.0, metavar="F",
                    help="first give this fraction of the open invoices a payment plan (once per database)")
    args = ap.parse_args(argv)
    kernel = gf.open_kernel(*gf.where(argparse.Namespace(postgres=args.postgres, partners=args.partners)))
    if args.plans:
        print(f"plans added to {add_plans(kernel, args.plans):,} open invoices", file=sys.stderr)
    with kernel.sessions() as s:
        actor = security.load_actor(s, int(s.scalar(select(User.id).where(User.username == gf.gen.USER))))
        newest = s.scalar(select(func.max(Invoice.date)))
        counts = (s.scalar(select(func.count()).select_from(Invoice)),
                  s.scalar(select(func.count()).select_from(Invoice).where(Invoice.state == "issued",
                                                                          Invoice.balance > 0)),
                  s.scalar(select(func.count()).select_from(Instalment)))
    if newest is None:
        print("no invoices: run bench/gen_finance.py first", file=sys.stderr)
        return 2
    first, after = jalali_year_range(to_jalali(newest).year)
    last = after - dt.timedelta(days=1)
    who = customers(kernel, args.requests)
    rows = {
        "statement": timed(kernel, lambda s, i: statement(kernel, s, actor, who[i % len(who)], first, last),
                           args.requests, args.explain),
        "ageing": timed(kernel, lambda s, i: ageing(s, actor, {}, kernel, "fa"), 5, args.explain),
        "receivables": timed(kernel, lambda s, i: receivables(s, actor, {}, kernel, "fa"), 5, args.explain),
    }
    label = "PostgreSQL" if args.postgres else "SQLite"
    print(f"\nStatement, ageing, receivables — {counts[0]:,} invoices ({counts[1]:,} open), {counts[2]:,} instalments "
          f"on {label}; statement over Jalali {to_jalali(newest).year} for {len(who)} customers (ms)")
    print(f"{'row':14} {'p50':>8} {'p95':>8} {'target':>7} {'SQL':>4} {'bare':>8}")
    for name, r in rows.items():
        flag = "" if r["p95"] <= TARGETS[name] else "  MISSED"
        print(f"{name:14} {r['p50']:8.1f} {r['p95']:8.1f} {TARGETS[name]:7.0f} {r['queries']:4d} {r['bare_ms']:8.1f}{flag}")
        for ms, sql, plan in r["sql"]:
            print(f"    {ms:7.2f} ms  {sql}")
            for line in plan.splitlines():
                print(f"               | {line}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
