"""Under a proforma's or an invoice's page: its lines and totals (read only; the line editor is
its own page), the grand total in words, and the buttons of its state."""

from __future__ import annotations

from typing import Any

from markupsafe import Markup

from kernel.persian.words import amount_in_words
from kernel.web.resource_views import titles_for
from kernel.web.templating import request_lang
from modules.base.panels import panel_markup
from modules.finance.models import Invoice, Receipt
from modules.finance.services.documents import lines_of


def document_detail(context: dict[str, Any], request: Any) -> Markup | None:
    doc, res = context.get("record"), context.get("resource")
    if doc is None or res is None or res.name not in ("finance.proforma", "finance.invoice"):
        return None
    kernel = request.app.state.kernel
    actor = request.state.actor
    unit: Any = actor.money_unit if actor else "rial"
    lang = request_lang(request)
    with kernel.sessions() as session:
        lines = lines_of(session, doc)
        products = titles_for(kernel, session, {"finance.product": {li.product_id for li in lines}}, actor)
        receipts = []
        if isinstance(doc, Invoice):
            receipts = list(session.scalars(kernel.scoped_select(actor, Receipt)
                                            .where(Receipt.invoice_id == doc.id).order_by(Receipt.date, Receipt.id)))
    return panel_markup(request, "finance/document_lines.html", doc=doc, res=res, lines=lines, receipts=receipts,
                        product=lambda pid: products.get(("finance.product", pid), f"#{pid}"),
                        words=amount_in_words(int(doc.grand_total), unit, lang),
                        is_invoice=isinstance(doc, Invoice))
