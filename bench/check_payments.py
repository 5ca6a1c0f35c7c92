"""Check what ``bench/gen_payments.py`` wrote against the app's own rules (issue 12):

    python bench/check_payments.py --postgres postgresql+psycopg://postgres@127.0.0.1:40629/bench_pay
    python bench/check_payments.py --partners 200000 --sample 2000

* whole tables, in SQL: the counts asked for; each plan adds up to its invoice's grand total; every
  invoice's ``received`` is the sum of its live receipts and ``balance`` the rest; every cleared
  payment has exactly one receipt of its amount and no other payment has one; every cheque's state
  is its last history row's, its ``revision`` the number of changes; no Sayad ID twice in a bank;
* on a sample of plan invoices, :func:`modules.finance.services.plans.recount` run by the app in a
  transaction that is rolled back: each instalment's ``paid``, ``state`` and ``paid_on`` must be
  what it computes; each cheque's history only moves allowed by ``cheque_states``;
* ``finance_customer_total`` equal to :func:`modules.finance.customer_totals.counted` (the
  documents recounted in Python).

Prints each check with its count of offending rows and exits 1 if any is not zero.
"""

from __future__ import annotations

import argparse
import random
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
for extra in (ROOT, ROOT / "bench"):
    if str(extra) not in sys.path:
        sys.path.insert(0, str(extra))

import gen_payments as gp  # noqa: E402
from sqlalchemy import select, text  # noqa: E402

SQL_CHECKS = {
    "plans not adding up to their invoice's total": """
        SELECT count(*) FROM (SELECT i.invoice_id FROM finance_instalment i JOIN finance_invoice v ON v.id = i.invoice_id
        WHERE i.deleted_at IS NULL GROUP BY i.invoice_id, v.grand_total HAVING sum(i.amount) <> v.grand_total) x""",
    "invoices whose received is not their receipts' sum": """
        SELECT count(*) FROM finance_invoice v LEFT JOIN (SELECT invoice_id, sum(amount) AS s FROM finance_receipt
        WHERE deleted_at IS NULL GROUP BY invoice_id) r ON r.invoice_id = v.id
        WHERE v.received <> coalesce(r.s, 0) OR (v.state = 'issued' AND v.balance <> v.grand_total - v.received)""",
    "cleared payments without exactly one receipt of their amount": """
        SELECT count(*) FROM finance_payment p WHERE p.state = 'cleared' AND 1 <> (SELECT count(*) FROM finance_receipt r
        WHERE r.payment_id = p.id AND r.amount = p.amount AND r.invoice_id = p.invoice_id AND r.deleted_at IS NULL)""",
    "receipts of payments that are not cleared": """
        SELECT count(*) FROM finance_receipt r JOIN finance_payment p ON p.id = r.payment_id WHERE p.state <> 'cleared'""",
    "payments whose allocations do not add up to them": """
        SELECT count(*) FROM finance_payment p WHERE p.amount <> (SELECT coalesce(sum(a.amount), 0)
        FROM finance_allocation a WHERE a.payment_id = p.id)""",
    "cheque payments whose state is not their cheque's": """
        SELECT count(*) FROM finance_payment p JOIN finance_cheque c ON c.id = p.cheque_id WHERE
        (p.state = 'cleared') <> (c.state = 'cleared') OR (c.state IN ('received', 'in_safe', 'deposited', 'endorsed')
        AND p.state <> 'pending') OR (c.state IN ('bounced', 'legal') AND p.state <> 'bounced')""",
    "cheques whose state is not their last history row's": """
        SELECT count(*) FROM finance_cheque c WHERE c.state <> (SELECT e.to_state FROM finance_cheque_event e
        WHERE e.cheque_id = c.id ORDER BY e.id DESC LIMIT 1)
        OR c.revision <> (SELECT count(*) - 1 FROM finance_cheque_event e WHERE e.cheque_id = c.id)""",
    "Sayad IDs twice in one bank": """
        SELECT count(*) FROM (SELECT bank_id, sayad_id FROM finance_cheque WHERE deleted_at IS NULL
        AND sayad_id IS NOT NULL GROUP BY bank_id, sayad_id HAVING count(*) > 1) x""",
    "cheques due before they were received": "SELECT count(*) FROM finance_cheque WHERE due_date < received_on",
}


