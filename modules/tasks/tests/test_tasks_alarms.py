"""A task's "remind at" and its referral alarm use the kernel's reminders (TSK-02, TSK-03, KER-11),
on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from sqlalchemy import select

from kernel import records
from kernel.jobs import run_due
from kernel.persian.jalali import to_jalali
from kernel.reminders.alarms import dismiss
from kernel.reminders.models import Alarm, Reminder
from kernel.testing import actor_of, alarms_of, create_record, create_user, jalali_at
from kernel.timezone import local_today
from modules.tasks.models import Task

ENGINES = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]
PERMS = ("tasks.task.*", "kernel.reminder.*", "base.partner.*")


# Next Jalali year: reminders are created "before" the times the tests drive the clock to,
# whatever day the suite runs (a recurring reminder created after its first time starts later).
Y = to_jalali(local_today()).year + 1



@pytest.fixture(params=ENGINES)
def kernel(request: pytest.FixtureRequest, make_kernel: Any) -> Any:
    return make_kernel(edition="tier2", engine=request.param)




def test_a_task_reminds_its_assignee_and_stops_when_done(kernel: Any) -> None:
    sara = create_user(kernel, "sara", perms=PERMS)
    reza = create_user(kernel, "reza", perms=PERMS)
    at = jalali_at(Y, 9, 10, 10, 0)
    tid = create_record(kernel, sara, "tasks.task", title="ارسال پیش‌فاکتور", progress=0, priority="normal",
              assignee_id=reza, remind_at=at)
    with kernel.sessions() as s:
        assert [(a.kind, a.user_id) for a in s.scalars(select(Alarm))] == [("referral", reza)]
    run_due(kernel, now=at + dt.timedelta(minutes=1))
    assert [t for t, _ in alarms_of(kernel, reza)] == ["ارسال پیش‌فاکتور", "ارسال پیش‌فاکتور"]
    assert alarms_of(kernel, sara) == []
    # A new reminder time rings again; a task done before its time rings no more.
    who = actor_of(kernel, reza)
    later = at + dt.timedelta(days=1)
    with kernel.session(who) as s:
        records.update_record(kernel, s, who, kernel.resources["tasks.task"], tid, {"remind_at": later})
    with kernel.session(who) as s:
        records.update_record(kernel, s, who, kernel.resources["tasks.task"], tid, {"progress": 100})
    run_due(kernel, now=later + dt.timedelta(minutes=1))
    assert len(alarms_of(kernel, reza)) == 2
    with kernel.sessions() as s:
        task = s.get(Task, tid)
        assert task is not None and task.done_at is not None
        assert s.scalars(select(Reminder).where(Reminder.link_resource == "tasks.task", Reminder.link_id == tid)).one().next_at is None


def test_self_assigned_tasks_raise_no_referral_and_dismiss_is_personal(kernel: Any) -> None:
    sara = create_user(kernel, "sara", perms=PERMS)
    reza = create_user(kernel, "reza", perms=PERMS)
    create_record(kernel, sara, "tasks.task", title="کار خودم", progress=0, priority="low")
    assert alarms_of(kernel, sara) == []
    create_record(kernel, sara, "tasks.task", title="برای رضا", progress=0, priority="low", assignee_id=reza)
    with kernel.session() as s:
        alarm_id = s.scalars(select(Alarm.id)).one()
        assert dismiss(s, sara, alarm_id) == 0  # not hers
        assert dismiss(s, reza, alarm_id) == 1
    with kernel.sessions() as s:
        assert s.scalars(select(Alarm)).one().seen_at is not None
