"""Exact decimals kept as integers: a percentage of 2.5 is 250 basis points, a quantity of 2.75
metres is 2750 thousandths.

SQLite has no exact decimal type (SQLAlchemy's ``Numeric`` goes through a float there), so the
column is an integer on both engines and Python sees a ``Decimal``. :class:`Percent` is the one a
``Field(kind="percent")`` is read from: a tax rate, a commission, a discount percentage.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from sqlalchemy import BigInteger, Integer
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator


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


class Percent(ScaledDecimal):
    """A percentage: ``Decimal("9.5")`` in Python, 950 (basis points) in an integer column.
    ``mapped_column(Percent())`` makes its field a ``kind="percent"`` one without declaring it."""

    cache_ok = True

    def __init__(self) -> None:
        super().__init__(2)


def plain(value: Decimal) -> str:
    """A scaled decimal as people write it: "10", "2.5" (never "10.00" or "1E+1")."""
    if value == value.to_integral_value():
        return str(int(value))
    return format(value.normalize(), "f")
