"""Commissions of marketers and agencies (FIN-13, FAQ 34).

* :class:`Agent` puts a partner into the tree of sales agents: its parent agent and the parent's
  share of this agent's commissions (a sub-agent's sales give its parent a share, and that
  parent's parent a share of the parent's, and so on).
* :class:`Commission` is one amount one agent earns from one invoice line, at one level (0: the
  agent's own sale, 1: a sub-agent's, 2: a sub-sub-agent's …). Rows are only ever added: a void or
  an edit of an issued invoice adds a reversal (the negative of the row it cancels) and, for an
  edit, the new amount, so a period already paid never changes under anyone's feet.
* :class:`CommissionPayment` is one payment (a date and a reference) that settles a set of rows.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import BigInteger, Boolean, ForeignKey, Index, Integer, String, text
from sqlalchemy.orm import Mapped, mapped_column

from kernel import Base, BigId, Record
from modules.finance.models.scaled import PERCENT

COMMISSION_KINDS = (("marketer", "Marketer"), ("agency", "Agency"))
# The walk up the tree stops here even if the data were to say otherwise (the form refuses loops).
MAX_LEVELS = 10

_LIVE = text("deleted_at IS NULL")


class Agent(Record, Base):
    __tablename__ = "finance_agent"
    # As visible as its partner.
    __scope_follows__ = ("partner_id",)
    __table_args__ = (
        # One place in the tree per partner (among agents not in the recycle bin).
        Index("ux_finance_agent_partner_live", "partner_id", unique=True, sqlite_where=_LIVE, postgresql_where=_LIVE),
    )
    partner_id: Mapped[int] = mapped_column(BigId, ForeignKey("base_partner.id"))
    parent_id: Mapped[int | None] = mapped_column(BigId, ForeignKey("finance_agent.id"), index=True)
    # The parent's share of what this agent earns, in percent kept as basis points (10 % → 1000).
    parent_share: Mapped[Decimal | None] = mapped_column(PERCENT)
    # The agent's own user account, if it has one: given the "own records" scope, that user sees
    # the commissions it earns (kept on each commission row as ``agent_user_id``).
    user_id: Mapped[int | None] = mapped_column(BigId, ForeignKey("kernel_user.id"), index=True)
    note: Mapped[str | None] = mapped_column(String(300))


class CommissionPayment(Record, Base):
    __tablename__ = "finance_commission_payment"
    paid_on: Mapped[dt.date] = mapped_column(index=True)
    reference: Mapped[str] = mapped_column(String(100))
    amount: Mapped[int] = mapped_column(BigInteger, default=0)  # Rials: the sum of its rows
    note: Mapped[str | None] = mapped_column(String(300))


class Commission(Record, Base):
    __tablename__ = "finance_commission"
    # As visible as its invoice (a clerk sees the commissions of the invoices they see) — and the
    # agent's own rows stay the agent's (owner columns), the invoice shown as "—" if out of reach.
    __scope_follows__ = ("invoice_id",)
    __owner_columns__ = ("owner_id", "agent_user_id")
    __scope_spares_mine__ = True
    __table_args__ = (
        # The period report and the payment page: an agent's rows by day.
        Index("ix_finance_commission_agent_date", "agent_id", "date", "id"),
        Index("ix_finance_commission_invoice", "invoice_id", "id"),
        Index("ix_finance_commission_unpaid", "agent_id", "id",
              sqlite_where=text("payment_id IS NULL AND deleted_at IS NULL"),
              postgresql_where=text("payment_id IS NULL AND deleted_at IS NULL")),
    )
    invoice_id: Mapped[int] = mapped_column(BigId, ForeignKey("finance_invoice.id"))
    # No foreign key: an edit may remove the line, and its rows (and their reversals) stay.
    invoice_line_id: Mapped[int | None] = mapped_column(BigInteger)
    # Who earns it, and whose sale it comes from (the invoice's marketer or agency).
    agent_id: Mapped[int] = mapped_column(BigId, ForeignKey("base_partner.id"))
    seller_id: Mapped[int] = mapped_column(BigId, ForeignKey("base_partner.id"), index=True)
    kind: Mapped[str] = mapped_column(String(10))
    level: Mapped[int] = mapped_column(Integer, default=0)
    # The amount the rate applies to (level 0: the line's net after all discounts; above: the
    # commission one level down), the rate, and the result rounded half up. Negative on reversals.
    base: Mapped[int] = mapped_column(BigInteger)
    rate: Mapped[Decimal] = mapped_column(PERCENT)
    amount: Mapped[int] = mapped_column(BigInteger)
    # The day it counts in a period: the invoice's date, or the day of the void or edit.
    date: Mapped[dt.date] = mapped_column(index=True)
    # A reversal names the row it cancels; the cancelled row is marked ``reversed``.
    reversal_of_id: Mapped[int | None] = mapped_column(BigId, ForeignKey("finance_commission.id"))
    reversed: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")
    agent_user_id: Mapped[int | None] = mapped_column(BigId, ForeignKey("kernel_user.id"), index=True)
    payment_id: Mapped[int | None] = mapped_column(BigId, ForeignKey("finance_commission_payment.id"), index=True)
    paid_on: Mapped[dt.date | None]
