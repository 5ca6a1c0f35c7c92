import pytest
from hypothesis import given
from hypothesis import strategies as st

from kernel.persian.words import (
    MAX_WORDS,
    amount_in_words,
    number_to_words,
    number_to_words_en,
    number_to_words_fa,
)

FA = [
    (0, "صفر"),
    (1, "یک"),
    (10, "ده"),
    (11, "یازده"),
    (19, "نوزده"),
    (20, "بیست"),
    (21, "بیست و یک"),
    (99, "نود و نه"),
    (100, "صد"),
    (101, "صد و یک"),
    (110, "صد و ده"),
    (200, "دویست"),
    (305, "سیصد و پنج"),
    (999, "نهصد و نود و نه"),
    (1000, "هزار"),
    (1001, "هزار و یک"),
    (2000, "دو هزار"),
    (12_000, "دوازده هزار"),
    (100_000, "صد هزار"),
    (1_000_000, "یک میلیون"),
    (1_000_001, "یک میلیون و یک"),
    (1_001_000, "یک میلیون و هزار"),
    (12_500_000, "دوازده میلیون و پانصد هزار"),
    (1_000_000_000, "یک میلیارد"),
    (2_500_000_000, "دو میلیارد و پانصد میلیون"),
    (10**12, "یک تریلیون"),
    (10**15, "یک کوادریلیون"),
    (123_456_789, "صد و بیست و سه میلیون و چهارصد و پنجاه و شش هزار و هفتصد و هشتاد و نه"),
    (-5, "منفی پنج"),
    (-1000, "منفی هزار"),
]

EN = [
    (0, "zero"),
    (1, "one"),
    (10, "ten"),
    (11, "eleven"),
    (19, "nineteen"),
    (20, "twenty"),
    (21, "twenty-one"),
    (100, "one hundred"),
    (101, "one hundred one"),
    (110, "one hundred ten"),
    (1000, "one thousand"),
    (1001, "one thousand one"),
    (1_000_000, "one million"),
    (12_500_000, "twelve million five hundred thousand"),
    (1_000_000_000, "one billion"),
    (10**15, "one quadrillion"),
    (-42, "minus forty-two"),
]


@pytest.mark.parametrize(("n", "words"), FA)
def test_persian_words(n, words):
    assert number_to_words_fa(n) == words
    assert number_to_words(n, "fa") == words


@pytest.mark.parametrize(("n", "words"), EN)
def test_english_words(n, words):
    assert number_to_words_en(n) == words
    assert number_to_words(n, "en") == words


@pytest.mark.parametrize(
    ("rials", "unit", "lang", "text"),
    [
        (12_500_000, "rial", "fa", "دوازده میلیون و پانصد هزار ریال"),
        (12_500_000, "toman", "fa", "یک میلیون و دویست و پنجاه هزار تومان"),
        (12_505, "toman", "fa", "هزار و دویست و پنجاه تومان و پنج ریال"),
        (5, "toman", "fa", "پنج ریال"),
        (0, "rial", "fa", "صفر ریال"),
        (12_500_000, "rial", "en", "twelve million five hundred thousand rials"),
        (1, "rial", "en", "one rial"),
        (10, "toman", "en", "one toman"),
        (12_505, "toman", "en", "one thousand two hundred fifty tomans and five rials"),
        (-15, "toman", "en", "minus one toman and five rials"),
    ],
)
def test_amount_in_words(rials, unit, lang, text):
    assert amount_in_words(rials, unit, lang) == text


def test_limits_and_types():
    assert number_to_words_fa(MAX_WORDS).startswith("نهصد و نود و نه کوینتیلیون")
    with pytest.raises(ValueError):
        number_to_words_fa(MAX_WORDS + 1)
    with pytest.raises(TypeError):
        number_to_words(1.0)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        amount_in_words(True)


numbers = st.integers(min_value=-MAX_WORDS, max_value=MAX_WORDS)


@given(numbers, st.sampled_from(["fa", "en"]))
def test_words_are_clean_and_deterministic(n, lang):
    words = number_to_words(n, lang)
    assert words and words == words.strip()
    assert "  " not in words
    assert " و و " not in words and not words.endswith(" و")
    assert words == number_to_words(n, lang)
    assert not any(c.isdigit() for c in words)


@given(st.integers(min_value=1, max_value=10**15))
def test_distinct_numbers_distinct_words(n):
    assert number_to_words_fa(n) != number_to_words_fa(n + 1)
    assert number_to_words_en(n) != number_to_words_en(n + 1)
