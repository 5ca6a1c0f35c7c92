"""An invoice and the warehouse (INV-01, FAQ 12 and 106): finance's invoice events, followed in
their own transaction — a refusal here refuses the invoice (no number is taken).

Issued (directly or by converting a proforma), with the policy on: what was reserved for it is
released first (its warehouse is kept for those products), then one issue document per warehouse
with its goods lines (services are not stock) is made and posted, ``source=("invoice", id)``.
``refuse`` posts it refusing below zero: a line short of stock raises ``OutOfStock`` and the
invoice is not issued. Voided: its issue documents are voided (the units come back). Edited
while issued: if what its posted issues took no longer matches its goods lines, they are voided
and posted again as the invoice now says — the stock card shows the reversal and the new issue,
and a ``refuse`` policy refuses an edit that needs units that are not there. Under ``none`` an
invoice already delivered follows its edits the same way (refusing below zero, as delivering does).
"""

from __future__ import annotations

import re
from collections import defaultdict
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from kernel.actor import SYSTEM
from kernel.demo import DEMO
from modules.finance.events import InvoiceChanged, InvoiceIssued, InvoiceVoided
from modules.finance.models import Invoice, Product, Proforma
from modules.finance.services.documents import lines_of
from modules.inventory import policy
from modules.inventory.models import StockDocument, StockDocumentLine
from modules.inventory.services import stock

SOURCE = "invoice"


def on_event(kernel: Any, event: Any, session: Session) -> None:
    if session.info.get(DEMO):  # finance's demo invoices: their goods come in as inventory's opening balance
        return
    if isinstance(event, InvoiceIssued):
        chosen = policy.invoice_policy(kernel, session)
        if chosen != "none":
            issue_for(kernel, session, event.invoice_id, allow_negative=chosen == "reduce")
    elif isinstance(event, InvoiceVoided):
        for doc in documents_of(session, event.invoice_id, posted_only=True):
            _void(kernel, session, doc.id, event.reason)
        stock.release(session, SOURCE, event.invoice_id)
    elif isinstance(event, InvoiceChanged):  # whatever the policy: a delivered invoice's issue follows it too
        follow(kernel, session, event.invoice_id)


def goods_of(session: Session, doc: Invoice | Proforma) -> dict[int, Decimal]:
    """A proforma's or invoice's goods as product → quantity (services and free-text lines left out)."""
    lines = [li for li in lines_of(session, doc) if li.product_id is not None]
    kinds: dict[int, str] = {int(i): k for i, k in session.execute(select(Product.id, Product.kind).where(
        Product.id.in_({li.product_id for li in lines})))} if lines else {}
    goods: dict[int, Decimal] = defaultdict(Decimal)
    for li in lines:
        if kinds.get(li.product_id) == "goods":
            goods[li.product_id] += Decimal(li.quantity)
    return {p: q for p, q in goods.items() if q > 0}


def serials_of(session: Session, doc: Invoice) -> dict[int, list[str]]:
    """The serial numbers the invoice's lines give for products that track them (a line's field
    may hold several, separated by spaces or commas): the units its issue takes out."""
    from modules.inventory.services.drafts import tracks_serials

    found: dict[int, list[str]] = defaultdict(list)
    for li in lines_of(session, doc):
        if li.product_id is not None and li.serial_number and tracks_serials(session, li.product_id):
            found[li.product_id] += re.split(r"[\s,،]+", li.serial_number.strip())
    return found


def documents_of(session: Session, invoice_id: int, *, posted_only: bool = False) -> list[StockDocument]:
    q = select(StockDocument).where(StockDocument.source == SOURCE, StockDocument.source_id == invoice_id,
                                    StockDocument.deleted_at.is_(None))
    if posted_only:
        q = q.where(StockDocument.state == "posted")
    return list(session.scalars(q.order_by(StockDocument.id)))


