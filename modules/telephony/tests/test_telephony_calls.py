"""Calls are logged once, matched to partners however their numbers were typed, and shown:
the call list with its filters, today's calls, the partner's last call, the device status page."""

from __future__ import annotations

import datetime as dt
from typing import Any
from urllib.parse import unquote

import pytest
from sqlalchemy import select

from devices.events import CallRecord, CallStarted, Garbled
from kernel import Event, hookimpl, utcnow
from kernel.persian.jalali import format_jalali
from kernel.testing import create_record, create_user, csrf_of
from kernel.timezone import local_today
from modules.telephony.routes.status import NEW_DEVICE
from modules.telephony.tests.telephony_helpers import (
    ENGINES,
    add_device,
    add_partner,
    call_count,
    calls,
    telephony_kernel,
)

T0 = dt.datetime(2026, 12, 7, 7, 0)


def incoming(number: str, at: dt.datetime = T0, extension: str = "101", duration: int = 75,
             raw: str | None = None) -> CallRecord:
    return CallRecord(direction="incoming", number=number, started_at=at, extension=extension, line="01",
                      ring_seconds=5, duration_seconds=duration, answered=duration > 0,
                      raw=raw or f"{at:%m/%d/%y %I:%M%p} {extension} 01 <I>{number} 0'05 00:01'15")


def table_rows(html: str) -> str:
    """The list's rows only (the filters above them name every partner too)."""
    return html.split("<tbody", 1)[1].split("</tbody>", 1)[0]


class Heard:
    """A listener of CallLogged, as the pop-up will be: what it was told, in order."""

    def __init__(self) -> None:
        self.events: list[Any] = []

    @hookimpl
    def handle_event(self, event: Event, session: object, kernel: object) -> None:
        if type(event).__name__ == "CallLogged":
            self.events.append(event)


@pytest.mark.parametrize("engine", ENGINES)
def test_a_call_is_matched_logged_once_and_announced(make_kernel, engine):
    from modules.telephony.models import Extension
    from modules.telephony.sink import record_event

    k = telephony_kernel(make_kernel, engine, default_area_code="21")
    heard = Heard()
    k.pm.register(heard)
    device = add_device(k, "/dev/ttyUSB0")
    sara = create_user(k, "sara")
    with k.session() as session:
        session.add(Extension(number="101", user_id=sara))
    mobile = add_partner(k, "زهرا رضایی", mobile="+989121234567")
    office = add_partner(k, "شرکت نمونه", phone="+982188776655")
    # The PBX prints what the line delivered: Persian digits from a gateway, a local number
    # without the area code, a mobile with its 0.
    first = record_event(k, device, incoming("۰۹۱۲۱۲۳۴۵۶۷"))
    second = record_event(k, device, incoming("88776655", T0 + dt.timedelta(minutes=1)))
    unknown = record_event(k, device, incoming("02199998888", T0 + dt.timedelta(minutes=2), extension="199"))
    again = record_event(k, device, incoming("۰۹۱۲۱۲۳۴۵۶۷"))  # the same line printed again
    assert again == first and call_count(k) == 3
    rows = {c.id: c for c in calls(k)}
    assert (rows[first].partner_id, rows[first].user_id, rows[first].number_canonical) == (mobile, sara, "+989121234567")
    assert (rows[second].partner_id, rows[second].number_canonical) == (office, "+982188776655")
    assert (rows[unknown].partner_id, rows[unknown].user_id) == (None, None)
    assert [(e.call_id, e.partner_id, e.user_id) for e in heard.events] == [
        (first, mobile, sara), (second, office, sara), (unknown, None, None)]


@pytest.mark.parametrize("engine", ENGINES)
def test_a_restarted_service_does_not_double_a_call(make_kernel, engine):
    from modules.telephony.sink import record_event

    k = telephony_kernel(make_kernel, engine)
    device = add_device(k, "/dev/ttyUSB0")
    call = incoming("09121234567")
    record_event(k, device, call)
    restarted = make_kernel(same_database_as=k, migrate=False, modules=("telephony",), packages=("modules.telephony",))
    record_event(restarted, device, call)
    # The same record from another device is another call.
    other = add_device(k, "/dev/ttyUSB1", name="سانترال دوم")
    record_event(restarted, other, call)
    assert call_count(k) == 2


@pytest.mark.parametrize("engine", ENGINES)
def test_a_contact_row_a_private_caller_and_a_modem_call(make_kernel, engine):
    from modules.telephony.sink import record_event

    k = telephony_kernel(make_kernel, engine)
    device = add_device(k, "/dev/ttyACM0", driver="cid_modem")
    partner = add_partner(k, "مهدی کریمی")
    create_record(k, None, "base.contact", partner_id=partner, kind="mobile", value="0935 123 4567")
    ringing = record_event(k, device, CallStarted("incoming", "09351234567", utcnow(), "NMBR = 09351234567"))
    private = record_event(k, device, CallStarted("incoming", "P", utcnow(), "NMBR = P"))
    rows = {c.id: c for c in calls(k)}
    assert (rows[ringing].partner_id, rows[ringing].answered, rows[ringing].duration_seconds) == (partner, None, 0)
    assert (rows[private].number, rows[private].number_canonical, rows[private].partner_id) == ("P", None, None)


