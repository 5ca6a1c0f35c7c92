"""``POST /inventory/invoice/<id>/deliver``: the invoice's issue, made by the warehouse (policy
``none``); a refusal comes back as a Persian message on the invoice's page, nothing changed."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from kernel import Conflict, InputError, Route
from kernel.web.forms import error_text, flash, redirect
from modules.inventory.delivery import DELIVER, deliver


def post(request: Request) -> Response:
    kernel = request.app.state.kernel
    invoice_id = int(request.path_params["id"])
    try:
        with kernel.session(request.state.actor) as session:
            deliver(kernel, session, request.state.actor, invoice_id)
    except (Conflict, InputError) as exc:  # out of stock names the product and what is available
        flash(request, error_text(request, exc))
        return redirect(f"/finance/invoice/{invoice_id}")
    flash(request, "Saved.")
    return redirect(f"/finance/invoice/{invoice_id}")


def routes() -> list[Any]:
    return [Route("/invoice/{id:int}/deliver", post, methods=["POST"], permission=DELIVER, name="invoice_deliver")]
