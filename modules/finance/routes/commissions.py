"""Paying commissions (FIN-13): the unpaid commission rows the user may see (optionally one
agent's), ticked, with the day and the reference of the payment. One POST pays them in one
transaction through :func:`modules.finance.services.commission_pay.pay`; a refusal (nothing
ticked, a row paid meanwhile) comes back on the page in Persian, nothing paid."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from kernel import Conflict, InputError, Route
from kernel.persian.jalali import parse_jalali_date
from kernel.persian.numbers import parse_int
from kernel.persian.textnorm import clean_input
from kernel.records import FormErrors
from kernel.web.cells import titles_for
from kernel.web.forms import error_text, flash, redirect
from kernel.web.templating import render
from modules.finance.services.commission_pay import PAY, pay, unpaid


def _int(raw: Any) -> int | None:
    text = clean_input(str(raw or ""))
    if not text:
        return None
    try:
        return parse_int(text)
    except InputError:
        return -1  # nothing has that id: refused as not found


def _page(request: Request, typed: dict[str, str], ticked: set[int], errors: dict[str, str],
          status: int = 200) -> Response:
    kernel = request.app.state.kernel
    actor = request.state.actor
    agent_id = _int(request.query_params.get("agent_id") or typed.get("agent_id"))
    with kernel.sessions() as session:
        rows = unpaid(kernel, session, actor, agent_id)
        titles = titles_for(kernel, session, {"base.partner": {r.agent_id for r in rows},
                                              "finance.invoice": {r.invoice_id for r in rows}}, actor)
    return render(request, "finance/commission_pay.html", {
        "rows": rows, "titles": titles, "typed": typed, "ticked": ticked, "errors": errors,
        "agent_id": agent_id if agent_id and agent_id > 0 else None,
        "total": sum(r.amount for r in rows if r.id in ticked)}, status)


def page(request: Request) -> Response:
    return _page(request, {}, set(), {})


def submit(request: Request) -> Response:
    kernel = request.app.state.kernel
    form = request.state.form
    typed = {k: str(v) for k, v in form.items() if k not in ("csrf", "ids")} if form is not None else {}
    ids = [i for i in (_int(v) for v in (form.getlist("ids") if form is not None else [])) if i is not None]
    errors: dict[str, str] = {}
    paid_on = None
    try:
        paid_on = parse_jalali_date(typed.get("paid_on", "")) if typed.get("paid_on", "").strip() else None
    except InputError as exc:
        errors["paid_on"] = error_text(request, exc)
    try:
        if errors:
            raise FormErrors({})
        with kernel.session(request.state.actor) as session:
            payment = pay(kernel, session, request.state.actor, ids, paid_on, typed.get("reference", ""),
                          typed.get("note"))
            pid = payment.id
    except FormErrors as exc:
        errors |= {k: error_text(request, v) for k, v in exc.errors.items()}
        return _page(request, typed, set(ids), errors, 400)
    except (Conflict, InputError) as exc:
        return _page(request, typed, set(ids), {"__all__": error_text(request, exc)}, 409)
    flash(request, "Saved.")
    return redirect(f"/finance/commission_payment/{pid}")


def routes() -> list[Route]:
    return [
        Route("/commissions/pay", page, methods=["GET"], permission=PAY, name="commissions_pay_page"),
        Route("/commissions/pay", submit, methods=["POST"], permission=PAY, name="commissions_pay"),
    ]
