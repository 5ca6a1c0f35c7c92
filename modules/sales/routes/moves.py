"""Moving a card: ``POST /sales/opportunity/{id}/move`` from a drag, a key or the move page."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from starlette.requests import Request
from starlette.responses import Response

from kernel import InputError, NotFound
from kernel.records import get_record
from kernel.web.forms import form
from kernel.web.templating import render
from modules.sales.display import unit_of
from modules.sales.models import LostReason, Opportunity
from modules.sales.routes.common import done, number, refused
from modules.sales.services.moves import move
from modules.sales.services.pipelines import stages_of

EDIT = "sales.opportunity.edit"


def _page(request: Request, opp_id: int, error: str = "", status: int = 200) -> Response:
    kernel = request.app.state.kernel
    actor = request.state.actor
    with kernel.sessions() as session:
        opp = get_record(kernel, session, actor, kernel.resources["sales.opportunity"], opp_id, "edit")
        stages = stages_of(session, opp.pipeline_id)
        reasons = list(session.scalars(select(LostReason).where(LostReason.deleted_at.is_(None))
                                       .order_by(LostReason.sequence, LostReason.id)))
    return render(request, "sales/move.html", {"opp": opp, "stages": stages, "reasons": reasons, "error": error},
                  status)


def move_page(request: Request) -> Response:
    return _page(request, int(request.path_params["id"]))


def move_submit(request: Request) -> Response:
    kernel = request.app.state.kernel
    opp_id = int(request.path_params["id"])
    data = form(request)
    try:
        with kernel.session(request.state.actor) as session:
            opp = move(kernel, session, request.state.actor, opp_id, data.get("stage_id"),
                       before_id=number(data.get("before_id")), lost_reason_id=data.get("lost_reason_id"),
                       note=str(data.get("note") or ""))
            pipeline_id, columns = opp.pipeline_id, _columns(kernel, session, request, opp.pipeline_id)
    except InputError as exc:
        return refused(request, exc, lambda text: _page(request, opp_id, text, 422))
    except NotFound:
        raise
    return done(request, f"/sales/board?pipeline={pipeline_id}", "Moved", {"columns": columns})


def _columns(kernel: Any, session: Any, request: Request, pipeline_id: int) -> dict[str, dict[str, Any]]:
    """Every column's count and total after the move, as the board shows them (the user's scope)."""
    from kernel.persian.money import format_money
    from kernel.persian.numbers import format_number
    from kernel.web.templating import request_lang

    lang = request_lang(request)
    unit = unit_of(request.state.actor)
    mine = kernel.scoped_select(request.state.actor, Opportunity).where(
        Opportunity.pipeline_id == pipeline_id).subquery()
    found = {int(sid): (int(n), int(t or 0)) for sid, n, t in session.execute(
        select(mine.c.stage_id, func.count(), func.sum(mine.c.expected_value)).group_by(mine.c.stage_id))}
    return {str(stage.id): {"count": format_number(found.get(stage.id, (0, 0))[0], lang),
                            "total": format_money(found.get(stage.id, (0, 0))[1], unit, lang)}
            for stage in stages_of(session, pipeline_id)}


def routes() -> list[Any]:
    from kernel import Route

    return [Route("/opportunity/{id:int}/move", move_page, methods=["GET"], permission=EDIT, name="move"),
            Route("/opportunity/{id:int}/move", move_submit, methods=["POST"], permission=EDIT,
                  name="move_submit")]
