"""Another module's one service SMS (``modules.marketing.services.notify.send_sms``): queued in
the caller's transaction, filled with the partner's name, sent through the panel, refused for a
number that is no mobile — and gone with the caller's change when that change is rolled back."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import func, select

from kernel import InputError
from kernel.actor import SYSTEM
from kernel.db import transaction
from kernel.testing import create_record
from modules.marketing.fake_panel import FakePanel
from modules.marketing.models import Message, Send
from modules.marketing.services.notify import send_sms, send_sms_to_many
from modules.marketing.testing import add_panel
from modules.marketing.tests.sms_helpers import ENGINES, drain


@pytest.mark.parametrize("engine", ENGINES)
def test_a_modules_service_sms_leaves_with_the_callers_change_and_only_then(
        make_kernel: Any, fake_panel: FakePanel, engine: str) -> None:
    kernel = make_kernel(modules=("marketing",), engine=engine)
    add_panel(kernel, fake_panel)
    person = create_record(kernel, None, "base.partner", kind="person", first_name="مریم", last_name="کریمی",
                           mobile="+989121110000")
    with transaction(kernel.sessions, SYSTEM) as s:
        send = send_sms(kernel, s, "{name} عزیز، نوبت شما ثبت شد.", partner_id=person, label="نوبت ۱۲")
        to_number = send_sms(kernel, s, "کارت شما ثبت شد.", mobile="۰۹۳۵ ۱۱۱ ۲۲۳۳")
        ids = (send.id, to_number.id)
    with pytest.raises(InputError), transaction(kernel.sessions, SYSTEM) as s:
        send_sms(kernel, s, "نه", mobile="۰۲۱ ۸۸۸۸ ۱۲۳۴")  # a landline: no SMS
    with pytest.raises(RuntimeError), transaction(kernel.sessions, SYSTEM) as s:
        send_sms(kernel, s, "نباید برود", partner_id=person)
        raise RuntimeError("the caller's change failed")
    # Many at once (a daily job's reminders): one send, one message per record, names filled,
    # a partner without a mobile skipped with its reason.
    nomobile = create_record(kernel, None, "base.partner", kind="person", first_name="رضا", last_name="نادری")
    with transaction(kernel.sessions, SYSTEM) as s:
        many = send_sms_to_many(kernel, s, "{name}، بیمه‌نامهٔ شما رو به پایان است.",
                                [(person, None), (nomobile, None)], label="یادآوری‌های تمدید")
        assert many is not None
        many_id = many.id
        assert send_sms_to_many(kernel, s, "هیچ", []) is None

    drain(kernel)

    texts = sorted((m.receptor, m.message) for m in fake_panel.state.sent.values())
    assert texts == [("09121110000", "مریم کریمی عزیز، نوبت شما ثبت شد."),
                     ("09121110000", "مریم کریمی، بیمه‌نامهٔ شما رو به پایان است."),
                     ("09351112233", "کارت شما ثبت شد.")]
    with kernel.sessions() as s:
        assert s.scalar(select(func.count()).select_from(Message)) == 4
        first = s.get(Send, ids[0])
        assert first is not None and (first.audience_label, first.state, first.sent) == ("نوبت ۱۲", "done", 1)
        many_row = s.get(Send, many_id)
        assert many_row is not None and (many_row.total, many_row.sent, many_row.skipped) == (2, 1, 1)
