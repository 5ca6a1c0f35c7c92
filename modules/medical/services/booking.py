"""Booking, state changes and rescheduling of appointments, each in the caller's transaction.

No double booking is the database's job: every live appointment holds a row of
``medical_taken_slot`` whose unique key is (doctor, slot start). Of two transactions booking the
same slot, the second one's INSERT fails (on PostgreSQL it waits for the first to commit) and is
answered with a Persian message; nothing of it is saved. A patient cannot hold two live
appointments that overlap either (checked under a lock of the patient's row).

This is also the service the club portal will call to let a patient book for themselves."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import delete, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from kernel import Conflict, InputError, NotFound, PermissionDenied, raise_alarm
from kernel.db import utcnow
from kernel.timezone import local_today, to_local
from modules.base.models import Partner
from modules.medical.events import AppointmentChanged
from modules.medical.models import (
    LIVE,
    Appointment,
    Doctor,
    DoctorGroup,
    GroupMember,
    Referral,
    TakenSlot,
    WaitingEntry,
)
from modules.medical.services import slots

BOOK = "medical.appointment.book"
CHANGE = "medical.appointment.state"
MOVES = {"booked": ("arrived", "no_show", "cancelled"), "arrived": ("seen", "cancelled"),
         "seen": (), "no_show": (), "cancelled": ()}


def _doctor(session: Session, doctor_id: Any) -> Doctor:
    doctor = session.get(Doctor, int(doctor_id)) if str(doctor_id or "").isdigit() else None
    if doctor is None or doctor.deleted_at is not None or not doctor.active:
        raise InputError("Choose a doctor")
    return doctor


def _patient(kernel: Any, session: Session, actor: Any, patient_id: Any) -> Partner:
    patient = None
    if str(patient_id or "").isdigit():
        patient = session.scalars(kernel.scoped_select(actor, Partner).where(Partner.id == int(patient_id))).first()
    if patient is None:
        raise InputError("Choose the patient")
    if patient.kind != "person":
        raise InputError("A patient is a person, not a company")
    return patient


def _check_slot(kernel: Any, session: Session, doctor: Doctor, start_at: dt.datetime, now: dt.datetime) -> None:
    tz = kernel.config.timezone
    if start_at < now:
        raise InputError("This time has passed")
    if not slots.is_offered(session, doctor, start_at, to_local(start_at, tz).date(), tz):
        raise InputError("The doctor has no slot at this time")


def _check_patient_free(session: Session, patient_id: int, start_at: dt.datetime, end_at: dt.datetime,
                        except_id: int | None = None) -> None:
    # Serialise one patient's bookings: the second waits here until the first commits.
    session.execute(select(Partner.id).where(Partner.id == patient_id).with_for_update())
    clash = select(Appointment.id).where(Appointment.patient_id == patient_id, Appointment.state.in_(LIVE),
                                         Appointment.deleted_at.is_(None), Appointment.start_at < end_at,
                                         Appointment.end_at > start_at)
    if except_id is not None:
        clash = clash.where(Appointment.id != except_id)
    if session.scalar(clash.limit(1)) is not None:
        raise Conflict("The patient already has an appointment at this time")


def _take(session: Session, appointment: Appointment) -> None:
    try:
        with session.begin_nested():
            session.add(TakenSlot(doctor_id=appointment.doctor_id, slot_at=appointment.start_at,
                                  appointment_id=appointment.id))
    except IntegrityError:
        raise Conflict("This slot was just booked by someone else; choose another time") from None


def book(kernel: Any, session: Session, actor: Any, *, doctor_id: Any, patient_id: Any, start_at: dt.datetime,
         note: str | None = None, referral_id: Any = None, now: dt.datetime | None = None) -> Appointment:
    """Book the patient on the doctor's slot starting at ``start_at`` (naive UTC)."""
    if not actor.can(BOOK):
        raise PermissionDenied()
    now = now or utcnow()
    doctor = _doctor(session, doctor_id)
    patient = _patient(kernel, session, actor, patient_id)
    _check_slot(kernel, session, doctor, start_at, now)
    end_at = start_at + dt.timedelta(minutes=doctor.slot_minutes)
    _check_patient_free(session, patient.id, start_at, end_at)
    referral = None
    if str(referral_id or "").isdigit():
        referral = session.get(Referral, int(referral_id))
        if referral is None or referral.patient_id != patient.id or referral.state != "open":
            raise InputError("This referral is not open for this patient")
    appointment = Appointment(doctor_id=doctor.id, doctor_user_id=doctor.user_id, patient_id=patient.id,
                              start_at=start_at, end_at=end_at, minutes=doctor.slot_minutes, state="booked",
                              note=(note or "").strip() or None, booked_by_id=actor.user_id or None,
                              referral_id=referral.id if referral else None)
    session.add(appointment)
    session.flush()
    _take(session, appointment)
    if referral is not None:
        referral.state = "booked"
    kernel.emit(AppointmentChanged(appointment.id, patient.id, doctor.id, "", "booked"), session)
    return appointment


def _load(kernel: Any, session: Session, actor: Any, appointment_id: int) -> Appointment:
    row = session.scalars(kernel.scoped_select(actor, Appointment, "edit")
                          .where(Appointment.id == appointment_id).with_for_update()).first()
    if row is None:
        raise NotFound()
    return row


