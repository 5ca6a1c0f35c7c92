"""Demo sales orders: one waiting for the manager's approval and one approved (its goods reserved
when inventory is there), so a new user sees both ends of the approval on the order list."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from sqlalchemy import select

from kernel import take_number
from modules.finance.models import Product
from modules.sales.events import SalesOrderApproved
from modules.sales.models import Opportunity, SalesOrder, SalesOrderLine
from modules.sales.services.orders import SERIES, line_total

ORDERS = (("سفارش عمدهٔ فروشگاه زنجیره‌ای", "submitted", Decimal(40)),
          ("فرش تالار پذیرایی", "approved", Decimal(6)))


def add(kernel: Any, session: Any, admin: int, today: dt.date, now: dt.datetime) -> int:
    """The orders of the demo deals named in :data:`ORDERS`; the number added."""
    product = session.scalars(select(Product).where(Product.deleted_at.is_(None), Product.active.is_(True),
                                                    Product.kind == "goods", Product.parent_id.is_not(None))
                              .order_by(Product.id)).first()
    if product is None:  # finance's demo not loaded: no catalogue to sell from
        return 0
    made = 0
    for title, state, quantity in ORDERS:
        opp = session.scalars(select(Opportunity).where(Opportunity.title == title)).first()
        if opp is None:
            continue
        total = line_total(quantity, product.price, Decimal(0))
        order = SalesOrder(number=take_number(session, SERIES, today), opportunity_id=opp.id, partner_id=opp.partner_id,
                           date=today, state=state, total=total, submitted_at=now, owner_id=admin, created_by_id=admin,
                           approved_at=now if state == "approved" else None,
                           approved_by_id=admin if state == "approved" else None)
        session.add(order)
        session.flush()
        session.add(SalesOrderLine(order_id=order.id, position=1, product_id=product.id, quantity=quantity,
                                   unit_price=product.price, total=total))
        session.flush()
        if state == "approved":
            kernel.emit(SalesOrderApproved(order.id), session)
        made += 1
    return made
