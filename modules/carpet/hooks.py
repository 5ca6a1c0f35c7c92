"""Hooks of the carpet module: each one delegates to the file that does the work (the online
shop's declarations are in ``shop/declarations.py``)."""

from __future__ import annotations

from typing import Any

from kernel import hookimpl
from modules.carpet.shop import declarations as shop


@hookimpl
def register_resources() -> list[Any]:
    from modules.carpet.resources import resources

    return resources()


@hookimpl
def register_routes() -> list[Any]:
    from modules.carpet.routes import all_routes

    return all_routes()


@hookimpl
def register_permissions() -> list[Any]:
    from modules.carpet.menu import permissions

    return [*permissions(), *shop.permissions()]


@hookimpl
def register_menu_items() -> list[Any]:
    from modules.carpet.menu import menu_items

    return [*menu_items(), *shop.menu_items()]


@hookimpl
def register_role_templates() -> list[Any]:
    from modules.carpet.menu import role_templates

    return role_templates()


@hookimpl
def register_reports() -> list[Any]:
    from modules.carpet.reports import REPORTS

    return list(REPORTS)


@hookimpl
def register_jobs() -> list[Any]:
    return [*shop.jobs()]


@hookimpl
def template_slot(slot: str, context: dict[str, Any], request: Any) -> Any:
    from modules.carpet.slots import render

    return render(slot, context, request)


@hookimpl
def handle_event(event: Any, session: Any, kernel: Any) -> None:
    from modules.carpet.services import cards, registration

    cards.on_event(kernel, session, event)
    registration.on_event(kernel, session, event)


@hookimpl
def register_marketing_placeholders() -> list[Any]:
    from modules.carpet.menu import placeholders

    return placeholders()


@hookimpl
def register_carpet_shops(kernel: Any) -> list[Any]:
    return [*shop.shop_kinds()]
