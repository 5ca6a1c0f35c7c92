"""What a product's stock looks like on screen (INV-03): each warehouse's on hand, reserved and
available, and for a product with variants a matrix of them — rows by one attribute, columns by
another when the variants have two, else a list — each cell the variant's stock."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from modules.finance.models import Attribute, AttributeValue, Product
from modules.inventory.models import InventoryItem, StockLevel, Warehouse


def plain(q: Decimal | int | None) -> int | Decimal:
    """A quantity as people read it: 3, not 3.000 (an int also stays a number in a spreadsheet)."""
    q = Decimal(q or 0)
    return int(q) if q == q.to_integral_value() else q.normalize()


@dataclass
class Row:
    warehouse: str
    on_hand: int | Decimal
    reserved: int | Decimal
    available: int | Decimal


@dataclass
class Matrix:
    """``cells[row][column]`` is (variant id, available in all warehouses); one column named ""
    when the variants have a single attribute (or none)."""

    row_title: str = ""
    column_title: str = ""
    rows: list[str] = field(default_factory=list)
    columns: list[str] = field(default_factory=list)
    cells: dict[str, dict[str, tuple[int, int | Decimal]]] = field(default_factory=dict)


@dataclass
class ProductStock:
    product_id: int
    warehouses: list[Row]
    total: Row
    tracks_serials: bool
    reorder_below: int | Decimal | None
    variants: Matrix | None


def levels_by_warehouse(session: Session, product_ids: list[int]) -> list[Row]:
    """Summed over ``product_ids`` (a product, or all its variants), per active warehouse."""
    rows = session.execute(
        select(Warehouse.name, func.coalesce(func.sum(StockLevel.on_hand), 0),
               func.coalesce(func.sum(StockLevel.reserved), 0))
        .join(StockLevel, (StockLevel.warehouse_id == Warehouse.id) & StockLevel.product_id.in_(product_ids),
              isouter=True)
        .where(Warehouse.deleted_at.is_(None), Warehouse.active.is_(True))
        .group_by(Warehouse.id, Warehouse.name, Warehouse.is_default)
        .order_by(Warehouse.is_default.desc(), Warehouse.name)).all()
    return [Row(name, plain(o), plain(r), plain(Decimal(o) - Decimal(r))) for name, o, r in rows]


def _available(session: Session, product_ids: list[int]) -> dict[int, Decimal]:
    out: dict[int, Decimal] = defaultdict(Decimal)
    for pid, o, r in session.execute(select(StockLevel.product_id, func.sum(StockLevel.on_hand),
                                            func.sum(StockLevel.reserved))
                                     .where(StockLevel.product_id.in_(product_ids)).group_by(StockLevel.product_id)):
        out[int(pid)] = Decimal(o) - Decimal(r)
    return out


def matrix(session: Session, variants: list[Product]) -> Matrix:
    """The variants by their attribute values (``variant_key`` is their ids joined by dots)."""
    keys = {v.id: [int(i) for i in (v.variant_key or "").split(".") if i.isdigit()] for v in variants}
    values = {int(vid): (aid, aname, vname) for vid, aid, aname, vname in session.execute(
        select(AttributeValue.id, Attribute.id, Attribute.name, AttributeValue.name)
        .join(Attribute, Attribute.id == AttributeValue.attribute_id)
        .where(AttributeValue.id.in_({i for ids in keys.values() for i in ids}))
        .order_by(Attribute.sequence, Attribute.id, AttributeValue.sequence, AttributeValue.id))}
    order = list(values)  # attribute, then value order
    attributes = list(dict.fromkeys((values[i][0], values[i][1]) for i in order))
    available = _available(session, [v.id for v in variants])
    m = Matrix()
    two = len(attributes) == 2
    if two:
        m.row_title, m.column_title = attributes[0][1], attributes[1][1]
    elif attributes:
        m.row_title = " / ".join(a[1] for a in attributes)
    for v in sorted(variants, key=lambda v: [order.index(i) if i in order else 0 for i in keys[v.id]]):
        names = {values[i][0]: values[i][2] for i in keys[v.id] if i in values}
        if two:
            row, col = names.get(attributes[0][0], "—"), names.get(attributes[1][0], "—")
        else:
            row, col = (" — ".join(names.values()) or v.name), ""
        if row not in m.cells:
            m.rows.append(row)
            m.cells[row] = {}
        if col not in m.columns:
            m.columns.append(col)
        m.cells[row][col] = (v.id, plain(available.get(v.id, Decimal(0))))
    return m


def product_stock(session: Session, product_id: int) -> ProductStock:
    variants = list(session.scalars(select(Product).where(Product.parent_id == product_id,
                                                          Product.deleted_at.is_(None)).order_by(Product.id)))
    ids = [v.id for v in variants] or [product_id]
    rows = levels_by_warehouse(session, ids)
    total = Row("", plain(sum((Decimal(r.on_hand) for r in rows), Decimal(0))),
                plain(sum((Decimal(r.reserved) for r in rows), Decimal(0))),
                plain(sum((Decimal(r.available) for r in rows), Decimal(0))))
    item = session.get(InventoryItem, product_id)
    return ProductStock(product_id, rows, total, bool(item and item.tracks_serials),
                        plain(item.reorder_below) if item and item.reorder_below is not None else None,
                        matrix(session, variants) if variants else None)
