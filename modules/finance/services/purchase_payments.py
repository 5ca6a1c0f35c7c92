"""What we pay suppliers against posted purchases (FIN-18), and each purchase's ``paid`` and
``balance`` kept exact in the same transaction, under a lock of its row (like an invoice's
receipts, :mod:`modules.finance.services.receipts`): two payments at once can never pay more
than is open.

Four ways: cash; a bank transfer or deposit slip from one of our accounts; a customer's cheque
endorsed to the supplier (from the cheque's page: :func:`pay_by_endorsement`); a cheque of our
own (:mod:`modules.finance.services.own_cheques`). A cheque that bounces or comes back stops
paying: its payment is marked cancelled and the purchase is open again by its amount.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from kernel import Actor, InputError, RecordChanged
from kernel.persian.money import Amount
from kernel.records import FormErrors, create_record
from modules.finance import fiscal_guard
from modules.finance.models import BankAccount, Cheque, Purchase, PurchasePayment

RESOURCE = "finance.purchase_payment"


def lock_purchase(session: Session, purchase_id: int) -> Purchase | None:
    """The purchase, its row locked until the transaction ends and read fresh (taken before the
    payment is written, as the receipts do: else two payments could deadlock on PostgreSQL)."""
    return session.scalars(select(Purchase).where(Purchase.id == purchase_id).with_for_update()
                           .execution_options(populate_existing=True)).first()


def _above(balance: int, actor: Actor | None) -> InputError:
    unit = getattr(actor, "money_unit", "rial")
    return InputError("The amount is more than the open balance of the purchase invoice ({balance})",
                      balance=Amount(balance, "toman" if unit == "toman" else "rial"))


def check_payment(values: Mapping[str, Any], record: Any = None, session: Session | None = None,
                  actor: Actor | None = None, kernel: Any = None, **_: Any) -> dict[str, InputError] | None:
    """The payment's rules in every path: a posted purchase, an amount above zero and not above
    what is open, our account for a transfer, a cheque for a cheque payment."""
    amount, purchase_id, method = values.get("amount"), values.get("purchase_id"), values.get("method") or "cash"
    if record is not None:
        return {"__all__": InputError("A payment is not changed: delete it and record a new one")}
    if amount is None or amount <= 0:
        return {"amount": InputError("The amount must be more than zero")}
    if method == "transfer" and not values.get("account_id"):
        return {"account_id": InputError("Choose one of our active bank accounts")}
    if method == "endorsed" and not values.get("cheque_id"):
        return {"method": InputError("A customer's cheque is endorsed to the supplier from the cheque's page")}
    if method == "own_cheque" and not values.get("own_cheque_id"):
        return {"method": InputError("Our cheque is given from the purchase invoice's page")}
    if session is None or purchase_id is None:
        return None
    if kernel is not None:  # -- fiscal year: no money dated in a closed year
        closed = fiscal_guard.problems(kernel, session, {"date": values.get("date")})
        if closed:
            return dict(closed)
    account = values.get("account_id")
    if account and session.scalar(select(BankAccount.id).where(
            BankAccount.id == account, BankAccount.active.is_(True), BankAccount.deleted_at.is_(None))) is None:
        return {"account_id": InputError("Choose one of our active bank accounts")}
    doc = lock_purchase(session, purchase_id)
    if doc is None or doc.state != "posted" or doc.deleted_at is not None:
        return {"purchase_id": InputError("Payments are made only against a posted purchase invoice")}
    if amount > doc.balance:
        return {"amount": _above(doc.balance, actor)}
    return None


def settle(session: Session, purchase_id: int) -> Purchase:
    """Recount what was paid under a lock of the purchase's row (a concurrent payment waits, then
    counts this one): never above the grand total."""
    doc = lock_purchase(session, purchase_id)
    assert doc is not None  # the payment's foreign key holds it
    paid = int(session.scalar(select(func.coalesce(func.sum(PurchasePayment.amount), 0)).where(
        PurchasePayment.purchase_id == purchase_id, PurchasePayment.deleted_at.is_(None),
        PurchasePayment.cancelled_on.is_(None))) or 0)
    if paid and doc.state != "posted":
        raise FormErrors({"purchase_id": InputError("Payments are made only against a posted purchase invoice")})
    if paid > doc.grand_total:
        raise FormErrors({"amount": _above(max(doc.grand_total - doc.paid, 0), session.info.get("actor"))})
    doc.paid, doc.balance = paid, doc.grand_total - paid
    session.flush()
    return doc


def pay(kernel: Any, session: Session, actor: Actor, purchase_id: int, amount: int, on: dt.date,
        method: str = "cash", **more: Any) -> PurchasePayment:
    """A payment through the resource's path (permission, scope of the purchase, rules, history)."""
    values = {"purchase_id": purchase_id, "amount": amount, "date": on, "method": method, **more}
    payment: PurchasePayment = create_record(kernel, session, actor, kernel.resources[RESOURCE], values)
    return payment


def pay_by_endorsement(kernel: Any, session: Session, actor: Actor, purchase_id: int, cheque: Cheque,
                       on: dt.date) -> PurchasePayment:
    """A customer's cheque endorsed to the purchase's supplier pays it by the cheque's amount;
    refused (on ``purchase_id``) when the purchase is another supplier's or owes less."""
    doc = lock_purchase(session, purchase_id)
    if doc is None or doc.partner_id != cheque.endorsed_to_id:
        raise FormErrors({"purchase_id": InputError("Choose a purchase invoice of the supplier the cheque is "
                                                    "endorsed to")})
    try:
        return pay(kernel, session, actor, purchase_id, cheque.amount, on, "endorsed", cheque_id=cheque.id)
    except FormErrors as exc:
        raise FormErrors({"purchase_id" if k in ("amount", "__all__") else k: v
                          for k, v in exc.errors.items()}) from None


def cancel_for(session: Session, on: dt.date, *, cheque_id: int | None = None,
               own_cheque_id: int | None = None) -> None:
    """The payments a bounced or returned cheque made stop counting; their purchases re-open."""
    column = PurchasePayment.cheque_id if cheque_id is not None else PurchasePayment.own_cheque_id
    key = cheque_id if cheque_id is not None else own_cheque_id
    purchases = list(session.scalars(select(PurchasePayment.purchase_id).where(
        column == key, PurchasePayment.cancelled_on.is_(None), PurchasePayment.deleted_at.is_(None))))
    if not purchases:
        return
    session.execute(update(PurchasePayment).where(column == key, PurchasePayment.cancelled_on.is_(None))
                    .values(cancelled_on=on).execution_options(synchronize_session="fetch"))
    for pid in sorted(set(purchases)):
        settle(session, pid)


def on_payment_changed(kernel: Any, session: Session, event: RecordChanged) -> None:
    if event.action == "purge":
        return
    payment = session.get(PurchasePayment, event.record_id)
    if payment is None:
        return
    if event.action in ("delete", "restore"):  # -- fiscal year: the closed year's ledger stays as closed
        # Also an endorsement undone by deleting its payment (services.endorsements): refused here
        # before the cheque moves, when the payment is dated in a closed year.
        fiscal_guard.refuse_closed(kernel, session, __all__=payment.date)
    settle(session, payment.purchase_id)
