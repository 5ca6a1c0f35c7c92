"""What a purchase invoice's work page shows (FIN-18): its lines, totals, payments and our cheques
among them, the products to choose from and our accounts; read in one session, inside the scope."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from kernel import Actor
from kernel.records import get_record
from modules.base.models import Partner
from modules.finance.models import BankAccount, OwnCheque, Product, PurchasePayment
from modules.finance.models.own_cheque import OWN_CHEQUE_STATES, OWN_MOVES
from modules.finance.models.purchase import PAYMENT_METHODS, PURCHASE_STATES
from modules.finance.services.purchases import RESOURCE, lines_of

PRODUCTS_LISTED = 1000  # the line form's choice; a larger catalogue is typed by its id (the API)


def work_page(kernel: Any, session: Session, actor: Actor, purchase_id: int) -> dict[str, Any]:
    doc = get_record(kernel, session, actor, kernel.resources[RESOURCE], purchase_id)
    lines = lines_of(session, doc.id)
    names = dict(session.execute(select(Product.id, Product.name).where(
        Product.id.in_({li.product_id for li in lines} or {0}))).all())
    products = session.execute(select(Product.id, Product.name).where(
        Product.deleted_at.is_(None), Product.active.is_(True)).order_by(Product.sort_key, Product.id)
        .limit(PRODUCTS_LISTED)).all()
    payments = list(session.scalars(select(PurchasePayment).where(
        PurchasePayment.purchase_id == doc.id, PurchasePayment.deleted_at.is_(None)).order_by(PurchasePayment.id)))
    own = {c.id: c for c in session.scalars(select(OwnCheque).where(
        OwnCheque.id.in_({p.own_cheque_id for p in payments if p.own_cheque_id} or {0})))}
    accounts = session.execute(select(BankAccount.id, BankAccount.title).where(
        BankAccount.active.is_(True), BankAccount.deleted_at.is_(None)).order_by(BankAccount.title)).all()
    return {
        "purchase": doc, "lines": lines, "names": names, "products": products, "payments": payments,
        "own": own, "accounts": accounts, "supplier": session.get(Partner, doc.partner_id),
        "states": dict(PURCHASE_STATES), "methods": dict(PAYMENT_METHODS), "own_states": dict(OWN_CHEQUE_STATES),
        "own_moves": OWN_MOVES, "can_edit": doc.state == "draft" and actor.can("finance.purchase.edit"),
        "can_post": doc.state == "draft" and actor.can("finance.purchase.post"),
        "can_void": doc.state == "posted" and actor.can("finance.purchase.delete"),
        "can_pay": doc.state == "posted" and doc.balance > 0 and actor.can("finance.purchase_payment.create"),
        "can_move_own": actor.can("finance.own_cheque.edit"),
        "back": f"/finance/purchase/{doc.id}",
    }
