"""The daily occasions job: for each active rule whose hour has come (the organisation's time
zone), the occasion day is today + ``days_before``; if the rule's occasion falls on it and
someone is to be greeted, the rule's batch for that day is made — once: an ``OccasionRun`` row
with a unique (rule, day) key is inserted first, in a savepoint, and a second run of the job (a
retry, a second worker racing on PostgreSQL) fails on that key and makes nothing. A day with no
one to greet writes nothing, so a birthday recorded later that day is still greeted."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from kernel.timezone import to_local
from modules.marketing import audiences
from modules.marketing.models import Category, OccasionRule, OccasionRun, Send, Template
from modules.marketing.occasions import batches, matching

OCCASIONS_JOB = "marketing.occasions"


def run_occasions(kernel: Any, session: Session, now: dt.datetime) -> None:
    local = to_local(now, kernel.config.timezone)
    rules = session.scalars(select(OccasionRule).where(OccasionRule.active.is_(True),
                                                       OccasionRule.deleted_at.is_(None)).order_by(OccasionRule.id))
    for rule in list(rules):
        if local.hour >= rule.send_hour:
            run_rule(kernel, session, rule, local.date() + dt.timedelta(days=rule.days_before), now)


def run_rule(kernel: Any, session: Session, rule: OccasionRule, day: dt.date, now: dt.datetime) -> Send | None:
    """The rule's batch for occasion day ``day``; None when it is not the occasion's day, no one
    is to be greeted, or the batch was made already."""
    from kernel.security import load_actor

    found = matching.occasion_on(session, rule.occasion, day)
    if found is None or session.scalar(select(OccasionRun.id).where(OccasionRun.rule_id == rule.id,
                                                                    OccasionRun.on_date == day)) is not None:
        return None
    author = rule.owner_id or rule.created_by_id
    actor = load_actor(session, author) if author else None
    category = session.get(Category, rule.category_id)
    template = session.get(Template, rule.template_id) if rule.template_id else None
    body = (rule.body or "").strip() or (template.body if template is not None else "")
    if actor is None or category is None or not body:
        return None
    try:
        people = list(matching.recipients(kernel, session, actor, rule, found, day))
    except audiences.AudienceError:  # the author lost the right to see partners: nothing to send
        return None
    if not people:
        return None
    run = OccasionRun(rule_id=rule.id, on_date=day, at=now)
    try:
        with session.begin_nested():
            session.add(run)
            session.flush()
    except IntegrityError:  # another worker made it between our read and our insert
        return None
    send = batches.make(kernel, session, actor, rule, category, body, day, people, now)
    run.send_id = send.id
    session.flush()
    return send
