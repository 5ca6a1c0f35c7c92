"""The payment-behaviour score on the partner's 360° profile (FIN-12): the band in words, the
number, the counts that make it up and a line saying how it is computed — what a sales manager
reads before accepting instalments (seed 000). Finance's panels sit at 50–59; this one right
after the balance. Shown to whoever sees the invoices, for a partner with any history or invoice."""

from __future__ import annotations

from typing import Any

from markupsafe import Markup

from kernel import Panel
from modules.base.panels import PAGE, panel_markup
from modules.finance.models import CustomerStanding
from modules.finance.services.score_view import customer_score


def score(request: Any, kernel: Any, session: Any, actor: Any, record: Any, **_: Any) -> Markup | None:
    if session.get(CustomerStanding, record.id) is None:
        return None  # neither an invoice nor any history: nothing to judge
    return panel_markup(request, "finance/profile_score.html", explain=True,
                        **customer_score(kernel, session, record.id, actor.lang))


PANELS = [Panel("finance.score", PAGE, "Payment behaviour", score, permission="finance.invoice.view", sequence=51)]
