"""Each customer's standing, kept as the history changes (FIN-12): the open balance and the
counts of the payment-behaviour score, with the score and its band, one row per customer.

Kept in the transaction of every change by :mod:`modules.finance.standing` (invoices, plan rows,
cheques' history), so the customers list reads a page of rows in index order — by balance or by
score, within a band or not — instead of aggregating a million customers' documents.

No foreign key to the partner, as ``finance_customer_total``: base's merge moves the documents,
plan rows and cheques, whose partner change the keeping sees like any other change.
"""

from __future__ import annotations

from sqlalchemy import BigInteger, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from kernel import Base, BigId

# Kept by increments (two transactions adding to one customer each add theirs).
COUNTED = ("balance", "invoices", "on_time", "late", "late_days", "bounced", "legal", "returned")


def _count() -> Mapped[int]:
    return mapped_column(Integer, default=0, server_default="0")


class CustomerStanding(Base):
    __tablename__ = "finance_customer_standing"
    __table_args__ = (
        # The customers list's orders, each walked from the last row shown (a keyset cursor).
        Index("ix_finance_customer_standing_balance", "balance", "partner_id"),
        Index("ix_finance_customer_standing_score", "score", "partner_id"),
        Index("ix_finance_customer_standing_band_balance", "band", "balance", "partner_id"),
        Index("ix_finance_customer_standing_band_score", "band", "score", "partner_id"),
    )

    partner_id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=False)
    # What the customer's issued invoices still owe (their ``balance``), and how many there are.
    balance: Mapped[int] = mapped_column(BigInteger, default=0, server_default="0")
    invoices: Mapped[int] = _count()
    # Plan rows (the cash part and the instalments) paid on time, paid late and by how many days.
    on_time: Mapped[int] = _count()
    late: Mapped[int] = _count()
    late_days: Mapped[int] = _count()
    # Unpaid plan rows of issued invoices past their due date, as of ``overdue_on``.
    overdue: Mapped[int] = _count()
    # Cheques that bounced, went to legal follow-up, were given back unpaid after bouncing.
    bounced: Mapped[int] = _count()
    legal: Mapped[int] = _count()
    returned: Mapped[int] = _count()
    # modules.finance.score of the counts: 0–100, −1 without history; its band's code.
    score: Mapped[int] = mapped_column(Integer, default=-1, server_default="-1")
    band: Mapped[str] = mapped_column(String(8), default="none", server_default="none")
