"""Hooks of the base module: its resources, menu, permissions, scope and reactions."""

from __future__ import annotations

from typing import Any

from kernel import Block, Event, MenuItem, Permission, RecordChanged, Resource, RoleTemplate, hookimpl
from modules.base import scope
from modules.base.resources import resources


@hookimpl
def register_resources() -> list[Resource]:
    return resources()


@hookimpl
def register_permissions() -> list[Permission]:
    return [Permission("base.partner.merge", "Merge duplicate partners"),
            Permission("base.partner.import", "Import partners")]


@hookimpl
def register_menu_items() -> list[MenuItem]:
    return [
        MenuItem("base.partners", "Partners", "", permission="base.partner.view", sequence=20, icon="users"),
        MenuItem("base.persons", "Persons", "/base/partner/?f_kind=person", "base.partner.view",
                 parent="base.partners", sequence=10),
        MenuItem("base.companies", "Companies", "/base/partner/?f_kind=company", "base.partner.view",
                 parent="base.partners", sequence=20),
        MenuItem("base.all_partners", "All partners", "/base/partner/", "base.partner.view",
                 parent="base.partners", sequence=30),
        MenuItem("base.personnel", "Personnel and positions", "/base/employment/", "base.employment.view",
                 parent="base.partners", sequence=40),
        MenuItem("base.import", "Import partners", "/base/import/", "base.partner.import",
                 parent="base.partners", sequence=50),
        MenuItem("base.planned", "Planned communications", "/base/planned_communication/?f_state=planned",
                 "base.planned_communication.view", parent="base.partners", sequence=45),
        MenuItem("base.communications", "Communications", "/base/communication/", "base.communication.view",
                 sequence=30, icon="mail"),
        MenuItem("base.settings", "Base data", "", permission="base.province.view", sequence=50, icon="map"),
        MenuItem("base.group", "Partner groups", "/base/group/", "base.group.view", parent="base.settings"),
        MenuItem("base.role_kind", "Partner roles", "/base/role_kind/", "base.role_kind.view", parent="base.settings"),
        MenuItem("base.relation_kind", "Relation kinds", "/base/relation_kind/", "base.relation_kind.view",
                 parent="base.settings"),
        MenuItem("base.country", "Countries", "/base/country/", "base.country.view", parent="base.settings"),
        MenuItem("base.province", "Provinces", "/base/province/", "base.province.view", parent="base.settings"),
        MenuItem("base.city", "Cities", "/base/city/", "base.city.view", parent="base.settings"),
        MenuItem("base.region", "Regions", "/base/region/", "base.region.view", parent="base.settings"),
        MenuItem("base.role_scope", "Geographic scope of each role", "/base/role-scope", "kernel.admin.users",
                 parent="kernel.admin", sequence=30),
    ]


@hookimpl
def record_filter(actor: Any, model: type, action: str) -> Any:
    return scope.record_filter(actor, model, action)


@hookimpl
def handle_event(event: Any, session: Any) -> None:
    if isinstance(event, RecordChanged) and event.resource == "base.group" and event.action in ("create", "update"):
        from modules.base.models import PartnerGroup
        from modules.base.models.partner import refresh_group_paths

        group = session.get(PartnerGroup, event.record_id)
        if group is not None:
            refresh_group_paths(session, group)
    if isinstance(event, RecordChanged) and event.resource == "base.partner" and event.action == "update":
        from modules.base.models.communication import follow_partner_province

        follow_partner_province(session, event.record_id)


@hookimpl
def register_dashboard_blocks() -> list[Block]:
    from modules.base.blocks import BLOCKS

    return list(BLOCKS)


@hookimpl
def register_events() -> list[type[Event]]:
    from modules.base.events import PartnersMerged

    return [PartnersMerged]


@hookimpl
def register_role_templates() -> list[RoleTemplate]:
    from modules.base.role_templates import TEMPLATES

    return list(TEMPLATES)


@hookimpl
def register_jobs() -> list[Any]:
    from modules.base.jobs import JOBS

    return list(JOBS)


@hookimpl
def register_search(kernel: Any) -> list[Any]:
    from modules.base.search import providers

    return providers(kernel)


@hookimpl
def register_reports() -> list[Any]:
    from modules.base.reports import REPORTS

    return list(REPORTS)


@hookimpl
def register_routes() -> list[Any]:
    from modules.base.routes import all_routes

    return all_routes()


@hookimpl
def template_slot(slot: str, context: dict[str, Any], request: Any) -> Any:
    from modules.base import slots

    return slots.render(slot, context, request)


@hookimpl
def register_date_sources() -> list[Any]:
    from modules.base.follow_ups import SOURCES

    return list(SOURCES)


@hookimpl
def register_panels() -> list[Any]:
    from modules.base.people_panels import PANELS

    return list(PANELS)


@hookimpl
def register_record_actions() -> list[Any]:
    from modules.base.actions import record_actions

    return record_actions()


@hookimpl
def register_shortcuts() -> list[Any]:
    from modules.base.actions import shortcuts

    return shortcuts()


@hookimpl(optionalhook=True)
def telephony_caller_facts(kernel: Any, session: Any, actor: Any, partner_id: int, lang: str) -> Any:
    # The incoming-call pop-up (telephony, when enabled); nothing of telephony is imported.
    from modules.base.caller_facts import facts

    return facts(kernel, session, actor, partner_id, lang)
