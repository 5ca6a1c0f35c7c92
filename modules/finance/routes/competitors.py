"""Our prices beside the competitors' (FIN-02), one card per product so it reads on a phone."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from kernel import Route
from kernel.web.templating import render
from modules.finance.services.competitors import comparison


def compare_page(request: Request) -> Response:
    kernel = request.app.state.kernel
    with kernel.sessions() as session:
        rows = comparison(kernel, session, request.state.actor)
    return render(request, "finance/compare.html", {"rows": rows,
                                                    "can_add": request.state.actor.can("finance.competitor_price.create")})


def routes() -> list[Route]:
    return [Route("/competitors/compare", compare_page, methods=["GET"], permission="finance.competitor_price.view",
                  name="competitors_compare")]
