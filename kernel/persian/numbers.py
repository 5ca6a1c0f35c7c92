"""Numbers typed by people (Persian, Arabic-Indic or ASCII digits) and numbers shown to them."""

from __future__ import annotations

import re
from decimal import Decimal

from kernel.errors import InputError
from kernel.persian.textnorm import BIDI_MARKS, ltr_isolate, to_ascii_digits, to_persian_digits

# Persian-locale number text: ٬ groups thousands and ٫ separates decimals.
FA_GROUP = "\u066c"
FA_DECIMAL = "\u066b"

_MAX_LEN = 64  # longer "numbers" are pasted garbage, and int() of huge strings is slow
_CLEAN = str.maketrans({c: None for c in BIDI_MARKS + "\u200c\u200b\ufeff"})
_MINUS = "-\u2212\u2012\u2013"  # keyboards and word processors produce all of these
_PERCENT_AT_END = re.compile(r"^[%\u066a]\s*|\s*[%\u066a]$")
# Group separators: ٬ , and the Arabic comma ، (which Persian keyboards give for ","), or
# spaces; accepted only between correct groups of three, which is what makes them unambiguous.
_GROUP_SEP = r"(?:[,\u066c\u060c]\s*|\s+)"
_ANY_SPACE = re.compile(r"\s+")
_NUMBER = re.compile(
    rf"(?P<int>[0-9]{{1,3}}(?:{_GROUP_SEP}[0-9]{{3}})+|[0-9]+)?"
    r"(?:[.\u066b](?P<frac>[0-9]+))?",
    re.ASCII,
)


def _parse(raw: str) -> Decimal:
    # NBSP and thin spaces group digits in Persian word processors.
    s = _ANY_SPACE.sub(" ", to_ascii_digits(raw.translate(_CLEAN))).strip()
    if not s:
        raise InputError("Enter a number")
    if len(s) > _MAX_LEN:
        raise InputError("Not a number: {value}", value=raw)
    s = _PERCENT_AT_END.sub("", s)
    negative = bool(s) and s[0] in _MINUS
    if s and s[0] in _MINUS + "+":
        s = s[1:].lstrip()
    m = _NUMBER.fullmatch(s)
    if not s or not m or (m["int"] is None and m["frac"] is None):
        raise InputError("Not a number: {value}", value=raw)
    digits = re.sub(r"[^0-9]", "", m["int"] or "0")
    text = digits + ("." + m["frac"] if m["frac"] else "")
    value = Decimal(text)
    return -value if negative else value


def parse_decimal(raw: str) -> Decimal:
    """A decimal number from user input.

    Accepts Persian, Arabic-Indic and ASCII digits; thousands separators ٬ , ، or spaces
    between groups of three; ٫ or . before decimals; a leading - or − sign; a leading or
    trailing ٪/% (dropped: "۱۰٪" is 10). Raises ``InputError`` for anything else.
    """
    return _parse(raw)


INT64_MAX = 2**63 - 1


def parse_int(raw: str) -> int:
    """A whole number from user input, accepting what ``parse_decimal`` accepts.

    "۱۲٫۰" is 12, but "۱۲٫۵" is refused with "Enter a whole number".
    """
    value = _parse(raw)
    if value != value.to_integral_value():
        raise InputError("Enter a whole number")
    if abs(value) > INT64_MAX:
        # Databases store 64-bit integers; a longer number is a typing slip, not an id.
        raise InputError("The number is too large")
    return int(value)


def format_number(value: int | Decimal, lang: str = "fa", grouping: bool = True) -> str:
    """A number for display: "۱۲٬۵۰۰٬۰۰۰" / "۱۲٫۵" in Persian, "12,500,000" / "12.5" in English."""
    if isinstance(value, bool) or not isinstance(value, int | Decimal):
        raise TypeError(f"format_number takes int or Decimal, not {type(value).__name__}")
    if isinstance(value, Decimal) and not value.is_finite():
        raise ValueError("format_number cannot show NaN or infinity")
    spec = ("," if grouping else "") + ("f" if isinstance(value, Decimal) else "")
    text = format(value, spec)
    if lang != "fa":
        return text
    return to_persian_digits(text.translate({ord(","): FA_GROUP, ord("."): FA_DECIMAL}))


# A percentage: 0 to 100 with at most two decimals, which is what basis points can hold.
PERCENT_MAX, PERCENT_PLACES = Decimal(100), 2


def parse_percent(raw: str) -> Decimal:
    """A percentage as people type it: «۹», «۹٫۵», «9.5», «۱۰٪», «10%»; ``InputError`` when it
    is not a number, below 0, above 100 or finer than a basis point (9.255)."""
    try:
        value = _parse(raw)
    except InputError:
        raise InputError("Type a percentage, e.g. 9 or 9.5") from None
    if not 0 <= value <= PERCENT_MAX:
        raise InputError("A percentage is between 0 and 100")
    if value.normalize().as_tuple().exponent < -PERCENT_PLACES:  # type: ignore[operator]
        raise InputError("A percentage has at most two decimals, e.g. 9.25")
    return value


def format_percent(value: int | Decimal, lang: str = "fa") -> str:
    """«۹٪», «۹٫۵٪» in Persian (the Persian percent sign, no trailing zeros), "9.5%" in English."""
    number = Decimal(value).normalize()
    return format_number(number, lang, grouping=False) + ("\u066a" if lang == "fa" else "%")


def format_code(text: str | None, lang: str = "fa") -> str:
    """A code that reads left to right — a document number ``INV-1405-00012`` — for display:
    in Persian with Persian digits and isolated left to right ("⁦INV-۱۴۰۵-۰۰۰۱۲⁩"), so on a
    right-to-left line its parts stay in order, as phones do; in English as stored."""
    if not text:
        return ""
    return ltr_isolate(to_persian_digits(text)) if lang == "fa" else text


class ShownCode:
    """A code inside a message (a document number, a barcode as typed): the catalogue calls
    ``localized`` and it reads as :func:`format_code` writes it, in the reader's digits."""

    def __init__(self, text: str) -> None:
        self.text = text

    def localized(self, lang: str) -> str:
        return format_code(self.text, lang)

    def __str__(self) -> str:
        return self.text
