"""The one rounding rule of documents (modules/finance/totals.py): worked examples, and properties
that hold for any lines hypothesis can think of."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kernel import InputError
from modules.finance.totals import PERCENT, RIAL, LineInput, compute, discount_amount, round_half_up, split

D = Decimal


def test_the_worked_example_of_the_docs() -> None:
    """docs/finance.md: three lines, a % discount, a Rial discount, an exempt service, a Rial
    document discount that does not divide evenly, VAT 10 % and shipping."""
    t = compute([
        LineInput(D(2), 12_500_000, PERCENT, D(10)),
        LineInput(D("2.5"), 1_234_567, RIAL, D(86_418)),
        LineInput(D(1), 1_500_000, tax_exempt=True),
    ], discount_kind=RIAL, discount_value=D(1_000_000), vat_bp=1000, shipping=500_000)
    assert [lt.gross for lt in t.lines] == [25_000_000, 3_086_418, 1_500_000]  # 3,086,417.5 → up
    assert [lt.net for lt in t.lines] == [22_500_000, 3_000_000, 1_500_000]
    # 833,333.33 / 111,111.11 / 55,555.56: the Rial left over goes to the largest remainder.
    assert [lt.document_discount for lt in t.lines] == [833_333, 111_111, 55_556]
    assert [lt.taxable for lt in t.lines] == [21_666_667, 2_888_889, 1_444_444]
    assert [lt.vat for lt in t.lines] == [2_166_667, 288_889, 0]
    assert (t.net, t.document_discount, t.taxable, t.vat, t.shipping) == (27_000_000, 1_000_000, 26_000_000,
                                                                          2_455_556, 500_000)
    assert t.grand_total == 28_955_556


def test_percent_document_discount_and_municipal_tax() -> None:
    t = compute([LineInput(D(3), 1_000_000), LineInput(D(1), 1)], discount_kind=PERCENT,
                discount_value=D("12.5"), vat_bp=600, municipal_bp=300)
    assert t.document_discount == 375_000  # 12.5 % of 3,000,001 = 375,000.125
    assert sum(lt.document_discount for lt in t.lines) == 375_000
    assert t.vat == sum(lt.vat for lt in t.lines) and t.municipal == sum(lt.municipal for lt in t.lines)
    assert t.grand_total == t.taxable + t.vat + t.municipal


def test_half_a_rial_rounds_up_and_shares_are_reproducible() -> None:
    assert round_half_up(D("2.5")) == 3 and round_half_up(D("2.4999")) == 2 and round_half_up(D("-2.5")) == -3
    assert split(2, [1, 1, 1]) == [1, 1, 0]  # equal remainders: the earlier lines
    assert split(10, [0, 0]) == [0, 0]


@pytest.mark.parametrize(("kind", "value", "message"), [
    (PERCENT, D(101), "A percentage discount is at most 100"),
    (RIAL, D(1_001), "The discount is more than the amount it is taken from"),
    (RIAL, D("-1"), "A discount cannot be negative"),
    (RIAL, D("10.5"), "A discount in Rials is a whole number"),
])
def test_a_discount_above_its_base_is_refused(kind: str, value: Decimal, message: str) -> None:
    with pytest.raises(InputError) as err:
        discount_amount(1_000, kind, value)
    assert err.value.msgid == message


def test_negative_quantity_and_shipping_are_refused() -> None:
    with pytest.raises(InputError, match="quantity"):
        compute([LineInput(D(-1), 10)])
    with pytest.raises(InputError, match="shipping"):
        compute([LineInput(D(1), 10)], shipping=-5)


@st.composite
def a_line(draw: st.DrawFn) -> LineInput:
    quantity = draw(st.decimals(min_value=0, max_value=10_000, places=3, allow_nan=False, allow_infinity=False))
    price = draw(st.integers(min_value=0, max_value=10**10))
    kind = draw(st.sampled_from([PERCENT, RIAL]))
    if kind == PERCENT:
        value = draw(st.decimals(min_value=0, max_value=100, places=2, allow_nan=False, allow_infinity=False))
    else:  # a Rial discount up to the line's gross
        value = Decimal(draw(st.integers(0, round_half_up(quantity * price))))
    return LineInput(quantity, price, kind, value, draw(st.booleans()))


lines_st = st.lists(a_line(), min_size=0, max_size=12)


@settings(max_examples=300, deadline=None)
@given(lines=lines_st, doc_pct=st.decimals(min_value=0, max_value=100, places=2, allow_nan=False,
                                           allow_infinity=False),
       vat=st.integers(0, 3000), municipal=st.integers(0, 1000), shipping=st.integers(0, 10**9))
def test_parts_add_up_nothing_is_negative_and_exempt_lines_pay_no_tax(
        lines: list[LineInput], doc_pct: Decimal, vat: int, municipal: int, shipping: int) -> None:
    t = compute(lines, discount_kind=PERCENT, discount_value=doc_pct, vat_bp=vat, municipal_bp=municipal,
                shipping=shipping)
    assert sum(lt.document_discount for lt in t.lines) == t.document_discount
    assert t.taxable == sum(lt.taxable for lt in t.lines) == t.net - t.document_discount
    assert t.net == t.gross - t.line_discounts
    assert t.grand_total == sum(lt.total for lt in t.lines) + shipping
    for li, lt in zip(lines, t.lines, strict=True):
        assert min(lt.gross, lt.discount, lt.net, lt.document_discount, lt.taxable, lt.vat, lt.municipal) >= 0
        assert lt.document_discount <= lt.net
        if li.tax_exempt:
            assert lt.vat == lt.municipal == 0
    for amount in (t.gross, t.net, t.vat, t.municipal, t.grand_total):
        assert isinstance(amount, int) and amount >= 0


@settings(max_examples=300, deadline=None)
@given(total=st.integers(0, 10**12), weights=st.lists(st.integers(0, 10**11), min_size=1, max_size=20))
def test_largest_remainder_split_is_exact_and_close_to_the_exact_shares(total: int, weights: list[int]) -> None:
    parts = split(total, weights)
    whole = sum(weights)
    if whole == 0:
        assert parts == [0] * len(weights)
        return
    assert sum(parts) == total
    for p, w in zip(parts, weights, strict=True):
        exact = Decimal(total) * w / whole
        assert p >= 0 and abs(p - exact) < 1
