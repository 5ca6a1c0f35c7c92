"""Add payment plans (1,000,000 instalments), their payments and allocations, and 400,000
cheques with their history to ``gen_finance.py``'s database, for ``bench/bench_payments.py``
(issue 12).

    python bench/gen_payments.py --postgres postgresql+psycopg://postgres@127.0.0.1:40629/bench_pay
    python bench/gen_payments.py --partners 200000 --instalments 200000 --cheques 80000   # SQLite

On PostgreSQL make the copy first (``CREATE DATABASE bench_pay TEMPLATE bench1m_finance``) and
bring it to the head migration (``peyvand db upgrade``; this script upgrades it too). On SQLite
the generation goes into ``gen_finance.py``'s own file, ``bench/data/finance-sqlite-<N>/``.

What the app would have written, drawn per invoice (each from its own seed):

* plans on a share of the issued invoices (chosen so the instalments add up exactly): a cash part
  on the invoice's day (85 % of the plans, 10–40 % of the total) and 3–12 monthly instalments on
  the invoice's Jalali day (``plan_dates.monthly``/``split``, the app's own arithmetic);
* about 85 % of the cheques pay plans, one cheque per instalment from one cheque book (numbers
  in sequence, one bank), all received on the invoice's day; the rest are cheques in the
  register with no invoice. Each cheque's state follows its due date against the data's epoch
  ("today"): long due mostly cleared (received → in the safe → deposited → cleared), some
  bounced (then legal follow-up or returned) or endorsed to a supplier; due soon in the safe,
  at the desk or endorsed. One ``finance_cheque_event`` row per state, as ``change_state`` writes;
* the other plans are paid per instalment in cash, by POS or by deposit slip when due (some
  late, some partly, some not at all), a few early; a bounced cheque's instalment is often paid
  again in cash later. Cleared money — cash, slip, POS, a cleared cheque — has its receipt
  (``finance_receipt.payment_id``); the plan invoices' earlier cash receipts from
  ``gen_finance.py`` are replaced by these, and their ``received``/``balance`` rewritten from
  them. Instalments' ``paid``/``state``/``paid_on`` are what ``plans.recount`` computes.

``finance_customer_total`` counts documents (issued invoices' grand totals), not money: no
document changes state here, so it stays as the migration counted it. Not written: the due
alarms (``kernel_reminder`` rows of unpaid instalments and of cheques still to collect) and the
invoices' history notes of each payment.

Everything goes in one transaction (an interrupted run leaves nothing), COPY on PostgreSQL and
multi-row inserts on SQLite, the new tables' indexes dropped during the load and built after.
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

import gen_finance as gf  # noqa: E402
import gen_partners as gen  # noqa: E402
import gen_tasks as gt  # noqa: E402
from gen_payment_rows import BRANCHES, LOADED, Rows, World, loose_cheques, plan  # noqa: E402
from sqlalchemy import text  # noqa: E402

EDITION = gf.EDITION
VERSION = 1
PROGRESS = "bench.payments_gen"
CHEQUE_SHARE_OF_PLANS = 0.85  # of the cheques, those paying plan instalments
MEAN_PLAN = 0.85 + 7.5  # rows per plan: the cash part (85 %) and 3–12 instalments
ACCOUNTS = (("حساب جاری ملت", "012"), ("حساب جاری ملی", "017"), ("حساب پشتیبان سامان", "056"))
TERMINALS = (("کارتخوان فروشگاه", "به‌پرداخت ملت", 0), ("کارتخوان انبار", "سامان کیش", 2))


def where(args: argparse.Namespace) -> tuple[str, Path]:
    return gt.where(args, "finance")  # gen_finance.py's database: the payments go into it


def open_kernel(url: str, home: Path) -> Any:
    return gf.open_kernel(url, home)


def progress_of(kernel: Any) -> dict[str, Any]:
    return gt.progress_of(kernel, PROGRESS)


# -- the world the rows are drawn from ---------------------------------------------------------------
def our_accounts(kernel: Any) -> tuple[list[int], list[tuple[int, int]]]:
    """Three of our bank accounts and two POS terminals, through the app's own create (made once)."""
    from sqlalchemy import select

    from kernel.actor import SYSTEM
    from kernel.records import create_record
    from modules.finance.banking_codes import with_check_digits
    from modules.finance.models import BankAccount, PosTerminal

    with kernel.session() as s:
        accounts = list(s.scalars(select(BankAccount.id).order_by(BankAccount.id)))
        if not accounts:
            for n, (title, code) in enumerate(ACCOUNTS):
                acc = create_record(kernel, s, SYSTEM, kernel.resources["finance.bank_account"], {
                    "title": title, "iban": with_check_digits(code, f"{4410021877 + 7919 * n}"),
                    "account_number": f"{4410021877 + 7919 * n}", "branch": BRANCHES[n], "holder": "شرکت نمونه"})
                accounts.append(int(acc.id))
            for n, (name, provider, acc_at) in enumerate(TERMINALS):
                create_record(kernel, s, SYSTEM, kernel.resources["finance.pos_terminal"], {
                    "name": name, "terminal_id": f"{71234560 + n}", "provider": provider,
                    "account_id": accounts[acc_at]})
    with kernel.session() as s:
        terminals = [(int(t), int(a)) for t, a in s.execute(select(PosTerminal.id, PosTerminal.account_id)
                                                             .order_by(PosTerminal.id))]
    return accounts, terminals


