"""Hooks of the insurance module (INS-01): resources, pages, menu, permissions and role
templates, the profile panel, reports, the daily scan, the reactions to a new policy (thank-you
SMS, renewal of the old one), dates for the work queue and the SMS placeholders."""

from __future__ import annotations

from typing import Any

from kernel import DateSource, MenuItem, Permission, RecordAction, RoleTemplate, hookimpl


@hookimpl
def register_resources() -> list[Any]:
    from modules.insurance.resources import resources

    return resources()


@hookimpl
def register_routes() -> list[Any]:
    from modules.insurance.routes import all_routes

    return all_routes()


@hookimpl
def register_menu_items() -> list[MenuItem]:
    from modules.insurance.menu import menu_items

    return menu_items()


@hookimpl
def register_permissions() -> list[Permission]:
    return [Permission("insurance.settings", "Change the insurance settings")]


@hookimpl
def register_role_templates() -> list[RoleTemplate]:
    from modules.insurance.menu import role_templates

    return role_templates()


@hookimpl
def register_panels() -> list[Any]:
    from modules.insurance.panels import panels

    return panels()


@hookimpl
def register_reports() -> list[Any]:
    from modules.insurance.reports import REPORTS

    return list(REPORTS)


@hookimpl
def register_jobs() -> list[Any]:
    from kernel.jobs import Job
    from modules.insurance.services.scan import run_scan

    # Hourly, acting once a day per policy and person (the notices' unique key): a server started
    # in the afternoon still alarms that day, and a second run or a second worker does nothing.
    return [Job("insurance.daily_scan", run_scan, every=3600)]


@hookimpl
def handle_event(event: Any, session: Any, kernel: Any) -> None:
    from kernel import RecordChanged

    if isinstance(event, RecordChanged) and event.resource == "insurance.policy" and event.action == "create":
        from modules.insurance.services.renewal import mark_renewed
        from modules.insurance.services.texts import thank

        mark_renewed(session, event.record_id)
        thank(kernel, session, event.record_id)


@hookimpl
def template_slot(slot: str, context: dict[str, Any], request: Any) -> Any:
    from modules.insurance.slots import render

    return render(slot, context, request)


@hookimpl
def register_record_actions() -> list[RecordAction]:
    return [RecordAction("insurance.renew", "Renew", "/insurance/policy/{id}/renew", "insurance.policy.create",
                         resources=("insurance.policy",)),
            RecordAction("insurance.new_policy", "New insurance policy", "/insurance/policy/new?insured_id={id}",
                         "insurance.policy.create", resources=("base.partner",))]


@hookimpl
def register_date_sources() -> list[DateSource]:
    from modules.insurance.models import Policy

    return [DateSource("insurance.ends", "Insurance policies ending", "insurance.policy", "ends_on",
                       user_field="owner_id", partner_field="insured_id",
                       open=lambda m: Policy.state == "active")]


@hookimpl
def register_marketing_placeholders() -> list[Any]:
    from modules.insurance.services.texts import placeholders

    return placeholders()
