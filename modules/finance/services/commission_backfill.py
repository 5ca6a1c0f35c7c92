"""Commission rows for invoices issued before commissions existed (FIN-13, issue 12).

An invoice issued before revision a6c3e8f2d417 has no commission rows, and its lines kept no
percentages; :func:`modules.finance.services.commissions.sync` leaves such an invoice alone on
later edits (it "never took part"). :func:`backfill` writes its rows once, as the issue would
have: dated the invoice's day, from the percentages its lines keep — a line that kept none takes
the product's percentages now (the only ones known) and keeps them from then on.

Idempotent: only issued invoices with a marketer or an agency and **no** commission row at all
(not even a reversed one) are touched, so a second run writes nothing. Run it from the command
line: ``python -m modules.finance.backfill_commissions`` (with the instance's ``PEYVAND_*``
environment, as ``peyvand``), in batches of ``batch`` invoices, one transaction each.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import exists, or_, select

from kernel.actor import SYSTEM
from modules.finance.models import Commission, Invoice


def waiting(after: int, limit: int) -> Any:
    """The next ``limit`` invoices (by id, after ``after``) that should have rows and have none."""
    return (select(Invoice.id).where(Invoice.id > after, Invoice.state == "issued", Invoice.deleted_at.is_(None),
                                     or_(Invoice.marketer_id.is_not(None), Invoice.agency_id.is_not(None)),
                                     ~exists().where(Commission.invoice_id == Invoice.id))
            .order_by(Invoice.id).limit(limit))


def backfill(kernel: Any, batch: int = 500, progress: Callable[[int, int], None] | None = None) -> tuple[int, int]:
    """Write the missing rows; (invoices given rows, rows written)."""
    from modules.finance.services.commissions import sync

    invoices = rows = 0
    after = 0
    while True:
        with kernel.session(SYSTEM) as session:
            ids = list(session.scalars(waiting(after, batch)))
            for invoice_id in ids:
                invoice = session.get(Invoice, invoice_id)
                assert invoice is not None
                _, written = sync(session, invoice, invoice.date, first=True)
                invoices, rows = invoices + (1 if written else 0), rows + written
        if not ids:
            return invoices, rows
        after = ids[-1]
        if progress is not None:
            progress(invoices, rows)