def issue_for(kernel: Any, session: Session, invoice_id: int, *, allow_negative: bool,
              warehouses: dict[int, int] | None = None) -> list[StockDocument]:
    """Post the issue(s) of the invoice's goods; answers them. Units reserved for the invoice are
    released first and leave from the warehouse that held them; ``warehouses`` (product →
    warehouse) places the others, else the policy's warehouse does."""
    invoice = session.get(Invoice, invoice_id)
    assert invoice is not None
    goods = goods_of(session, invoice)
    held = {r.product_id: r.warehouse_id for r in stock.release(session, SOURCE, invoice_id)}
    if not goods:
        return []
    fallback = policy.invoice_warehouse_id(kernel, session)
    by_warehouse: dict[int, list[tuple[int, Decimal]]] = defaultdict(list)
    for product_id, quantity in goods.items():
        wid = held.get(product_id) or (warehouses or {}).get(product_id) or fallback
        assert wid is not None, "inventory seeds a default warehouse"
        by_warehouse[wid].append((product_id, quantity))
    return [_post_issue(kernel, session, invoice, wid, lines, allow_negative)
            for wid, lines in sorted(by_warehouse.items())]


def follow(kernel: Any, session: Session, invoice_id: int) -> bool:
    """The invoice's posted issues made again if they no longer take what it says; True if so."""
    invoice = session.get(Invoice, invoice_id)
    if invoice is None or invoice.state != "issued":
        return False
    docs = documents_of(session, invoice_id, posted_only=True)
    if not docs:  # issued while the policy was off: its stock was never the invoice's to follow
        return False
    taken: dict[int, Decimal] = defaultdict(Decimal)
    where: dict[int, int] = {}
    for doc_wid, product_id, quantity in session.execute(
            select(StockDocument.warehouse_id, StockDocumentLine.product_id, StockDocumentLine.quantity)
            .join(StockDocumentLine, StockDocumentLine.document_id == StockDocument.id)
            .where(StockDocument.id.in_([d.id for d in docs]))):
        taken[product_id] += Decimal(quantity)
        where.setdefault(product_id, doc_wid)
    if dict(taken) == goods_of(session, invoice):
        return False
    for doc in docs:
        _void(kernel, session, doc.id, f"{invoice.number}")
    issue_for(kernel, session, invoice_id, allow_negative=policy.invoice_policy(kernel, session) == "reduce",
              warehouses=where)
    return True


def _post_issue(kernel: Any, session: Session, invoice: Invoice, warehouse_id: int,
                lines: list[tuple[int, Decimal]], allow_negative: bool) -> StockDocument:
    from modules.inventory.services import posting

    # Written as a whole, not line by line through the editor's drafting service: its lines are
    # the invoice's goods, already chosen and checked by finance, and issuing an invoice of ten
    # lines must stay one short transaction. Posting checks what it always checks (stock,
    # serials) and alone moves the stock. The stock leaves because the invoice was issued:
    # whoever may issue it may move its goods, so inventory's permissions are not asked again.
    serials = serials_of(session, invoice)
    doc = StockDocument(kind="issue", state="draft", date=invoice.date, warehouse_id=warehouse_id,
                        partner_id=invoice.partner_id, source=SOURCE, source_id=invoice.id, owner_id=invoice.owner_id)
    session.add(doc)
    session.flush()
    session.add_all([StockDocumentLine(document_id=doc.id, position=i, product_id=product_id, quantity=quantity,
                                       unit_cost=0, serials="\n".join(serials.get(product_id, ())) or None)
                     for i, (product_id, quantity) in enumerate(lines, start=1)])
    session.flush()
    posting.post(kernel, session, SYSTEM, doc.id, allow_negative=allow_negative)
    return doc


def _void(kernel: Any, session: Session, doc_id: int, reason: str) -> None:
    from modules.inventory.services import posting

    posting.void(kernel, session, SYSTEM, doc_id, reason or "-")
