"""The carpet module's own hooks, for the modules and pip packages that depend on it
(docs/plugins.md §5, "A module's own hooks")."""

from __future__ import annotations

from typing import Any

from kernel import hookspec


@hookspec
def register_carpet_shops(kernel: Any) -> Any:
    """Online shops this package speaks: ``list[modules.carpet.shop.adapter.ShopKind]``. Each
    kind is offered on the online-shop page (``/carpet/shop``); its ``make(config)`` builds the
    adapter that lists the shop's products and variations, sets a variation's stock and lists
    the orders since a time (docs/plugins.md, "Writing an online-shop adapter")."""
