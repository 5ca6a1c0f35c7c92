"""What the letters area hands to the kernel through marketing's hooks (``hooks.py`` delegates)."""

from __future__ import annotations

from typing import Any

from kernel import MenuItem, NumberSeries, Permission, RecordAction, Route


def letter_permissions() -> list[Permission]:
    return [Permission("marketing.labels.print", "Print postal labels"),
            Permission("marketing.letter_numbering.edit", "Choose how letters are numbered")]


def letter_menu_items() -> list[MenuItem]:
    return [
        MenuItem("marketing.letters", "Letter register", "/marketing/letter/", "marketing.letter.view",
                 parent="marketing.menu", sequence=60),
        MenuItem("marketing.letter_group", "New group letter", "/marketing/letters/group", "marketing.letter.create",
                 parent="marketing.menu", sequence=62),
        MenuItem("marketing.letter_templates", "Letter templates", "/marketing/letter_template/",
                 "marketing.letter_template.view", parent="marketing.menu", sequence=64),
        MenuItem("marketing.labels", "Print labels", "/marketing/labels", "marketing.labels.print",
                 parent="marketing.menu", sequence=66),
        MenuItem("marketing.letter_numbering", "Letter numbering", "/marketing/letters/numbering",
                 "marketing.letter_numbering.edit", parent="marketing.menu", sequence=68),
    ]


def letter_record_actions() -> list[RecordAction]:
    """On a partner (list row or page): a letter to it; labels for a company's personnel."""
    return [
        RecordAction("marketing.letter_to", "New letter", "/marketing/letter/new?partner_id={id}",
                     permission="marketing.letter.create", resources=("base.partner",), sequence=60),
        RecordAction("marketing.labels_for", "Postal labels for the personnel",
                     "/marketing/labels?whom=personnel&ids={id}", permission="marketing.labels.print",
                     resources=("base.partner",), sequence=62),
    ]


def letter_series() -> list[NumberSeries]:
    from modules.marketing.letters.numbering import SERIES

    return [SERIES]


def letter_routes() -> list[Route]:
    from modules.marketing.letters.routes import letter_routes as routes

    return routes()


def letter_slot(slot: str, context: dict[str, Any], request: Any) -> Any:
    from modules.marketing.letters import routes

    if slot == "marketing.letter.detail":
        return routes.print_button(context, request)
    if slot == "base.partner.list":
        return routes.partner_list_buttons(request)
    return None


def letter_event(event: Any, session: Any, kernel: Any) -> None:
    from modules.marketing.letters.register import on_event

    on_event(event, session, kernel)
