"""The totals of a proforma or an invoice: one rounding rule, pure functions, integer Rials.

The rule, applied in this order (docs/finance.md, "Proformas and invoices", has a worked example):

1. **Line gross** = quantity × unit price, rounded half-up to a whole Rial.
2. **Line discount**: a percentage of the gross (rounded half-up) or a Rial amount; it may not
   exceed the gross.  Line net = gross − line discount.
3. **Document discount** (a percentage of the sum of the line nets, rounded half-up, or a Rial
   amount; at most that sum) is split over the lines in proportion to their nets by the
   largest-remainder method: each line gets the floor of its exact share, and the Rials left
   over go one each to the lines with the largest remainders (ties: the earlier line), so the
   parts add up to the document discount exactly.
4. **Taxes** per line, on its taxable amount (net − its share of the document discount):
   VAT and municipal tax, each rounded half-up; a tax-exempt line pays none.
5. **Shipping** is added after tax and is not taxed: in Iranian practice the carrier's charge
   passed on to the buyer is shown below the taxed total. A company that sells transport as its
   own service puts it on a line instead, where it is taxed like any other service.
6. **Grand total** = Σ taxable + Σ VAT + Σ municipal tax + shipping.

Everything is an ``int`` of Rials; quantities and percentages are ``Decimal`` (2.5 metres,
12.5 %), tax rates integer basis points (900 = 9 %).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from kernel import InputError

PERCENT = "percent"
RIAL = "rial"
DISCOUNT_KINDS = ((PERCENT, "%"), (RIAL, "Rials"))
BASIS = 10_000  # basis points in a whole


def round_half_up(value: Decimal) -> int:
    """A whole Rial, halves away from zero (2.5 → 3): the one rounding of every amount here."""
    return int(value.quantize(Decimal(1), rounding=ROUND_HALF_UP))


@dataclass(frozen=True)
class LineInput:
    """What a line says: quantity, unit price in Rials, its discount and whether it is taxed."""

    quantity: Decimal
    unit_price: int
    discount_kind: str = PERCENT
    discount_value: Decimal = Decimal(0)
    tax_exempt: bool = False


@dataclass(frozen=True)
class LineTotals:
    gross: int
    discount: int
    net: int
    document_discount: int  # this line's share of the document discount
    taxable: int
    vat: int
    municipal: int
    total: int  # taxable + its taxes


@dataclass(frozen=True)
class DocumentTotals:
    lines: tuple[LineTotals, ...]
    gross: int  # Σ line gross
    line_discounts: int  # Σ line discounts
    net: int  # Σ line nets, before the document discount
    document_discount: int
    taxable: int  # Σ taxable = net − document discount
    vat: int
    municipal: int
    shipping: int
    grand_total: int


def discount_amount(base: int, kind: str, value: Decimal, field: str = "discount_value") -> int:
    """A discount typed as a plain number with a %/Rial switch (FAQ 57), in Rials; refused when
    negative, a percentage over 100, or more than ``base``."""
    if value is None or value == 0:
        return 0
    if value < 0:
        raise InputError("A discount cannot be negative")
    if kind == PERCENT:
        if value > 100:
            raise InputError("A percentage discount is at most 100")
        amount = round_half_up(Decimal(base) * value / 100)
    elif kind == RIAL:
        if value != value.to_integral_value():
            raise InputError("A discount in Rials is a whole number")
        amount = int(value)
    else:
        raise InputError("Choose one of the listed values")
    if amount > base:
        raise InputError("The discount is more than the amount it is taken from")
    return amount


def line_gross(quantity: Decimal, unit_price: int) -> int:
    if quantity < 0:
        raise InputError("The quantity cannot be negative")
    if unit_price < 0:
        raise InputError("The price cannot be negative")
    return round_half_up(quantity * unit_price)


def split(total: int, weights: Sequence[int]) -> list[int]:
    """``total`` split over ``weights`` in proportion, by the largest-remainder method: the parts
    are whole, never negative, differ from the exact shares by less than one Rial, and add up to
    ``total`` exactly. With no weight at all (every line free) nothing can carry it: all zero."""
    whole = sum(weights)
    if total == 0 or whole == 0:
        return [0] * len(weights)
    floors = [total * w // whole for w in weights]
    remainders = [total * w % whole for w in weights]
    left = total - sum(floors)
    # Largest remainder first; among equals the earlier line, so the split is reproducible.
    for i in sorted(range(len(weights)), key=lambda i: (-remainders[i], i))[:left]:
        floors[i] += 1
    return floors


def tax(amount: int, rate_bp: int) -> int:
    return round_half_up(Decimal(amount) * rate_bp / BASIS)


def compute(lines: Sequence[LineInput], *, discount_kind: str = PERCENT, discount_value: Decimal = Decimal(0),
            vat_bp: int = 0, municipal_bp: int = 0, shipping: int = 0) -> DocumentTotals:
    """Every amount of a document from its lines and header; ``InputError`` for what cannot be
    (a discount above its base, a negative quantity, price or shipping)."""
    if shipping < 0:
        raise InputError("The shipping cost cannot be negative")
    if vat_bp < 0 or municipal_bp < 0:
        raise InputError("A tax rate cannot be negative")
    grosses = [line_gross(li.quantity, li.unit_price) for li in lines]
    discounts = [discount_amount(g, li.discount_kind, li.discount_value) for g, li in zip(grosses, lines, strict=True)]
    nets = [g - d for g, d in zip(grosses, discounts, strict=True)]
    net = sum(nets)
    doc_discount = discount_amount(net, discount_kind, discount_value)
    shares = split(doc_discount, nets)
    out: list[LineTotals] = []
    for li, g, d, n, s in zip(lines, grosses, discounts, nets, shares, strict=True):
        taxable = n - s
        vat = 0 if li.tax_exempt else tax(taxable, vat_bp)
        municipal = 0 if li.tax_exempt else tax(taxable, municipal_bp)
        out.append(LineTotals(g, d, n, s, taxable, vat, municipal, taxable + vat + municipal))
    taxable = net - doc_discount
    vat = sum(lt.vat for lt in out)
    municipal = sum(lt.municipal for lt in out)
    return DocumentTotals(
        lines=tuple(out), gross=sum(grosses), line_discounts=sum(discounts), net=net,
        document_discount=doc_discount, taxable=taxable, vat=vat, municipal=municipal, shipping=shipping,
        grand_total=taxable + vat + municipal + shipping,
    )
