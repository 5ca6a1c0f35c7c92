"""Money is an integer number of Rials; Tomans (10 Rials) exist only at display and input."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Literal

from kernel.errors import InputError
from kernel.persian.numbers import format_number, parse_decimal

Unit = Literal["rial", "toman"]
UNITS: tuple[Unit, ...] = ("rial", "toman")
RIALS_PER_TOMAN = 10

_UNIT_LABEL = {
    ("rial", "fa"): "ریال",
    ("toman", "fa"): "تومان",
    ("rial", "en"): "IRR",
    ("toman", "en"): "Toman",
}
# A pasted amount often carries its unit; the wrong unit would be a tenfold mistake.
_UNIT_WORDS: dict[Unit, re.Pattern[str]] = {
    "rial": re.compile(r"\s*(?:ریال|ريال|rials?|irr|\ufdfc)\s*$", re.IGNORECASE),
    "toman": re.compile(r"\s*(?:تومان|tomans?)\s*$", re.IGNORECASE),
}


def _check_unit(unit: str) -> Unit:
    if unit not in UNITS:
        raise ValueError(f"unit must be 'rial' or 'toman', not {unit!r}")
    return unit


def format_money(rials: int, unit: Unit = "rial", lang: str = "fa", with_unit: bool = True) -> str:
    """An amount for display: "۱۲٬۵۰۰٬۰۰۰ ریال", "۱٬۲۵۰٬۰۰۰ تومان", "12,500,000 IRR".

    Tomans show the tenth when the Rials are not a multiple of ten ("۱٬۲۵۰٫۵ تومان"), so the
    display never hides part of the amount.
    """
    if isinstance(rials, bool) or not isinstance(rials, int):
        raise TypeError(f"money is an int of Rials, not {type(rials).__name__}")
    _check_unit(unit)
    if unit == "toman":
        amount: int | Decimal = (
            rials // RIALS_PER_TOMAN if rials % RIALS_PER_TOMAN == 0 else Decimal(rials) / RIALS_PER_TOMAN
        )
    else:
        amount = rials
    text = format_number(amount, lang)
    if not with_unit:
        return text
    return f"{text} {_UNIT_LABEL[unit, 'fa' if lang == 'fa' else 'en']}"


@dataclass(frozen=True)
class Amount:
    """An amount inside a message, shown as every amount is: ``InputError("… ({balance})",
    balance=Amount(rials, actor.money_unit))`` reads «۱۲٬۵۰۰٬۰۰۰ ریال» (or «۱٬۲۵۰٬۰۰۰ تومان») on
    a Persian page and "12,500,000 IRR" in English. The catalogue calls :meth:`localized` with
    the reader's language when it fills the message."""

    rials: int
    unit: Unit = "rial"

    def localized(self, lang: str) -> str:
        return format_money(self.rials, self.unit, lang)

    def __str__(self) -> str:
        return self.localized("en")


def parse_money(raw: str, unit: Unit = "rial") -> int:
    """Rials from an amount typed in ``unit`` (a trailing unit word is allowed if it matches).

    Refuses fractions of a Rial, more than one decimal of a Toman, and an amount typed with
    the other unit's name.
    """
    if not isinstance(raw, str):
        raise TypeError(f"parse_money takes the text the user typed, not {type(raw).__name__}")
    _check_unit(unit)
    other: Unit = "toman" if unit == "rial" else "rial"
    if _UNIT_WORDS[other].search(raw):
        raise InputError(
            "This amount must be entered in Rials"
            if unit == "rial"
            else "This amount must be entered in Tomans"
        )
    value = parse_decimal(_UNIT_WORDS[unit].sub("", raw))
    rials = value * RIALS_PER_TOMAN if unit == "toman" else value
    if rials != rials.to_integral_value():
        raise InputError(
            "Enter a whole number of Rials" if unit == "rial" else "Tomans can have at most one decimal place"
        )
    return int(rials)
