"""Sales policies (FIN-03): discounts by percentage, by amount, stepped by quantity, for a
period, for one customer or a customer group, and for loyal customers (by the number or the
Rial total of their earlier invoices). :mod:`modules.finance.services.policies` evaluates them.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import BigInteger, Boolean, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from kernel import Base, BigId, Record
from modules.finance.models.scaled import PERCENT, QUANTITY

POLICY_KINDS = (("percent", "Percentage discount"), ("amount", "Amount off each unit"),
                ("stepped", "Stepped by quantity"))


class SalesPolicy(Record, Base):
    __tablename__ = "finance_sales_policy"
    __scope_follows__ = ("partner_id",)
    name: Mapped[str] = mapped_column(String(120))
    kind: Mapped[str] = mapped_column(String(10), default="percent", server_default="percent")
    percent: Mapped[Decimal | None] = mapped_column(PERCENT)
    amount: Mapped[int | None] = mapped_column(BigInteger)
    # Periodic: valid between these days (either may be open).
    valid_from: Mapped[dt.date | None]
    valid_to: Mapped[dt.date | None]
    # Whom it is for: one customer, a customer group (with subgroups), or everyone.
    partner_id: Mapped[int | None] = mapped_column(BigId, ForeignKey("base_partner.id"), index=True)
    group_id: Mapped[int | None] = mapped_column(BigId, ForeignKey("base_group.id"), index=True)
    # What it is for: one product, a product group (with subgroups), or everything.
    product_id: Mapped[int | None] = mapped_column(BigId, ForeignKey("finance_product.id"), index=True)
    product_group_id: Mapped[int | None] = mapped_column(BigId, ForeignKey("finance_product_group.id"))
    # Loyal customers: at least this many earlier invoices, or at least this Rial total.
    min_invoices: Mapped[int | None] = mapped_column(Integer)
    min_invoice_total: Mapped[int | None] = mapped_column(BigInteger)
    active: Mapped[bool] = mapped_column(Boolean, default=True, server_default="1")
    notes: Mapped[str | None] = mapped_column(Text)
    search_key: Mapped[str] = mapped_column(String(400), default="")


class PolicyStep(Record, Base):
    """A step of a stepped policy: more than ``above_quantity`` units → ``percent`` off."""

    __tablename__ = "finance_policy_step"
    __scope_follows__ = ("policy_id",)
    policy_id: Mapped[int] = mapped_column(BigId, ForeignKey("finance_sales_policy.id"), index=True)
    above_quantity: Mapped[Decimal] = mapped_column(QUANTITY)
    percent: Mapped[Decimal] = mapped_column(PERCENT)
