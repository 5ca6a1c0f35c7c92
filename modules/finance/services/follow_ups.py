"""Follow-up of proformas (FIN-05, the F4 form of the seed documents): a follow-up owner, notes
with their date and writer, the next follow-up date, and cancelling with a listed reason.

The next date rings through the kernel's reminders (``kernel.create_reminder``), linked to the
proforma, for the follow-up owner: an alarm in every edition (the tray, the "Alarms" block, the
menu's count), and with the tasks module also in the owner's work queue ("Reminders due today",
then "Alarms"). Each proforma has at most one follow-up reminder, kept on its latest entry and
moved, re-assigned or stopped as the follow-up changes; converting, cancelling or deleting the
proforma stops it. Every function runs in the caller's transaction.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from kernel import Actor, Conflict, InputError, cancel_reminder, create_reminder, update_reminder
from kernel.db import utcnow
from kernel.models import User
from kernel.persian.jalali import parse_jalali_date
from kernel.persian.numbers import format_code
from kernel.persian.textnorm import clean_input, to_ascii_digits, to_persian_digits
from kernel.records import FormErrors
from kernel.reminders.models import Reminder
from kernel.timezone import to_utc
from modules.finance.models import CancelReason, FollowUp, Proforma
from modules.finance.services import issuing
from modules.finance.services.documents import PROFORMA, note_history
from modules.finance.services.drafts import load

OPEN_STATES = ("draft", "issued")
NOTE_LIMIT = 2000


def history(session: Session, proforma_id: int) -> list[FollowUp]:
    """The proforma's follow-up entries, newest first."""
    return list(session.scalars(select(FollowUp).where(FollowUp.proforma_id == proforma_id)
                                .order_by(FollowUp.id.desc())))


def latest(session: Session, proforma_id: int) -> FollowUp | None:
    return session.scalars(select(FollowUp).where(FollowUp.proforma_id == proforma_id)
                           .order_by(FollowUp.id.desc()).limit(1)).first()


def reasons(session: Session) -> list[CancelReason]:
    """The reasons one may choose from, in their order."""
    return list(session.scalars(select(CancelReason).where(CancelReason.deleted_at.is_(None),
                                                           CancelReason.active.is_(True))
                                .order_by(CancelReason.sequence, CancelReason.id)))


def parse_next(raw_date: str, raw_time: str, tz: str, now: dt.datetime | None = None) -> dt.datetime | None:
    """The next follow-up as naive UTC from a Jalali date and a local time (Persian or Latin
    digits; no time: 09:00). Empty date: none. A time already past is refused."""
    day_text = clean_input(raw_date or "")
    time_text = to_ascii_digits(clean_input(raw_time or "")).replace("٫", ":").replace(".", ":")
    if not day_text:
        if time_text:
            raise FormErrors({"next_date": InputError("Give the date of the next follow-up")})
        return None
    errors: dict[str, InputError] = {}
    try:
        day = parse_jalali_date(day_text)
    except InputError as exc:
        errors["next_date"] = exc
    hour, minute = 9, 0
    if time_text:
        parts = time_text.split(":")
        if len(parts) > 2 or not all(p.isdigit() for p in parts) or not 0 <= int(parts[0]) <= 23 \
                or (len(parts) == 2 and not 0 <= int(parts[1]) <= 59):
            errors["next_time"] = InputError("Enter a time like ۱۰:۳۰")
        else:
            hour, minute = int(parts[0]), int(parts[1]) if len(parts) == 2 else 0
    if errors:
        raise FormErrors(errors)
    at = to_utc(dt.datetime.combine(day, dt.time(hour, minute)), tz)
    if at <= (now or utcnow()):
        raise FormErrors({"next_date": InputError("The next follow-up cannot be in the past")})
    return at


def _assignee(session: Session, user_id: int | None) -> int | None:
    if user_id is None:
        return None
    found = session.scalar(select(User.id).where(User.id == user_id, User.is_active.is_(True)))
    if found is None:
        raise FormErrors({"assignee_id": InputError("Choose one of the listed values")})
    return int(found)


