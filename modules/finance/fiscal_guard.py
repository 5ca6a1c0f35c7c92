"""The one guard of a closed fiscal year (FIN-16): nothing is created, issued, edited, voided or
paid with a date in a Jalali year that has been closed.

Every service that writes money or a document with a date calls :func:`refuse_closed` (drafts and
the documents' header rules, issuing, converting, cancelling, voiding, receipts, plan payments,
cheques and their changes of state), so the refusal holds whatever path — form, API, import,
service — wrote the change.

It costs nothing for the common case: a year can be closed only after it ended, so a date in
this Jalali year or later (today in the instance's timezone) is open without reading anything;
only an earlier date reads the one ``finance_fiscal_year`` row of its year (a unique key)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from kernel import InputError
from kernel.numbering import fiscal_year
from kernel.persian.numbers import to_persian_digits
from kernel.records import FormErrors
from kernel.timezone import local_today
from modules.finance.models.fiscal import FiscalYear


def closed_year(session: Session, on: dt.date | None, today: dt.date) -> int | None:
    """The Jalali year of ``on`` if that year is closed, else None."""
    if on is None or isinstance(on, dt.datetime) or not isinstance(on, dt.date):
        return None
    year = fiscal_year(on)
    if year >= fiscal_year(today):
        return None  # this year and later cannot be closed yet
    state = session.scalar(select(FiscalYear.state).where(FiscalYear.year == year))
    return year if state == "closed" else None


def closed_error(year: int) -> InputError:
    return InputError("The fiscal year {year} is closed: nothing dated in it can be written, issued, changed or "
                      "paid. Date it in an open year, or undo the close of {year} on the fiscal year page.",
                      year=to_persian_digits(str(year)))


def problems(kernel: Any, session: Session, dates: dict[str, dt.date | None]) -> dict[str, InputError]:
    """``{field: refusal}`` for each of ``dates`` (field → date) that falls in a closed year."""
    today = local_today(kernel.config.timezone)
    out: dict[str, InputError] = {}
    for field, on in dates.items():
        year = closed_year(session, on, today)
        if year is not None:
            out[field] = closed_error(year)
    return out


def refuse_closed(kernel: Any, session: Session, **dates: dt.date | None) -> None:
    """Raise ``FormErrors`` naming the closed year on each field whose date is in one."""
    found = problems(kernel, session, dates)
    if found:
        raise FormErrors(found)
