"""A bounced cheque that clears after all (legal follow-up → cleared) pays its invoices again.

When the cheque bounced its plan payments became ``bounced`` and their instalments opened again
(:func:`modules.finance.services.payments.on_cheque_changed`); meanwhile other money may have paid
them. The rule, for each bounced payment of the cheque, oldest first:

1. The bounced payment stays as it was (history: it did bounce). A **new** cleared payment of
   kind ``cheque`` (same cheque) is written, dated the day of the change, with its receipt of the
   same day — a new clearance, so the day's takings and the ledger say when the money came.
2. Its amount goes first to what the instalments the bounced payment covered still need, in
   order, then to the plan's other open instalments in order (it is the customer's money for this
   invoice). Promises on those instalments are kept as with any real money.
3. **Capped:** we keep no credit, so only what the invoice's plan still needs is received. What
   does not fit (the instalments were paid meanwhile by other money) is not received: the cheque
   still becomes cleared (the bank paid it), and the invoice's owner gets an alarm and the invoice's
   history a line saying how much of the cheque found no open instalment — to refund or to settle
   by hand.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from kernel import raise_alarm
from kernel.actor import SYSTEM
from kernel.persian.money import Amount
from kernel.persian.textnorm import to_persian_digits
from modules.finance.models import Allocation, Cheque, Payment
from modules.finance.services import plans
from modules.finance.services.documents import note_history
from modules.finance.services.receipts import lock_invoice


def reapply(kernel: Any, session: Session, cheque: Cheque, on: dt.date) -> list[Payment]:
    """The cheque cleared after its bounce: its bounced payments are received again (the rule
    above); returns the new cleared payments."""
    from modules.finance.services.payments import clear, keep_promises, room, spread

    bounced = list(session.scalars(select(Payment).where(Payment.cheque_id == cheque.id, Payment.state == "bounced",
                                                         Payment.deleted_at.is_(None)).order_by(Payment.id)))
    made: list[Payment] = []
    for old in bounced:
        inv = lock_invoice(session, old.invoice_id)
        if inv is None:
            continue
        rows = plans.instalments(session, inv.id)
        covered = set(session.scalars(select(Allocation.instalment_id).where(Allocation.payment_id == old.id)))
        ordered = [r for r in rows if r.id in covered] + [r for r in rows if r.id not in covered]
        free = room(session, ordered, "cheque")
        amount = min(old.amount, sum(free.values()))
        if amount:
            payment = Payment(invoice_id=inv.id, partner_id=old.partner_id, kind="cheque", state="pending", date=on,
                              amount=amount, cheque_id=cheque.id, owner_id=inv.owner_id,
                              note=kernel.t("fa", "Cheque {number} cleared after legal follow-up", number=cheque.number))
            session.add(payment)
            session.flush()
            parts = spread(amount, ordered, free, None)
            session.add_all([Allocation(payment_id=payment.id, instalment_id=i, amount=a) for i, a in parts.items()])
            session.flush()
            keep_promises(session, [r for r in ordered if r.id in parts])
            clear(kernel, session, SYSTEM, payment, on)
            made.append(payment)
        left = old.amount - amount
        if left:
            text = kernel.t("fa", "Cheque {number} cleared after legal follow-up, but {amount} of it found no open "
                                  "instalment of invoice {invoice}: refund it or settle it by hand",
                            number=cheque.number, amount=Amount(left), invoice=inv.number or "")
            if inv.owner_id:
                raise_alarm(session, user_id=inv.owner_id, link=("finance.invoice", inv.id), title=text)
            note_history(session, inv, {kernel.t("fa", "Cheque"): [None, to_persian_digits(text)]})
        session.flush()
        plans.recount(kernel, session, inv.id)
    return made
