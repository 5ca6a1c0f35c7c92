"""Document numbers: the one place the documents take a number from a series.

The series are ``finance.proforma`` (prefix ``PF-``) and ``finance.invoice`` (``INV-``), numbered
by the kernel (:func:`kernel.take_number`): gapless per series and Jalali fiscal year, taken
inside the caller's transaction when the document is issued, so a save that fails rolls its
number back with everything else. The administrator changes prefix and padding on
``/admin/numbering``.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session

from kernel import NumberSeries, take_number

SERIES = (NumberSeries("finance.proforma", "Proformas", default_prefix="PF-", sequence=20),
          NumberSeries("finance.invoice", "Invoices", default_prefix="INV-", sequence=30),
          # -- purchases: our number of a supplier's invoice, taken when it is posted (FIN-18)
          NumberSeries("finance.purchase", "Purchase invoices", default_prefix="PUR-", sequence=40))


def next_number(session: Session, series: str, on: dt.date) -> str:
    """The next number of ``series`` in the fiscal year of ``on``: ``INV-1403-00042``."""
    return take_number(session, series, on)
