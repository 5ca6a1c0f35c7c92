import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kernel.persian.textnorm import (
    clean_input,
    normalize_text,
    search_key,
    to_ascii_digits,
    to_persian_digits,
)

CASES = json.loads((Path(__file__).resolve().parents[1] / "data/persian_inputs.json").read_text("utf-8"))

# Persian letters, the Arabic forms we fold, digits of three scripts, Latin, and every
# invisible character the normaliser knows about.
ALPHABET = (
    "ابپتثجچحخدذرزژسشصضطظعغفقکگلمنوهیآأإؤئةۀيكى"
    "۰۱۲۳۴۵۶۷۸۹٠١٢٣٤٥٦٧٨٩0123456789"
    "AbCdéSS"
    " \u00a0\t\n\u200c\u200d\u200e\u200f\u202b\u202c\u2067\u2069\u064e\u0651\u0640\u0670().«»"
)
texts = st.text(alphabet=ALPHABET, max_size=40)


@pytest.mark.parametrize("case", CASES["names"], ids=lambda c: c["key"])
def test_normalize_text_matches_shared_cases(case):
    assert normalize_text(case["raw"]) == case["key"]


@pytest.mark.parametrize("case", CASES["names"], ids=lambda c: c["key"])
def test_search_key_is_normalized_text_without_spaces(case):
    assert search_key(case["raw"]) == case["key"].replace(" ", "")


def test_compound_found_whatever_joins_its_parts():
    keys = {search_key(s) for s in ("پارس‌تلفن", "پارس تلفن", "پارستلفن", "پارس\u00a0 تلفن", "پارس‌ ‌تلفن")}
    assert keys == {"پارستلفن"}


def test_any_part_of_a_name_is_a_substring_of_the_key():
    record = search_key("شرکت پارس‌تلفن (سهامی خاص)")
    for query in ("تلفن", "پارس", "سهامي", "پارس تلفن", "شركت"):
        assert search_key(query) in record


@pytest.mark.parametrize(
    ("raw", "key"),
    [
        ("", ""),
        ("   ", ""),
        ("ﻋﻠﯽ", "علی"),  # presentation forms pasted from old software
        ("محمّد", "محمد"),
        ("كتابــخانه", "کتابخانه"),
        ("خانهٔ ما", "خانه ما"),  # heh + hamza above
        ("إيران أسامه", "ایران اسامه"),
        ("آب", "آب"),
        ("٠٩١٢ ۰۹۱۲", "0912 0912"),
        ("STRASSE Straße", "strasse strasse"),
        ("a\u202bb\u202cc\u2066d\u2069", "abcd"),
    ],
)
def test_normalize_text_more_cases(raw, key):
    assert normalize_text(raw) == key


def test_digits_both_ways():
    assert to_ascii_digits("۰۱۲۳۴۵۶۷۸۹ ٠١٢٣٤٥٦٧٨٩") == "0123456789 0123456789"
    assert to_persian_digits("تلفن 021-88776655") == "تلفن ۰۲۱-۸۸۷۷۶۶۵۵"
    assert to_persian_digits("٤٥٦") == "۴۵۶"  # Arabic-Indic shapes differ; display is Persian


@pytest.mark.parametrize(
    ("raw", "stored"),
    [
        ("  علي   كريمي  ", "علی کریمی"),
        ("علی‌اکبر", "علی‌اکبر"),  # ZWNJ is spelling
        ("مؤسسه ‌آموزشی", "مؤسسه آموزشی"),  # a ZWNJ after a space joins nothing
        ("می‌‌روم", "می‌روم"),
        ("\u200fشرکت آریا\u200e", "شرکت آریا"),
        ("خط اول  \r\n  خط دوم", "خط اول\nخط دوم"),
        ("سه\u00a0\u00a0کلمه ای", "سه کلمه ای"),
        ("۱۲۳", "۱۲۳"),  # stored as typed
    ],
)
def test_clean_input(raw, stored):
    assert clean_input(raw) == stored


@given(texts)
def test_normalize_text_is_idempotent(s):
    assert normalize_text(normalize_text(s)) == normalize_text(s)


@given(texts)
def test_normalize_text_has_no_invisible_marks_or_double_spaces(s):
    key = normalize_text(s)
    assert not set(key) & set("\u200c\u200d\u200e\u200f\u202b\u202c\u2067\u2069\u0640\u064e\u0651\u00a0\t\n")
    assert "  " not in key and key == key.strip()
    assert not set(key) & set("۰۱۲۳۴۵۶۷۸۹٠١٢٣٤٥٦٧٨٩يكى")


@given(texts)
def test_search_key_has_no_spaces_and_ignores_spacing(s):
    key = search_key(s)
    assert " " not in key
    assert search_key(s.replace(" ", "\u200c")) == key


@given(texts)
def test_clean_input_is_idempotent_and_keeps_zwnj_between_letters(s):
    once = clean_input(s)
    assert clean_input(once) == once
    assert not set(once) & set("\u200e\u200f\u202b\u202c\u2067\u2069يك")
    assert search_key(once) == search_key(s)


@given(st.text(alphabet="0123456789 -/+abc", max_size=30))
def test_ascii_persian_digit_round_trip(s):
    assert to_ascii_digits(to_persian_digits(s)) == s
