"""The calendar page as the receptionist and the doctor use it: day and week views in Jalali with
Persian digits, booking a free slot (and the Persian refusal of a taken one), the state buttons,
moving by the keyboard's form, the next free slot, a referral to a group shown on its calendar
until booked from, the reports — and the doctor seeing only their own appointments."""

from __future__ import annotations

import datetime as dt
from typing import Any
from urllib.parse import parse_qs, urlparse

import pytest
from sqlalchemy import select

from kernel import Alarm
from kernel.persian.jalali import format_jalali
from kernel.testing import csrf
from modules.medical.models import Appointment, Referral
from modules.medical.services import booking
from modules.medical.tests.calendar_helpers import ENGINES, clinic


@pytest.mark.parametrize("engine", ENGINES)
def test_book_mark_move_and_refer_from_the_calendar(make_kernel: Any, web_client: Any, engine: str) -> None:
    c = clinic(make_kernel, engine)
    k = c.kernel
    maryam, ali, _ = c.patients
    web = web_client(k, "zahra")
    day = c.day.isoformat()
    page = web.get(f"/medical/calendar?doctor={c.rahimi}&day={day}")
    assert page.status_code == 200
    assert format_jalali(c.day, "fa", "long") in page.text and "۱۰:۳۰" in page.text
    at = c.at(10, 30).isoformat()
    assert f'data-at="{at}"' in page.text
    token = csrf(web, "/medical/calendar")
    form = web.get(f"/medical/calendar/book?doctor={c.rahimi}&at={at}")
    assert form.status_code == 200 and "رحیمی" in form.text
    made = web.post("/medical/calendar/book", data={"csrf": token, "doctor": c.rahimi, "at": at,
                                                     "patient_id": str(maryam), "note": "نوبت اول"},
                    follow_redirects=False)
    assert made.status_code == 303, made.text
    page = web.get(made.headers["location"])
    assert "مریم احمدی" in page.text and "نوبت ثبت شد" in page.text
    # The same slot again, from a page opened before: the Persian refusal, nothing written.
    again = web.post("/medical/calendar/book", data={"csrf": token, "doctor": c.rahimi, "at": at,
                                                      "patient_id": str(ali)})
    assert again.status_code == 409 and "این نوبت همین حالا برای کس دیگری ثبت شد" in again.text
    bad = web.post("/medical/calendar/book", data={"csrf": token, "doctor": c.rahimi, "at": "فردا",
                                                    "patient_id": str(ali)})
    assert bad.status_code in (404, 422) and "Traceback" not in bad.text
    with k.sessions() as s:
        appt = s.scalars(select(Appointment)).one()
    # The keyboard's way to move it: the move form lists free slots; 11:00 is taken by nobody.
    move = web.get(f"/medical/calendar/appointment/{appt.id}/move")
    new_at = c.at(11, 0).isoformat()
    assert move.status_code == 200 and f'value="{new_at}"' in move.text
    moved = web.post(f"/medical/calendar/appointment/{appt.id}/move", data={"csrf": token, "at": new_at},
                     follow_redirects=False)
    assert moved.status_code == 303
    # Arrived, then seen; "seen" on a booked one is refused in Persian.
    back = f"/medical/calendar?doctor={c.rahimi}&day={day}"
    refused = web.post(f"/medical/calendar/appointment/{appt.id}/state", data={"csrf": token, "state": "seen",
                                                                            "next": back})
    assert refused.status_code == 409 and "نمی‌تواند" in refused.text
    for state in ("arrived", "seen"):
        done = web.post(f"/medical/calendar/appointment/{appt.id}/state",
                        data={"csrf": token, "state": state, "next": back}, follow_redirects=False)
        assert done.status_code == 303 and done.headers["location"] == back
    with k.sessions() as s:
        row = s.get(Appointment, appt.id)
        assert row is not None and (row.state, row.start_at) == ("seen", c.at(11, 0))
    week = web.get(f"/medical/calendar?group={c.heart}&view=week&day={day}")
    assert week.status_code == 200 and "گروه قلب" in week.text and "med-state-seen" in week.text
    # Refer Ali to the heart group: the doctor's login gets an alarm, the group's calendar lists it.
    ref = web.post("/medical/referral/new", data={"csrf": token, "patient_id": str(ali), "group_id": str(c.heart),
                                                  "note": "مشاوره قلب"}, follow_redirects=False)
    assert ref.status_code == 303, ref.text
    with k.sessions() as s:
        referral = s.scalars(select(Referral)).one()
        alarm = s.scalars(select(Alarm).where(Alarm.user_id == c.doctor_user)).one()
        assert (alarm.kind, alarm.title) == ("referral", "علی کاظمی")
    strip = web.get(f"/medical/calendar?group={c.heart}&day={day}")
    assert "مشاوره قلب" in strip.text and f"referral={referral.id}" in strip.text
    # The next free slot of the group, booked from the referral: the referral is done.
    nxt = web.get(f"/medical/calendar/next?group={c.heart}&referral={referral.id}", follow_redirects=False)
    assert nxt.status_code == 303
    q = parse_qs(urlparse(nxt.headers["location"]).query)
    assert q["referral"] == [str(referral.id)]
    booked = web.post("/medical/calendar/book", data={"csrf": token, "doctor": q["doctor"][0], "at": q["at"][0],
                                                       "patient_id": str(ali), "referral": str(referral.id)},
                      follow_redirects=False)
    assert booked.status_code == 303, booked.text
    with k.sessions() as s:
        assert getattr(s.get(Referral, referral.id), "state", None) == "booked"
    assert "مشاوره قلب" not in web.get(f"/medical/calendar?group={c.heart}&day={day}").text
    # Reports: no-shows per doctor and appointments per day, over the Jalali period of the day.
    period = {"from": format_jalali(c.day - dt.timedelta(days=1)), "to": format_jalali(c.day + dt.timedelta(days=30))}
    per_day = web.get("/reports/medical.per_day", params=period)
    assert per_day.status_code == 200 and format_jalali(c.day) in per_day.text
    assert web.get("/reports/medical.no_show.xlsx", params=period).status_code == 200
    pdf = web.get("/reports/medical.per_day.pdf", params=period)
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    # The patient's profile lists her appointment with its doctor and state.
    profile = web.get(f"/base/partner/{maryam}/profile")
    assert 'data-panel="medical.appointments"' in profile.text and "ویزیت شد" in profile.text
    # A shift typed in Persian digits is a shift; one that ends before it starts is refused in Persian.
    shift = web.post("/medical/shift/new", data={"csrf": token, "doctor_id": str(c.karimi), "weekday": "0",
                                                 "starts": "۱۶:۰۰", "ends": "۱۸:۳۰"}, follow_redirects=False)
    assert shift.status_code == 303, shift.text
    wrong = web.post("/medical/shift/new", data={"csrf": token, "doctor_id": str(c.karimi), "weekday": "1",
                                                 "starts": "۱۸:۰۰", "ends": "۱۶:۰۰"})
    assert wrong.status_code == 400 and "پایان شیفت پیش از آغاز آن است" in wrong.text
    # The doctor (own scope) sees their own appointments on the calendar, and may not book.
    doctor = web_client(k, "dr_rahimi")
    own = doctor.get(f"/medical/calendar?day={day}")
    assert own.status_code == 200 and "مریم احمدی" in own.text
    assert doctor.get(f"/medical/calendar/book?doctor={c.rahimi}&at={at}").status_code == 403
    # Another doctor's patient is not shown to them: the slot reads "taken", without a name.
    desk = c.actor()
    with k.session(desk) as s:
        booking.book(k, s, desk, doctor_id=c.karimi, patient_id=c.patients[2], start_at=c.at(9, 0))
    other = doctor.get(f"/medical/calendar?doctor={c.karimi}&day={day}")
    assert "گرفته شده" in other.text and "نرگس صالحی" not in other.text
    assert "نرگس صالحی" in web.get(f"/medical/calendar?doctor={c.karimi}&day={day}").text
    # A referral the desk writes to the heart group is on the doctor's own calendar (addressed to them).
    web.post("/medical/referral/new", data={"csrf": token, "patient_id": str(c.patients[2]), "group_id": str(c.heart),
                                            "note": "بررسی نوار قلب"}, follow_redirects=False)
    assert "بررسی نوار قلب" in doctor.get(f"/medical/calendar?day={day}").text
