"""Hooks of the medical module: one-line delegations to the files that hold each concept."""

from __future__ import annotations

from typing import Any

from kernel import hookimpl
from modules.medical import hooks_calendar as cal


@hookimpl
def register_events() -> list[Any]:
    from modules.medical.events import AppointmentChanged

    return [AppointmentChanged]


@hookimpl
def register_resources() -> list[Any]:
    from modules.medical.resources import resources

    return resources()


@hookimpl
def register_routes() -> list[Any]:
    from modules.medical.routes import all_routes

    return all_routes()


@hookimpl
def register_permissions() -> list[Any]:
    return [*cal.permissions()]


@hookimpl
def register_menu_items() -> list[Any]:
    return [*cal.menu_items()]


@hookimpl
def register_date_sources() -> list[Any]:
    return [*cal.date_sources()]


@hookimpl
def register_reports() -> list[Any]:
    from modules.medical.reports_calendar import reports

    return [*reports()]


@hookimpl
def register_role_templates() -> list[Any]:
    return [*cal.role_templates()]


@hookimpl
def handle_event(event: Any, session: Any, kernel: Any) -> None:
    cal.on_event(event, session, kernel)


@hookimpl(optionalhook=True)
def register_marketing_placeholders() -> list[Any]:
    return [*cal.placeholders()]


@hookimpl
def register_panels() -> list[Any]:
    from modules.medical.services.profile_panel import panels

    return [*panels()]
