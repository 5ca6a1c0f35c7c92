"""The four panel adapters against the fake panel's real HTTP server speaking each documented
API (issue 13): a batch goes out once with the panel's ids, delivery states and received
messages come back through the polling job, the credit is read, and a wrong key or no credit is
a refusal that is not retried, explained in Persian."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from sqlalchemy import select

from kernel.jobs import run_due
from modules.marketing.adapters import http, ippanel, kavenegar, melipayamak, smsir
from modules.marketing.fake_panel import FakePanel
from modules.marketing.models import Inbound, Message
from modules.marketing.panels import Outgoing, PanelError
from modules.marketing.testing import add_panel, queue_sms
from modules.marketing.tests.sms_helpers import ENGINES, drain, states

KINDS = {"kavenegar": (kavenegar.Kavenegar, ""), "smsir": (smsir.SmsIr, ""), "ippanel": (ippanel.IPPanel, ""),
         "melipayamak": (melipayamak.Melipayamak, "/api")}


def _adapter(fake: FakePanel, kind: str, key: str | None = None) -> Any:
    cls, tail = KINDS[kind]
    return cls(fake.base_url + tail, fake.state.api_key if key is None else key, "10004346")


@pytest.mark.parametrize("kind", list(KINDS))
@pytest.mark.parametrize("engine", ENGINES)
def test_each_panel_sends_reports_delivery_and_receives_through_the_pipe(
        make_kernel: Any, fake_panel: FakePanel, kind: str, engine: str) -> None:
    kernel = make_kernel(modules=("marketing",), engine=engine)
    add_panel(kernel, fake_panel, kind=kind, base_url=fake_panel.base_url + KINDS[kind][1])
    send_id = queue_sms(kernel, ["+989121000001", "+989121000002", "+989121000009"],
                        "یادآوری: قسط شما فردا سررسید می‌شود")
    assert send_id
    now = drain(kernel)
    assert states(kernel) == {"sent": 3}
    assert fake_panel.state.total_sends() == 3 and set(fake_panel.state.sends_per_mobile.values()) == {1}
    with kernel.sessions() as s:
        ids = set(s.scalars(select(Message.provider_id)))
    assert ids == {str(i) for i in fake_panel.state.sent}

    fake_panel.state.add_inbound("09121000001", "سلام، قسط را واریز کردم")
    run_due(kernel, now=now + dt.timedelta(minutes=5))

    assert states(kernel) == {"delivered": 2, "failed": 1}
    with kernel.sessions() as s:
        got = s.scalars(select(Inbound)).one()
    assert (got.address, got.body) == ("+989121000001", "سلام، قسط را واریز کردم")


@pytest.mark.parametrize("kind", list(KINDS))
def test_each_panel_reads_its_credit_and_refuses_a_wrong_key_or_no_credit(fake_panel: FakePanel, kind: str) -> None:
    fake_panel.state.credit = 123_456
    assert _adapter(fake_panel, kind).credit() == 123_456

    with pytest.raises(PanelError) as wrong:
        _adapter(fake_panel, kind, key="not-the-key").send([Outgoing(1, "+989121000001", "سلام")])
    assert (str(wrong.value), wrong.value.retry) == (http.KEY_REFUSED, False)

    fake_panel.state.credit = 0
    with pytest.raises(PanelError) as poor:
        _adapter(fake_panel, kind).send([Outgoing(2, "+989121000002", "سلام"), Outgoing(3, "+989121000003", "سلام")])
    assert (str(poor.value), poor.value.retry) == (http.NO_CREDIT, False)
    assert fake_panel.state.total_sends() == 0


def test_melipayamak_sends_one_text_to_many_in_one_call_and_different_texts_one_by_one(fake_panel: FakePanel) -> None:
    adapter = _adapter(fake_panel, "melipayamak")
    same = adapter.send([Outgoing(i, f"+98912100000{i}", "تخفیف ویژه") for i in range(3)])
    assert fake_panel.state.calls["/api/send/advanced"] == 1 and len({a.provider_id for a in same}) == 3
    adapter.send([Outgoing(10 + i, f"+98912200000{i}", f"سلام {i}") for i in range(2)])
    assert fake_panel.state.calls["/api/send/simple"] == 2 and fake_panel.state.total_sends() == 5


def test_a_message_count_is_billed_as_iranian_panels_do() -> None:
    from modules.marketing.fake_panel import parts

    assert [parts("س" * 70), parts("س" * 71), parts("س" * 134), parts("س" * 135), parts("a" * 160), parts("a" * 161)] \
        == [1, 2, 2, 3, 1, 2]
