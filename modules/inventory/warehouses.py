"""Rules beyond the forms: one default warehouse at a time, none deleted while it holds stock (its
card and levels would point at a warehouse nobody can see). A posted or void stock document is
never edited or deleted: its resource's ``locked`` says so."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from kernel import Conflict, RecordChanged, RecordDeleted
from modules.inventory.models import StockLevel, Warehouse

RESOURCE = "inventory.warehouse"


def on_event(event: Any, session: Session) -> None:
    if getattr(event, "resource", None) != RESOURCE:
        return
    if isinstance(event, RecordDeleted):
        if session.scalar(select(StockLevel.product_id).where(StockLevel.warehouse_id == event.record_id,
                                                             StockLevel.on_hand != 0).limit(1)) is not None:
            raise Conflict("This warehouse holds stock: transfer or issue it first")
    elif isinstance(event, RecordChanged) and event.action in ("create", "update"):
        made = session.get(Warehouse, event.record_id)
        if made is not None and made.is_default:  # the new default takes the mark from the old one
            session.execute(update(Warehouse).where(Warehouse.id != made.id, Warehouse.is_default.is_(True))
                            .values(is_default=False).execution_options(synchronize_session=False))
