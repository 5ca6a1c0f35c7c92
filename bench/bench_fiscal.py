"""Closing a fiscal year and undoing the close on a generated finance database (FIN-16, issue 12:
"fiscal year close for the whole dataset ≤ 60 s").

    python bench/bench_fiscal.py --partners 20000                  # gen_finance.py's SQLite database
    python bench/bench_fiscal.py --postgres postgresql+psycopg://postgres@127.0.0.1:5432/bench_finance_copy
    python bench/bench_fiscal.py --partners 20000 --year 1404 --commit

Times, in one transaction that is rolled back at the end (the database is left as it was, unless
``--commit`` and nothing blocks the close):

1. the reasons that block the close (``fiscal_checks.close_blockers``), with what they found;
2. the close's writes (``fiscal_close.write_close``: the openings' of each side and the six
   carried kinds' ``INSERT … SELECT`` and the counts), each statement's own time on the database — the bare SQL —
   and their sum;
3. the undo's deletes (``fiscal_close.remove_close``), likewise.

When nothing blocks (or with ``--commit``), the whole service is timed instead: ``close()`` and
``reopen()`` as an administrator, each its own transaction (committed with ``--commit``).
Generated data has drafts in every year, so the close is usually refused there: the writes are
then timed on their own (a close does nothing else once the checks pass).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
for extra in (ROOT, ROOT / "bench"):
    if str(extra) not in sys.path:
        sys.path.insert(0, str(extra))

import bench_base as bb  # noqa: E402
import gen_finance as gen  # noqa: E402


def _show(title: str, seen: list[tuple[float, str, Any]], wall: float) -> None:
    """The statements' own times on the database (the bare SQL, ``bench_base.capturing``), slowest first."""
    print(f"\n{title}: {wall:,.0f} ms wall, {sum(t for t, _s, _p in seen) * 1000:,.0f} ms of bare SQL "
          f"in {len(seen)} statements")
    for secs, sql, _params in sorted(seen, key=lambda x: -x[0])[:8]:
        print(f"  {secs * 1000:9,.1f} ms  {' '.join(sql.split())[:110]}")


def main(argv: list[str] | None = None) -> int:
    from sqlalchemy import func, select

    from kernel.actor import SYSTEM
    from kernel.timezone import local_today
    from modules.finance.models import FiscalCarry, FiscalOpening, Invoice
    from modules.finance.services import fiscal_close
    from modules.finance.services.fiscal_checks import close_blockers, next_to_close

    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--partners", type=int, default=1_000_000, help="which generated SQLite database")
    ap.add_argument("--postgres", metavar="URL", help="a PostgreSQL database gen_finance.py filled instead")
    ap.add_argument("--year", type=int, help="the Jalali year to close (default: the next one to close)")
    ap.add_argument("--commit", action="store_true", help="keep the close (only when nothing blocks it)")
    args = ap.parse_args(argv)
    url, home = gen.where(argparse.Namespace(postgres=args.postgres, partners=args.partners))
    kernel = gen.open_kernel(url, home)
    today = local_today(kernel.config.timezone)
    with kernel.sessions() as s:
        year = args.year or next_to_close(s, today)
        invoices = s.scalar(select(func.count()).select_from(Invoice))
    print(f"{url}: {invoices:,} invoices; closing {year} (today {today})")

    with kernel.sessions() as s, bb.capturing(kernel.engine) as seen:
        t0 = time.perf_counter()
        reasons = close_blockers(s, year, today)
        wall = (time.perf_counter() - t0) * 1000
    _show("the checks", seen, wall)
    for r in reasons:
        print(f"  blocks: {r.msgid.format(**r.params)[:110]}")

    if not reasons:
        for name, service in (("close()", fiscal_close.close), ("reopen()", fiscal_close.reopen)):
            with bb.capturing(kernel.engine) as seen:
                t0 = time.perf_counter()
                with kernel.session(SYSTEM) as s:
                    service(kernel, s, SYSTEM, year)
                    if not args.commit:
                        s.rollback()
                wall = (time.perf_counter() - t0) * 1000
            _show(f"the service {name}", seen, wall)
            if not args.commit:
                break  # rolled back: nothing to undo
        if args.commit:
            return 0
    with kernel.session(SYSTEM) as s:
        with bb.capturing(kernel.engine) as seen:
            t0 = time.perf_counter()
            written = fiscal_close.write_close(s, year)
            wall = (time.perf_counter() - t0) * 1000
        _show("the close's writes (write_close)", seen, wall)
        print(f"  {written.openings:,} customers' opening balances totalling {written.total:,} Rials; "
              f"{written.suppliers:,} suppliers' totalling {written.payable:,} Rials; {written.carried:,} items carried")
        kinds = dict(s.execute(select(FiscalCarry.kind, func.count()).where(FiscalCarry.year == year + 1)
                               .group_by(FiscalCarry.kind)).all())
        print(f"  carried: {kinds}")
        open_now = s.scalar(select(func.coalesce(func.sum(FiscalOpening.amount), 0))
                            .where(FiscalOpening.year == year + 1, FiscalOpening.side == "customer"))
        assert open_now == written.total
        with bb.capturing(kernel.engine) as seen:
            t0 = time.perf_counter()
            fiscal_close.remove_close(s, year)
            wall = (time.perf_counter() - t0) * 1000
        _show("the undo's deletes (remove_close)", seen, wall)
        s.rollback()  # the database is left as it was
    return 0


if __name__ == "__main__":
    sys.exit(main())
