"""Hooks of the marketing module. Each area (SMS, e-mail, inbound, letters and labels,
occasions, campaigns) keeps its declarations in its own files; this module only lists them."""

from __future__ import annotations

from typing import Any

from kernel import MenuItem, Permission, RecordAction, Resource, hookimpl
from modules.marketing import compose_hooks


@hookimpl
def register_resources() -> list[Resource]:
    from modules.marketing.resources import resources

    return resources()


@hookimpl
def register_menu_items() -> list[MenuItem]:
    return [
        MenuItem("marketing.menu", "Messages", "", permission="marketing.category.view", sequence=40, icon="mail"),
        MenuItem("marketing.categories", "Send categories", "/marketing/category/", "marketing.category.view",
                 parent="marketing.menu", sequence=90),
        *compose_hooks.menu_items(),
    ]


@hookimpl
def register_routes() -> list[Any]:
    return [*compose_hooks.routes()]


@hookimpl
def register_permissions() -> list[Permission]:
    return [*compose_hooks.permissions()]


@hookimpl
def register_record_actions() -> list[RecordAction]:
    return [*compose_hooks.record_actions()]


@hookimpl
def template_slot(slot: str, context: dict[str, Any], request: Any) -> Any:
    return compose_hooks.slot(slot, context, request)


@hookimpl
def register_jobs() -> list[Any]:
    return [*compose_hooks.jobs()]


@hookimpl
def register_marketing_placeholders() -> list[Any]:
    return [*compose_hooks.placeholders()]



@hookimpl
def register_reports() -> list[Any]:
    return [*compose_hooks.reports()]
