"""Posting a stock document and voiding it (INV-01, INV-02): the levels, the stock card, the
serial numbers and finance's average cost move together, in the caller's transaction.

Any refusal raises (:class:`kernel.Conflict`, :class:`kernel.InputError`, ``OutOfStock``) before
the caller commits, so a refused document changes nothing: not its number, not a level.

Cost: a receipt feeds finance's weighted average (``average_cost.receive``, source ``"receipt"``)
with its unit cost × quantity, an issue takes out at the average of that moment
(``take_out``, source ``"issue"``) and keeps that unit cost on its card. A document made from a
purchase or an invoice moves no cost: finance already did when it was posted or issued.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from kernel import Actor, Conflict, InputError, PermissionDenied
from kernel.db import utcnow
from kernel.records import FormErrors, get_record
from modules.finance.models import Product
from modules.finance.services import average_cost
from modules.finance.totals import round_half_up
from modules.inventory import serials as serial_numbers
from modules.inventory.access import POST, VOID
from modules.inventory.models import StockCardMove, StockDocument, StockDocumentLine, Warehouse
from modules.inventory.numbers import next_number
from modules.inventory.services import stock

RESOURCE = "inventory.document"
FROM_FINANCE = ("invoice", "purchase", "opening")  # finance moved their cost already (opening: opening.py)


def load(kernel: Any, session: Session, actor: Actor, doc_id: int) -> StockDocument:
    """The document, its row locked until the transaction ends (two posts take turns)."""
    doc: StockDocument = get_record(kernel, session, actor, kernel.resources[RESOURCE], doc_id, "view",
                                    for_update=True)
    session.refresh(doc)
    return doc


def lines_of(session: Session, doc_id: int) -> list[StockDocumentLine]:
    return list(session.scalars(select(StockDocumentLine).where(StockDocumentLine.document_id == doc_id)
                                .order_by(StockDocumentLine.position, StockDocumentLine.id)))


def moves_cost(doc: StockDocument) -> bool:
    return doc.kind in ("receipt", "issue") and doc.source not in FROM_FINANCE


def post(kernel: Any, session: Session, actor: Actor, doc_id: int, *, allow_negative: bool = False) -> StockDocument:
    """Draft → posted: numbered, its lines moving stock, card, serials and cost."""
    if not actor.can(POST):
        raise PermissionDenied(POST)
    doc = load(kernel, session, actor, doc_id)
    if doc.state != "draft":
        raise Conflict("This stock document is posted already" if doc.state == "posted"
                       else "A void stock document cannot be posted")
    lines = lines_of(session, doc.id)
    if not lines:
        raise Conflict("A stock document without lines cannot be posted")
    to = _destination(session, doc)
    for li in lines:
        if Decimal(li.quantity) <= 0:
            raise InputError("Every line needs a quantity above zero")
    names = _names(session, doc, lines)
    costs: dict[int, int | None] = {}
    if moves_cost(doc) and doc.kind == "receipt":
        average_cost.receive(session, "receipt", doc.id, doc.date, [
            average_cost.CostLine(li.id, li.product_id, Decimal(li.quantity),
                                  round_half_up(Decimal(li.quantity) * int(li.unit_cost or 0))) for li in lines])
    elif moves_cost(doc):
        costs = average_cost.take_out(session, "issue", doc.id, doc.date, lines)
    where = (doc.warehouse_id, names["w", doc.warehouse_id])
    card: list[dict[str, Any]] = []
    for li in lines:
        qty, product = Decimal(li.quantity), names["p", li.product_id]
        unit = _unit_cost(session, doc, li, costs)
        if doc.kind == "receipt":
            after = stock.put(session, li.product_id, doc.warehouse_id, qty)
            card.append(_card(doc, li, doc.warehouse_id, qty, after, unit))
        else:
            after = stock.take(session, li.product_id, doc.warehouse_id, qty, refuse_below_zero=not allow_negative)
            card.append(_card(doc, li, doc.warehouse_id, -qty, after, unit))
            if to is not None:
                card.append(_card(doc, li, to, qty, stock.put(session, li.product_id, to, qty), unit))
        if serial_numbers.tracks(session, li.product_id):
            given = serial_numbers.parse(li.serials)
            serial_numbers.check_count(product, qty, given)
            if doc.kind == "receipt":
                serial_numbers.receive(session, li.product_id, product, doc.warehouse_id, li.id, given)
            else:
                serial_numbers.move(session, li.product_id, product, where, to, li.id, given)
    session.add_all([StockCardMove(**row) for row in card])
    doc.number = next_number(session, doc.kind, doc.date)
    doc.state, doc.posted_at = "posted", utcnow()
    session.flush()
    return doc


def void(kernel: Any, session: Session, actor: Actor, doc_id: int, reason: str) -> StockDocument:
    """Posted → void with a reason: it keeps its number; its card moves are cancelled (the later
    balances follow), the levels and serials go back, finance replays the cost it moved."""
    if not actor.can(VOID):
        raise PermissionDenied(VOID)
    doc = load(kernel, session, actor, doc_id)
    if not (reason or "").strip():
        raise FormErrors({"reason": InputError("Give the reason")})
    if doc.state != "posted":
        raise Conflict("Only a posted stock document can be voided")
    lines = {li.id: li for li in lines_of(session, doc.id)}
    names = _names(session, doc, list(lines.values()))
    moves = list(session.scalars(select(StockCardMove).where(
        StockCardMove.document_id == doc.id, StockCardMove.cancelled.is_(False)).order_by(StockCardMove.id.desc())))
    for m in moves:  # the last first: a transfer's "in" leaves before its "out" comes back
        qty = Decimal(m.quantity)
        if qty > 0:  # what came in must still be there
            stock.take(session, m.product_id, m.warehouse_id, qty, refuse_below_zero=True)
        else:
            stock.put(session, m.product_id, m.warehouse_id, -qty)
        m.cancelled = True
        # The card keeps each move's balance after it: the later moves lose this one.
        session.execute(update(StockCardMove).where(
            StockCardMove.product_id == m.product_id, StockCardMove.warehouse_id == m.warehouse_id,
            StockCardMove.id > m.id).values(balance=StockCardMove.balance - qty)
            .execution_options(synchronize_session=False))
    for li in lines.values():
        if not serial_numbers.tracks(session, li.product_id):
            continue
        given, product = serial_numbers.parse(li.serials), names["p", li.product_id]
        if doc.kind == "receipt":
            serial_numbers.unreceive(session, li.product_id, product, (doc.warehouse_id, names["w", doc.warehouse_id]),
                                     given)
        elif doc.kind == "issue":
            serial_numbers.back_in(session, li.product_id, product, doc.warehouse_id, given)
        else:
            to = int(doc.to_warehouse_id or 0)
            serial_numbers.move(session, li.product_id, product, (to, names["w", to]), doc.warehouse_id, li.id,
                                given)
    if moves_cost(doc):
        average_cost.cancel(session, doc.kind, doc.id)
    doc.state, doc.void_reason, doc.voided_at = "void", reason.strip()[:300], utcnow()
    session.flush()
    return doc


def _destination(session: Session, doc: StockDocument) -> int | None:
    """A transfer's other warehouse, which must exist and differ from its origin."""
    if doc.kind != "transfer":
        return None
    if doc.to_warehouse_id is None or doc.to_warehouse_id == doc.warehouse_id:
        raise Conflict("A transfer goes to a warehouse other than its origin")
    return int(doc.to_warehouse_id)


