"""Weighted-average cost and quantity on hand per product (FIN-14, FAQ 4): the one place that
writes ``finance_product_cost`` and ``finance_stock_move``. Inventory (issue 15) moves cost through
:func:`receive` and :func:`take_out` for its own receipts and issues; finance's purchases and
invoices use them too (:func:`purchase_in`, :func:`sale_out`).

The rule, per product, move after move in the order they were written:

* a purchase line of ``q`` units costing ``amount`` Rials net (after its discounts, before VAT,
  which is recovered, not a cost) moves the average to
  ``(on_hand × avg + amount) / (on_hand + q)``, rounded half-up to a whole Rial; stock sold before
  it was bought (``on_hand`` below zero) counts as none: the new average is then the line's own;
* a sale takes ``q`` units out at the average of that moment and leaves the average as it is;
  the invoice line keeps that average (``cost``), or nothing when the product was never bought.

Voiding a purchase or an invoice cancels its moves and replays the product from its moves left
(:func:`replay`): since every step rounds, replaying is the only exact way back.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from typing import Any

from sqlalchemy import func, insert, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value

from kernel.db import insert_ignoring
from modules.finance.models import ProductCost, StockMove
from modules.finance.totals import round_half_up


def step(on_hand: Decimal, avg: int, quantity: Decimal, amount: int) -> tuple[Decimal, int]:
    """(on hand, average) after a move: a purchase (``quantity`` > 0 costing ``amount``) or a sale."""
    if quantity <= 0:
        return on_hand + quantity, avg
    base = max(on_hand, Decimal(0))
    return on_hand + quantity, round_half_up((base * avg + amount) / (base + quantity))


def lock_many(session: Session, product_ids: Iterable[int]) -> dict[int, ProductCost]:
    """The products' rows, made if missing and locked until the transaction ends, in id order (two
    postings of one product take turns, each reading the other's result; one order: no deadlock).
    Three statements for any number of products."""
    ids = sorted(set(product_ids))
    if not ids:
        return {}
    dialect = session.get_bind().dialect.name
    session.execute(insert_ignoring(dialect, ProductCost, "product_id"),
                    [{"product_id": pid, "on_hand": 0, "avg_cost": 0, "purchases": 0} for pid in ids])
    rows = session.scalars(select(ProductCost).where(ProductCost.product_id.in_(ids))
                           .order_by(ProductCost.product_id).with_for_update()
                           .execution_options(populate_existing=True))
    return {row.product_id: row for row in rows}


def lock(session: Session, product_id: int) -> ProductCost:
    return lock_many(session, (product_id,))[product_id]


def _moves(session: Session, moves: list[dict[str, Any]]) -> None:
    if moves:  # one executemany, whatever the number of lines
        session.execute(insert(StockMove), moves)


@dataclass(frozen=True)
class CostLine:
    """A line as the seam reads it: ``amount`` is the net Rials of the units received (unused
    when taking out). Any object with these attributes will do."""

    id: int
    product_id: int
    quantity: Decimal
    amount: int = 0


def receive(session: Session, source: str, source_id: int, on: dt.date, lines: Iterable[Any]) -> None:
    """Units come in, each line (``product_id``, ``quantity``, ``id``, ``amount``) moving its
    product's average in the lines' order: a posted purchase (``"purchase"``) or inventory's goods
    receipt (``"receipt"``). :func:`cancel` with the same source takes them back out."""
    lines = list(lines)
    rows = lock_many(session, (li.product_id for li in lines))
    moves = []
    for line in lines:
        row, qty = rows[line.product_id], Decimal(line.quantity)
        row.on_hand, row.avg_cost = step(Decimal(row.on_hand), row.avg_cost, qty, int(line.amount))
        row.purchases += 1
        moves.append({"product_id": line.product_id, "on": on, "quantity": qty, "amount": int(line.amount),
                      "source": source, "source_id": source_id, "line_id": line.id, "cancelled": False})
    session.flush()
    _moves(session, moves)


def purchase_in(session: Session, purchase_id: int, on: dt.date, lines: Iterable[Any]) -> None:
    """A posted purchase's lines come in at their net (``taxable``) amounts."""
    receive(session, "purchase", purchase_id, on,
            [CostLine(li.id, li.product_id, li.quantity, li.taxable) for li in lines])


@cache
def _take_out(dialect: str) -> Any:
    table: Any = ProductCost.__table__
    stmt = (postgresql.insert if dialect == "postgresql" else sqlite.insert)(table)
    # Rounded to the column's thousandths: SQLite keeps the quantity as a float, and the sum must
    # stay the value a Decimal computed it to (what the ORM wrote before).
    return stmt.on_conflict_do_update(
        index_elements=[table.c.product_id],
        set_={"on_hand": func.round(table.c.on_hand + stmt.excluded.on_hand, 3)},
    ).returning(table.c.product_id, table.c.on_hand, table.c.avg_cost, table.c.purchases)


