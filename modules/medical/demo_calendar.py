"""Demo data of the clinic's calendar (``peyvand init --demo``, edition clinic): three doctors with
their weekly shifts, the heart group, patients with appointments today and on the next working
day (booked, arrived, seen), an open referral to the heart group, and the two appointment SMS
rules — so the calendar, its referral strip and the reports show the journey in the first minute.
The first doctor is the administrator's own login: their calendar opens by itself and the
referral's alarm is theirs."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import select

from kernel.actor import SYSTEM
from kernel.models import User
from kernel.occasions import next_working_day
from kernel.timezone import day_bounds, local_today, to_utc
from modules.base.models import Partner
from modules.medical.models import Doctor, DoctorGroup, GroupMember, Referral, Shift
from modules.medical.services import booking, slots
from modules.medical.services.referrals import alarm_doctors
from modules.medical.services.sms import add_reminder_rules

DEMO_MARK = "medical.calendar_demo"
DOCTORS = (  # first name, last name, mobile, specialties, slot minutes, shifts (start, end)
    ("مهدی", "رحیمی", "+989121230001", "قلب و عروق", 20, (("08:00", "12:00"), ("16:00", "19:00"))),
    ("سارا", "کریمی", "+989121230002", "قلب و عروق، اکوکاردیوگرافی", 30, (("09:00", "13:00"),)),
    ("حمید", "نوروزی", "+989121230003", "داخلی", 15, (("08:00", "14:00"),)),
)
PATIENTS = (("مریم", "احمدی", "+989121110001"), ("علی", "کاظمی", "+989121110002"), ("نرگس", "صالحی", "+989121110003"),
            ("رضا", "موسوی", "+989121110004"), ("فاطمه", "حسینی", "+989121110005"), ("حسین", "جعفری", "+989121110006"))
TODAY = ((0, 0, "seen"), (0, 1, "arrived"), (1, 2, "booked"), (2, 3, "booked"))  # doctor, patient, state
TOMORROW = ((0, 4, 2), (0, 5, 3), (1, 0, 0), (2, 1, 1))  # doctor, patient, which slot of the day


def _person(session: Any, first: str, last: str, mobile: str) -> int:
    found = session.scalar(select(Partner.id).where(Partner.mobile == mobile, Partner.deleted_at.is_(None)))
    if found is not None:
        return int(found)
    partner = Partner(kind="person", first_name=first, last_name=last, name=f"{first} {last}", mobile=mobile)
    session.add(partner)
    session.flush()
    return partner.id


def load(kernel: Any, session: Any) -> str:
    if kernel.setting(session, DEMO_MARK, False):
        return "already loaded"
    admin = session.scalars(select(User.id).where(User.is_admin.is_(True)).order_by(User.id)).first()
    doctors = []
    for i, (first, last, mobile, specialties, minutes, shifts) in enumerate(DOCTORS):
        doctor = Doctor(partner_id=_person(session, first, last, mobile), specialties=specialties, slot_minutes=minutes,
                        active=True, user_id=admin if i == 0 else None)
        session.add(doctor)
        session.flush()
        for weekday in range(6):  # Saturday … Thursday
            for starts, ends in shifts:
                session.add(Shift(doctor_id=doctor.id, weekday=weekday, starts=starts, ends=ends))
        doctors.append(doctor)
    heart = DoctorGroup(name="گروه قلب")
    session.add(heart)
    session.flush()
    for doctor in doctors[:2]:
        session.add(GroupMember(group_id=heart.id, doctor_id=doctor.id))
    session.flush()
    patients = [_person(session, *p) for p in PATIENTS]
    tz = kernel.config.timezone
    today = local_today(tz)
    tomorrow = next_working_day(session, today, after=True)
    early = day_bounds(today, tz)[0]
    booked = 0
    grid = slots.offered(session, doctors, today, tomorrow, tz)
    for d, p, state in TODAY:
        todays = grid[doctors[d].id].get(today, [])
        if len(todays) > p + 1:
            row = booking.book(kernel, session, SYSTEM, doctor_id=doctors[d].id, patient_id=patients[p],
                               start_at=todays[p + 1], now=early)
            for step in {"booked": (), "arrived": ("arrived",), "seen": ("arrived", "seen")}[state]:
                booking.set_state(kernel, session, SYSTEM, row.id, step)
            booked += 1
    for d, p, n in TOMORROW:
        later = [s for s in grid[doctors[d].id].get(tomorrow, []) if s >= to_utc(dt.datetime.combine(
            tomorrow, dt.time(10, 0)), tz)]
        if len(later) > n:
            booking.book(kernel, session, SYSTEM, doctor_id=doctors[d].id, patient_id=patients[p], start_at=later[n],
                         now=early)
            booked += 1
    referral = Referral(patient_id=patients[2], group_id=heart.id, note="درد قفسهٔ سینه هنگام فعالیت؛ لطفاً اکو",
                        state="open", owner_id=admin, created_by_id=admin)
    session.add(referral)
    session.flush()
    alarm_doctors(kernel, session, referral.id)
    add_reminder_rules(session, admin)
    kernel.set_setting(session, DEMO_MARK, True)
    return f"3 doctors with weekly shifts, the heart group, {len(patients)} patients, {booked} appointments, " \
           "1 open referral and the two appointment SMS rules added"
