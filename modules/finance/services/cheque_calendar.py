"""The cheques' due-date calendar (a Jalali month, weeks from Saturday) and the expected cash-in
per week (FIN-09), read through the user's record scope: a cheque is as visible as its customer.

Each is two statements on the due-date index (``ix_finance_cheque_due``): the sums per day in
the database, and the month's rows for the names (at most ``ROWS_MAX``; the sums stay exact).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from kernel import Actor, InputError
from kernel.persian.jalali import jalali_month_range, to_jalali
from kernel.persian.numbers import parse_int
from modules.base.models import Partner
from modules.finance.cheque_states import EXPECTED
from modules.finance.models import Cheque

ROWS_MAX = 1000
SHOWN_PER_DAY = 6
WEEKS = 12
SATURDAY = 5  # date.weekday(): Monday 0 … Saturday 5; a Persian week starts on Saturday


@dataclass
class Day:
    date: dt.date
    day: int  # the Jalali day of the month
    today: bool
    count: int = 0
    total: int = 0  # every cheque due that day, Rials
    expected: int = 0  # of which still to come in (received, in the safe, deposited)
    cheques: list[Any] = field(default_factory=list)  # (cheque, partner name), at most SHOWN_PER_DAY

    @property
    def more(self) -> int:
        return self.count - len(self.cheques)


@dataclass
class Month:
    year: int
    month: int
    weeks: list[list[Day | None]]
    count: int
    total: int
    expected: int
    previous: tuple[int, int]
    next: tuple[int, int]


@dataclass
class Week:
    start: dt.date
    end: dt.date  # the Friday
    count: int = 0
    total: int = 0
    overdue: bool = False  # the row of cheques due before this week and still to come in


def month_asked(y: str | None, m: str | None, today: dt.date) -> tuple[int, int]:
    """The Jalali (year, month) of ``?y=&m=``; this month for anything that is not one."""
    here = to_jalali(today)
    try:
        year, month = parse_int(y or ""), parse_int(m or "")
    except InputError:  # whatever was typed into the address bar: this month
        return here.year, here.month
    if not (1300 <= year <= 1500 and 1 <= month <= 12):
        return here.year, here.month
    return year, month


def _step(year: int, month: int, by: int) -> tuple[int, int]:
    index = year * 12 + month - 1 + by
    return index // 12, index % 12 + 1


def month(kernel: Any, session: Session, actor: Actor, year: int, month_: int, today: dt.date) -> Month:
    start, end = jalali_month_range(year, month_)
    live = (Cheque.due_date >= start, Cheque.due_date < end, Cheque.deleted_at.is_(None))
    expected = func.sum(case((Cheque.state.in_(EXPECTED), Cheque.amount), else_=0))
    sums = {row[0]: row[1:] for row in session.execute(
        kernel.scoped_select(actor, Cheque).with_only_columns(Cheque.due_date, func.count(), func.sum(Cheque.amount),
                                                              expected)
        .where(*live).group_by(Cheque.due_date))}
    days = {}
    d = start
    while d < end:
        count, total, exp = sums.get(d, (0, 0, 0))
        days[d] = Day(d, to_jalali(d).day, d == today, int(count), int(total or 0), int(exp or 0))
        d += dt.timedelta(days=1)
    # Only the first few of each day, as plain columns: a busy month has thousands of cheques.
    place = func.row_number().over(partition_by=Cheque.due_date, order_by=Cheque.id).label("place")
    shown = (kernel.scoped_select(actor, Cheque)
             .with_only_columns(Cheque.id, Cheque.due_date, Cheque.amount, Cheque.state, Cheque.partner_id, place)
             .where(*live).subquery())
    for row in session.execute(
            select(shown, Partner.name).join(Partner, Partner.id == shown.c.partner_id)
            .where(shown.c.place <= SHOWN_PER_DAY).order_by(shown.c.due_date, shown.c.id).limit(ROWS_MAX)):
        days[row.due_date].cheques.append((row, row.name))
    cells: list[Day | None] = [None] * ((start.weekday() - SATURDAY) % 7) + list(days.values())
    cells += [None] * (-len(cells) % 7)
    return Month(year, month_, [cells[i:i + 7] for i in range(0, len(cells), 7)],
                 sum(c.count for c in days.values()), sum(c.total for c in days.values()),
                 sum(c.expected for c in days.values()), _step(year, month_, -1), _step(year, month_, 1))


def cash_in(kernel: Any, session: Session, actor: Actor, today: dt.date, weeks: int = WEEKS) -> list[Week]:
    """What the cheques still to come in bring, per Persian week (Saturday to Friday) from this
    one, after a first row of those already due before it."""
    first = today - dt.timedelta(days=(today.weekday() - SATURDAY) % 7)
    end = first + dt.timedelta(days=7 * weeks)
    rows = [Week(first - dt.timedelta(days=1), first - dt.timedelta(days=1), overdue=True)]
    rows += [Week(first + dt.timedelta(days=7 * i), first + dt.timedelta(days=7 * i + 6)) for i in range(weeks)]
    stmt = (kernel.scoped_select(actor, Cheque)
            .with_only_columns(Cheque.due_date, func.count(), func.sum(Cheque.amount))
            .where(Cheque.state.in_(EXPECTED), Cheque.due_date < end, Cheque.deleted_at.is_(None))
            .group_by(Cheque.due_date))
    for due, count, total in session.execute(stmt):
        row = rows[0] if due < first else rows[1 + (due - first).days // 7]
        row.count += int(count)
        row.total += int(total or 0)
    return rows
