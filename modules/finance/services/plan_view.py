"""What an invoice's payment plan page shows: the instalments, the payments with the
instalments each covers, the customer's payment-behaviour score (services/score_view.py), and for the
payment form the customer's cheques that may still pay, our accounts and POS terminals."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from kernel import Actor
from kernel.records import get_record
from modules.finance.models import BankAccount, Cheque, PosTerminal
from modules.finance.models.plan import INSTALMENT_STATES, PAYMENT_KINDS, PAYMENT_STATES
from modules.finance.services import payments, plans
from modules.finance.services.score_view import customer_score

CHEQUES_SHOWN = 50


def plan_page(kernel: Any, session: Session, actor: Actor, invoice_id: int) -> dict[str, Any]:
    """The context of ``finance/plan.html`` (NotFound outside the actor's scope)."""
    inv = get_record(kernel, session, actor, kernel.resources["finance.invoice"], invoice_id)
    rows = plans.instalments(session, inv.id)
    paid = payments.of_invoice(session, inv.id)
    position = {r.id: r.position for r in rows}
    can_pay = actor.can(payments.RECORD) and inv.state == "issued" and bool(rows)
    cheques: list[tuple[Cheque, int]] = []
    if can_pay:
        found = session.scalars(kernel.scoped_select(actor, Cheque).where(
            Cheque.partner_id == inv.partner_id, Cheque.state.in_(payments.CHEQUE_USABLE))
            .order_by(Cheque.due_date, Cheque.id).limit(CHEQUES_SHOWN))
        cheques = [(c, c.amount - payments.cheque_used(session, c.id)) for c in found]
        cheques = [(c, left) for c, left in cheques if left > 0]
    live = (BankAccount.active.is_(True), BankAccount.deleted_at.is_(None))
    # A cheque payment reads its cheque's number, as printed on the paper (not its row id).
    paid_by = {p.cheque_id for p, _ in paid if p.cheque_id}
    numbers = dict(session.execute(select(Cheque.id, Cheque.number).where(Cheque.id.in_(paid_by))).all()
                   if paid_by else [])
    return {
        "invoice": inv, "rows": rows, "payments": paid, "position": position,
        "open": sum(r.amount - r.paid for r in rows), "planned": sum(r.amount for r in rows),
        "score": customer_score(kernel, session, inv.partner_id, actor.lang),
        "can_plan": actor.can(plans.PLAN) and inv.state == "issued" and not plans.has_payments(session, inv.id),
        "can_pay": can_pay, "cheques": cheques, "cheque_numbers": numbers,
        "accounts": list(session.execute(select(BankAccount.id, BankAccount.title).where(*live)
                                         .order_by(BankAccount.title))) if can_pay else [],
        "terminals": list(session.execute(select(PosTerminal.id, PosTerminal.name).where(
            PosTerminal.active.is_(True), PosTerminal.deleted_at.is_(None)).order_by(PosTerminal.name)))
        if can_pay else [],
        "kinds": PAYMENT_KINDS, "kind_labels": dict(PAYMENT_KINDS), "state_labels": dict(INSTALMENT_STATES),
        "payment_states": dict(PAYMENT_STATES), "back": f"/finance/invoice/{inv.id}",
    }