def set_state(kernel: Any, session: Session, actor: Any, appointment_id: int, state: str) -> Appointment:
    """Arrived, seen, no-show or cancelled; a no-show or a cancellation frees the slot, and a
    cancellation offers it to the waiting list."""
    if not actor.can(CHANGE):
        raise PermissionDenied()
    row = _load(kernel, session, actor, appointment_id)
    if state not in MOVES.get(row.state, ()):
        raise Conflict("An appointment that is {state} cannot change so", state=row.state)
    before = row.state
    row.state = state
    if state in ("cancelled", "no_show"):
        session.execute(delete(TakenSlot).where(TakenSlot.appointment_id == row.id))
    session.flush()
    kernel.emit(AppointmentChanged(row.id, row.patient_id, row.doctor_id, before, state), session)
    if state == "cancelled":
        offer_waiting_list(kernel, session, actor, row)
    return row


def reschedule(kernel: Any, session: Session, actor: Any, appointment_id: int, start_at: dt.datetime,
               doctor_id: Any = None, now: dt.datetime | None = None) -> Appointment:
    """Move a booked appointment to another free slot (of the same doctor, or another)."""
    if not actor.can(BOOK):
        raise PermissionDenied()
    now = now or utcnow()
    row = _load(kernel, session, actor, appointment_id)
    if row.state != "booked":
        raise Conflict("Only a booked appointment can be moved")
    doctor = _doctor(session, doctor_id or row.doctor_id)
    _check_slot(kernel, session, doctor, start_at, now)
    end_at = start_at + dt.timedelta(minutes=doctor.slot_minutes)
    _check_patient_free(session, row.patient_id, start_at, end_at, except_id=row.id)
    session.execute(delete(TakenSlot).where(TakenSlot.appointment_id == row.id))
    row.doctor_id, row.doctor_user_id = doctor.id, doctor.user_id
    row.start_at, row.end_at, row.minutes = start_at, end_at, doctor.slot_minutes
    session.flush()
    _take(session, row)
    kernel.emit(AppointmentChanged(row.id, row.patient_id, row.doctor_id, "booked", "booked", moved=True), session)
    return row


def offer_waiting_list(kernel: Any, session: Session, actor: Any, freed: Appointment) -> int:
    """An alarm to whoever keeps each matching waiting-list entry (the receptionist who wrote it,
    else the one cancelling): the doctor's or one of the doctor's groups' waiting patients."""
    if freed.start_at <= utcnow():
        return 0
    groups = select(GroupMember.group_id).where(GroupMember.doctor_id == freed.doctor_id,
                                                GroupMember.deleted_at.is_(None))
    entries = list(session.scalars(select(WaitingEntry).where(
        WaitingEntry.active.is_(True), WaitingEntry.deleted_at.is_(None), WaitingEntry.patient_id != freed.patient_id,
        (WaitingEntry.doctor_id == freed.doctor_id) | WaitingEntry.group_id.in_(groups)).order_by(WaitingEntry.id)))
    if not entries:
        return 0
    doctor = session.get(Doctor, freed.doctor_id)
    names = dict(session.execute(select(Partner.id, Partner.name).where(
        Partner.id.in_({e.patient_id for e in entries}))).all())
    tz = kernel.config.timezone
    from kernel.persian.jalali import format_jalali

    when = format_jalali(to_local(freed.start_at, tz), "fa", "datetime")
    people = "، ".join(names.get(e.patient_id, "") for e in entries[:5])
    title = f"نوبت آزاد شد: {doctor.name if doctor else ''} {when} — در فهرست انتظار: {people}"[:250]
    users = {e.owner_id or actor.user_id for e in entries} - {None, 0}
    for user_id in sorted(users):
        raise_alarm(session, user_id=user_id, title=title, url=calendar_url(freed.doctor_id, freed.start_at, tz),
                    kind="notice")
    return len(users)


def calendar_url(doctor_id: int, start_at: dt.datetime, tz: str) -> str:
    return f"/medical/calendar?doctor={doctor_id}&day={to_local(start_at, tz).date().isoformat()}"


def group_doctors(session: Session, group_id: int) -> list[Doctor]:
    return list(session.scalars(select(Doctor).join(GroupMember, GroupMember.doctor_id == Doctor.id).where(
        GroupMember.group_id == group_id, GroupMember.deleted_at.is_(None), Doctor.deleted_at.is_(None),
        Doctor.active.is_(True)).order_by(Doctor.name, Doctor.id)))


def next_free_for(kernel: Any, session: Session, *, doctor_id: Any = None, group_id: Any = None,
                  now: dt.datetime | None = None) -> tuple[Doctor, dt.datetime] | None:
    now = now or utcnow()
    tz = kernel.config.timezone
    if str(group_id or "").isdigit():
        if session.get(DoctorGroup, int(group_id)) is None:
            raise InputError("Choose a doctor")
        doctors = group_doctors(session, int(group_id))
    else:
        doctors = [_doctor(session, doctor_id)]
    return slots.next_free(session, doctors, now, tz, local_today(tz, now))


def close_referral(session: Session, referral_id: int) -> None:
    session.execute(update(Referral).where(Referral.id == referral_id, Referral.state == "open")
                    .values(state="closed"))
