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
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from functools import cache
from typing import Any

from sqlalchemy import bindparam, or_, select
from sqlalchemy.orm import Session

from modules.base.models import Partner, PartnerGroup
from modules.finance.models import PolicyStep, Product, ProductGroup, SalesPolicy
from modules.finance.models.scaled import plain
from modules.finance.services.labels import rule_text
from modules.finance.services.pricing import best_tier, positive_quantity
from modules.finance.services.trees import ancestors, ancestors_of


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


@dataclass
class PolicyBook:
    """The sales policies that may apply to a document's lines (its customer, day and history,
    any of its products), with their steps: read once for all the lines, then judged per line."""

    policies: list[SalesPolicy] = field(default_factory=list)
    steps: dict[int, list[PolicyStep]] = field(default_factory=dict)
    products: dict[int, set[int]] = field(default_factory=dict)  # product → itself and its parent
    product_groups: dict[int, set[int]] = field(default_factory=dict)  # product → its groups and those above

    def discount(self, product_id: int, quantity: Decimal | int | str, unit_price: int) -> Discount | None:
        """The best discount for a line of ``product_id`` (one the book was read for), or None."""
        qty = positive_quantity(quantity)
        line_total = Decimal(unit_price) * qty
        products, groups = self.products.get(product_id, {product_id}), self.product_groups.get(product_id, set())
        best: tuple[tuple[int, ...], Discount] | None = None
        for policy in self.policies:
            if (policy.product_id is not None and policy.product_id not in products) or \
                    (policy.product_group_id is not None and policy.product_group_id not in groups):
                continue
            found = _evaluate(policy, self.steps.get(policy.id, []), qty, unit_price, line_total)
            if found is None or found.amount <= 0:
                continue
            specific = 0 if policy.partner_id is not None else 1 if policy.group_id is not None else 2
            key = (-found.amount, specific, -policy.id)
            if best is None or key < best[0]:
                best = (key, found)
        return best[1] if best is not None else None


@cache
def _policies() -> Any:
    """Built once: building it costs more CPU than running it."""
    on: Any = bindparam("on")
    return select(SalesPolicy).where(
        SalesPolicy.deleted_at.is_(None), SalesPolicy.active.is_(True),
        or_(SalesPolicy.valid_from.is_(None), SalesPolicy.valid_from <= on),
        or_(SalesPolicy.valid_to.is_(None), SalesPolicy.valid_to >= on),
        # "= NULL" is never true: a document without a customer gets the policies for everyone.
        or_(SalesPolicy.partner_id.is_(None), SalesPolicy.partner_id == bindparam("partner")),
        or_(SalesPolicy.group_id.is_(None), SalesPolicy.group_id.in_(bindparam("groups", expanding=True))),
        or_(SalesPolicy.product_id.is_(None), SalesPolicy.product_id.in_(bindparam("products", expanding=True))),
        or_(SalesPolicy.product_group_id.is_(None),
            SalesPolicy.product_group_id.in_(bindparam("product_groups", expanding=True))))


def _earned(policy: SalesPolicy, history: CustomerHistory) -> bool:
    """A loyal-customer policy's conditions on the customer's earlier invoices (FIN-03)."""
    return (policy.min_invoices is None or policy.min_invoices <= history.invoice_count) and \
        (policy.min_invoice_total is None or policy.min_invoice_total <= history.invoice_total)


def policy_book(session: Session, products: Mapping[int, Product | None], partner_id: int | None,
                partner_groups: Iterable[int], on: dt.date,
                history: CustomerHistory | Callable[[], CustomerHistory] | None = None) -> PolicyBook:
    """The policies for ``products`` (id → product, None when it does not exist) sold to the
    partner (in ``partner_groups``, nearest first) on ``on``: one statement for the product
    groups above the products', one for the policies, one for the steps of stepped ones.

    ``history`` may be given as a function: the customer's earlier invoices are then read only
    when a loyal-customer policy is among those found (most days none is: a statement saved on
    every save of lines)."""
    book = PolicyBook()
    for pid, product in products.items():
        book.products[pid] = {pid} | ({product.parent_id} if product is not None and product.parent_id else set())
    trees = ancestors_of(session, ProductGroup, [p.group_id for p in products.values() if p is not None])
    for pid, product in products.items():
        book.product_groups[pid] = set(trees.get(product.group_id, [])) if product is not None and \
            product.group_id is not None else set()
    if not products:
        return book
    every_product = set().union(*book.products.values())
    every_group = set().union(*book.product_groups.values())
    groups = list(partner_groups)
    book.policies = list(session.scalars(_policies(), {
        "on": on, "partner": partner_id, "groups": groups, "products": list(every_product),
        "product_groups": list(every_group)}))
    if any(p.min_invoices is not None or p.min_invoice_total is not None for p in book.policies):
        known = history() if callable(history) else history or CustomerHistory()
        book.policies = [p for p in book.policies if _earned(p, known)]
    stepped = [p.id for p in book.policies if p.kind == "stepped"]
    if stepped:
        for step in session.scalars(select(PolicyStep).where(PolicyStep.policy_id.in_(stepped),
                                                             PolicyStep.deleted_at.is_(None))):
            book.steps.setdefault(step.policy_id, []).append(step)
    return book


def discount_for(session: Session, *, product_id: int, partner_id: int | None, quantity: Decimal | int | str,
                 unit_price: int, on: dt.date, history: CustomerHistory | None = None) -> Discount | None:
    """The best discount the sales policies give this line, or None."""
    qty = positive_quantity(quantity)
    partner = session.get(Partner, partner_id) if partner_id is not None else None
    groups = ancestors(session, PartnerGroup, partner.group_id if partner is not None else None)
    book = policy_book(session, {product_id: session.get(Product, product_id)}, partner_id, groups, on, history)
    return book.discount(product_id, qty, unit_price)


def _evaluate(policy: SalesPolicy, steps: list[PolicyStep], qty: Decimal, unit_price: int,
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
        step = best_tier(steps, qty)
        if step is None:
            return None
        return Discount(min(cap, _percent_of(line_total, step.percent)), step.percent,
                        "Sales policy «{name}»: {percent}% for more than {n} units", ref,
                        {"name": policy.name, "percent": Decimal(plain(step.percent)), "n": Decimal(plain(step.above_quantity))})
    return None
