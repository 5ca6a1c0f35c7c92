"""The appointment SMS leave by the clock: the two "send before a date" rules on the
appointments' date source send the day before (from 08:00 local) and on the day, once each,
with the appointment's time and doctor filled in; a cancelled appointment gets none."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from kernel.jobs import run_due
from kernel.persian.textnorm import to_persian_digits
from kernel.timezone import to_utc
from modules.marketing.testing import add_panel
from modules.medical.services import booking
from modules.medical.services.sms import add_reminder_rules
from modules.medical.tests.calendar_helpers import ENGINES, clinic


@pytest.mark.parametrize("engine", ENGINES)
def test_the_reminder_sms_leaves_the_day_before_and_on_the_day_once(make_kernel: Any, fake_panel: Any,
                                                                    engine: str) -> None:
    c = clinic(make_kernel, engine)
    k, desk = c.kernel, c.actor()
    add_panel(k, fake_panel)
    maryam, ali, _ = c.patients
    with k.session(desk) as s:
        add_reminder_rules(s, c.desk)
        booking.book(k, s, desk, doctor_id=c.rahimi, patient_id=maryam, start_at=c.at(10, 30))
        gone = booking.book(k, s, desk, doctor_id=c.karimi, patient_id=ali, start_at=c.at(9, 0)).id
    with k.session(desk) as s:
        booking.set_state(k, s, desk, gone, "cancelled")
    tz = k.config.timezone

    def local(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
        return to_utc(dt.datetime.combine(day, dt.time(hour, minute)), tz)

    eve = c.day - dt.timedelta(days=1)
    run_due(k, now=local(eve, 7, 30))  # the day before, too early: nothing
    assert fake_panel.state.sent == {}
    for minute in (0, 2, 30):  # 08:00 the rule writes; the outbox sends; later runs add nothing
        run_due(k, now=local(eve, 8, minute))
    sent = [(m.receptor, m.message) for m in fake_panel.state.sent.values()]
    clock = to_persian_digits("10:30")
    assert len(sent) == 1 and sent[0][0] == "09121110001"
    assert sent[0][1].startswith("مریم احمدی گرامی، نوبت شما نزد مهدی رحیمی فردا") and clock in sent[0][1]
    for minute in (0, 2, 40):
        run_due(k, now=local(c.day, 8, minute))
    texts = sorted(m.message for m in fake_panel.state.sent.values())
    assert len(texts) == 2 and any(t.startswith("مریم احمدی گرامی، یادآوری: امروز") and clock in t for t in texts)
