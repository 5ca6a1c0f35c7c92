"""An invoice's payment plan page (FIN-08): generate the plan, type it by hand, record a payment
against chosen instalments. Each post is one call of :mod:`services.plans` or
:mod:`services.payments` in one transaction; a refusal comes back on the page with the Persian
message beside its field (400), or above the forms (409), nothing changed."""

from __future__ import annotations

import datetime as dt
from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from kernel import InputError, NotFound, PermissionDenied, Route
from kernel.persian.jalali import parse_jalali_date
from kernel.persian.numbers import parse_int
from kernel.persian.textnorm import clean_input
from kernel.records import FormErrors
from kernel.web.templating import render
from modules.finance.routes.answers import answer
from modules.finance.services import payments, plans
from modules.finance.services.payments import PaymentInput
from modules.finance.services.plan_view import plan_page

ROWS_TYPED = 60  # at most this many instalment rows in the hand-typed plan


def _int(typed: dict[str, str], name: str, errors: dict[str, InputError]) -> int | None:
    text = clean_input(typed.get(name, ""))
    if not text:
        return None
    try:
        return parse_int(text)
    except InputError as exc:
        errors[name] = exc
        return None


def _date(typed: dict[str, str], name: str, errors: dict[str, InputError]) -> dt.date | None:
    text = clean_input(typed.get(name, ""))
    if not text:
        return None
    try:
        return parse_jalali_date(text)
    except InputError as exc:
        errors[name] = exc
        return None


def _page(request: Request, iid: int, typed: dict[str, Any], errors: dict[str, str], status: int = 200) -> Response:
    kernel = request.app.state.kernel
    with kernel.sessions() as session:
        try:
            context = plan_page(kernel, session, request.state.actor, iid)
        except PermissionDenied:  # outside the scope: not told apart from missing
            raise NotFound() from None
    return render(request, "finance/plan.html", {**context, "typed": typed, "errors": errors}, status)


def page(request: Request) -> Response:
    return _page(request, int(request.path_params["id"]), {}, {})


def _typed(request: Request) -> tuple[dict[str, str], list[str]]:
    form = request.state.form
    if form is None:
        return {}, []
    chosen = [str(v) for v in form.getlist("instalment")] if hasattr(form, "getlist") else []
    return {k: str(v) for k, v in form.items() if k not in ("csrf", "instalment")}, chosen


def _answer(request: Request, iid: int, typed: dict[str, Any], work: Any) -> Response:
    return answer(request, work, lambda errors, status: _page(request, iid, typed, errors, status),
                  f"/finance/invoice/{iid}/plan")


def generate(request: Request) -> Response:
    kernel, actor = request.app.state.kernel, request.state.actor
    iid = int(request.path_params["id"])
    typed, _ = _typed(request)

    def work() -> None:
        errors: dict[str, InputError] = {}
        cash, count, every = (_int(typed, n, errors) for n in ("cash", "count", "every"))
        first = _date(typed, "first", errors)
        if errors:
            raise FormErrors(errors)
        with kernel.session(actor) as session:
            plans.generate(kernel, session, actor, iid, cash=cash or 0, count=count or 0, first=first,
                           every=every or 1)
    return _answer(request, iid, typed, work)


def save(request: Request) -> Response:
    kernel, actor = request.app.state.kernel, request.state.actor
    iid = int(request.path_params["id"])
    typed, _ = _typed(request)

    def work() -> None:
        errors: dict[str, InputError] = {}
        cash = _int(typed, "cash_amount", errors) or 0
        cash_on = _date(typed, "cash_on", errors)
        parts: list[tuple[dt.date, int]] = []
        for i in range(1, ROWS_TYPED + 1):
            day, amount = _date(typed, f"due_{i}", errors), _int(typed, f"amount_{i}", errors)
            if day is None and amount is None:
                continue
            if day is None and f"due_{i}" not in errors:
                errors[f"due_{i}"] = InputError("Give the due date")
            if amount is None and f"amount_{i}" not in errors:
                errors[f"amount_{i}"] = InputError("Give the amount")
            if day is not None and amount is not None:
                parts.append((day, amount))
        if errors:
            raise FormErrors({("cash" if k == "cash_amount" else k): v for k, v in errors.items()})
        with kernel.session(actor) as session:
            plans.save(kernel, session, actor, iid, cash=cash, cash_on=cash_on, parts=parts)
    return _answer(request, iid, typed, work)


def pay(request: Request) -> Response:
    kernel, actor = request.app.state.kernel, request.state.actor
    iid = int(request.path_params["id"])
    form, chosen = _typed(request)
    typed: dict[str, Any] = {**form, "chosen": chosen}

    def work() -> None:
        errors: dict[str, InputError] = {}
        amount = _int(typed, "amount", errors)
        on = _date(typed, "on", errors)
        ids = [int(c) for c in chosen if c.isdigit()]
        refs = {n: _int(typed, n, errors) for n in ("cheque_id", "account_id", "terminal_id")}
        if errors:
            raise FormErrors(errors)
        data = PaymentInput(kind=typed.get("kind", ""), amount=amount, on=on, instalment_ids=ids,
                            slip_number=typed.get("slip_number"), payer_name=typed.get("payer_name"),
                            trace_number=typed.get("trace_number"), note=typed.get("note"),
                            cheque_id=refs["cheque_id"], account_id=refs["account_id"], terminal_id=refs["terminal_id"])
        with kernel.session(actor) as session:
            payments.record(kernel, session, actor, iid, data)
    return _answer(request, iid, typed, work)


def routes() -> list[Route]:
    return [
        Route("/invoice/{id:int}/plan", page, methods=["GET"], permission="finance.invoice.view", name="invoice_plan"),
        Route("/invoice/{id:int}/plan/generate", generate, methods=["POST"], permission=plans.PLAN,
              name="invoice_plan_generate"),
        Route("/invoice/{id:int}/plan/save", save, methods=["POST"], permission=plans.PLAN, name="invoice_plan_save"),
        Route("/invoice/{id:int}/payments", pay, methods=["POST"], permission=payments.RECORD,
              name="invoice_payment"),
    ]
