"""Payments against an invoice's plan (FIN-08, FIN-10): cash, a credit promise, a cheque, a
deposit slip or a POS payment, each spread over the instalments it covers. One call, one
transaction: the payment, its allocations, its receipt when the money is ours, the
instalments' states, the invoice's history — or, refused, nothing.

Rules. The invoice's row is locked first (``receipts.lock_invoice``), so two payments on one
instalment are written one after the other and the second sees what the first took: a payment
never covers more than the chosen instalments still need (refused on the amount, in Persian: we
keep no customer credit, so overpaying is refused rather than kept). A promise holds a place on
an instalment until real money comes for it: then its part shrinks by what came (the promise is
being kept). Cash, slips and POS clear at once and get their receipt; a cheque clears when the
cheque does (``ChequeChanged``), bounces with it (its instalments open again, the invoice's owner
is alarmed), and while it is still to be collected its due date rings for the invoice's owner.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from kernel import Actor, Conflict, InputError, NotFound, PermissionDenied, raise_alarm
from kernel.actor import SYSTEM
from kernel.persian.jalali import format_jalali
from kernel.persian.numbers import format_code
from kernel.persian.textnorm import clean_input, to_persian_digits
from kernel.records import FormErrors, create_record, get_record
from modules.finance.fiscal_guard import refuse_closed
from modules.finance.models import (
    Allocation,
    BankAccount,
    Cheque,
    Instalment,
    Invoice,
    Payment,
    PosTerminal,
    Receipt,
)
from modules.finance.models.plan import IMMEDIATE, LIVE, PAYMENT_KINDS
from modules.finance.services import plans
from modules.finance.services.documents import note_history
from modules.finance.services.receipts import lock_invoice

RECORD = "finance.receipt.create"
# A cheque that may still pay: at our desk, in the safe, at the bank, with a supplier, or cleared.
CHEQUE_USABLE = ("received", "in_safe", "deposited", "endorsed", "cleared")


@dataclass
class PaymentInput:
    kind: str
    amount: int | None  # None: for a cheque, what is left of it
    on: dt.date | None = None  # received on (a promise: the day promised); today when empty
    instalment_ids: Sequence[int] = ()  # the instalments it covers, in order; none chosen: all
    shares: Mapping[int, int] | None = None  # instalment → amount, when typed per instalment
    cheque_id: int | None = None
    slip_number: str | None = None
    payer_name: str | None = None
    account_id: int | None = None
    terminal_id: int | None = None
    trace_number: str | None = None
    note: str | None = None


def _taken(session: Session, instalment_ids: Sequence[int], *, promises: bool) -> dict[int, int]:
    """What the live payments hold of each instalment (with or without the promises)."""
    if not instalment_ids:
        return {}
    stmt = (select(Allocation.instalment_id, func.sum(Allocation.amount))
            .join(Payment, Payment.id == Allocation.payment_id)
            .where(Allocation.instalment_id.in_(instalment_ids), Payment.state.in_(LIVE),
                   Payment.deleted_at.is_(None)).group_by(Allocation.instalment_id))
    if not promises:
        stmt = stmt.where(Payment.kind != "promise")
    return {int(i): int(s) for i, s in session.execute(stmt)}


def room(session: Session, rows: Sequence[Instalment], kind: str) -> dict[int, int]:
    """What each instalment may still take from a payment of ``kind``: real money ignores the
    promises (it replaces them); a promise takes only what nothing else holds."""
    taken = _taken(session, [r.id for r in rows], promises=kind == "promise")
    return {r.id: max(r.amount - taken.get(r.id, 0), 0) for r in rows}


def _text(raw: str | None, limit: int) -> str | None:
    text = clean_input(raw or "")
    return text[:limit] or None


def _details(kernel: Any, session: Session, actor: Actor, inv: Invoice, data: PaymentInput,
             errors: dict[str, InputError]) -> Cheque | None:
    """The fields each kind needs; the cheque (locked) for a cheque payment."""
    if data.kind == "slip":
        if not _text(data.slip_number, 40):
            errors["slip_number"] = InputError("Give the number of the deposit slip")
        if data.account_id is None or not _live(session, BankAccount, data.account_id):
            errors["account_id"] = InputError("Choose one of our active bank accounts")
    elif data.kind == "pos":
        terminal = session.get(PosTerminal, data.terminal_id) if data.terminal_id else None
        if terminal is None or not terminal.active or terminal.deleted_at is not None:
            errors["terminal_id"] = InputError("Choose one of our active POS terminals")
        else:
            data.account_id = terminal.account_id
        if not _text(data.trace_number, 40):
            errors["trace_number"] = InputError("Give the trace number of the POS payment")
    elif data.kind == "cheque":
        try:
            cheque: Cheque = get_record(kernel, session, actor, kernel.resources["finance.cheque"],
                                        data.cheque_id or 0, for_update=True)
        except (NotFound, PermissionDenied):
            errors["cheque_id"] = InputError("Choose one of the customer's cheques")
            return None
        if cheque.partner_id != inv.partner_id:
            errors["cheque_id"] = InputError("Choose one of the customer's cheques")
        elif cheque.state not in CHEQUE_USABLE:
            errors["cheque_id"] = InputError("This cheque bounced or was returned: it pays nothing any more")
        left = cheque.amount - cheque_used(session, cheque.id)
        if data.amount is None:
            data.amount = left
        if data.amount > left and "cheque_id" not in errors:
            errors["amount"] = InputError("More than what is left of the cheque ({left} Rials)", left=f"{left:,}")
        return cheque
    return None


def _live(session: Session, model: Any, rid: int) -> bool:
    row = session.get(model, rid)
    return row is not None and row.deleted_at is None and bool(getattr(row, "active", True))


def cheque_used(session: Session, cheque_id: int) -> int:
    """What the live payments already take of a cheque."""
    return int(session.scalar(select(func.coalesce(func.sum(Payment.amount), 0)).where(
        Payment.cheque_id == cheque_id, Payment.state.in_(LIVE), Payment.deleted_at.is_(None))) or 0)


def spread(amount: int, rows: Sequence[Instalment], free: Mapping[int, int],
           shares: Mapping[int, int] | None) -> dict[int, int]:
    """The parts of ``amount`` per instalment: as typed, or filling the instalments in order."""
    if shares:
        return {i: a for i, a in shares.items() if a}
    out: dict[int, int] = {}
    left = amount
    for row in rows:
        part = min(left, free[row.id])
        if part:
            out[row.id], left = part, left - part
    return out


def record(kernel: Any, session: Session, actor: Actor, invoice_id: int, data: PaymentInput) -> Payment:
    """Record a payment against the invoice's plan; ``FormErrors`` on the form's fields or
    ``Conflict`` as a whole when refused, nothing changed."""
    if not actor.can(RECORD):
        raise PermissionDenied(RECORD)
    inv = plans.locked_invoice(kernel, session, actor, invoice_id)
    rows = plans.instalments(session, inv.id)
    if not rows:
        raise Conflict("Make the invoice's payment plan first")
    from modules.finance.services.plan_total import check_matches  # -- the total changed since (issue 12)

    check_matches(session, inv)
    errors: dict[str, InputError] = {}
    if data.kind not in dict(PAYMENT_KINDS):
        raise FormErrors({"kind": InputError("Choose one of the listed values")})
    if data.amount is not None and data.amount <= 0:
        errors["amount"] = InputError("The amount must be more than zero")
    cheque = _details(kernel, session, actor, inv, data, errors)
    if data.amount is None and "amount" not in errors:
        errors["amount"] = InputError("Give the amount")
    if errors:
        raise FormErrors(errors)
    assert data.amount is not None
    by_id = {r.id: r for r in rows}
    chosen = [by_id[i] for i in data.instalment_ids if i in by_id] or rows
    free = room(session, chosen, data.kind)
    if data.shares:
        bad = {f"share_{i}": InputError("At most {n} Rials", n=f"{free.get(i, 0):,}")
               for i, a in data.shares.items() if a < 0 or a > free.get(i, 0)}
        if bad:
            raise FormErrors(bad)
        if sum(data.shares.values()) != data.amount:
            raise FormErrors({"amount": InputError("The parts per instalment add up to {sum} Rials, not to the amount",
                                                   sum=f"{sum(data.shares.values()):,}")})
    elif data.amount > sum(free.values()):
        raise FormErrors({"amount": InputError(
            "The amount is more than the chosen instalments still need ({open} Rials): we keep no credit, "
            "record only what is owed", open=f"{sum(free.values()):,}")})
    parts = spread(data.amount, chosen, free, data.shares)
    on = data.on or plans.today(kernel)
    refuse_closed(kernel, session, on=on)  # -- fiscal year
    payment = Payment(invoice_id=inv.id, partner_id=inv.partner_id, kind=data.kind, state="pending", date=on,
                      amount=data.amount, cheque_id=cheque.id if cheque is not None else None,
                      slip_number=_text(data.slip_number, 40), payer_name=_text(data.payer_name, 200),
                      account_id=data.account_id if data.kind in ("slip", "pos") else None,
                      terminal_id=data.terminal_id if data.kind == "pos" else None,
                      trace_number=_text(data.trace_number, 40), note=_text(data.note, 300), owner_id=inv.owner_id)
    session.add(payment)
    session.flush()
    session.add_all([Allocation(payment_id=payment.id, instalment_id=i, amount=a) for i, a in parts.items()])
    session.flush()
    if data.kind != "promise":
        keep_promises(session, [by_id[i] for i in parts])
    if data.kind in IMMEDIATE or (cheque is not None and cheque.state == "cleared"):
        clear(kernel, session, actor, payment, on)
    elif data.kind == "promise":  # the customer's word: the promised day rings like a due date
        payment.reminder_id = plans.ring(
            kernel, session, None, user_id=inv.owner_id, due=on, link=("finance.invoice", inv.id),
            title=kernel.t("fa", "Promised payment of {amount} Rials for invoice {number} on {date}",
                           amount=to_persian_digits(f"{data.amount:,}"), number=inv.number or "",
                           date=format_jalali(on)))
    elif cheque is not None:
        if cheque.invoice_id is None:
            cheque.invoice_id = inv.id  # its bounce then alarms this invoice's owner (services.cheques)
        _cheque_alarm(kernel, session, inv, payment, cheque)
    plans.recount(kernel, session, inv.id)
    kinds = dict(PAYMENT_KINDS)
    note_history(session, inv, {kernel.t("fa", "Payment"): [None, to_persian_digits(
        f"{kernel.t('fa', kinds[data.kind])} {data.amount:,} ({format_jalali(on)})")]})
    return payment


def keep_promises(session: Session, rows: Sequence[Instalment]) -> None:
    """Real money came for these instalments: the promises on them shrink by what no longer
    fits, oldest first; a promise left with nothing is kept."""
    for row in rows:
        real = _taken(session, [row.id], promises=False).get(row.id, 0)
        over = real + _promised(session, row.id) - row.amount
        if over <= 0:
            continue
        parts = session.scalars(select(Allocation).join(Payment, Payment.id == Allocation.payment_id).where(
            Allocation.instalment_id == row.id, Payment.kind == "promise", Payment.state == "pending",
            Payment.deleted_at.is_(None)).order_by(Allocation.id)).all()
        for part in parts:
            cut = min(part.amount, over)
            part.amount, over = part.amount - cut, over - cut
            if over == 0:
                break
        session.flush()
        for pid in {p.payment_id for p in parts}:
            left = session.scalar(select(func.sum(Allocation.amount)).where(Allocation.payment_id == pid)) or 0
            if not left:
                promise = session.get(Payment, pid)
                if promise is not None:
                    promise.state = "kept"
                    plans.stop(session, promise.reminder_id)


def _promised(session: Session, instalment_id: int) -> int:
    return int(session.scalar(select(func.coalesce(func.sum(Allocation.amount), 0))
                              .join(Payment, Payment.id == Allocation.payment_id)
                              .where(Allocation.instalment_id == instalment_id, Payment.kind == "promise",
                                     Payment.state == "pending", Payment.deleted_at.is_(None))) or 0)


def clear(kernel: Any, session: Session, actor: Actor, payment: Payment, on: dt.date) -> Receipt:
    """The payment's money is ours: it is cleared on ``on`` and gets its receipt, which moves the
    invoice's received amount and balance (``receipts.settle``, under the invoice's lock)."""
    payment.state, payment.cleared_on = "cleared", on
    plans.stop(session, payment.reminder_id)
    session.flush()
    method = payment.kind if payment.kind in ("slip", "pos", "cheque") else "cash"
    return create_record(kernel, session, actor, kernel.resources["finance.receipt"], {
        "invoice_id": payment.invoice_id, "date": on, "amount": payment.amount, "method": method,
        "note": payment.note, "payment_id": payment.id})


def _cheque_alarm(kernel: Any, session: Session, inv: Invoice, payment: Payment, cheque: Cheque) -> None:
    if cheque.state not in ("received", "in_safe"):
        return  # already at the bank or with a supplier: nothing left to do on its due date
    title = kernel.t("fa", "Cheque {number} of invoice {invoice} falls due on {date}", number=cheque.number,
                     invoice=inv.number or "", date=format_jalali(cheque.due_date))
    payment.reminder_id = plans.ring(kernel, session, payment.reminder_id, user_id=inv.owner_id, due=cheque.due_date,
                                     title=title, link=("finance.cheque", cheque.id))


# -- what happens to a plan's payments when their cheque or receipt changes ---------------------------
def on_cheque_changed(kernel: Any, session: Session, event: Any) -> None:
    """``ChequeChanged``: cleared → its payments clear (receipts, instalments paid); bounced or
    returned → they stop counting and their instalments open again; a bounce alarms the owner
    of each invoice it paid that the cheque service did not alarm already; an endorsement undone
    (back from ``endorsed``, :mod:`~modules.finance.services.endorsements`) rings the due date again."""
    cheque = session.get(Cheque, event.cheque_id)
    if cheque is not None and event.from_state == "legal" and event.to_state == "cleared":
        from modules.finance.services.cheque_recovery import reapply  # -- cleared after a bounce (issue 12)

        reapply(kernel, session, cheque, cheque.state_on or plans.today(kernel))
    payments = list(session.scalars(select(Payment).where(Payment.cheque_id == event.cheque_id,
                                                          Payment.state == "pending",
                                                          Payment.deleted_at.is_(None)).order_by(Payment.id)))
    if not payments or cheque is None:
        return
    for payment in payments:
        inv = lock_invoice(session, payment.invoice_id)
        if inv is None:
            continue
        if event.to_state == "cleared":
            clear(kernel, session, SYSTEM, payment, cheque.state_on or plans.today(kernel))
        elif event.to_state in ("bounced", "returned"):
            payment.state = "bounced" if event.to_state == "bounced" else "cancelled"
            plans.stop(session, payment.reminder_id)
            if event.to_state == "bounced" and inv.id != event.invoice_id and inv.owner_id:
                raise_alarm(session, user_id=inv.owner_id, link=("finance.invoice", inv.id),
                            title=kernel.t("fa", "Cheque {number} bounced", number=format_code(cheque.number, "fa")))
        elif event.from_state == "endorsed" and event.to_state in ("received", "in_safe"):
            _cheque_alarm(kernel, session, inv, payment, cheque)  # an endorsement undone: ours again
        elif event.to_state not in ("received", "in_safe"):
            plans.stop(session, payment.reminder_id)  # deposited or endorsed: its due date is the bank's
        session.flush()
        plans.recount(kernel, session, inv.id)


def on_receipt_changed(kernel: Any, session: Session, event: Any) -> None:
    """A receipt deleted or restored takes its payment with it; one written without a payment
    (the "Receive cash" form) on an invoice with a plan is folded in as a cash payment on the
    instalments in order; a plan payment's receipt keeps its amount."""
    receipt = session.get(Receipt, event.record_id) if event.action != "purge" else None
    if receipt is None:
        return
    if receipt.payment_id is None:
        if event.action == "create" and plans.instalments(session, receipt.invoice_id):
            fold_in(kernel, session, receipt)
        return
    payment = session.get(Payment, receipt.payment_id)
    if payment is None:
        return
    if event.action == "update" and (receipt.amount != payment.amount or receipt.invoice_id != payment.invoice_id):
        raise FormErrors({"amount": InputError("This receipt is a payment of the invoice's plan: delete it and "
                                               "record the payment again")})
    if event.action == "delete":
        payment.state = "cancelled"
    elif event.action == "restore":
        payment.state = "cleared"
    plans.recount(kernel, session, receipt.invoice_id)


