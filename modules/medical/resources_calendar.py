"""The calendar half's resources: doctors, groups and their members, shifts and days off
(reference data everyone in the clinic sees), appointments (read-only: written by the booking
service only, so the taken-slot key is always kept), referrals and the waiting list."""

from __future__ import annotations

from typing import Any

from kernel import Field, Resource
from modules.medical.models import (
    STATES,
    Appointment,
    DayOff,
    Doctor,
    DoctorGroup,
    GroupMember,
    Referral,
    Shift,
    WaitingEntry,
)
from modules.medical.services.slots import WEEKDAYS, check_hhmm

PERSON = {"kind": "person"}
REFERRAL_STATES = (("open", "Open"), ("booked", "Booked"), ("closed", "Closed"))


def _slot_length(value: Any) -> None:
    from kernel import InputError

    if value is not None and not 5 <= int(value) <= 240:
        raise InputError("A slot is 5 to 240 minutes long")


def _doctor_or_group(values: Any, **_: Any) -> dict[str, Any] | None:
    from kernel import InputError

    if not values.get("doctor_id") and not values.get("group_id"):
        return {"doctor_id": InputError("Choose a doctor or a group of doctors")}
    return None


def _shift_order(values: Any, **_: Any) -> dict[str, Any] | None:
    from kernel import InputError
    from modules.medical.services.slots import parse_hhmm

    try:
        if parse_hhmm(values.get("starts")) >= parse_hhmm(values.get("ends")):
            return {"ends": InputError("The shift ends before it starts")}
    except InputError:
        return None
    return None


def resources() -> list[Resource]:
    return [
        Resource(name="medical.doctor", model=Doctor, label="Doctor", label_plural="Doctors", shared=True,
                 columns=("name", "specialties", "slot_minutes", "user_id", "active"),
                 form=("partner_id", "specialties", "slot_minutes", "user_id", "active"),
                 search=("name", "specialties"), filters=("active",), title_field="name", default_sort="name",
                 fields={"partner_id": Field(label="Person", ref_filter=PERSON),
                         "name": Field(label="Name", readonly=True),
                         "specialties": Field(label="Specialties"),
                         "slot_minutes": Field(label="Slot length (minutes)", validate=_slot_length),
                         "user_id": Field(label="The doctor's login"),
                         "active": Field(label="Active")}),
        Resource(name="medical.doctor_group", model=DoctorGroup, label="Group of doctors",
                 label_plural="Groups of doctors", shared=True, columns=("name",), form=("name",), search=("name",),
                 title_field="name", default_sort="name", fields={"name": Field(label="Name")}),
        Resource(name="medical.group_member", model=GroupMember, label="Doctor in a group",
                 label_plural="Doctors in groups", shared=True, columns=("group_id", "doctor_id"),
                 form=("group_id", "doctor_id"), filters=("group_id", "doctor_id"), title_field="doctor_id",
                 global_search=False,
                 fields={"group_id": Field(label="Group of doctors"), "doctor_id": Field(label="Doctor")}),
        Resource(name="medical.shift", model=Shift, label="Shift", label_plural="Weekly shifts", shared=True,
                 columns=("doctor_id", "weekday", "starts", "ends"), form=("doctor_id", "weekday", "starts", "ends"),
                 filters=("doctor_id", "weekday"), title_field="doctor_id", global_search=False,
                 default_sort="weekday", validate=_shift_order,
                 fields={"doctor_id": Field(label="Doctor"),
                         "weekday": Field(label="Weekday", kind="int", choices=WEEKDAYS),
                         "starts": Field(label="From (hour:minute)", validate=check_hhmm),
                         "ends": Field(label="Until (hour:minute)", validate=check_hhmm)}),
        Resource(name="medical.day_off", model=DayOff, label="Doctor's day off", label_plural="Doctors' days off",
                 shared=True, columns=("doctor_id", "day", "note"), form=("doctor_id", "day", "note"),
                 filters=("doctor_id", "day"), title_field="day", default_sort="-day", global_search=False,
                 fields={"doctor_id": Field(label="Doctor"), "day": Field(label="Day"), "note": Field(label="Note")}),
        Resource(name="medical.appointment", model=Appointment, label="Appointment", label_plural="Appointments",
                 read_only=True, global_search=False,
                 columns=("start_at", "doctor_id", "patient_id", "state", "note"),
                 form=("start_at", "doctor_id", "patient_id", "minutes", "state", "note", "booked_by_id",
                       "referral_id"),
                 filters=("doctor_id", "patient_id", "state", "start_at"), title_field="start_at",
                 default_sort="-start_at",
                 fields={"start_at": Field(label="Time"), "end_at": Field(label="Ends", internal=True),
                         "doctor_id": Field(label="Doctor"), "patient_id": Field(label="Patient"),
                         "doctor_user_id": Field(label="The doctor's login", internal=True),
                         "minutes": Field(label="Length (minutes)"),
                         "state": Field(label="State", choices=STATES), "note": Field(label="Note"),
                         "booked_by_id": Field(label="Booked by"), "referral_id": Field(label="Patient referral")}),
        Resource(name="medical.referral", model=Referral, label="Patient referral", label_plural="Referrals",
                 columns=("patient_id", "doctor_id", "group_id", "state", "created_at"),
                 form=("patient_id", "doctor_id", "group_id", "note"),
                 filters=("state", "doctor_id", "group_id", "patient_id"), title_field="patient_id",
                 global_search=False, validate=_doctor_or_group,
                 fields={"patient_id": Field(label="Patient", ref_filter=PERSON),
                         "doctor_id": Field(label="Referred to doctor"),
                         "group_id": Field(label="Referred to group"), "note": Field(label="Note"),
                         "state": Field(label="State", choices=REFERRAL_STATES, readonly=True)}),
        Resource(name="medical.waiting", model=WaitingEntry, label="Waiting-list entry", label_plural="Waiting list",
                 columns=("patient_id", "doctor_id", "group_id", "days", "active"),
                 form=("patient_id", "doctor_id", "group_id", "days", "note", "active"),
                 filters=("doctor_id", "group_id", "active"), title_field="patient_id", global_search=False,
                 validate=_doctor_or_group,
                 fields={"patient_id": Field(label="Patient", ref_filter=PERSON), "doctor_id": Field(label="Doctor"),
                         "group_id": Field(label="Group of doctors"),
                         "days": Field(label="Wished days", help="e.g. Saturdays and Mondays, mornings"),
                         "note": Field(label="Note"), "active": Field(label="Active")}),
    ]