def make_world(kernel: Any, admin: int, epoch: str) -> tuple[World, list[tuple[Any, ...]]]:
    from kernel.persian.search_keys import SEARCH_ATTR
    from modules.finance.models import Cheque

    accounts, terminals = our_accounts(kernel)
    with kernel.engine.connect() as conn:
        invoices = [(r[0], r[1], r[2] if isinstance(r[2], dt.date) else dt.date.fromisoformat(r[2]), r[3])
                    for r in conn.execute(text(  # SQLite answers a text query's dates as text
                        "SELECT id, partner_id, date, grand_total FROM finance_invoice "
                        "WHERE state = 'issued' AND deleted_at IS NULL AND grand_total > 0 ORDER BY id"))]
        banks = list(conn.scalars(text("SELECT id FROM finance_bank WHERE iban_code > '010' ORDER BY id")))
        suppliers = list(conn.scalars(text("SELECT DISTINCT partner_id FROM base_partner_role "
                                           "WHERE role = 'supplier' ORDER BY partner_id LIMIT 2000")))
        names = {int(i): n for i, n in conn.execute(text(
            "SELECT p.id, p.name FROM base_partner p WHERE p.id IN "
            "(SELECT DISTINCT partner_id FROM finance_invoice)"))}
    # "Today" of the data: its epoch, or a later document's day (the chains of bench_finance.py).
    today = max([dt.datetime.fromisoformat(epoch).date(), *(i[2] for i in invoices)])
    world = World(today, admin, banks, accounts, terminals, suppliers, names,
                  getattr(Cheque, SEARCH_ATTR))
    return world, invoices


def choose_plans(world: World, invoices: list[tuple[Any, ...]], instalments: int, cheques: int,
                 seed: int) -> int:
    """Which invoices get a plan, of how many instalments, with a cash part or not, paid by
    cheques or not: exactly ``instalments`` rows and at most ``cheques`` plan cheques (returned)."""
    rnd = random.Random(seed)
    k = min(len(invoices), max(1, round(instalments / MEAN_PLAN)))
    chosen = rnd.sample(range(len(invoices)), k)
    counts = [rnd.randint(3, 12) for _ in chosen]
    cash = [rnd.random() < 0.85 for _ in chosen]
    over = sum(counts) + sum(cash) - instalments
    while over:  # nudge random plans' counts, within 3–12, until the rows add up exactly
        i = rnd.randrange(k)
        if over > 0 and counts[i] > 3:
            counts[i], over = counts[i] - 1, over - 1
        elif over < 0 and counts[i] < 12:
            counts[i], over = counts[i] + 1, over + 1
    budget, used = int(cheques * CHEQUE_SHARE_OF_PLANS), 0
    for i, n in enumerate(chosen):
        by_cheque = used + counts[i] <= budget and rnd.random() < 0.5
        used += counts[i] if by_cheque else 0
        world.plans[int(invoices[n][0])] = (counts[i], cash[i], by_cheque)
    # A second pass: plans left for cash when the coin said no and the budget has room.
    for inv_id, (n, c, by_cheque) in world.plans.items():
        if not by_cheque and used + n <= budget:
            world.plans[inv_id], used = (n, c, True), used + n
    return used


