"""Reminders ring once and on time (TSK-03, KER-11): through the kernel's job runner, after a
downtime, after a restart, and with two server workers on one database (SQLite and PostgreSQL),
in an edition without the tasks module (tier 1)."""

from __future__ import annotations

import datetime as dt
import threading
from typing import Any

import pytest
from sqlalchemy import func, select

from kernel.jobs import run_due
from kernel.persian.jalali import to_jalali
from kernel.reminders.models import Alarm, Reminder
from kernel.reminders.scan import fire_due
from kernel.testing import actor_of, alarms_of, create_record, create_user, jalali_at
from kernel.timezone import local_today

ENGINES = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]
PERMS = ("kernel.reminder.*", "base.partner.*")


# Next Jalali year: reminders are created "before" the times the tests drive the clock to,
# whatever day the suite runs (a recurring reminder created after its first time starts later).
Y = to_jalali(local_today()).year + 1



@pytest.fixture(params=ENGINES)
def kernel(request: pytest.FixtureRequest, make_kernel: Any) -> Any:
    return make_kernel(edition="tier1", engine=request.param)




def test_a_reminder_rings_at_its_time_and_only_once(kernel: Any) -> None:
    uid = create_user(kernel, "sara", perms=PERMS)
    at = jalali_at(Y, 9, 10, 10, 0)
    create_record(kernel, uid, "kernel.reminder", title="تماس با آقای کاظمی", first_at=at, repeat="none")
    run_due(kernel, now=at - dt.timedelta(minutes=1))
    assert alarms_of(kernel, uid) == []
    run_due(kernel, now=at + dt.timedelta(seconds=31))
    assert alarms_of(kernel, uid) == [("تماس با آقای کاظمی", at)]
    run_due(kernel, now=at + dt.timedelta(minutes=5))
    assert len(alarms_of(kernel, uid)) == 1
    with kernel.sessions() as s:
        assert s.scalars(select(Reminder)).one().next_at is None


def test_a_monthly_reminder_rings_on_the_first_of_each_jalali_month(kernel: Any) -> None:
    uid = create_user(kernel, "sara", perms=PERMS)
    first = jalali_at(Y, 10, 1, 9, 0)
    create_record(kernel, uid, "kernel.reminder", title="گزارش ماهانه", first_at=first, repeat="monthly")
    for month in (10, 11, 12):
        due = jalali_at(Y, month, 1, 9, 0)
        run_due(kernel, now=due + dt.timedelta(seconds=40))
    run_due(kernel, now=jalali_at(Y, 12, 1, 9, 5))  # again in the same minute: nothing new
    assert [when for _, when in alarms_of(kernel, uid)] == [jalali_at(Y, m, 1) for m in (10, 11, 12)]


def test_a_time_passed_during_a_downtime_rings_once_after_a_restart(kernel: Any, make_kernel: Any) -> None:
    uid = create_user(kernel, "sara", perms=PERMS)
    first = jalali_at(Y, 9, 1, 8, 0)
    create_record(kernel, uid, "kernel.reminder", title="جلسه‌ی صبح", first_at=first, repeat="daily")
    create_record(kernel, uid, "kernel.reminder", title="یک‌باره", first_at=jalali_at(Y, 9, 2, 15, 0), repeat="none")
    run_due(kernel, now=first + dt.timedelta(minutes=1))
    kernel.engine.dispose()  # the server stops on the 1st and comes back on the 4th at noon
    again = make_kernel(edition="tier1", same_database_as=kernel, migrate=False)
    back = jalali_at(Y, 9, 4, 12, 0)
    run_due(again, now=back)
    run_due(again, now=back + dt.timedelta(minutes=1))
    assert sorted(alarms_of(again, uid), key=lambda a: a[1]) == [
        ("جلسه‌ی صبح", first), ("یک‌باره", jalali_at(Y, 9, 2, 15, 0)), ("جلسه‌ی صبح", jalali_at(Y, 9, 4, 8, 0))]
    with again.sessions() as s:
        daily = s.scalars(select(Reminder).where(Reminder.repeat == "daily")).one()
        assert daily.next_at == jalali_at(Y, 9, 5, 8, 0)


def test_two_workers_raise_each_alarm_exactly_once(kernel: Any, make_kernel: Any) -> None:
    """Two server processes (two kernels, two connection pools) run the jobs at the same moment;
    their scans also run bare, without the job lease, to show the alarms' own guard holds."""
    uid = create_user(kernel, "sara", perms=PERMS)
    at = jalali_at(Y, 9, 10, 10, 0)
    who = actor_of(kernel, uid)
    with kernel.session(who) as s:
        for i in range(300):
            s.add(Reminder(title=f"یادآوری {i}", first_at=at + dt.timedelta(seconds=i % 50), repeat="none",
                           user_id=uid))
    other = make_kernel(edition="tier1", same_database_as=kernel, migrate=False)
    barrier = threading.Barrier(2)
    errors: list[BaseException] = []

    def worker(k: Any, bare: bool) -> None:
        try:
            barrier.wait()
            if bare:
                with k.session() as s:
                    fire_due(s, at + dt.timedelta(minutes=1), k.config.timezone)
            else:
                run_due(k, now=at + dt.timedelta(minutes=1))
        except BaseException as exc:  # re-raised below, in the test's thread
            errors.append(exc)

    for bare in (False, True):
        threads = [threading.Thread(target=worker, args=(k, bare)) for k in (kernel, other)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    assert not errors
    with kernel.sessions() as s:
        assert s.scalar(select(func.count()).select_from(Alarm)) == 300
        per = s.execute(select(Alarm.reminder_id, func.count()).group_by(Alarm.reminder_id)).all()
        assert {n for _, n in per} == {1}
        assert s.scalar(select(func.count()).select_from(Reminder).where(Reminder.next_at.is_not(None))) == 0


def test_a_due_reminder_whose_alarm_exists_is_closed_without_a_second_one(kernel: Any) -> None:
    """A scan that died after raising alarms but before moving reminders on (or a second worker)
    leaves alarms whose reminders are still due: the next scan closes them and adds nothing."""
    uid = create_user(kernel, "sara", perms=PERMS)
    at = jalali_at(Y, 3, 1, 9, 0)
    rid = create_record(kernel, uid, "kernel.reminder", title="یک بار", first_at=at, repeat="none")
    with kernel.session() as s:
        s.add(Alarm(user_id=uid, reminder_id=rid, kind="reminder", title="یک بار", url="/", due_at=at))
    with kernel.session() as s:
        assert fire_due(s, at + dt.timedelta(minutes=1), kernel.config.timezone) == 1
    with kernel.sessions() as s:
        assert s.scalar(select(func.count()).select_from(Alarm)) == 1
        assert s.get(Reminder, rid).next_at is None
