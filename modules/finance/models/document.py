"""Proformas (FIN-04) and invoices (FIN-07), each with its lines, in tables of their own.

States. A proforma is ``draft`` → ``issued`` (numbered) → ``converted`` (into exactly one
invoice) or ``cancelled``. An invoice is ``draft`` (only while a direct invoice is being
written) → ``issued`` (numbered) → ``void`` (FAQ 3: it keeps its number, marked void, never
zeroed and never reused). Open or settled is not a state: it is ``balance`` (the grand total
less what was received), kept by the receipts in the same transaction.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import BigInteger, ForeignKey, Index, String, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column

from kernel import Base, BigId, Record
from modules.finance.models.document_base import DocumentHeader, DocumentLine
from modules.finance.models.scaled import PERCENT

PROFORMA_STATES = (("draft", "Draft"), ("issued", "Issued"), ("converted", "Converted"),
                   ("cancelled", "Cancelled"))
INVOICE_STATES = (("draft", "Draft"), ("issued", "Issued"), ("void", "Void"))
INVOICE_TYPES = (("sale", "Sale"), ("warranty", "Warranty"), ("service", "Service"))


_LIVE = text("deleted_at IS NULL")


class Proforma(DocumentHeader, Record, Base):
    __tablename__ = "finance_proforma"
    __table_args__ = (
        UniqueConstraint("number", name="uq_finance_proforma_number"),
        Index("ix_finance_proforma_partner_date", "partner_id", "date", "id"),
        # The list is newest first: a customer's proformas, or those in a state, in index order
        # at any page (bench/bench_finance.py, issue 11).
        Index("ix_finance_proforma_partner_recent", "partner_id", "id", sqlite_where=_LIVE, postgresql_where=_LIVE),
        Index("ix_finance_proforma_state_recent", "state", "id", sqlite_where=_LIVE, postgresql_where=_LIVE),
    )
    # The end of the proforma's validity; refused before its date.
    valid_until: Mapped[dt.date | None] = mapped_column(index=True)
    # The invoice it became. No foreign key (the invoice's unique proforma_id is the link the
    # database guards; a key both ways would make the two tables a cycle): set by the one
    # conditional UPDATE that converts, so a second conversion finds it taken.
    converted_invoice_id: Mapped[int | None] = mapped_column(BigInteger, index=True)
    cancel_reason: Mapped[str | None] = mapped_column(String(300))


class ProformaLine(DocumentLine, Base):
    __tablename__ = "finance_proforma_line"
    __table_args__ = (Index("ix_finance_proforma_line_doc", "proforma_id", "position", "id"),)
    proforma_id: Mapped[int] = mapped_column(BigId, ForeignKey("finance_proforma.id", ondelete="CASCADE"))


_OPEN = text("deleted_at IS NULL AND state = 'issued' AND balance > 0")


class Invoice(DocumentHeader, Record, Base):
    __tablename__ = "finance_invoice"
    __table_args__ = (
        UniqueConstraint("number", name="uq_finance_invoice_number"),
        # At most one invoice per proforma, whoever converts it and however often.
        UniqueConstraint("proforma_id", name="uq_finance_invoice_proforma_id"),
        Index("ix_finance_invoice_partner_date", "partner_id", "date", "id"),
        Index("ix_finance_invoice_partner_recent", "partner_id", "id", sqlite_where=_LIVE, postgresql_where=_LIVE),
        Index("ix_finance_invoice_state_recent", "state", "id", sqlite_where=_LIVE, postgresql_where=_LIVE),
        # "Unsettled invoices": the open ones only, newest first.
        Index("ix_finance_invoice_open", "date", "id", sqlite_where=_OPEN, postgresql_where=_OPEN),
        # What each customer owes (the ageing and the receivables, FIN-12): the open invoices in
        # customer order with what the reports read, so one pass groups them (no sort, no row read).
        Index("ix_finance_invoice_owed", "partner_id", "id", "date", "balance", sqlite_where=_OPEN,
              postgresql_where=_OPEN),
    )
    invoice_type: Mapped[str] = mapped_column(String(10), default="sale", server_default="sale", index=True)
    proforma_id: Mapped[int | None] = mapped_column(BigId, ForeignKey("finance_proforma.id"))
    # Received so far and what is still open (grand_total − received), kept by the receipts.
    received: Mapped[int] = mapped_column(BigInteger, default=0, server_default="0")
    balance: Mapped[int] = mapped_column(BigInteger, default=0, server_default="0", index=True)
    void_reason: Mapped[str | None] = mapped_column(String(300))
    voided_at: Mapped[dt.datetime | None]


class InvoiceLine(DocumentLine, Base):
    __tablename__ = "finance_invoice_line"
    __table_args__ = (Index("ix_finance_invoice_line_doc", "invoice_id", "position", "id"),)
    invoice_id: Mapped[int] = mapped_column(BigId, ForeignKey("finance_invoice.id", ondelete="CASCADE"))
    # -- commissions (FIN-13): the product's percentages when the line was first sold (the issue,
    # or the edit that added it), kept so a later change of the product rewrites no history; taken
    # again only if the line's product is changed (``rated_product_id`` says which product they are of).
    marketer_rate: Mapped[Decimal | None] = mapped_column(PERCENT)
    agency_rate: Mapped[Decimal | None] = mapped_column(PERCENT)
    rated_product_id: Mapped[int | None] = mapped_column(BigInteger)
    # -- purchases (FIN-14): the product's average cost per unit when the invoice was issued; empty
    # when the product had never been purchased then (the profit report says "cost unknown").
    cost: Mapped[int | None] = mapped_column(BigInteger)
