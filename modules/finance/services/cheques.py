"""Cheques (FIN-09): the rules of the cheque's form in every path, and the one way its state
changes — :func:`change_state`, one transaction with its history row, its event and (for a bounce)
the alarm, refused as a whole when anything is wrong.

Concurrency: the cheque's row is locked (``SELECT … FOR UPDATE`` on PostgreSQL; a SQLite writer
holds the database) and the ``revision`` the user saw must still be the cheque's. Of two users
changing one cheque at once the first wins; the second waits for the lock, then finds a newer
revision and is refused with a message, nothing of theirs applied.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from kernel import Actor, Conflict, InputError, PermissionDenied, raise_alarm
from kernel.persian.numbers import format_code
from kernel.records import FormErrors, get_record
from kernel.timezone import local_today
from modules.base.services.roles import roles_of
from modules.finance.banking_codes import compact
from modules.finance.cheque_states import EDITABLE, INITIAL, may_move
from modules.finance.events import ChequeChanged
from modules.finance.fiscal_guard import problems
from modules.finance.models import BankAccount, Cheque, ChequeEvent, Invoice

CHANGE_STATE = "finance.cheque.change_state"
# Details fixed once the cheque has left our desk and safe (the bank or a supplier has it).
_FIXED = ("amount", "number", "sayad_id", "bank_id", "due_date", "partner_id")


def check_cheque(values: Mapping[str, Any], record: Cheque | None = None, session: Session | None = None,
                 kernel: Any = None, **_: Any) -> dict[str, InputError]:
    """The form's rules (form, API, imports, services): a positive amount, a due date not before
    the day it was received, a Sayad ID unique per bank, details fixed once it left the safe."""
    errors: dict[str, InputError] = {}
    amount = values.get("amount")
    if amount is not None and amount <= 0:
        errors["amount"] = InputError("The amount must be more than zero")
    due, received = values.get("due_date"), values.get("received_on")
    if due and received and due < received:
        errors["due_date"] = InputError("A cheque cannot fall due before the day it was received")
    if kernel is not None and session is not None and received \
            and (record is None or received != record.received_on):  # -- fiscal year
        errors |= problems(kernel, session, {"received_on": received})
    if record is not None and record.state not in EDITABLE:
        for name in _FIXED:
            if name in values and values[name] != getattr(record, name):
                errors[name] = InputError("A cheque that left the safe keeps its details: "
                                          "this cannot be changed any more")
    sayad, bank = values.get("sayad_id"), values.get("bank_id")
    if session is not None and sayad and bank and "sayad_id" not in errors:
        other = select(Cheque.id).where(Cheque.bank_id == bank, Cheque.sayad_id == compact(sayad),
                                        Cheque.deleted_at.is_(None))
        if record is not None and record.id is not None:
            other = other.where(Cheque.id != record.id)
        if session.scalar(other.limit(1)) is not None:
            errors["sayad_id"] = InputError("Another cheque of this bank has this Sayad ID")
    return errors


def lock(kernel: Any, session: Session, actor: Actor, cheque_id: int) -> Cheque:
    """The cheque as it is now, its row locked until the transaction ends; NotFound outside the
    actor's scope."""
    cheque: Cheque = get_record(kernel, session, actor, kernel.resources["finance.cheque"], cheque_id,
                                for_update=True)
    session.refresh(cheque)  # read after the lock was granted: what the previous winner wrote
    return cheque


