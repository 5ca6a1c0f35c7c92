"""What inventory adds to other record pages: a product's stock, variants and inventory settings
(``finance.product.detail``), and a stock document's lines with its post and void actions
(``inventory.document.detail``)."""

from __future__ import annotations

from typing import Any

from markupsafe import Markup

from kernel.routing import csrf_token
from kernel.web.templating import request_lang
from modules.inventory.access import STOCK_VIEW


def render(slot: str, context: dict[str, Any], request: Any) -> Markup | None:
    record = context.get("record")
    actor = getattr(request.state, "actor", None)
    if record is None or actor is None:
        return None
    if slot == "finance.product.detail" and actor.can(STOCK_VIEW):
        return product_panel(request, record.id)
    if slot == "inventory.document.detail":
        return document_panel(request, record)
    return None


def product_panel(request: Any, product_id: int, error: str = "") -> Markup:
    from modules.inventory.stock_view import product_stock

    kernel = request.app.state.kernel
    with kernel.sessions() as session:
        stock = product_stock(session, product_id)
    return Markup(request.app.state.jinja.get_template("inventory/product_stock.html").render(
        stock=stock, actor=request.state.actor, lang=request_lang(request), error=error,
        csrf=csrf_token(request)))


def document_panel(request: Any, record: Any) -> Markup:
    from sqlalchemy import select

    from modules.finance.models import Product
    from modules.inventory.services.posting import lines_of

    kernel = request.app.state.kernel
    with kernel.sessions() as session:
        lines = lines_of(session, record.id)
        names = {int(i): n for i, n in session.execute(select(Product.id, Product.name).where(
            Product.id.in_({li.product_id for li in lines})))}
    return Markup(request.app.state.jinja.get_template("inventory/document_lines.html").render(
        doc=record, lines=lines, names=names, actor=request.state.actor, lang=request_lang(request)))
