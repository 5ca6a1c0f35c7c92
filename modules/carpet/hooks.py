"""Hooks of the carpet module. Each area keeps its declarations in its own files; this module
only lists them."""

from __future__ import annotations

from typing import Any

from kernel import MenuItem, Permission, Route, hookimpl
from modules.carpet.shop import declarations as shop


@hookimpl
def register_menu_items() -> list[MenuItem]:
    return [*shop.menu_items()]


@hookimpl
def register_permissions() -> list[Permission]:
    return [*shop.permissions()]


@hookimpl
def register_routes() -> list[Route]:
    from modules.carpet.routes import all_routes

    return all_routes()


@hookimpl
def register_jobs() -> list[Any]:
    return [*shop.jobs()]


@hookimpl
def register_carpet_shops(kernel: Any) -> list[Any]:
    return [*shop.shop_kinds()]
