"""Serial numbers of the units of a product that tracks them (FAQ 66): read from a line's text,
checked and moved with the line when its document is posted or voided."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from kernel import Conflict
from kernel.persian.textnorm import to_ascii_digits
from modules.inventory.models import InventoryItem, Serial


def parse(text: str | None) -> list[str]:
    """One serial a line (commas too); Persian or Arabic digits read as ASCII, blanks dropped."""
    raw = to_ascii_digits(text or "").replace("،", "\n").replace(",", "\n")
    return [s.strip() for s in raw.splitlines() if s.strip()]


def tracks(session: Session, product_id: int) -> bool:
    return bool(session.scalar(select(InventoryItem.tracks_serials).where(InventoryItem.product_id == product_id)))


def check_count(product: str, quantity: Decimal, serials: Sequence[str]) -> None:
    """As many distinct serials as units."""
    seen: set[str] = set()
    for s in serials:
        if s in seen:
            raise Conflict("Serial number {serial} is given twice for {product}", serial=s, product=product)
        seen.add(s)
    if quantity != quantity.to_integral_value() or len(serials) != int(quantity):
        whole = quantity == quantity.to_integral_value()  # an int shows in Persian digits
        raise Conflict("{product} tracks serial numbers: give {quantity} serial numbers, one per unit "
                       "({given} given)", product=product, quantity=int(quantity) if whole else str(quantity),
                       given=len(serials))


def _held(session: Session, product_id: int, serials: Sequence[str]) -> dict[str, Serial]:
    return {s.serial: s for s in session.scalars(select(Serial).where(
        Serial.product_id == product_id, Serial.serial.in_(list(serials))).with_for_update())}


def receive(session: Session, product_id: int, product: str, warehouse_id: int, line_id: int,
            serials: Sequence[str]) -> None:
    """New units: a serial ever received for this product is refused (a number used twice)."""
    known = _held(session, product_id, serials)
    for s in serials:
        if s in known:
            raise Conflict("Serial number {serial} of {product} was received before: a serial number is used once",
                           serial=s, product=product)
    session.add_all([Serial(product_id=product_id, serial=s, warehouse_id=warehouse_id, received_line_id=line_id)
                     for s in serials])
    session.flush()


def move(session: Session, product_id: int, product: str, warehouse: tuple[int, str], to_warehouse_id: int | None,
         line_id: int | None, serials: Sequence[str]) -> None:
    """Units leave ``warehouse`` (to another one, or out when ``to_warehouse_id`` is None); each
    serial must be in that warehouse now."""
    known = _held(session, product_id, serials)
    for s in serials:
        row = known.get(s)
        if row is None or row.warehouse_id != warehouse[0]:
            raise Conflict("Serial number {serial} of {product} is not in {warehouse}", serial=s, product=product,
                           warehouse=warehouse[1])
        row.warehouse_id = to_warehouse_id
        if to_warehouse_id is None:
            row.issued_line_id = line_id
    session.flush()


def unreceive(session: Session, product_id: int, product: str, warehouse: tuple[int, str],
              serials: Sequence[str]) -> None:
    """A voided receipt: its units must still be where it put them; they were never received."""
    move(session, product_id, product, warehouse, None, None, serials)
    session.execute(delete(Serial).where(Serial.product_id == product_id, Serial.serial.in_(list(serials))))


def back_in(session: Session, product_id: int, product: str, warehouse_id: int, serials: Sequence[str]) -> None:
    """A voided issue: its units are back in the warehouse they left."""
    known = _held(session, product_id, serials)
    for s in serials:
        row = known.get(s)
        if row is None or row.warehouse_id is not None:
            raise Conflict("Serial number {serial} of {product} is in stock again: the issue cannot be voided",
                           serial=s, product=product)
        row.warehouse_id, row.issued_line_id = warehouse_id, None
    session.flush()
