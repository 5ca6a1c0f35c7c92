"""The online-shop adapter interface (INT-03): what the carpet module's sync asks of a shop.

A shop adapter is built from the configured link (:class:`LinkConfig`) by its kind's ``make``
and speaks to the shop over HTTP; it never touches the database. The sync calls it with no
transaction open and writes what it answers in transactions of its own. A kind is declared
through the carpet module's own hook ``register_carpet_shops(kernel)``, answering
``list[ShopKind]`` (docs/plugins.md, "Writing an online-shop adapter").

Money crosses this interface in integer Rials: the adapter converts the shop's currency (a
WooCommerce shop in Iran usually prices in Toman, ``IRT``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Protocol


class ShopError(Exception):
    """The whole call failed. ``msgid`` is an English message of the carpet catalogue (shown in
    Persian on the shop page), ``detail`` the shop's own words or the status code."""

    def __init__(self, msgid: str, detail: str = "") -> None:
        super().__init__(f"{msgid} {detail}".strip())
        self.msgid, self.detail = msgid, detail


@dataclass(frozen=True)
class LinkConfig:
    """What an adapter is built from: the link row's settings (the secret in clear, in memory)."""

    base_url: str
    key: str
    secret: str
    keys_in_query: bool = False  # WooCommerce over plain HTTP, or a server that drops Authorization
    currency: str = "IRT"  # the currency of the shop's product prices (orders carry their own)
    timeout: float = 20.0


@dataclass(frozen=True)
class ShopItem:
    """One thing the shop sells by SKU: a simple product, or one variation of a variable product
    (``variation_id`` set). ``stock`` is None when the shop does not manage its stock."""

    product_id: int
    variation_id: int | None
    sku: str
    name: str
    price: int  # Rials
    stock: int | None


@dataclass(frozen=True)
class ShopOrderLine:
    sku: str
    name: str
    quantity: int
    unit_price: int  # Rials, before the order's coupons
    discount: int  # Rials taken off this line by coupons


@dataclass(frozen=True)
class ShopOrder:
    id: int  # the shop's own id: an order is imported once per (link, id)
    number: str
    status: str
    created_at: dt.datetime  # UTC, naive
    customer_name: str
    mobile: str
    email: str
    currency: str
    total: int  # Rials, as the shop charged it
    shipping: int  # Rials
    lines: list[ShopOrderLine] = field(default_factory=list)


class ShopAdapter(Protocol):
    """What a shop adapter does. Every method raises :class:`ShopError` when the call fails
    (a timeout, a refused key, the shop's 5xx); nothing is half answered."""

    def items(self) -> list[ShopItem]:
        """Every product and variation the shop lists, all pages read."""

    def set_stock(self, item: ShopItem, quantity: int) -> None:
        """Make the shop show ``quantity`` in stock for this product or variation. (An adapter may
        also have ``set_stocks(changes: list[tuple[ShopItem, int]])`` for many at once through
        the shop's batch call; the sync then uses it.)"""

    def orders_since(self, since: dt.datetime | None) -> list[ShopOrder]:
        """Orders created after ``since`` (UTC, naive; None: all), oldest first, each once."""


@dataclass(frozen=True)
class ShopKind:
    """A kind of shop an administrator may link: ``make(config)`` builds its adapter; ``label``
    is an English msgid of the declaring module's catalogue."""

    key: str
    label: str
    make: Callable[[LinkConfig], ShopAdapter]
    docs_url: str = ""


def kinds(kernel: object) -> dict[str, ShopKind]:
    """Every kind the enabled modules declare, by key (one key twice stops with its name)."""
    found: dict[str, ShopKind] = {}
    for answer in kernel.pm.hook.register_carpet_shops(kernel=kernel):  # type: ignore[attr-defined]
        for kind in answer or ():
            if kind.key in found:
                raise RuntimeError(f"two shop kinds named {kind.key!r}")
            found[kind.key] = kind
    return found
