"""Which pipeline a customer's opportunity takes, and a pipeline's stages in order."""

from __future__ import annotations

from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from kernel import InputError
from modules.sales.models import Pipeline, Stage


def pipeline_for(session: Session, customer_kind: str | None) -> Pipeline:
    """The pipeline kept for this kind of customer, else the first one for everyone."""
    rows = session.scalars(select(Pipeline).where(Pipeline.deleted_at.is_(None),
                                                  or_(Pipeline.customer_kind.is_(None),
                                                      Pipeline.customer_kind == customer_kind))
                           .order_by(Pipeline.customer_kind.is_(None), Pipeline.sequence, Pipeline.id)).all()
    if not rows:
        raise InputError("No sales pipeline is defined: add one under Sales → Pipelines")
    return rows[0]


def stages_of(session: Session, pipeline_id: int) -> list[Stage]:
    return list(session.scalars(select(Stage).where(Stage.pipeline_id == pipeline_id, Stage.deleted_at.is_(None))
                                .order_by(Stage.sequence, Stage.id)))


def first_open_stage(session: Session, pipeline_id: int) -> Stage:
    for stage in stages_of(session, pipeline_id):
        if stage.outcome == "open":
            return stage
    raise InputError("The pipeline has no open stage: add one under Sales → Stages")


def stage_in(session: Session, pipeline_id: int, stage_id: Any) -> Stage:
    stage = session.get(Stage, int(stage_id)) if str(stage_id).isdigit() else None
    if stage is None or stage.deleted_at is not None or stage.pipeline_id != pipeline_id:
        raise InputError("Choose a stage of this opportunity's pipeline")
    return stage
