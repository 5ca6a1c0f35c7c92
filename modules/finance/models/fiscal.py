"""Closing a Jalali fiscal year (FIN-16): the year's state, the opening balances it writes for
the next year and the open items it carries forward.

* :class:`FiscalYear` — one row per Jalali year ever closed: ``closed`` or ``open`` again after
  an undo, who closed or reopened it and when, and what the close wrote (counts and sums). The
  unique year is what makes a second close of the same year impossible whatever path runs it;
  the close then takes the row's lock (:mod:`modules.finance.services.fiscal_close`).
* :class:`FiscalOpening` — a partner's balance when the year ended, in the *new* year, one row
  per side that was open: ``customer``, what it owed us (issued invoices dated up to the year's
  last day less the receipts dated up to it), and ``supplier``, what we owed it (posted purchases
  dated up to then less what we paid on them up to then). Each amount is positive on its own side
  and the sides are kept apart — receivables and payables are two figures a bookkeeper reads, not
  one netted — so a partner who both buys from us and sells to us has two rows; its net opening,
  customer less supplier, is its statement's opening balance of the new year (the statement reads
  "what the partner owes us"). A snapshot for the page and its export; the statement reads its
  opening balance from the ledger itself.
* :class:`FiscalCarry` — an open item of the closed year listed in the new one: an unsettled
  invoice, an unpaid instalment, a cheque still in hand (received, in the safe, deposited), an
  issued proforma still open, a purchase invoice not fully paid or a cheque of ours given to a
  supplier and not yet cleared by the bank (``own_cheque``: money that will still leave our
  account). Nothing is moved or renumbered: the item stays where it is and open, this row only
  lists it.

The rows of a close are written by ``INSERT … SELECT`` (one statement per kind, no Python loop per
customer) and removed by an undo; their own history is the fiscal year's (one row of history for
a million openings is what a bookkeeper reads, not a million)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import BigInteger, ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from kernel import Base, BigId, Record

FISCAL_STATES = (("closed", "Closed"), ("open", "Open"))
CARRY_KINDS = (("invoice", "Unsettled invoice"), ("instalment", "Unpaid instalment"),
               ("cheque", "Cheque in hand"), ("proforma", "Open proforma"), ("purchase", "Unpaid purchase invoice"),
               ("own_cheque", "Our cheque not yet cleared"))
# Whose balance an opening is: the partner owed it to us, or we owed it to the partner.
OPENING_SIDES = (("customer", "Owed to us"), ("supplier", "We owed the supplier"))


class FiscalYear(Record, Base):
    __tablename__ = "finance_fiscal_year"
    __table_args__ = (UniqueConstraint("year", name="uq_finance_fiscal_year_year"),)
    year: Mapped[int] = mapped_column(Integer)  # the Jalali year, 1404
    state: Mapped[str] = mapped_column(String(8), default="closed", server_default="closed")
    closed_at: Mapped[dt.datetime | None]
    closed_by_id: Mapped[int | None] = mapped_column(BigId, ForeignKey("kernel_user.id", ondelete="SET NULL"))
    reopened_at: Mapped[dt.datetime | None]
    reopened_by_id: Mapped[int | None] = mapped_column(BigId, ForeignKey("kernel_user.id", ondelete="SET NULL"))
    # What the latest close wrote: its history keeps every close's figures. ``openings`` and
    # ``opening_total`` are the customers' side, ``supplier_openings`` and ``supplier_total`` ours.
    openings: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    opening_total: Mapped[int] = mapped_column(BigInteger, default=0, server_default="0")
    carried: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    supplier_openings: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    supplier_total: Mapped[int] = mapped_column(BigInteger, default=0, server_default="0")


class FiscalOpening(Record, Base):
    __tablename__ = "finance_fiscal_opening"
    # As visible as its customer.
    __scope_follows__ = ("partner_id",)
    __table_args__ = (Index("ix_finance_fiscal_opening_year", "year", "partner_id"),)
    year: Mapped[int] = mapped_column(Integer)  # the new year this is the opening of
    partner_id: Mapped[int] = mapped_column(BigId, ForeignKey("base_partner.id"), index=True)
    side: Mapped[str] = mapped_column(String(8), default="customer", server_default="customer")
    amount: Mapped[int] = mapped_column(BigInteger)  # Rials owed at the closed year's end, on its side
    invoices: Mapped[int] = mapped_column(Integer, default=0)  # how many invoices (or purchases) were open then


class FiscalCarry(Record, Base):
    __tablename__ = "finance_fiscal_carry"
    __scope_follows__ = ("partner_id",)
    __table_args__ = (Index("ix_finance_fiscal_carry_year", "year", "kind", "id"),)
    year: Mapped[int] = mapped_column(Integer)  # the new year it is carried into
    kind: Mapped[str] = mapped_column(String(12))
    partner_id: Mapped[int] = mapped_column(BigId, ForeignKey("base_partner.id"), index=True)
    # The item itself: an invoice (also an instalment's), a proforma, a cheque, a purchase, our cheque; plain
    # ids, not keys:
    # the item is never deleted while carried (issued documents are voided, not deleted), and an
    # undo removes these rows.
    invoice_id: Mapped[int | None] = mapped_column(BigInteger)
    proforma_id: Mapped[int | None] = mapped_column(BigInteger)
    cheque_id: Mapped[int | None] = mapped_column(BigInteger)
    instalment_id: Mapped[int | None] = mapped_column(BigInteger)
    purchase_id: Mapped[int | None] = mapped_column(BigInteger)
    own_cheque_id: Mapped[int | None] = mapped_column(BigInteger)  # our cheque (finance_own_cheque), not a customer's
    reference: Mapped[str | None] = mapped_column(String(60))  # its number as the page shows it
    date: Mapped[dt.date]  # the document's date, the instalment's or cheque's due date
    amount: Mapped[int] = mapped_column(BigInteger)  # what is still open of it, Rials
