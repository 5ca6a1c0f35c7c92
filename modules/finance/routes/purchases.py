"""A purchase invoice's work page (FIN-18): its lines added and removed while a draft, posting,
voiding, paying the supplier (cash, transfer, our cheque) and moving our cheques. Each POST is one
service call in one transaction; a refusal comes back on the page with Persian messages beside
the fields (400) or above them (409), nothing changed (:func:`routes.answers.answer`)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from kernel import InputError, NotFound, PermissionDenied, Route
from kernel.persian.money import parse_money
from kernel.persian.textnorm import clean_input
from kernel.records import FormErrors
from kernel.timezone import local_today
from kernel.web.templating import render
from modules.finance.routes.answers import answer
from modules.finance.routes.plans import _date, _int
from modules.finance.services import own_cheques, purchase_payments, purchases
from modules.finance.services.purchase_view import work_page


def _typed(request: Request) -> dict[str, str]:
    form = request.state.form
    return {k: str(v) for k, v in form.items() if k != "csrf"} if form is not None else {}


def _page(request: Request, pid: int, typed: dict[str, str], errors: dict[str, str], status: int = 200) -> Response:
    kernel = request.app.state.kernel
    with kernel.sessions() as session:
        try:
            context = work_page(kernel, session, request.state.actor, pid)
        except PermissionDenied:  # outside the scope: not told apart from missing
            raise NotFound() from None
    return render(request, "finance/purchase_work.html", {**context, "typed": typed, "errors": errors}, status)


def page(request: Request) -> Response:
    return _page(request, int(request.path_params["id"]), {}, {})


def _answer(request: Request, typed: dict[str, str], work: Any) -> Response:
    pid = int(request.path_params["id"])
    return answer(request, work, lambda errors, status: _page(request, pid, typed, errors, status),
                  f"/finance/purchase/{pid}/work")


def _run(request: Request, typed: dict[str, str], call: Callable[[Any, Any, Any, int], object]) -> Response:
    """``call(kernel, session, actor, purchase_id)`` in one transaction, answered on the page."""
    kernel, actor = request.app.state.kernel, request.state.actor

    def work() -> None:
        with kernel.session(actor) as session:
            call(kernel, session, actor, int(request.path_params["id"]))

    return _answer(request, typed, work)


def add_line(request: Request) -> Response:
    typed = _typed(request)
    return _run(request, typed, lambda k, s, a, pid: purchases.add_lines(k, s, a, pid, [typed]))


def remove_line(request: Request) -> Response:
    line = int(request.path_params["line"])
    return _run(request, {}, lambda k, s, a, pid: purchases.remove_line(k, s, a, pid, line))


def post(request: Request) -> Response:
    return _run(request, {}, purchases.post)


def void(request: Request) -> Response:
    typed = _typed(request)
    return _run(request, typed, lambda k, s, a, pid: purchases.void(k, s, a, pid, typed.get("reason", "")))


def pay(request: Request) -> Response:
    kernel, actor, typed = request.app.state.kernel, request.state.actor, _typed(request)
    unit = getattr(actor, "money_unit", "rial")

    def work() -> None:
        errors: dict[str, InputError] = {}
        amount = None
        try:
            amount = parse_money(clean_input(typed.get("amount", "")), unit) if typed.get("amount") else None  # type: ignore[arg-type]
        except InputError as exc:
            errors["amount"] = exc
        if amount is None and "amount" not in errors:
            errors["amount"] = InputError("This field is required")
        on = _date(typed, "date", errors) or local_today(kernel.config.timezone)
        due = _date(typed, "due_date", errors)
        account = _int(typed, "account_id", errors)
        if errors:
            raise FormErrors(errors)
        assert amount is not None
        pid = int(request.path_params["id"])
        method = typed.get("method", "cash")
        with kernel.session(actor) as session:
            if method == "own_cheque":
                own_cheques.give(kernel, session, actor, pid, amount=amount, on=on, account_id=account,
                                 number=typed.get("number", ""), due_date=due, sayad_id=typed.get("sayad_id"),
                                 note=typed.get("note") or None)
            else:
                purchase_payments.pay(kernel, session, actor, pid, amount, on, method, account_id=account,
                                      reference=clean_input(typed.get("reference", "")) or None,
                                      note=clean_input(typed.get("note", ""))[:300] or None)

    return _answer(request, typed, work)


def move_own(request: Request) -> Response:
    typed, cheque = _typed(request), int(request.path_params["cheque"])
    return _run(request, typed, lambda k, s, a, _pid: own_cheques.change(k, s, a, cheque, typed.get("to_state", "")))


def routes() -> list[Route]:
    return [
        Route("/purchase/{id:int}/work", page, methods=["GET"], permission="finance.purchase.view",
              name="purchase_work"),
        Route("/purchase/{id:int}/lines", add_line, methods=["POST"], permission="finance.purchase.edit",
              name="purchase_add_line"),
        Route("/purchase/{id:int}/lines/{line:int}/remove", remove_line, methods=["POST"],
              permission="finance.purchase.edit", name="purchase_remove_line"),
        Route("/purchase/{id:int}/post", post, methods=["POST"], permission=purchases.POST, name="purchase_post"),
        Route("/purchase/{id:int}/void", void, methods=["POST"], permission="finance.purchase.delete",
              name="purchase_void"),
        Route("/purchase/{id:int}/pay", pay, methods=["POST"], permission="finance.purchase_payment.create",
              name="purchase_pay"),
        Route("/purchase/{id:int}/own_cheque/{cheque:int}/state", move_own, methods=["POST"],
              permission=own_cheques.CHANGE, name="purchase_own_cheque_state"),
    ]
