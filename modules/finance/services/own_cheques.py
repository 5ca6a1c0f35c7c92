"""Our own cheques given to suppliers (FIN-18), kept minimal: given against a posted purchase
(it pays it at once: the supplier holds it), then cleared, bounced or returned. A bounced or
returned cheque re-opens what it paid. Each change is one transaction, under a lock of the
cheque's row, written in its history (it is a record).

**A payment made by our cheque is not removed while the cheque counts** (:func:`refuse_removal`,
on every path a record is deleted: its page, the list's bulk delete, the API). Our cheque has no
state for "never given": once written it is either with the supplier (``issued``) or paid by the
bank (``cleared``), and in both the payment is real. Deleting it would re-open the purchase while
the supplier still holds a cheque the bank will pay (we would pay twice), and leave the cheque
listed as given with nothing it pays. A bookkeeper undoes such a payment where the cheque lives:
*Returned* (we got it back, or it was written by mistake) or *Bounced* cancels the payment with
the cheque's own dated history, and the purchase is open again. Cancelling the cheque from the
payment instead would need a state the cheque lacks and would hide the cheque's fate in a
deletion. Once the cheque is back its payment no longer counts and may be deleted like any other.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from kernel import Actor, Conflict, InputError, PermissionDenied
from kernel.persian.numbers import format_code
from kernel.records import FormErrors, get_record
from kernel.timezone import local_today
from modules.finance import fiscal_guard
from modules.finance.banking_codes import check_sayad, compact
from modules.finance.models import OwnCheque, PurchasePayment
from modules.finance.models.own_cheque import OWN_MOVES
from modules.finance.services.purchase_payments import cancel_for, lock_purchase, pay

CHANGE = "finance.own_cheque.edit"


def give(kernel: Any, session: Session, actor: Actor, purchase_id: int, *, amount: int, on: dt.date,
         account_id: int | None, number: str, due_date: dt.date | None, sayad_id: str | None = None,
         note: str | None = None) -> PurchasePayment:
    """Our cheque for ``amount`` to the purchase's supplier, and the payment it makes."""
    if not actor.can("finance.own_cheque.create"):
        raise PermissionDenied("finance.own_cheque.create")
    errors: dict[str, InputError] = {}
    number = compact(number or "")
    if not number:
        errors["number"] = InputError("This field is required")
    if due_date is None:
        errors["due_date"] = InputError("This field is required")
    elif due_date < on:
        errors["due_date"] = InputError("A cheque cannot fall due before the day it was received")
    if sayad_id:
        try:
            sayad_id = check_sayad(sayad_id)
        except InputError as exc:
            errors["sayad_id"] = exc
    if account_id is None:
        errors["account_id"] = InputError("Choose one of our active bank accounts")
    if errors:
        raise FormErrors(errors)
    doc = lock_purchase(session, purchase_id)
    if doc is None:
        raise FormErrors({"purchase_id": InputError("Payments are made only against a posted purchase invoice")})
    assert due_date is not None and account_id is not None
    cheque = OwnCheque(partner_id=doc.partner_id, account_id=account_id, number=number, sayad_id=sayad_id or None,
                       amount=amount, issued_on=on, due_date=due_date, state="issued", state_on=on)
    session.add(cheque)
    session.flush()
    return pay(kernel, session, actor, purchase_id, amount, on, "own_cheque", own_cheque_id=cheque.id,
               account_id=account_id, reference=number, note=note)


def change(kernel: Any, session: Session, actor: Actor, cheque_id: int, to_state: str,
           on: dt.date | None = None) -> OwnCheque:
    """issued → cleared, bounced or returned; bounced and returned re-open the purchase."""
    if not actor.can(CHANGE):
        raise PermissionDenied(CHANGE)
    cheque: OwnCheque = get_record(kernel, session, actor, kernel.resources["finance.own_cheque"], cheque_id,
                                   "edit", for_update=True)
    session.refresh(cheque)
    if to_state not in OWN_MOVES.get(cheque.state, ()):
        raise FormErrors({"to_state": InputError("This change is not allowed from the cheque's present state")})
    on = on or local_today(kernel.config.timezone)
    if on < cheque.issued_on:
        raise FormErrors({"on": InputError("A change cannot be dated before the cheque was given")})
    fiscal_guard.refuse_closed(kernel, session, on=on)
    cheque.state, cheque.state_on = to_state, on
    session.flush()
    if to_state in ("bounced", "returned"):
        cancel_for(session, on, own_cheque_id=cheque.id)
    return cheque


@dataclass(frozen=True)
class _Number:
    """A cheque's number in a message: Persian digits, kept left to right, as pages show it."""

    text: str

    def localized(self, lang: str) -> str:
        return format_code(self.text, lang)

    def __str__(self) -> str:  # the English text of the error (logs, the command line)
        return self.text


def refuse_removal(session: Session, payment_id: int) -> None:
    """A payment made by our cheque that the supplier still holds, or that the bank paid, is not
    deleted: a :class:`Conflict` that says what to do instead (see the module's docstring)."""
    payment = session.get(PurchasePayment, payment_id)
    if payment is None or payment.own_cheque_id is None:
        return
    cheque = session.get(OwnCheque, payment.own_cheque_id)
    if cheque is None:
        return
    if cheque.state == "issued":
        raise Conflict("This payment was made by our cheque {number}, which the supplier still holds: mark the "
                       "cheque returned on the purchase invoice's page (its payment is cancelled with it) instead "
                       "of deleting the payment", number=_Number(cheque.number))
    if cheque.state == "cleared":
        raise Conflict("This payment was made by our cheque {number}, which the bank has paid: the payment "
                       "stands and is not deleted", number=_Number(cheque.number))
