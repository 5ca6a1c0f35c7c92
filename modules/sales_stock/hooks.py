"""Hooks of the sales-stock bridge: it listens to the sales order's events and fills the order's
steps strip."""

from __future__ import annotations

from typing import Any

from kernel import hookimpl


@hookimpl
def handle_event(event: Any, session: Any, kernel: Any) -> None:
    from modules.sales_stock.reserving import on_event

    on_event(event, session)


@hookimpl
def template_slot(slot: str, context: dict[str, Any], request: Any) -> Any:
    if slot != "sales.order.steps":
        return None
    from modules.sales_stock.steps import render

    return render(context, request)