def change_state(kernel: Any, session: Session, actor: Actor, cheque_id: int, to_state: str, *,
                 revision: int | None = None, on: dt.date | None = None, note: str | None = None,
                 endorsed_to_id: int | None = None, account_id: int | None = None,
                 purchase_id: int | None = None) -> Cheque:
    """Move a cheque to ``to_state``: only an allowed move, only from the ``revision`` the user
    saw (None: whatever it is now). Writes the history row, emits ``ChequeChanged``, and for a
    bounce raises an alarm to the invoice's owner (else the cheque's). Refusals: ``Conflict``
    (changed meanwhile) or ``FormErrors`` on the form's fields; nothing is changed then."""
    if not actor.can(CHANGE_STATE):
        raise PermissionDenied(CHANGE_STATE)
    cheque = lock(kernel, session, actor, cheque_id)
    if revision is not None and revision != cheque.revision:
        raise Conflict("Someone else changed this cheque meanwhile: look at its state again and choose anew")
    if not may_move(cheque.state, to_state):
        raise FormErrors({"to_state": InputError("This change is not allowed from the cheque's present state")})
    on = on or local_today(kernel.config.timezone)
    errors: dict[str, InputError] = problems(kernel, session, {"on": on})  # -- fiscal year
    if on < cheque.received_on:
        errors["on"] = InputError("A change cannot be dated before the cheque was received")
    if to_state == "endorsed":
        if endorsed_to_id is None:
            errors["endorsed_to_id"] = InputError("Choose the supplier the cheque is endorsed to")
        elif "supplier" not in roles_of(session, endorsed_to_id) or not _visible_partner(kernel, session, actor,
                                                                                          endorsed_to_id):
            errors["endorsed_to_id"] = InputError("A cheque is endorsed only to a partner with the supplier role")
    if account_id is not None and (to_state != "deposited" or not _live_account(session, account_id)):
        errors["account_id"] = InputError("Choose one of our active bank accounts")
    # -- purchases: an endorsement may pay one of the supplier's purchase invoices (FIN-18)
    if purchase_id is not None and to_state != "endorsed":
        errors["purchase_id"] = InputError("Only an endorsement pays a purchase invoice")
    if errors:
        raise FormErrors(errors)
    from_state = cheque.state
    cheque.state, cheque.state_on, cheque.revision = to_state, on, cheque.revision + 1
    if to_state == "endorsed":
        cheque.endorsed_to_id = endorsed_to_id
    if to_state == "deposited":
        cheque.deposit_account_id = account_id
    session.add(ChequeEvent(cheque_id=cheque.id, on=on, user_id=actor.user_id or None, from_state=from_state,
                            to_state=to_state, note=(note or "").strip()[:1000] or None,
                            endorsed_to_id=endorsed_to_id if to_state == "endorsed" else None,
                            account_id=account_id))
    session.flush()
    if to_state == "bounced":
        _alarm_bounce(kernel, session, cheque)
    kernel.emit(ChequeChanged(cheque.id, from_state, to_state, cheque.partner_id, cheque.amount, cheque.invoice_id),
                session)
    if purchase_id is not None:  # -- purchases: in this transaction; a refusal undoes the endorsement
        from modules.finance.services.purchase_payments import pay_by_endorsement

        pay_by_endorsement(kernel, session, actor, purchase_id, cheque, on)
    return cheque


def record_received(session: Session, cheque_id: int, user_id: int | None) -> None:
    """The first line of a new cheque's history: received, on the day it was received."""
    cheque = session.get(Cheque, cheque_id)
    if cheque is not None:
        session.add(ChequeEvent(cheque_id=cheque_id, on=cheque.received_on, user_id=user_id or None,
                                from_state=None, to_state=INITIAL))


def history(session: Session, cheque_id: int) -> list[ChequeEvent]:
    return list(session.scalars(select(ChequeEvent).where(ChequeEvent.cheque_id == cheque_id)
                                .order_by(ChequeEvent.id)))


def _alarm_bounce(kernel: Any, session: Session, cheque: Cheque) -> None:
    # (The plans re-open the instalments this cheque covered, on ChequeChanged: services/payments.py.)
    owner = cheque.owner_id
    if cheque.invoice_id is not None:
        owner = session.scalar(select(Invoice.owner_id).where(Invoice.id == cheque.invoice_id)) or owner
    if owner:
        # An alarm's title is stored as text: written in the app's first language, the number as a
        # Persian screen shows it (Persian digits, isolated left to right).
        raise_alarm(session, user_id=owner, title=kernel.t("fa", "Cheque {number} bounced",
                                                           number=format_code(cheque.number, "fa")),
                    link=("finance.cheque", cheque.id))


def _visible_partner(kernel: Any, session: Session, actor: Actor, partner_id: int) -> bool:
    from modules.base.models import Partner

    return session.scalar(kernel.scoped_select(actor, Partner).with_only_columns(Partner.id)
                          .where(Partner.id == partner_id, Partner.deleted_at.is_(None))) is not None


def _live_account(session: Session, account_id: int) -> bool:
    return session.scalar(select(BankAccount.id).where(BankAccount.id == account_id, BankAccount.active.is_(True),
                                                       BankAccount.deleted_at.is_(None))) is not None
