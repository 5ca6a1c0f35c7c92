"""Shared set-up of the carpet tests: a carpet-edition kernel, a design «۱۲۰۱» sold as a finance
product with 3 sizes × 2 colours of variants, stock received, a clerk who invoices, two dealers."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import select

from kernel.actor import SYSTEM
from kernel.testing import actor_of, create_record, create_user
from modules.finance.services import catalogue, issuing
from modules.finance.services import drafts as finance_drafts
from modules.finance.services.documents import INVOICE
from modules.finance.tests.finance_helpers import jdate

ENGINES = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]
DAY = jdate(1405, 9, 16)
CLERK = ("finance.invoice.*", "finance.product.*", "finance.attribute.*", "finance.attribute_value.*", "base.partner.*", "carpet.design.*", "carpet.dealer.*",
         "carpet.card.*", "carpet.batch.*", "carpet.batch.make", "carpet.card.void", "carpet.settings.edit",
         "inventory.stock.view", "carpet.dealers.report", "carpet.cards.report")


def carpet_kernel(make_kernel: Any, engine: str = "sqlite", **kw: Any) -> Any:
    return make_kernel(edition="carpet", engine=engine, **kw)


def receive(kernel: Any, product_id: int, quantity: str, serials: tuple[str, ...] = ()) -> None:
    from modules.inventory.services import drafts, posting

    with kernel.session(SYSTEM) as s:
        doc = drafts.new_document(kernel, s, SYSTEM, "receipt", warehouse_id=None, date=DAY)
        drafts.add_line(kernel, s, SYSTEM, doc.id, product_id=product_id, quantity=Decimal(quantity), unit_cost=1000,
                        serials=serials)
        posting.post(kernel, s, SYSTEM, doc.id)


def world(kernel: Any) -> dict[str, Any]:
    """Sara the clerk; design ۱۲۰۱ «افشان» (product «فرش افشان ۱۲۰۰ شانه») in 6 variants with stock;
    dealers «فرشسرای نگین» (Tehran) and «فرش آریا» (Shiraz); a retail customer."""
    from modules.finance.models import Product

    uid = create_user(kernel, "sara", perms=CLERK)
    actor = actor_of(kernel, uid)
    size = create_record(kernel, uid, "finance.attribute", name="اندازه", kind="size", sequence=1)
    colour = create_record(kernel, uid, "finance.attribute", name="رنگ", kind="colour", sequence=2)
    values = [create_record(kernel, uid, "finance.attribute_value", attribute_id=size, name=n, code=c)
              for n, c in (("۶ متری", "6M"), ("۹ متری", "9M"), ("۱۲ متری", "12M"))]
    values += [create_record(kernel, uid, "finance.attribute_value", attribute_id=colour, name=n, code=c)
               for n, c in (("کرم", "CR"), ("سرمه‌ای", "NV"))]
    product = create_record(kernel, uid, "finance.product", name="فرش افشان ۱۲۰۰ شانه", code="AF1201", kind="goods",
                            unit="تخته", price=95_000_000)
    with kernel.session(actor) as s:
        catalogue.generate_variants(kernel, s, actor, product, values)
    with kernel.sessions() as s:
        variants = {name.split(" — ", 1)[1]: int(i) for i, name in s.execute(
            select(Product.id, Product.name).where(Product.parent_id == product).order_by(Product.id))}
    design = create_record(kernel, uid, "carpet.design", code="1201", name="افشان", product_id=product, reeds=1200,
                           density=3600, colours=12)
    negin = create_record(kernel, None, "base.partner", kind="company", name="فرشسرای نگین")
    arya = create_record(kernel, None, "base.partner", kind="company", name="فرش آریا")
    dealers = {"negin": create_record(kernel, uid, "carpet.dealer", partner_id=negin, city="تهران"),
               "arya": create_record(kernel, uid, "carpet.dealer", partner_id=arya, city="شیراز")}
    customer = create_record(kernel, None, "base.partner", kind="person", first_name="مریم", last_name="کریمی",
                             name="مریم کریمی")
    return {"uid": uid, "actor": actor, "product": product, "variants": variants, "design": design,
            "dealers": dealers, "negin": negin, "arya": arya, "customer": customer}


def sell(kernel: Any, w: dict[str, Any], partner_id: int, lines: list[dict[str, Any]]) -> int:
    """An invoice written and issued (as the editor's "issue" does); its id."""
    with kernel.session(w["actor"]) as s:
        doc = finance_drafts.create_document(kernel, s, w["actor"], INVOICE, {"partner_id": partner_id, "date": DAY},
                                             lines)
        issuing.issue_invoice(kernel, s, w["actor"], doc.id)
        return int(doc.id)
