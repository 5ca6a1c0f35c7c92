"""Hooks of the telephony module: resources, pages, menu, the partner panel, the call event,
the drivers it ships, and its commands."""

from __future__ import annotations

from typing import Any

from kernel import MenuItem, hookimpl


@hookimpl
def register_resources() -> list[Any]:
    from modules.telephony.resources import resources

    return resources()


@hookimpl
def register_routes() -> list[Any]:
    from modules.telephony.routes import all_routes

    return all_routes()


@hookimpl
def register_menu_items() -> list[MenuItem]:
    return [
        MenuItem("telephony.menu", "Calls", "", permission="telephony.call.view", sequence=27, icon="list"),
        MenuItem("telephony.today", "Today's calls", "/telephony/today", "telephony.call.view",
                 parent="telephony.menu", sequence=10),
        MenuItem("telephony.my_today", "My calls today", "/telephony/today/mine", "telephony.call.view",
                 parent="telephony.menu", sequence=15),
        MenuItem("telephony.calls", "All calls", "/telephony/call/", "telephony.call.view",
                 parent="telephony.menu", sequence=20),
        MenuItem("telephony.extensions", "Extensions", "/telephony/extension/", "telephony.extension.view",
                 parent="telephony.menu", sequence=30),
        MenuItem("telephony.devices", "Telephone devices", "/telephony/device/", "telephony.device.view",
                 parent="telephony.menu", sequence=40),
        MenuItem("telephony.status", "Device status", "/telephony/status", "telephony.device.view",
                 parent="telephony.menu", sequence=50),
    ]


@hookimpl
def register_panels() -> list[Any]:
    from modules.telephony.profile_panel import panels

    return panels()


@hookimpl
def register_events() -> list[Any]:
    from modules.telephony.events import CallLogged

    return [CallLogged]


@hookimpl
def register_commands() -> list[Any]:
    from modules.telephony.commands import COMMANDS

    return list(COMMANDS)


@hookimpl
def register_telephony_drivers() -> list[Any]:
    from devices.drivers.kinds import builtin_kinds

    return builtin_kinds()


@hookimpl
def template_slot(slot: str, context: dict[str, Any], request: Any) -> Any:
    from modules.telephony.slots import render

    return render(slot, context, request)


@hookimpl
def handle_event(event: Any, session: Any, kernel: Any) -> None:
    from modules.telephony.reactions import react

    react(event, session, kernel)


@hookimpl
def register_reports() -> list[Any]:
    from modules.telephony.report_compliance import REPORTS

    return list(REPORTS)


@hookimpl
def register_record_actions() -> list[Any]:
    from modules.telephony.actions import record_actions

    return record_actions()


@hookimpl
def register_preferences() -> list[Any]:
    from modules.telephony.popup_push import POPUPS

    return [POPUPS]
