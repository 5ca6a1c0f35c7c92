"""Hooks of the marketing module. Each area (SMS, e-mail, inbound, letters and labels,
occasions, campaigns) keeps its declarations in its own files; this module only lists them."""

from __future__ import annotations

from kernel import MenuItem, Resource, hookimpl


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
    ]
