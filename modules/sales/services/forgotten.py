"""Forgotten leads and opportunities (SAL-06): open ones nobody has touched for N days, per owner.

The list is a report (page, PDF, xlsx); once a day each owner with forgotten ones gets an alarm
that opens it. N is the setting ``sales.forgotten_days`` (14 until changed on the report's page)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import func, literal, select, union_all
from sqlalchemy.orm import Session

from kernel import raise_alarm, utcnow
from kernel.models import User
from kernel.timezone import local_today
from modules.sales.models import Lead, Opportunity
from modules.sales.services.activity import OPEN_LEAD

DEFAULT_DAYS = 14
SETTING = "sales.forgotten_days"
LAST_RUN = "sales.forgotten_alarmed_on"


def forgotten_days(kernel: Any, session: Session) -> int:
    value = kernel.setting(session, SETTING, DEFAULT_DAYS)
    return int(value) if isinstance(value, int) and value > 0 else DEFAULT_DAYS


def forgotten(kernel: Any, actor: Any, days: int, now: dt.datetime, owner_id: int | None = None) -> Any:
    """(kind, id, title, owner, partner, last activity) of the forgotten ones, oldest first."""
    since = now - dt.timedelta(days=days)
    leads = (kernel.scoped_select(actor, Lead).where(Lead.status.in_(OPEN_LEAD), Lead.last_activity_at < since)
             .with_only_columns(literal("lead").label("kind"), Lead.id, Lead.title, Lead.owner_id,
                                Lead.partner_id, Lead.last_activity_at))
    opps = (kernel.scoped_select(actor, Opportunity)
            .where(Opportunity.outcome == "open", Opportunity.last_activity_at < since)
            .with_only_columns(literal("opportunity").label("kind"), Opportunity.id,
                               Opportunity.title, Opportunity.owner_id, Opportunity.partner_id,
                               Opportunity.last_activity_at))
    if owner_id:
        leads, opps = leads.where(Lead.owner_id == owner_id), opps.where(Opportunity.owner_id == owner_id)
    both = union_all(leads, opps).subquery()
    return select(both).order_by(both.c.last_activity_at, both.c.id)


def alarm_owners(session: Session, kernel: Any, now: dt.datetime) -> int:
    """Once a local day: an alarm to each owner with forgotten ones (the job runs hourly)."""
    today = local_today(now=now).isoformat()
    if kernel.setting(session, LAST_RUN, "") == today:
        return 0
    kernel.set_setting(session, LAST_RUN, today)
    days = forgotten_days(kernel, session)
    since = now - dt.timedelta(days=days)
    per_owner = union_all(
        select(Lead.owner_id).where(Lead.deleted_at.is_(None), Lead.status.in_(OPEN_LEAD), Lead.last_activity_at < since),
        select(Opportunity.owner_id).where(Opportunity.deleted_at.is_(None), Opportunity.outcome == "open",
                                           Opportunity.last_activity_at < since)).subquery()
    counts = session.execute(select(per_owner.c.owner_id, func.count()).where(per_owner.c.owner_id.is_not(None))
                             .group_by(per_owner.c.owner_id)).all()
    langs = dict(session.execute(select(User.id, User.lang).where(User.id.in_([o for o, _ in counts]))).all())
    for owner_id, count in counts:
        raise_alarm(session, user_id=int(owner_id),
                    title=kernel.t(langs.get(owner_id, "fa"), "{n} leads and opportunities with no activity for {days} days",
                                   n=int(count), days=days),
                    url=f"/reports/sales.forgotten?owner={int(owner_id)}&days={days}")
    return len(counts)


def run_alarms(session: Session, kernel: Any, now: dt.datetime | None = None) -> None:
    alarm_owners(session, kernel, now or utcnow())
