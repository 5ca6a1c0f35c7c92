"""Under an invoice's page: its payment plan — the instalments with their state and collection
date, the open amount and the link to the plan's page where the plan is made and payments are
recorded (FIN-08)."""

from __future__ import annotations

from typing import Any

from markupsafe import Markup

from modules.base.panels import panel_markup
from modules.finance.models import Invoice
from modules.finance.models.plan import INSTALMENT_STATES
from modules.finance.services.plans import instalments


def invoice_plan(context: dict[str, Any], request: Any) -> Markup | None:
    inv = context.get("record")
    if not isinstance(inv, Invoice) or inv.state == "draft" or getattr(request.state, "actor", None) is None:
        return None  # the page already showed the invoice: it is inside the user's scope
    with request.app.state.kernel.sessions() as session:
        rows = instalments(session, inv.id)
    return panel_markup(request, "finance/plan_panel.html", invoice=inv, rows=rows,
                        state_labels=dict(INSTALMENT_STATES))


SLOTS = {"finance.invoice.detail": invoice_plan}


def render(slot: str, context: dict[str, Any], request: Any) -> Markup | None:
    handler = SLOTS.get(slot)
    return handler(context, request) if handler else None
