"""The kanban board of a pipeline (SAL-02): per stage its cards in order, its count and total.

Read through the actor's record scope, so a salesperson limited to their own deals sees their
own board and a team manager the team's. Each column shows its first ``PER_COLUMN`` cards; the
count and total are of all of them (one grouped query). A card's next activity is the earliest
open task linked to it, when the tasks module is enabled (through its resource, not its code).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from kernel.web.cells import titles_for
from modules.sales.models import Opportunity, Stage
from modules.sales.services.pipelines import stages_of

PER_COLUMN = 50


@dataclass
class Column:
    stage: Stage
    cards: list[Opportunity] = field(default_factory=list)
    count: int = 0
    total: int = 0


@dataclass
class Board:
    columns: list[Column]
    titles: dict[tuple[str, int], str]
    next_tasks: dict[int, Any]


def board(kernel: Any, session: Session, actor: Any, pipeline_id: int, owner_id: int | None = None,
          closed: bool = False) -> Board:
    stages = [s for s in stages_of(session, pipeline_id) if closed or s.outcome == "open"]
    base = kernel.scoped_select(actor, Opportunity).where(Opportunity.pipeline_id == pipeline_id)
    if owner_id:
        base = base.where(Opportunity.owner_id == owner_id)
    # Totals of what the board shows: the open stages' deals only, unless the closed ones are shown.
    mine = (base if closed else base.where(Opportunity.outcome == "open")).subquery()
    totals = {sid: (int(n), int(t or 0)) for sid, n, t in session.execute(
        select(mine.c.stage_id, func.count(), func.sum(mine.c.expected_value)).group_by(mine.c.stage_id))}
    columns = []
    for stage in stages:
        cards = list(session.scalars(base.where(Opportunity.stage_id == stage.id)
                                     .order_by(Opportunity.position, Opportunity.id).limit(PER_COLUMN)))
        count, total = totals.get(stage.id, (0, 0))
        columns.append(Column(stage, cards, count, total))
    cards_all = [c for col in columns for c in col.cards]
    titles = titles_for(kernel, session, {"base.partner": {c.partner_id for c in cards_all},
                                          "@user": {c.owner_id for c in cards_all if c.owner_id}}, actor)
    return Board(columns, titles, next_tasks(kernel, session, actor, [c.id for c in cards_all]))


def next_tasks(kernel: Any, session: Session, actor: Any, ids: list[int]) -> dict[int, Any]:
    """Each card's earliest open task (title, due), if the tasks module is there."""
    tasks = kernel.resources.get("tasks.task")
    if tasks is None or not ids:
        return {}
    model = tasks.model
    rows = session.execute(kernel.scoped_select(actor, model)
                           .where(model.link_resource == "sales.opportunity", model.link_id.in_(ids),
                                  model.done_at.is_(None))
                           .with_only_columns(model.link_id, model.title, model.due_at)
                           .order_by(model.link_id, model.due_at.is_(None), model.due_at))
    found: dict[int, Any] = {}
    for link_id, title, due in rows:
        found.setdefault(int(link_id), (title, due))
    return found
