"""The customers list with balance and payment-behaviour score (``/finance/customers``, FIN-12):
``?sort=balance|score&dir=desc|asc&band=good|fair|bad|none&after=<cursor>``. A cursor that is
not one (typed by hand, or of a row gone since) answers the first page with a Persian message,
never a 500."""

from __future__ import annotations

from urllib.parse import urlencode

from starlette.requests import Request
from starlette.responses import Response

from kernel import InputError, Route
from kernel.web.templating import render
from modules.finance.score import BANDS, NONE_BAND
from modules.finance.services import customers_list, score_view

VIEW = "finance.invoice.view"


def customers_page(request: Request) -> Response:
    kernel = request.app.state.kernel
    q = request.query_params
    asked = {"sort": q.get("sort", "balance"), "dir": q.get("dir", "desc"), "band": q.get("band", "")}
    after, error, status = q.get("after", ""), "", 200
    with kernel.sessions() as session:
        def read(start: str) -> customers_list.Page:
            return customers_list.page(kernel, session, request.state.actor, sort=asked["sort"],
                                       descending=asked["dir"] != "asc", band=asked["band"], after=start)

        try:
            page = read(after)
        except InputError as exc:
            error, after, status = kernel.t(request.state.actor.lang, exc.msgid, **exc.params), "", 400
            page = read("")

    def query(**more: str) -> str:
        return urlencode({k: v for k, v in {**asked, **more}.items() if v})

    bands = [(code, label) for _low, code, label in BANDS] + [NONE_BAND]
    return render(request, "finance/customers.html", {"page": page, "after": after, "error": error,
                                                      "bands": bands, "words": score_view.words(kernel, request.state.actor.lang),
                                                      "query": query},
                  status)


def routes() -> list[Route]:
    return [Route("/customers", customers_page, methods=["GET"], permission=VIEW, name="customers")]
