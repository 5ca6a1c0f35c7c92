"""Hooks of the inventory module: resources, pages, menu, permissions, number series, reports and
its reactions to finance's invoices."""

from __future__ import annotations

from typing import Any

from kernel import MenuItem, NumberSeries, RoleTemplate, hookimpl


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
def register_menu_items() -> list[MenuItem]:
    from modules.inventory.menu import menu_items
    from modules.inventory.routes.editor import menu_items as editor_items

    return [*menu_items(), *editor_items()]


@hookimpl
def register_reports() -> list[Any]:
    from modules.inventory.reports import REPORTS

    return list(REPORTS)


@hookimpl
def template_slot(slot: str, context: dict[str, Any], request: Any) -> Any:
    from modules.inventory.slots import render

    return render(slot, context, request)


@hookimpl
def register_role_templates() -> list[RoleTemplate]:
    from modules.inventory.menu import role_templates

    return role_templates()


@hookimpl
def handle_event(event: Any, session: Any, kernel: Any) -> None:
    from modules.inventory.warehouses import on_event

    on_event(event, session)


@hookimpl
def resolve_scan(kernel: Any, actor: Any, code: str, page: str) -> Any:
    from modules.inventory.scan import resolve  # a barcode onto the stock document being edited

    return resolve(kernel, actor, code, page)


@hookimpl
def register_record_actions() -> list[Any]:
    from modules.inventory.routes.editor import record_actions  # the lines and scanning of a document

    return record_actions()
