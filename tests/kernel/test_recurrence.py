"""When reminders fall due (TSK-03): local wall clock, Jalali months and years, missed times."""

from __future__ import annotations

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from kernel.persian.jalali import to_jalali
from kernel.reminders.recurrence import first_due, latest_until, next_after
from kernel.testing import jalali_at
from kernel.timezone import to_local


def jalali_of(moment: dt.datetime) -> tuple[int, int, int, int, int]:
    local = to_local(moment)
    j = to_jalali(local.date())
    return j.year, j.month, j.day, local.hour, local.minute


def test_monthly_on_the_31st_falls_on_the_last_day_of_shorter_months() -> None:
    first = jalali_at(1405, 6, 31)
    seen = []
    moment = first
    for _ in range(8):
        moment = next_after(first, "monthly", moment)  # type: ignore[assignment]
        seen.append(jalali_of(moment)[:3])
    assert seen == [(1405, 7, 30), (1405, 8, 30), (1405, 9, 30), (1405, 10, 30), (1405, 11, 30), (1405, 12, 29),
                    (1406, 1, 31), (1406, 2, 31)]


def test_monthly_on_the_first_keeps_the_local_time() -> None:
    first = jalali_at(1405, 9, 1, 9, 30)
    moment = next_after(first, "monthly", first)
    assert moment is not None and jalali_of(moment) == (1405, 10, 1, 9, 30)


def test_yearly_on_esfand_30_of_a_leap_year() -> None:
    first = jalali_at(1403, 12, 30)  # 1403 is a leap year
    following = next_after(first, "yearly", first)
    assert following is not None and jalali_of(following)[:3] == (1404, 12, 29)
    later = next_after(first, "yearly", following)
    assert later is not None and jalali_of(later)[:3] == (1405, 12, 29)


def test_daily_and_weekly() -> None:
    first = jalali_at(1405, 9, 3, 8, 0)
    assert jalali_of(next_after(first, "daily", first))[:4] == (1405, 9, 4, 8)  # type: ignore[arg-type]
    assert jalali_of(next_after(first, "weekly", first))[:4] == (1405, 9, 10, 8)  # type: ignore[arg-type]


def test_a_one_off_has_no_next_time_once_passed() -> None:
    first = jalali_at(1405, 9, 3)
    assert next_after(first, "none", first - dt.timedelta(minutes=1)) == first
    assert next_after(first, "none", first) is None
    assert latest_until(first, "none", first + dt.timedelta(days=3)) == first


def test_after_a_downtime_only_the_latest_missed_time_counts() -> None:
    first = jalali_at(1405, 9, 1, 9, 0)
    back_at = jalali_at(1405, 9, 5, 12, 0)
    assert jalali_of(latest_until(first, "daily", back_at))[:4] == (1405, 9, 5, 9)  # type: ignore[arg-type]
    assert jalali_of(next_after(first, "daily", back_at))[:4] == (1405, 9, 6, 9)  # type: ignore[arg-type]


def test_a_recurring_reminder_created_late_starts_at_its_next_time() -> None:
    first = jalali_at(1405, 8, 1, 9, 0)
    now = jalali_at(1405, 9, 3, 10, 0)
    assert jalali_of(first_due(first, "monthly", now))[:3] == (1405, 10, 1)
    assert first_due(first, "none", now) == first  # a one-off in the past rings at once


moments = st.datetimes(min_value=dt.datetime(2020, 1, 1), max_value=dt.datetime(2035, 1, 1))


@given(moments, st.sampled_from(["daily", "weekly", "monthly", "yearly"]), st.integers(0, 4000))
def test_latest_and_next_bracket_now(first: dt.datetime, repeat: str, days_later: int) -> None:
    now = first + dt.timedelta(days=days_later, minutes=7)
    latest, following = latest_until(first, repeat, now), next_after(first, repeat, now)
    assert latest is not None and following is not None
    assert first <= latest <= now < following
    assert next_after(first, repeat, latest) == following
    # The Jalali day of month is kept (or the month's last day when the month is shorter).
    day = to_jalali(to_local(first).date()).day
    if repeat == "monthly":
        assert to_jalali(to_local(following).date()).day in ({day} if day <= 29 else {day, 29, 30, 31})
