"""The salespeople's evaluation (SAL-04, SAL-05): per salesperson, or per team, in a Jalali period.

Activities come from the modules that keep them, read through their resources (the kernel's
registry and the reader's record scope), not their code: communications logged (base) and tasks
done (tasks: by the assignee, else the owner). Then leads opened and qualified, deals opened,
won and lost (closed in the period), conversion (won of closed), the expected value won and —
when finance is there — the revenue of the invoices the salesperson issued in the period
(``modules.finance.services.invoice_facts``: lines after discounts, before VAT).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select

from kernel import ReportParam
from kernel.persian.money import format_money
from kernel.web.cells import titles_for
from modules.sales.display import unit_of
from modules.sales.models import Lead, Opportunity
from modules.sales.report_common import TEAM, days, group_choices, percent, period, teams_of

KEYS = ("activities", "tasks", "leads", "qualified", "opened", "won", "lost", "value", "invoiced")
PARAMS = (ReportParam("from", "From", kind="date"), ReportParam("to", "Until", kind="date"),
          ReportParam("by", "Group by", kind="choice", choices=group_choices))


def counts(kernel: Any, session: Any, actor: Any, params: dict[str, str]) -> dict[int, dict[str, int]]:
    """Per salesperson (user id): the numbers of the period, each read within the actor's scope."""
    tz = kernel.config.timezone
    low, high = period(params, tz)
    found: dict[int, dict[str, int]] = {}

    def add(stmt: Any, key: str) -> None:
        for owner, n in session.execute(stmt):
            if owner is not None:
                found.setdefault(int(owner), {})[key] = int(n or 0)

    def within(col: Any) -> Any:
        return (col >= low) & (col < high)

    if (comms := kernel.resources.get("base.communication")) is not None:
        c = comms.model
        add(kernel.scoped_select(actor, c).where(within(c.started_at))
            .with_only_columns(c.owner_id, func.count()).group_by(c.owner_id), "activities")
    if (tasks := kernel.resources.get("tasks.task")) is not None:
        t = tasks.model
        doer = func.coalesce(t.assignee_id, t.owner_id)
        add(kernel.scoped_select(actor, t).where(within(t.done_at))
            .with_only_columns(doer, func.count()).group_by(doer), "tasks")
    leads = kernel.scoped_select(actor, Lead)
    add(leads.where(within(Lead.created_at)).with_only_columns(Lead.owner_id, func.count())
        .group_by(Lead.owner_id), "leads")
    add(leads.where(within(Lead.qualified_at)).with_only_columns(Lead.owner_id, func.count())
        .group_by(Lead.owner_id), "qualified")
    opps = kernel.scoped_select(actor, Opportunity)
    add(opps.where(within(Opportunity.created_at)).with_only_columns(Opportunity.owner_id, func.count())
        .group_by(Opportunity.owner_id), "opened")
    closed = opps.where(within(Opportunity.closed_at))
    add(closed.where(Opportunity.outcome == "won").with_only_columns(Opportunity.owner_id, func.count())
        .group_by(Opportunity.owner_id), "won")
    add(closed.where(Opportunity.outcome == "lost").with_only_columns(Opportunity.owner_id, func.count())
        .group_by(Opportunity.owner_id), "lost")
    add(closed.where(Opportunity.outcome == "won")
        .with_only_columns(Opportunity.owner_id, func.sum(Opportunity.expected_value))
        .group_by(Opportunity.owner_id), "value")
    if kernel.resources.get("finance.invoice") is not None:
        from modules.finance.services.invoice_facts import earned_by

        first, last = days(params, tz)
        for owner, earned in earned_by(kernel, session, actor, first, last, "owner_id").items():
            found.setdefault(owner, {})["invoiced"] = earned.revenue
    return found


def grouped(session: Any, found: dict[int, dict[str, int]], by: str) -> dict[int | None, dict[str, int]]:
    """The same numbers summed per main team (None: no team) when ``by`` is "team"."""
    if by != TEAM:
        return {uid: c for uid, c in found.items()}
    teams = teams_of(session, set(found))
    out: dict[int | None, dict[str, int]] = {}
    for uid, c in found.items():
        row = out.setdefault(teams.get(uid, (None, ""))[0], {})
        for key, n in c.items():
            row[key] = row.get(key, 0) + n
    return out


def agents(session: Any, actor: Any, params: dict[str, str], kernel: Any, lang: str, **_: Any) -> Any:
    found = counts(kernel, session, actor, params)
    by = params.get("by") or ""
    rows = grouped(session, found, by)
    if by == TEAM:
        from kernel.models import Team

        names = {int(i): n for i, n in session.execute(select(Team.id, Team.name))}
        label = {k: names.get(k, "") if k is not None else kernel.t(lang, "No team") for k in rows}
        teams: dict[int, tuple[int | None, str]] = {}
    else:
        people = titles_for(kernel, session, {"@user": set(found)}, actor)
        label = {k: people.get(("@user", k), "") if k is not None else "" for k in rows}
        teams = teams_of(session, {k for k in rows if k is not None})
    unit = unit_of(actor)
    with_finance = kernel.resources.get("finance.invoice") is not None
    body = []
    for key, c in sorted(rows.items(), key=lambda kv: (-kv[1].get("value", 0), label[kv[0]])):
        won, lost = c.get("won", 0), c.get("lost", 0)
        line = [label[key]]
        if by != TEAM:
            line.append(teams.get(key, (None, ""))[1] if key is not None else "")
        line += [c.get("activities", 0), c.get("tasks", 0), c.get("leads", 0), c.get("qualified", 0),
                 c.get("opened", 0), won, lost, percent(won, won + lost, lang),
                 format_money(c.get("value", 0), unit, lang)]
        if with_finance:
            line.append(format_money(c.get("invoiced", 0), unit, lang))
        body.append(tuple(line))
    head = ["Team"] if by == TEAM else ["Salesperson", "Team"]
    head += ["Communications", "Tasks done", "Leads", "Leads qualified", "Deals opened", "Won", "Lost",
             "Conversion", "Value won"]
    if with_finance:
        head.append("Revenue invoiced")
    return tuple(head), body
