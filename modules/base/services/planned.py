"""Planned communications (BASE-17): "done" logs the communication with its outcome, linked
back to the plan; "cancelled" closes the plan without one."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy.orm import Session

from kernel import Actor, Conflict, InputError, RecordChanged
from kernel.db import utcnow
from kernel.records import create_record, get_record
from modules.base.models import Communication, PlannedCommunication

if TYPE_CHECKING:
    from kernel.kernel import Kernel

RESOURCE = "base.planned_communication"


def _open_plan(kernel: Kernel, session: Session, actor: Actor, plan_id: int) -> PlannedCommunication:
    plan: PlannedCommunication = get_record(kernel, session, actor, kernel.resources[RESOURCE], plan_id, "edit")
    if plan.state != "planned":
        raise Conflict("This plan is already done or cancelled")
    return plan


def complete(kernel: Kernel, session: Session, actor: Actor, plan_id: int, outcome: str) -> Communication:
    """Mark the plan done: the communication it planned is logged now, with ``outcome``."""
    plan = _open_plan(kernel, session, actor, plan_id)
    outcome = (outcome or "").strip()
    if not outcome:
        raise InputError("Write the outcome of the communication")
    comm: Communication = create_record(kernel, session, actor, kernel.resources["base.communication"], {
        "partner_id": plan.partner_id, "kind": plan.kind, "direction": "out", "subject": plan.subject,
        "result": outcome, "started_at": utcnow(), "link_resource": RESOURCE, "link_id": plan.id})
    plan.state, plan.outcome, plan.done_at, plan.communication_id = "done", outcome, utcnow(), comm.id
    session.flush()
    kernel.emit(RecordChanged(RESOURCE, plan.id, "update"), session)
    return comm


def cancel(kernel: Kernel, session: Session, actor: Actor, plan_id: int) -> PlannedCommunication:
    plan = _open_plan(kernel, session, actor, plan_id)
    plan.state, plan.done_at = "cancelled", utcnow()
    session.flush()
    kernel.emit(RecordChanged(RESOURCE, plan.id, "update"), session)
    return plan
