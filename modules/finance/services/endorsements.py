"""Undoing a customer's cheque endorsed to a supplier by mistake (FIN-09, FIN-18).

An endorsement that paid a purchase is recorded as two things in one transaction: the cheque
moves to ``endorsed`` (:func:`modules.finance.services.cheques.change_state`) and a payment
``method="endorsed"`` pays the purchase (:func:`~modules.finance.services.purchase_payments.pay_by_endorsement`).
The bookkeeper undoes it where they see the mistake, the payment (its page, the list's bulk
delete, the API: every path goes through the kernel's delete and ``RecordDeleted``):

* **the endorsement is still the cheque's last change** — the cheque goes back to the state it
  had just before (at our desk or in the safe, the ``from_state`` of its last history row), with a
  history row of its own (today, the user, the note "endorsement undone: its payment to <supplier>
  was deleted") and ``ChequeChanged``. This is the one move outside ``TRANSITIONS``
  (:mod:`modules.finance.cheque_states`, :data:`~modules.finance.cheque_states.UNDO`). The
  payment is also marked cancelled on that day, and it is not restored from the recycle bin
  (:func:`refuse_restore`): it would pay with a cheque that is back in our hands, or claim the
  cheque's next endorsement as its own.
* **something happened to the cheque since** (the supplier brought it back bounced, then legal
  follow-up …) — refused with a message naming the cheque and its state; nothing changes (the
  kernel rolls the delete back). The payment is then the record of what the supplier had.

The customer's side needs nothing undone: a cheque is not money for us until it clears, so
endorsing it changed none of the customer's plan rows, balance or standing — only its due-date
reminder stopped (the cheque left our hands). ``ChequeChanged(endorsed → received/in_safe)`` lets
the plans ring that reminder again (:func:`modules.finance.services.payments.on_cheque_changed`);
the standing counts only bounces, legal follow-ups and returns of bounced cheques, none of which
this history row is.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from kernel import Conflict
from kernel.db import acting_user_id
from kernel.persian.numbers import format_code
from kernel.timezone import local_today
from modules.finance.cheque_states import UNDO
from modules.finance.events import ChequeChanged
from modules.finance.models import Cheque, ChequeEvent, Purchase, PurchasePayment
from modules.finance.models.cheque import CHEQUE_STATES
from modules.finance.services.cheques import CHANGE_STATE

NOTE = "Endorsement undone: its payment to {supplier} was deleted"


@dataclass(frozen=True)
class _Number:
    """A cheque's number in a message: Persian digits, kept left to right, as pages show it."""

    text: str

    def localized(self, lang: str) -> str:
        return format_code(self.text, lang)

    def __str__(self) -> str:
        return self.text


@dataclass(frozen=True)
class _Label:
    """A translated label as a message's parameter (the cheque's state), in the reader's language."""

    msgid: str
    catalog: Any

    def localized(self, lang: str) -> str:
        return str(self.catalog.gettext(lang, self.msgid))

    def __str__(self) -> str:
        return self.msgid


def _lock_cheque(session: Session, cheque_id: int) -> Cheque | None:
    """The cheque read after its row's lock is granted: a change of state in flight is waited for."""
    return session.scalars(select(Cheque).where(Cheque.id == cheque_id).with_for_update()
                           .execution_options(populate_existing=True)).first()


def undo_for_deleted_payment(kernel: Any, session: Session, payment_id: int) -> Cheque | None:
    """The payment ``payment_id`` is being deleted: if a customer's cheque endorsed to the supplier
    made it, put the cheque back (or refuse with a :class:`Conflict`). See the module's docstring."""
    payment = session.get(PurchasePayment, payment_id)
    if payment is None or payment.cheque_id is None:
        return None
    cheque = _lock_cheque(session, payment.cheque_id)
    if cheque is None:
        return None
    last = session.scalars(select(ChequeEvent).where(ChequeEvent.cheque_id == cheque.id)
                           .order_by(ChequeEvent.id.desc()).limit(1)).first()
    # Only the payment the cheque's present endorsement made (not one its bounce cancelled).
    current = payment.cancelled_on is None and last is not None and last.to_state == cheque.state == "endorsed"
    back_to = last.from_state if current and last is not None else None
    if back_to not in UNDO["endorsed"]:
        raise Conflict("This payment was made by endorsing the customer's cheque {number}, which is now {state}: "
                       "the endorsement can no longer be undone, so the payment is not deleted",
                       number=_Number(cheque.number), state=_Label(dict(CHEQUE_STATES).get(cheque.state, cheque.state),
                                                                   kernel.catalog))
    actor = session.info.get("actor")
    if actor is not None and not actor.can(CHANGE_STATE):
        # Deleting the payment moves the cheque: only someone who may move cheques does it.
        raise Conflict("This payment was made by endorsing the customer's cheque {number}: deleting it gives the "
                       "cheque back, which needs the permission to change cheques' states",
                       number=_Number(cheque.number))
    assert back_to is not None
    on = local_today(kernel.config.timezone)
    supplier = _supplier_name(session, payment.purchase_id)
    cheque.state, cheque.state_on, cheque.revision = back_to, on, cheque.revision + 1
    cheque.endorsed_to_id = None  # its history keeps to whom it had been endorsed
    # A history note is stored text: written in the app's first language, as the alarms' titles.
    session.add(ChequeEvent(cheque_id=cheque.id, on=on, user_id=acting_user_id(session), from_state="endorsed",
                            to_state=back_to, note=kernel.t("fa", NOTE, supplier=supplier)[:1000]))
    payment.cancelled_on = on
    session.flush()
    kernel.emit(ChequeChanged(cheque.id, "endorsed", back_to, cheque.partner_id, cheque.amount, cheque.invoice_id),
                session)
    return cheque


def refuse_restore(session: Session, payment_id: int) -> None:
    """A payment made by endorsing a customer's cheque left only by undoing the endorsement (a
    bounced one's is not deleted): it stays in the recycle bin; the cheque is endorsed anew."""
    payment = session.get(PurchasePayment, payment_id)
    if payment is not None and payment.cheque_id is not None:
        raise Conflict("Deleting this payment undid the endorsement of its cheque: it is not restored. Endorse the "
                       "cheque again from its page")


def _supplier_name(session: Session, purchase_id: int) -> str:
    from modules.base.models import Partner

    name = session.scalar(select(Partner.name).join(Purchase, Purchase.partner_id == Partner.id)
                          .where(Purchase.id == purchase_id))
    return str(name or "")
