"""Tax rates by date: VAT and municipal tax as base data, each rate in force from its date.

A document uses the rates in force on its own date (``rates_on``) and keeps them on its header
once issued, so a later change of the table never changes an issued document. A rate is a
percentage (``kernel.scaled.Percent``: typed and shown as ۹٪, ``Decimal("9")`` in Python, 900
basis points in the column); ``rates_on`` answers basis points, as the documents keep them.

VAT and municipal tax are two kinds of row, each with its own dates: a document pays both, each
at the rate of its kind in force on its date (0 before a kind's first row).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from functools import cache
from typing import Any

from sqlalchemy import Date, Index, String, bindparam, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from kernel import Base, InputError, Percent, Record
from kernel.memo import cached

VAT = "vat"
MUNICIPAL = "municipal"
TAX_KINDS = ((VAT, "VAT"), (MUNICIPAL, "Municipal tax"))


class TaxRate(Record, Base):
    __tablename__ = "finance_tax_rate"
    __table_args__ = (Index("ix_finance_tax_rate_kind_from", "kind", "valid_from"),)
    kind: Mapped[str] = mapped_column(String(12))
    rate: Mapped[Decimal] = mapped_column(Percent())
    valid_from: Mapped[dt.date]
    note: Mapped[str | None] = mapped_column(String(200))

    def before_save(self) -> None:
        # The form's field refuses it already; a service writing the row directly is held too.
        if self.rate is not None and not 0 <= self.rate <= 100:
            raise InputError("A percentage is between 0 and 100")


def _in_force(kind: str, day: Any) -> Any:
    """The rate of ``kind`` in force on ``day``: the live row with the latest start on or before
    it (a scalar subquery; NULL before the first one)."""
    return (select(TaxRate.rate).where(TaxRate.kind == kind, TaxRate.valid_from <= day, TaxRate.deleted_at.is_(None))
            .order_by(TaxRate.valid_from.desc(), TaxRate.id.desc()).limit(1).scalar_subquery())


def _bp(rate: Decimal | None) -> int:
    return int((rate or 0) * 100)  # basis points: 9.5 % → 950


def rate_on(session: Session, kind: str, day: dt.date) -> int:
    """The rate of ``kind`` in force on ``day``, in basis points; 0 before the first one."""
    return _bp(session.scalar(select(_in_force(kind, day))))


@cache
def _both() -> Any:
    day = bindparam("day", type_=Date)
    return select(_in_force(VAT, day), _in_force(MUNICIPAL, day))


def rates_on(session: Session, day: dt.date) -> tuple[int, int]:
    """(VAT, municipal tax) in basis points on ``day``, by one statement built once. Every
    draft's recomputation asks, so within a request the answer is the one kept by
    :mod:`kernel.memo` (the tax rates are a shared resource: a change to them, in any process,
    drops it)."""
    def read() -> tuple[int, int]:
        vat, municipal = session.execute(_both(), {"day": day}).one()
        return _bp(vat), _bp(municipal)

    return cached(("finance.rates_on", day), read)
