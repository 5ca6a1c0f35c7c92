"""Reminders that ring on working days only (KER-19 with KER-11): a time on the weekend or an
official holiday moves to the next working day at the same local time, and a monthly reminder
keeps counting from its own day."""

from __future__ import annotations

import datetime as dt

import pytest

from kernel.jobs import run_due
from kernel.persian.jalali import jalali_to_date
from kernel.reminders.models import Reminder
from kernel.reminders.services import create_reminder
from kernel.testing import create_user
from kernel.timezone import to_local, to_utc


def _at(year: int, month: int, day: int, hour: int = 9) -> dt.datetime:
    return to_utc(dt.datetime.combine(jalali_to_date(year, month, day), dt.time(hour)))


@pytest.mark.parametrize("engine", ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def test_nowruz_and_fridays_move_a_reminder_to_the_next_working_day(make_kernel, engine):
    kernel = make_kernel(engine=engine)
    uid = create_user(kernel, "sara")
    with kernel.session() as s:
        # 1 Farvardin 1406: Nowruz (1–4 Farvardin are holidays); 5 Farvardin is a Thursday.
        nowruz = create_reminder(s, user_id=uid, at=_at(1406, 1, 1), title="گزارش ماهانه", repeat="monthly",
                                 working_days=True)
        plain = create_reminder(s, user_id=uid, at=_at(1406, 1, 1), title="بدون جابه‌جایی", repeat="monthly")
        # 20 Azar 1405 is Friday 11 December 2026.
        friday = create_reminder(s, user_id=uid, at=_at(1405, 9, 20), title="پیگیری", working_days=True)
        ids = nowruz.id, plain.id, friday.id
    with kernel.sessions() as s:
        got = {r.id: r.next_at for r in s.query(Reminder)}
    assert to_local(got[ids[0]]) == dt.datetime.combine(jalali_to_date(1406, 1, 5), dt.time(9))
    assert to_local(got[ids[1]]) == dt.datetime.combine(jalali_to_date(1406, 1, 1), dt.time(9))
    assert to_local(got[ids[2]]) == dt.datetime(2026, 12, 12, 9)  # Saturday
    # Rung on 5 Farvardin, the monthly one is next due on 1 Ordibehesht (a Wednesday), not the 5th.
    run_due(kernel, now=got[ids[0]] + dt.timedelta(minutes=1))
    with kernel.sessions() as s:
        after = s.get(Reminder, ids[0]).next_at
    assert to_local(after) == dt.datetime.combine(jalali_to_date(1406, 2, 1), dt.time(9))
