"""Sales policies (FIN-03): which discount a line gets, and the rule that gave it.

A policy applies to a line when it is active and live, valid on the day, for this customer
(or a group the customer is in, with its subgroups, or everyone), for this product (or its
product group with subgroups, or a variant's product, or everything), and — for loyal-customer
policies — when the customer's earlier invoices reach its thresholds (each threshold that is
set must be reached). The invoices are the documents' business: the caller passes the
customer's count and Rial total as :class:`CustomerHistory`.

Among the policies that apply, the one giving the **largest discount** wins (policies do not
add up); on a tie the more specific one (for the customer, then a group, then everyone), then
the newer one. Percentages are of the line's total (unit price × quantity), rounded to the
nearest Rial, halves up; an amount is taken off each unit; no discount exceeds the line total.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from modules.base.models import Partner, PartnerGroup
from modules.finance.models import PolicyStep, Product, ProductGroup, SalesPolicy
from modules.finance.models.scaled import plain
from modules.finance.services.labels import rule_text
from modules.finance.services.pricing import positive_quantity
from modules.finance.services.trees import ancestors


@dataclass(frozen=True)
class CustomerHistory:
    """The customer's earlier invoices, as the documents count them."""

    invoice_count: int = 0
    invoice_total: int = 0  # Rials


@dataclass(frozen=True)
class Discount:
    """A discount in Rials on a whole line and the policy that gave it."""

    amount: int
    percent: Decimal | None
    rule_label: str
    rule_ref: str
    rule_params: dict[str, Any] = field(default_factory=dict)

    def label(self, t: Any, lang: str) -> str:
        return rule_text(t, lang, self.rule_label, self.rule_params)


def rials(value: Decimal) -> int:
    """A Rial amount from an exact decimal: nearest Rial, halves up (the one rounding rule here)."""
    return int(value.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def _percent_of(total: Decimal, percent: Decimal) -> int:
    return rials(total * percent / 100)


def _steps(session: Session, policy_id: int, quantity: Decimal) -> PolicyStep | None:
    return session.scalars(select(PolicyStep).where(PolicyStep.policy_id == policy_id,
                                                    PolicyStep.deleted_at.is_(None),
                                                    PolicyStep.above_quantity < quantity)
                           .order_by(PolicyStep.above_quantity.desc(), PolicyStep.id.desc()).limit(1)).first()


def discount_for(session: Session, *, product_id: int, partner_id: int | None, quantity: Decimal | int | str,
                 unit_price: int, on: dt.date, history: CustomerHistory | None = None) -> Discount | None:
    """The best discount the sales policies give this line, or None."""
    qty = positive_quantity(quantity)
    history = history or CustomerHistory()
    line_total = Decimal(unit_price) * qty
    product = session.get(Product, product_id)
    products = {product_id} | ({product.parent_id} if product is not None and product.parent_id else set())
    product_groups = set(ancestors(session, ProductGroup, product.group_id if product is not None else None))
    partner = session.get(Partner, partner_id) if partner_id is not None else None
    groups = ancestors(session, PartnerGroup, partner.group_id if partner is not None else None)
    stmt = select(SalesPolicy).where(
        SalesPolicy.deleted_at.is_(None), SalesPolicy.active.is_(True),
        or_(SalesPolicy.valid_from.is_(None), SalesPolicy.valid_from <= on),
        or_(SalesPolicy.valid_to.is_(None), SalesPolicy.valid_to >= on),
        or_(SalesPolicy.partner_id.is_(None), SalesPolicy.partner_id == partner_id),
        or_(SalesPolicy.group_id.is_(None), SalesPolicy.group_id.in_(groups)),
        or_(SalesPolicy.product_id.is_(None), SalesPolicy.product_id.in_(products)),
        or_(SalesPolicy.product_group_id.is_(None), SalesPolicy.product_group_id.in_(product_groups)),
        or_(SalesPolicy.min_invoices.is_(None), SalesPolicy.min_invoices <= history.invoice_count),
        or_(SalesPolicy.min_invoice_total.is_(None), SalesPolicy.min_invoice_total <= history.invoice_total))
    best: tuple[tuple[int, ...], Discount] | None = None
    for policy in session.scalars(stmt):
        found = _evaluate(session, policy, qty, unit_price, line_total)
        if found is None or found.amount <= 0:
            continue
        specific = 0 if policy.partner_id is not None else 1 if policy.group_id is not None else 2
        key = (-found.amount, specific, -policy.id)
        if best is None or key < best[0]:
            best = (key, found)
    return best[1] if best is not None else None


def _evaluate(session: Session, policy: SalesPolicy, qty: Decimal, unit_price: int,
              line_total: Decimal) -> Discount | None:
    ref = f"finance.sales_policy:{policy.id}"
    cap = rials(line_total)
    if policy.kind == "percent" and policy.percent is not None:
        return Discount(min(cap, _percent_of(line_total, policy.percent)), policy.percent,
                        "Sales policy «{name}»: {percent}%", ref, {"name": policy.name, "percent": Decimal(plain(policy.percent))})
    if policy.kind == "amount" and policy.amount is not None:
        return Discount(min(cap, rials(Decimal(policy.amount) * qty)), None, "Sales policy «{name}»", ref,
                        {"name": policy.name})
    if policy.kind == "stepped":
        step = _steps(session, policy.id, qty)
        if step is None:
            return None
        return Discount(min(cap, _percent_of(line_total, step.percent)), step.percent,
                        "Sales policy «{name}»: {percent}% for more than {n} units", ref,
                        {"name": policy.name, "percent": Decimal(plain(step.percent)), "n": Decimal(plain(step.above_quantity))})
    return None
