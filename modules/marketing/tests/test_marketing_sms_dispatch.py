"""The SMS pipe's dispatch (issue 13, MKT-02): queued messages go to the panel in batches, each
once, with its provider id, cost and state, the send's counters right, and every message to a
partner on the partner's timeline; a panel's errors are retried or explained in Persian."""

from __future__ import annotations

import math
from typing import Any

import pytest
from sqlalchemy import select, update

from kernel import hookimpl
from kernel.actor import SYSTEM
from kernel.db import transaction
from kernel.testing import create_record
from modules.base.models import Communication
from modules.marketing.adapters import kavenegar
from modules.marketing.fake_panel import FakePanel
from modules.marketing.models import Message
from modules.marketing.panels import Outgoing, PanelKind
from modules.marketing.testing import add_panel, queue_sms
from modules.marketing.tests.sms_helpers import ENGINES, drain, mobiles, send_row, states


@pytest.mark.parametrize("engine", ENGINES)
def test_a_send_goes_out_in_batches_each_message_once_with_its_cost_and_timeline(
        make_kernel: Any, fake_panel: FakePanel, engine: str) -> None:
    kernel = make_kernel(modules=("marketing",), engine=engine)
    add_panel(kernel, fake_panel, batch_size=40)
    partner = create_record(kernel, None, "base.partner", kind="person", first_name="مریم", last_name="کریمی",
                            mobile="+989121110000")
    long_body = "مشتری گرامی، " * 8  # 104 Persian characters: two parts of 67
    send_id = queue_sms(kernel, ["+989121110000", *mobiles(99, 1)], long_body, partner_ids=[partner, *[None] * 99])

    drain(kernel)

    assert states(kernel) == {"sent": 100}
    # 100 messages, 40 a call: three calls, and each local id sent exactly once.
    assert fake_panel.state.calls["sms/sendarray.json"] == math.ceil(100 / 40)
    assert len(fake_panel.state.sends_per_local) == 100 and set(fake_panel.state.sends_per_local.values()) == {1}
    send = send_row(kernel, send_id)
    assert (send.sent, send.failed, send.cost, send.state) == (100, 0, 100 * 2 * 1_200, "done")
    with kernel.sessions() as s:
        msg = s.scalars(select(Message).where(Message.partner_id == partner)).one()
        comm = s.get(Communication, msg.communication_id)
    assert msg.provider_id == str(fake_panel.state.by_local[str(msg.id)]) and msg.cost == 2_400
    assert comm is not None and (comm.kind, comm.direction, comm.partner_id) == ("sms", "out", partner)
    assert (comm.link_resource, comm.link_id) == ("marketing.message", msg.id)
    assert comm.result == "پیامک ارسال شد؛ در انتظار گزارش تحویل"


@pytest.mark.parametrize("engine", ENGINES)
def test_a_batch_interrupted_after_the_panel_call_is_resent_with_the_same_local_ids(
        make_kernel: Any, fake_panel: FakePanel, engine: str) -> None:
    """A worker killed between the panel's answer and its record leaves messages in "sending":
    the next attempt sends them again with the same localid, and Kavenegar (here the fake
    panel) answers the first send without sending twice."""
    kernel = make_kernel(modules=("marketing",), engine=engine)
    add_panel(kernel, fake_panel)
    queue_sms(kernel, mobiles(30))
    with transaction(kernel.sessions, SYSTEM) as s:  # what the dead worker had done
        rows = s.execute(select(Message.id, Message.address, Message.body).order_by(Message.id).limit(10)).all()
        s.execute(update(Message).where(Message.id.in_([r.id for r in rows])).values(state="sending"))
    kavenegar.Kavenegar(fake_panel.base_url, fake_panel.state.api_key, "10004346").send(
        [Outgoing(r.id, r.address, r.body) for r in rows])
    first = dict(fake_panel.state.by_local)

    drain(kernel)

    assert states(kernel) == {"sent": 30}
    assert set(fake_panel.state.sends_per_local.values()) == {1} and len(fake_panel.state.sends_per_local) == 30
    with kernel.sessions() as s:
        ids = dict(s.execute(select(Message.id, Message.provider_id).where(Message.id.in_([r.id for r in rows]))).all())
    assert {str(k): int(str(v)) for k, v in ids.items()} == first


class _PlainKavenegar:
    """A panel without an idempotency key: Kavenegar's API, but a resend is a new SMS."""

    @hookimpl
    def register_marketing_sms_panels(self, kernel: Any) -> list[PanelKind]:
        return [PanelKind("plain", "Plain", make=lambda row: kavenegar.Kavenegar(row.base_url, row.api_key or "",
                                                                                  row.sender))]


