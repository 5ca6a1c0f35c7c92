"""Placeholders of the appointment SMS: ``{appointment_time}`` («۱۴۰۵/۰۹/۱۸ ساعت ۱۰:۳۰»),
``{appointment_day}`` (the Jalali day alone) and ``{doctor_name}``, read from the appointment a
"send before a date" rule sends about (empty in other sends)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from kernel.persian.jalali import format_jalali
from kernel.persian.textnorm import to_persian_digits
from kernel.timezone import to_local
from modules.marketing.placeholders import Context
from modules.medical.models import Appointment, Doctor


def _appointment(c: Context) -> Appointment | None:
    return c.record if isinstance(c.record, Appointment) else None


def appointment_time(c: Context) -> str:
    row = _appointment(c)
    if row is None:
        return ""
    local = to_local(row.start_at, c.kernel.config.timezone)
    clock = f"{local.hour:02d}:{local.minute:02d}"
    word = "ساعت" if c.lang == "fa" else "at"
    return f"{format_jalali(local.date(), c.lang)} {word} {to_persian_digits(clock) if c.lang == 'fa' else clock}"


def appointment_day(c: Context) -> str:
    row = _appointment(c)
    return format_jalali(to_local(row.start_at, c.kernel.config.timezone).date(), c.lang, "long") if row else ""


def doctor_name(c: Context) -> str:
    row = _appointment(c)
    doctor = c.session.get(Doctor, row.doctor_id) if row is not None else None
    return doctor.name if doctor is not None else ""


DAY_BEFORE = ("نوبت فردا", 1, "{name} گرامی، نوبت شما نزد {doctor_name} فردا {appointment_time} است. "
              "اگر نمی‌آیید لطفاً خبر دهید.")
SAME_DAY = ("نوبت امروز", 0, "{name} گرامی، یادآوری: امروز {appointment_time} نوبت شما نزد {doctor_name} است.")


def add_reminder_rules(session: Session, owner_id: int | None) -> list[int]:
    """The two "send before a date" rules of the appointment SMS (the day before and the day
    itself, from 08:00), in the service category, as the demo makes them and the guide tells a
    clinic to make them; rules already there by name are kept."""
    from modules.marketing.models import Category, DateRule
    from modules.marketing.services.notify import SERVICE_CATEGORY

    category = session.scalar(select(Category.id).where(Category.name == SERVICE_CATEGORY))
    made = []
    for name, days, body in (DAY_BEFORE, SAME_DAY):
        found = session.scalar(select(DateRule.id).where(DateRule.name == name, DateRule.deleted_at.is_(None)))
        if found is None:
            rule = DateRule(name=name, source="medical.appointment_start", days_before=days, category_id=category,
                            body=body, active=True, owner_id=owner_id, created_by_id=owner_id)
            session.add(rule)
            session.flush()
            found = rule.id
        made.append(int(found))
    return made
