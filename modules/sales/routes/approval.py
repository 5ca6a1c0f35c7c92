"""A manager approves an opportunity (the sales order, SAL-03) or sends it back with a note."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from kernel import InputError, Route
from kernel.records import get_record
from kernel.web.forms import form
from kernel.web.templating import render
from modules.sales.routes.common import done, refused
from modules.sales.services.moves import approve, send_back

APPROVE = "sales.opportunity.approve"


def _page(request: Request, opp_id: int, error: str = "", status: int = 200) -> Response:
    kernel = request.app.state.kernel
    with kernel.sessions() as session:
        opp = get_record(kernel, session, request.state.actor, kernel.resources["sales.opportunity"], opp_id)
    return render(request, "sales/approval.html", {"opp": opp, "error": error}, status)


def approval_page(request: Request) -> Response:
    return _page(request, int(request.path_params["id"]))


def approval_submit(request: Request) -> Response:
    kernel = request.app.state.kernel
    actor = request.state.actor
    opp_id = int(request.path_params["id"])
    data = form(request)
    try:
        with kernel.session(actor) as session:
            if data.get("decision") == "approve":
                approve(kernel, session, actor, opp_id)
                msgid = "Approved"
            else:
                send_back(kernel, session, actor, opp_id, str(data.get("note") or ""))
                msgid = "Sent back with your note"
    except InputError as exc:
        return refused(request, exc, lambda text: _page(request, opp_id, text, 422))
    return done(request, f"/sales/opportunity/{opp_id}", msgid)


def routes() -> list[Any]:
    return [Route("/opportunity/{id:int}/approval", approval_page, methods=["GET"], permission=APPROVE,
                  name="approval"),
            Route("/opportunity/{id:int}/approval", approval_submit, methods=["POST"], permission=APPROVE,
                  name="approval_submit")]
