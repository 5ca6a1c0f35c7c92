"""Payment plans of invoices (FIN-08): the instalments, the payments and which part of each
payment covers which instalment.

* :class:`Instalment` — one part of an issued invoice's plan: the cash part (``position`` 0,
  ``is_cash``) or instalment N, with its due date and amount. The plan's amounts add up to the
  invoice's grand total. ``state`` (open / partly / paid) and ``paid_on`` (the day cleared money
  completed it) are kept by :func:`modules.finance.services.plans.recount` from the allocations.
* :class:`Payment` — money given, or promised, against the invoice: cash, a promise (a date and an
  amount, no instrument), a cheque (``finance_cheque``), a deposit slip or a POS payment.
  ``state``: ``pending`` (a promise, a cheque not yet cleared), ``cleared`` (the money is ours:
  it has a receipt, ``finance_receipt.payment_id``), ``bounced`` (its cheque bounced),
  ``cancelled`` (its receipt was deleted, its cheque returned), ``kept`` (a promise that real
  money has replaced).
* :class:`Allocation` — payment → instalment with the part of the payment it covers: one cheque
  may cover several instalments, several payments one instalment.

The invoice's ``received``/``balance`` stay what the receipts say (:mod:`services.receipts`):
a payment that clears writes a receipt, so the ledger has one source of received money.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import BigInteger, Boolean, ForeignKey, Index, Integer, String, text
from sqlalchemy.orm import Mapped, mapped_column

from kernel import Base, BigId, IdPK, Record

INSTALMENT_STATES = (("open", "Not paid"), ("partly", "Partly paid"), ("paid", "Paid"))
PAYMENT_KINDS = (("cash", "Cash"), ("promise", "Credit promise"), ("cheque", "Cheque"),
                 ("slip", "Deposit slip"), ("pos", "POS"))
PAYMENT_STATES = (("pending", "Pending"), ("cleared", "Cleared"), ("bounced", "Bounced"),
                  ("cancelled", "Cancelled"), ("kept", "Kept"))
# Money that is ours the moment it is recorded: it gets its receipt at once.
IMMEDIATE = ("cash", "slip", "pos")
# Payments that still hold their place on the instalments they cover.
LIVE = ("pending", "cleared")


_UNPAID = text("deleted_at IS NULL AND state <> 'paid'")


class Instalment(Record, Base):
    __tablename__ = "finance_instalment"
    __table_args__ = (Index("ix_finance_instalment_invoice", "invoice_id", "position"),
                      # The due alarms and "what falls due" read a range of due dates.
                      Index("ix_finance_instalment_due", "due_date", "id"),
                      # -- statement: the ageing reads only the instalments still owed (FIN-12).
                      Index("ix_finance_instalment_unpaid", "invoice_id", "due_date", sqlite_where=_UNPAID,
                            postgresql_where=_UNPAID))
    invoice_id: Mapped[int] = mapped_column(BigId, ForeignKey("finance_invoice.id"))
    position: Mapped[int] = mapped_column(Integer, default=0)  # 0: the cash part; 1…N the instalments
    is_cash: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")
    due_date: Mapped[dt.date]
    amount: Mapped[int] = mapped_column(BigInteger)
    # Cleared money allocated to it; its state and the day it was completed follow from that.
    paid: Mapped[int] = mapped_column(BigInteger, default=0, server_default="0")
    state: Mapped[str] = mapped_column(String(8), default="open", server_default="open")
    paid_on: Mapped[dt.date | None]
    # The due alarm (kernel reminder) of this instalment while it is not paid.
    reminder_id: Mapped[int | None] = mapped_column(BigId, ForeignKey("kernel_reminder.id", ondelete="SET NULL"))


class Payment(Record, Base):
    __tablename__ = "finance_payment"
    __table_args__ = (Index("ix_finance_payment_invoice", "invoice_id", "id"),
                      # The payments' list sorted and filtered by day (issue 12).
                      Index("ix_finance_payment_date", "date", "id"))
    # Whoever may not see the customer does not see its payments (the payments' list, its API).
    __scope_follows__ = ("partner_id",)
    invoice_id: Mapped[int] = mapped_column(BigId, ForeignKey("finance_invoice.id"))
    partner_id: Mapped[int] = mapped_column(BigId, ForeignKey("base_partner.id"), index=True)
    kind: Mapped[str] = mapped_column(String(8))
    state: Mapped[str] = mapped_column(String(10), default="pending", server_default="pending")
    date: Mapped[dt.date]  # received on; for a promise the day it is promised for
    amount: Mapped[int] = mapped_column(BigInteger)
    cleared_on: Mapped[dt.date | None]
    cheque_id: Mapped[int | None] = mapped_column(BigId, ForeignKey("finance_cheque.id"), index=True)
    # A deposit slip: its number, who paid it in, into which of our accounts; a POS payment: the
    # terminal, the account it settles into and the trace number.
    slip_number: Mapped[str | None] = mapped_column(String(40))
    payer_name: Mapped[str | None] = mapped_column(String(200))
    account_id: Mapped[int | None] = mapped_column(BigId, ForeignKey("finance_bank_account.id"))
    terminal_id: Mapped[int | None] = mapped_column(BigId, ForeignKey("finance_pos_terminal.id"))
    trace_number: Mapped[str | None] = mapped_column(String(40))
    note: Mapped[str | None] = mapped_column(String(300))
    # A cheque's due alarm (kernel reminder) while the cheque is still to be collected.
    reminder_id: Mapped[int | None] = mapped_column(BigId, ForeignKey("kernel_reminder.id", ondelete="SET NULL"))


class Allocation(Base):
    """The part of a payment that covers one instalment. A promise's part shrinks as real money
    arrives for that instalment (the promise is being kept); the others never change."""

    __tablename__ = "finance_allocation"
    __table_args__ = (Index("ix_finance_allocation_instalment", "instalment_id"),
                      Index("ix_finance_allocation_payment", "payment_id"))
    id: Mapped[IdPK]
    payment_id: Mapped[int] = mapped_column(BigId, ForeignKey("finance_payment.id", ondelete="CASCADE"))
    instalment_id: Mapped[int] = mapped_column(BigId, ForeignKey("finance_instalment.id", ondelete="CASCADE"))
    amount: Mapped[int] = mapped_column(BigInteger)
