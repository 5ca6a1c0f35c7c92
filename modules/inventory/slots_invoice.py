"""Inventory's markup on finance's pages (through the kernel's ``template_slot``): under an
invoice, its stock documents and — while undelivered — the "deliver" button; under a product,
what is reserved of it (per warehouse: on hand, reserved, available) and by whom."""

from __future__ import annotations

from typing import Any

from markupsafe import Markup
from sqlalchemy import select

from modules.base.panels import panel_markup
from modules.finance.models import Invoice, Product
from modules.inventory import policy
from modules.inventory.delivery import DELIVER, can_deliver
from modules.inventory.invoices import documents_of
from modules.inventory.models import KINDS, STATES, Reservation, Warehouse
from modules.inventory.services import stock

SHOWN = 50


def render(slot: str, context: dict[str, Any], request: Any) -> Markup | None:
    record = context.get("record")
    if slot == "finance.invoice.detail" and isinstance(record, Invoice):
        return _invoice(record, request)
    if slot == "finance.product.detail" and isinstance(record, Product):
        return _reserved(record, request)
    return None


def _invoice(invoice: Invoice, request: Any) -> Markup | None:
    kernel = request.app.state.kernel
    actor = request.state.actor
    with kernel.sessions() as session:
        docs = documents_of(session, invoice.id)
        deliverable = actor.can(DELIVER) and can_deliver(session, invoice)
        reduces = policy.reduces(kernel, session)
    if not docs and not deliverable:
        return None
    return panel_markup(request, "inventory/invoice_stock.html", invoice=invoice, docs=docs,
                        deliverable=deliverable, reduces=reduces, kinds=dict(KINDS), states=dict(STATES))


def _reserved(product: Product, request: Any) -> Markup | None:
    kernel = request.app.state.kernel
    with kernel.sessions() as session:
        held = list(session.scalars(select(Reservation).where(
            Reservation.product_id == product.id, Reservation.released_at.is_(None))
            .order_by(Reservation.id.desc()).limit(SHOWN)))
        if not held:
            return None
        names = {int(i): n for i, n in session.execute(select(Warehouse.id, Warehouse.name))}
        levels = [lv for lv in stock.levels(session, product.id) if lv.reserved or lv.on_hand]
        sources = [(r, *_source(kernel, session, request.state.actor, r.source, r.source_id)) for r in held]
    return panel_markup(request, "inventory/reserved.html", levels=levels, names=names, sources=sources)


def _source(kernel: Any, session: Any, actor: Any, source: str, source_id: int) -> tuple[str, str]:
    """A reservation's holder as (its page for whoever may open it, its number): the resource
    named like the source (``proforma`` → ``finance.proforma``, ``sales_order`` → its module's)."""
    res = next((r for name, r in kernel.resources.items() if name.split(".")[-1] == source), None)
    if res is None:
        return "", f"#{source_id}"
    record = session.get(res.model, source_id)
    number = getattr(record, "number", None) or getattr(record, "title", None) or f"#{source_id}"
    return (f"{res.url}{source_id}" if actor.can(res.perm("view")) else ""), str(number)
