"""``python -m modules.finance.backfill_commissions``: commission rows for the invoices issued
before commissions existed (see :mod:`modules.finance.services.commission_backfill`). Safe to run
again: it writes only what is missing."""

from __future__ import annotations

import argparse
import sys
from typing import Any


def _kernel() -> Any:
    from kernel import config as cfg
    from kernel.kernel import Kernel

    return Kernel(cfg.from_env())


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m modules.finance.backfill_commissions",
                                description="Write the commission rows of invoices issued before commissions existed")
    p.add_argument("--batch", type=int, default=500, help="invoices per transaction (default 500)")
    args = p.parse_args(argv)
    from modules.finance.services.commission_backfill import backfill

    kernel = _kernel()
    if "finance" not in kernel.module_names:
        print("peyvand: the finance module is not enabled", file=sys.stderr)
        return 2
    invoices, rows = backfill(kernel, max(1, args.batch))
    print(f"Commissions: {rows} rows written for {invoices} invoices.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
