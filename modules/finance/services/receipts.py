"""Cash receipts against an invoice, and the invoice's received amount and open balance kept
exact in the same transaction, whatever path wrote the receipt (this service, the receipt's
form, the API, the recycle bin)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from kernel import Actor, InputError, RecordChanged
from kernel.persian.money import Amount
from kernel.records import FormErrors, create_record
from modules.finance.events import InvoiceChanged, ReceiptRecorded
from modules.finance.fiscal_guard import problems, refuse_closed
from modules.finance.models import Invoice, Receipt


def receive_cash(kernel: Any, session: Session, actor: Actor, invoice_id: int, amount: int,
                 on: dt.date, note: str | None = None) -> Receipt:
    """Record cash received; refused on ``amount`` when more than the open balance."""
    values = {"invoice_id": invoice_id, "amount": amount, "date": on, "method": "cash", "note": note}
    return create_record(kernel, session, actor, kernel.resources["finance.receipt"], values)


def _above_balance(balance: int, actor: Actor | None) -> InputError:
    """The refusal of an amount above the open balance, the balance shown as every amount is
    (the reader's digits and separators, in their Rial or Toman)."""
    unit = getattr(actor, "money_unit", "rial")
    return InputError("The amount is more than the open balance of the invoice ({balance})",
                      balance=Amount(balance, "toman" if unit == "toman" else "rial"))


def check_receipt(values: Mapping[str, Any], record: Any = None, session: Session | None = None,
                  actor: Actor | None = None, kernel: Any = None, **_: Any) -> dict[str, InputError] | None:
    """The receipt form's rules (every path): an amount above zero, an issued invoice, no more
    than its open balance. The same check runs again under the invoice's lock (``settle``)."""
    amount, invoice_id = values.get("amount"), values.get("invoice_id")
    if record is not None and invoice_id != record.invoice_id:
        return {"invoice_id": InputError("A receipt stays with its invoice: delete it and record a new one")}
    if amount is None or amount <= 0:
        return {"amount": InputError("The amount must be more than zero")}
    if session is None or invoice_id is None:
        return None
    if kernel is not None:  # -- fiscal year: no money received, nor a receipt changed, in a closed year
        dates = {"date": values.get("date")}
        if record is not None and record.date != values.get("date"):
            dates["__all__"] = record.date
        closed = problems(kernel, session, dates)
        if closed:
            return closed
    inv = lock_invoice(session, invoice_id)
    if inv is None or inv.state != "issued" or inv.deleted_at is not None:
        return {"invoice_id": InputError("Money is received only against an issued invoice")}
    already = record.amount if record is not None and record.deleted_at is None else 0
    if amount - already > inv.balance:
        return {"amount": _above_balance(inv.balance, actor)}
    return None


def lock_invoice(session: Session, invoice_id: int) -> Invoice | None:
    """The invoice, its row locked until the transaction ends and read fresh. Taken before the
    receipt is written: the receipt's foreign key would otherwise take a share lock first, and two
    receipts each holding one while waiting for the other's would deadlock on PostgreSQL."""
    return session.scalars(select(Invoice).where(Invoice.id == invoice_id).with_for_update()
                           .execution_options(populate_existing=True)).first()


def settle(kernel: Any, session: Session, invoice_id: int) -> Invoice:
    """Recount what was received against the invoice under a lock of its row: on PostgreSQL a
    concurrent receipt waits here and then counts this one (read committed: the sum is a new
    statement), so together they can never pass the grand total."""
    inv = lock_invoice(session, invoice_id)
    assert inv is not None  # the receipt's foreign key holds it
    received = session.scalar(select(func.coalesce(func.sum(Receipt.amount), 0)).where(
        Receipt.invoice_id == invoice_id, Receipt.deleted_at.is_(None))) or 0
    if received and inv.state != "issued":  # a receipt restored after its invoice was voided
        raise FormErrors({"invoice_id": InputError("Money is received only against an issued invoice")})
    if received > inv.grand_total:
        raise FormErrors({"amount": _above_balance(max(inv.grand_total - inv.received, 0),
                                                   session.info.get("actor"))})
    inv.received, inv.balance = int(received), inv.grand_total - int(received)
    session.flush()
    return inv


def on_receipt_changed(kernel: Any, session: Session, event: RecordChanged) -> None:
    if event.action == "purge":
        return  # the row is gone; only a deleted (already uncounted) receipt can be purged
    receipt = session.get(Receipt, event.record_id)
    if receipt is None:
        return
    if event.action in ("delete", "restore"):  # -- fiscal year: the closed year's ledger stays as closed
        refuse_closed(kernel, session, __all__=receipt.date)
    inv = settle(kernel, session, receipt.invoice_id)
    if event.action == "create":
        kernel.emit(ReceiptRecorded(receipt.id, inv.id, receipt.amount, inv.balance), session)
    kernel.emit(InvoiceChanged(inv.id, inv.grand_total, inv.balance), session)
