"""``/insurance/policy/<id>/renew`` (the prefilled form of the next policy, or why not) and
``/insurance/policy/<id>/bill`` (the premium's invoice and its instalments)."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from kernel import Conflict, InputError, NotFound, Route
from kernel.persian.jalali import parse_jalali_date
from kernel.persian.textnorm import to_ascii_digits
from kernel.records import FormErrors, get_record
from kernel.web.forms import error_text, flash, form, redirect, tr
from kernel.web.templating import render

CREATE = "insurance.policy.create"
EDIT = "insurance.policy.edit"


def _message(request: Request, text: str, status: int, back: str) -> Response:
    return render(request, "kernel/message.html", {"message": text, "status": status, "back": back}, status)


def renew(request: Request) -> Response:
    from modules.insurance.services.renewal import prefill_url, renewal_refusal

    kernel = request.app.state.kernel
    pid = int(request.path_params["id"])
    back = f"/insurance/policy/{pid}"
    with kernel.sessions() as session:
        try:
            policy = get_record(kernel, session, request.state.actor, kernel.resources["insurance.policy"], pid, "view")
        except NotFound:
            return _message(request, tr(request, "Not found"), 404, "/insurance/policy/")
        problem = renewal_refusal(session, policy.id)
        if problem is not None:
            return _message(request, error_text(request, problem), 409, back)
        return redirect(prefill_url(policy))


def bill(request: Request) -> Response:
    from modules.insurance.services.billing import bill as issue

    kernel = request.app.state.kernel
    pid = int(request.path_params["id"])
    back = f"/insurance/policy/{pid}"
    data = form(request)
    count_text = to_ascii_digits(str(data.get("count") or "1")).strip()
    first_text = str(data.get("first") or "").strip()
    try:
        if not count_text.isdigit():
            raise FormErrors({"count": InputError("Enter a whole number")})
        first = parse_jalali_date(first_text) if first_text else None
        with kernel.session(request.state.actor) as session:
            invoice = issue(kernel, session, request.state.actor, pid, count=int(count_text), first=first)
            invoice_id = invoice.id
    except NotFound:
        return _message(request, tr(request, "Not found"), 404, "/insurance/policy/")
    except FormErrors as exc:
        text = " ".join(error_text(request, e) for e in exc.errors.values())
        return _message(request, text, 422, back)
    except (InputError, Conflict) as exc:
        return _message(request, error_text(request, exc), 409, back)
    flash(request, "Saved")
    return redirect(f"/finance/invoice/{invoice_id}/plan")


def cancel(request: Request) -> Response:
    kernel = request.app.state.kernel
    pid = int(request.path_params["id"])
    back = f"/insurance/policy/{pid}"
    try:
        with kernel.session(request.state.actor) as session:
            policy = get_record(kernel, session, request.state.actor, kernel.resources["insurance.policy"], pid, "edit",
                                for_update=True)
            if policy.state != "active":
                raise Conflict("Only an active policy can be cancelled")
            policy.state = "cancelled"
    except NotFound:
        return _message(request, tr(request, "Not found"), 404, "/insurance/policy/")
    except Conflict as exc:
        return _message(request, error_text(request, exc), 409, back)
    flash(request, "Saved")
    return redirect(back)


def routes() -> list[Any]:
    return [Route("/policy/{id:int}/renew", renew, methods=["GET"], permission=CREATE, name="renew"),
            Route("/policy/{id:int}/bill", bill, methods=["POST"], permission=EDIT, name="bill"),
            Route("/policy/{id:int}/cancel", cancel, methods=["POST"], permission=EDIT, name="cancel")]
