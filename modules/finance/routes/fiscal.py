"""The fiscal year page (FIN-16), ``/finance/fiscal-year``: close the next year, undo the last
close. Both POSTs run the services of :mod:`modules.finance.services.fiscal_close` in one
transaction; a refusal comes back on the page with every reason (409), nothing changed."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from kernel import Conflict, InputError, PermissionDenied, Route
from kernel.persian.numbers import parse_int
from kernel.persian.textnorm import clean_input
from kernel.timezone import local_today
from kernel.web.forms import error_text, flash, redirect
from kernel.web.templating import render
from modules.finance.services import fiscal_view
from modules.finance.services.fiscal_checks import Blocker
from modules.finance.services.fiscal_close import CLOSE, Refused, close, reopen

URL = "/finance/fiscal-year"


def _page(request: Request, refused: list[Blocker] | None = None, action: str = "", status: int = 200) -> Response:
    kernel = request.app.state.kernel
    with kernel.sessions() as session:
        view = fiscal_view.page(kernel, session, request.state.actor, local_today(kernel.config.timezone))
    return render(request, "finance/fiscal_year.html", {"view": view, "refused": refused or [], "action": action},
                  status)


def page(request: Request) -> Response:
    return _page(request)


def _year(request: Request) -> int | None:
    form = request.state.form
    try:
        return parse_int(clean_input(str(form.get("year", "") if form is not None else "")))
    except InputError:
        return None


def _do(request: Request, action: str, service: Any, done: str) -> Response:
    kernel = request.app.state.kernel
    year = _year(request)
    if year is None or not 1300 <= year <= 1600:
        return _page(request, [Blocker("Choose the fiscal year")], action, 400)
    try:
        with kernel.session(request.state.actor) as session:
            service(kernel, session, request.state.actor, year)
    except Refused as exc:
        return _page(request, exc.reasons, action, 409)
    except PermissionDenied:
        return Response(kernel.t("fa", "You do not have permission to do this"), status_code=403)
    except (Conflict, InputError) as exc:
        return _page(request, [Blocker(error_text(request, exc))], action, 409)
    flash(request, done)
    return redirect(URL)


def close_year(request: Request) -> Response:
    return _do(request, "close", close, "The fiscal year is closed.")


def reopen_year(request: Request) -> Response:
    return _do(request, "reopen", reopen, "The close of the fiscal year is undone.")


def routes() -> list[Route]:
    return [
        Route("/fiscal-year", page, methods=["GET"], permission=CLOSE, name="fiscal_year_page"),
        Route("/fiscal-year/close", close_year, methods=["POST"], permission=CLOSE, name="fiscal_year_close"),
        Route("/fiscal-year/reopen", reopen_year, methods=["POST"], permission=CLOSE, name="fiscal_year_reopen"),
    ]
