"""Educational messages by disease after a visit (MED-02): an appointment that becomes "seen"
sends each of the patient's diseases' texts once, through the fake SMS panel; a second "seen" of
the same visit sends nothing more, a new visit sends again, and a change that is rolled back
sends nothing. The appointment itself is the calendar's (medcal): here its event is emitted in a
transaction, as the calendar emits it."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import func, select, update

from kernel import records
from kernel.actor import SYSTEM
from kernel.db import transaction
from kernel.testing import create_record
from modules.marketing.fake_panel import FakePanel
from modules.marketing.models import Category
from modules.marketing.testing import add_panel
from modules.marketing.tests.sms_helpers import ENGINES, T0, drain
from modules.medical.events import AppointmentChanged
from modules.medical.models import EducationSent


def _visit(kernel: Any, appointment: int, patient: int, to_state: str, from_state: str = "arrived",
           fail: bool = False) -> None:
    with transaction(kernel.sessions, SYSTEM) as s:
        kernel.emit(AppointmentChanged(appointment_id=appointment, patient_id=patient, doctor_id=1,
                                       from_state=from_state, to_state=to_state), s)
        if fail:
            raise RuntimeError("the visit's change failed")


@pytest.mark.parametrize("engine", ENGINES)
def test_each_disease_teaches_once_per_visit(make_kernel: Any, fake_panel: FakePanel, engine: str) -> None:
    kernel = make_kernel(modules=("medical",), engine=engine)
    add_panel(kernel, fake_panel)
    pid = create_record(kernel, None, "base.partner", kind="person", first_name="مریم", last_name="کریمی",
                        mobile="+989121110000")
    diabetes = create_record(kernel, None, "medical.disease", name="دیابت",
                             education_sms="{name} عزیز، قند خون را هر روز اندازه بگیرید.")
    asthma = create_record(kernel, None, "medical.disease", name="آسم", education_sms="اسپری را همراه داشته باشید.")
    silent = create_record(kernel, None, "medical.disease", name="میگرن")  # no educational text
    other = create_record(kernel, None, "medical.disease", name="فشار خون", education_sms="نمک کمتر.")
    for disease in (diabetes, asthma, silent):
        create_record(kernel, None, "medical.patient_disease", partner_id=pid, disease_id=disease)
    gone = create_record(kernel, None, "medical.patient_disease", partner_id=pid, disease_id=other)
    with kernel.session() as s:  # a diagnosis in the recycle bin teaches nothing
        records.delete_record(kernel, s, SYSTEM, kernel.resources["medical.patient_disease"], gone)

    _visit(kernel, 7, pid, "arrived", from_state="booked")   # not a visit yet
    _visit(kernel, 7, pid, "seen")
    _visit(kernel, 7, pid, "seen", from_state="arrived")     # the same visit marked seen again
    with pytest.raises(RuntimeError):
        _visit(kernel, 8, pid, "seen", fail=True)            # rolled back: nothing leaves
    drain(kernel)
    texts = sorted(m.message for m in fake_panel.state.sent.values())
    assert texts == ["اسپری را همراه داشته باشید.", "مریم کریمی عزیز، قند خون را هر روز اندازه بگیرید."]
    assert {m.receptor for m in fake_panel.state.sent.values()} == {"09121110000"}

    _visit(kernel, 9, pid, "seen")  # the next visit teaches again
    drain(kernel)
    assert len(fake_panel.state.sent) == 4
    with kernel.sessions() as s:
        assert s.scalar(select(func.count()).select_from(EducationSent)) == 4
    # With no send category left the visit is still marked seen (no veto), and nothing is sent.
    with kernel.session() as s:
        s.execute(update(Category).values(deleted_at=T0))
    _visit(kernel, 10, pid, "seen")
    with kernel.sessions() as s:
        assert s.scalar(select(func.count()).select_from(EducationSent)) == 4
