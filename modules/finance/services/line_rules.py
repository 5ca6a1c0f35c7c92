"""The price and discount a document line gets from the catalogue's rules (FIN-02, FIN-03), and
who may type others.

A new line takes its unit price from :func:`pricing.price_for` (price lists, quantity tiers,
the product's base price) and its discount from :func:`policies.discount_for` (sales policies,
with the customer's earlier invoices counted here). The line keeps the rules' names
(``price_rule``, ``discount_rule``) in the document's language, so it shows "Price list
«عمده‌فروشان», more than 10 units" long after the list changed.

A price or a discount that differs from what the rules give is an **override**: it needs the
permission ``finance.price.override`` (refused with a Persian message on the field otherwise)
and is marked ``*_by_hand``, so a later change of quantity keeps it. A line discount typed where
no policy applies is the clerk's ordinary line discount (FAQ 43), allowed to everyone who may
edit the document; it is marked by hand too.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from typing import Any

from sqlalchemy import bindparam, func, select
from sqlalchemy.orm import Session

from kernel import Actor, InputError, NotFound
from modules.finance.models import Invoice, Product
from modules.finance.services.policies import CustomerHistory, Discount, PolicyBook, policy_book
from modules.finance.services.pricing import Audience, PriceBook, Quote, audience, price_book
from modules.finance.totals import PERCENT, RIAL, discount_amount, line_gross

OVERRIDE = "finance.price.override"
LANG = "fa"  # documents are written in Persian; the rule's name is kept as it was shown


def customer_history(session: Session, partner_id: int | None, exclude_invoice: int | None = None) -> CustomerHistory:
    """How many invoices the customer was issued and their Rial total: one indexed aggregate
    (ix_finance_invoice_partner_date) over the live, issued ones (void ones do not count)."""
    if partner_id is None:
        return CustomerHistory()
    # 0: no invoice is left out (ids start at 1).
    count, total = session.execute(_history(), {"partner": partner_id, "exclude": exclude_invoice or 0}).one()
    return CustomerHistory(int(count or 0), int(total or 0))


@cache
def _history() -> Any:
    """Built once (every write of lines asks)."""
    return select(func.count(Invoice.id), func.coalesce(func.sum(Invoice.grand_total), 0)).where(
        Invoice.partner_id == bindparam("partner"), Invoice.state == "issued", Invoice.deleted_at.is_(None),
        Invoice.id != bindparam("exclude"))


@dataclass(frozen=True)
class Rules:
    """What the rules give one line: its price with the rule's name, and its policy discount."""

    quote: Quote
    discount: Discount | None
    price_label: str
    discount_label: str | None

    @property
    def discount_kind(self) -> str:
        return RIAL if self.discount is not None and self.discount.percent is None else PERCENT

    @property
    def discount_value(self) -> Decimal:
        if self.discount is None:
            return Decimal(0)
        return Decimal(self.discount.percent) if self.discount.percent is not None else Decimal(self.discount.amount)


def _truncate(text: str) -> str:
    return text if len(text) <= 120 else text[:119] + "…"


def document_history(session: Session, doc: Any) -> CustomerHistory:
    """The customer's history a line of ``doc`` is judged on (an invoice does not count itself)."""
    return customer_history(session, doc.partner_id, doc.id if isinstance(doc, Invoice) else None)


@dataclass
class DocumentRules:
    """What the rules read for a document's lines, once for all of them (issue 11: four reads per
    line before): the customer's groups and roles, the price lists and tiers, the sales policies
    and their steps for the products the lines name (with the customer's history, read when a
    loyal-customer policy is among them)."""

    who: Audience
    prices: PriceBook
    policies: PolicyBook


def document_rules(session: Session, doc: Any, products: Mapping[int, Product | None],
                   history: CustomerHistory | None = None) -> DocumentRules:
    """The rules of ``doc``'s customer and day for ``products`` (id → product)."""
    who = audience(session, doc.partner_id)
    known = (lambda: document_history(session, doc)) if history is None else history
    return DocumentRules(who, price_book(session, products, who, doc.date),
                         policy_book(session, products, doc.partner_id, who.groups, doc.date, known))


def price_rules(kernel: Any, session: Session, doc: Any, product_id: int, quantity: Decimal,
                unit_price: int | None = None, history: CustomerHistory | None = None,
                book: DocumentRules | None = None) -> Rules:
    """The rules' price for the line, and the policy discount on ``unit_price`` (the rules' own
    price when None) for the document's customer on the document's date. ``book``: the
    document's :func:`document_rules` when the caller writes several lines (read once); without
    it (or for a product it was not read for) they are read for this line."""
    product = session.get(Product, product_id)  # the caller's, from the identity map, when it has one
    if product is None:
        raise NotFound("Not found")
    if book is None or product_id not in book.prices.products:
        book = document_rules(session, doc, {product_id: product}, history)
    quote = book.prices.quote(product, quantity)
    price = quote.unit_price if unit_price is None else unit_price
    discount = book.policies.discount(product_id, quantity, price)
    return Rules(quote, discount, _truncate(quote.label(kernel.t, LANG)),
                 _truncate(discount.label(kernel.t, LANG)) if discount is not None else None)


def same_discount(quantity: Decimal, price: int, a: tuple[str, Decimal], b: tuple[str, Decimal]) -> bool:
    """Do two discounts (kind, value) take the same Rials off this line?"""
    gross = line_gross(quantity, price)
    try:
        return discount_amount(gross, a[0], a[1]) == discount_amount(gross, b[0], b[1])
    except InputError:
        return False


def check_override(actor: Actor, field: str, rule: str | None) -> None:
    """Refuse, without ``finance.price.override``, a price or discount other than the rules'. The
    message names the rule that set it (``rule``: the line's ``price_label`` or
    ``discount_label``: a price list, the base price, a quantity tier, a sales policy)."""
    if not actor.can(OVERRIDE):
        msgid = ("The price comes from {rule}: changing it needs the permission to override prices"
                 if field == "unit_price" else
                 "The discount comes from {rule}: changing it needs the permission to override prices")
        from kernel.records import FormErrors

        raise FormErrors({field: InputError(msgid, rule=rule or "")})