def _names(session: Session, doc: StockDocument, lines: list[StockDocumentLine]) -> dict[tuple[str, int], str]:
    """Products' and warehouses' names for the messages, in two reads."""
    out: dict[tuple[str, int], str] = {}
    for pid, name in session.execute(select(Product.id, Product.name).where(
            Product.id.in_({li.product_id for li in lines}))):
        out["p", int(pid)] = name
    for wid, name in session.execute(select(Warehouse.id, Warehouse.name).where(
            Warehouse.id.in_({doc.warehouse_id, doc.to_warehouse_id or doc.warehouse_id}))):
        out["w", int(wid)] = name
    return out


def _unit_cost(session: Session, doc: StockDocument, li: StockDocumentLine, costs: dict[int, int | None]) -> int:
    """The Rials a unit of this line is valued at on the card: a receipt's own cost, an issue's
    average taken out, else (transfers, documents from finance) the average of this moment."""
    if doc.kind == "receipt":
        return int(li.unit_cost or 0)
    if li.product_id in costs:
        return int(costs[li.product_id] or 0)
    return average_cost.of(session, li.product_id)[1]


def _card(doc: StockDocument, li: StockDocumentLine, warehouse_id: int, quantity: Decimal, balance: Decimal,
          unit_cost: int) -> dict[str, Any]:
    return {"product_id": li.product_id, "warehouse_id": warehouse_id, "on": doc.date, "quantity": quantity,
            "balance": balance, "unit_cost": unit_cost, "document_id": doc.id, "line_id": li.id, "cancelled": False}