@pytest.mark.parametrize("engine", ENGINES)
def test_without_an_idempotency_key_a_message_in_doubt_is_failed_not_sent_twice(
        make_kernel: Any, fake_panel: FakePanel, engine: str) -> None:
    kernel = make_kernel(modules=("marketing",), engine=engine)
    kernel.pm.register(_PlainKavenegar())
    fake_panel.state.honour_localid = False
    add_panel(kernel, fake_panel, kind="plain")
    queue_sms(kernel, mobiles(5))
    with transaction(kernel.sessions, SYSTEM) as s:
        doubt = s.scalars(select(Message.id).order_by(Message.id).limit(2)).all()
        s.execute(update(Message).where(Message.id.in_(doubt)).values(state="sending"))

    drain(kernel)

    assert states(kernel) == {"sent": 3, "failed": 2}
    with kernel.sessions() as s:
        errors = s.scalars(select(Message.error).where(Message.id.in_(doubt))).all()
    assert errors == ["معلوم نیست پنل آن را گرفته یا نه: دوباره فرستاده نشد"] * 2
    assert fake_panel.state.total_sends() == 3


@pytest.mark.parametrize("engine", ENGINES)
def test_a_panel_failing_half_its_calls_gets_retries_and_no_duplicates(
        make_kernel: Any, fake_panel: FakePanel, engine: str) -> None:
    kernel = make_kernel(modules=("marketing",), engine=engine)
    add_panel(kernel, fake_panel, batch_size=10)
    # Half the calls fail: a quarter before the panel did anything, a quarter after it sent
    # (the answer lost on the way back).
    fake_panel.state.fail_ratio, fake_panel.state.lose_ratio = 0.25, 0.33
    send_id = queue_sms(kernel, mobiles(200), batch=50)

    drain(kernel, rounds=60)

    # Every message reached the panel once (the polling job meanwhile read their delivery).
    assert len(fake_panel.state.sends_per_local) == 200 and set(fake_panel.state.sends_per_local.values()) == {1}
    with kernel.sessions() as s:
        rows = s.execute(select(Message.id, Message.address, Message.state, Message.provider_id,
                                Message.error)).all()
    assert all(r.provider_id == str(fake_panel.state.by_local[str(r.id)]) for r in rows)
    assert {r.state for r in rows} <= {"sent", "delivered", "failed"}
    assert {r.error for r in rows if r.state == "failed"} <= {"پنل گزارش داد که به گیرنده نرسید"}
    assert all(r.address.endswith("9") for r in rows if r.state == "failed")
    assert fake_panel.state.calls["sms/sendarray.json"] > 20  # the failed calls were retried
    assert send_row(kernel, send_id).sent == 200


@pytest.mark.parametrize("engine", ENGINES)
def test_a_panel_that_times_out_is_retried_later_with_the_same_local_ids(
        make_kernel: Any, fake_panel: FakePanel, engine: str, monkeypatch: pytest.MonkeyPatch) -> None:
    kernel = make_kernel(modules=("marketing",), engine=engine)
    monkeypatch.setattr(kavenegar, "TIMEOUT", 0.3)
    add_panel(kernel, fake_panel)
    queue_sms(kernel, mobiles(20))
    fake_panel.state.delay = 0.6  # the panel sends, but answers after we stopped waiting

    from kernel.jobs import run_due
    from modules.marketing.tests.sms_helpers import T0

    run_due(kernel, now=T0)
    with kernel.sessions() as s:
        waiting = s.execute(select(Message.state, Message.error).distinct()).all()
    assert waiting == [("sending", "پنل در زمان مقرر پاسخ نداد (ReadTimeout)")]
    fake_panel.state.delay = 0

    drain(kernel, start=T0)

    assert states(kernel) == {"sent": 20} and set(fake_panel.state.sends_per_local.values()) == {1}


@pytest.mark.parametrize("engine", ENGINES)
def test_no_credit_fails_every_message_with_the_panels_reason_in_persian(
        make_kernel: Any, fake_panel: FakePanel, engine: str) -> None:
    kernel = make_kernel(modules=("marketing",), engine=engine)
    add_panel(kernel, fake_panel)
    fake_panel.state.credit = 1_000  # less than one part
    send_id = queue_sms(kernel, mobiles(15))

    drain(kernel)

    assert states(kernel) == {"failed": 15} and fake_panel.state.total_sends() == 0
    with kernel.sessions() as s:
        errors = set(s.scalars(select(Message.error)))
    assert errors == {"اعتبار پنل برای این پیامک‌ها کافی نیست (418: اعتبار حساب شما کافی نیست)"}
    send = send_row(kernel, send_id)
    assert (send.sent, send.failed, send.state) == (0, 15, "done")
    assert fake_panel.state.calls["sms/sendarray.json"] == 1  # not retried: a retry cannot help


@pytest.mark.parametrize("engine", ENGINES)
def test_without_a_panel_the_messages_fail_saying_so(make_kernel: Any, engine: str) -> None:
    kernel = make_kernel(modules=("marketing",), engine=engine)
    queue_sms(kernel, mobiles(3))

    drain(kernel)

    with kernel.sessions() as s:
        assert set(s.execute(select(Message.state, Message.error))) == {("failed", "هیچ پنل پیامک فعالی تعریف نشده است")}
