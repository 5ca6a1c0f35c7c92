from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kernel.errors import InputError
from kernel.persian.money import format_money, parse_money

amounts = st.integers(min_value=-(10**15), max_value=10**15)


@pytest.mark.parametrize(
    ("rials", "unit", "lang", "text"),
    [
        (12_500_000, "rial", "fa", "۱۲٬۵۰۰٬۰۰۰ ریال"),
        (12_500_000, "toman", "fa", "۱٬۲۵۰٬۰۰۰ تومان"),
        (12_500_000, "rial", "en", "12,500,000 IRR"),
        (12_500_000, "toman", "en", "1,250,000 Toman"),
        (12_500_005, "toman", "fa", "۱٬۲۵۰٬۰۰۰٫۵ تومان"),
        (12_500_005, "toman", "en", "1,250,000.5 Toman"),
        (5, "toman", "en", "0.5 Toman"),
        (0, "rial", "fa", "۰ ریال"),
        (-2_000, "rial", "en", "-2,000 IRR"),
        (-2_005, "toman", "en", "-200.5 Toman"),
    ],
)
def test_format_money(rials, unit, lang, text):
    assert format_money(rials, unit, lang) == text


def test_format_money_without_unit():
    assert format_money(12_500_000, "toman", "fa", with_unit=False) == "۱٬۲۵۰٬۰۰۰"


@pytest.mark.parametrize("bad", [1.5, Decimal("10"), "10", True])
def test_format_money_takes_only_int(bad):
    with pytest.raises(TypeError):
        format_money(bad)


def test_format_money_unknown_unit():
    with pytest.raises(ValueError):
        format_money(10, "dollar")  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("raw", "unit", "rials"),
    [
        ("۱۲٬۵۰۰٬۰۰۰", "rial", 12_500_000),
        ("۱۲٬۵۰۰٬۰۰۰ ریال", "rial", 12_500_000),
        ("12,500,000 IRR", "rial", 12_500_000),
        ("۱٬۲۵۰٬۰۰۰", "toman", 12_500_000),
        ("1,250,000 تومان", "toman", 12_500_000),
        ("۱٬۲۵۰٬۰۰۰٫۵", "toman", 12_500_005),
        ("-۵۰۰", "rial", -500),
        ("۱۲٫۰", "rial", 12),
    ],
)
def test_parse_money(raw, unit, rials):
    assert parse_money(raw, unit) == rials


@pytest.mark.parametrize(
    ("raw", "unit", "msgid"),
    [
        ("12.5", "rial", "Enter a whole number of Rials"),
        ("12.25", "toman", "Tomans can have at most one decimal place"),
        ("۱٬۰۰۰ تومان", "rial", "This amount must be entered in Rials"),
        ("۱٬۰۰۰ ریال", "toman", "This amount must be entered in Tomans"),
        ("ده هزار", "rial", "Not a number: {value}"),
        ("", "rial", "Enter a number"),
    ],
)
def test_parse_money_refuses(raw, unit, msgid):
    with pytest.raises(InputError) as err:
        parse_money(raw, unit)
    assert err.value.msgid == msgid


def test_parse_money_refuses_floats():
    with pytest.raises(TypeError):
        parse_money(12.5)  # type: ignore[arg-type]


@given(amounts, st.sampled_from(["rial", "toman"]), st.sampled_from(["fa", "en"]))
def test_format_then_parse_is_identity(rials, unit, lang):
    assert parse_money(format_money(rials, unit, lang), unit) == rials
    assert parse_money(format_money(rials, unit, lang, with_unit=False), unit) == rials


@given(amounts)
def test_toman_is_a_tenth_of_rial(rials):
    assert parse_money(format_money(rials, "rial", "en", with_unit=False), "toman") == rials * 10


@pytest.mark.parametrize(("unit", "lang", "text"), [
    ("rial", "fa", "مبلغ از مانده فاکتور (۱۲٬۵۰۰٬۰۰۰ ریال) بیشتر است"),
    ("toman", "fa", "مبلغ از مانده فاکتور (۱٬۲۵۰٬۰۰۰ تومان) بیشتر است"),
    ("rial", "en", "The amount is more than the open balance of the invoice (12,500,000 IRR)"),
])
def test_an_amount_in_a_message_is_shown_like_every_amount(unit, lang, text):
    from kernel.i18n import Catalog
    from kernel.persian.money import Amount

    msgid = "The amount is more than the open balance of the invoice ({balance})"
    catalog = Catalog()
    catalog.add("fa", {msgid: "مبلغ از مانده فاکتور ({balance}) بیشتر است"})
    error = InputError(msgid, balance=Amount(12_500_000, unit))
    assert catalog.message(lang, error) == text
    assert "12,500,000" in str(error) or "1,250,000" in str(error)  # never "Amount(rials=…)"