@pytest.mark.parametrize("engine", ENGINES)
def test_garbled_lines_and_states_reach_the_status_page(make_kernel, web_client, engine):
    from modules.telephony.models import GarbledLine
    from modules.telephony.models.status import KEEP_GARBLED
    from modules.telephony.sink import record_event, set_state

    k = telephony_kernel(make_kernel, engine)
    device = add_device(k, "/dev/ttyUSB7", name="پاناسونیک طبقه دوم")
    set_state(k, device, "retrying", "[Errno 2] could not open port /dev/ttyUSB7")
    for n in range(KEEP_GARBLED + 5):
        record_event(k, device, Garbled(f"12/07/26 garbled {n}", "not an SMDR call record"))
    with k.sessions() as session:
        kept = session.scalars(select(GarbledLine.raw).where(GarbledLine.device_id == device)).all()
    assert len(kept) == KEEP_GARBLED and "12/07/26 garbled 4" not in kept and "12/07/26 garbled 54" in kept
    create_user(k, "admin", admin=True)
    page = web_client(k, "admin").get("/telephony/status")
    assert page.status_code == 200
    assert "پاناسونیک طبقه دوم" in page.text and "در تلاش دوباره" in page.text
    assert "could not open port /dev/ttyUSB7" in page.text
    assert "12/07/26 garbled 54" in page.text and "سطر تماس SMDR نیست" in page.text
    create_user(k, "reza", perms=("telephony.call.view",))
    assert web_client(k, "reza").get("/telephony/status").status_code == 403


@pytest.mark.parametrize("engine", ENGINES)
def test_the_call_list_filters_and_today(make_kernel, web_client, engine):
    from modules.telephony.sink import record_event

    k = telephony_kernel(make_kernel, engine)
    device = add_device(k, "/dev/ttyUSB0")
    add_partner(k, "زهرا رضایی", mobile="+989121234567")
    now = utcnow().replace(microsecond=0)
    record_event(k, device, incoming("09121234567", now))
    record_event(k, device, incoming("09350000001", now - dt.timedelta(minutes=5), duration=0))
    record_event(k, device, incoming("09350000002", now - dt.timedelta(days=3)))
    create_user(k, "sara", perms=("telephony.call.view", "base.partner.view"))
    client = web_client(k, "sara")
    today = client.get("/telephony/today", follow_redirects=False)
    assert today.status_code in (302, 303)
    listed = client.get(today.headers["location"])
    assert listed.status_code == 200
    rows = table_rows(listed.text)
    assert "زهرا رضایی" in rows and "۰۹۳۵ ۰۰۰ ۰۰۰۱" in rows and "۰۹۳۵ ۰۰۰ ۰۰۰۲" not in rows
    day = format_jalali(local_today(k.config.timezone), "fa")
    assert f"f_started_at__from={day}&f_started_at__to={day}" in unquote(today.headers["location"])
    missed = table_rows(client.get("/telephony/call/?f_answered=0").text)
    assert "۰۹۳۵ ۰۰۰ ۰۰۰۱" in missed and "زهرا رضایی" not in missed
    # The log is the device's: nobody adds or edits a call.
    assert client.get("/telephony/call/new").status_code == 405


@pytest.mark.parametrize("engine", ENGINES)
def test_the_partner_profile_shows_the_last_call(make_kernel, web_client, engine):
    from modules.telephony.sink import record_event

    k = telephony_kernel(make_kernel, engine)
    device = add_device(k, "/dev/ttyUSB0")
    partner = add_partner(k, "زهرا رضایی", mobile="+989121234567")
    record_event(k, device, incoming("09121234567", T0, duration=30))
    last = record_event(k, device, incoming("09121234567", T0 + dt.timedelta(days=1), duration=125))
    create_user(k, "sara", perms=("telephony.call.view", "base.partner.view"))
    profile = web_client(k, "sara").get(f"/base/partner/{partner}/profile")
    assert profile.status_code == 200
    assert f'data-call="{last}"' in profile.text and "۲:۰۵" in profile.text and "آخرین تماس" in profile.text
    create_user(k, "reza", perms=("base.partner.view",))
    assert "آخرین تماس" not in web_client(k, "reza").get(f"/base/partner/{partner}/profile").text


@pytest.mark.parametrize("engine", ENGINES)
def test_a_device_form_refuses_a_bad_port_in_persian(make_kernel, web_client, engine):
    from modules.telephony.models import Device

    k = telephony_kernel(make_kernel, engine)
    create_user(k, "admin", admin=True)
    client = web_client(k, "admin")
    form = client.get("/telephony/device/new")
    assert "سانترال پاناسونیک KX-TDA/TDE/NS" in form.text and "مودم کالر آیدی" in form.text
    data = {"csrf": csrf_of(form.text), "name": "سانترال", "driver": "panasonic_smdr", "port": "COM one; rm -rf",
            "baud_rate": "۹۶۰۰", "parity": "N", "data_bits": "8", "stop_bits": "1", "active": "on"}
    refused = client.post("/telephony/device/new", data=data)
    assert refused.status_code == 400 and "درگاه سریالی مانند" in refused.text
    refused = client.post("/telephony/device/new", data={**data, "port": "/dev/ttyUSB0", "baud_rate": "9601"})
    assert "سرعتی را برگزینید" in refused.text
    with k.sessions() as session:
        assert session.scalar(select(Device.id)) is None
    # The serial settings left empty take the usual ones (9600 8N1); "New device" offers them.
    usual = {key: "" for key in ("baud_rate", "parity", "data_bits", "stop_bits")}
    saved = client.post("/telephony/device/new", data={**data, **usual, "port": "socket://192.168.1.20:2300"},
                        follow_redirects=False)
    assert saved.status_code in (302, 303)
    with k.sessions() as session:
        device = session.scalars(select(Device)).one()
    assert (device.port, device.baud_rate, device.driver) == ("socket://192.168.1.20:2300", 9600, "panasonic_smdr")
    assert (device.parity, device.data_bits, device.stop_bits) == ("N", 8, 1)
    offered = client.get(NEW_DEVICE)
    assert 'value="9600"' in offered.text and 'name="data_bits" value="8"' in offered.text.replace("  ", " ")
