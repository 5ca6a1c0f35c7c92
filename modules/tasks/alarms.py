"""Raising alarms: the reminder scan (every half minute, exactly once per due time) and the
alarm of a task given to someone (TSK-02, TSK-03, KER-11).

The scan reads due reminders in batches straight from the partial index on ``next_at``, inserts
their alarms with "on conflict do nothing" on (reminder, due time) and moves each reminder's
``next_at`` with a guarded UPDATE (``WHERE next_at = <the value read>``). The kernel's job lease
already keeps two workers from scanning at once; the unique key and the guard keep a reminder
from firing twice even if they did (a lease that expired under a stalled worker). A reminder
whose time passed while the server was down fires once, for its latest missed occurrence, when
the scan runs again; a recurring one then moves to its next occurrence after now.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import bindparam, func, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from kernel.db import utcnow
from modules.tasks.models import Alarm, Reminder
from modules.tasks.recurrence import latest_until, next_after

BATCH = 5_000


def reminder_url(r: Any) -> str:
    if r.task_id:
        return f"/tasks/task/{r.task_id}"
    if r.partner_id:
        return f"/base/partner/{r.partner_id}"
    return f"/tasks/reminder/{r.id}"


def insert_alarms(session: Session, rows: list[dict[str, Any]]) -> None:
    if not rows:
        return
    dialect = session.get_bind().dialect.name
    insert = pg_insert if dialect == "postgresql" else sqlite_insert
    stmt = insert(Alarm).on_conflict_do_nothing(index_elements=["reminder_id", "due_at"])
    session.execute(stmt, rows)


def fire_due(session: Session, now: dt.datetime, tz: str) -> int:
    """Raise every due reminder's alarm and move it on; returns how many reminders fired."""
    r = Reminder
    cols = (r.id, r.user_id, r.title, r.first_at, r.repeat, r.next_at, r.task_id, r.partner_id)
    due = (r.deleted_at.is_(None), r.next_at.is_not(None), r.next_at <= now)
    move = (update(r).where(r.id == bindparam("b_id"), r.next_at == bindparam("b_old"))
            .values(next_at=bindparam("b_next")).execution_options(synchronize_session=False))
    fired = 0
    while True:
        rows = session.execute(select(*cols).where(*due).order_by(r.next_at, r.id).limit(BATCH)).all()
        if not rows:
            return fired
        alarms: list[dict[str, Any]] = []
        moves: list[dict[str, Any]] = []
        for row in rows:
            # The latest occurrence that has come (after a downtime, only that one is raised).
            when = max(row.next_at, latest_until(row.first_at, row.repeat, now, tz) or row.next_at)
            if row.user_id is not None:
                alarms.append({"user_id": row.user_id, "reminder_id": row.id, "kind": "reminder",
                               "title": row.title, "url": reminder_url(row), "due_at": when, "created_at": now})
            moves.append({"b_id": row.id, "b_old": row.next_at, "b_next": next_after(row.first_at, row.repeat, now, tz)})
        insert_alarms(session, alarms)
        session.connection().execute(move, moves)
        fired += len(rows)


def scan(session: Session, kernel: Any, now: dt.datetime) -> None:
    """The periodic job (``tasks.reminders``)."""
    fire_due(session, now, kernel.config.timezone)


def referral_alarm(session: Session, task: Any) -> None:
    """Tell the assignee a task was given to them; the alarm links to the task."""
    session.add(Alarm(user_id=task.assignee_id, kind="referral", title=task.title, url=f"/tasks/task/{task.id}",
                      due_at=utcnow()))


def unseen(session: Session, user_id: int, limit: int = 20) -> list[Alarm]:
    stmt = (select(Alarm).where(Alarm.user_id == user_id, Alarm.seen_at.is_(None))
            .order_by(Alarm.id.desc()).limit(limit))
    return list(session.scalars(stmt))


def unseen_count(session: Session, user_id: int, cap: int = 1000) -> int:
    ids = select(Alarm.id).where(Alarm.user_id == user_id, Alarm.seen_at.is_(None)).limit(cap).subquery()
    return int(session.scalar(select(func.count()).select_from(ids)) or 0)


def dismiss(session: Session, user_id: int, alarm_id: int | None, now: dt.datetime | None = None) -> int:
    """Mark one alarm (or, with no id, all) of the user as seen; another user's are untouched."""
    stmt = update(Alarm).where(Alarm.user_id == user_id, Alarm.seen_at.is_(None))
    if alarm_id is not None:
        stmt = stmt.where(Alarm.id == alarm_id)
    result = session.execute(stmt.values(seen_at=now or utcnow()).execution_options(synchronize_session=False))
    return int(result.rowcount or 0)  # type: ignore[attr-defined]
