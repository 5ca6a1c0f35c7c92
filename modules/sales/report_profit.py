"""Profit per salesperson or per team (SAL-05): the invoices each salesperson issued in a Jalali
period (the invoice's owner), their revenue less their cost at the weighted average, as finance
keeps it on each line (``modules.finance.services.invoice_facts``, the same figures as finance's
"Profit per product"). A salesperson with a line sold before any purchase kept no cost: their
profit is not told and the row says so.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from kernel import InputError, ReportParam
from kernel.web.cells import titles_for
from modules.sales.report_common import TEAM, days, group_choices, teams_of

PARAMS = (ReportParam("from", "From", kind="date"), ReportParam("to", "Until", kind="date"),
          ReportParam("by", "Group by", kind="choice", choices=group_choices))


def profit(session: Any, actor: Any, params: dict[str, str], kernel: Any, lang: str, **_: Any) -> Any:
    if kernel.resources.get("finance.invoice") is None:
        raise InputError("This report needs the finance module")
    from modules.finance.report_profit import margin
    from modules.finance.services.invoice_facts import Earned, earned_by

    first, last = days(params, kernel.config.timezone)
    per_owner = earned_by(kernel, session, actor, first, last, "owner_id")
    if params.get("by") == TEAM:
        from kernel.models import Team

        teams = teams_of(session, set(per_owner))
        names = {int(i): n for i, n in session.execute(select(Team.id, Team.name))}
        rows: dict[str, Earned] = {}
        for owner, e in per_owner.items():
            tid = teams.get(owner, (None, ""))[0]
            label = names.get(tid, "") if tid is not None else kernel.t(lang, "No team")
            acc = rows.setdefault(label, Earned())
            acc.revenue, acc.cost, acc.unknown = acc.revenue + e.revenue, acc.cost + e.cost, acc.unknown + e.unknown
    else:
        people = titles_for(kernel, session, {"@user": set(per_owner)}, actor)
        rows = {people.get(("@user", o), ""): e for o, e in per_owner.items()}
    body: list[list[Any]] = []
    sums = [0, 0, 0]
    for label, e in sorted(rows.items(), key=lambda kv: (-kv[1].revenue, kv[0])):
        if e.profit is None:
            body.append([label, e.revenue, e.cost, "—", "—", kernel.t(lang, "Cost unknown")])
            sums[0] += e.revenue
            continue
        body.append([label, e.revenue, e.cost, e.profit, margin(e.profit, e.revenue), ""])
        sums = [sums[0] + e.revenue, sums[1] + e.cost, sums[2] + e.profit]
    if body:
        body.append([kernel.t(lang, "Total"), *sums, "", ""])
    first_col = "Team" if params.get("by") == TEAM else "Salesperson"
    return [first_col, "Revenue (Rials)", "Cost at the average (Rials)", "Profit (Rials)", "Margin (%)", "Note"], body
