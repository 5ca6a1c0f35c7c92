"""Making warranty cards: one per unit of each carpet line of an issued invoice (listening to
finance's ``InvoiceIssued``, so no sold carpet is ever without its card and a failed card rolls
the issue back), topped up when an issued invoice is edited, voided with their invoice; and
batches printed ahead of sale for a dealer."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal
from typing import Any

from sqlalchemy import func, or_, select, update
from sqlalchemy.orm import Session

from kernel import Actor, InputError
from kernel.db import utcnow
from modules.carpet.codes import new_code
from modules.carpet.models import CarpetDesign, Dealer, WarrantyBatch, WarrantyCard
from modules.finance.models import Invoice, InvoiceLine, Product
from modules.inventory.serials import parse as parse_serials

MAX_BATCH = 1000


def design_of_products(session: Session, product_ids: set[int]) -> dict[int, int]:
    """Which design each of these products (a design's product or one of its variants) is."""
    if not product_ids:
        return {}
    rows = session.execute(
        select(Product.id, CarpetDesign.id).join(CarpetDesign, or_(CarpetDesign.product_id == Product.id,
                                                                   CarpetDesign.product_id == Product.parent_id))
        .where(Product.id.in_(product_ids), CarpetDesign.deleted_at.is_(None)))
    return {int(p): int(d) for p, d in rows}


def dealer_of_partner(session: Session, partner_id: int | None) -> int | None:
    if partner_id is None:
        return None
    return session.scalar(select(Dealer.id).where(Dealer.partner_id == partner_id, Dealer.deleted_at.is_(None),
                                                  Dealer.active.is_(True)))


def unique_codes(session: Session, n: int) -> list[str]:
    """``n`` fresh codes no card has (a clash is drawn again; the unique index guards the rest)."""
    out: list[str] = []
    while len(out) < n:
        drawn = list(dict.fromkeys(new_code() for _ in range(n - len(out))))
        taken = set(session.scalars(select(WarrantyCard.code).where(WarrantyCard.code.in_(drawn))))
        out.extend(c for c in drawn if c not in taken and c not in out)
    return out


def cards_for_invoice(session: Session, invoice_id: int, owner_id: int | None = None) -> list[WarrantyCard]:
    """The cards an issued invoice still lacks: one per whole unit of each carpet line, the
    line's serials (one per unit, as inventory reads them) given in order. Run again, it adds
    only what is missing."""
    invoice = session.get(Invoice, invoice_id)
    if invoice is None or invoice.state != "issued" or invoice.invoice_type != "sale":
        return []
    lines = list(session.scalars(select(InvoiceLine).where(InvoiceLine.invoice_id == invoice_id)
                                 .order_by(InvoiceLine.position, InvoiceLine.id)))
    designs = design_of_products(session, {ln.product_id for ln in lines})
    if not designs:
        return []
    have: dict[int, list[str | None]] = defaultdict(list)
    for line_id, serial in session.execute(select(WarrantyCard.invoice_line_id, WarrantyCard.serial).where(
            WarrantyCard.invoice_id == invoice_id)):
        have[int(line_id or 0)].append(serial)
    dealer = dealer_of_partner(session, invoice.partner_id)
    wanted: list[tuple[InvoiceLine, str | None]] = []
    for line in lines:
        if line.product_id not in designs:
            continue
        units = int(Decimal(line.quantity))
        serials = [s for s in parse_serials(line.serial_number) if s not in have[line.id]]
        for i in range(units - len(have[line.id])):
            wanted.append((line, serials[i] if i < len(serials) else None))
    codes = unique_codes(session, len(wanted))
    made = [WarrantyCard(code=code, state="printed", design_id=designs[line.product_id], product_id=line.product_id,
                         invoice_id=invoice_id, invoice_line_id=line.id, serial=serial, dealer_id=dealer,
                         owner_id=owner_id or invoice.owner_id, created_by_id=owner_id)
            for code, (line, serial) in zip(codes, wanted, strict=True)]
    session.add_all(made)
    session.flush()
    return made


def void_for_invoice(session: Session, invoice_id: int, reason: str) -> int:
    """A voided invoice voids its cards that no customer registered (a registered card stays: its
    customer holds it)."""
    result = session.execute(update(WarrantyCard).where(
        WarrantyCard.invoice_id == invoice_id, WarrantyCard.state == "printed").values(
        state="void", void_reason=reason[:300], updated_at=utcnow()))
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


def make_batch(session: Session, actor: Actor, dealer_id: int, count: int, design_id: int | None = None,
               note: str | None = None) -> WarrantyBatch:
    """``count`` cards printed ahead of sale for a dealer; no invoice line (registered as any card)."""
    if not 1 <= count <= MAX_BATCH:
        raise InputError("A batch has from 1 to 1,000 cards")
    dealer = session.get(Dealer, dealer_id)
    if dealer is None or dealer.deleted_at is not None:
        raise InputError("Choose a dealer")
    design = session.get(CarpetDesign, design_id) if design_id else None
    if design_id and (design is None or design.deleted_at is not None):
        raise InputError("Choose a design")
    batch = WarrantyBatch(dealer_id=dealer_id, design_id=design_id, count=count, note=note,
                          owner_id=actor.user_id or None, created_by_id=actor.user_id or None)
    session.add(batch)
    session.flush()
    session.add_all([WarrantyCard(code=code, state="printed", design_id=design_id,
                                  product_id=design.product_id if design else None, dealer_id=dealer_id,
                                  batch_id=batch.id, owner_id=actor.user_id or None,
                                  created_by_id=actor.user_id or None)
                     for code in unique_codes(session, count)])
    session.flush()
    return batch


def count_by_invoice(session: Session, invoice_id: int) -> int:
    return int(session.scalar(select(func.count()).select_from(WarrantyCard).where(
        WarrantyCard.invoice_id == invoice_id)) or 0)


def on_event(kernel: Any, session: Session, event: Any) -> None:
    from modules.finance.events import InvoiceChanged, InvoiceIssued, InvoiceVoided

    if isinstance(event, InvoiceIssued | InvoiceChanged):
        cards_for_invoice(session, event.invoice_id)
    elif isinstance(event, InvoiceVoided):
        void_for_invoice(session, event.invoice_id, event.reason)
