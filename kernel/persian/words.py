"""Numbers and amounts in words, as written on cheques, invoices and contracts."""

from __future__ import annotations

from kernel.persian.money import RIALS_PER_TOMAN, Unit

_FA_ONES = ("", "یک", "دو", "سه", "چهار", "پنج", "شش", "هفت", "هشت", "نه")
_FA_TEENS = ("ده", "یازده", "دوازده", "سیزده", "چهارده", "پانزده", "شانزده", "هفده", "هجده", "نوزده")
_FA_TENS = ("", "", "بیست", "سی", "چهل", "پنجاه", "شصت", "هفتاد", "هشتاد", "نود")
_FA_HUNDREDS = ("", "صد", "دویست", "سیصد", "چهارصد", "پانصد", "ششصد", "هفتصد", "هشتصد", "نهصد")
# Iran uses the short scale with میلیارد for 10⁹ (as on banknotes and in the press).
_FA_SCALES = ("", "هزار", "میلیون", "میلیارد", "تریلیون", "کوادریلیون", "کوینتیلیون")

_EN_ONES = ("", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine")
_EN_TEENS = ("ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen",
             "seventeen", "eighteen", "nineteen")  # fmt: skip
_EN_TENS = ("", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety")
_EN_SCALES = ("", "thousand", "million", "billion", "trillion", "quadrillion", "quintillion")

MAX_WORDS = 1000 ** len(_FA_SCALES) - 1

_UNIT_WORDS = {"fa": ("ریال", "تومان"), "en": (("rial", "rials"), ("toman", "tomans"))}


def _groups(n: int) -> list[tuple[int, int]]:
    """(scale index, value) of each non-zero 3-digit group, largest first."""
    if n > MAX_WORDS:
        raise ValueError(f"{n} is too large to write in words")
    out = []
    scale = 0
    while n:
        n, group = divmod(n, 1000)
        if group:
            out.append((scale, group))
        scale += 1
    return out[::-1]


def _fa_below_1000(n: int) -> str:
    hundreds, rest = divmod(n, 100)
    parts = [_FA_HUNDREDS[hundreds]] if hundreds else []
    if 10 <= rest < 20:
        parts.append(_FA_TEENS[rest - 10])
    else:
        tens, ones = divmod(rest, 10)
        parts += [w for w in (_FA_TENS[tens], _FA_ONES[ones]) if w]
    return " و ".join(parts)


def number_to_words_fa(n: int) -> str:
    """Persian words for an integer: 12500000 → "دوازده میلیون و پانصد هزار", 0 → "صفر"."""
    if n == 0:
        return "صفر"
    if n < 0:
        return "منفی " + number_to_words_fa(-n)
    parts = []
    for scale, group in _groups(n):
        # "هزار و یک", not "یک هزار و یک"; larger scales keep "یک" ("یک میلیون").
        words = "" if (scale == 1 and group == 1) else _fa_below_1000(group)
        parts.append(" ".join(w for w in (words, _FA_SCALES[scale]) if w))
    return " و ".join(parts)


def _en_below_1000(n: int) -> str:
    hundreds, rest = divmod(n, 100)
    parts = [f"{_EN_ONES[hundreds]} hundred"] if hundreds else []
    if 10 <= rest < 20:
        parts.append(_EN_TEENS[rest - 10])
    elif rest:
        tens, ones = divmod(rest, 10)
        parts.append("-".join(w for w in (_EN_TENS[tens], _EN_ONES[ones]) if w))
    return " ".join(parts)


def number_to_words_en(n: int) -> str:
    """English words for an integer: 12500000 → "twelve million five hundred thousand"."""
    if n == 0:
        return "zero"
    if n < 0:
        return "minus " + number_to_words_en(-n)
    return " ".join(
        " ".join(w for w in (_en_below_1000(group), _EN_SCALES[scale]) if w) for scale, group in _groups(n)
    )


def number_to_words(n: int, lang: str = "fa") -> str:
    """``number_to_words_fa`` or ``number_to_words_en`` by language."""
    if isinstance(n, bool) or not isinstance(n, int):
        raise TypeError(f"number_to_words takes an int, not {type(n).__name__}")
    return number_to_words_fa(n) if lang == "fa" else number_to_words_en(n)


def _unit_words(n: int, unit: Unit, lang: str) -> str:
    if lang == "fa":
        return f"{number_to_words_fa(n)} {_UNIT_WORDS['fa'][unit == 'toman']}"
    singular, plural = _UNIT_WORDS["en"][unit == "toman"]
    return f"{number_to_words_en(n)} {singular if abs(n) == 1 else plural}"


def amount_in_words(rials: int, unit: Unit = "rial", lang: str = "fa") -> str:
    """An amount of Rials in words: "دوازده میلیون و پانصد هزار ریال".

    In Tomans a remainder of Rials is written out rather than dropped:
    "صد و بیست و پنج تومان و پنج ریال", "… tomans and five rials" in English.
    """
    if isinstance(rials, bool) or not isinstance(rials, int):
        raise TypeError(f"money is an int of Rials, not {type(rials).__name__}")
    if unit not in ("rial", "toman"):
        raise ValueError(f"unit must be 'rial' or 'toman', not {unit!r}")
    if unit == "rial":
        return _unit_words(rials, "rial", lang)
    tomans, rest = divmod(abs(rials), RIALS_PER_TOMAN)
    sign = -1 if rials < 0 else 1
    if rest == 0:
        return _unit_words(sign * tomans, "toman", lang)
    rest_words = _unit_words(rest, "rial", lang)
    if tomans == 0:
        return _unit_words(sign * rest, "rial", lang)
    joiner = " و " if lang == "fa" else " and "
    return _unit_words(sign * tomans, "toman", lang) + joiner + rest_words
