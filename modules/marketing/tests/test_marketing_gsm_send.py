"""DEV-03: a GSM modem as an SMS panel — the real marketing send path (outbox, consumer, poll
job) talking AT commands over a pty to a simulated modem: a long Persian text goes as three
UCS-2 parts joined by one concatenation header, a short Latin text in text mode, and the
modem's delivery reports move the message to delivered (or failed) once every part is reported."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from sqlalchemy import select

from devices.gsm import pdu
from devices.simulators.gsm_modem import GsmModemSim
from kernel.testing import create_record
from modules.base.models import Communication
from modules.marketing.sms_parts import count_parts
from modules.marketing.testing import queue_sms
from modules.marketing.tests.gsm_helpers import add_gsm_panel, modem, only_message, poll
from modules.marketing.tests.sms_helpers import ENGINES, drain, states

__all__ = ["modem"]
LONG = ("مشتری گرامی، جشنواره‌ی زمستانی فروشگاه پیوند از شنبه آغاز می‌شود. "
        "تا پایان دی‌ماه روی همه‌ی کالاها ۲۰ درصد تخفیف دارید؛ کد ZEM1405 را هنگام خرید بگویید.")



@pytest.mark.parametrize("engine", ENGINES)
def test_a_long_persian_sms_goes_as_three_ucs2_parts_with_one_header_and_is_delivered_when_all_are(
        make_kernel: Any, modem: GsmModemSim, engine: str) -> None:
    assert count_parts(LONG).parts == 3 and count_parts(LONG).encoding == "ucs2"
    kernel = make_kernel(modules=("marketing",), engine=engine)
    add_gsm_panel(kernel, modem.path)
    partner = create_record(kernel, None, "base.partner", kind="person", first_name="مینا", last_name="رحیمی",
                            mobile="+989121234567")
    queue_sms(kernel, ["+989121234567"], LONG, partner_ids=[partner])
    now = drain(kernel)

    parts = modem.sent
    assert [(p.mode, p.encoding, p.number, p.status_report) for p in parts] == [
        ("pdu", "ucs2", "+989121234567", True)] * 3
    assert [p.concat.seq if p.concat else None for p in parts] == [1, 2, 3]
    assert {(p.concat.ref, p.concat.total) for p in parts if p.concat} == {(parts[0].concat.ref, 3)}  # type: ignore[union-attr]
    assert [len(p.text) for p in parts] == [67, 67, len(LONG) - 134]
    assert modem.messages() == [("+989121234567", LONG)]
    sent = only_message(kernel)
    assert (sent.state, sent.provider_id) == ("sent", f"{parts[0].mr}.{parts[1].mr}.{parts[2].mr}:989121234567")

    modem.report(parts[0].mr)
    modem.report(parts[1].mr)
    poll(kernel, now + dt.timedelta(minutes=5))
    assert only_message(kernel).state == "sent"  # two of three parts reached the phone: not yet delivered
    modem.report(parts[2].mr)
    poll(kernel, now + dt.timedelta(minutes=10))
    assert only_message(kernel).state == "delivered"
    assert modem.storage == {}  # the reports were deleted from the SIM once recorded
    with kernel.sessions() as s:
        result = s.scalar(select(Communication.result).where(Communication.partner_id == partner))
    assert result == "پیامک به گیرنده رسید"


@pytest.mark.parametrize("engine", ENGINES)
def test_a_short_latin_sms_goes_in_text_mode_and_a_failed_report_fails_it(
        make_kernel: Any, modem: GsmModemSim, engine: str) -> None:
    kernel = make_kernel(modules=("marketing",), engine=engine)
    add_gsm_panel(kernel, modem.path)
    queue_sms(kernel, ["+989351112233"], "Your order 1405 is ready.")
    now = drain(kernel)

    assert [(p.mode, p.text, p.status_report) for p in modem.sent] == [("text", "Your order 1405 is ready.", True)]
    modem.report(modem.sent[0].mr, status=0x41)  # 23.040: incompatible destination, the centre gave up
    poll(kernel, now + dt.timedelta(minutes=5))
    row = only_message(kernel)
    assert row.state == "failed" and row.error == "پنل گزارش داد که به گیرنده نرسید"


@pytest.mark.parametrize("engine", ENGINES)
def test_a_long_latin_text_with_extension_characters_goes_in_pdu_mode_in_gsm7_parts(
        make_kernel: Any, modem: GsmModemSim, engine: str) -> None:
    body = "Price list [winter]: " + "item {A} 100€; " * 14
    assert count_parts(body).parts == 2
    kernel = make_kernel(modules=("marketing",), engine=engine)
    add_gsm_panel(kernel, modem.path)
    queue_sms(kernel, ["+989121112222"], body)
    drain(kernel)

    assert [(p.mode, p.encoding) for p in modem.sent] == [("pdu", pdu.GSM)] * 2
    assert modem.messages() == [("+989121112222", body)]
    assert states(kernel) == {"sent": 1}


@pytest.mark.parametrize("engine", ENGINES)
def test_a_report_the_modem_pushes_as_cds_while_the_port_is_open_is_applied_too(
        make_kernel: Any, modem: GsmModemSim, engine: str) -> None:
    kernel = make_kernel(modules=("marketing",), engine=engine)
    add_gsm_panel(kernel, modem.path)
    queue_sms(kernel, ["+989351112233"], "Your order 1405 is ready.")
    now = drain(kernel)
    modem.report(modem.sent[0].mr, unsolicited=True)  # printed when the poll job opens the port
    poll(kernel, now + dt.timedelta(minutes=5))
    assert only_message(kernel).state == "delivered"


@pytest.mark.parametrize("engine", ENGINES)
def test_a_modem_that_cannot_keep_reports_on_the_sim_is_asked_to_push_them(
        make_kernel: Any, tmp_path: Any, engine: str) -> None:
    kernel = make_kernel(modules=("marketing",), engine=engine)
    with GsmModemSim(str(tmp_path / "ttyOld"), stores_reports=False) as old:
        add_gsm_panel(kernel, old.path)
        queue_sms(kernel, ["+989351112233"], "Your order 1405 is ready.")
        now = drain(kernel)
        assert "AT+CNMI=2,1,0,1,0" in old.commands  # after "AT+CNMI=2,1,0,2,0" was refused
        old.report(old.sent[0].mr)
        poll(kernel, now + dt.timedelta(minutes=5))
    assert only_message(kernel).state == "delivered"