# -- writing -------------------------------------------------------------------------------------------------
def write(conn: Any, kernel: Any, rows: Rows) -> None:
    tables = kernel.metadata.tables
    for name in LOADED:
        if name == "finance_cheque_event" or name == "finance_allocation":
            continue
        gen.write_rows(conn, tables[name], rows.out[name])
    gen.write_rows(conn, tables["finance_cheque_event"], rows.out["finance_cheque_event"])
    gen.write_rows(conn, tables["finance_allocation"], rows.out["finance_allocation"])
    for name in LOADED:
        rows.out[name].clear()


def rewrite_invoices(conn: Any, received: dict[int, int]) -> None:
    """The plan invoices' earlier receipts go (the plan's payments replace them) and their
    received/balance follow the new receipts: one statement each, through a scratch table."""
    conn.execute(text("CREATE TEMP TABLE bench_paid (id BIGINT PRIMARY KEY, received BIGINT NOT NULL)"))
    if conn.dialect.name == "postgresql":
        raw = conn.connection.driver_connection
        with raw.cursor() as cur, cur.copy("COPY bench_paid (id, received) FROM STDIN") as copy:
            for row in received.items():
                copy.write_row(row)
    else:
        conn.execute(text("INSERT INTO bench_paid (id, received) VALUES (:id, :r)"),
                     [{"id": i, "r": r} for i, r in received.items()])
    conn.execute(text("DELETE FROM finance_receipt WHERE payment_id IS NULL AND invoice_id IN (SELECT id FROM bench_paid)"))
    conn.execute(text("UPDATE finance_invoice SET received = bench_paid.received, "
                      "balance = finance_invoice.grand_total - bench_paid.received "
                      "FROM bench_paid WHERE finance_invoice.id = bench_paid.id"))
    conn.execute(text("DROP TABLE bench_paid"))


def fill(kernel: Any, world: World, invoices: list[tuple[Any, ...]], args: argparse.Namespace,
         plan_cheques: int) -> dict[str, int]:
    with kernel.engine.connect() as conn:
        ids = {n: int(conn.scalar(text(f"SELECT coalesce(max(id), 0) FROM {n}")) or 0) for n in LOADED}
    rows = Rows(dict(ids))
    t0, done, made = time.perf_counter(), 0, 0
    partners = sorted({int(i[1]) for i in invoices})
    with kernel.engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            # Consistent by construction: no per-row foreign-key trigger during the load.
            conn.exec_driver_sql("SET LOCAL session_replication_role = replica")
        for inv in invoices:
            if int(inv[0]) not in world.plans:
                continue
            rnd = random.Random(args.seed * 1_000_003 + int(inv[0]))
            made += plan(world, rows, rnd, inv, [made])
            done += 1
            if len(rows.out["finance_instalment"]) >= 50_000:
                write(conn, kernel, rows)
                print(f"\r  plans {done:,}/{len(world.plans):,}, cheques {made:,} "
                      f"({done / (time.perf_counter() - t0):,.0f} plans/s)", end="", file=sys.stderr, flush=True)
        loose_cheques(world, rows, random.Random(args.seed), partners, args.cheques - made, made)
        write(conn, kernel, rows)
        print(file=sys.stderr)
        rewrite_invoices(conn, rows.received)
        prog = gt.progress_of(kernel, PROGRESS)
        prog.update(version=VERSION, instalments=args.instalments, cheques=args.cheques, seed=args.seed,
                    plans=len(world.plans), plan_cheques=made)
        gt.save_progress(conn, kernel, prog, PROGRESS)
    return {n: rows.ids[n] - ids[n] for n in LOADED}


