"""Sends at a time and sends relative to a date (MKT-02), run by one periodic job.

- A send composed for a Jalali date and time waits ``scheduled``; once due its messages are
  written as its author would have them then (``compose.queue_due``).
- A date rule ("one day before each invoice's end date") sends, each day, about every record of
  its date source whose date falls ``days_before`` days ahead (the users' local day), once per
  record and date (``DateRuleSent``, with a unique key): a job run twice, retried, or a clock
  moved back and forth sends nothing twice. Rules send from ``SEND_FROM_HOUR`` local time on,
  never at night."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from sqlalchemy import DateTime, insert, select
from sqlalchemy.orm import Session

from kernel.persian.jalali import format_jalali
from kernel.timezone import day_bounds, local_today, to_local
from modules.marketing import audiences, compose
from modules.marketing.models import Category, DateRule, DateRuleSent, Send, Template
from modules.marketing.placeholders import Recipient

SCHEDULED_JOB = "marketing.scheduled_sends"
SEND_FROM_HOUR = 8
NOBODY = Recipient(None, "", None)


def run_scheduled(kernel: Any, session: Session, now: dt.datetime) -> None:
    due = session.scalars(select(Send).where(Send.state == "scheduled", Send.scheduled_at <= now,
                                             Send.deleted_at.is_(None)).order_by(Send.id))
    for send in list(due):
        compose.queue_due(kernel, session, send, now)
    if to_local(now, kernel.config.timezone).hour >= SEND_FROM_HOUR:
        for rule in list(session.scalars(select(DateRule).where(DateRule.active.is_(True),
                                                                DateRule.deleted_at.is_(None)))):
            run_rule(kernel, session, rule, now)


def _on_day(column: Any, day: dt.date, tz: str) -> Any:
    if isinstance(column.type, DateTime):
        start, end = day_bounds(day, tz)
        return (column >= start) & (column < end)
    return column == day


def run_rule(kernel: Any, session: Session, rule: DateRule, now: dt.datetime) -> Send | None:
    """The rule's send for the records whose date is ``days_before`` days after today, except
    those already sent about for that date; None when there are none (or the source is gone)."""
    from kernel.security import load_actor

    source = next((s for s in kernel.date_sources if s.key == rule.source), None)
    author = rule.owner_id or rule.created_by_id
    actor = load_actor(session, author) if author else None
    category = session.get(Category, rule.category_id)
    template = session.get(Template, rule.template_id) if rule.template_id else None
    body = (rule.body or "").strip() or (template.body if template is not None else "")
    if source is None or actor is None or category is None or not body:
        return None
    tz = kernel.config.timezone
    day = local_today(tz, now) + dt.timedelta(days=rule.days_before)
    model = kernel.resources[source.resource].model
    done = select(DateRuleSent.record_id).where(DateRuleSent.rule_id == rule.id, DateRuleSent.on_date == day)
    stmt = kernel.scoped_select(actor, model).where(_on_day(getattr(model, source.date_field), day, tz),
                                                    model.id.not_in(done))
    if source.open is not None:
        stmt = stmt.where(source.open(model))
    records = list(session.scalars(stmt.order_by(model.id)))
    if not records:
        return None
    def partner_of(record: Any) -> int | None:
        return getattr(record, source.partner_field) if source.partner_field else None

    people = audiences.partners_by_id(kernel, session, actor, {p for p in map(partner_of, records) if p})
    send = Send(channel="sms", category_id=category.id, template_id=rule.template_id, body=body, state="queued",
                audience=json.dumps({"kind": "date_rule", "rule": rule.id, "on": day.isoformat()}),
                audience_label=f"{rule.name} — {format_jalali(day)}"[:300], owner_id=author, created_by_id=author)
    session.add(send)
    session.flush()
    pairs = [(people.get(partner_of(r) or 0, NOBODY), r) for r in records]
    # Two records of one partner (two invoices) are two messages: no de-duplication by mobile.
    compose.finish(session, send, compose.write_messages(kernel, session, actor, send, category, pairs, now,
                                                         dedupe=False))
    session.execute(insert(DateRuleSent), [{"rule_id": rule.id, "record_id": r.id, "on_date": day,
                                            "send_id": send.id, "at": now} for r in records])
    return send
