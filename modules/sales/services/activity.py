"""What counts as activity on a lead or an opportunity (SAL-06): an edit or a move of it, a
communication logged with its partner, a task on it. Each bumps ``last_activity_at`` with one
UPDATE in the same transaction (no history row: it is a stamp, not an edit by anyone)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from kernel import RecordChanged, utcnow
from modules.sales.models import Lead, Opportunity

OPEN_LEAD = ("new", "contacted")


def on_record_changed(kernel: Any, session: Session, event: RecordChanged) -> None:
    if event.action not in ("create", "update"):
        return
    now = utcnow()
    if event.resource == "sales.opportunity":
        session.execute(update(Opportunity).where(Opportunity.id == event.record_id).values(last_activity_at=now))
    elif event.resource == "sales.lead":
        session.execute(update(Lead).where(Lead.id == event.record_id).values(last_activity_at=now))
    elif event.resource == "base.communication":
        _partner_touched(session, _partner_of_communication(session, event.record_id), now)
    elif event.resource == "tasks.task":
        _task_touched(kernel, session, event.record_id, now)


def _partner_of_communication(session: Session, communication_id: int) -> int | None:
    from modules.base.models import Communication

    found = session.scalar(select(Communication.partner_id).where(Communication.id == communication_id))
    return int(found) if found is not None else None


def _partner_touched(session: Session, partner_id: int | None, now: Any) -> None:
    if partner_id is None:
        return
    session.execute(update(Opportunity).where(Opportunity.partner_id == partner_id, Opportunity.outcome == "open",
                                              Opportunity.deleted_at.is_(None)).values(last_activity_at=now))
    session.execute(update(Lead).where(Lead.partner_id == partner_id, Lead.status.in_(OPEN_LEAD),
                                       Lead.deleted_at.is_(None)).values(last_activity_at=now))


def _task_touched(kernel: Any, session: Session, task_id: int, now: Any) -> None:
    """A task on an opportunity or a lead (through the tasks resource: tasks is not a dependency)."""
    tasks = kernel.resources.get("tasks.task")
    if tasks is None:
        return
    task = tasks.model
    row = session.execute(select(task.link_resource, task.link_id).where(task.id == task_id)).first()
    if row is None or row[1] is None:
        return
    if row[0] == "sales.opportunity":
        session.execute(update(Opportunity).where(Opportunity.id == int(row[1])).values(last_activity_at=now))
    elif row[0] == "sales.lead":
        session.execute(update(Lead).where(Lead.id == int(row[1])).values(last_activity_at=now))
