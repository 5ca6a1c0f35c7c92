"""Moving an opportunity on the board (SAL-02): to another stage, won or lost, in one transaction
through ``update_record`` (permission, record scope, history, ``RecordChanged``).

The rules, the same for a drag, the keyboard and the API: a stage that needs approval is entered
only once a manager has approved a sales order of the opportunity (``services.orders``); a lost stage needs the reason; a closed deal
(won or lost) leaves the board and is reopened only by moving it back to an open stage.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from kernel import InputError, utcnow
from kernel.records import get_record, update_record
from modules.sales.models import LostReason, Opportunity
from modules.sales.services.orders import may_enter_approved_stage
from modules.sales.services.pipelines import stage_in

RESOURCE = "sales.opportunity"
GAP = 1024.0  # the first positions are far apart, so many drags fit between two cards


def move(kernel: Any, session: Session, actor: Any, opportunity_id: int, stage_id: Any,
         before_id: int | None = None, lost_reason_id: Any = None, note: str = "") -> Opportunity:
    res = kernel.resources[RESOURCE]
    opp = get_record(kernel, session, actor, res, opportunity_id, "edit", for_update=True)
    stage = stage_in(session, opp.pipeline_id, stage_id)
    values: dict[str, Any] = {"position": _position(session, opp, stage.id, before_id)}
    if stage.id != opp.stage_id:
        if stage.needs_approval and not may_enter_approved_stage(session, opp):
            raise InputError("This stage needs a manager's approval of the sales order first")
        values.update(stage_id=stage.id, probability=stage.probability, outcome=stage.outcome)
        if stage.outcome == "lost":
            reason = session.get(LostReason, int(lost_reason_id)) if str(lost_reason_id or "").isdigit() else None
            if reason is None or reason.deleted_at is not None:
                raise InputError("Choose why the deal was lost")
            values["lost_reason_id"] = reason.id
        else:
            values["lost_reason_id"] = None
        values["closed_at"] = utcnow() if stage.outcome != "open" else None
        if note.strip():
            values["close_note"] = note.strip()[:2000]
    return update_record(kernel, session, actor, res, opp.id, values)


def _position(session: Session, opp: Opportunity, stage_id: int, before_id: int | None) -> float:
    """Between the card it is dropped before and the one above that; at the end without one."""
    column = select(Opportunity.position).where(Opportunity.pipeline_id == opp.pipeline_id,
                                                Opportunity.stage_id == stage_id,
                                                Opportunity.deleted_at.is_(None), Opportunity.id != opp.id)
    if before_id:
        below = session.scalar(select(Opportunity.position).where(Opportunity.id == before_id,
                                                                  Opportunity.stage_id == stage_id))
        if below is not None:
            above = session.scalar(column.where(Opportunity.position < below)
                                   .order_by(Opportunity.position.desc()).limit(1))
            return (float(below) - GAP) if above is None else (float(above) + float(below)) / 2
    others = column.subquery()
    last = session.scalar(select(func.max(others.c.position)))
    return (float(last) if last is not None else 0.0) + GAP
