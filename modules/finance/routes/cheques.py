"""A cheque's change of state (its page's buttons), the due-date calendar and the expected
cash-in per week (FIN-09). The change is one call of :func:`services.cheques.change_state` in one
transaction; a refusal comes back on the state form with Persian messages beside the fields
(400), or above it when someone else changed the cheque meanwhile (409), nothing changed."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from kernel import InputError, NotFound, PermissionDenied, Route
from kernel.persian.jalali import month_name, parse_jalali_date
from kernel.persian.numbers import parse_int
from kernel.persian.textnorm import clean_input
from kernel.records import FormErrors
from kernel.timezone import local_today
from kernel.web.templating import render, request_lang
from modules.finance.routes.answers import answer
from modules.finance.services import cheque_calendar, cheques
from modules.finance.services.cheque_view import state_form

VIEW = "finance.cheque.view"
# A Persian week, Saturday first (English msgids, translated in the catalogue).
WEEKDAYS = ("Saturday", "Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday")


def _int(raw: str | None, field: str) -> int | None:
    text = clean_input(raw or "")
    if not text:
        return None
    try:
        return parse_int(text)
    except InputError as exc:
        raise FormErrors({field: exc}) from None


def _page(request: Request, cid: int, typed: dict[str, str], errors: dict[str, str], status: int = 200) -> Response:
    kernel = request.app.state.kernel
    with kernel.sessions() as session:
        try:
            context = state_form(kernel, session, request.state.actor, cid)
        except PermissionDenied:  # outside the scope: not told apart from missing
            raise NotFound() from None
    return render(request, "finance/cheque_state_page.html", {**context, "typed": typed, "errors": errors}, status)


def state_page(request: Request) -> Response:
    return _page(request, int(request.path_params["id"]), {"to_state": request.query_params.get("to", "")}, {})


def change(request: Request) -> Response:
    kernel = request.app.state.kernel
    cid = int(request.path_params["id"])
    form = request.state.form
    typed = {k: str(v) for k, v in form.items() if k != "csrf"} if form is not None else {}

    def work() -> None:
        on_text = clean_input(typed.get("on", ""))
        try:
            on = parse_jalali_date(on_text) if on_text else None
        except InputError as exc:
            raise FormErrors({"on": exc}) from None
        revision = _int(typed.get("revision"), "to_state")
        with kernel.session(request.state.actor) as session:
            cheques.change_state(kernel, session, request.state.actor, cid, typed.get("to_state", ""),
                                 revision=revision, on=on, note=typed.get("note"),
                                 endorsed_to_id=_int(typed.get("endorsed_to_id"), "endorsed_to_id"),
                                 account_id=_int(typed.get("account_id"), "account_id"),
                                 purchase_id=_int(typed.get("purchase_id"), "purchase_id"))  # -- purchases

    return answer(request, work, lambda errors, status: _page(request, cid, typed, errors, status),
                  f"/finance/cheque/{cid}")


def calendar_page(request: Request) -> Response:
    kernel = request.app.state.kernel
    today = local_today(kernel.config.timezone)
    year, month = cheque_calendar.month_asked(request.query_params.get("y"), request.query_params.get("m"), today)
    with kernel.sessions() as session:
        grid = cheque_calendar.month(kernel, session, request.state.actor, year, month, today)
    lang = request_lang(request)
    return render(request, "finance/cheque_calendar.html", {
        "grid": grid, "month_name": month_name(month, lang), "weekdays": WEEKDAYS,
        "month_of": lambda ym: month_name(ym[1], lang)})


def cash_in_page(request: Request) -> Response:
    kernel = request.app.state.kernel
    today = local_today(kernel.config.timezone)
    with kernel.sessions() as session:
        weeks = cheque_calendar.cash_in(kernel, session, request.state.actor, today)
    return render(request, "finance/cheque_cash_in.html", {"weeks": weeks, "total": sum(w.total for w in weeks),
                                                           "count": sum(w.count for w in weeks)})


def routes() -> list[Route]:
    return [
        Route("/cheque/{id:int}/state", state_page, methods=["GET"], permission=cheques.CHANGE_STATE,
              name="cheque_state_page"),
        Route("/cheque/{id:int}/state", change, methods=["POST"], permission=cheques.CHANGE_STATE,
              name="cheque_state"),
        Route("/cheques/calendar", calendar_page, methods=["GET"], permission=VIEW, name="cheque_calendar"),
        Route("/cheques/cash-in", cash_in_page, methods=["GET"], permission=VIEW, name="cheque_cash_in"),
    ]


