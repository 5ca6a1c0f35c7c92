"""What a module calls to remind a user or to tell them something now (KER-11).

Every function takes the caller's session, so the reminder or alarm is written in the same
transaction as the business change that asked for it (a cheque saved with its due date, a task
given to a colleague). A reminder is about a record through a link: ``(resource name, id)``,
for example ``("finance.cheque", 42)``; its alarm then opens that record's page.

    from kernel import create_reminder, raise_alarm

    create_reminder(session, user_id=cheque.owner_id, at=cheque.due_at - timedelta(days=3),
                    title=f"Cheque {cheque.number} falls due", link=("finance.cheque", cheque.id))
    raise_alarm(session, user_id=task.assignee_id, title=task.title, link=("tasks.task", task.id),
                kind="referral")
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from kernel.db import utcnow
from kernel.reminders.models import Alarm, Reminder

Link = tuple[str, int]


def link_url(link: Link | None) -> str:
    """A linked record's page by the resource URL convention: ``("base.partner", 3)`` →
    ``/base/partner/3`` (the scan builds the same in SQL)."""
    if link is None:
        return ""
    resource, record_id = link
    return f"/{resource.replace('.', '/', 1)}/{record_id}"


def create_reminder(session: Session, *, user_id: int | None, at: dt.datetime, title: str,
                    link: Link | None = None, repeat: str = "none", note: str | None = None,
                    by_email: bool = False, owner_id: int | None = None, working_days: bool = False) -> Reminder:
    """A reminder for ``user_id`` at ``at`` (naive UTC), once or repeating ("daily", "weekly",
    "monthly" and "yearly" on the same Jalali day). Its owner is the acting user unless given.
    ``working_days`` moves a time on the weekend or an official holiday to the next working day."""
    reminder = Reminder(title=title, user_id=user_id, first_at=at, repeat=repeat, note=note, by_email=by_email,
                        active=True, owner_id=owner_id, working_days=working_days,
                        link_resource=link[0] if link else None, link_id=link[1] if link else None)
    session.add(reminder)
    session.flush()  # before_save settles next_at and raises InputError on a bad repeat
    return reminder


def update_reminder(session: Session, reminder: Reminder, *, at: dt.datetime | None = None,
                    title: str | None = None, user_id: int | None = None, active: bool | None = None) -> Reminder:
    """Change what is given; a new time or re-activation starts the reminder again from ``at``."""
    if at is not None:
        reminder.first_at = at
    if title is not None:
        reminder.title = title
    if user_id is not None:
        reminder.user_id = user_id
    if active is not None:
        reminder.active = active
    session.flush()
    return reminder


def cancel_reminder(session: Session, reminder: Reminder) -> None:
    """Stop it ringing; it stays in the list (inactive) with its history and past alarms."""
    reminder.active = False
    session.flush()


def reminders_for(session: Session, link: Link) -> list[Reminder]:
    """A record's live reminders, oldest first."""
    stmt = (select(Reminder).where(Reminder.link_resource == link[0], Reminder.link_id == link[1],
                                   Reminder.deleted_at.is_(None)).order_by(Reminder.id))
    return list(session.scalars(stmt))


def delete_reminders_for(session: Session, link: Link) -> None:
    """Remove a record's reminders and their alarms for good (the kernel does this when the
    record is purged from the recycle bin, so nothing rings about a record that is gone)."""
    ids = select(Reminder.id).where(Reminder.link_resource == link[0], Reminder.link_id == link[1])
    session.execute(delete(Alarm).where(Alarm.reminder_id.in_(ids)).execution_options(synchronize_session=False))
    session.execute(delete(Reminder).where(Reminder.link_resource == link[0], Reminder.link_id == link[1])
                    .execution_options(synchronize_session=False))


def raise_alarm(session: Session, *, user_id: int, title: str, link: Link | None = None, url: str = "",
                kind: str = "notice") -> Alarm:
    """An alarm now, without a reminder: "this was given to you". ``kind`` "referral" shows as
    "Referred to you: <title>"; the alarm opens ``url`` or else the linked record's page."""
    alarm = Alarm(user_id=user_id, kind=kind, title=title[:200], url=url or link_url(link), due_at=utcnow())
    session.add(alarm)
    return alarm

