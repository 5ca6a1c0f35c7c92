import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kernel.errors import InputError
from kernel.persian.phones import canonical_phone, format_phone, is_mobile
from kernel.persian.textnorm import to_persian_digits

CASES = json.loads((Path(__file__).resolve().parents[1] / "data/persian_inputs.json").read_text("utf-8"))
TWO_NUMBERS = "Enter one number per field; add a second contact row for another number"


@pytest.mark.parametrize("case", CASES["phones"], ids=lambda c: c["raw"])
def test_shared_cases(case):
    if case["canonical"] is None:
        with pytest.raises(InputError):
            canonical_phone(case["raw"])
    else:
        assert canonical_phone(case["raw"]) == case["canonical"]


def test_shared_refusals_say_why():
    with pytest.raises(InputError) as short:
        canonical_phone("0912123456")
    assert short.value.msgid == "Phone number is too short"
    with pytest.raises(InputError) as two:
        canonical_phone("09121234567 و 09351234567")
    assert two.value.msgid == TWO_NUMBERS


@pytest.mark.parametrize(
    ("raw", "canonical"),
    [
        ("(021) 8877-6655", "+982188776655"),
        ("+98 (0)21 8877 6655", "+982188776655"),
        ("0098 21 88776655", "+982188776655"),
        ("۹۱۲۱۲۳۴۵۶۷", "+989121234567"),
        ("\u200e+98 912 123 4567\u200f", "+989121234567"),
        ("0912.123.4567", "+989121234567"),
        ("\u2066۰۹۱۲ ۱۲۳ ۴۵۶۷\u2069", "+989121234567"),  # copied from a page (the phone filter)
        ("09901234567", "+989901234567"),
        ("+1 415 555 2671", "+14155552671"),
        ("00971 4 123 4567", "+97141234567"),
    ],
)
def test_more_numbers(raw, canonical):
    assert canonical_phone(raw) == canonical


def test_default_area_applies_to_local_numbers_only():
    assert canonical_phone("32221100", default_area="31") == "+983132221100"
    assert canonical_phone("32221100", default_area="031") == "+983132221100"
    assert canonical_phone("021 88776655", default_area="31") == "+982188776655"
    with pytest.raises(ValueError):
        canonical_phone("32221100", default_area="abc")


@pytest.mark.parametrize(
    ("raw", "msgid"),
    [
        ("", "Enter a phone number"),
        ("   ", "Enter a phone number"),
        ("0912", "Phone number is too short"),
        ("1234567", "Phone number is too short"),
        ("091212345678", "Phone number is too long"),
        ("+98 912 123 45678", "Phone number is too long"),
        ("0912 abc 4567", "A phone number may contain only digits, spaces, dashes and a leading +"),
        ("021-88776655 داخلی 12", "A phone number may contain only digits, spaces, dashes and a leading +"),
        ("0912+1234567", "A phone number may contain only digits, spaces, dashes and a leading +"),
        ("09121234567 09351234567", TWO_NUMBERS),
        ("09121234567-02188776655", TWO_NUMBERS),
        ("09121234567، 09351234567", TWO_NUMBERS),
        ("09121234567 / 88776655", TWO_NUMBERS),
        ("09121234567 or 09351234567", TWO_NUMBERS),
        ("09121234567 یا 09351234567", TWO_NUMBERS),
        ("00 0 1234 5678", "Not a valid phone number"),
        ("+12", "Phone number is too short"),
        ("+1234567890123456", "Phone number is too long"),
    ],
)
def test_refusals(raw, msgid):
    with pytest.raises(InputError) as err:
        canonical_phone(raw)
    assert err.value.msgid == msgid


def test_is_mobile():
    assert is_mobile("+989121234567")
    assert not is_mobile("+982188776655")
    assert not is_mobile("+14155552671")


@pytest.mark.parametrize(
    ("canonical", "fa", "en"),
    [
        ("+989121234567", "۰۹۱۲ ۱۲۳ ۴۵۶۷", "0912 123 4567"),
        ("+982188776655", "۰۲۱ ۸۸۷۷ ۶۶۵۵", "021 8877 6655"),
        ("+14155552671", "+۱۴۱۵۵۵۵۲۶۷۱", "+14155552671"),
    ],
)
def test_format_phone(canonical, fa, en):
    assert format_phone(canonical, "fa") == fa
    assert format_phone(canonical, "en") == en
    assert canonical_phone(format_phone(canonical, "fa")) == canonical


mobiles = st.from_regex(r"\A9[0-9]{9}\Z", fullmatch=True)
landlines = st.from_regex(r"\A[1-8][0-9][2-8][0-9]{7}\Z", fullmatch=True)


@given(
    st.one_of(mobiles, landlines),
    st.sampled_from(["0{}", "+98{}", "0098{}", "+98 {}", "00 98 {}"]),
    st.booleans(),
)
def test_every_spelling_gives_one_canonical(national, template, persian):
    raw = template.format(national)
    if persian:
        raw = to_persian_digits(raw)
    canonical = canonical_phone(raw)
    assert canonical == "+98" + national
    assert canonical_phone(format_phone(canonical, "en")) == canonical
    assert is_mobile(canonical) == national.startswith("9")


@given(st.text(max_size=30))
def test_only_input_errors(s):
    try:
        canonical_phone(s)
    except InputError:
        pass
