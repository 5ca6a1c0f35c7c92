"""Paying commissions (FIN-13): a set of commission rows marked paid with a date and a reference,
in one transaction, each row's change in its history.

Paying twice is refused, whoever tries and however fast: the rows are read under a row lock
(``FOR UPDATE`` on PostgreSQL; SQLite's writers take turns from their first statement), so a second
payment of the same rows waits for the first and then finds them paid. A reversal (the negative
row of a void or an edit) is paid like any row: it takes back what was paid too much.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from sqlalchemy.orm import Session

from kernel import Actor, Conflict, InputError, PermissionDenied
from kernel.records import FormErrors
from modules.finance.models import Commission, CommissionPayment

PAY = "finance.commission.pay"
REFERENCE_MAX = 100


def unpaid(kernel: Any, session: Session, actor: Actor, agent_id: int | None = None, limit: int = 500) -> list[Commission]:
    """The rows the actor may see and pay that are not paid yet, oldest first."""
    stmt = kernel.scoped_select(actor, Commission).where(Commission.payment_id.is_(None))
    if agent_id is not None:
        stmt = stmt.where(Commission.agent_id == agent_id)
    return list(session.scalars(stmt.order_by(Commission.agent_id, Commission.date, Commission.id).limit(limit)))


def pay(kernel: Any, session: Session, actor: Actor, ids: Iterable[int], paid_on: dt.date | None,
        reference: str, note: str | None = None) -> CommissionPayment:
    """Mark the rows ``ids`` paid on ``paid_on`` with ``reference``; all or none."""
    if not actor.can(PAY):
        raise PermissionDenied(PAY)
    wanted = sorted(set(ids))
    reference = " ".join((reference or "").split())
    errors: dict[str, InputError] = {}
    if not wanted:
        errors["ids"] = InputError("Choose the commissions to pay")
    if paid_on is None:
        errors["paid_on"] = InputError("Give the day of the payment")
    if not reference:
        errors["reference"] = InputError("Give the payment's reference")
    elif len(reference) > REFERENCE_MAX:
        errors["reference"] = InputError("At most {n} characters", n=REFERENCE_MAX)
    if errors:
        raise FormErrors(errors)
    assert paid_on is not None
    rows = list(session.scalars(kernel.scoped_select(actor, Commission).where(Commission.id.in_(wanted))
                                .order_by(Commission.id).with_for_update(of=Commission)))
    if len(rows) != len(wanted):
        raise Conflict("Some of the chosen commissions cannot be found")
    if any(r.payment_id is not None for r in rows):
        raise Conflict("Some of these commissions are already paid")
    payment = CommissionPayment(paid_on=paid_on, reference=reference, amount=sum(r.amount for r in rows),
                                note=(note or "").strip()[:300] or None)
    session.add(payment)
    session.flush()
    for r in rows:
        r.payment_id, r.paid_on = payment.id, paid_on
    session.flush()
    return payment
