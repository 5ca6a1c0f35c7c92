"""Demo data of the carpet module (``make run EDITION=carpet``) — the shop link's part is ``shop/demo.py`` —: two designs — «۷۰۱ کاشان» on
finance's demo carpet and «A-1201 افشان» with 3 sizes × 2 colours and stock —, two dealers, the
warranty cards of the invoices already issued, a dealer's invoice of two carpets with its cards,
one card registered by its customer and a batch printed ahead for the other dealer."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from sqlalchemy import select

from kernel.actor import SYSTEM
from kernel.db import utcnow
from kernel.models import User
from kernel.records import create_record
from kernel.timezone import local_today
from modules.carpet.models import WarrantyCard
from modules.carpet.services.cards import cards_for_invoice, make_batch
from modules.finance.models import Attribute, AttributeValue, Invoice, Product

DEMO_MARK = "carpet.demo"


def load(kernel: Any, session: Any) -> str:
    from modules.carpet.shop.demo import load_shop

    return "; ".join([_cards(kernel, session), load_shop(kernel, session)])


def _cards(kernel: Any, session: Any) -> str:
    from kernel import security
    from modules.finance.services import drafts, issuing
    from modules.finance.services.catalogue import generate_variants
    from modules.finance.services.documents import INVOICE
    from modules.inventory.services import drafts as stock_drafts
    from modules.inventory.services import posting

    if kernel.setting(session, DEMO_MARK, ""):
        return "already loaded"

    def add(resource: str, **values: Any) -> int:
        return int(create_record(kernel, session, SYSTEM, kernel.resources[resource], values).id)

    admin = session.scalars(select(User.id).where(User.is_admin.is_(True)).order_by(User.id)).first()
    kashan = session.scalar(select(Product.id).where(Product.code == "KSH700", Product.deleted_at.is_(None)))
    values = {(kind, name): int(i) for i, kind, name in session.execute(
        select(AttributeValue.id, Attribute.kind, AttributeValue.name)
        .join(Attribute, Attribute.id == AttributeValue.attribute_id).where(AttributeValue.deleted_at.is_(None)))}
    chosen = [values.get(("size", n)) for n in ("۶ متری", "۹ متری", "۱۲ متری")] + \
        [values.get(("colour", n)) for n in ("کرم", "سرمه‌ای")]
    if admin is None or kashan is None or None in chosen:
        return "no administrator or finance's demo carpet yet: nothing added"
    add("carpet.design", code="701", name="کاشان", product_id=kashan, reeds=700, density=2550, colours=8,
        description="طرح کلاسیک کاشان با ترنج")
    afshan = add("finance.product", name="فرش افشان ۱۲۰۰ شانه", code="AF1201", kind="goods", unit="تخته",
                 price=95_000_000, description="فرش ماشینی ۱۲۰۰ شانه، تراکم ۳۶۰۰، نخ اکریلیک هیت‌ست")
    made = generate_variants(kernel, session, SYSTEM, afshan, [int(v) for v in chosen if v is not None]).created
    design = add("carpet.design", code="A-1201", name="افشان", product_id=afshan, reeds=1200, density=3600,
                 colours=12, description="افشان گل‌درشت، حاشیهٔ پهن")
    today = local_today(kernel.config.timezone)
    receipt = stock_drafts.new_document(kernel, session, SYSTEM, "receipt", warehouse_id=None, date=today)
    for i, variant in enumerate(made):
        stock_drafts.add_line(kernel, session, SYSTEM, receipt.id, product_id=variant, quantity=Decimal(4 + i),
                              unit_cost=60_000_000)
    posting.post(kernel, session, SYSTEM, receipt.id)

    negin = add("base.partner", kind="company", name="فرشسرای نگین", mobile="+989121234001")
    arya = add("base.partner", kind="company", name="فرش آریا", mobile="+989171234002")
    add("carpet.dealer", partner_id=negin, city="تهران", note="نمایندهٔ انحصاری بازار تهران")
    dealer_arya = add("carpet.dealer", partner_id=arya, city="شیراز")

    # The invoices issued before the designs existed (finance's demo) get their cards now.
    earlier = 0
    for invoice_id in session.scalars(select(Invoice.id).where(Invoice.state == "issued").order_by(Invoice.id)):
        earlier += len(cards_for_invoice(session, invoice_id, admin))
    actor = security.load_actor(session, admin) or SYSTEM
    sale = drafts.create_document(kernel, session, actor, INVOICE, {
        "partner_id": negin, "date": today, "title": "فروش دو تخته فرش افشان به نماینده"},
        [{"product_id": made[2], "quantity": "1"}, {"product_id": made[5], "quantity": "1"}])
    issuing.issue_invoice(kernel, session, actor, sale.id)  # its two cards are made by carpet's listener
    first = session.scalars(select(WarrantyCard).where(WarrantyCard.invoice_id == sale.id)
                            .order_by(WarrantyCard.id)).first()
    customer = add("base.partner", kind="person", first_name="مریم", last_name="کریمی", name="مریم کریمی",
                   mobile="+989351234567")
    if first is not None:
        first.state, first.partner_id, first.mobile, first.registered_at = \
            "registered", customer, "+989351234567", utcnow()
    make_batch(session, actor, dealer_arya, 8, design, "کارت‌های نمایشگاه شیراز")
    for card in session.scalars(select(WarrantyCard).where(WarrantyCard.owner_id.is_(None))):
        card.owner_id = admin
    session.flush()
    kernel.set_setting(session, DEMO_MARK, "1")
    return (f"2 designs, {len(made)} variants with stock, 2 dealers, {earlier} cards "
            "of earlier invoices, an invoice of 2 carpets with its cards (one registered), a batch of 8 cards added")
