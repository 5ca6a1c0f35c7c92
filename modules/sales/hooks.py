"""Hooks of the sales module: resources, the board and its actions, menu, dates for the work
queue, record actions and role templates."""

from __future__ import annotations

from typing import Any

from kernel import DateSource, MenuItem, RecordAction, RoleTemplate, hookimpl
from modules.sales import order_hooks


@hookimpl
def register_resources() -> list[Any]:
    from modules.sales.resources import resources

    return resources()


@hookimpl
def register_routes() -> list[Any]:
    from modules.sales.routes import all_routes

    return all_routes()


@hookimpl
def register_menu_items() -> list[MenuItem]:
    return [
        MenuItem("sales.menu", "Sales", "", permission="sales.opportunity.view", sequence=28, icon="list"),
        MenuItem("sales.board", "Sales board", "/sales/board", "sales.opportunity.view", parent="sales.menu",
                 sequence=10),
        MenuItem("sales.opportunities", "Opportunities", "/sales/opportunity/", "sales.opportunity.view",
                 parent="sales.menu", sequence=20),
        MenuItem("sales.leads", "Leads", "/sales/lead/", "sales.lead.view", parent="sales.menu", sequence=30),
        MenuItem("sales.pipelines", "Pipelines", "/sales/pipeline/", "sales.pipeline.edit", parent="sales.menu",
                 sequence=40),
        MenuItem("sales.stages", "Stages", "/sales/stage/", "sales.stage.edit", parent="sales.menu", sequence=50),
        MenuItem("sales.lost_reasons", "Lost reasons", "/sales/lost_reason/", "sales.lost_reason.edit",
                 parent="sales.menu", sequence=60),
        MenuItem("sales.forgotten", "Forgotten leads and opportunities", "/reports/sales.forgotten",
                 "sales.opportunity.view", parent="sales.menu", sequence=35),
        MenuItem("sales.settings", "Sales settings", "/sales/settings", "sales.pipeline.edit", parent="sales.menu",
                 sequence=70),
        *order_hooks.menu_items(),
    ]


@hookimpl
def template_slot(slot: str, context: dict[str, Any], request: Any) -> Any:
    from modules.sales.order_page import with_orders
    from modules.sales.slots import render

    return with_orders(slot, context, request, render(slot, context, request))


@hookimpl
def register_panels() -> list[Any]:
    from modules.sales.profile_panel import panels

    return panels()


@hookimpl
def register_reports() -> list[Any]:
    from modules.sales.reports import REPORTS

    return list(REPORTS)


@hookimpl
def register_jobs() -> list[Any]:
    from kernel.jobs import Job
    from modules.sales.services.board_totals import FOLD_JOB, fold
    from modules.sales.services.forgotten import run_alarms

    # Hourly, alarming once a local day: a server started at noon still alarms that day.
    return [Job("sales.forgotten_alarms", run_alarms, every=3600), Job(FOLD_JOB, fold, every=300)]


@hookimpl
def record_filter(actor: Any, model: type, action: str) -> Any:
    from modules.sales.scope import record_filter as sales_filter

    return sales_filter(actor, model, action)


@hookimpl
def handle_event(event: Any, session: Any, kernel: Any) -> None:
    from kernel import RecordChanged

    if isinstance(event, RecordChanged) and event.resource in ACTIVITY:
        from modules.sales.services.activity import on_record_changed

        on_record_changed(kernel, session, event)
    order_hooks.on_event(event, session, kernel)


ACTIVITY = ("sales.opportunity", "sales.lead", "base.communication", "tasks.task")


@hookimpl
def register_record_actions() -> list[RecordAction]:
    return [
        RecordAction("sales.qualify", "Make it an opportunity", "/sales/lead/{id}/qualify", "sales.lead.edit",
                     resources=("sales.lead",)),
        RecordAction("sales.move", "Move on the board", "/sales/opportunity/{id}/move", "sales.opportunity.edit",
                     resources=("sales.opportunity",)),
        *order_hooks.record_actions(),
        RecordAction("sales.new_opportunity", "New opportunity", "/sales/opportunity/new?partner_id={id}",
                     "sales.opportunity.create", resources=("base.partner",)),
    ]


@hookimpl
def register_date_sources() -> list[DateSource]:
    from modules.sales.models import Opportunity

    # "Active opportunities" in the salesperson's work queue (TSK-05): open deals due to close.
    return [DateSource("sales.opportunity_close", "Expected close of an opportunity", "sales.opportunity",
                       "expected_close", user_field="owner_id", partner_field="partner_id",
                       open=lambda m: Opportunity.outcome == "open")]


@hookimpl
def register_role_templates() -> list[RoleTemplate]:
    common = ("sales.lead.*", "sales.opportunity.view", "sales.opportunity.create", "sales.opportunity.edit",
              "sales.opportunity.export", "sales.pipeline.view", "sales.stage.view", "sales.lost_reason.view",
              "base.partner.view", "base.partner.create", "base.communication.*", "sales.forgotten.report",
              "sales.forecast.report", "sales.won_lost.report", "sales.agents.report", "sales.conversion_stage.report",
              "sales.conversion_source.report", "sales.customers.report", *order_hooks.SELLER)
    return [
        RoleTemplate("sales.salesperson", "Salesperson", common, record_scope="own"),
        RoleTemplate("sales.manager", "Sales manager",
                     (*common, *order_hooks.MANAGER, "sales.profit.report", "sales.opportunity.*", "sales.pipeline.*",
                      "sales.stage.*", "sales.lost_reason.*"),
                     record_scope="team"),
    ]


@hookimpl
def register_events() -> list[Any]:
    from modules.sales.events import EVENTS

    return list(EVENTS)


@hookimpl
def register_permissions() -> list[Any]:
    return order_hooks.permissions()


@hookimpl
def register_number_series() -> list[Any]:
    return order_hooks.number_series()
