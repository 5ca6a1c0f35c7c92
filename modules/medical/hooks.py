"""Hooks of the medical module: one-line delegations to the files that hold each concept — the
calendar (``hooks_calendar``) and the patient's file (``file_hooks``)."""

from __future__ import annotations

from typing import Any

from kernel import hookimpl
from modules.medical import file_hooks
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
    from modules.medical.privacy import permissions

    return [*cal.permissions(), *permissions()]


@hookimpl
def register_number_series() -> list[Any]:
    from modules.medical.file_resources import number_series

    return number_series()


@hookimpl
def register_menu_items() -> list[Any]:
    return [*cal.menu_items(), *file_hooks.menu_items()]


@hookimpl
def register_date_sources() -> list[Any]:
    return [*cal.date_sources()]


@hookimpl
def register_reports() -> list[Any]:
    from modules.medical.file_report import reports as file_reports
    from modules.medical.reports_calendar import reports

    return [*reports(), *file_reports()]


@hookimpl
def register_role_templates() -> list[Any]:
    return [*cal.role_templates()]


@hookimpl
def register_panels() -> list[Any]:
    from modules.medical.file_panel import panels as file_panels
    from modules.medical.services.profile_panel import panels

    return [*panels(), *file_panels()]


@hookimpl
def record_filter(actor: Any, model: type, action: str) -> Any:
    return file_hooks.record_filter(actor, model, action)


@hookimpl
def handle_event(event: Any, session: Any, kernel: Any) -> None:
    cal.on_event(event, session, kernel)
    file_hooks.handle_event(event, session, kernel)


@hookimpl
def template_slot(slot: str, context: dict[str, Any], request: Any) -> Any:
    return file_hooks.template_slot(slot, context, request)


@hookimpl(optionalhook=True)
def register_marketing_placeholders() -> list[Any]:
    return [*cal.placeholders()]
