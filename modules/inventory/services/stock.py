"""The stock primitives: put units in a warehouse, take them out, reserve and release them.

Every change of ``inventory_stock`` goes through here, each as one statement on the row of
(product, warehouse), made if missing. A take that must not go below zero is a conditional
UPDATE (``… WHERE on_hand - reserved >= q``): on PostgreSQL a second taker waits for the first's
row lock and then reads its result, on SQLite writers take turns, so two invoices on the last
units cannot both pass — the loser gets :class:`OutOfStock` and its transaction rolls back.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import and_, func, select, tuple_, update
from sqlalchemy.orm import Session

from kernel import Conflict
from kernel.db import insert_ignoring, utcnow
from modules.inventory.models import Reservation, StockLevel, Warehouse


class OutOfStock(Conflict):
    """Not enough available (on hand less reserved) of a product in a warehouse."""

    def __init__(self, product: str, warehouse: str, wanted: Decimal, available: Decimal, *,
                 product_id: int, warehouse_id: int) -> None:
        super().__init__("Not enough stock of {product} in {warehouse}: {wanted} wanted, {available} available",
                         product=product, warehouse=warehouse, wanted=Shown(wanted), available=Shown(available))
        self.product_id, self.warehouse_id = product_id, warehouse_id
        self.wanted, self.available = wanted, available


def _plain(q: Decimal) -> int | Decimal:
    """A quantity as people write it: 3, not 3.000 (a number, so a Persian message shows it in
    Persian digits)."""
    return int(q) if q == q.to_integral_value() else q.normalize()


@dataclass(frozen=True)
class Shown:
    """A quantity in a message, written as the message's language writes it: ۲٫۵ in Persian, with
    its decimal separator (the catalogue localises a parameter that knows how, ``localized(lang)``;
    a bare Decimal would show ۲.۵)."""

    value: Decimal

    def localized(self, lang: str) -> str:
        from modules.finance.services.labels import localise

        return localise(str(_plain(self.value)), lang)

    def __str__(self) -> str:
        return str(_plain(self.value))


def _out_of_stock(session: Session, product_id: int, warehouse_id: int, wanted: Decimal,
                  available: Decimal) -> OutOfStock:
    from modules.finance.models import Product

    product = session.get(Product, product_id)
    warehouse = session.get(Warehouse, warehouse_id)
    return OutOfStock(product.name if product else str(product_id), warehouse.name if warehouse else str(warehouse_id),
                      wanted, available, product_id=product_id, warehouse_id=warehouse_id)


@dataclass(frozen=True)
class Level:
    warehouse_id: int
    on_hand: Decimal
    reserved: Decimal

    @property
    def available(self) -> Decimal:
        return self.on_hand - self.reserved


def _ensure(session: Session, product_id: int, warehouse_id: int) -> None:
    session.execute(insert_ignoring(session.get_bind().dialect.name, StockLevel, "product_id", "warehouse_id"),
                    {"product_id": product_id, "warehouse_id": warehouse_id, "on_hand": 0, "reserved": 0})


def _row(product_id: int, warehouse_id: int) -> object:
    return and_(StockLevel.product_id == product_id, StockLevel.warehouse_id == warehouse_id)


def lock(session: Session, pairs: Iterable[tuple[int, int]]) -> None:
    """Lock the rows of these (product, warehouse) pairs, made if missing, in one order until the
    transaction ends: a document touching several rows takes them all first, so two documents
    over the same rows in another order (a transfer each way) wait instead of deadlocking. Two
    statements for any number of rows (PostgreSQL locks them as the ORDER BY returns them)."""
    keys = sorted(set(pairs))
    if not keys:
        return
    session.execute(insert_ignoring(session.get_bind().dialect.name, StockLevel, "product_id", "warehouse_id"),
                    [{"product_id": p, "warehouse_id": w, "on_hand": 0, "reserved": 0} for p, w in keys])
    session.execute(select(StockLevel.product_id).where(tuple_(StockLevel.product_id, StockLevel.warehouse_id)
                                                        .in_(keys))
                    .order_by(StockLevel.product_id, StockLevel.warehouse_id).with_for_update())


def put(session: Session, product_id: int, warehouse_id: int, quantity: Decimal, *, locked: bool = False) -> Decimal:
    """``quantity`` units come into the warehouse; answers the quantity on hand after. ``locked``:
    the row was made and locked by :func:`lock` already (one statement less per line)."""
    if not locked:
        _ensure(session, product_id, warehouse_id)
    return Decimal(session.execute(
        update(StockLevel).where(_row(product_id, warehouse_id))  # type: ignore[arg-type]
        .values(on_hand=StockLevel.on_hand + quantity).returning(StockLevel.on_hand)
        .execution_options(synchronize_session=False)).scalar_one())


def take(session: Session, product_id: int, warehouse_id: int, quantity: Decimal, *,
         refuse_below_zero: bool, reserved_for_this: Decimal = Decimal(0), locked: bool = False) -> Decimal:
    """``quantity`` units leave the warehouse; answers the quantity on hand after.

    With ``refuse_below_zero`` it takes only from what is available — on hand less what others
    reserved (``reserved_for_this`` is this taker's own reservation, still counted in
    ``reserved``) — or raises :class:`OutOfStock` and changes nothing. ``locked`` as for :func:`put`."""
    if not locked:
        _ensure(session, product_id, warehouse_id)
    stmt = update(StockLevel).where(_row(product_id, warehouse_id))  # type: ignore[arg-type]
    if refuse_below_zero:
        stmt = stmt.where(StockLevel.on_hand - StockLevel.reserved + reserved_for_this >= quantity)
    after = session.execute(stmt.values(on_hand=StockLevel.on_hand - quantity).returning(StockLevel.on_hand)
                            .execution_options(synchronize_session=False)).scalar_one_or_none()
    if after is None:
        level = level_of(session, product_id, warehouse_id)
        raise _out_of_stock(session, product_id, warehouse_id, quantity, level.available + reserved_for_this)
    return Decimal(after)


def level_of(session: Session, product_id: int, warehouse_id: int) -> Level:
    row = session.execute(select(StockLevel.on_hand, StockLevel.reserved).where(
        _row(product_id, warehouse_id))).first()  # type: ignore[arg-type]
    if row is None:
        return Level(warehouse_id, Decimal(0), Decimal(0))
    return Level(warehouse_id, Decimal(row[0]), Decimal(row[1]))


def levels(session: Session, product_id: int) -> list[Level]:
    """The product in every warehouse that ever held it (one index range of the primary key)."""
    return [Level(int(w), Decimal(o), Decimal(r)) for w, o, r in session.execute(
        select(StockLevel.warehouse_id, StockLevel.on_hand, StockLevel.reserved)
        .where(StockLevel.product_id == product_id).order_by(StockLevel.warehouse_id))]


def available_of(session: Session, product_ids: Iterable[int]) -> dict[int, Decimal]:
    """What :func:`levels` says is available (on hand less reserved), summed over the warehouses,
    for many products in one statement per 500: a shop's 2,000 SKUs were 2,000 statements and
    0.7 s. A product never stocked is left out (none available)."""
    ids = sorted(set(product_ids))
    found: dict[int, Decimal] = {}
    for start in range(0, len(ids), 500):
        found.update((int(pid), Decimal(qty or 0)) for pid, qty in session.execute(
            select(StockLevel.product_id, func.sum(StockLevel.on_hand - StockLevel.reserved))
            .where(StockLevel.product_id.in_(ids[start:start + 500])).group_by(StockLevel.product_id)))
    return found


def default_warehouse_id(session: Session) -> int | None:
    """The warehouse marked default, else the first active one."""
    return session.scalar(select(Warehouse.id).where(Warehouse.deleted_at.is_(None), Warehouse.active.is_(True))
                          .order_by(Warehouse.is_default.desc(), Warehouse.id).limit(1))


def reserve(session: Session, source: str, source_id: int, warehouse_id: int,
            lines: Iterable[tuple[int, Decimal]], *, refuse_beyond_available: bool) -> list[Reservation]:
    """Hold units of each product for ``(source, source_id)`` — a sales order, a proforma. With
    ``refuse_beyond_available`` a line that is not available raises :class:`OutOfStock` (and the
    caller's transaction rolls back); otherwise the reservation may exceed what is on hand."""
    made = []
    for product_id, quantity in lines:
        _ensure(session, product_id, warehouse_id)
        stmt = update(StockLevel).where(_row(product_id, warehouse_id))  # type: ignore[arg-type]
        if refuse_beyond_available:
            stmt = stmt.where(StockLevel.on_hand - StockLevel.reserved >= quantity)
        done = session.execute(stmt.values(reserved=StockLevel.reserved + quantity).returning(StockLevel.reserved)
                               .execution_options(synchronize_session=False)).scalar_one_or_none()
        if done is None:
            raise _out_of_stock(session, product_id, warehouse_id, quantity,
                                level_of(session, product_id, warehouse_id).available)
        r = Reservation(product_id=product_id, warehouse_id=warehouse_id, quantity=quantity, source=source,
                        source_id=source_id)
        session.add(r)
        made.append(r)
    session.flush()
    return made


def reserved_by(session: Session, source: str, source_id: int) -> list[Reservation]:
    return list(session.scalars(select(Reservation).where(
        Reservation.source == source, Reservation.source_id == source_id, Reservation.released_at.is_(None))
        .order_by(Reservation.id)))


def release(session: Session, source: str, source_id: int) -> list[Reservation]:
    """Give back every unit ``(source, source_id)`` still holds; answers what was released."""
    held = reserved_by(session, source, source_id)
    now = utcnow()
    for r in held:
        session.execute(update(StockLevel).where(_row(r.product_id, r.warehouse_id))  # type: ignore[arg-type]
                        .values(reserved=StockLevel.reserved - r.quantity)
                        .execution_options(synchronize_session=False))
        r.released_at = now
    session.flush()
    return held


def hand_over(session: Session, source: tuple[str, int], to: tuple[str, int]) -> int:
    """What ``source`` holds is now held for ``to`` (a sales order's reservation passes to the
    proforma made from it); answers the number of reservations moved."""
    held = reserved_by(session, *source)
    for r in held:
        r.source, r.source_id = to
    session.flush()
    return len(held)
