"""``/inventory/settings``: what an invoice does to stock, the warehouse it takes from, and whether
an issued proforma reserves its goods (an inventory manager's choice)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from starlette.requests import Request
from starlette.responses import Response

from kernel import Conflict, InputError, Route
from kernel.persian.textnorm import to_ascii_digits
from kernel.web.forms import error_text, flash, form, redirect
from kernel.web.templating import render
from modules.inventory import opening, policy
from modules.inventory.models import Warehouse

EDIT = policy.EDIT


def page(request: Request, error: str = "", status: int = 200) -> Response:
    kernel = request.app.state.kernel
    with kernel.sessions() as session:
        ctx = {"policies": policy.POLICIES, "policy": policy.invoice_policy(kernel, session),
               "warehouse_id": kernel.setting(session, policy.WAREHOUSE, None),
               "reserves": policy.proforma_reserves(kernel, session),
               "opening": opening.pending(session),  # -- add-on to a live database: finance's stock in
               "warehouses": session.execute(select(Warehouse.id, Warehouse.name, Warehouse.is_default).where(
                   Warehouse.deleted_at.is_(None), Warehouse.active.is_(True)).order_by(Warehouse.name)).all()}
    return render(request, "inventory/settings.html", {**ctx, "error": error}, status)


def save(request: Request) -> Response:
    kernel = request.app.state.kernel
    data = form(request)
    chosen = to_ascii_digits(str(data.get("warehouse_id") or "")).strip()
    try:
        if chosen and not chosen.isdigit():
            raise InputError("Choose one of the listed values")
        with kernel.session(request.state.actor) as session:
            policy.save(kernel, session, str(data.get("invoices") or ""), int(chosen) if chosen else None,
                        data.get("proforma_reserves") == "1")
    except InputError as exc:
        return page(request, error_text(request, exc), 422)
    flash(request, "Saved")
    return redirect("/inventory/settings")


def bring_in(request: Request) -> Response:
    kernel = request.app.state.kernel
    try:
        with kernel.session(request.state.actor) as session:
            doc = opening.bring_in(kernel, session, request.state.actor)
    except (Conflict, InputError) as exc:
        return page(request, error_text(request, exc), 409)
    flash(request, "Saved." if doc is not None else "Finance holds no stock: nothing to bring in")
    return redirect("/inventory/settings")


def routes() -> list[Any]:
    return [Route("/settings", page, methods=["GET"], permission=EDIT, name="settings"),
            Route("/settings", save, methods=["POST"], permission=EDIT, name="settings_save"),
            Route("/opening", bring_in, methods=["POST"], permission=EDIT, name="opening")]
