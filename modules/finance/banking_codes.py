"""Iranian bank identifiers people type: the IBAN («شبا») and the cheque's Sayad ID («شناسه صیادی»).

IBAN (ISO 13616): ``IR`` + two check digits + 22 digits, the first three of which are the bank's
code (``IR82 054 0102680020817909002`` is Parsian's, 054). The check is ISO 7064 mod 97-10: move
the first four characters to the end, turn letters into numbers (A = 10 … Z = 35, so I = 18,
R = 27) and the whole number mod 97 must be 1.

Sayad ID: the 16-digit number the Central Bank prints on every cheque since 1397. No check digit
of it is published that we could cite, so only its length and digits are checked (issue 12); add a
checksum here only from an authoritative source.
"""

from __future__ import annotations

import re

from kernel import InputError
from kernel.persian.textnorm import BIDI_MARKS, clean_input, to_ascii_digits

# People paste these with spaces in groups of four, dashes, or the bidi marks of a Persian page.
_SEPARATORS = re.compile(r"[\s\-_.\u200c" + BIDI_MARKS + "]")
IBAN_LENGTH = 26
SAYAD_LENGTH = 16


def compact(raw: str) -> str:
    """What was typed without separators, with ASCII digits and capital letters."""
    return _SEPARATORS.sub("", to_ascii_digits(clean_input(raw or ""))).upper()


def iban_check(iban: str) -> int:
    """ISO 7064 mod 97-10 of an IBAN: 1 when its check digits are right."""
    moved = iban[4:] + iban[:4]
    return int("".join(str(int(ch, 36)) for ch in moved)) % 97


def check_iban(raw: str) -> str:
    """The compact IBAN (``IR`` + 24 digits) or ``InputError`` saying what is wrong."""
    iban = compact(raw)
    if not iban.startswith("IR"):
        raise InputError("An IBAN (Sheba) starts with IR followed by 24 digits")
    if not re.fullmatch(r"IR[0-9]{24}", iban, re.ASCII):
        raise InputError("An IBAN (Sheba) is IR followed by exactly 24 digits")
    if iban_check(iban) != 1:
        raise InputError("This IBAN (Sheba) does not pass its check: a digit is wrong or two are swapped")
    return iban


def iban_bank_code(iban: str) -> str:
    """The three-digit bank code of a compact Iranian IBAN (``IR82 054 …`` → ``054``)."""
    return iban[4:7]


def with_check_digits(bank_code: str, account: str) -> str:
    """An IBAN from a bank code and the 19 digits after it, with its check digits computed
    (for demo data and tests; people type IBANs from their bank)."""
    bban = f"{bank_code}{account:0>19}"
    check = 98 - iban_check(f"IR00{bban}")
    return f"IR{check:02d}{bban}"


def check_sayad(raw: str) -> str:
    """The 16-digit Sayad ID or ``InputError``: wrong length, or letters in it."""
    sayad = compact(raw)
    if not sayad.isascii() or not sayad.isdigit():
        raise InputError("A Sayad ID has digits only (16 of them)")
    if len(sayad) != SAYAD_LENGTH:
        raise InputError("A Sayad ID is exactly 16 digits; this one has {n}", n=len(sayad))
    return sayad


def check_legal_or_national_id(raw: str) -> str:
    """An issuer's ID: a person's 10-digit national ID (its check digit verified by the
    kernel), or a company's 11-digit national ID («شناسه ملی»), checked for length and digits."""
    from kernel.persian.nationalid import check_national_id

    key = compact(raw)
    if len(key) == 11 and key.isascii() and key.isdigit():
        return key
    if len(key) != 10:
        raise InputError("A national ID is 10 digits (a person) or 11 digits (a company)")
    return check_national_id(key)
