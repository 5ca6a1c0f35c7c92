"""A sales order's actions, posted from its record page: lines added or removed, submit, a
manager's decision (approve, or return with a note), cancel, and the proforma made from it.
A refusal answers 422 with the Persian reason and a way back; nothing was changed."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from kernel import Conflict, InputError, Route
from kernel.records import FormErrors
from kernel.web.forms import form
from kernel.web.templating import render
from modules.sales.routes.common import done, refused
from modules.sales.services import order_proforma, orders

EDIT, APPROVE = "sales.order.edit", "sales.order.approve"


def _refused_page(request: Request, order_id: int) -> Callable[[str], Response]:
    return lambda text: render(request, "sales/order_refused.html", {"order_id": order_id, "error": text}, 422)


def _act(request: Request, run: Callable[[Any, Any, Any, int, dict[str, Any]], str]) -> Response:
    """Run one action in one transaction, then back to the order's page with what was done."""
    kernel = request.app.state.kernel
    actor = request.state.actor
    order_id = int(request.path_params["id"])
    data = form(request)
    try:
        with kernel.session(actor) as session:
            msgid = run(kernel, session, actor, order_id, data)
    except (InputError, Conflict, FormErrors) as exc:
        return refused(request, exc, _refused_page(request, order_id))
    return done(request, f"/sales/order/{order_id}", msgid)


def lines(request: Request) -> Response:
    def run(kernel: Any, session: Any, actor: Any, order_id: int, data: dict[str, Any]) -> str:
        if data.get("remove"):
            orders.remove_line(kernel, session, actor, order_id, data.get("remove"))
            return "Line removed"
        orders.add_line(kernel, session, actor, order_id, data.get("product_id"), data.get("quantity"),
                        data.get("discount_percent"))
        return "Line added"
    return _act(request, run)


def submit(request: Request) -> Response:
    return _act(request, lambda k, s, a, oid, _d: (orders.submit(k, s, a, oid), "Sent for approval")[1])


def decide(request: Request) -> Response:
    def run(kernel: Any, session: Any, actor: Any, order_id: int, data: dict[str, Any]) -> str:
        if data.get("decision") == "approve":
            orders.approve(kernel, session, actor, order_id)
            return "Approved"
        orders.send_back(kernel, session, actor, order_id, str(data.get("note") or ""))
        return "Sent back with your note"
    return _act(request, run)


def cancel(request: Request) -> Response:
    return _act(request, lambda k, s, a, oid, _d: (orders.cancel(k, s, a, oid), "Sales order cancelled")[1])


def proforma(request: Request) -> Response:
    return _act(request, lambda k, s, a, oid, _d: (order_proforma.make_proforma(k, s, a, oid), "Proforma issued")[1])


def routes() -> list[Any]:
    return [
        Route("/order/{id:int}/lines", lines, methods=["POST"], permission=EDIT, name="order_lines"),
        Route("/order/{id:int}/submit", submit, methods=["POST"], permission=EDIT, name="order_submit"),
        Route("/order/{id:int}/decide", decide, methods=["POST"], permission=APPROVE, name="order_decide"),
        Route("/order/{id:int}/cancel", cancel, methods=["POST"], permission=EDIT, name="order_cancel"),
        Route("/order/{id:int}/proforma", proforma, methods=["POST"], permission="finance.proforma.create",
              name="order_proforma"),
    ]
