"""The stock documents' number series: gapless per kind and Jalali fiscal year, taken when a
document is posted (``kernel.take_number``), so a failed post gives its number back."""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session

from kernel import NumberSeries, take_number

SERIES = (NumberSeries("inventory.receipt", "Goods receipts", default_prefix="RCV-", sequence=50),
          NumberSeries("inventory.issue", "Goods issues", default_prefix="ISS-", sequence=51),
          NumberSeries("inventory.transfer", "Stock transfers", default_prefix="TRF-", sequence=52))


def next_number(session: Session, kind: str, on: dt.date) -> str:
    """The next number of the kind's series in the fiscal year of ``on``: ``RCV-1405-00007``."""
    return take_number(session, f"inventory.{kind}", on)
