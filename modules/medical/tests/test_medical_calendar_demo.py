"""The clinic's demo shows the journey at once, and the role templates split the desk from the
doctor: the receptionist books without the medical file's permission, the doctor has it."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select

from kernel import Alarm
from kernel.testing import create_user
from modules.marketing.models import DateRule
from modules.medical.demo_calendar import load
from modules.medical.models import Appointment, Doctor, GroupMember, Referral, Shift


def test_the_demo_and_the_role_templates(make_kernel: Any, web_client: Any) -> None:
    kernel = make_kernel(modules=("medical",))
    admin = create_user(kernel, "admin", admin=True)
    with kernel.session() as s:
        assert "3 doctors" in load(kernel, s)
    with kernel.session() as s:
        assert load(kernel, s) == "already loaded"
    with kernel.sessions() as s:
        assert s.scalar(select(func.count()).select_from(Doctor)) == 3
        assert s.scalar(select(func.count()).select_from(Shift)) == 24
        assert s.scalar(select(func.count()).select_from(GroupMember)) == 2
        assert s.scalar(select(func.count()).select_from(Appointment)) >= 4  # tomorrow's, whatever today is
        assert s.scalars(select(Referral.state)).all() == ["open"]
        assert sorted(s.scalars(select(DateRule.days_before))) == [0, 1]
        assert s.scalars(select(Alarm.kind).where(Alarm.user_id == admin)).all() == ["referral"]
    page = web_client(kernel, "admin").get("/medical/calendar")  # the administrator is the first doctor
    assert page.status_code == 200 and "مهدی رحیمی" in page.text and "درد قفسهٔ سینه" in page.text
    desk = kernel.role_templates["medical.receptionist"]
    doctor = kernel.role_templates["medical.doctor"]
    assert {"medical.appointment.book", "medical.appointment.state"} <= set(desk.permissions)
    assert "medical.records" not in desk.permissions and desk.record_scope == "all"
    assert "medical.records" in doctor.permissions and "medical.appointment.book" not in doctor.permissions
    assert doctor.record_scope == "own"
