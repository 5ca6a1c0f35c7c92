"""Demo proformas and invoices (``peyvand init --demo``), written through the finance services as
the administrator, so a new user's lists, filters and menus have something in them: an issued
proforma, one converted into a partly paid invoice, a draft, an invoice issued directly and paid
in full, and a voided one that keeps its number."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import select

from kernel import security
from kernel.models import User
from kernel.timezone import local_today
from modules.base.models import Partner, PartnerRole
from modules.finance.models import Product
from modules.finance.services import drafts, issuing, receipts
from modules.finance.services.documents import PROFORMA


def demo_customers(session: Any) -> list[int]:
    rows = session.scalars(select(Partner.id).join(PartnerRole, PartnerRole.partner_id == Partner.id)
                           .where(PartnerRole.role.in_(("customer", "opportunity")), Partner.deleted_at.is_(None))
                           .order_by(Partner.id).limit(4))
    return list(dict.fromkeys(rows))


def load_documents(kernel: Any, session: Any) -> str:
    admin_id = session.scalars(select(User.id).where(User.is_admin.is_(True)).order_by(User.id)).first()
    customers = demo_customers(session)
    codes = {p.code: p.id for p in session.scalars(select(Product).where(Product.code.is_not(None)))}
    variant = session.scalar(select(Product.id).where(Product.parent_id == codes.get("KSH700"),
                                                      Product.name.contains("۹ متری")).order_by(Product.id))
    if admin_id is None or not customers or variant is None:
        return "no administrator, customer or carpet yet: no documents"
    actor = security.load_actor(session, admin_id)
    if actor is None:
        return "the administrator cannot sign in: no documents"
    today = local_today(kernel.config.timezone)

    def header(i: int, title: str, days_ago: int, **more: Any) -> dict[str, Any]:
        return {"partner_id": customers[i % len(customers)], "date": today - dt.timedelta(days=days_ago),
                "title": title, **more}

    carpet = {"product_id": variant, "quantity": "2", "discount_kind": "percent", "discount_value": "3"}
    mats = {"product_id": codes["PD-1"], "quantity": "12"}  # FAQ 18: over ten, the lower tier price
    wash = {"product_id": codes["SRV-W"], "quantity": "24", "discount_kind": "rial", "discount_value": "500000"}

    offer = drafts.create_document(kernel, session, actor, PROFORMA, header(
        0, "پیشنهاد فرش سالن همایش", 6, valid_until=today + dt.timedelta(days=10), discount_kind="percent",
        discount_value=2, shipping=1_500_000), [carpet, mats, wash])
    issuing.issue_proforma(kernel, session, actor, offer.id)
    sold = drafts.create_document(kernel, session, actor, PROFORMA, header(1, "فرش دفتر مرکزی", 20), [carpet, mats])
    issuing.issue_proforma(kernel, session, actor, sold.id)
    invoice = issuing.convert(kernel, session, actor, sold.id)
    receipts.receive_cash(kernel, session, actor, invoice.id, invoice.grand_total // 2, today - dt.timedelta(days=5),
                          note="پیش‌پرداخت نقدی")
    drafts.create_document(kernel, session, actor, PROFORMA, header(2, "شستشوی فرش‌های هتل", 1), [wash])
    paid = issuing.invoice_directly(kernel, session, actor, header(3, "فروش حضوری", 3), [mats])
    receipts.receive_cash(kernel, session, actor, paid.id, paid.grand_total, today - dt.timedelta(days=3))
    wrong = issuing.invoice_directly(kernel, session, actor, header(0, "صدور اشتباه", 2), [wash])
    issuing.void_invoice(kernel, session, actor, wrong.id, "مشتری اشتباه انتخاب شده بود")
    for doc in (offer, sold, invoice, paid, wrong):
        doc.owner_id = admin_id
    session.flush()
    return "3 proformas (one converted) and 3 invoices (one partly paid, one paid, one void) added"
