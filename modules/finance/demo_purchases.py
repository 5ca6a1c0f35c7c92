"""Demo purchase invoices (``peyvand init --demo``): the suppliers' invoices for a few goods,
posted before the demo's invoices are issued so the products sold have an average cost (the
profit report has figures); once our bank accounts exist, one is paid in cash in part and the
other by a cheque of ours (:func:`pay_purchases`)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import select

from kernel import security
from kernel.models import User
from kernel.timezone import local_today
from modules.base.models import Partner, PartnerRole
from modules.finance.models import BankAccount, Product, Purchase
from modules.finance.services import own_cheques, purchase_payments, purchases


def load_purchases(kernel: Any, session: Any) -> str:
    admin_id = session.scalars(select(User.id).where(User.is_admin.is_(True)).order_by(User.id)).first()
    actor = security.load_actor(session, admin_id) if admin_id is not None else None
    suppliers = list(session.scalars(select(Partner.id).join(PartnerRole, PartnerRole.partner_id == Partner.id)
                                     .where(PartnerRole.role == "supplier", Partner.deleted_at.is_(None))
                                     .order_by(Partner.id).limit(2)))
    goods = list(session.scalars(select(Product).where(Product.kind == "goods", Product.deleted_at.is_(None),
                                                       Product.active.is_(True)).order_by(Product.id).limit(3)))
    if actor is None or not suppliers or not goods:
        return "no supplier or goods: no purchases"
    today = local_today(kernel.config.timezone)
    made = []
    for i, product_group in enumerate((goods[:2], goods[1:])):
        on = today - dt.timedelta(days=40 - 20 * i)
        lines = [{"product_id": p.id, "quantity": 5 + 5 * i, "unit_cost": int((p.price or 1_000_000) * (6 + i) // 10)}
                 for p in product_group]
        doc = purchases.create_purchase(kernel, session, actor, {"partner_id": suppliers[i % len(suppliers)],
                                                                 "date": on, "supplier_number": f"F-{1402 + i}"},
                                        lines)
        purchases.post(kernel, session, actor, doc.id)
        made.append(doc)
    return f"{len(made)} purchase invoices added"


def pay_purchases(kernel: Any, session: Any) -> str:
    """Half of the first demo purchase in cash, the second by our cheque from our first account."""
    admin_id = session.scalars(select(User.id).where(User.is_admin.is_(True)).order_by(User.id)).first()
    actor = security.load_actor(session, admin_id) if admin_id is not None else None
    made = list(session.scalars(select(Purchase).where(Purchase.state == "posted").order_by(Purchase.id).limit(2)))
    account = session.scalar(select(BankAccount.id).where(BankAccount.active.is_(True)).order_by(BankAccount.id))
    if actor is None or len(made) < 2 or account is None:
        return "no purchases paid"
    today = local_today(kernel.config.timezone)
    purchase_payments.pay(kernel, session, actor, made[0].id, made[0].grand_total // 2, today, "cash")
    own_cheques.give(kernel, session, actor, made[1].id, amount=made[1].grand_total, on=today, account_id=account,
                     number="900101", due_date=today + dt.timedelta(days=30))
    return "2 purchases paid (cash, our cheque)"