# -- the run ---------------------------------------------------------------------------------------------
def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--partners", type=int, default=1_000_000, help="which generated SQLite database (default 1,000,000)")
    ap.add_argument("--postgres", metavar="URL", help="a copy of gen_finance.py's PostgreSQL database to fill")
    ap.add_argument("--instalments", type=int, default=1_000_000)
    ap.add_argument("--cheques", type=int, default=400_000)
    ap.add_argument("--seed", type=int, default=1405)
    args = ap.parse_args(argv)

    url, home = where(args)
    if not args.postgres and not (home / "bench.sqlite3").exists():
        print(f"no finance database at {home}: run bench/gen_finance.py --partners {args.partners} first",
              file=sys.stderr)
        return 2
    t_start = time.perf_counter()
    opened = gt.open_for_generation(url, home, EDITION, PROGRESS)  # upgraded to the head migration
    if opened is None:
        return 2
    kernel, prog, base = opened
    t_upgrade = time.perf_counter() - t_start
    with kernel.engine.connect() as conn:
        uncounted = not conn.scalar(text("SELECT count(*) FROM finance_customer_total"))
    if uncounted:  # made by a gen_finance.py from before it counted them
        print(f"  customers' totals counted from the documents in {gf.count_customers(kernel):.0f} s", file=sys.stderr)
    with kernel.engine.connect() as conn:
        unkeyed = conn.scalar(text("SELECT count(*) FROM finance_invoice WHERE number IS NOT NULL AND number_seq IS NULL"))
    if unkeyed:  # likewise: documents loaded without their number keys
        print(f"  number keys of {gf.key_numbers(kernel):,} documents written", file=sys.stderr)
    if prog.get("complete"):
        print(f"already generated: {prog['instalments']:,} instalments, {prog['cheques']:,} cheques in {url}",
              file=sys.stderr)
        return 0
    if not gt.progress_of(kernel, gf.PROGRESS).get("complete"):
        print(f"{url} holds no complete gen_finance.py data", file=sys.stderr)
        return 2
    admin = gen.ensure_reference(kernel)
    if kernel.engine.dialect.name == "sqlite":
        gen.sqlite_fast(kernel)
    times: dict[str, float] = {"upgrade": t_upgrade}
    with gt.loaded_tables(LOADED):
        gen.drop_indexes(kernel)
        t0 = time.perf_counter()
        if prog.get("plans"):  # the rows went in (one transaction): only the indexes were left to build
            print("  rows already written: building the indexes", file=sys.stderr)
            with kernel.engine.connect() as conn:
                written = {n: int(conn.scalar(text(f"SELECT count(*) FROM {n}")) or 0) for n in LOADED}
        else:
            world, invoices = make_world(kernel, admin, base["epoch"])
            plan_cheques = choose_plans(world, invoices, args.instalments, args.cheques, args.seed)
            print(f"  {len(invoices):,} issued invoices, {len(world.plans):,} with a plan "
                  f"({plan_cheques:,} cheques on plans)", file=sys.stderr)
            written = fill(kernel, world, invoices, args, plan_cheques)
        times["rows"] = time.perf_counter() - t0
        times.update(gen.finish(kernel, keep_indexes=False))
    prog = gt.progress_of(kernel, PROGRESS)
    size = gt.mark_complete(kernel, prog, home, args.postgres, PROGRESS)
    print(f"generated {written['finance_instalment']:,} instalments ({prog.get('plans', 0):,} plans), "
          f"{written['finance_payment']:,} payments, {written['finance_allocation']:,} allocations, "
          f"{written['finance_receipt']:,} receipts, {written['finance_cheque']:,} cheques "
          f"({written['finance_cheque_event']:,} history rows) in {time.perf_counter() - t_start:.0f} s "
          f"(upgrade {times['upgrade']:.0f} s, rows {times['rows']:.0f} s, indexes {times['indexes']:.0f} s, "
          f"analyze {times['analyze']:.0f} s){size}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
