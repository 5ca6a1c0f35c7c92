"""Upgrading a tier 2 database from the tasks module's reminders to the kernel's (KER-21): every
reminder and alarm keeps its id, times and link; alarms still show; nothing rings twice; new
rows continue after the copied ids (SQLite and PostgreSQL)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import sqlalchemy as sa
from alembic import command
from alembic.script import ScriptDirectory
from starlette.testclient import TestClient

from kernel import migrations
from kernel.jobs import run_due
from kernel.persian.jalali import to_jalali
from kernel.reminders.models import Alarm, Reminder
from kernel.testing import create_record, create_user, jalali_at
from kernel.timezone import local_today
from kernel.web.app import build_app
from modules.base.models import Partner

ENGINES = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]
OLD_TASKS_HEAD = "5b1d0c7e9a21"
Y = to_jalali(local_today()).year + 1



def at_old_tasks_head(kernel: Any) -> None:
    """The kernel and base at their heads without the kernel's reminder tables; tasks at its
    last revision before the move."""
    cfg = migrations.alembic_config(kernel)
    script = ScriptDirectory.from_config(cfg)
    base_heads = migrations._dependency_heads(kernel, script, ("base",), with_kernel=False)
    with kernel.engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, OLD_TASKS_HEAD)
        for head in base_heads:
            command.upgrade(cfg, head)
    tables = sa.inspect(kernel.engine).get_table_names()
    assert "tasks_reminder" in tables and "kernel_reminder" not in tables


@pytest.mark.parametrize("engine", ENGINES)
def test_old_reminders_and_alarms_move_to_the_kernel(make_kernel: Any, login_as: Any, engine: str) -> None:
    kernel = make_kernel(edition="tier2", engine=engine, migrate=False)
    at_old_tasks_head(kernel)
    sara = create_user(kernel, "sara", perms=("tasks.task.*", "kernel.reminder.*", "base.partner.*"))
    t0, t1 = jalali_at(Y, 1, 1), jalali_at(Y, 2, 1)
    now = jalali_at(Y, 1, 10)
    with kernel.session() as s:
        partner = Partner(kind="company", name="هتل رایان", owner_id=sara)
        s.add(partner)
        s.flush()
        pid = partner.id
        # The task as the old tasks table holds it: the model has columns of later migrations.
        old_task = sa.Table("tasks_task", sa.MetaData(), autoload_with=s.connection())
        tid = s.execute(sa.insert(old_task).values(
            title="ارسال پیش‌فاکتور", progress=0, priority="normal", internal=False, assignee_id=sara,
            owner_id=sara, search_key="", created_at=now, updated_at=now).returning(old_task.c.id)).scalar_one()
    common = {"note": None, "active": True, "by_email": False, "created_at": now, "updated_at": now,
              "owner_id": sara, "user_id": sara, "task_id": None, "partner_id": None, "link_resource": None,
              "link_id": None, "deleted_at": None}
    reminders = [
        # Monthly, rang on the 1st of Farvardin (alarm not yet seen), next on the 1st of Ordibehesht.
        {**common, "id": 11, "title": "گزارش ماهانه", "first_at": t0, "repeat": "monthly", "next_at": t1},
        # A one-off about a partner that rang and was dismissed.
        {**common, "id": 12, "title": "تماس با هتل", "first_at": t0, "repeat": "none", "next_at": None,
         "partner_id": pid},
        # A task's "remind at" (it also names the partner: the task wins).
        {**common, "id": 13, "title": "ارسال پیش‌فاکتور", "first_at": t1, "repeat": "none", "next_at": t1,
         "task_id": tid, "partner_id": pid},
        # Already linked to another module's record.
        {**common, "id": 14, "title": "سررسید چک", "first_at": t1, "repeat": "none", "next_at": t1,
         "link_resource": "finance.cheque", "link_id": 5, "partner_id": pid},
    ]
    alarm = {"user_id": sara, "kind": "reminder", "created_at": t0, "seen_at": None}
    alarms = [
        {**alarm, "id": 21, "reminder_id": 11, "title": "گزارش ماهانه", "url": "/tasks/reminder/11", "due_at": t0},
        {**alarm, "id": 22, "reminder_id": 12, "title": "تماس با هتل", "url": f"/base/partner/{pid}", "due_at": t0,
         "seen_at": t0 + dt.timedelta(hours=1)},
        {**alarm, "id": 23, "reminder_id": None, "kind": "referral", "title": "ارسال پیش‌فاکتور",
         "url": f"/tasks/task/{tid}", "due_at": t0},
    ]
    with kernel.engine.begin() as conn:
        # Reflected tables: their DateTime columns store times as SQLAlchemy wrote them before.
        old = sa.MetaData()
        conn.execute(sa.Table("tasks_reminder", old, autoload_with=conn).insert(), reminders)
        conn.execute(sa.Table("tasks_alarm", old, autoload_with=conn).insert(), alarms)
        conn.execute(sa.text("INSERT INTO kernel_role_permission (role_id, permission) SELECT role_id, "
                             "'tasks.daily_report.view' FROM kernel_user_role WHERE user_id = :u"), {"u": sara})

    migrations.upgrade(kernel)
    assert migrations.diff(kernel) == [] and not migrations.pending(kernel)
    tables = sa.inspect(kernel.engine).get_table_names()
    assert "tasks_reminder" not in tables and "tasks_alarm" not in tables
    with kernel.sessions() as s:
        moved = {r.id: (r.title, r.repeat, r.first_at, r.next_at, r.user_id, r.owner_id, r.link_resource, r.link_id)
                 for r in s.scalars(sa.select(Reminder))}
        assert moved == {
            11: ("گزارش ماهانه", "monthly", t0, t1, sara, sara, None, None),
            12: ("تماس با هتل", "none", t0, None, sara, sara, "base.partner", pid),
            13: ("ارسال پیش‌فاکتور", "none", t1, t1, sara, sara, "tasks.task", tid),
            14: ("سررسید چک", "none", t1, t1, sara, sara, "finance.cheque", 5),
        }
        assert {a.id: (a.reminder_id, a.kind, a.url, a.due_at, a.seen_at is not None)
                for a in s.scalars(sa.select(Alarm))} == {
            21: (11, "reminder", "/kernel/reminder/11", t0, False),
            22: (12, "reminder", f"/base/partner/{pid}", t0, True),
            23: (None, "referral", f"/tasks/task/{tid}", t0, False),
        }
        perms = set(s.scalars(sa.text("SELECT permission FROM kernel_role_permission")))
        assert "kernel.daily_report.view" in perms and "kernel.reminder.view" in perms
        assert not {p for p in perms if p.startswith(("tasks.reminder.", "tasks.daily_report."))}

    # The undismissed alarms still show; a scan before the next time adds nothing.
    run_due(kernel, now=now)
    with TestClient(build_app(kernel)) as c:
        login_as(c, "sara")
        shown = c.get("/alarms.json").json()
        assert shown["count"] == 2 and [a["id"] for a in shown["alarms"]] == [23, 21]
        assert c.get("/reminders/daily").status_code == 200  # the renamed permission
    # At the next time each due reminder rings once; again in the same minute: nothing new.
    run_due(kernel, now=t1 + dt.timedelta(minutes=1))
    run_due(kernel, now=t1 + dt.timedelta(minutes=2))
    with kernel.sessions() as s:
        rung = sorted((a.reminder_id, a.due_at, a.url) for a in s.scalars(sa.select(Alarm).where(Alarm.id > 23)))
        assert rung == [(11, t1, "/kernel/reminder/11"), (13, t1, f"/tasks/task/{tid}"), (14, t1, "/finance/cheque/5")]
        assert s.get(Reminder, 11).next_at == jalali_at(Y, 3, 1)
    # New rows continue after the copied ids (PostgreSQL's sequences were moved on).
    rid = create_record(kernel, sara, "kernel.reminder", title="تازه", first_at=jalali_at(Y, 5, 1), repeat="none")
    assert rid > 14
    with kernel.session() as s:
        s.add(Alarm(user_id=sara, kind="notice", title="تازه", url="/", due_at=now))
        s.flush()
