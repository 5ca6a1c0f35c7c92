"""Delivering an invoice (policy ``none``, FAQ 106): the warehouse makes its issue when the goods
leave, from the invoice's goods lines, refusing below zero — a warehouse hands over only what it
has. Once per invoice: the invoice's row is locked first, so two clicks make one issue."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from kernel import Actor, Conflict, PermissionDenied
from kernel.records import get_record
from modules.finance.models import Invoice
from modules.inventory.invoices import documents_of, issue_for
from modules.inventory.models import StockDocument

DELIVER = "inventory.invoice.deliver"


def can_deliver(session: Session, invoice: Invoice) -> bool:
    return invoice.state == "issued" and not documents_of(session, invoice.id, posted_only=True)


def deliver(kernel: Any, session: Session, actor: Actor, invoice_id: int) -> list[StockDocument]:
    if not actor.can(DELIVER):
        raise PermissionDenied(DELIVER)
    get_record(kernel, session, actor, kernel.resources["finance.invoice"], invoice_id)  # its scope
    invoice = session.scalars(select(Invoice).where(Invoice.id == invoice_id).with_for_update()).one()
    if invoice.state != "issued":
        raise Conflict("Only an issued invoice can be delivered")
    if documents_of(session, invoice_id, posted_only=True):
        raise Conflict("This invoice has already been delivered")
    docs = issue_for(kernel, session, invoice_id, allow_negative=False)
    if not docs:
        raise Conflict("This invoice has no goods to deliver")
    return docs
