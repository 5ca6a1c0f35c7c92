"""Hooks of the finance module: resources, menu, permissions and pages."""

from __future__ import annotations

from kernel import MenuItem, Permission, Resource, hookimpl


@hookimpl
def register_resources() -> list[Resource]:
    from modules.finance.resources import resources

    return resources()


@hookimpl
def register_permissions() -> list[Permission]:
    return []


@hookimpl
def register_menu_items() -> list[MenuItem]:
    return [
        MenuItem("finance.menu", "Finance", "", permission="finance.product.view", sequence=30, icon="wallet"),
        MenuItem("finance.products", "Products and services", "/finance/product/", "finance.product.view",
                 parent="finance.menu", sequence=10),
    ]
