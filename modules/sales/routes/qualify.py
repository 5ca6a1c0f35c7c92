"""Qualifying a lead into an opportunity (SAL-01), from the lead's page."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from kernel import InputError, Route
from kernel.records import get_record
from kernel.web.forms import form
from kernel.web.templating import render
from modules.sales.routes.common import done, refused
from modules.sales.services.qualify import qualify

EDIT = "sales.lead.edit"


def _page(request: Request, lead_id: int, error: str = "", status: int = 200) -> Response:
    kernel = request.app.state.kernel
    with kernel.sessions() as session:
        lead = get_record(kernel, session, request.state.actor, kernel.resources["sales.lead"], lead_id, "edit")
    return render(request, "sales/qualify.html", {"lead": lead, "error": error}, status)


def qualify_page(request: Request) -> Response:
    return _page(request, int(request.path_params["id"]))


def qualify_submit(request: Request) -> Response:
    kernel = request.app.state.kernel
    actor = request.state.actor
    lead_id = int(request.path_params["id"])
    data = form(request)
    try:
        with kernel.session(actor) as session:
            opp = qualify(kernel, session, actor, lead_id, title=str(data.get("title") or ""),
                          expected_value=_rials(request, data.get("expected_value")))
            opp_id = opp.id
    except InputError as exc:
        return refused(request, exc, lambda text: _page(request, lead_id, text, 422))
    return done(request, f"/sales/opportunity/{opp_id}", "The lead is now an opportunity")


def _rials(request: Request, typed: Any) -> int:
    """An amount typed in the user's unit, read as every money field reads it."""
    from kernel import Field

    unit = getattr(request.state.actor, "money_unit", "rial")
    value = Field(kind="money").parse(str(typed or ""), money_unit=unit)
    return int(value or 0)


def routes() -> list[Any]:
    return [Route("/lead/{id:int}/qualify", qualify_page, methods=["GET"], permission=EDIT, name="qualify"),
            Route("/lead/{id:int}/qualify", qualify_submit, methods=["POST"], permission=EDIT,
                  name="qualify_submit")]
