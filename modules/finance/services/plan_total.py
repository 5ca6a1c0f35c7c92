"""An issued invoice whose total changes after it has a payment plan (issue 12).

The rule, as a bookkeeper expects it:

* **With payments** (a live payment — pending or cleared — on the plan): the plan is fixed, so the
  edit that changes the total is refused as a whole (``Conflict``, a Persian message), nothing
  changed. Void the invoice and issue a new one, or delete the payments' receipts first.
* **Without payments**: the edit is saved; the invoice's history says the plan no longer matches,
  the plan (under the invoice's page and on its own page) shows a warning with both amounts, and
  no payment is recorded on it until the plan is made again (generated or typed: the plan's
  forms stay open while it has no payments).

Whether a plan matches is read from the rows themselves (the instalments' sum against the grand
total), so nothing is stored that could drift.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from kernel import Conflict
from kernel.persian.money import Amount
from kernel.persian.textnorm import to_persian_digits
from modules.finance.models import Instalment, Invoice

FIXED = "This invoice's payment plan already has payments: its total cannot change. Void it and issue a new " \
        "invoice, or delete the payments first"
NOT_MATCHING = "The payment plan adds up to {planned}, but the invoice's total is now {total}: make the plan " \
               "again before recording payments"


def planned(session: Session, invoice_id: int) -> int | None:
    """What the invoice's live instalments add up to; None without a plan."""
    count, total = session.execute(select(func.count(Instalment.id), func.coalesce(func.sum(Instalment.amount), 0))
                                   .where(Instalment.invoice_id == invoice_id, Instalment.deleted_at.is_(None))).one()
    return int(total) if count else None


def check_matches(session: Session, inv: Invoice) -> None:
    """Refuse a payment on a plan that no longer adds up to the invoice's total."""
    amount = planned(session, inv.id)
    if amount is not None and amount != inv.grand_total:
        raise Conflict(NOT_MATCHING, planned=Amount(amount), total=Amount(inv.grand_total))


def on_invoice_changed(kernel: Any, session: Session, event: Any) -> None:
    """``InvoiceChanged``: a new total against the plan — refused with payments, noted without."""
    from modules.finance.services.documents import note_history
    from modules.finance.services.plans import has_payments

    amount = planned(session, event.invoice_id)
    if amount is None or amount == event.grand_total:
        return
    if has_payments(session, event.invoice_id):
        raise Conflict(FIXED)
    inv = session.get(Invoice, event.invoice_id)
    if inv is not None:
        text = kernel.t("fa", NOT_MATCHING, planned=Amount(amount), total=Amount(event.grand_total))
        note_history(session, inv, {kernel.t("fa", "Payment plan"): [None, to_persian_digits(text)]})
