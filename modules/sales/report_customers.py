"""Customer behaviour (SAL-05): per customer, the deals opened in a Jalali period and of them won
and lost, the average days from opening to closing (of those closed), the average value of a won
deal, and — when finance is there — the date of the customer's last issued invoice (the last
purchase, ``modules.finance.services.invoice_facts``). The customers with most deals first.
"""

from __future__ import annotations

from typing import Any

from kernel import ReportParam
from kernel.persian.jalali import format_jalali
from kernel.persian.money import format_money
from kernel.persian.numbers import format_number
from kernel.web.cells import titles_for
from modules.sales.display import unit_of
from modules.sales.models import Opportunity
from modules.sales.report_common import period

LIMIT = 1000
PARAMS = (ReportParam("from", "From", kind="date"), ReportParam("to", "Until", kind="date"))


def customers(session: Any, actor: Any, params: dict[str, str], kernel: Any, lang: str, **_: Any) -> Any:
    low, high = period(params, kernel.config.timezone)
    deals = session.execute(kernel.scoped_select(actor, Opportunity)
                            .where(Opportunity.created_at >= low, Opportunity.created_at < high)
                            .with_only_columns(Opportunity.partner_id, Opportunity.outcome, Opportunity.created_at,
                                               Opportunity.closed_at, Opportunity.expected_value))
    per: dict[int, dict[str, Any]] = {}
    for partner_id, outcome, opened, closed, value in deals:
        c = per.setdefault(int(partner_id), {"opened": 0, "won": 0, "lost": 0, "days": [], "value": 0})
        c["opened"] += 1
        if outcome in ("won", "lost"):
            c[outcome] += 1
            if closed is not None:
                c["days"].append((closed - opened).total_seconds() / 86400)
        if outcome == "won":
            c["value"] += int(value or 0)
    chosen = sorted(per, key=lambda p: (-per[p]["opened"], -per[p]["value"], p))[:LIMIT]
    names = titles_for(kernel, session, {"base.partner": set(chosen)}, actor)
    last: dict[int, Any] = {}
    with_finance = kernel.resources.get("finance.invoice") is not None
    if with_finance:
        from modules.finance.services.invoice_facts import last_invoiced

        last = last_invoiced(kernel, session, actor, set(chosen))
    unit = unit_of(actor)
    body = []
    for p in chosen:
        c = per[p]
        cycle = format_number(round(sum(c["days"]) / len(c["days"])), lang) if c["days"] else "—"
        average = format_money(c["value"] // c["won"], unit, lang) if c["won"] else "—"
        line = [names.get(("base.partner", p), ""), c["opened"], c["won"], c["lost"], cycle, average]
        if with_finance:
            line.append(format_jalali(last[p], lang=lang) if p in last else "—")
        body.append(tuple(line))
    head = ["Customer", "Deals opened", "Won", "Lost", "Average days to close", "Average won deal"]
    if with_finance:
        head.append("Last purchase")
    return tuple(head), body
