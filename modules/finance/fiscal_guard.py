"""The one guard of a closed fiscal year (FIN-16): nothing is created, issued, edited, voided or
paid with a date in a Jalali year that has been closed.

Every service that writes money or a document with a date calls :func:`refuse_closed` (drafts and
the documents' header rules, issuing, converting, cancelling, voiding, receipts, plan payments,
cheques and their changes of state), so the refusal holds whatever path — form, API, import,
service — wrote the change.

It costs nothing for the common case: a year can be closed only after it ended, so a date in
this Jalali year or later (today in the instance's timezone) is open without reading anything;
only an earlier date reads the one ``finance_fiscal_year`` row of its year (a unique key).

**A write and a close at the same moment** (:func:`hold_year`). On PostgreSQL a write dated in
an earlier year first takes that year's lock *shared*, then reads the year's state, and keeps the
lock until its transaction ends; the close (and its undo) take the same lock *exclusive* before
they read anything. So a close started while such a write is in flight waits for it and then
counts it (or is refused by it, a draft), and a write started while a close is in flight waits
for it and is then refused; writes of the same year never wait for each other. The lock is a
transaction-level advisory lock keyed by the year, not the year's row: most years have no row
until they are closed, and making one for every earlier year a write touches would leave "open"
rows no one closed in the list of fiscal years (and make the first writers of a year queue on
its unique key). On SQLite every write transaction holds the database's write lock from its
first statement (``BEGIN IMMEDIATE``, :mod:`kernel.db`): a write and a close never overlap."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import Integer, cast, func, literal, select
from sqlalchemy.orm import Session

from kernel import InputError
from kernel.numbering import fiscal_year
from kernel.persian.numbers import to_persian_digits
from kernel.records import FormErrors
from kernel.timezone import local_today
from modules.finance.models.fiscal import FiscalYear

# The first key of the fiscal years' advisory locks ("FISC"), the year being the second: no other
# lock of the application uses this key.
LOCK_KEY = 0x46495343


def hold_year(session: Session, year: int, exclusive: bool = False) -> None:
    """On PostgreSQL, the lock of ``year`` until the transaction ends: shared for a write dated in
    it, exclusive for its close or undo (see the module's docstring). Nothing on SQLite."""
    if session.get_bind().dialect.name != "postgresql":
        return
    take = func.pg_advisory_xact_lock if exclusive else func.pg_advisory_xact_lock_shared
    # Its own statement: under READ COMMITTED the state read next sees what the holder committed.
    session.execute(select(take(cast(literal(LOCK_KEY), Integer), cast(literal(year), Integer))))


def closed_year(session: Session, on: dt.date | None, today: dt.date) -> int | None:
    """The Jalali year of ``on`` if that year is closed, else None. An earlier year's lock is
    taken first (shared, held until the transaction ends): a close cannot slip in between."""
    if on is None or isinstance(on, dt.datetime) or not isinstance(on, dt.date):
        return None
    year = fiscal_year(on)
    if year >= fiscal_year(today):
        return None  # this year and later cannot be closed yet
    hold_year(session, year)
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
