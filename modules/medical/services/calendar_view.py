"""What the calendar page shows: for the doctors chosen (one doctor, or a group's), their slots
of a day or a week, each free, booked (patient and state) or taken by an appointment the reader
may not see; read with a handful of queries whatever the number of slots."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

import jdatetime
from sqlalchemy import select
from sqlalchemy.orm import Session

from kernel.persian.jalali import format_jalali
from kernel.persian.textnorm import to_persian_digits
from kernel.timezone import day_bounds, local_today, to_local
from modules.base.models import Partner
from modules.medical.models import LIVE, Appointment, Doctor, DoctorGroup
from modules.medical.services import slots
from modules.medical.services.booking import group_doctors


@dataclass
class Cell:
    doctor: Doctor
    at: dt.datetime  # UTC
    local: dt.datetime
    appointment: Any = None  # a row: id, doctor_id, patient_id, start_at, state
    patient: str = ""
    busy: bool = False  # held by an appointment the reader may not see
    clock: str = ""  # "۱۰:۳۰"

    @property
    def free(self) -> bool:
        return self.appointment is None and not self.busy


@dataclass
class Column:
    heading: str
    sub: str
    day: dt.date
    doctor: Doctor | None
    cells: list[Cell] = field(default_factory=list)


def weekday_name(day: dt.date, lang: str) -> str:
    return jdatetime.date.fromgregorian(date=day, locale="fa_IR" if lang == "fa" else "en_US").strftime("%A")


def week_start(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=slots.weekday_of(day))


def chosen(session: Session, doctor_id: Any, group_id: Any, actor: Any) -> tuple[list[Doctor], DoctorGroup | None]:
    """The doctors of the page: a group's, a doctor, the reader's own doctor row, or the first."""
    if str(group_id or "").isdigit():
        group = session.get(DoctorGroup, int(group_id))
        if group is not None and group.deleted_at is None:
            return group_doctors(session, group.id), group
    live = select(Doctor).where(Doctor.deleted_at.is_(None), Doctor.active.is_(True))
    if str(doctor_id or "").isdigit():
        doctor = session.scalars(live.where(Doctor.id == int(doctor_id))).first()
        if doctor is not None:
            return [doctor], None
    own = session.scalars(live.where(Doctor.user_id == actor.user_id)).first() if actor.user_id else None
    first = own or session.scalars(live.order_by(Doctor.name, Doctor.id)).first()
    return ([first] if first else []), None


def build(kernel: Any, session: Session, actor: Any, doctors: list[Doctor], day: dt.date, view: str,
          lang: str) -> list[Column]:
    tz = kernel.config.timezone
    first = week_start(day) if view == "week" else day
    last = first + dt.timedelta(days=6 if view == "week" else 0)
    grid = slots.offered(session, doctors, first, last, tz)
    low, high = day_bounds(first, tz)[0], day_bounds(last, tz)[1]
    ids = [d.id for d in doctors]
    # Plain rows of the columns shown with the patient's name, not ORM objects: a busy week has 200.
    seen = list(session.execute(kernel.scoped_select(actor, Appointment).where(
        Appointment.doctor_id.in_(ids), Appointment.start_at >= low, Appointment.start_at < high,
        Appointment.state.in_((*LIVE, "no_show"))).join(Partner, Partner.id == Appointment.patient_id)
        .with_only_columns(Appointment.id, Appointment.doctor_id, Appointment.patient_id, Appointment.start_at,
                           Appointment.state, Partner.name)
        .order_by(Appointment.start_at))) if ids else []
    names = {a.patient_id: a.name for a in seen}
    by_slot = {(a.doctor_id, a.start_at): a for a in seen}
    # Slots held by appointments the reader may not see (a doctor's own scope): only then read.
    busy = slots.taken(session, ids, low, high) if kernel.record_conditions(actor, Appointment, "view") else set()
    by_id = {d.id: d for d in doctors}

    def cell(doctor_id: int, at: dt.datetime) -> Cell:
        a = by_slot.get((doctor_id, at))
        local = to_local(at, tz)
        clock = f"{local.hour:02d}:{local.minute:02d}"
        return Cell(by_id[doctor_id], at, local, a, names.get(a.patient_id, "") if a else "",
                    busy=a is None and (doctor_id, at) in busy,
                    clock=to_persian_digits(clock) if lang == "fa" else clock)

    # Appointments off today's grid (a shift changed after booking) still show.
    booked_on: dict[tuple[int, dt.date], list[dt.datetime]] = {}
    for a in seen:
        booked_on.setdefault((a.doctor_id, to_local(a.start_at, tz).date()), []).append(a.start_at)

    def extra(doctor_id: int, d: dt.date) -> list[dt.datetime]:
        return booked_on.get((doctor_id, d), [])

    columns: list[Column] = []
    if view == "week":
        for d in slots.days_between(first, last):
            col = Column(weekday_name(d, lang), format_jalali(d, lang, "long"), d, doctors[0] if len(doctors) == 1 else None)
            times = sorted({(at, i) for i in ids for at in [*grid[i].get(d, []), *extra(i, d)]})
            col.cells = [cell(i, at) for at, i in times]
            columns.append(col)
    else:
        for doctor in doctors:
            col = Column(doctor.name, doctor.specialties or "", day, doctor)
            col.cells = [cell(doctor.id, at) for at in sorted({*grid[doctor.id].get(day, []), *extra(doctor.id, day)})]
            columns.append(col)
    return columns


def today(kernel: Any) -> dt.date:
    return local_today(kernel.config.timezone)