def _reminder(session: Session, entry: FollowUp | None) -> Reminder | None:
    if entry is None or entry.reminder_id is None:
        return None
    found = session.get(Reminder, entry.reminder_id)
    return found if found is not None and found.active and found.deleted_at is None else None


def _title(kernel: Any, doc: Proforma) -> str:
    # The title is stored in Persian and shown as it is (alarm tray, work queue, e-mail), so the
    # number goes in as a Persian screen shows it: Persian digits, isolated left to right.
    number = format_code(doc.number, "fa") if doc.number else to_persian_digits(f"#{doc.id}")  # a draft: none yet
    return str(kernel.t("fa", "Follow up proforma {number}", number=number))[:200]


def record(kernel: Any, session: Session, actor: Actor, proforma_id: int, *, assignee_id: int | None,
           note: str, next_at: dt.datetime | None) -> FollowUp:
    """A follow-up entry: who follows the proforma up from now on, what happened, and when to
    follow up next (that reminder moves to the new time and owner, or stops without one)."""
    doc = load(kernel, session, actor, PROFORMA, proforma_id)
    if doc.state not in OPEN_STATES:
        raise Conflict("A converted or cancelled proforma is no longer followed up")
    text = clean_input(note or "")
    if len(text) > NOTE_LIMIT:
        raise FormErrors({"note": InputError("At most {n} characters", n=NOTE_LIMIT)})
    owner = _assignee(session, assignee_id)
    if not text and next_at is None:
        raise FormErrors({"note": InputError("Write a note or give the next follow-up date")})
    if next_at is not None and owner is None:
        raise FormErrors({"assignee_id": InputError("Choose who follows it up")})
    before = latest(session, doc.id)
    reminder = _reminder(session, before)
    if next_at is None:
        if reminder is not None:
            cancel_reminder(session, reminder)
        reminder = None
    elif reminder is not None:
        update_reminder(session, reminder, at=next_at, user_id=owner, title=_title(kernel, doc))
    else:
        reminder = create_reminder(session, user_id=owner, at=next_at, title=_title(kernel, doc),
                                   link=(PROFORMA.name, doc.id), note=text or None)
    entry = FollowUp(proforma_id=doc.id, user_id=actor.user_id or None, assignee_id=owner, note=text or None,
                     next_at=next_at, reminder_id=reminder.id if reminder is not None else None)
    session.add(entry)
    session.flush()
    note_history(session, doc, {kernel.t("fa", "Follow-up"): [None, text or kernel.t("fa", "Next follow-up")]})
    return entry


def stop(session: Session, proforma_id: int) -> None:
    """The proforma left the follow-up (converted, cancelled, deleted): its reminder stops."""
    reminder = _reminder(session, latest(session, proforma_id))
    if reminder is not None:
        cancel_reminder(session, reminder)


def cancel(kernel: Any, session: Session, actor: Actor, proforma_id: int, reason_id: int | None,
           note: str = "") -> Proforma:
    """Cancel the proforma with a reason from the list; the follow-up ends with that entry."""
    reason = session.get(CancelReason, reason_id) if reason_id else None
    if reason is None or reason.deleted_at is not None or not reason.active:
        raise FormErrors({"reason_id": InputError("Choose one of the listed reasons")})
    text = clean_input(note or "")
    if len(text) > NOTE_LIMIT:
        raise FormErrors({"note": InputError("At most {n} characters", n=NOTE_LIMIT)})
    doc = issuing.cancel_proforma(kernel, session, actor, proforma_id, reason.name)
    before = latest(session, doc.id)
    stop(session, doc.id)
    session.add(FollowUp(proforma_id=doc.id, user_id=actor.user_id or None,
                         assignee_id=before.assignee_id if before is not None else None,
                         note=text or None, cancel_reason=reason.name))
    session.flush()
    return doc
