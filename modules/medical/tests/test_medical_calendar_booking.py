"""Booking on the clinic calendar: a slot is held once (the database's unique key), a patient
cannot be in two places at once, holidays and days off have no slots, a cancellation frees the
slot and offers it to the waiting list, a move frees the old slot, every change is an
``AppointmentChanged`` event, and the next free slot skips what is taken."""

from __future__ import annotations

import datetime as dt
import threading
import time
from typing import Any

import pytest
from sqlalchemy import func, select

from kernel import Alarm, Conflict, InputError, hookimpl
from kernel.testing import create_record
from modules.medical.events import AppointmentChanged
from modules.medical.models import Appointment, TakenSlot
from modules.medical.services import booking, slots
from modules.medical.tests.calendar_helpers import ENGINES, clinic


class Heard:
    def __init__(self) -> None:
        self.events: list[tuple[str, str, bool]] = []

    @hookimpl
    def handle_event(self, event: Any, session: Any, kernel: Any) -> None:
        if isinstance(event, AppointmentChanged):
            self.events.append((event.from_state, event.to_state, event.moved))


@pytest.mark.parametrize("engine", ENGINES)
def test_a_slot_is_booked_once_and_freed_by_cancel_and_move(make_kernel: Any, engine: str) -> None:
    c = clinic(make_kernel, engine)
    k, desk = c.kernel, c.actor()
    heard = Heard()
    k.pm.register(heard)
    maryam, ali, narges = c.patients
    with k.session(desk) as s:
        first = booking.book(k, s, desk, doctor_id=c.rahimi, patient_id=maryam, start_at=c.at(10, 30), note="چکاپ")
        first_id = first.id
        assert (first.end_at - first.start_at, first.doctor_user_id) == (dt.timedelta(minutes=30), c.doctor_user)
    # Another patient on the same slot: refused with a Persian message, nothing written.
    with pytest.raises(Conflict) as taken, k.session(desk) as s:
        booking.book(k, s, desk, doctor_id=c.rahimi, patient_id=ali, start_at=c.at(10, 30))
    assert k.t("fa", taken.value.msgid) == "این نوبت همین حالا برای کس دیگری ثبت شد؛ زمان دیگری انتخاب کنید"
    # The same patient with the other doctor at the same time: refused too.
    with pytest.raises(Conflict) as twice, k.session(desk) as s:
        booking.book(k, s, desk, doctor_id=c.karimi, patient_id=maryam, start_at=c.at(10, 30))
    assert "در این زمان نوبت دیگری دارد" in k.t("fa", twice.value.msgid)
    # Not a slot of the doctor (10:40, or 14:00 after the shift) and a time passed: refused.
    for at in (c.at(10, 40), c.at(14, 0), c.at(9, 0, c.day - dt.timedelta(days=400))):
        with pytest.raises(InputError), k.session(desk) as s:
            booking.book(k, s, desk, doctor_id=c.rahimi, patient_id=ali, start_at=at)
    # The doctor's day off has no slots; neither has an official holiday.
    create_record(k, None, "medical.day_off", doctor_id=c.karimi, day=c.day, note="مرخصی")
    with k.sessions() as s:
        grid = slots.offered(s, [s.get(booking.Doctor, c.rahimi), s.get(booking.Doctor, c.karimi)], c.day, c.day,
                             k.config.timezone)
        assert len(grid[c.rahimi][c.day]) == 10 and c.day not in grid[c.karimi]
        friday = c.day + dt.timedelta(days=(4 - c.day.weekday()) % 7)
        assert not slots.offered(s, [s.get(booking.Doctor, c.rahimi)], friday, friday, k.config.timezone)[c.rahimi]
    # The waiting list: Ali waits for the heart group; cancelling Maryam's slot alarms the receptionist.
    create_record(k, c.desk, "medical.waiting", patient_id=ali, group_id=c.heart, days="صبح‌ها")
    with k.session(desk) as s:
        booking.set_state(k, s, desk, first_id, "cancelled")
    with k.sessions() as s:
        alarms = list(s.scalars(select(Alarm).where(Alarm.user_id == c.desk)))
        assert len(alarms) == 1 and "علی کاظمی" in alarms[0].title and "نوبت آزاد شد" in alarms[0].title
        assert s.scalar(select(func.count()).select_from(TakenSlot)) == 0
    with pytest.raises(Conflict), k.session(desk) as s:  # a cancelled appointment stays cancelled
        booking.set_state(k, s, desk, first_id, "arrived")
    # Freed: Ali takes it; then it moves to 11:00 and Narges can have 10:30.
    with k.session(desk) as s:
        second = booking.book(k, s, desk, doctor_id=c.rahimi, patient_id=ali, start_at=c.at(10, 30)).id
    with k.session(desk) as s:
        booking.reschedule(k, s, desk, second, c.at(11, 0))
    with k.session(desk) as s:
        third = booking.book(k, s, desk, doctor_id=c.rahimi, patient_id=narges, start_at=c.at(10, 30)).id
        booking.set_state(k, s, desk, third, "arrived")
        booking.set_state(k, s, desk, third, "seen")
    with k.sessions() as s:
        assert sorted(s.scalars(select(TakenSlot.slot_at))) == [c.at(10, 30), c.at(11, 0)]
        assert s.get(Appointment, second).start_at == c.at(11, 0)
    assert heard.events == [("", "booked", False), ("booked", "cancelled", False), ("", "booked", False),
                            ("booked", "booked", True), ("", "booked", False), ("booked", "arrived", False),
                            ("arrived", "seen", False)]
    # The next free slot of the group skips what is taken (the group's first doctor is off that day).
    with k.sessions() as s:
        found = booking.next_free_for(k, s, group_id=c.heart, now=c.at(10, 0))
        assert found is not None and (found[0].id, found[1]) == (c.rahimi, c.at(11, 30))


@pytest.mark.postgres
def test_two_receptionists_booking_the_last_slot_at_once_one_wins(make_kernel: Any) -> None:
    """The first booking holds its transaction open after writing the slot; the second, started
    then, finds the slot free in its own checks (the first is not committed), and it is the
    database's unique key that refuses it once the first commits."""
    c = clinic(make_kernel, "postgresql")
    k, desk = c.kernel, c.actor()
    first_wrote = threading.Event()
    results: dict[str, str] = {}

    def attempt(who: str, patient: int) -> None:
        try:
            with k.session(desk) as s:
                if who == "second":
                    assert first_wrote.wait(10)
                booking.book(k, s, desk, doctor_id=c.rahimi, patient_id=patient, start_at=c.at(12, 30))
                if who == "first":
                    first_wrote.set()
                    time.sleep(0.5)  # the second is now waiting on the unique key
            results[who] = "booked"
        except Conflict as exc:
            results[who] = k.t("fa", exc.msgid)

    threads = [threading.Thread(target=attempt, args=("first", c.patients[0])),
               threading.Thread(target=attempt, args=("second", c.patients[1]))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert results == {"first": "booked",
                       "second": "این نوبت همین حالا برای کس دیگری ثبت شد؛ زمان دیگری انتخاب کنید"}
    with k.sessions() as s:
        assert s.scalar(select(func.count()).select_from(Appointment)) == 1
        assert s.scalar(select(func.count()).select_from(TakenSlot)) == 1
