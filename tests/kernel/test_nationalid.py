import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kernel.errors import InputError
from kernel.persian.nationalid import check_national_id, national_id_check_digit
from kernel.persian.textnorm import to_persian_digits

CASES = json.loads((Path(__file__).resolve().parents[1] / "data/persian_inputs.json").read_text("utf-8"))

REASONS = {
    "check digit does not match": "National ID check digit does not match; check the number",
    "all digits equal is not a real ID": "National ID cannot have all digits equal",
    "must be 10 digits": "National ID must be 10 digits",
}


@pytest.mark.parametrize("case", CASES["national_ids"], ids=lambda c: c["raw"])
def test_shared_cases(case):
    if case["valid"]:
        assert check_national_id(case["raw"]) == case["key"]
    else:
        with pytest.raises(InputError) as err:
            check_national_id(case["raw"])
        assert err.value.msgid == REASONS[case["error"]]


@pytest.mark.parametrize("raw", ["001-234567-9", " 0012345679 ", "٠٠١٢٣٤٥٦٧٩", "\u200f۰۰۱۲۳۴۵۶۷۹"])
def test_accepts_card_layout_and_other_digits(raw):
    assert check_national_id(raw) == "0012345679"


@pytest.mark.parametrize("raw", ["", "12345679", "00123456790", "00123a5679", "۰۰۱۲۳۴۵۶۷"])
def test_wrong_length_or_letters(raw):
    with pytest.raises(InputError) as err:
        check_national_id(raw)
    assert err.value.msgid == "National ID must be 10 digits"


def test_check_digit_rule_both_branches():
    # r < 2 keeps r; otherwise 11 - r.
    assert national_id_check_digit("000000000") == 0
    assert national_id_check_digit("000000001") == 9  # 1*2 = 2 -> 11 - 2
    assert national_id_check_digit("000000010") == 8  # 1*3 = 3
    assert national_id_check_digit("100000000") == 1  # 10 % 11 = 10 -> 1
    assert national_id_check_digit("000000005") == 1  # 10 % 11 = 10 -> 1
    assert national_id_check_digit("012345678") == 9  # 156 % 11 = 2


@given(st.from_regex(r"\A[0-9]{9}\Z", fullmatch=True))
def test_exactly_one_check_digit_is_accepted(first_nine):
    valid = []
    for d in "0123456789":
        candidate = first_nine + d
        try:
            check_national_id(to_persian_digits(candidate))
        except InputError as err:
            assert err.msgid != "National ID must be 10 digits"
        else:
            valid.append(d)
    if len(set(first_nine)) == 1 and str(national_id_check_digit(first_nine)) == first_nine[0]:
        assert valid == []
    else:
        assert valid == [str(national_id_check_digit(first_nine))]