def fold_in(kernel: Any, session: Session, receipt: Receipt) -> Payment:
    """Cash received outside the plan's form becomes a cash payment on the instalments in order;
    refused on the amount when the plan has no room for it."""
    rows = plans.instalments(session, receipt.invoice_id)
    free = room(session, rows, "cash")
    if receipt.amount > sum(free.values()):
        raise FormErrors({"amount": InputError(
            "The amount is more than the chosen instalments still need ({open} Rials): we keep no credit, "
            "record only what is owed", open=f"{sum(free.values()):,}")})
    inv = session.get(Invoice, receipt.invoice_id)
    payment = Payment(invoice_id=receipt.invoice_id, partner_id=inv.partner_id if inv else 0, kind="cash",
                      state="cleared", date=receipt.date, cleared_on=receipt.date, amount=receipt.amount,
                      note=receipt.note, owner_id=inv.owner_id if inv else None)
    session.add(payment)
    session.flush()
    parts = spread(receipt.amount, rows, free, None)
    session.add_all([Allocation(payment_id=payment.id, instalment_id=i, amount=a) for i, a in parts.items()])
    receipt.payment_id = payment.id
    session.flush()
    keep_promises(session, [r for r in rows if r.id in parts])
    plans.recount(kernel, session, receipt.invoice_id)
    return payment


def of_invoice(session: Session, invoice_id: int) -> list[tuple[Payment, list[Allocation]]]:
    """The invoice's payments, newest first, each with its allocations."""
    payments = list(session.scalars(select(Payment).where(Payment.invoice_id == invoice_id,
                                                          Payment.deleted_at.is_(None)).order_by(Payment.id.desc())))
    parts: dict[int, list[Allocation]] = {}
    if payments:
        for a in session.scalars(select(Allocation).where(Allocation.payment_id.in_([p.id for p in payments]))
                                 .order_by(Allocation.id)):
            parts.setdefault(a.payment_id, []).append(a)
    return [(p, parts.get(p.id, [])) for p in payments]
