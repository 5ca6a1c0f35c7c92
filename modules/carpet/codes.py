"""Warranty card codes: 8 characters from an alphabet without look-alikes (no 0/O, 1/I/L, 2/Z,
5/S, 8/B, 6/G), drawn by ``secrets`` — 23⁸ ≈ 7.8·10¹⁰ codes, so guessing a live one is hopeless —
shown as ``ACDE-FH34`` left to right, stored without the dash. What a customer types back is
read leniently: Persian or Arabic digits, lower case, spaces, dashes and other text around it."""

from __future__ import annotations

import re
import secrets
import unicodedata

from kernel.persian.textnorm import to_ascii_digits

ALPHABET = "ACDEFHJKMNPRTUVWXY34679"
LENGTH = 8
_RUN = re.compile(f"[{ALPHABET}]+")
# Spaces, dashes, dots, ZWNJ and the bidi marks a phone may put between the characters typed.
_GLUE = re.compile(r"[\s\-_.\u200c\u200e\u200f\u2066-\u2069]+")


def new_code() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))


def shown(code: str) -> str:
    """``ACDEFH34`` → ``ACDE-FH34``: two halves are easier to read out and type."""
    return f"{code[:4]}-{code[4:]}" if len(code) == LENGTH else code


def normalise(text: str) -> str:
    """Text with its digits ASCII, letters upper case and the glue between characters removed."""
    return _GLUE.sub("", to_ascii_digits(unicodedata.normalize("NFKC", text or "")).upper())


def candidates(text: str) -> list[str]:
    """Every 8-character window of each run of code characters in ``text``, in order: «ثبت کارت
    acde fh۳۴» holds ``ACDEFH34``; a run next to a word of digits (``12ACDEFH34``) still holds it."""
    out: list[str] = []
    for run in _RUN.findall(normalise(text)):
        out.extend(run[i:i + LENGTH] for i in range(len(run) - LENGTH + 1))
    return list(dict.fromkeys(out))
