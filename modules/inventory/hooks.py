"""Hooks of the inventory module: resources, pages, menu, permissions, number series, reports and
its reactions to finance's invoices."""

from __future__ import annotations

from typing import Any

from kernel import MenuItem, NumberSeries, Permission, RoleTemplate, hookimpl


@hookimpl
def register_number_series() -> list[NumberSeries]:
    from modules.inventory.numbers import SERIES

    return list(SERIES)


@hookimpl
def register_resources() -> list[Any]:
    from modules.inventory.resources import resources

    return resources()


@hookimpl
def register_routes() -> list[Any]:
    from modules.inventory.routes import all_routes

    return all_routes()


@hookimpl
def register_permissions() -> list[Permission]:
    # -- invoices and stock: the policy (an inventory manager's), delivering an invoice
    from modules.inventory.access import permissions
    from modules.inventory.delivery import DELIVER
    from modules.inventory.policy import EDIT

    return [*permissions(), Permission(EDIT, "Change the inventory settings"),
            Permission(DELIVER, "Deliver invoices from the warehouse")]


@hookimpl
def register_menu_items() -> list[MenuItem]:
    from modules.inventory.menu import menu_items
    from modules.inventory.routes.editor import menu_items as editor_items
    from modules.inventory.routes.settings import menu_items as settings_items  # -- invoices and stock

    return [*menu_items(), *editor_items(), *settings_items()]


@hookimpl
def register_reports() -> list[Any]:
    from modules.inventory.reports import REPORTS

    return list(REPORTS)


@hookimpl
def template_slot(slot: str, context: dict[str, Any], request: Any) -> Any:
    from markupsafe import Markup

    from modules.inventory import slots_invoice  # -- invoices and stock, reservations
    from modules.inventory.slots import render

    # Both answer a product's page (its stock; what is reserved of it and by whom).
    parts = [m for m in (render(slot, context, request), slots_invoice.render(slot, context, request)) if m]
    return Markup("").join(parts) if parts else None


@hookimpl
def register_role_templates() -> list[RoleTemplate]:
    from modules.inventory.menu import role_templates

    return role_templates()


@hookimpl
def handle_event(event: Any, session: Any, kernel: Any) -> None:
    # -- invoices and stock: an invoice issued takes its goods, voided gives them back, edited follows
    from modules.inventory import invoices, reservations
    from modules.inventory.warehouses import on_event as warehouses_on_event

    warehouses_on_event(event, session)  # a warehouse holding stock is not deleted; one default
    reservations.on_event(kernel, event, session)  # before: a converted proforma's units pass to its invoice
    invoices.on_event(kernel, event, session)


@hookimpl
def register_commands() -> list[Any]:
    from modules.inventory.opening import COMMAND  # -- add-on: finance's on-hand as the opening receipt

    return [COMMAND]


@hookimpl
def resolve_scan(kernel: Any, actor: Any, code: str, page: str) -> Any:
    from modules.inventory.scan import resolve  # a barcode onto the stock document being edited

    return resolve(kernel, actor, code, page)


@hookimpl
def register_record_actions() -> list[Any]:
    from modules.inventory.routes.editor import record_actions  # the lines and scanning of a document

    return record_actions()
