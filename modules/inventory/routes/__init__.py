"""Inventory's own pages."""

from __future__ import annotations

from typing import Any


def all_routes() -> list[Any]:
    from modules.inventory.routes import delivery, editor, pages, settings

    return [*pages.routes(), *editor.routes(),
            *settings.routes(), *delivery.routes()]  # -- invoices and stock: policy, delivery
