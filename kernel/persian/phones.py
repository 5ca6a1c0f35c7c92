"""Phone numbers in one canonical form (+98…), so search, duplicates and caller ID match.

Iranian numbers have a 10-digit national significant number: mobiles 9xx xxx xxxx, and
landlines a 2-digit area code (21 Tehran, 31 Isfahan, …) plus an 8-digit subscriber number.
Foreign numbers are kept in E.164 as typed after their "+" or "00".
"""

from __future__ import annotations

import re

from kernel.errors import InputError
from kernel.persian.textnorm import BIDI_MARKS, to_ascii_digits, to_persian_digits

_CLEAN = str.maketrans({c: None for c in BIDI_MARKS + "\u200c\u200b\ufeff"})
# Between the groups of one number people type spaces, dashes, dots, slashes and brackets.
_INSIDE = re.compile(r"\+?[\s\-.()/]*[0-9][0-9\s\-.()/]*", re.ASCII)
# What separates two numbers typed into one field: list punctuation or a conjunction.
_BETWEEN = re.compile(r"[,،;؛|\n]|\s(?:و|یا|or|and)\s|\s[/\\]\s", re.IGNORECASE)
_MIN_FOREIGN, _MAX_FOREIGN = 7, 15  # E.164 allows at most 15 digits with the country code


def canonical_phone(raw: str, default_area: str = "21") -> str:
    """The canonical "+98…" (or foreign "+…") form of one phone number typed by a user.

    Accepts Persian/Arabic/ASCII digits, spaces, dashes, dots and brackets; "+98", "0098",
    "0" or no prefix for mobiles; an 8-digit local number gets ``default_area`` (the
    organisation's area code, with or without its 0). Raises ``InputError`` for letters, too
    few or too many digits, and for two numbers in one field.
    """
    s = to_ascii_digits(raw.translate(_CLEAN)).strip()
    if not s:
        raise InputError("Enter a phone number")
    parts = [p for p in _BETWEEN.split(s) if p and p.strip()]
    if len(parts) > 1:
        raise InputError("Enter one number per field; add a second contact row for another number")
    if not _INSIDE.fullmatch(s):
        raise InputError("A phone number may contain only digits, spaces, dashes and a leading +")
    try:
        return _canonical(s, default_area)
    except InputError as too_long:
        if too_long.msgid == "Phone number is too long" and _two_numbers(s, default_area):
            raise InputError(
                "Enter one number per field; add a second contact row for another number"
            ) from None
        raise


def _two_numbers(s: str, default_area: str) -> bool:
    """Two numbers separated only by a space or dash ("0912… 0935…") look like one long one."""
    for m in re.finditer(r"[\s\-/]+", s):
        try:
            _canonical(s[: m.start()], default_area)
            _canonical(s[m.end() :], default_area)
        except InputError:
            continue
        return True
    return False


def _canonical(s: str, default_area: str) -> str:
    digits = re.sub(r"[^0-9]", "", s)
    international = s.startswith("+") or digits.startswith("00")
    if international:
        digits = digits if s.startswith("+") else digits[2:]
        if not digits.startswith("98"):
            return _foreign(digits)
        national = digits[2:]
        if national.startswith("0"):  # "+98 (0)21 …" is common on business cards
            national = national[1:]
    elif digits.startswith("0"):
        national = digits[1:]
    elif len(digits) == 8:
        national = _area(default_area) + digits
    else:
        national = digits
    if len(national) < 10:
        raise InputError("Phone number is too short")
    if len(national) > 10:
        raise InputError("Phone number is too long")
    if national[0] == "0":
        raise InputError("Not a valid phone number")
    return "+98" + national


def _foreign(digits: str) -> str:
    if len(digits) < _MIN_FOREIGN:
        raise InputError("Phone number is too short")
    if len(digits) > _MAX_FOREIGN:
        raise InputError("Phone number is too long")
    if digits[0] == "0":
        raise InputError("Not a valid phone number")
    return "+" + digits


def _area(default_area: str) -> str:
    area = default_area.removeprefix("0")
    if not re.fullmatch(r"[1-8][0-9]", area, re.ASCII):
        raise ValueError(f"default_area must be a 2-digit Iranian area code, not {default_area!r}")
    return area


def is_mobile(canonical: str) -> bool:
    """True for an Iranian mobile number in canonical form (+989…)."""
    return len(canonical) == 13 and canonical.startswith("+989")


def format_phone(canonical: str, lang: str = "fa") -> str:
    """A canonical number for display: "0912 123 4567", "021 8877 6655" (Persian digits in fa).

    Foreign numbers stay "+…". In RTL text the spaces would reorder the groups; templates
    should wrap the result in a left-to-right isolate (the Jinja ``phone`` filter does).
    """
    if canonical.startswith("+98") and len(canonical) == 13:
        n = "0" + canonical[3:]
        text = f"{n[:4]} {n[4:7]} {n[7:]}" if is_mobile(canonical) else f"{n[:3]} {n[3:7]} {n[7:]}"
    else:
        text = canonical
    return to_persian_digits(text) if lang == "fa" else text
