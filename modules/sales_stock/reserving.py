"""An approved sales order holds its goods in the default warehouse; the hold passes to the
proforma made from it (inventory's ``InvoiceIssued`` handler releases the proforma's hold when its
invoice takes the goods out); a cancelled order gives it back.

A shortage does not refuse the approval (``refuse_beyond_available=False``): the manager approves
a sale, not a stock count — the order's page shows what is short, and purchasing can act on it.
The invoice, not the order, is what may be refused for lack of stock (inventory's policy).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from modules.inventory.services import stock
from modules.sales.events import SalesOrderApproved, SalesOrderCancelled, SalesOrderProformaMade

SOURCE = "sales_order"


def goods_lines(session: Session, order_id: int) -> list[tuple[int, Decimal]]:
    """The order's goods (services hold no stock), one quantity per product."""
    from modules.finance.models import Product
    from modules.sales.models import SalesOrderLine

    rows = session.execute(select(SalesOrderLine.product_id, func.sum(SalesOrderLine.quantity))
                           .join(Product, Product.id == SalesOrderLine.product_id)
                           .where(SalesOrderLine.order_id == order_id, Product.kind == "goods")
                           .group_by(SalesOrderLine.product_id).order_by(SalesOrderLine.product_id))
    return [(int(pid), Decimal(qty)) for pid, qty in rows]


def on_event(event: Any, session: Session) -> None:
    if isinstance(event, SalesOrderApproved):
        warehouse = stock.default_warehouse_id(session)
        lines = goods_lines(session, event.order_id)
        if warehouse is not None and lines:
            stock.reserve(session, SOURCE, event.order_id, warehouse, lines, refuse_beyond_available=False)
    elif isinstance(event, SalesOrderProformaMade):
        stock.hand_over(session, (SOURCE, event.order_id), ("proforma", event.proforma_id))
    elif isinstance(event, SalesOrderCancelled):
        stock.release(session, SOURCE, event.order_id)
