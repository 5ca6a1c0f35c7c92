"""Money received against an invoice (FIN-07; instalments, cheques and POS come with FIN-08).

A receipt changes its invoice's ``received`` and ``balance`` in the same transaction, under a
lock of the invoice's row (:mod:`modules.finance.services.receipts`), so concurrent receipts
can never take more than the open balance.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import BigInteger, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from kernel import Base, BigId, Record

METHODS = (("cash", "Cash"),
           # -- payment plans: money of a plan's payment, receipted when it is ours (FIN-08)
           ("slip", "Deposit slip"), ("pos", "POS"), ("cheque", "Cheque"))


class Receipt(Record, Base):
    __tablename__ = "finance_receipt"
    # As visible as its invoice (and so as its customer).
    __scope_follows__ = ("invoice_id",)
    __table_args__ = (Index("ix_finance_receipt_invoice", "invoice_id", "date", "id"),)
    invoice_id: Mapped[int] = mapped_column(BigId, ForeignKey("finance_invoice.id"))
    date: Mapped[dt.date] = mapped_column(index=True)
    amount: Mapped[int] = mapped_column(BigInteger)
    method: Mapped[str] = mapped_column(String(12), default="cash", server_default="cash")
    note: Mapped[str | None] = mapped_column(String(300))
    # -- payment plans: the plan's payment this receipt is the cleared money of (FIN-08)
    payment_id: Mapped[int | None] = mapped_column(BigId, ForeignKey("finance_payment.id"), index=True)
