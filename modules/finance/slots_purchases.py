"""Under a purchase invoice's page: its state and totals with the way to its lines, posting and
payments (``/finance/purchase/<id>/work``)."""

from __future__ import annotations

from typing import Any

from markupsafe import Markup

from modules.base.panels import panel_markup
from modules.finance.models import Purchase
from modules.finance.models.purchase import PURCHASE_STATES


def render(slot: str, context: dict[str, Any], request: Any) -> Markup | None:
    doc = context.get("record")
    if slot != "finance.purchase.detail" or not isinstance(doc, Purchase):
        return None
    return panel_markup(request, "finance/purchase_link.html", purchase=doc, states=dict(PURCHASE_STATES))
