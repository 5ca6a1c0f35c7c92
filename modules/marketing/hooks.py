"""Hooks of the marketing module. Each area (SMS, e-mail, inbound, letters and labels,
occasions, campaigns) keeps its declarations in its own files; this module only lists them."""

from __future__ import annotations

from typing import Any

from kernel import MenuItem, NumberSeries, Permission, RecordAction, Resource, Route, hookimpl
from modules.marketing.letters import declarations as letters


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
        *letters.letter_menu_items(),
    ]


@hookimpl
def register_permissions() -> list[Permission]:
    return [*letters.letter_permissions()]


@hookimpl
def register_number_series() -> list[NumberSeries]:
    return [*letters.letter_series()]


@hookimpl
def register_record_actions() -> list[RecordAction]:
    return [*letters.letter_record_actions()]


@hookimpl
def register_routes() -> list[Route]:
    return [*letters.letter_routes()]


@hookimpl
def template_slot(slot: str, context: dict[str, Any], request: Any) -> Any:
    return letters.letter_slot(slot, context, request)


@hookimpl
def handle_event(event: Any, session: Any, kernel: Any) -> None:
    letters.letter_event(event, session, kernel)
