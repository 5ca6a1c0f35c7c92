"""Inventory's own pages: posting and voiding a stock document (a confirmation page each, the
refusal shown there in Persian with nothing changed), and a product's stock with its settings."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from kernel import Conflict, InputError, Route
from kernel.records import FormErrors, get_record
from kernel.web.forms import error_text, flash, form, redirect
from kernel.web.templating import render
from modules.inventory.access import ITEM_EDIT, POST, STOCK_VIEW, VOID
from modules.inventory.services import items, posting
from modules.inventory.slots import document_panel, product_panel

REFUSALS = (Conflict, InputError, FormErrors)


def _action_page(request: Request, action: str, error: str = "", status: int = 200) -> Response:
    kernel = request.app.state.kernel
    with kernel.sessions() as session:
        doc = get_record(kernel, session, request.state.actor, kernel.resources[posting.RESOURCE],
                         int(request.path_params["id"]))
    return render(request, "inventory/document_action.html",
                  {"doc": doc, "action": action, "error": error, "lines": document_panel(request, doc)}, status)


def post_page(request: Request) -> Response:
    return _action_page(request, "post")


def void_page(request: Request) -> Response:
    return _action_page(request, "void")


def post_submit(request: Request) -> Response:
    kernel, actor, doc_id = request.app.state.kernel, request.state.actor, int(request.path_params["id"])
    try:
        with kernel.session(actor) as session:
            posting.post(kernel, session, actor, doc_id)
    except REFUSALS as exc:
        return _action_page(request, "post", _text(request, exc), 422)
    flash(request, "Posted")
    return redirect(f"/inventory/document/{doc_id}")


def void_submit(request: Request) -> Response:
    kernel, actor, doc_id = request.app.state.kernel, request.state.actor, int(request.path_params["id"])
    try:
        with kernel.session(actor) as session:
            posting.void(kernel, session, actor, doc_id, str(form(request).get("reason") or ""))
    except REFUSALS as exc:
        return _action_page(request, "void", _text(request, exc), 422)
    flash(request, "Voided")
    return redirect(f"/inventory/document/{doc_id}")


def _text(request: Request, exc: Exception) -> str:
    if isinstance(exc, FormErrors):
        return " ".join(error_text(request, e) for e in exc.errors.values())
    return error_text(request, exc)


def _product_page(request: Request, error: str = "", status: int = 200) -> Response:
    kernel = request.app.state.kernel
    pid = int(request.path_params["id"])
    with kernel.sessions() as session:
        product = get_record(kernel, session, request.state.actor, kernel.resources["finance.product"], pid)
    return render(request, "inventory/product_page.html",
                  {"product": product, "panel": product_panel(request, pid, error)}, status)


def product_page(request: Request) -> Response:
    return _product_page(request)


def settings_submit(request: Request) -> Response:
    kernel, actor = request.app.state.kernel, request.state.actor
    data = form(request)
    try:
        with kernel.session(actor) as session:
            items.save(session, actor, int(request.path_params["id"]), bool(data.get("tracks_serials")),
                       str(data.get("reorder_below") or ""))
    except REFUSALS as exc:
        return _product_page(request, _text(request, exc), 422)
    flash(request, "Saved")
    return redirect(f"/inventory/product/{request.path_params['id']}")


def routes() -> list[Any]:
    return [
        Route("/document/{id:int}/post", post_page, methods=["GET"], permission=POST, name="document_post"),
        Route("/document/{id:int}/post", post_submit, methods=["POST"], permission=POST, name="document_post_do"),
        Route("/document/{id:int}/void", void_page, methods=["GET"], permission=VOID, name="document_void"),
        Route("/document/{id:int}/void", void_submit, methods=["POST"], permission=VOID, name="document_void_do"),
        Route("/product/{id:int}", product_page, methods=["GET"], permission=STOCK_VIEW, name="product_stock"),
        Route("/product/{id:int}/settings", settings_submit, methods=["POST"], permission=ITEM_EDIT,
              name="product_settings"),
    ]
