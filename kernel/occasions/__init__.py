"""Occasions and holidays (KER-19): the service module authors use.

    from kernel.occasions import is_holiday, next_working_day, occasions_on, occasions_between

See docs/plugins.md, "Occasions and holidays".
"""

from kernel.occasions.fill import fill_year
from kernel.occasions.models import Occasion
from kernel.occasions.service import (
    holidays_between,
    is_holiday,
    next_working_day,
    occasions_between,
    occasions_on,
    working_days,
)
from kernel.occasions.workweek import half_days, weekend

__all__ = [
    "Occasion", "fill_year", "half_days", "holidays_between", "is_holiday", "next_working_day",
    "occasions_between", "occasions_on", "weekend", "working_days",
]
