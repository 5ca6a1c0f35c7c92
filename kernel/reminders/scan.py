"""The reminder scan: every half minute, each due reminder raises its alarm exactly once
(TSK-03, KER-11), and an alarm asked for by e-mail goes out through the outbox.

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

from sqlalchemy import DateTime, String, bindparam, case, cast, exists, func, literal, select, update
from sqlalchemy.orm import Session

from kernel.db import insert_ignoring
from kernel.mail import send_mail
from kernel.models import User
from kernel.outbox import enqueue_many
from kernel.persian.jalali import format_jalali
from kernel.reminders.models import Alarm, Reminder
from kernel.reminders.recurrence import latest_until, next_after
from kernel.reminders.workdays import on_working_day
from kernel.timezone import to_local

BATCH = 5_000
JOB = "kernel.reminders"
MAIL_TOPIC = "kernel.alarm_mail"


def alarm_url() -> Any:
    """Where an alarm leads, as SQL (both scan paths select it): the linked record's page
    (``"tasks.task"``/7 → ``/tasks/task/7``, the resource URL convention), else the reminder."""
    r = Reminder
    linked = literal("/") + func.replace(r.link_resource, ".", "/") + literal("/") + cast(r.link_id, String)
    return case((r.link_resource.is_not(None) & r.link_id.is_not(None), linked),
                else_=literal("/kernel/reminder/") + cast(r.id, String))


def _insert(session: Session) -> Any:
    return insert_ignoring(session.get_bind().dialect.name, Alarm, "reminder_id", "due_at")


def insert_alarms(session: Session, rows: list[dict[str, Any]]) -> None:
    if rows:
        session.execute(_insert(session), rows)


def insert_mailed_alarms(session: Session, rows: list[dict[str, Any]], to: dict[int, tuple[str, str]]) -> None:
    """Alarms also sent by e-mail (``to``: reminder id → address and language). Only the alarms
    this scan really created get a message, so a second scan of the same minute sends nothing."""
    if not rows:
        return
    created = session.execute(_insert(session).returning(Alarm.id, Alarm.reminder_id), rows).all()
    by_reminder = {r["reminder_id"]: r for r in rows}
    payloads = []
    for alarm_id, reminder_id in created:
        row = by_reminder[reminder_id]
        address, lang = to[reminder_id]
        payloads.append({"alarm_id": alarm_id, "to": address, "title": row["title"], "url": row["url"],
                         "due_at": row["due_at"].isoformat(), "lang": lang})
    enqueue_many(session, MAIL_TOPIC, payloads)


def fire_one_offs(session: Session, now: dt.datetime) -> int:
    """One-off reminders not sent by e-mail — most of them — in two statements: their alarms by
    INSERT … SELECT (on conflict do nothing), then closing the ones whose alarm now exists. The
    existence test, not the time alone, decides, so a reminder that fell due while this ran (one
    saved with a past time) keeps its alarm for the loop below."""
    r, a = Reminder, Alarm
    plain = (r.deleted_at.is_(None), r.next_at.is_not(None), r.next_at <= now, r.repeat == "none",
             r.by_email.is_(False))
    rows = select(r.user_id, r.id, literal("reminder"), r.title, alarm_url(), r.next_at, literal(now, DateTime())).where(
        *plain, r.user_id.is_not(None))
    columns = ["user_id", "reminder_id", "kind", "title", "url", "due_at", "created_at"]
    session.execute(_insert(session).from_select(columns, rows))
    rung = exists().where(a.reminder_id == r.id, a.due_at == r.next_at)
    closed = session.execute(update(r).where(*plain, r.user_id.is_(None) | rung).values(next_at=None)
                             .execution_options(synchronize_session=False))
    return int(closed.rowcount or 0)  # type: ignore[attr-defined]


def fire_due(session: Session, now: dt.datetime, tz: str) -> int:
    """Raise every due reminder's alarm and move it on; returns how many reminders fired."""
    fired = fire_one_offs(session, now)
    r = Reminder
    cols = (r.id, r.user_id, r.title, r.first_at, r.repeat, r.next_at, alarm_url().label("url"), r.by_email,
            r.working_days, User.email, User.lang)
    due = (r.deleted_at.is_(None), r.next_at.is_not(None), r.next_at <= now)
    move = (update(r).where(r.id == bindparam("b_id"), r.next_at == bindparam("b_old"))
            .values(next_at=bindparam("b_next")).execution_options(synchronize_session=False))
    while True:
        rows = session.execute(select(*cols).outerjoin(User, User.id == r.user_id).where(*due)
                               .order_by(r.next_at, r.id).limit(BATCH)).all()
        if not rows:
            return fired
        alarms: list[dict[str, Any]] = []
        mailed: list[dict[str, Any]] = []
        to: dict[int, tuple[str, str]] = {}
        moves: list[dict[str, Any]] = []
        for row in rows:
            # The latest occurrence that has come (after a downtime, only that one is raised).
            when = max(row.next_at, latest_until(row.first_at, row.repeat, now, tz) or row.next_at)
            if row.user_id is not None:
                alarm = {"user_id": row.user_id, "reminder_id": row.id, "kind": "reminder",
                         "title": row.title, "url": row.url, "due_at": when, "created_at": now}
                if row.by_email and row.email:
                    mailed.append(alarm)
                    to[row.id] = (row.email, row.lang)
                else:
                    alarms.append(alarm)
            upcoming = next_after(row.first_at, row.repeat, now, tz)
            if row.working_days and upcoming is not None:
                upcoming = on_working_day(session, upcoming, tz)
            moves.append({"b_id": row.id, "b_old": row.next_at, "b_next": upcoming})
        insert_alarms(session, alarms)
        insert_mailed_alarms(session, mailed, to)
        session.connection().execute(move, moves)
        fired += len(rows)


def scan(session: Session, kernel: Any, now: dt.datetime) -> None:
    """The periodic job (``kernel.reminders``)."""
    fire_due(session, now, kernel.config.timezone)


def send_alarm_mail(kernel: Any, payload: dict[str, Any]) -> None:
    """The outbox consumer of MAIL_TOPIC: the alarm as a short e-mail in the user's language."""
    lang = payload.get("lang") or "fa"
    due = dt.datetime.fromisoformat(payload["due_at"])
    when = format_jalali(to_local(due, kernel.config.timezone), lang, "datetime")
    subject = kernel.t(lang, "Reminder") + ": " + payload["title"]
    body = "\n".join([payload["title"], when, f"{kernel.config.public_url}{payload['url']}", "",
                      kernel.t(lang, "This alarm was sent by Peyvand.")])
    send_mail(kernel.config, payload["to"], subject, body, message_id=f"alarm-{payload['alarm_id']}")
