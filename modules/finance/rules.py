"""Input rules the finance forms share: prices, quantities, validity dates (percentages are the
kernel's ``kind="percent"`` fields)."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from kernel import InputError
from modules.finance.models.scaled import places_check

# The help under every percent field (the kernel also takes «۲٫۵٪» and «2.5%»).
PERCENT_HELP = "A bare number, e.g. ۲٫۵"
# A billion units is beyond any line; a larger number is a typing slip (and would not fit the column).
quantity_rule = places_check(3, Decimal(0), Decimal(10) ** 9, "A quantity is between 0 and 1,000,000,000")


def money_rule(value: int) -> None:
    if value < 0:
        raise InputError("A price cannot be negative")


def validity_rule(values: Mapping[str, Any], **_: Any) -> dict[str, InputError]:
    """The end of a validity period is not before its start (both Jalali in the forms)."""
    start, end = values.get("valid_from"), values.get("valid_to")
    if start is not None and end is not None and end < start:
        return {"valid_to": InputError("The end of validity cannot be before its start")}
    return {}
