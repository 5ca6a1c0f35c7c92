"""Reports of the sales module: forgotten leads and opportunities (SAL-06), the pipeline's
forecast by stage, and won and lost by reason (SAL-05)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import case, func, select

from kernel import InputError, Report, ReportParam, utcnow
from kernel.models import User
from kernel.persian.jalali import format_jalali
from kernel.persian.money import format_money
from kernel.persian.numbers import format_number
from kernel.persian.textnorm import to_ascii_digits
from kernel.timezone import to_local
from kernel.web.cells import titles_for
from modules.sales.display import unit_of
from modules.sales.models import LostReason, Opportunity, Pipeline, Stage
from modules.sales.services.forgotten import forgotten, forgotten_days


def _users(session: Any, **_: Any) -> list[tuple[str, str]]:
    rows = session.execute(select(User.id, User.full_name, User.username).where(User.is_active.is_(True))
                           .order_by(User.full_name, User.username))
    return [(str(i), full or name) for i, full, name in rows]


def _pipelines(session: Any, **_: Any) -> list[tuple[str, str]]:
    rows = session.execute(select(Pipeline.id, Pipeline.name).where(Pipeline.deleted_at.is_(None))
                           .order_by(Pipeline.sequence, Pipeline.id))
    return [(str(i), name) for i, name in rows]


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




def _period(params: dict[str, str], tz: str) -> tuple[Any, Any]:
    """From/to Jalali days (inclusive) as a UTC half-open range; default: this Jalali month."""
    import datetime as dt

    from kernel.persian.jalali import jalali_month_range, parse_jalali_date, to_jalali
    from kernel.timezone import local_today, to_utc

    today = local_today(tz)
    jtoday = to_jalali(today)
    first = parse_jalali_date(params["from"]) if params.get("from") else jalali_month_range(jtoday.year, jtoday.month)[0]
    last = parse_jalali_date(params["to"]) if params.get("to") else today
    if last < first:
        raise InputError("The end is before the start")
    return (to_utc(dt.datetime.combine(first, dt.time()), tz),
            to_utc(dt.datetime.combine(last + dt.timedelta(days=1), dt.time()), tz))


def agents(session: Any, actor: Any, params: dict[str, str], kernel: Any, lang: str, **_: Any) -> Any:
    """Each salesperson in the period (SAL-04): communications logged, leads and deals opened,
    deals won and lost, conversion (won of closed) and the value won."""
    from modules.base.models import Communication
    from modules.sales.models import Lead

    low, high = _period(params, kernel.config.timezone)
    counts: dict[int, dict[str, int]] = {}

    def add(stmt: Any, key: str) -> None:
        for owner, n in session.execute(stmt):
            if owner is not None:
                counts.setdefault(int(owner), {})[key] = int(n or 0)

    opps = kernel.scoped_select(actor, Opportunity).subquery()
    comms = kernel.scoped_select(actor, Communication).where(Communication.started_at >= low,
                                                             Communication.started_at < high).subquery()
    add(select(comms.c.owner_id, func.count()).group_by(comms.c.owner_id), "activities")
    add(select(opps.c.owner_id, func.count()).where(opps.c.created_at >= low, opps.c.created_at < high)
        .group_by(opps.c.owner_id), "opened")
    leads = kernel.scoped_select(actor, Lead).subquery()
    add(select(leads.c.owner_id, func.count()).where(leads.c.created_at >= low, leads.c.created_at < high)
        .group_by(leads.c.owner_id), "leads")
    closed = select(opps.c.owner_id, func.count()).where(opps.c.closed_at >= low, opps.c.closed_at < high)
    add(closed.where(opps.c.outcome == "won").group_by(opps.c.owner_id), "won")
    add(closed.where(opps.c.outcome == "lost").group_by(opps.c.owner_id), "lost")
    add(select(opps.c.owner_id, func.sum(opps.c.expected_value))
        .where(opps.c.closed_at >= low, opps.c.closed_at < high, opps.c.outcome == "won")
        .group_by(opps.c.owner_id), "value")
    names = titles_for(kernel, session, {"@user": set(counts)}, actor)
    unit = unit_of(actor)
    body = []
    for owner, c in sorted(counts.items(), key=lambda kv: (-kv[1].get("value", 0), names.get(("@user", kv[0]), ""))):
        won, lost = c.get("won", 0), c.get("lost", 0)
        rate = (format_number(round(100 * won / (won + lost)), lang) + ("٪" if lang == "fa" else "%")
                if won + lost else "—")
        body.append((names.get(("@user", owner), ""), c.get("activities", 0), c.get("leads", 0), c.get("opened", 0),
                     won, lost, rate,
                     format_money(c.get("value", 0), unit, lang)))
    return ("Salesperson", "Communications", "Leads", "Deals opened", "Won", "Lost", "Conversion", "Value won"), body


REPORTS = [
    Report("sales.forgotten", "Forgotten leads and opportunities", forgotten_report, "sales.opportunity.view",
           params=(ReportParam("days", "Days without activity"),
                   ReportParam("owner", "Salesperson", kind="choice", choices=_users))),
    Report("sales.forecast", "Sales forecast by stage", forecast, "sales.opportunity.view",
           params=(ReportParam("pipeline", "Pipeline", kind="choice", choices=_pipelines),
                   ReportParam("owner", "Salesperson", kind="choice", choices=_users))),
    Report("sales.won_lost", "Won and lost deals by reason", won_lost, "sales.opportunity.view"),
    Report("sales.agents", "Salespeople's evaluation", agents, "sales.opportunity.view",
           params=(ReportParam("from", "From", kind="date"), ReportParam("to", "Until", kind="date"))),
]
