"""DEV-03: what goes wrong with a GSM modem never doubles a message. A modem unplugged, a port
another program holds, a SIM that wants its PIN, a busy network: the message waits in the queue
with the reason in Persian and goes once the modem is back. A recipient the operator refuses
fails at once; a modem that took a message and never answered, or a worker that died mid-send,
leaves it failed as "unknown", never sent again."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import serial
from sqlalchemy import select, update

from devices.gsm import modem as gsm_modem
from devices.simulators.gsm_modem import GsmModemSim
from kernel.jobs import run_due
from kernel.outbox import enqueue
from modules.marketing.models import Message
from modules.marketing.testing import queue_sms
from modules.marketing.tests.gsm_helpers import add_gsm_panel, modem, only_message
from modules.marketing.tests.sms_helpers import ENGINES, T0, drain, states

__all__ = ["modem"]
PERSIAN = "سفارش شما آماده‌ی تحویل است."



@pytest.mark.parametrize("engine", ENGINES)
def test_an_unplugged_modem_keeps_the_message_queued_with_the_reason_and_sends_it_once_when_back(
        make_kernel: Any, modem: GsmModemSim, engine: str) -> None:
    kernel = make_kernel(modules=("marketing",), engine=engine)
    add_gsm_panel(kernel, modem.path)
    modem.unplug()
    queue_sms(kernel, ["+989121234567"], PERSIAN)
    run_due(kernel, now=T0, limit=1000)
    row = only_message(kernel)
    assert row.state == "queued" and row.error is not None
    assert row.error.startswith("درگاه مودم وجود ندارد (مودم وصل است؟)")

    modem.replug()
    drain(kernel, start=T0 + dt.timedelta(minutes=10))
    assert states(kernel) == {"sent": 1}
    assert modem.messages() == [("+989121234567", PERSIAN)]


@pytest.mark.parametrize("engine", ENGINES)
def test_a_port_held_by_another_program_is_tried_later_not_failed(
        make_kernel: Any, modem: GsmModemSim, engine: str) -> None:
    kernel = make_kernel(modules=("marketing",), engine=engine)
    add_gsm_panel(kernel, modem.path)
    queue_sms(kernel, ["+989121234567"], PERSIAN)
    holder = serial.serial_for_url(modem.path, exclusive=True)
    try:
        run_due(kernel, now=T0, limit=1000)
    finally:
        holder.close()
    row = only_message(kernel)
    assert row.state == "queued" and (row.error or "").startswith("درگاه مودم در دست برنامه‌ی دیگری است")
    drain(kernel, start=T0 + dt.timedelta(minutes=10))
    assert states(kernel) == {"sent": 1} and len(modem.sent) == 1


@pytest.mark.parametrize("engine", ENGINES)
def test_a_busy_network_is_retried_and_a_refused_recipient_fails_at_once(
        make_kernel: Any, modem: GsmModemSim, engine: str) -> None:
    kernel = make_kernel(modules=("marketing",), engine=engine)
    add_gsm_panel(kernel, modem.path)
    modem.fail_next(42)  # congestion: the next attempt goes
    queue_sms(kernel, ["+989121234567"], PERSIAN)
    drain(kernel)
    assert states(kernel) == {"sent": 1} and len(modem.sent) == 1

    modem.fail_next(1)  # unassigned number
    queue_sms(kernel, ["+989100000000"], PERSIAN)
    drain(kernel, start=T0 + dt.timedelta(hours=4))
    with kernel.sessions() as s:
        failed = s.scalars(select(Message).where(Message.state == "failed")).one()
    assert failed.error == "اپراتور این گیرنده را نپذیرفت (+CMS ERROR: 1)"
    assert len(modem.sent) == 1


@pytest.mark.parametrize("engine", ENGINES)
def test_a_later_part_refused_once_is_sent_again_alone_and_the_phone_still_joins_the_parts(
        make_kernel: Any, modem: GsmModemSim, engine: str) -> None:
    kernel = make_kernel(modules=("marketing",), engine=engine)
    add_gsm_panel(kernel, modem.path)
    modem.fail_next(42, after=1)  # the second part meets a busy network once
    queue_sms(kernel, ["+989121234567"], PERSIAN * 4)  # two parts
    drain(kernel)
    assert states(kernel) == {"sent": 1}
    assert [p.concat.seq if p.concat else None for p in modem.sent] == [1, 2]
    assert modem.messages() == [("+989121234567", PERSIAN * 4)]


@pytest.mark.parametrize("engine", ENGINES)
def test_a_long_message_refused_after_its_first_part_fails_and_is_not_resent(
        make_kernel: Any, modem: GsmModemSim, engine: str) -> None:
    kernel = make_kernel(modules=("marketing",), engine=engine)
    add_gsm_panel(kernel, modem.path)
    modem.fail_next(42, times=3, after=1)  # the second part never gets through
    queue_sms(kernel, ["+989121234567"], PERSIAN * 4)  # two parts
    drain(kernel)
    row = only_message(kernel)
    assert row.state == "failed"
    assert row.error == "مودم فقط بخشی از پیامک را فرستاد و بقیه را نپذیرفت (1/2) — شبکه شلوغ است (+CMS ERROR: 42)"
    assert len(modem.sent) == 1


@pytest.mark.parametrize("engine", ENGINES)
def test_a_modem_that_never_answers_after_taking_a_message_leaves_it_unknown_never_doubled(
        make_kernel: Any, modem: GsmModemSim, engine: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(gsm_modem, "SEND_TIMEOUT", 1.0)
    kernel = make_kernel(modules=("marketing",), engine=engine)
    add_gsm_panel(kernel, modem.path)
    modem.mute_next()
    queue_sms(kernel, ["+989121234567"], PERSIAN)
    drain(kernel)
    row = only_message(kernel)
    assert row.state == "failed" and (row.error or "").startswith("معلوم نیست")
    assert len(modem.sent) == 1


@pytest.mark.parametrize("engine", ENGINES)
def test_a_message_a_dead_worker_left_in_sending_is_not_sent_again(
        make_kernel: Any, modem: GsmModemSim, engine: str) -> None:
    kernel = make_kernel(modules=("marketing",), engine=engine)
    add_gsm_panel(kernel, modem.path)
    queue_sms(kernel, ["+989121234567"], PERSIAN)
    with kernel.session() as s:  # a worker claimed it, maybe sent it, and died before recording
        s.execute(update(Message).values(state="sending"))
        ids = list(s.scalars(select(Message.id)))
        enqueue(s, "marketing.sms_batch", {"messages": ids, "attempt": 1})
    drain(kernel)
    assert states(kernel) == {"failed": 1} and modem.sent == []


@pytest.mark.parametrize("engine", ENGINES)
def test_a_sim_with_a_pin_sends_once_the_panel_has_it(
        make_kernel: Any, tmp_path: Any, engine: str) -> None:
    kernel = make_kernel(modules=("marketing",), engine=engine)
    with GsmModemSim(str(tmp_path / "ttyPIN"), pin="4321") as sim:
        panel_id = add_gsm_panel(kernel, sim.path)
        queue_sms(kernel, ["+989121234567"], PERSIAN)
        run_due(kernel, now=T0, limit=1000)
        row = only_message(kernel)
        assert row.state == "queued" and (row.error or "").startswith("سیم‌کارت رمز PIN می‌خواهد")
        from modules.marketing.models import Panel

        with kernel.session() as s:
            s.execute(update(Panel).where(Panel.id == panel_id).values(password="4321"))
        drain(kernel, start=T0 + dt.timedelta(minutes=10))
        assert states(kernel) == {"sent": 1} and len(sim.sent) == 1


@pytest.mark.parametrize("engine", ENGINES)
def test_a_panel_address_that_is_not_a_port_fails_the_message_with_the_reason(
        make_kernel: Any, modem: GsmModemSim, engine: str) -> None:
    kernel = make_kernel(modules=("marketing",), engine=engine)
    add_gsm_panel(kernel, f"{modem.path}?baud=fast")
    queue_sms(kernel, ["+989121234567"], PERSIAN)
    drain(kernel)
    row = only_message(kernel)
    assert row.state == "failed" and row.error == (
        "درگاه مودم را وارد کنید، مثلاً /dev/ttyUSB0 یا /dev/ttyUSB0?baud=9600")
    assert modem.sent == []
