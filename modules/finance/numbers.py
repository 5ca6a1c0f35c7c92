"""Document numbers: the one place the documents take a number from a series.

The series are ``finance.proforma`` (prefix ``PF-``) and ``finance.invoice`` (``INV-``), gapless
per series and Jalali fiscal year, taken inside the caller's transaction at issue: a save that
fails rolls its number back with everything else.

TEMPORARY: until the kernel's ``kernel.numbering.take_number(session, series, on)`` is merged,
``next_number`` numbers from the documents' own tables (the highest number of the series and
year, plus one) under a lock of the series: a PostgreSQL transaction-level advisory lock; on
SQLite every write transaction already holds the database's write lock (``BEGIN IMMEDIATE``).
Replace the body of ``next_number`` with ``take_number`` and declare ``SERIES`` through the
``register_number_series`` hook when it lands.
"""

from __future__ import annotations

import datetime as dt
import zlib
from dataclasses import dataclass

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from kernel.persian.jalali import to_jalali


@dataclass(frozen=True)
class Series:
    key: str
    label: str
    default_prefix: str


SERIES = (Series("finance.proforma", "Proformas", "PF-"), Series("finance.invoice", "Invoices", "INV-"))
_BY_KEY = {s.key: s for s in SERIES}
DIGITS = 6


def next_number(session: Session, series: str, on: dt.date) -> str:
    """The next number of ``series`` in the Jalali fiscal year of ``on``: ``INV-1403-000042``."""
    from modules.finance.models import Invoice, Proforma

    model = {"finance.proforma": Proforma, "finance.invoice": Invoice}[series]
    stem = f"{_BY_KEY[series].default_prefix}{to_jalali(on).year}-"
    if session.get_bind().dialect.name == "postgresql":
        # One writer per series and year at a time, until the transaction ends.
        session.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": zlib.crc32(stem.encode())})
    last = session.scalars(select(model.number).where(model.number.like(stem + "%"))  # type: ignore[attr-defined]
                           .order_by(model.number.desc()).limit(1)).first()  # type: ignore[attr-defined]
    seq = int(last[len(stem):]) + 1 if last else 1
    return f"{stem}{seq:0{DIGITS}d}"
