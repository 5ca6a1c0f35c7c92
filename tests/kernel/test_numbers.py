import json
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kernel.errors import InputError
from kernel.persian.numbers import format_number, parse_decimal, parse_int
from kernel.persian.textnorm import to_persian_digits

CASES = json.loads((Path(__file__).resolve().parents[1] / "data/persian_inputs.json").read_text("utf-8"))


@pytest.mark.parametrize("case", CASES["numbers"], ids=lambda c: c["raw"])
def test_shared_cases(case):
    if case["value"] is None:
        with pytest.raises(InputError) as err:
            parse_decimal(case["raw"])
        assert err.value.msgid == "Not a number: {value}"
        assert err.value.params == {"value": case["raw"]}
    else:
        assert parse_decimal(case["raw"]) == Decimal(str(case["value"]))


@pytest.mark.parametrize(
    ("raw", "value"),
    [
        ("۱۲٬۵۰۰٬۰۰۰", 12500000),
        ("١٢،٥٠٠", 12500),
        ("12 500 000", 12500000),
        ("12\u00a0500", 12500),
        ("−۵", -5),
        ("- 5", -5),
        ("+7", 7),
        ("٪۲۰", 20),
        ("20 %", 20),
        ("\u200e۱۲۳\u200f", 123),
        ("۰", 0),
        ("007", 7),
        ("۱۲٫۰", 12),
    ],
)
def test_parse_int_accepts(raw, value):
    assert parse_int(raw) == value


@pytest.mark.parametrize(
    ("raw", "value"),
    [("۱۲٫۵", "12.5"), ("1,234.56", "1234.56"), (".5", "0.5"), ("-0.25", "-0.25"), ("۳٫۱۴۱۵۹", "3.14159")],
)
def test_parse_decimal_accepts(raw, value):
    assert parse_decimal(raw) == Decimal(value)


@pytest.mark.parametrize(
    "raw",
    [
        "۱۲a۳",
        "12,5",
        "1,2345",
        "1234,567",
        "12 5",
        "1.2.3",
        "5.",
        "-",
        "%",
        "1e5",
        "NaN",
        "Infinity",
        "۱۲-",
        "--5",
        "0x10",
        "1" * 80,
        "١٢,٥",
        "۵ و ۶",
    ],
)
def test_refused(raw):
    with pytest.raises(InputError) as err:
        parse_decimal(raw)
    assert err.value.msgid == "Not a number: {value}"


def test_empty_asks_for_a_number():
    with pytest.raises(InputError) as err:
        parse_int("  ")
    assert err.value.msgid == "Enter a number"


def test_parse_int_refuses_fractions():
    with pytest.raises(InputError) as err:
        parse_int("۱۲.۵")
    assert err.value.msgid == "Enter a whole number"


def test_other_scripts_digits_are_not_numbers():
    # Python's int() would take Devanagari digits; a CRM field should not.
    with pytest.raises(InputError):
        parse_int("१२")


@pytest.mark.parametrize(
    ("value", "lang", "text"),
    [
        (12500000, "fa", "۱۲٬۵۰۰٬۰۰۰"),
        (12500000, "en", "12,500,000"),
        (-1234, "fa", "-۱٬۲۳۴"),
        (Decimal("1234.5"), "fa", "۱٬۲۳۴٫۵"),
        (Decimal("1E+3"), "en", "1,000"),
        (0, "fa", "۰"),
    ],
)
def test_format_number(value, lang, text):
    assert format_number(value, lang) == text


def test_format_number_without_grouping_and_bad_types():
    assert format_number(1404, "fa", grouping=False) == "۱۴۰۴"
    with pytest.raises(TypeError):
        format_number(1.5)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        format_number(True)  # type: ignore[arg-type]


big = st.integers(min_value=-(2**63 - 1), max_value=2**63 - 1)


@given(st.integers(min_value=2**63, max_value=10**30))
def test_parse_int_refuses_numbers_past_64_bits(n):
    # A database column holds 64 bits: a longer number is a slip, refused with a message.
    for spelling in (str(n), to_persian_digits(f"{n:,}"), f"-{n}"):
        with pytest.raises(InputError, match="too large"):
            parse_int(spelling)


@given(big)
def test_parse_int_round_trips_every_spelling(n):
    assert parse_int(str(n)) == n
    assert parse_int(to_persian_digits(str(n))) == n
    assert parse_int(f"{n:,}") == n
    assert parse_int(format_number(n, "fa")) == n
    assert parse_int(format_number(n, "en")) == n


@given(st.decimals(allow_nan=False, allow_infinity=False, min_value=-(10**12), max_value=10**12, places=4))
def test_parse_decimal_round_trips_formatted(d):
    assert parse_decimal(format_number(d, "fa")) == d
    assert parse_decimal(format_number(d, "en", grouping=False)) == d


@given(st.text(max_size=20))
def test_parse_decimal_only_raises_input_error(s):
    try:
        parse_decimal(s)
    except InputError:
        pass
