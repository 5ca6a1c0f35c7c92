"""Cheques received from customers (FIN-09) and the history of their states.

A cheque belongs to the partner who gave it (``__scope_follows__``): whoever may not see the
customer does not see, find or change their cheques. Its state moves only through
:mod:`modules.finance.cheque_states` (one transaction, one history row, guarded by ``revision``).

The seam for payment plans (FIN-08): an allocation row (payment → instalment) will point at a
cheque by ``finance_cheque.id`` with the part of ``amount`` it covers; a bounced cheque is then
announced by ``ChequeChanged(to_state="bounced")`` and re-opens the instalments allocated from it.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import BigInteger, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from kernel import Base, BigId, IdPK, Record
from kernel.db import utcnow

# States in the order of a cheque's life; the allowed moves are in cheque_states.TRANSITIONS.
CHEQUE_STATES = (
    ("received", "Received"),
    ("in_safe", "In the safe"),
    ("deposited", "Deposited"),
    ("cleared", "Cleared"),
    ("bounced", "Bounced"),
    ("endorsed", "Endorsed to a supplier"),
    ("returned", "Returned"),
    ("legal", "Legal follow-up"),
)
# The account a cheque is drawn on (the seed's «نوع حساب»).
DRAWN_ON = (("current", "Current account"), ("gharz", "Gharz-al-hasaneh account"), ("other", "Other"))


class Cheque(Record, Base):
    __tablename__ = "finance_cheque"
    __scope_follows__ = ("partner_id",)
    __table_args__ = (
        # The top-bar search: one indexed equality on the number or on the Sayad ID (≤ 10 ms).
        Index("ix_finance_cheque_number", "number"),
        Index("ix_finance_cheque_sayad", "sayad_id"),
        # A Sayad ID is unique per bank among the cheques not in the recycle bin.
        Index("uq_finance_cheque_bank_sayad", "bank_id", "sayad_id", unique=True,
              sqlite_where="deleted_at IS NULL AND sayad_id IS NOT NULL",
              postgresql_where="deleted_at IS NULL AND sayad_id IS NOT NULL"),
        # The due-date calendar and the cash-in per week read a range of due dates.
        Index("ix_finance_cheque_due", "due_date", "id"),
        Index("ix_finance_cheque_partner", "partner_id", "due_date"),
        # The due-date calendar (issue 12): a month's live cheques by day, then by id, with what
        # its sums and names read (and whether it is in the recycle bin) — one index range, no visit
        # to the table, the day's first few already in the window's order.
        Index("ix_finance_cheque_calendar", "due_date", "id", "state", "amount", "partner_id", "deleted_at"),
    )
    partner_id: Mapped[int] = mapped_column(BigId, ForeignKey("base_partner.id"))
    # The invoice it pays, if one: its owner is told when the cheque bounces.
    invoice_id: Mapped[int | None] = mapped_column(BigId, ForeignKey("finance_invoice.id"), index=True)
    amount: Mapped[int] = mapped_column(BigInteger)
    number: Mapped[str] = mapped_column(String(30))
    sayad_id: Mapped[str | None] = mapped_column(String(16))
    bank_id: Mapped[int] = mapped_column(BigId, ForeignKey("finance_bank.id"))
    branch: Mapped[str | None] = mapped_column(String(120))
    drawn_on: Mapped[str] = mapped_column(String(12), default="current", server_default="current")
    account_number: Mapped[str | None] = mapped_column(String(30))
    due_date: Mapped[dt.date]
    received_on: Mapped[dt.date]
    issuer: Mapped[str] = mapped_column(String(200))
    issuer_national_id: Mapped[str | None] = mapped_column(String(11))
    state: Mapped[str] = mapped_column(String(12), default="received", server_default="received", index=True)
    # Moves by one with every change of state: a change asked for on an older page is refused.
    revision: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    state_on: Mapped[dt.date | None]  # the day of the latest change of state
    endorsed_to_id: Mapped[int | None] = mapped_column(BigId, ForeignKey("base_partner.id"), index=True)
    deposit_account_id: Mapped[int | None] = mapped_column(BigId, ForeignKey("finance_bank_account.id"), index=True)
    notes: Mapped[str | None] = mapped_column(Text)
    search_key: Mapped[str] = mapped_column(String(600), default="")

    def before_save(self) -> None:
        from modules.finance.banking_codes import compact

        # Stored as typed digits without the spaces and dashes people group them with.
        self.number = compact(self.number) if self.number else self.number
        self.sayad_id = compact(self.sayad_id) if self.sayad_id else None
        self.issuer_national_id = compact(self.issuer_national_id) if self.issuer_national_id else None


class ChequeEvent(Base):
    """One change of a cheque's state: when (the day it happened and the moment it was written),
    who, from which state to which, and the note. Seen on the cheque's page, as far as the
    cheque is; never edited."""

    __tablename__ = "finance_cheque_event"
    __table_args__ = (Index("ix_finance_cheque_event_cheque", "cheque_id", "id"),)
    id: Mapped[IdPK]
    cheque_id: Mapped[int] = mapped_column(BigId, ForeignKey("finance_cheque.id", ondelete="CASCADE"))
    at: Mapped[dt.datetime] = mapped_column(default=utcnow)  # UTC
    on: Mapped[dt.date]
    user_id: Mapped[int | None] = mapped_column(BigId, ForeignKey("kernel_user.id", ondelete="RESTRICT"))
    from_state: Mapped[str | None] = mapped_column(String(12))
    to_state: Mapped[str] = mapped_column(String(12))
    note: Mapped[str | None] = mapped_column(Text)
    endorsed_to_id: Mapped[int | None] = mapped_column(BigId, ForeignKey("base_partner.id"))
    account_id: Mapped[int | None] = mapped_column(BigId, ForeignKey("finance_bank_account.id"))