def _taken_out(session: Session, quantities: dict[int, Decimal]) -> dict[int, tuple[int, int]]:
    """Take ``quantities`` (product → units) off the products' rows, made if missing, and answer
    each one's (average, purchases) — by one ``INSERT … ON CONFLICT DO UPDATE … RETURNING``:
    the lock, the read and the write of :func:`lock_many` and a flush in one statement (issue 11's
    chain). The rows are locked until the transaction ends, in id order as :func:`lock_many` takes
    them (no deadlock with a posting); on PostgreSQL the update reads the row as the last writer
    committed it, as the SELECT … FOR UPDATE did. A sale leaves the average and the purchases as
    they are, so the values returned are those of this moment."""
    rows = [{"product_id": pid, "on_hand": -qty, "avg_cost": 0, "purchases": 0}
            for pid, qty in sorted(quantities.items())]
    out: dict[int, tuple[int, int]] = {}
    # An executemany of one cached statement, which SQLAlchemy sends as one multi-row INSERT
    # ("insertmanyvalues", for its RETURNING) in the rows' order.
    for pid, on_hand, avg, purchases in session.connection().execute(_take_out(session.get_bind().dialect.name), rows):
        out[int(pid)] = (int(avg), int(purchases))
        held = session.identity_map.get(session.identity_key(ProductCost, pid))
        if held is not None:  # a row read earlier in this transaction: what the database holds now
            set_committed_value(held, "on_hand", on_hand)
            set_committed_value(held, "avg_cost", avg)
            set_committed_value(held, "purchases", purchases)
    return out


def take_out(session: Session, source: str, source_id: int, on: dt.date,
             lines: Iterable[Any]) -> dict[int, int | None]:
    """Units go out at the average of this moment, leaving it as it is: an issued invoice
    (``"sale"``) or inventory's goods issue (``"issue"``). Answers, per product, the unit cost
    they went out at — None for a product never received, whose cost is unknown."""
    lines = list(lines)
    if not lines:
        return {}
    quantities: dict[int, Decimal] = {}
    for line in lines:
        quantities[line.product_id] = quantities.get(line.product_id, Decimal(0)) + Decimal(line.quantity)
    rows = _taken_out(session, quantities)
    moves = [{"product_id": line.product_id, "on": on, "quantity": -Decimal(line.quantity),
              "amount": round_half_up(Decimal(line.quantity) * rows[line.product_id][0]), "source": source,
              "source_id": source_id, "line_id": line.id, "cancelled": False} for line in lines]
    session.flush()
    _moves(session, moves)
    return {pid: (avg if purchases else None) for pid, (avg, purchases) in rows.items()}


def sale_out(session: Session, invoice_id: int, on: dt.date, lines: Iterable[Any]) -> None:
    """An issued invoice's lines go out: each keeps the average of this moment as its ``cost``."""
    lines = list(lines)
    costs = take_out(session, "sale", invoice_id, on, lines)
    for line in lines:
        if line.cost != costs[line.product_id]:  # unchanged (never bought: None) is not written
            line.cost = costs[line.product_id]
    if lines:
        session.flush()


def cancel(session: Session, source: str, source_id: int) -> None:
    """A voided purchase, invoice, goods receipt or issue: its moves stop counting and each product is replayed."""
    products = sorted(set(session.scalars(select(StockMove.product_id).where(
        StockMove.source == source, StockMove.source_id == source_id, StockMove.cancelled.is_(False)))))
    if not products:
        return
    lock_many(session, products)  # before the moves change: the same order as posting takes
    session.execute(update(StockMove).where(StockMove.source == source, StockMove.source_id == source_id)
                    .values(cancelled=True).execution_options(synchronize_session=False))
    for pid in products:
        replay(session, pid)


def replay(session: Session, product_id: int) -> ProductCost:
    """The product's quantity and average recomputed from its moves, in order."""
    row = lock(session, product_id)
    on_hand, avg, purchases = Decimal(0), 0, 0
    for qty, amount in session.execute(select(StockMove.quantity, StockMove.amount).where(
            StockMove.product_id == product_id, StockMove.cancelled.is_(False)).order_by(StockMove.id)):
        on_hand, avg = step(on_hand, avg, Decimal(qty), int(amount))
        purchases += qty > 0
    row.on_hand, row.avg_cost, row.purchases = on_hand, avg, purchases
    session.flush()
    return row


def of(session: Session, product_id: int) -> tuple[Decimal, int, bool]:
    """(on hand, average cost, ever purchased) of a product, as kept."""
    row = session.get(ProductCost, product_id)
    if row is None:
        return Decimal(0), 0, False
    return Decimal(row.on_hand), int(row.avg_cost), bool(row.purchases)
