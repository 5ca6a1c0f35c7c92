"""An issued invoice's lines edited (FAQ 44, ``finance.invoice.edit_issued``): its stock moves
and its lines' ``cost`` follow, in the edit's transaction (FIN-14).

What the invoice then holds is what issuing it as edited would write: its moves are cancelled,
each product they touched is replayed from the moves left, and the lines go out again at the
averages of this moment (:func:`average_cost.sale_out`). Moving the old moves in place is not
exact: the average is rounded at every step, so only a replay gives it back. The price of that
exactness is that every line of the edited invoice, changed or not, keeps the average of the
edit's moment as its cost, as a newly issued invoice would.

Only a change of what leaves the stock rewrites them: a line's product or quantity, a line added
or removed. A new price, a discount or a receipt (``InvoiceChanged`` too) moves no stock.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from modules.finance.models import Invoice, StockMove
from modules.finance.services import average_cost
from modules.finance.services.documents import lines_of


def _moves(session: Session, invoice_id: int) -> list[Any]:
    return list(session.execute(select(StockMove.line_id, StockMove.product_id, StockMove.quantity,
                                       StockMove.cancelled)
                                .where(StockMove.source == "sale", StockMove.source_id == invoice_id)))


def follow_lines(session: Session, invoice_id: int) -> bool:
    """The issued invoice's moves made again if they no longer match its lines; True if they were.

    An invoice issued before average cost existed (revision c4e8a1f2d9b3 wrote no moves for the
    invoices already there) has never had a move: its sale is outside the stock's history, and
    an edit does not bring it in (that would take its whole quantity out of today's stock)."""
    invoice = session.get(Invoice, invoice_id)
    if invoice is None or invoice.state != "issued":
        return False
    moves = _moves(session, invoice_id)
    if not moves:
        return False
    lines = lines_of(session, invoice)
    kept = {(m.line_id, m.product_id, -Decimal(m.quantity)) for m in moves if not m.cancelled}
    if kept == {(li.id, li.product_id, Decimal(li.quantity)) for li in lines}:
        return False
    # Every product either side touches, locked at once in id order (as posting locks them): the
    # cancel and the sale below then lock nothing new, so no order of two edits can deadlock.
    average_cost.lock_many(session, {m.product_id for m in moves if not m.cancelled}
                           | {li.product_id for li in lines})
    average_cost.cancel(session, "sale", invoice_id)
    if lines:
        average_cost.sale_out(session, invoice_id, invoice.date, lines)
    return True
