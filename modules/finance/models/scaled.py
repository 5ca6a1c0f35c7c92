"""Exact decimals kept as integers: a commission of 2.5 % is 250 basis points, a quantity of
2.75 metres is 2750 thousandths. SQLite has no exact decimal type (SQLAlchemy's ``Numeric``
goes through a float there), so the column is an integer on both engines and Python sees a
``Decimal``; forms parse and show it as a decimal field (``Field(kind="decimal")``)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from sqlalchemy import BigInteger, Integer
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator

from kernel import InputError


class ScaledDecimal(TypeDecorator[Decimal]):
    """A ``Decimal`` with ``places`` decimals, stored as ``value × 10**places``."""

    impl = Integer
    cache_ok = True

    def __init__(self, places: int) -> None:
        super().__init__()
        self.places = places
        self.factor = 10 ** places

    def process_bind_param(self, value: Any, dialect: Dialect) -> int | None:
        if value is None:
            return None
        scaled = Decimal(value) * self.factor
        if scaled != scaled.to_integral_value():
            raise ValueError(f"{value} has more than {self.places} decimals")
        return int(scaled)

    def process_result_value(self, value: Any, dialect: Dialect) -> Decimal | None:
        if value is None:
            return None
        return (Decimal(int(value)) / self.factor).quantize(Decimal(1).scaleb(-self.places))

    def coerce_compared_value(self, op: Any, value: Any) -> Any:
        return self


class ScaledBigDecimal(ScaledDecimal):
    """The same on a 64-bit column (quantities)."""

    impl = BigInteger
    cache_ok = True


def places_check(places: int, low: Decimal | None = None, high: Decimal | None = None,
                 message: str = "") -> Any:
    """A ``Field.validate`` rule: at most ``places`` decimals, within [low, high]."""

    def check(value: Decimal) -> None:
        if Decimal(value).normalize().as_tuple().exponent < -places:  # type: ignore[operator]
            raise InputError("At most {n} decimal places", n=places)
        if (low is not None and value < low) or (high is not None and value > high):
            raise InputError(message or "Out of range")

    return check


PERCENT = ScaledDecimal(2)   # basis points: 2.5 % → 250
QUANTITY = ScaledBigDecimal(3)  # thousandths: 2.75 → 2750


def plain(value: Decimal) -> str:
    """A quantity or percentage as people write it: "10", "2.5" (never "10.000" or "1E+1")."""
    if value == value.to_integral_value():
        return str(int(value))
    return format(value.normalize(), "f")
