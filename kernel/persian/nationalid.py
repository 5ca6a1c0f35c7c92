"""Iranian national ID (کد ملی): ten digits whose last one is a check digit."""

from __future__ import annotations

import re

from kernel.errors import InputError
from kernel.persian.textnorm import BIDI_MARKS, to_ascii_digits

# People write the ID as printed on the card ("001-234567-9") or paste it with bidi marks.
_SEPARATORS = re.compile(r"[\s\-.\u200c" + BIDI_MARKS + "]")


def national_id_check_digit(first_nine: str) -> int:
    """The check digit for the first nine digits: r = Σ dᵢ·(10−i) mod 11; r if r < 2 else 11 − r."""
    r = sum(int(d) * (10 - i) for i, d in enumerate(first_nine)) % 11
    return r if r < 2 else 11 - r


def check_national_id(raw: str) -> str:
    """The 10-digit ASCII key of a valid national ID, or ``InputError`` saying what is wrong.

    Leading zeros are significant and never added: an ID shortened by a spreadsheet must be
    retyped rather than guessed.
    """
    key = _SEPARATORS.sub("", to_ascii_digits(raw))
    if not re.fullmatch(r"[0-9]{10}", key, re.ASCII):
        raise InputError("National ID must be 10 digits")
    if len(set(key)) == 1:
        raise InputError("National ID cannot have all digits equal")
    if national_id_check_digit(key[:9]) != int(key[9]):
        raise InputError("National ID check digit does not match; check the number")
    return key
