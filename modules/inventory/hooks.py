"""Hooks of the inventory module: resources, pages, menu, permissions, number series, reports and
its reactions to finance's invoices."""

from __future__ import annotations

from typing import Any

from kernel import NumberSeries, hookimpl


@hookimpl
def register_number_series() -> list[NumberSeries]:
    from modules.inventory.numbers import SERIES

    return list(SERIES)


@hookimpl
def register_resources() -> list[Any]:
    from modules.inventory.resources import resources

    return resources()


@hookimpl
def register_permissions() -> list[Any]:
    from modules.inventory.access import permissions

    return permissions()


@hookimpl
def register_routes() -> list[Any]:
    from modules.inventory.routes import all_routes

    return all_routes()


@hookimpl
def resolve_scan(kernel: Any, actor: Any, code: str, page: str) -> Any:
    from modules.inventory.scan import resolve  # a barcode onto the stock document being edited

    return resolve(kernel, actor, code, page)
