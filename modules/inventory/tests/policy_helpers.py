"""Shared set-up of the invoices-and-stock tests: a tier-3 kernel with inventory added, a clerk
who invoices (no inventory permission: the invoice moves its goods on its own), a storekeeper,
finance's customer and products, receipts, invoices and the stock levels."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import select

from kernel.actor import SYSTEM
from kernel.testing import actor_of, create_user
from modules.finance.services import drafts as finance_drafts
from modules.finance.services import issuing
from modules.finance.services.documents import INVOICE, PROFORMA
from modules.finance.tests.finance_helpers import PERMS, jdate, world

ENGINES = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]
DAY = jdate(1405, 9, 16)
MANAGER = ("inventory.settings.edit", "inventory.invoice.deliver", "finance.invoice.view", "finance.proforma.view",
           "finance.product.view")


def inventory_kernel(make_kernel: Callable[..., Any], engine: str = "sqlite") -> Any:
    return make_kernel(engine=engine, edition="tier3", modules=("inventory",))


def shop(kernel: Any) -> dict[str, Any]:
    """Finance's world (Sara invoices; a carpet, a cloth, a service) and Maryam, who runs stock."""
    w = world(kernel, (*PERMS, "finance.invoice.edit_issued"))
    w["manager"] = actor_of(kernel, create_user(kernel, "maryam", perms=MANAGER))
    return w


def set_policy(kernel: Any, invoices: str, reserves: bool = False, warehouse_id: int | None = None) -> None:
    from modules.inventory import policy

    with kernel.session() as s:
        policy.save(kernel, s, invoices, warehouse_id, reserves)


def warehouse(kernel: Any, name: str = "انبار مرکزی") -> int:
    from modules.inventory.models import Warehouse

    with kernel.sessions() as s:
        return int(s.scalar(select(Warehouse.id).where(Warehouse.name == name)))


def receive(kernel: Any, product_id: int, quantity: str, warehouse_id: int | None = None, cost: int = 1000) -> int:
    """A posted goods receipt of ``quantity`` units (through drafts and posting, as the page does)."""
    from modules.inventory.services import drafts, posting

    with kernel.session(SYSTEM) as s:
        doc = drafts.new_document(kernel, s, SYSTEM, "receipt", warehouse_id=warehouse_id, date=DAY)
        drafts.add_line(kernel, s, SYSTEM, doc.id, product_id=product_id, quantity=Decimal(quantity), unit_cost=cost)
        posting.post(kernel, s, SYSTEM, doc.id)
        return int(doc.id)


def on_hand(kernel: Any, product_id: int, warehouse_id: int | None = None) -> tuple[Decimal, Decimal]:
    """(on hand, reserved) of the product in the warehouse (the default one when None)."""
    from modules.inventory.services import stock

    with kernel.sessions() as s:
        level = stock.level_of(s, product_id, warehouse_id or stock.default_warehouse_id(s) or 0)
        return level.on_hand, level.reserved


def draft_invoice(kernel: Any, w: dict[str, Any], lines: list[dict[str, Any]]) -> int:
    with kernel.session(w["actor"]) as s:
        return int(finance_drafts.create_document(kernel, s, w["actor"], INVOICE,
                                                  {"partner_id": w["customer"], "date": DAY}, lines).id)


def issue(kernel: Any, w: dict[str, Any], invoice_id: int) -> Any:
    with kernel.session(w["actor"]) as s:
        return issuing.issue_invoice(kernel, s, w["actor"], invoice_id).number


def proforma(kernel: Any, w: dict[str, Any], lines: list[dict[str, Any]], *, issued: bool = True) -> int:
    with kernel.session(w["actor"]) as s:
        doc = finance_drafts.create_document(kernel, s, w["actor"], PROFORMA,
                                             {"partner_id": w["customer"], "date": DAY}, lines)
        if issued:
            issuing.issue_proforma(kernel, s, w["actor"], doc.id)
        return int(doc.id)


def stock_documents(kernel: Any, invoice_id: int) -> list[tuple[str, str, str | None]]:
    """The invoice's stock documents as (kind, state, number), oldest first."""
    from modules.inventory.invoices import documents_of

    with kernel.sessions() as s:
        return [(d.kind, d.state, d.number) for d in documents_of(s, invoice_id)]


def line_of(kernel: Any, invoice_id: int, product_id: int) -> int:
    from modules.finance.models import InvoiceLine

    with kernel.sessions() as s:
        return int(s.scalar(select(InvoiceLine.id).where(InvoiceLine.invoice_id == invoice_id,
                                                         InvoiceLine.product_id == product_id)))
