"""Tax rates by date: VAT and municipal tax as base data, each rate in force from its date.

A document uses the rates in force on its own date (``rates_on``) and keeps them on its header
once issued, so a later change of the table never changes an issued document. Rates are integer
basis points: 900 is 9 %.
"""

from __future__ import annotations

import datetime as dt
from functools import cache
from typing import Any

from sqlalchemy import Date, Index, Integer, String, bindparam, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from kernel import Base, InputError, Record

VAT = "vat"
MUNICIPAL = "municipal"
TAX_KINDS = ((VAT, "VAT"), (MUNICIPAL, "Municipal tax"))


class TaxRate(Record, Base):
    __tablename__ = "finance_tax_rate"
    __table_args__ = (Index("ix_finance_tax_rate_kind_from", "kind", "valid_from"),)
    kind: Mapped[str] = mapped_column(String(12))
    rate_bp: Mapped[int] = mapped_column(Integer)
    valid_from: Mapped[dt.date]
    note: Mapped[str | None] = mapped_column(String(200))

    def before_save(self) -> None:
        if self.rate_bp is not None and not 0 <= self.rate_bp <= 10_000:
            raise InputError("A rate is between 0 and 10000 basis points (100 %)")


def _in_force(kind: str, day: Any) -> Any:
    """The rate of ``kind`` in force on ``day``: the live row with the latest start on or before
    it (a scalar subquery; NULL before the first one)."""
    return (select(TaxRate.rate_bp).where(TaxRate.kind == kind, TaxRate.valid_from <= day, TaxRate.deleted_at.is_(None))
            .order_by(TaxRate.valid_from.desc(), TaxRate.id.desc()).limit(1).scalar_subquery())


def rate_on(session: Session, kind: str, day: dt.date) -> int:
    """The rate of ``kind`` in force on ``day``; 0 before the first one."""
    return int(session.scalar(select(_in_force(kind, day))) or 0)


@cache
def _both() -> Any:
    day = bindparam("day", type_=Date)
    return select(_in_force(VAT, day), _in_force(MUNICIPAL, day))


def rates_on(session: Session, day: dt.date) -> tuple[int, int]:
    """(VAT, municipal tax) in basis points on ``day``, by one statement built once (every
    draft's recomputation asks)."""
    vat, municipal = session.execute(_both(), {"day": day}).one()
    return int(vat or 0), int(municipal or 0)
