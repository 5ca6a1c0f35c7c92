"""A sales order's life (SAL-03): its lines, submit, a manager's approval or return with a note,
cancel. Each runs inside the caller's transaction; the header changes go through
``update_record`` (permission, record scope, history, ``RecordChanged``).

Who approves: a holder of ``sales.order.approve`` (the sales manager), never their own order
unless they also hold ``sales.order.approve_own`` (an owner-manager of a small shop): the point of
the step is a second pair of eyes on price and discount before anyone negotiates.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from kernel import Conflict, InputError, PermissionDenied, take_number, utcnow
from kernel.persian.numbers import parse_decimal
from kernel.persian.textnorm import clean_input
from kernel.records import get_record, update_record
from modules.sales.events import SalesOrderApproved, SalesOrderCancelled
from modules.sales.models import Opportunity, SalesOrder, SalesOrderLine
from modules.sales.models.order import EDITABLE

RESOURCE = "sales.order"
SERIES = "sales.order"
APPROVE, APPROVE_OWN = "sales.order.approve", "sales.order.approve_own"
QUANTITY_MAX = Decimal(10) ** 12


def load(kernel: Any, session: Session, actor: Any, order_id: int, action: str = "view") -> SalesOrder:
    """The order, locked for the rest of the transaction, if the actor may ``action`` it."""
    order: SalesOrder = get_record(kernel, session, actor, kernel.resources[RESOURCE], order_id, action,
                                   for_update=True)
    return order


def lines_of(session: Session, order_id: int) -> list[SalesOrderLine]:
    return list(session.scalars(select(SalesOrderLine).where(SalesOrderLine.order_id == order_id)
                                .order_by(SalesOrderLine.position, SalesOrderLine.id)))


def _editable(order: SalesOrder) -> None:
    if order.state not in EDITABLE:
        raise Conflict("Only a draft or returned sales order can be changed")


def _decimal(raw: Any) -> Decimal:
    """Typed with Persian, Arabic or ASCII digits, ٫ or . before decimals."""
    text = clean_input(str(raw if raw is not None else ""))
    if not text:
        raise InputError("Enter the quantity")
    return parse_decimal(text)


def line_total(quantity: Decimal, unit_price: int, discount_percent: Decimal) -> int:
    gross = quantity * unit_price
    return int((gross - gross * discount_percent / 100).quantize(Decimal(1), ROUND_HALF_UP))


def _save_total(kernel: Any, session: Session, actor: Any, order: SalesOrder) -> None:
    session.flush()
    total = session.scalar(select(func.coalesce(func.sum(SalesOrderLine.total), 0))
                           .where(SalesOrderLine.order_id == order.id))
    update_record(kernel, session, actor, kernel.resources[RESOURCE], order.id, {"total": int(total or 0)})


def add_line(kernel: Any, session: Session, actor: Any, order_id: int, product_id: Any, quantity: Any,
             discount: Any = "") -> SalesOrderLine:
    """A product at the price finance quotes for the order's partner on its date (price lists,
    tiers by quantity); the discount is a percentage the approving manager sees."""
    from modules.finance.models import Product
    from modules.finance.services.pricing import price_for

    order = load(kernel, session, actor, order_id, "edit")
    _editable(order)
    pid = clean_input(str(product_id or ""))
    product = session.get(Product, int(parse_decimal(pid))) if pid.isdecimal() and len(pid) < 19 else None
    if product is None or product.deleted_at is not None or not product.active:
        raise InputError("Choose a product")
    qty = _decimal(quantity)
    if qty <= 0:
        raise InputError("The quantity must be more than zero")
    if qty >= QUANTITY_MAX or qty != qty.quantize(Decimal("0.001")):
        raise InputError("At most {n} decimal places", n=3)
    pct = _decimal(discount) if clean_input(str(discount or "")) else Decimal(0)
    if not Decimal(0) <= pct <= 100 or pct != pct.quantize(Decimal("0.01")):
        raise InputError("Enter a percentage from 0 to 100")
    price = price_for(session, product.id, order.partner_id, qty, order.date).unit_price
    position = session.scalar(select(func.coalesce(func.max(SalesOrderLine.position), 0))
                              .where(SalesOrderLine.order_id == order.id)) or 0
    line = SalesOrderLine(order_id=order.id, position=int(position) + 1, product_id=product.id, quantity=qty,
                          unit_price=price, discount_percent=pct, total=line_total(qty, price, pct))
    session.add(line)
    _save_total(kernel, session, actor, order)
    return line


def remove_line(kernel: Any, session: Session, actor: Any, order_id: int, line_id: Any) -> None:
    order = load(kernel, session, actor, order_id, "edit")
    _editable(order)
    line = session.get(SalesOrderLine, int(line_id)) if str(line_id or "").isdigit() else None
    if line is None or line.order_id != order.id:
        raise InputError("No such record")
    session.delete(line)
    _save_total(kernel, session, actor, order)


def submit(kernel: Any, session: Session, actor: Any, order_id: int) -> SalesOrder:
    """To the manager: it takes its number the first time (a returned one keeps it)."""
    order = load(kernel, session, actor, order_id, "edit")
    _editable(order)
    if not lines_of(session, order.id):
        raise Conflict("A sales order without lines cannot be submitted")
    values: dict[str, Any] = {"state": "submitted", "submitted_at": utcnow()}
    if not order.number:
        values["number"] = take_number(session, SERIES, order.date)
    return update_record(kernel, session, actor, kernel.resources[RESOURCE], order.id, values)


def _decider(actor: Any, order: SalesOrder) -> None:
    if not actor.can(APPROVE):
        raise PermissionDenied(APPROVE)
    if order.owner_id == actor.user_id and not actor.can(APPROVE_OWN):
        raise Conflict("Another manager approves your own sales order")
    if order.state != "submitted":
        raise Conflict("Only a submitted sales order can be approved or returned")


def approve(kernel: Any, session: Session, actor: Any, order_id: int) -> SalesOrder:
    order = load(kernel, session, actor, order_id)
    _decider(actor, order)
    now = utcnow()
    order = update_record(kernel, session, actor, kernel.resources[RESOURCE], order.id,
                          {"state": "approved", "approved_at": now, "approved_by_id": actor.user_id})
    _mirror(session, order, approved=True)
    kernel.emit(SalesOrderApproved(order.id), session)
    return order


def send_back(kernel: Any, session: Session, actor: Any, order_id: int, note: str) -> SalesOrder:
    """Returned to the salesperson with what should change; they edit it and submit again."""
    note = clean_input(note or "")
    if not note:
        raise InputError("Write what should change before approval")
    order = load(kernel, session, actor, order_id)
    _decider(actor, order)
    return update_record(kernel, session, actor, kernel.resources[RESOURCE], order.id,
                         {"state": "returned", "returned_at": utcnow(), "return_note": note[:2000]})


def cancel(kernel: Any, session: Session, actor: Any, order_id: int) -> SalesOrder:
    """Ends it; one with a proforma is not cancelled here (cancel the proforma in finance)."""
    order = load(kernel, session, actor, order_id, "edit")
    if order.state == "cancelled":
        raise Conflict("This sales order is already cancelled")
    if order.proforma_id is not None:
        raise Conflict("This sales order already has its proforma: cancel that in finance")
    was_approved = order.state == "approved"
    order = update_record(kernel, session, actor, kernel.resources[RESOURCE], order.id,
                          {"state": "cancelled", "cancelled_at": utcnow()})
    if was_approved:
        _mirror(session, order, approved=False)
    kernel.emit(SalesOrderCancelled(order.id), session)
    return order


def _mirror(session: Session, order: SalesOrder, approved: bool) -> None:
    """The opportunity's ``approved_at``/``approved_by_id`` say "its sales order is approved", so
    the board's card shows it with no extra read. A cancelled order takes back only the approval
    it gave (an approval from the first slice, with no order, stays)."""
    if order.opportunity_id is None:
        return
    opp = session.get(Opportunity, order.opportunity_id, with_for_update=True)
    if opp is None:
        return
    if approved:
        opp.approved_at, opp.approved_by_id, opp.approval_note = order.approved_at, order.approved_by_id, None
    elif opp.approved_at == order.approved_at and not has_approved_order(session, opp.id):
        opp.approved_at = opp.approved_by_id = None
    session.flush()


def has_approved_order(session: Session, opportunity_id: int) -> bool:
    """Whether the deal has an approved sales order (one with its proforma made still counts)."""
    return session.scalar(select(SalesOrder.id).where(
        SalesOrder.opportunity_id == opportunity_id, SalesOrder.state == "approved",
        SalesOrder.deleted_at.is_(None)).limit(1)) is not None


def may_enter_approved_stage(session: Session, opp: Opportunity) -> bool:
    """The board's gate: an approved sales order of the deal. ``approved_at`` on the deal mirrors
    it (:func:`_mirror`), and also keeps an approval given under the first slice's rule (before
    sales orders): such a deal keeps passing, nothing that passed before is stopped now."""
    return opp.approved_at is not None or has_approved_order(session, opp.id)
