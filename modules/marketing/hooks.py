"""Hooks of the marketing module. Each area (SMS, e-mail, inbound, letters and labels,
occasions, campaigns) keeps its declarations in its own files; this module only lists them."""

from __future__ import annotations

from typing import Any

from kernel import MenuItem, Permission, Resource, hookimpl


@hookimpl
def register_resources() -> list[Resource]:
    from modules.marketing.resources import resources

    return resources()


@hookimpl
def register_menu_items() -> list[MenuItem]:
    from modules.marketing.menu_sms import sms_menu_items

    return [
        MenuItem("marketing.menu", "Messages", "", permission="marketing.category.view", sequence=40, icon="mail"),
        MenuItem("marketing.categories", "Send categories", "/marketing/category/", "marketing.category.view",
                 parent="marketing.menu", sequence=90),
        *sms_menu_items(),
    ]


@hookimpl
def register_jobs() -> list[Any]:
    from modules.marketing.sending.jobs import sms_jobs

    return [*sms_jobs()]


@hookimpl
def register_routes() -> list[Any]:
    from modules.marketing.routes_sms import routes as sms_routes

    return [*sms_routes()]


@hookimpl
def register_permissions() -> list[Permission]:
    from modules.marketing.menu_sms import sms_permissions

    return [*sms_permissions()]


@hookimpl
def register_events() -> list[Any]:
    from modules.marketing.events import InboundReceived

    return [InboundReceived]


@hookimpl
def register_record_actions() -> list[Any]:
    from modules.marketing.menu_sms import sms_record_actions

    return [*sms_record_actions()]


@hookimpl
def register_marketing_sms_panels(kernel: Any) -> list[Any]:
    from modules.marketing.adapters import builtin_kinds

    return [*builtin_kinds()]
