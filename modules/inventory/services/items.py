"""Inventory's facts about a product (its ``inventory_item`` row): whether its units carry serial
numbers, and the quantity below which it is listed for reordering."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from kernel import Actor, InputError, NotFound, PermissionDenied
from kernel.persian.textnorm import to_ascii_digits
from modules.finance.models import Product
from modules.inventory.access import ITEM_EDIT
from modules.inventory.models import InventoryItem, StockLevel


def quantity(text: str | None) -> Decimal | None:
    """A typed quantity (Persian or Arabic digits, «٫» as the decimal point); empty → None."""
    raw = to_ascii_digits(str(text or "")).replace("٫", ".").replace("٬", "").replace(",", "").strip()
    if not raw:
        return None
    try:
        q = Decimal(raw)
    except InvalidOperation:
        raise InputError("Enter a quantity, such as 5 or 2.5") from None
    if not q.is_finite() or q < 0 or q >= Decimal(10) ** 12:
        raise InputError("Enter a quantity, such as 5 or 2.5")
    return q


def save(session: Session, actor: Actor, product_id: int, tracks_serials: bool, reorder_below: str | None) -> None:
    if not actor.can(ITEM_EDIT):
        raise PermissionDenied(ITEM_EDIT)
    if session.get(Product, product_id) is None:
        raise NotFound("finance.product")
    below = quantity(reorder_below)
    item = session.get(InventoryItem, product_id, with_for_update=True)
    if tracks_serials and not (item and item.tracks_serials):
        held = session.scalar(select(func.coalesce(func.sum(StockLevel.on_hand), 0))
                              .where(StockLevel.product_id == product_id))
        if Decimal(held or 0) != 0:  # units already in stock have no serial numbers to issue by
            raise InputError("Serial numbers can be switched on only while none of the product is in stock")
    if item is None:
        item = InventoryItem(product_id=product_id)
        session.add(item)
    item.tracks_serials, item.reorder_below = tracks_serials, below
    session.flush()
