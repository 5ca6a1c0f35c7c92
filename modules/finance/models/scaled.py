"""Finance's exact decimals, on the kernel's scaled integer columns (``kernel.scaled``): a
commission or a discount of 2.5 % is 250 basis points (``Percent``: a ``kind="percent"`` field,
typed and shown as ۲٫۵٪), a quantity of 2.75 metres is 2750 thousandths."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from kernel import InputError
from kernel.scaled import Percent, ScaledBigDecimal, plain

__all__ = ["PERCENT", "QUANTITY", "places_check", "plain"]


def places_check(places: int, low: Decimal | None = None, high: Decimal | None = None,
                 message: str = "") -> Any:
    """A ``Field.validate`` rule: at most ``places`` decimals, within [low, high]."""

    def check(value: Decimal) -> None:
        if Decimal(value).normalize().as_tuple().exponent < -places:  # type: ignore[operator]
            raise InputError("At most {n} decimal places", n=places)
        if (low is not None and value < low) or (high is not None and value > high):
            raise InputError(message or "Out of range")

    return check


PERCENT = Percent()   # basis points: 2.5 % → 250
QUANTITY = ScaledBigDecimal(3)  # thousandths: 2.75 → 2750
