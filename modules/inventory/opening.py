"""Inventory added to a live tier 3 database: the opening balance.

Before inventory, finance already kept one company-wide quantity on hand per product (purchases
in, issued invoices out, ``finance_product_cost``) and its average cost. Adding the module keeps
every row and starts every warehouse empty; the opening balance brings finance's on-hand in as
one posted goods receipt into the default warehouse (``source="opening"``), each line valued at
the product's average cost — through drafts and posting, so the levels and the stock card are
made by the one path that makes them. It moves no finance cost (finance counted those units
already). A product finance holds none of, or less than none (sold without a recorded purchase),
starts at zero. Once only: a second call is refused. ``peyvand inventory opening-balance``, or the
button on ``/inventory/settings`` while no stock document exists.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from kernel import Actor, Command, Conflict, PermissionDenied
from kernel.actor import SYSTEM
from kernel.timezone import local_today
from modules.finance.models import Product, ProductCost
from modules.inventory.models import StockDocument
from modules.inventory.policy import EDIT

SOURCE = "opening"


def pending(session: Session) -> bool:
    """No stock document yet: the moment an opening balance makes sense."""
    return session.scalar(select(StockDocument.id).limit(1)) is None


def bring_in(kernel: Any, session: Session, actor: Actor) -> StockDocument | None:
    """The opening receipt of finance's on-hand; None when finance holds nothing."""
    from modules.inventory.services import drafts, posting

    if not actor.can(EDIT):
        raise PermissionDenied(EDIT)
    if session.scalar(select(StockDocument.id).where(StockDocument.source == SOURCE,
                                                     StockDocument.state == "posted").limit(1)) is not None:
        raise Conflict("The opening balance was brought in already")
    held = session.execute(select(ProductCost.product_id, ProductCost.on_hand, ProductCost.avg_cost)
                           .join(Product, Product.id == ProductCost.product_id)
                           .where(ProductCost.on_hand > 0, Product.kind == "goods", Product.deleted_at.is_(None))
                           .order_by(ProductCost.product_id)).all()
    if not held:
        return None
    # Inventory's own steps act for the manager who asked: the permission was checked above.
    doc = drafts.new_document(kernel, session, SYSTEM, "receipt", date=local_today(kernel.config.timezone),
                              source=SOURCE, notes="موجودی اول دوره، از مانده‌های مالی")
    for product_id, quantity, avg in held:
        drafts.add_line(kernel, session, SYSTEM, doc.id, product_id=product_id, quantity=Decimal(quantity),
                        unit_cost=int(avg))
    return posting.post(kernel, session, SYSTEM, doc.id)


def _run(kernel: Any, _args: Any) -> int:
    with kernel.session(SYSTEM) as session:
        doc = bring_in(kernel, session, SYSTEM)
        print(f"Opening balance: {doc.number} ({doc.id})" if doc is not None else "Finance holds no stock: nothing to bring in")
    return 0


COMMAND = Command("inventory.opening-balance", "Bring finance's quantities on hand in as the opening goods receipt",
                  _run)
