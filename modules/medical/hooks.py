"""Hooks of the medical module: one-line delegations to the files that hold each concept."""

from __future__ import annotations

from typing import Any

from kernel import hookimpl
from modules.medical import file_hooks


@hookimpl
def register_events() -> list[Any]:
    from modules.medical.events import AppointmentChanged

    return [AppointmentChanged]


@hookimpl
def register_resources() -> list[Any]:
    from modules.medical.file_resources import resources

    return resources()


@hookimpl
def register_permissions() -> list[Any]:
    from modules.medical.privacy import permissions

    return permissions()


@hookimpl
def register_number_series() -> list[Any]:
    from modules.medical.file_resources import number_series

    return number_series()


@hookimpl
def register_menu_items() -> list[Any]:
    return file_hooks.menu_items()


@hookimpl
def register_panels() -> list[Any]:
    from modules.medical.file_panel import panels

    return panels()


@hookimpl
def register_reports() -> list[Any]:
    from modules.medical.file_report import reports

    return reports()


@hookimpl
def record_filter(actor: Any, model: type, action: str) -> Any:
    return file_hooks.record_filter(actor, model, action)


@hookimpl
def handle_event(event: Any, session: Any, kernel: Any) -> None:
    file_hooks.handle_event(event, session, kernel)


@hookimpl
def template_slot(slot: str, context: dict[str, Any], request: Any) -> Any:
    return file_hooks.template_slot(slot, context, request)
