"""Placeholders of the appointment SMS: ``{appointment_time}`` («۱۴۰۵/۰۹/۱۸ ساعت ۱۰:۳۰»),
``{appointment_day}`` (the Jalali day alone) and ``{doctor_name}``, read from the appointment a
"send before a date" rule sends about (empty in other sends)."""

from __future__ import annotations

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
