"""A small clinic for the calendar's tests: two doctors with weekly shifts (30-minute slots,
08:00–13:00 every day of the week), a heart group holding both, a receptionist and patients."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pytest

from kernel.occasions import next_working_day
from kernel.security import load_actor
from kernel.testing import create_record, create_user
from kernel.timezone import local_today, to_utc
from modules.medical.models import Doctor

ENGINES = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]
DESK = ("medical.appointment.view", "medical.appointment.export", "medical.appointment.print", "medical.appointment.book", "medical.appointment.state", "medical.referral.*",
        "medical.waiting.*", "medical.doctor.view", "medical.doctor_group.view", "medical.shift.*", "base.partner.view",
        "base.partner.create", "medical.no_show.report", "medical.per_day.report")


@dataclass
class Clinic:
    kernel: Any
    desk: int  # the receptionist's user id
    doctor_user: int
    rahimi: int  # doctors
    karimi: int
    heart: int  # the group
    patients: list[int]
    day: dt.date  # the next working day after today

    def actor(self, user_id: int | None = None) -> Any:
        with self.kernel.sessions() as s:
            return load_actor(s, user_id or self.desk)

    def at(self, hour: int, minute: int = 0, day: dt.date | None = None) -> dt.datetime:
        return to_utc(dt.datetime.combine(day or self.day, dt.time(hour, minute)), self.kernel.config.timezone)


def person(kernel: Any, first: str, last: str, mobile: str) -> int:
    return create_record(kernel, None, "base.partner", kind="person", first_name=first, last_name=last, mobile=mobile)


def doctor(kernel: Any, first: str, last: str, user_id: int | None, specialties: str) -> int:
    partner = person(kernel, first, last, "+98912" + str(abs(hash(last)) % 10_000_000).zfill(7))
    made = create_record(kernel, None, "medical.doctor", partner_id=partner, specialties=specialties, slot_minutes=30,
                         active=True)
    with kernel.session() as s:  # the doctor's login (create_record's own user_id is the author)
        s.get(Doctor, made).user_id = user_id
    for weekday in range(7):
        create_record(kernel, None, "medical.shift", doctor_id=made, weekday=weekday, starts="08:00", ends="13:00")
    return made


def clinic(make_kernel: Any, engine: str = "sqlite") -> Clinic:
    kernel = make_kernel(modules=("medical",), engine=engine)
    desk = create_user(kernel, "zahra", perms=DESK)
    doc = create_user(kernel, "dr_rahimi", perms=("medical.appointment.view", "medical.appointment.state",
                                                  "medical.referral.view", "medical.doctor.view"), scope="own")
    rahimi = doctor(kernel, "مهدی", "رحیمی", doc, "قلب و عروق")
    karimi = doctor(kernel, "سارا", "کریمی", None, "داخلی")
    heart = create_record(kernel, None, "medical.doctor_group", name="گروه قلب")
    for d in (rahimi, karimi):
        create_record(kernel, None, "medical.group_member", group_id=heart, doctor_id=d)
    patients = [person(kernel, "مریم", "احمدی", "+989121110001"), person(kernel, "علی", "کاظمی", "+989121110002"),
                person(kernel, "نرگس", "صالحی", "+989121110003")]
    with kernel.sessions() as s:
        day = next_working_day(s, local_today(kernel.config.timezone), after=True)
    return Clinic(kernel, desk, doc, rahimi, karimi, heart, patients, day)
