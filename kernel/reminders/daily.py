"""The daily reminder report's engine (TSK-06): the records of one date source that fall on one
day — a contract's end, a departure date, a follow-up — with their partner and user.

The page is the kernel's (``/reminders/daily``); a module adds to each row through the template
slot ``kernel.daily_report.row`` (the tasks module puts the partner's number and "Log a call").
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import func, select

from kernel.persian.jalali import format_jalali
from kernel.reminders.dates import on_day
from kernel.timezone import to_local
from kernel.web.resource_views import titles_for

SHOWN = 500


def partner_resource(kernel: Any, source: Any) -> str:
    """The resource ``partner_field`` refers to (its foreign key's table), or ""."""
    if not source.partner_field:
        return ""
    return str(kernel.resources[source.resource].field(source.partner_field).ref or "")


def when_text(value: Any, lang: str, tz: str) -> str:
    if isinstance(value, dt.datetime):
        return format_jalali(to_local(value, tz), lang, "datetime")
    return format_jalali(value, lang, "short")


def rows_for(kernel: Any, session: Any, actor: Any, source: Any, day: dt.date,
             lang: str) -> tuple[list[dict[str, Any]], int]:
    """Up to SHOWN rows of the day, and how many there are in all."""
    res = kernel.resources[source.resource]
    stmt = on_day(kernel, actor, source, day)
    col = getattr(res.model, source.date_field)
    records = list(session.scalars(stmt.order_by(col, res.model.id).limit(SHOWN)))
    total = len(records) if len(records) < SHOWN else int(
        session.scalar(select(func.count()).select_from(stmt.order_by(None).subquery())) or 0)
    partner_res = partner_resource(kernel, source)
    partner_ids = {getattr(r, source.partner_field) for r in records if partner_res} - {None}
    users = {getattr(r, source.user_field) for r in records if source.user_field} - {None}
    titles = titles_for(kernel, session, {partner_res: partner_ids, "@user": users} if partner_res else {"@user": users},
                        actor)
    partner_url = kernel.resources[partner_res].url if partner_res in kernel.resources else ""
    tz = kernel.config.timezone
    out = []
    for r in records:
        pid = getattr(r, source.partner_field) if partner_res else None
        out.append({
            "id": r.id, "title": res.title_of(r), "url": f"{res.url}{r.id}",
            "when": when_text(getattr(r, source.date_field), lang, tz),
            "partner_id": pid, "partner": titles.get((partner_res, pid), "") if pid else "",
            "partner_url": f"{partner_url}{pid}" if pid and partner_url else "",
            "user": titles.get(("@user", getattr(r, source.user_field)), "") if source.user_field else "",
        })
    return out, total
