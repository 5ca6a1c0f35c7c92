"""The calendar's reports, each with its own permission: the no-show rate per doctor and the
appointments per day, over a Jalali period (default: this Jalali month so far)."""

from __future__ import annotations

from collections import Counter
from typing import Any

from sqlalchemy import func, select

from kernel import Report, ReportParam
from kernel.persian.jalali import format_jalali
from kernel.persian.numbers import format_number
from kernel.timezone import to_local
from modules.base.reports import day_range
from modules.medical.models import Appointment, Doctor

PERIOD = (ReportParam("from", "From", kind="date"), ReportParam("to", "Until", kind="date"))
DAY_STATES = ("booked", "arrived", "seen", "no_show", "cancelled")


def _rate(part: int, whole: int, lang: str) -> str:
    if whole <= 0:
        return "—"
    return format_number(round(100 * part / whole), lang) + ("٪" if lang == "fa" else "%")


def no_show(session: Any, actor: Any, params: dict[str, str], kernel: Any, lang: str, **_: Any) -> Any:
    """Per doctor: appointments that were due in the period (not cancelled), no-shows, the rate."""
    low, high, _first, _last = day_range(params, kernel.config.timezone)
    due = (kernel.scoped_select(actor, Appointment)
           .where(Appointment.start_at >= low, Appointment.start_at < high, Appointment.state != "cancelled")
           .with_only_columns(Appointment.doctor_id, Appointment.state, func.count())
           .group_by(Appointment.doctor_id, Appointment.state))
    totals: Counter[int] = Counter()
    missed: Counter[int] = Counter()
    for doctor_id, state, n in session.execute(due):
        totals[doctor_id] += int(n)
        if state == "no_show":
            missed[doctor_id] += int(n)
    names = dict(session.execute(select(Doctor.id, Doctor.name).where(Doctor.id.in_(totals))).all()) if totals else {}
    rows = [(names.get(d, ""), totals[d], missed[d], _rate(missed[d], totals[d], lang))
            for d in sorted(totals, key=lambda d: (-missed[d] / totals[d], names.get(d, "")))]
    return ("Doctor", "Appointments", "No-shows", "No-show rate"), rows


def per_day(session: Any, actor: Any, params: dict[str, str], kernel: Any, lang: str, **_: Any) -> Any:
    """Per local day of the period: appointments by state and in all."""
    tz = kernel.config.timezone
    low, high, _first, _last = day_range(params, tz)
    stmt = (kernel.scoped_select(actor, Appointment).where(Appointment.start_at >= low, Appointment.start_at < high)
            .with_only_columns(Appointment.start_at, Appointment.state))
    days: dict[Any, Counter[str]] = {}
    for start_at, state in session.execute(stmt):
        days.setdefault(to_local(start_at, tz).date(), Counter())[state] += 1
    rows = [(format_jalali(day, lang), *(c[s] for s in DAY_STATES), sum(c.values()))
            for day, c in sorted(days.items())]
    return ("Day", "Booked", "Arrived", "Seen", "No-show", "Cancelled", "In all"), rows


def reports() -> list[Report]:
    view = "medical.appointment.view"
    return [Report("medical.no_show", "No-show rate per doctor", no_show, view, params=PERIOD, sequence=60),
            Report("medical.per_day", "Appointments per day", per_day, view, params=PERIOD, sequence=61)]
