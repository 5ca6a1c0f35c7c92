"""``peyvand finance backfill-commissions`` (and, as before, ``python -m
modules.finance.backfill_commissions``): commission rows for the invoices issued before commissions
existed (see :mod:`modules.finance.services.commission_backfill`). Safe to run again: it writes
only what is missing. Both ways share :func:`configure` and :func:`run`; the first is registered
through the kernel's ``register_commands`` hook (:data:`COMMAND`)."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from kernel import Command

HELP = "Write the commission rows of invoices issued before commissions existed"


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--batch", type=int, default=500, help="invoices per transaction (default 500)")


def run(kernel: Any, args: argparse.Namespace) -> int:
    from modules.finance.services.commission_backfill import backfill

    invoices, rows = backfill(kernel, max(1, args.batch))
    print(f"Commissions: {rows} rows written for {invoices} invoices.")
    return 0


COMMAND = Command("finance.backfill-commissions", HELP, run, configure)


def _kernel() -> Any:
    from kernel import config as cfg
    from kernel.kernel import Kernel

    return Kernel(cfg.from_env())


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m modules.finance.backfill_commissions", description=HELP)
    configure(p)
    args = p.parse_args(argv)
    kernel = _kernel()
    if "finance" not in kernel.module_names:  # the command of ``peyvand`` exists only then
        print("peyvand: the finance module is not enabled", file=sys.stderr)
        return 2
    return run(kernel, args)


if __name__ == "__main__":
    sys.exit(main())
