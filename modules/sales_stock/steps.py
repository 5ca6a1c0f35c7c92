"""The order's steps from the warehouse's side: "Reserved" (what the order, then its proforma,
holds — with what is short) and "Delivered" (inventory's posted issue of the order's invoice)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from markupsafe import Markup
from sqlalchemy import and_, or_, select

from kernel.web.templating import request_lang
from modules.sales_stock.reserving import SOURCE


def _holders(order: Any) -> Any:
    from modules.inventory.models import Reservation

    held = [and_(Reservation.source == SOURCE, Reservation.source_id == order.id)]
    # The hold moves on with the documents: order → its proforma → its invoice (inventory's).
    for source, source_id in (("proforma", order.proforma_id), ("invoice", order.invoice_id)):
        if source_id:
            held.append(and_(Reservation.source == source, Reservation.source_id == source_id))
    return or_(*held)


def facts(session: Any, order: Any) -> dict[str, Any]:
    """Reserved lines (product, quantity, still held, short by), and the delivery document."""
    from modules.finance.models import Product
    from modules.inventory.models import Reservation, StockDocument, StockLevel

    rows = session.execute(select(Reservation, Product.name, StockLevel.on_hand, StockLevel.reserved)
                           .join(Product, Product.id == Reservation.product_id)
                           .outerjoin(StockLevel, and_(StockLevel.product_id == Reservation.product_id,
                                                       StockLevel.warehouse_id == Reservation.warehouse_id))
                           .where(_holders(order)).order_by(Reservation.id)).all()
    reserved = []
    for r, name, on_hand, all_reserved in rows:
        live = r.released_at is None
        short = max(Decimal(all_reserved or 0) - Decimal(on_hand or 0), Decimal(0)) if live else Decimal(0)
        reserved.append({"name": name, "quantity": r.quantity, "live": live, "short": min(short, r.quantity)})
    delivery = None
    if order.invoice_id:
        delivery = session.scalars(select(StockDocument).where(
            StockDocument.source == "invoice", StockDocument.source_id == order.invoice_id,
            StockDocument.kind == "issue", StockDocument.state == "posted").order_by(StockDocument.id)).first()
    return {"reserved": reserved, "delivery": delivery}


def render(context: dict[str, Any], request: Any) -> Markup | None:
    order = context.get("order")
    actor = getattr(request.state, "actor", None)
    if order is None or actor is None:
        return None
    kernel = request.app.state.kernel
    with kernel.sessions() as session:
        found = facts(session, order)
    from modules.finance.report_sales import quantity

    env = request.app.state.jinja
    return Markup(env.get_template("sales_stock/steps.html").render(
        order=order, lang=request_lang(request), tz=kernel.config.timezone, qty=quantity, **found))
