"""A new opportunity's place: its customer's pipeline, the first open stage, the column's end."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from kernel import InputError
from modules.sales.models import Opportunity, Pipeline
from modules.sales.services.moves import GAP
from modules.sales.services.pipelines import first_open_stage, pipeline_for


def place_new(session: Session, opp: Opportunity) -> None:
    from modules.base.models import Partner

    if opp.pipeline_id is None:
        partner = session.get(Partner, opp.partner_id)
        opp.pipeline_id = pipeline_for(session, partner.kind if partner else None).id
    elif (pipeline := session.get(Pipeline, opp.pipeline_id)) is None or pipeline.deleted_at is not None:
        raise InputError("Choose a pipeline from the list")
    stage = first_open_stage(session, opp.pipeline_id)
    opp.stage_id, opp.outcome = stage.id, "open"
    if not opp.probability:
        opp.probability = stage.probability
    last = session.scalar(select(func.max(Opportunity.position)).where(
        Opportunity.pipeline_id == opp.pipeline_id, Opportunity.stage_id == stage.id,
        Opportunity.deleted_at.is_(None)))
    opp.position = (float(last) if last is not None else 0.0) + GAP

