"""Reports of the sales module: forgotten leads and opportunities (SAL-06), the pipeline's
forecast by stage, and won and lost by reason (SAL-05); the evaluation of salespeople, conversion,
profit and customer behaviour live in ``report_*.py`` beside this file."""

from __future__ import annotations

from typing import Any

from sqlalchemy import case, func, select

from kernel import InputError, Report, ReportParam, utcnow
from kernel.persian.jalali import format_jalali
from kernel.persian.money import format_money
from kernel.persian.textnorm import to_ascii_digits
from kernel.timezone import to_local
from kernel.web.cells import titles_for
from modules.base.reports import user_choices
from modules.sales import report_agents, report_conversion, report_customers, report_profit
from modules.sales.display import unit_of
from modules.sales.models import LostReason, Opportunity, Stage
from modules.sales.report_common import pipeline_choices as _pipelines
from modules.sales.services.forgotten import forgotten, forgotten_days


def _number(params: dict[str, str], name: str) -> int | None:
    text = to_ascii_digits(params.get(name) or "").strip()
    if not text:
        return None
    if not text.isdigit() or len(text) > 9:
        raise InputError("Enter a whole number")
    return int(text)


def forgotten_report(session: Any, actor: Any, params: dict[str, str], kernel: Any, lang: str, **_: Any) -> Any:
    days = _number(params, "days")
    if days is not None and days < 1:
        raise InputError("Enter a whole number")
    days = days or forgotten_days(kernel, session)
    rows = session.execute(forgotten(kernel, actor, days, utcnow(), _number(params, "owner")).limit(5000)).all()
    names = titles_for(kernel, session, {"base.partner": {r.partner_id for r in rows if r.partner_id},
                                         "@user": {r.owner_id for r in rows if r.owner_id}}, actor)
    kinds = {"lead": kernel.t(lang, "Lead"), "opportunity": kernel.t(lang, "Opportunity")}
    tz = kernel.config.timezone
    body = [(kinds[r.kind], r.title, names.get(("base.partner", r.partner_id), "") if r.partner_id else "",
             names.get(("@user", r.owner_id), "") if r.owner_id else "",
             format_jalali(to_local(r.last_activity_at, tz), lang=lang, style="datetime"),
             (utcnow() - r.last_activity_at).days) for r in rows]
    return ("Kind", "Title", "Customer", "Owner", "Last activity", "Days without activity"), body


def forecast(session: Any, actor: Any, params: dict[str, str], kernel: Any, lang: str, **_: Any) -> Any:
    """Open deals by stage: count, total, and the total weighted by each deal's probability."""
    mine = kernel.scoped_select(actor, Opportunity).where(Opportunity.outcome == "open")
    if (pipeline := _number(params, "pipeline")) is not None:
        mine = mine.where(Opportunity.pipeline_id == pipeline)
    if (owner := _number(params, "owner")) is not None:
        mine = mine.where(Opportunity.owner_id == owner)
    sub = mine.subquery()
    rows = session.execute(
        select(Stage.name, func.count(sub.c.id), func.coalesce(func.sum(sub.c.expected_value), 0),
               func.coalesce(func.sum(sub.c.expected_value * sub.c.probability), 0))
        .join(sub, sub.c.stage_id == Stage.id).group_by(Stage.id, Stage.name, Stage.sequence)
        .order_by(Stage.sequence, Stage.id)).all()
    unit = unit_of(actor)
    body = [(name, int(n), format_money(int(total), unit, lang), format_money(int(weighted) // 100, unit, lang))
            for name, n, total, weighted in rows]
    return ("Stage", "Deals", "Expected value", "Weighted by probability"), body


def won_lost(session: Any, actor: Any, params: dict[str, str], kernel: Any, lang: str, **_: Any) -> Any:
    """Closed deals: won, and lost by reason, with counts and values."""
    sub = kernel.scoped_select(actor, Opportunity).where(Opportunity.outcome != "open").subquery()
    label = case((sub.c.outcome == "won", "won"), else_=func.coalesce(LostReason.name, "lost"))
    rows = session.execute(select(sub.c.outcome, LostReason.name, func.count(),
                                  func.coalesce(func.sum(sub.c.expected_value), 0))
                           .select_from(sub).outerjoin(LostReason, LostReason.id == sub.c.lost_reason_id)
                           .group_by(sub.c.outcome, LostReason.name).order_by(sub.c.outcome.desc(), label)).all()
    unit = unit_of(actor)
    body = [(kernel.t(lang, "Won" if outcome == "won" else "Lost"), reason or "", int(n),
             format_money(int(total), unit, lang)) for outcome, reason, n, total in rows]
    return ("Outcome", "Reason", "Deals", "Expected value"), body



REPORTS = [
    Report("sales.forgotten", "Forgotten leads and opportunities", forgotten_report, "sales.opportunity.view",
           params=(ReportParam("days", "Days without activity"),
                   ReportParam("owner", "Salesperson", kind="choice", choices=user_choices))),
    Report("sales.forecast", "Sales forecast by stage", forecast, "sales.opportunity.view",
           params=(ReportParam("pipeline", "Pipeline", kind="choice", choices=_pipelines),
                   ReportParam("owner", "Salesperson", kind="choice", choices=user_choices))),
    Report("sales.won_lost", "Won and lost deals by reason", won_lost, "sales.opportunity.view"),
    Report("sales.agents", "Salespeople's evaluation", report_agents.agents, "sales.opportunity.view",
           params=report_agents.PARAMS),
    Report("sales.conversion_stage", "Conversion by stage", report_conversion.by_stage, "sales.opportunity.view",
           params=report_conversion.STAGE_PARAMS),
    Report("sales.conversion_source", "Conversion by lead source", report_conversion.by_source,
           "sales.opportunity.view", params=report_conversion.PERIOD),
    Report("sales.profit", "Profit per salesperson and team", report_profit.profit, "finance.invoice.view",
           params=report_profit.PARAMS),
    Report("sales.customers", "Customer behaviour", report_customers.customers, "sales.opportunity.view",
           params=report_customers.PARAMS),
]
