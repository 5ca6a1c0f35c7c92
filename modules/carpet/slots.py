"""What the carpet module adds to record pages (``template_slot``): under an invoice, its warranty
cards and the button printing them; under a design, its variants with their stock (inventory's
own matrix) and its cards; under a card, print and void; under a batch or a dealer, its cards."""

from __future__ import annotations

from typing import Any

from markupsafe import Markup
from sqlalchemy import func

from modules.base.panels import panel_markup
from modules.carpet.models import CarpetDesign, Dealer, WarrantyBatch, WarrantyCard
from modules.finance.models import Invoice

PRINT = "carpet.card.print"


def _counts(kernel: Any, session: Any, actor: Any, column: Any, value: int) -> dict[str, int]:
    stmt = kernel.scoped_select(actor, WarrantyCard).where(column == value).with_only_columns(
        WarrantyCard.state, func.count()).group_by(WarrantyCard.state)
    return {s: int(n) for s, n in session.execute(stmt)}


def render(slot: str, context: dict[str, Any], request: Any) -> Markup | None:
    record = context.get("record")
    actor = getattr(request.state, "actor", None)
    if record is None or actor is None or not actor.can("carpet.card.view"):
        return None
    kernel = request.app.state.kernel
    if slot == "finance.invoice.detail" and isinstance(record, Invoice):
        return _cards_panel(request, kernel, actor, WarrantyCard.invoice_id, record.id,
                            f"/carpet/invoice/{record.id}/cards.pdf", "invoice_id")
    if slot == "carpet.batch.detail" and isinstance(record, WarrantyBatch):
        return _cards_panel(request, kernel, actor, WarrantyCard.batch_id, record.id,
                            f"/carpet/batch/{record.id}/cards.pdf", "batch_id")
    if slot == "carpet.dealer.detail" and isinstance(record, Dealer):
        return _cards_panel(request, kernel, actor, WarrantyCard.dealer_id, record.id, "", "dealer_id")
    if slot == "carpet.design.detail" and isinstance(record, CarpetDesign):
        return _design(request, kernel, actor, record)
    if slot == "carpet.card.detail" and isinstance(record, WarrantyCard):
        return panel_markup(request, "carpet/card_actions.html", card=record, can_print=actor.can(PRINT),
                            can_void=actor.can("carpet.card.void"))
    return None


def _cards_panel(request: Any, kernel: Any, actor: Any, column: Any, value: int, pdf: str, field: str) -> Markup | None:
    with kernel.sessions() as session:
        counts = _counts(kernel, session, actor, column, value)
    if not counts:
        return None
    return panel_markup(request, "carpet/cards_panel.html", counts=counts, total=sum(counts.values()),
                        pdf=pdf if actor.can(PRINT) and counts.keys() - {"void"} else "",
                        list_url=f"/carpet/card/?{field}={value}")


def _design(request: Any, kernel: Any, actor: Any, design: CarpetDesign) -> Markup:
    stock = Markup("")
    if actor.can("inventory.stock.view"):
        from modules.inventory.slots import product_panel

        stock = product_panel(request, design.product_id)  # inventory's matrix of the variants' stock
    with kernel.sessions() as session:
        counts = _counts(kernel, session, actor, WarrantyCard.design_id, design.id)
    return panel_markup(request, "carpet/design_panel.html", design=design, stock=stock, counts=counts,
                        total=sum(counts.values()), can_variants=actor.can("finance.product.edit"))
