"""The kanban board of a pipeline (SAL-02): per stage its cards in order, its count and total.

Read through the actor's record scope, so a salesperson limited to their own deals sees their
own board and a team manager the team's. Each column shows its first ``PER_COLUMN`` cards; the
count and total are of all of them (one grouped query). A card's next activity is the earliest
open task linked to it, when the tasks module is enabled (through its resource, not its code).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Select, func, literal, select, union_all
from sqlalchemy.orm import Session, aliased

from kernel import memo
from kernel.web.cells import titles_for
from modules.sales.models import Opportunity, Stage
from modules.sales.services import board_totals
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
    stage_ids = tuple(s.id for s in stages)
    owners = board_totals.owners_seen(kernel, session, actor)
    if owners is not None and owner_id:  # one seller's column: theirs, when the actor sees them
        owners = (owner_id,) if owners == board_totals.ALL or owner_id in owners else None
    if owners is not None:  # the scope is only owners: the kept totals say it without reading the deals
        totals = board_totals.kept(session, pipeline_id, list(stage_ids), owners, closed)
    else:
        totals = column_totals(session, _statement(kernel, actor, "totals", pipeline_id, owner_id, stage_ids, closed))
    by_stage: dict[int, list[Opportunity]] = {}
    cards = _statement(kernel, actor, "cards", pipeline_id, owner_id, stage_ids, closed)
    for card in session.scalars(cards) if cards is not None else ():
        by_stage.setdefault(card.stage_id, []).append(card)
    columns = []
    for stage in stages:
        count, total = totals.get(stage.id, (0, 0))
        columns.append(Column(stage, by_stage.get(stage.id, []), count, total))
    cards_all = [c for col in columns for c in col.cards]
    titles = titles_for(kernel, session, {"base.partner": {c.partner_id for c in cards_all},
                                          "@user": {c.owner_id for c in cards_all if c.owner_id}}, actor)
    return Board(columns, titles, next_tasks(kernel, session, actor, [c.id for c in cards_all]))


def _statement(kernel: Any, actor: Any, kind: str, pipeline_id: int, owner_id: int | None,
               stage_ids: tuple[int, ...], closed: bool) -> Any:
    """The board's statement of ``kind`` for this actor, built once and kept between requests
    (kernel.memo): a UNION of five scoped subqueries took SQLAlchemy ~10 ms to build and compile
    on every request, more than PostgreSQL took to answer it. It depends only on its key — the
    actor (its scope's conditions are SQL, evaluated when it runs) and the board's choices."""

    def build() -> Any:
        base = kernel.scoped_select(actor, Opportunity).where(Opportunity.pipeline_id == pipeline_id)
        if owner_id:
            base = base.where(Opportunity.owner_id == owner_id)
        if kind == "cards":
            return cards_select(base, list(stage_ids))
        return totals_select(base if closed else base.where(Opportunity.outcome == "open"), list(stage_ids))

    return memo.cached(("sales.board", kind, actor, pipeline_id, owner_id, stage_ids, closed), build)


def totals_select(base: Select[Any], stage_ids: list[int]) -> Any:
    """Each stage's count and total of what the board shows, in one statement: a UNION ALL of one
    plain aggregate per stage, each answered from the index ``ix_sales_opportunity_owner_totals``
    alone (stage = X, owner IN the team). A single GROUP BY made PostgreSQL sort the team's 32,600
    index entries by stage first (30 ms of a 48 ms statement, bench_sales). Used when the kept
    totals cannot answer (a scope limited to places)."""
    if not stage_ids:
        return None
    parts = [base.where(Opportunity.stage_id == sid)
             .with_only_columns(literal(sid), func.count(), func.sum(Opportunity.expected_value)) for sid in stage_ids]
    return union_all(*parts) if len(parts) > 1 else parts[0]


def column_totals(session: Session, stmt: Any) -> dict[int, tuple[int, int]]:
    if stmt is None:
        return {}
    return {int(sid): (int(n), int(t or 0)) for sid, n, t in session.execute(stmt)}


def cards_select(base: Select[Any], stage_ids: list[int]) -> Any:
    """The first ``PER_COLUMN`` cards of every column in one statement: a UNION ALL of one
    ``ORDER BY position LIMIT 50`` per stage, each walking the board index (pipeline, stage,
    deleted_at, position) and stopping after 50 rows in scope — the team's owners are a literal
    list (kernel.teams), so no row outside the page is read. A window (row_number() over the
    stage) would have to number every row in scope first."""
    if not stage_ids:
        return None
    parts = [base.where(Opportunity.stage_id == sid).order_by(Opportunity.position, Opportunity.id)
             .limit(PER_COLUMN).subquery().select() for sid in stage_ids]
    page = aliased(Opportunity, union_all(*parts).subquery() if len(parts) > 1 else parts[0].subquery())
    return select(page).order_by(page.stage_id, page.position, page.id)


def next_tasks(kernel: Any, session: Session, actor: Any, ids: list[int]) -> dict[int, Any]:
    """Each card's earliest open task (title, due), if the tasks module is there."""
    tasks = kernel.resources.get("tasks.task")
    if tasks is None or not ids:
        return {}
    model = tasks.model
    # First the ids alone, by the link index and without the scope: the scoped statement is long
    # (every linked resource's scope) and PostgreSQL plans it for ~10-40 ms, which a board whose
    # cards have no open task need not pay. Only the scoped statement decides what is shown.
    linked = list(session.scalars(select(model.id).where(
        model.link_resource == "sales.opportunity", model.link_id.in_(ids), model.done_at.is_(None),
        model.deleted_at.is_(None))))
    if not linked:
        return {}
    rows = session.execute(kernel.scoped_select(actor, model)
                           .where(model.id.in_(linked))
                           .with_only_columns(model.link_id, model.title, model.due_at)
                           .order_by(model.link_id, model.due_at.is_(None), model.due_at))
    found: dict[int, Any] = {}
    for link_id, title, due in rows:
        found.setdefault(int(link_id), (title, due))
    return found
