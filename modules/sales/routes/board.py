"""``/sales/board``: the kanban of a pipeline, the user's own deals or (with scope) the team's."""

from __future__ import annotations

from sqlalchemy import select
from starlette.requests import Request
from starlette.responses import Response

from kernel import Route
from kernel.models import User
from kernel.web.templating import render
from modules.sales.models import LostReason, Pipeline
from modules.sales.routes.common import number
from modules.sales.services.board import board

VIEW = "sales.opportunity.view"


def page(request: Request) -> Response:
    kernel = request.app.state.kernel
    actor = request.state.actor
    q = request.query_params
    with kernel.sessions() as session:
        pipelines = list(session.scalars(select(Pipeline).where(Pipeline.deleted_at.is_(None))
                                         .order_by(Pipeline.sequence, Pipeline.id)))
        chosen = number(q.get("pipeline"))
        pipeline = next((p for p in pipelines if p.id == chosen), pipelines[0] if pipelines else None)
        owner = number(q.get("owner"))
        closed = q.get("closed") == "1"
        data = board(kernel, session, actor, pipeline.id, owner, closed) if pipeline else None
        users = list(session.execute(select(User.id, User.full_name, User.username)
                                     .where(User.is_active.is_(True)).order_by(User.full_name, User.username)))
        reasons = list(session.scalars(select(LostReason).where(LostReason.deleted_at.is_(None))
                                       .order_by(LostReason.sequence, LostReason.id)))
    return render(request, "sales/board.html", {
        "pipelines": pipelines, "pipeline": pipeline, "board": data, "owner": owner, "closed": closed,
        "users": users, "reasons": reasons,
        "can_move": actor.can("sales.opportunity.edit"),
    })


def routes() -> list[Route]:
    return [Route("/board", page, methods=["GET"], permission=VIEW, name="board")]