def sample_recount(kernel: Any, sample: int, seed: int) -> tuple[int, int]:
    """Plan invoices whose instalments the app's recount would change (and how many were checked)."""
    from modules.finance.models import Instalment
    from modules.finance.services import plans

    with kernel.engine.connect() as conn:
        ids = list(conn.scalars(text("SELECT DISTINCT invoice_id FROM finance_instalment ORDER BY invoice_id")))
    chosen = random.Random(seed).sample(ids, min(sample, len(ids)))
    wrong = 0
    with kernel.sessions() as s:
        for inv_id in chosen:
            stored = [(r.id, r.paid, r.state, r.paid_on) for r in s.scalars(
                select(Instalment).where(Instalment.invoice_id == inv_id).order_by(Instalment.position))]
            fresh = [(r.id, r.paid, r.state, r.paid_on) for r in plans.recount(kernel, s, inv_id)]
            if stored != fresh:
                wrong += 1
                if wrong <= 3:
                    print(f"  invoice {inv_id}: stored {stored} recounted {fresh}", file=sys.stderr)
            s.rollback()
    return wrong, len(chosen)


def sample_histories(kernel: Any, sample: int, seed: int) -> int:
    """Cheques (of a sample) whose history makes a move ``cheque_states`` does not allow."""
    from modules.finance.cheque_states import INITIAL, may_follow

    with kernel.engine.connect() as conn:
        top = int(conn.scalar(text("SELECT max(id) FROM finance_cheque")) or 0)
        ids = random.Random(seed).sample(range(1, top + 1), min(sample, top))
        bad = 0
        for cid in ids:
            moves = [(f, t) for f, t in conn.execute(text(
                "SELECT from_state, to_state FROM finance_cheque_event WHERE cheque_id = :c ORDER BY id"), {"c": cid})]
            ok = bool(moves) and moves[0] == (None, INITIAL) and all(
                f == prev_to and may_follow(f, t) for (f, t), (_pf, prev_to) in zip(moves[1:], moves, strict=False))
            bad += not ok
    return bad


def main(argv: list[str] | None = None) -> int:
    from modules.finance import customer_totals

    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--partners", type=int, default=1_000_000)
    ap.add_argument("--postgres", metavar="URL")
    ap.add_argument("--sample", type=int, default=2000, help="plan invoices and cheques checked one by one")
    ap.add_argument("--seed", type=int, default=7)
    args = ap.parse_args(argv)
    url, home = gp.where(args)
    kernel = gp.open_kernel(url, home)
    prog = gp.progress_of(kernel)
    if not prog.get("complete"):
        print(f"{url} holds no complete gen_payments.py data", file=sys.stderr)
        return 2
    failed = 0

    def report(name: str, bad: int, of: str = "") -> None:
        nonlocal failed
        failed += bool(bad)
        print(f"{'FAIL' if bad else 'ok  '} {name}: {bad:,}{of}")

    with kernel.engine.connect() as conn:
        for table, want in (("finance_instalment", prog["instalments"]), ("finance_cheque", prog["cheques"])):
            have = int(conn.scalar(text(f"SELECT count(*) FROM {table}")) or 0)
            report(f"{table} rows off the {want:,} asked for", abs(have - want), f" (have {have:,})")
        for name, stmt in SQL_CHECKS.items():
            report(name, int(conn.scalar(text(stmt)) or 0))
    wrong, checked = sample_recount(kernel, args.sample, args.seed)
    report("plan invoices whose instalments plans.recount would change", wrong, f" of {checked:,} sampled")
    report("cheques with a move cheque_states does not allow", sample_histories(kernel, args.sample, args.seed),
           f" of {args.sample:,} sampled")
    with kernel.sessions() as s:
        counted, kept = customer_totals.counted(s), customer_totals.kept(s)
    report("finance_customer_total rows differing from the documents recounted",
           sum(counted.get(k) != kept.get(k) for k in set(counted) | set(kept)),
           f" ({len(kept):,} kept, {len(counted):,} counted)")
    kernel.engine.dispose()
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
